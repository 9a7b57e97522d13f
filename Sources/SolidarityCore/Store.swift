import Foundation
import GRDB

/// The one SQLite file that holds a union's international work, opened and migrated.
///
/// Every command opens a `Store`, which creates the file owner-only when it is new, backs up a
/// non-empty database before applying pending migrations, and runs each write in one transaction.
public final class Store: Sendable {
    /// What a command intends. `create` (init) may make a new file; the others need an existing
    /// database, so that a mistyped --db is an error rather than an empty CRM. A newer database is
    /// refused for writing only; `inspect` (migrate --status) opens even an edited one, to show it.
    public enum Access: Sendable { case create, write, read, inspect }

    /// The path of the database file.
    public let path: String
    /// What opening did: migrations applied, backup made.
    public let report: MigrationReport
    let queue: DatabaseQueue
    /// The migrations this store was opened with.
    let migrator: Migrator
    /// Why this database may not be written, when it may not.
    private let writeRefusal: String?

    /// The database path when `--db` is not given: `SOLIDARITY_DB`, else
    /// `$XDG_DATA_HOME/solidarity/solidarity.sqlite`, else `~/.local/share/solidarity/solidarity.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["SOLIDARITY_DB"], !path.isEmpty { return path }
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/share")
        return dataHome + "/solidarity/solidarity.sqlite"
    }

    /// Opens (creating if needed) and migrates the database at `path`.
    public init(path: String, access: Access, migrator: Migrator = Migrator()) throws {
        self.path = path
        self.migrator = migrator
        if access == .create {
            try Store.createIfMissing(path: path)
        } else if !FileManager.default.fileExists(atPath: path) {
            throw SolidarityError(.database, "There is no database at \(path). Create it with `solidarity init --db \(path)` (add --seed --home REF to start from the shipped Seeds), or point --db or SOLIDARITY_DB at the existing file.")
        }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // A 16 MiB page cache (SQLite's default is 2 MiB): the appendix and timelines revisit
            // pages across a large file, and each miss is a system call. Streamed export and
            // appendix stay well inside their 64 MiB bound with it.
            try db.execute(sql: "PRAGMA cache_size = -16384")
        }
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            let statuses = try queue.read { db in
                _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master")
                return try migrator.status(db)
            }
            if access != .inspect {
                try migrator.check(statuses, forWriting: access == .write || access == .create, path: path)
            }
            let unknown = statuses.filter { $0.state == .unknown }.map(\.name)
            var report = MigrationReport()
            let edited = statuses.contains { $0.state == .edited }
            if access != .inspect, unknown.isEmpty, !edited, statuses.contains(where: { $0.state == .pending }) {
                let pending = statuses.first { $0.state == .pending }!.name
                if try queue.read({ db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table'")! }) > 0 {
                    report.backup = try Store.backUp(queue, path: path, before: pending)
                }
                report.applied = try migrator.applyPending(queue, statuses: statuses)
            }
            self.queue = queue
            self.report = report
            if !unknown.isEmpty {
                self.writeRefusal = "\(path) was written by a newer version of solidarity (migration \(unknown.joined(separator: ", "))); install that version to change it."
            } else if edited {
                self.writeRefusal = "An applied migration of \(path) differs from this binary's: see `solidarity migrate --status`."
            } else {
                self.writeRefusal = nil
            }
        } catch let error as DatabaseError {
            throw Store.explain(error, path: path)
        }
    }

    /// Reads in one consistent snapshot.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try queue.read(body) } catch let error as DatabaseError { throw Store.explain(error, path: path) }
    }

    /// Writes in one transaction: it all lands or none of it does.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        if let writeRefusal { throw SolidarityError(.database, writeRefusal) }
        do { return try queue.write(body) } catch let error as DatabaseError { throw Store.explain(error, path: path) }
    }

    /// The current time as ISO-8601 UTC text, for ledgers and backups.
    static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// Creates the file owner-only (0600), and any directory it needs owner-only (0700).
    private static func createIfMissing(path: String) throws {
        let manager = FileManager.default
        if manager.fileExists(atPath: path) { return }
        let directory = (path as NSString).deletingLastPathComponent
        do {
            if !directory.isEmpty, !manager.fileExists(atPath: directory) {
                try manager.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
        } catch {
            throw SolidarityError(.database, "Cannot create the folder \(directory) for the database: \(Store.reason(error)). Choose a writable location with --db PATH or SOLIDARITY_DB.")
        }
        guard manager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            let reason = String(cString: strerror(errno))
            throw SolidarityError(.database, "Cannot create the database file \(path): \(reason.lowercased()). Choose a writable location with --db PATH or SOLIDARITY_DB.")
        }
    }

    /// Copies the database next to itself, owner-only, before migrations change it.
    private static func backUp(_ queue: DatabaseQueue, path: String, before migration: String) throws -> String {
        let stamp = Store.timestamp().replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "-", with: "")
        let base = (path as NSString).deletingPathExtension
        let backup = "\(base).backup-\(stamp)-before-\((migration as NSString).deletingPathExtension).sqlite"
        guard FileManager.default.createFile(atPath: backup, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw SolidarityError(.database, "Cannot write the backup \(backup) before migrating: \(String(cString: strerror(errno)).lowercased()). Nothing was changed; free space or permissions next to the database are needed.")
        }
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "VACUUM INTO ?", arguments: [backup])
        }
        return backup
    }

    private static func reason(_ error: any Error) -> String {
        if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError {
            return underlying.localizedDescription.lowercased()
        }
        return (error as NSError).localizedDescription
    }

    /// Turns SQLite's error codes into sentences that say what to do.
    static func explain(_ error: DatabaseError, path: String) -> SolidarityError {
        switch error.resultCode {
        case .SQLITE_NOTADB:
            return SolidarityError(.database, "\(path) is not a SQLite database, so solidarity cannot use it. Check the --db path (or SOLIDARITY_DB); a new database is made at a path where no file exists yet.")
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM:
            return SolidarityError(.database, "Cannot write to \(path): the file or its folder is read-only (\(error.message ?? "SQLite refused")). Choose a writable location with --db PATH or SOLIDARITY_DB.")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return SolidarityError(.database, "\(path) is busy: another solidarity command has held it for more than 10 seconds. Try again when it has finished.")
        case .SQLITE_CORRUPT:
            return SolidarityError(.database, "\(path) is damaged (SQLite reports corruption). Restore it from a backup; `sqlite3 \(path) 'PRAGMA integrity_check'` shows what is wrong.")
        default:
            return SolidarityError(.database, "The database \(path) refused the change: \(error.message ?? "\(error.resultCode)"). Nothing was written.")
        }
    }
}

// Statements compiled once per connection. Compiling an INSERT (and the triggers it fires) costs
// far more than running it, so code that runs the same statement for each record of an import
// uses these instead of GRDB's `execute(sql:)` and `fetchOne(_:sql:)`, which compile each time.
extension Database {
    /// Executes one SQL statement from the connection's statement cache.
    func execute(cached sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}

extension DatabaseValueConvertible where Self: StatementColumnConvertible {
    static func fetchOne(_ db: Database, cached sql: String, arguments: StatementArguments = StatementArguments()) throws -> Self? {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    static func fetchAll(_ db: Database, cached sql: String, arguments: StatementArguments = StatementArguments()) throws -> [Self] {
        try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }
}

extension Row {
    static func fetchOne(_ db: Database, cached sql: String, arguments: StatementArguments = StatementArguments()) throws -> Row? {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    static func fetchAll(_ db: Database, cached sql: String, arguments: StatementArguments = StatementArguments()) throws -> [Row] {
        try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }
}
