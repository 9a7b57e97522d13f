import Foundation

/// A bulk write (an import, the Seeds, a spreadsheet) announcing itself beside the database while
/// it holds the write lock, so that a command waiting for that lock can say what it waits for and
/// wait as long as the bulk write lasts instead of giving up after 10 seconds.
///
/// The announcement is a small owner-only JSON file, `DATABASE-writer`, written once the write
/// transaction has the lock and removed after it ends. One whose process is gone is ignored
/// (a killed import leaves it behind; the next bulk write replaces it).
struct BulkWriter: Codable, Equatable, Sendable {
    /// The process that writes.
    let pid: Int32
    /// What it does, as a noun phrase: "the import of orgs.json".
    let operation: String
    /// When its write started, ISO-8601 UTC.
    let started: String

    /// The announcement's path for the database at `databasePath` (its real path, symbolic links
    /// resolved, so that every command agrees on it).
    static func announcementPath(for databasePath: String) -> String { databasePath + "-writer" }

    /// Writes this process's announcement of `operation` beside the database; nil when it could not
    /// be written, which only means that waiting commands will not know what they wait for.
    static func announce(_ operation: String, for databasePath: String) -> BulkWriter? {
        let writer = BulkWriter(pid: getpid(), operation: operation, started: Store.timestamp())
        guard let data = try? JSONEncoder().encode(writer) else { return nil }
        let path = announcementPath(for: databasePath)
        // Written under a temporary name and renamed, so that a reader never sees half of it.
        let temporary = "\(path).\(writer.pid).partial"
        let fd = open(temporary, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        let written = data.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == data.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            return nil
        }
        return writer
    }

    /// The bulk writer announced beside the database, if its process is still alive.
    static func current(for databasePath: String) -> BulkWriter? {
        guard let data = FileManager.default.contents(atPath: announcementPath(for: databasePath)),
              let writer = try? JSONDecoder().decode(BulkWriter.self, from: data),
              writer.pid > 0, kill(writer.pid, 0) == 0 || errno == EPERM else { return nil }
        return writer
    }

    /// Removes the announcement when it is still this one's (another bulk write may have taken
    /// the lock and announced itself as soon as this one's transaction ended).
    func withdraw(for databasePath: String) {
        let path = BulkWriter.announcementPath(for: databasePath)
        guard let data = FileManager.default.contents(atPath: path),
              (try? JSONDecoder().decode(BulkWriter.self, from: data)) == self else { return }
        unlink(path)
    }

    /// How a waiting command names it: "the import of orgs.json (process 4242, writing since 2025-05-01T09:30:00Z)".
    var description: String { "\(operation) (process \(pid), writing since \(started))" }
}
