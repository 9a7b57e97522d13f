import Foundation
import GRDB
import Testing
@testable import SolidarityCore

@Suite("Store: the database file and its companions")
struct StoreTests {
    /// The mode bits of the file at `path`.
    func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test("a database open to other users is made owner-only with its -wal and -shm, and the report says so in one line")
    func companionsTightened() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("db.sqlite")
        // A first store keeps its connection, so the -wal and -shm files stay beside the database.
        let first = try Store(path: path, access: .create)
        _ = try first.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master") }
        let files = [path, path + "-wal", path + "-shm"]
        for file in files {
            #expect(FileManager.default.fileExists(atPath: file), "\(file)")
            #expect(chmod(file, 0o644) == 0)
        }
        let second = try Store(path: path, access: .read)
        #expect(second.report.warnings.count == 1 && second.report.warnings[0].contains("owner-only (0600)"), "\(second.report.warnings)")
        for file in files { #expect(try mode(file) == 0o600, "\(file)") }
        let third = try Store(path: path, access: .read)
        #expect(third.report.warnings.isEmpty)
        _ = first
    }

    @Test("a bulk write is announced beside the database while it holds the lock, and withdrawn after")
    func bulkWriteAnnounced() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        let realPath = URL(fileURLWithPath: folder.path("test.sqlite")).resolvingSymlinksInPath().path
        let (during, permissions) = try store.write(announcing: "the import of orgs.json") { _ in
            (BulkWriter.current(for: realPath), try? mode(BulkWriter.announcementPath(for: realPath)))
        }
        #expect(during?.pid == getpid() && during?.operation == "the import of orgs.json")
        #expect(permissions == 0o600)
        #expect(!FileManager.default.fileExists(atPath: BulkWriter.announcementPath(for: realPath)), "withdrawn after the write")
        #expect(throws: SolidarityError.self) {
            try store.write(announcing: "the import of bad.json") { db in try db.execute(sql: "INSERT INTO no_such_table VALUES (1)") }
        }
        #expect(!FileManager.default.fileExists(atPath: BulkWriter.announcementPath(for: realPath)), "withdrawn after a failed write too")
    }

    @Test("an announcement left by a process that is gone is ignored")
    func staleAnnouncementIgnored() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("db.sqlite")
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let stale = BulkWriter(pid: gone.processIdentifier, operation: "the import of old.json", started: "2025-01-01T00:00:00Z")
        try JSONEncoder().encode(stale).write(to: URL(fileURLWithPath: BulkWriter.announcementPath(for: path)))
        #expect(BulkWriter.current(for: path) == nil)
        let alive = BulkWriter(pid: getpid(), operation: "the import of new.json", started: "2025-01-01T00:00:00Z")
        try JSONEncoder().encode(alive).write(to: URL(fileURLWithPath: BulkWriter.announcementPath(for: path)))
        #expect(BulkWriter.current(for: path) == alive)
    }
}
