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
    /// One connection (a command), or a pool of readers beside one writer (the server, whose
    /// requests read while another writes or waits for the command line's write lock).
    let queue: any DatabaseWriter
    /// The migrations this store was opened with.
    let migrator: Migrator
    /// Who writes through this store and with what command: the history records it with each change.
    public let context: ChangeContext
    /// Whether writes are recorded in the history (its migration is among this store's).
    private let recordsHistory: Bool
    /// Why this database may not be written, when it may not.
    private let writeRefusal: SolidarityError?
    /// The database file's real path (symbolic links resolved): where its companion files are.
    private let realPath: String

    /// The database path when `--db` is not given: `SOLIDARITY_DB`, else
    /// `$XDG_DATA_HOME/solidarity/solidarity.sqlite`, else `~/.local/share/solidarity/solidarity.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["SOLIDARITY_DB"], !path.isEmpty { return path }
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/share")
        return dataHome + "/solidarity/solidarity.sqlite"
    }

    /// Opens (creating if needed) and migrates the database at `path`.
    ///
    /// Refuses, changing nothing, a path that is not a regular file, a database of another program
    /// (tables but no `schema_migrations` ledger), and an empty one unless `access` is `create`:
    /// those are looked at through a read-only connection before this tool's own settings (WAL
    /// among them) touch the file. An existing database open to other users is made owner-only
    /// (`report.warnings` says so). Pending migrations are applied under `MigrationLock`.
    /// `waiting` receives the one line a command says when it has to wait for another's lock.
    /// `context` says who writes and how, for the history of changes. `concurrentReads` opens a
    /// pool of connections, so that reads go on while a write runs or waits (the coalition server).
    public init(path: String, access: Access, migrator: Migrator = Migrator(), context: ChangeContext = .thisProcess(),
                concurrentReads: Bool = false, waiting: @escaping @Sendable (String) -> Void = { _ in }) throws {
        self.path = path
        self.migrator = migrator
        self.context = context
        self.recordsHistory = migrator.migrations.contains { $0.name == "0014_history.sql" }
        if access == .create {
            try Store.createIfMissing(path: path)
        }
        let realPath = try Store.databaseFile(path)
        self.realPath = realPath
        let lockWait = LockWait(path: path, realPath: realPath, waiting: waiting)
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = lockWait.busyMode
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // A 16 MiB page cache (SQLite's default is 2 MiB): the appendix and timelines revisit
            // pages across a large file, and each miss is a system call. Streamed export and
            // appendix stay well inside their 64 MiB bound with it.
            try db.execute(sql: "PRAGMA cache_size = -16384")
        }
        do {
            var statuses = try Store.survey(path, realPath: realPath, access: access, migrator: migrator, busyMode: lockWait.busyMode)
            var report = MigrationReport()
            report.warnings += Store.makeOwnerOnly(path: path, realPath: realPath)
            let forWriting = access == .write || access == .create
            if access != .inspect {
                try migrator.check(statuses, forWriting: forWriting, path: path)
            }
            if access != .inspect, Store.migrates(statuses) {
                statuses = try MigrationLock.hold(realPath, waiting: waiting) {
                    let queue = try DatabaseQueue(path: path, configuration: configuration)
                    defer { try? queue.close() }
                    // Another command may have migrated while this one waited for the lock.
                    let statuses = try queue.read { try migrator.status($0) }
                    try migrator.check(statuses, forWriting: forWriting, path: path)
                    guard Store.migrates(statuses) else { return statuses }
                    let pending = statuses.first { $0.state == .pending }!.name
                    if try queue.read({ db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table'")! }) > 0 {
                        report.backup = try Store.backUp(queue, path: path, before: pending)
                    }
                    report.applied = try migrator.applyPending(queue, path: path)
                    return try queue.read { try migrator.status($0) }
                }
            }
            self.queue = concurrentReads ? try DatabasePool(path: path, configuration: configuration)
                : try DatabaseQueue(path: path, configuration: configuration)
            self.report = report
            let unknown = statuses.filter { $0.state == .unknown }.map(\.name)
            if !unknown.isEmpty {
                self.writeRefusal = SolidarityError(.database, "\(path) was written by a newer version of solidarity (migration \(unknown.joined(separator: ", "))); install that version to change it.")
            } else if statuses.contains(where: { $0.state == .edited }) {
                self.writeRefusal = SolidarityError(.database, "An applied migration of \(path) differs from this binary's.", remedy: .migrationStatus)
            } else {
                self.writeRefusal = nil
            }
        } catch let error as DatabaseError {
            throw Store.explain(error, path: path)
        }
    }

    /// The same open database, writing in another's name: the coalition server opens the file once
    /// and, for each request, records its changes as made by the request's account.
    public func acting(as context: ChangeContext) -> Store {
        Store(sharing: self, context: context)
    }

    private init(sharing store: Store, context: ChangeContext) {
        path = store.path
        report = store.report
        queue = store.queue
        migrator = store.migrator
        self.context = context
        recordsHistory = store.recordsHistory
        writeRefusal = store.writeRefusal
        realPath = store.realPath
    }

    /// Reads in one consistent snapshot.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try queue.read(body) } catch let error as DatabaseError { throw Store.explain(error, path: path) }
    }

    /// Writes in one transaction: it all lands or none of it does, and what it changed is recorded
    /// in the history as one change made in this store's `context`.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        try write(bulk: false, body)
    }

    /// Writes in one transaction, recording the change in the history; a `bulk` write records
    /// the rows it creates by range (`HistoryCapture`).
    /// With `carrying`, the history a file carries is kept first (`HistoryCapture.recording`).
    private func write<T>(bulk: Bool, carrying: CarriedHistory? = nil, _ body: (Database) throws -> T) throws -> T {
        if let writeRefusal { throw writeRefusal }
        do {
            return try queue.write { db in
                guard recordsHistory else { return try body(db) }
                return try HistoryCapture.recording(context, bulk: bulk, carrying: carrying, in: db) { try body(db) }
            }
        } catch let error as DatabaseError { throw Store.explain(error, path: path) }
    }

    /// Writes in one transaction whose body records its changes in the history itself (an undo
    /// seals one change per change it undoes, with `HistoryCapture.recording`).
    func writeRecordingItself<T>(_ body: (Database) throws -> T) throws -> T {
        if let writeRefusal { throw writeRefusal }
        do { return try queue.write(body) } catch let error as DatabaseError { throw Store.explain(error, path: path) }
    }

    /// Writes in one transaction, as `write`, announcing itself as a bulk write while it holds the
    /// write lock: a command that waits for the lock meanwhile says what it waits for (`operation`,
    /// a noun phrase such as "the import of orgs.json") and waits as long as it lasts. The history
    /// lists the rows it creates by range.
    public func write<T>(announcing operation: String, _ body: (Database) throws -> T) throws -> T {
        try write(announcing: operation, carrying: nil, body)
    }

    /// `write(announcing:_:)`, keeping first the history an imported file carries, when it carries one.
    func write<T>(announcing operation: String, carrying: CarriedHistory?, _ body: (Database) throws -> T) throws -> T {
        var announcement: BulkWriter?
        // Withdrawn after the transaction has ended, so that no waiter sees the lock held unannounced.
        defer { announcement?.withdraw(for: realPath) }
        return try write(bulk: true, carrying: carrying) { db in
            announcement = BulkWriter.announce(operation, for: realPath)
            return try body(db)
        }
    }

    /// The current time as ISO-8601 UTC text, for ledgers and backups.
    public static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// Creates the file owner-only (0600), and any directory it needs owner-only (0700). Several
    /// `init` at once on one path make it once: the file is created exclusively, never replaced.
    private static func createIfMissing(path: String) throws {
        let manager = FileManager.default
        if manager.fileExists(atPath: path) { return }
        let directory = PathParts.folder(of: path)
        do {
            if !directory.isEmpty, !manager.fileExists(atPath: directory) {
                try manager.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
        } catch {
            throw SolidarityError(.database, "Cannot create the folder \(directory) for the database: \(Store.reason(error)).", remedy: .writableDatabaseLocation)
        }
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST { return }
            let reason = String(cString: strerror(errno))
            throw SolidarityError(.database, "Cannot create the database file \(path): \(reason.lowercased()).", remedy: .writableDatabaseLocation)
        }
        close(fd)
    }

    /// The real path of the database file at `path`, which must exist and be a regular file (or a
    /// symbolic link to one): a directory, a device such as /dev/null or a FIFO cannot hold a
    /// database, and SQLite would leave its journal files beside it.
    private static func databaseFile(_ path: String) throws -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT, lstat(path, &info) == 0 {
                throw SolidarityError(.database, "\(path) is a symbolic link to a file that does not exist.", remedy: .nameDatabaseFile)
            }
            if errno == ENOENT {
                throw SolidarityError(.database, "There is no database at \(path).", remedy: .createDatabase(at: path))
            }
            throw SolidarityError(.database, "Cannot use \(path): \(String(cString: strerror(errno)).lowercased()).", remedy: .checkDatabaseLocation)
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            let kind: String
            switch info.st_mode & S_IFMT {
            case S_IFDIR: kind = "a folder"
            case S_IFCHR, S_IFBLK: kind = "a device"
            case S_IFIFO: kind = "a FIFO (named pipe)"
            case S_IFSOCK: kind = "a socket"
            default: kind = "not a regular file"
            }
            throw SolidarityError(.database, "\(path) is \(kind), not a database file; nothing was changed.", remedy: .nameDatabaseFile)
        }
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The migrations' states of the database at `path`, read through a read-only connection that
    /// changes nothing (not even the journal mode), after refusing a database of another program and,
    /// unless `access` is `create`, one with no tables.
    ///
    /// A plain read-only connection to a database in WAL mode creates its -wal and -shm files when
    /// they are missing, and leaves them. So when no -wal or -journal file is beside it (no program
    /// has it open, none crashed while writing), the file is read as immutable, which makes and locks
    /// nothing; should it change meanwhile and the reading fail, it is read again the plain way.
    private static func survey(_ path: String, realPath: String, access: Access, migrator: Migrator,
                               busyMode: Database.BusyMode) throws -> [MigrationStatus] {
        let inUse = ["-wal", "-journal"].contains { FileManager.default.fileExists(atPath: realPath + $0) }
        if !inUse {
            let uri = "file:" + realPath.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "?", with: "%3f")
                .replacingOccurrences(of: "#", with: "%23") + "?immutable=1"
            do {
                return try survey(uri, named: path, access: access, migrator: migrator, busyMode: busyMode)
            } catch is DatabaseError {
                // Read again below, with locks.
            }
        }
        return try survey(path, named: path, access: access, migrator: migrator, busyMode: busyMode)
    }

    /// The survey through one read-only connection to `location` (a path or a SQLite URI).
    private static func survey(_ location: String, named path: String, access: Access, migrator: Migrator,
                               busyMode: Database.BusyMode) throws -> [MigrationStatus] {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = busyMode
        let queue = try DatabaseQueue(path: location, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
            if tables.isEmpty, access != .create {
                throw SolidarityError(.database, "\(path) is an empty database: solidarity has not set it up.", remedy: .setUpDatabase(at: path))
            }
            // Another program may keep a ledger of its own under the same name (Rails, dbmate): ours has these columns.
            let ledger = tables.contains("schema_migrations") ? Set(try db.columns(in: "schema_migrations").map(\.name)) : []
            if !tables.isEmpty, !["name", "sha256", "applied_at"].allSatisfy(ledger.contains) {
                let named = tables.prefix(3).joined(separator: ", ") + (tables.count > 3 ? "…" : "")
                throw SolidarityError(.database, "\(path) is not a solidarity database: it holds another program's tables (\(tables.count), such as \(named)) and no record of solidarity's migrations. Nothing was changed.", remedy: .checkDatabaseOrCreateElsewhere)
            }
            return try migrator.status(db)
        }
    }

    /// Whether opening applies migrations: some are pending and none is edited or unknown.
    private static func migrates(_ statuses: [MigrationStatus]) -> Bool {
        statuses.contains { $0.state == .pending } && !statuses.contains { $0.state == .edited || $0.state == .unknown }
    }

    /// Makes an existing database, and its -wal and -shm files, owner-only when other users may read
    /// or write them, as a new one is; the line saying what was done (or could not be), if anything.
    private static func makeOwnerOnly(path: String, realPath: String) -> [String] {
        var info = stat()
        guard stat(realPath, &info) == 0 else { return [] }
        let mode = info.st_mode & 0o777
        var tightened: [String] = []
        for suffix in [""] + DatabaseFiles.companionSuffixes {
            var file = stat()
            guard stat(realPath + suffix, &file) == 0, file.st_mode & 0o077 != 0 else { continue }
            guard chmod(realPath + suffix, file.st_mode & 0o700) == 0 else {
                let reason = String(cString: strerror(errno)).lowercased()
                return ["\(path + suffix) can be \(exposure(file.st_mode)) by other users (mode 0\(String(file.st_mode & 0o777, radix: 8))) and could not be made owner-only: \(reason). Its owner can run `chmod 600 \(path + suffix)`."]
            }
            tightened.append(suffix)
        }
        if tightened.contains("") {
            return ["\(path) could be \(exposure(mode)) by other users (mode 0\(String(mode, radix: 8))): made it owner-only (0\(String(mode & 0o700, radix: 8)))."]
        }
        guard !tightened.isEmpty else { return [] }
        return ["\(path)'s \(tightened.joined(separator: " and ")) file\(tightened.count > 1 ? "s" : "") could be read by other users: made owner-only, as the database is."]
    }

    /// "read", "written" or "read and written": what other users may do with a file of `mode`.
    private static func exposure(_ mode: mode_t) -> String {
        [mode & 0o044 != 0 ? "read" : nil, mode & 0o022 != 0 ? "written" : nil].compactMap { $0 }.joined(separator: " and ")
    }

    /// Copies the database next to itself, owner-only, before migrations change it. The copy is
    /// written under a hidden temporary name and renamed once complete and on disk, so that the
    /// backup's name never holds a partial copy; a failed copy is removed, and one left by a killed
    /// run is removed at the next backup beside the same database.
    private static func backUp(_ queue: DatabaseQueue, path: String, before migration: String) throws -> String {
        let stamp = Store.timestamp().replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "-", with: "")
        let folder = PathParts.folder(of: path), stem = PathParts.stem(of: PathParts.name(of: path))
        let name = "\(stem).backup-\(stamp)-before-\(PathParts.stem(of: migration)).sqlite"
        let backup = PathParts.path(of: name, in: folder)
        PartialFile.removeStale(in: folder, prefix: ".\(stem).backup-")
        let temporary = PathParts.path(of: PartialFile.name(of: name), in: folder)
        func failure(_ reason: String) -> SolidarityError {
            SolidarityError(.database, "Cannot write the backup \(backup) before migrating: \(reason). Nothing was changed; free space or permissions next to the database are needed.")
        }
        let fd = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure(String(cString: strerror(errno)).lowercased()) }
        close(fd)
        do {
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "VACUUM INTO ?", arguments: [temporary])
            }
            // VACUUM INTO does not sync what it wrote: the copy must be on disk before it is named.
            let written = open(temporary, O_RDONLY | O_CLOEXEC)
            guard written >= 0, fsync(written) == 0 else {
                let reason = String(cString: strerror(errno)).lowercased()
                if written >= 0 { close(written) }
                throw failure(reason)
            }
            close(written)
            guard rename(temporary, backup) == 0 else { throw failure(String(cString: strerror(errno)).lowercased()) }
        } catch {
            // The copy, and the journal SQLite keeps beside it while writing it.
            unlink(temporary)
            unlink(temporary + "-journal")
            if let error = error as? DatabaseError { throw failure(error.message ?? "\(error.resultCode)") }
            throw error
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
            return SolidarityError(.database, "\(path) is not a SQLite database, so solidarity cannot use it.", remedy: .checkDatabaseNewOnesWhereNoFile)
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM:
            return SolidarityError(.database, "Cannot write to \(path): the file or its folder is read-only (\(error.message ?? "SQLite refused")).", remedy: .writableDatabaseLocation)
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
