import Foundation
import SolidarityCore
import Testing

/// Commands started together, or one run under a shell that sets limits first, read to their end.
private struct Started {
    let process: Process
    let stdout: CommandLine.Drained
    let stderr: CommandLine.Drained

    /// Starts `solidarity ARGS`, or with `shell` (e.g. "ulimit -f 64"), a bash that runs it first,
    /// started with SIGXFSZ at its default (a test runner may ignore it, and a shell cannot undo that).
    init(_ arguments: [String], shell: String? = nil) throws {
        if let shell {
            process = CommandLine.process([])
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["--default-signal=XFSZ", "/bin/bash", "-c", "\(shell); exec \"$0\" \"$@\"", CommandLine.binary.path] + arguments
        } else {
            process = CommandLine.process(arguments)
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        stdout = CommandLine.Drained(out)
        stderr = CommandLine.Drained(err)
    }

    /// Waits for it to end; one still running after `deadline` seconds (a hang) is killed.
    func finish(deadline: TimeInterval = 120) -> CommandLine.Result {
        let end = Date().addingTimeInterval(deadline)
        while process.isRunning, Date() < end { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return CommandLine.Result(status: process.terminationStatus, stdout: String(decoding: stdout.data, as: UTF8.self),
                                  stderr: String(decoding: stderr.data, as: UTF8.self),
                                  signaled: process.terminationReason == .uncaughtSignal)
    }
}

extension CommandLine {
    /// The names in this test's folder, hidden ones included.
    func files() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    /// A database that the previous version left: all migrations but the newest, the Seeds as far
    /// as it could hold them, and a table of 4 MB so that its backup takes more than a few writes.
    func databaseMissingItsNewestMigration(padding: Bool = false) throws -> [Migration] {
        let older = Array(Migration.all.dropLast())
        do {
            let store = try Store(path: db, access: .create, migrator: Migrator(migrations: older))
            try Self.seedAsThePreviousVersion(store)
        }
        if padding {
            try sqlite3("""
                CREATE TABLE padding (bytes BLOB);
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
                INSERT INTO padding SELECT randomblob(4000) FROM n;
                """)
        }
        return older
    }

    /// Records in a database of the previous version's migrations what of the Seeds they hold
    /// whatever the newest migration adds: the organizations, untagged and without sources, one
    /// at a time (an import's bulk write rebuilds today's search tables, which such a database
    /// may lack), and the home.
    static func seedAsThePreviousVersion(_ store: Store) throws {
        let seeds = try Seeds.document()
        var added = Set<String>()
        var pending = seeds.organizations
        while !pending.isEmpty {
            let ready = pending.filter { $0.parent.map(added.contains) ?? true }
            for organization in ready {
                var organization = organization
                organization.campaigns = []
                organization.sources = []
                _ = try store.addOrganization(organization)
                added.insert(organization.handle)
            }
            pending.removeAll { added.contains($0.handle) }
        }
        _ = try store.setHome("ue")
    }

    /// The names of the migrations in the database's ledger, one a line.
    func ledger(_ path: String? = nil) throws -> String {
        try sqlite3("SELECT name FROM schema_migrations ORDER BY name;", database: path)
    }
}

@Suite("Opening a database: what is refused, what is tightened, who waits")
struct StoreOpeningTests {
    @Test("a database named by one letter in the current folder is created, used and backed up before a migration")
    func oneLetterName() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        /// Runs `solidarity ARGS --db x` in the test's folder.
        func runHere(_ arguments: String...) throws -> CommandLine.Result {
            let process = CommandLine.process(arguments + ["--db", "x"])
            process.currentDirectoryURL = cli.folder
            let err = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = err
            try process.run()
            let stderr = CommandLine.Drained(err)
            process.waitUntilExit()
            return CommandLine.Result(status: process.terminationStatus, stdout: "", stderr: String(decoding: stderr.data, as: UTF8.self),
                                      signaled: process.terminationReason == .uncaughtSignal)
        }
        let created = try runHere("init", "--seed", "--home", "ue")
        #expect(created.status == 0 && !created.signaled, "\(created.stderr)")
        #expect(try runHere("org", "show", "fat").status == 0)
        // The previous version's database, then a command that backs it up beside itself and migrates.
        let older = try CommandLine()
        defer { older.cleanUp() }
        _ = try older.databaseMissingItsNewestMigration()
        try FileManager.default.removeItem(atPath: cli.folder.appendingPathComponent("x").path)
        try FileManager.default.copyItem(atPath: older.db, toPath: cli.folder.appendingPathComponent("x").path)
        let migrated = try runHere("org", "show", "fat")
        #expect(migrated.status == 0 && !migrated.signaled, "\(migrated.stderr)")
        #expect(migrated.stderr.contains("Backed up x to x.backup-"))
        #expect(try cli.files().contains { $0.hasPrefix("x.backup-") && $0.hasSuffix(".sqlite") })
    }

    @Test("another program's database is refused by every command, its file unchanged to the byte, nothing made beside it")
    func anotherProgramsDatabase() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        // The third keeps a migration ledger of its own under our ledger's name, as Rails and dbmate do.
        let ownLedger = "CREATE TABLE schema_migrations (version TEXT PRIMARY KEY); INSERT INTO schema_migrations VALUES ('20240101');"
        for (journal, extra) in [("delete", ""), ("wal", ""), ("wal", ownLedger)] {
            try? FileManager.default.removeItem(atPath: cli.db)
            try cli.sqlite3("PRAGMA journal_mode = \(journal);", "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 12.5); \(extra)")
            let before = try #require(FileManager.default.contents(atPath: cli.db))
            let filesBefore = try cli.files()
            for command in [["org", "list"], ["init"], ["migrate", "--status"], ["migrate"], ["org", "add", "Sindicato Nuevo"], ["search", "x"]] {
                let result = try cli.run(command)
                #expect(result.status == 1, "\(command) with journal \(journal): \(result.stderr)")
                #expect(result.stderr.contains("is not a solidarity database") && result.stderr.contains("invoices")
                        && result.stderr.contains("Nothing was changed"), "\(command): \(result.stderr)")
                #expect(FileManager.default.contents(atPath: cli.db) == before, "\(command) with journal \(journal) changed the file")
                #expect(try cli.files() == filesBefore, "\(command) left files beside it")
            }
        }
    }

    @Test("an empty file, or a database without tables, is set up by init and refused by every other command")
    func emptyDatabase() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        let empty = cli.folder.appendingPathComponent("empty.sqlite").path
        let bare = cli.folder.appendingPathComponent("bare.sqlite").path
        #expect(FileManager.default.createFile(atPath: empty, contents: nil, attributes: [.posixPermissions: 0o600]))
        try cli.sqlite3("PRAGMA user_version = 7;", database: bare)
        #expect(chmod(bare, 0o600) == 0)
        for path in [empty, bare] {
            let before = try #require(FileManager.default.contents(atPath: path))
            for command in [["org", "list"], ["migrate"], ["org", "add", "Sindicato Nuevo"]] {
                let result = try cli.run(command, database: path)
                #expect(result.status == 1 && result.stderr.contains("empty database") && result.stderr.contains("solidarity init --db \(path)"),
                        "\(command) on \(path): \(result.stderr)")
                #expect(FileManager.default.contents(atPath: path) == before)
            }
            let made = try cli.run(["init"], database: path)
            #expect(made.status == 0, "\(made.stderr)")
            let listed = try cli.run(["migrate", "--status", "--format", "csv"], database: path)
            #expect(listed.status == 0 && !listed.stdout.contains("pending"), "\(listed.stdout)\(listed.stderr)")
            #expect(try cli.ledger(path) == Migration.all.map { $0.name + "\n" }.joined())
        }
    }

    @Test("a path that is not a regular file is refused with what it is, and nothing is made beside it; a symbolic link to a database works")
    func notARegularFile() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        let fifo = cli.folder.appendingPathComponent("pipe").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let folder = cli.folder.appendingPathComponent("folder").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        let devices = try FileManager.default.contentsOfDirectory(atPath: "/dev")
        for (path, kind) in [("/dev/null", "a device"), (fifo, "a FIFO"), (folder, "a folder")] {
            let before = try cli.files()
            for command in [["init"], ["org", "list"]] {
                let result = try Started(command + ["--db", path]).finish(deadline: 30)
                #expect(result.status == 1 && result.stderr.contains("\(path) is \(kind)"), "\(command) on \(path): \(result.stderr)")
            }
            #expect(try cli.files() == before)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: "/dev").filter { $0.hasPrefix("null-") }
                    == devices.filter { $0.hasPrefix("null-") }, "no journal beside /dev/null")

        #expect(try cli.run("init").status == 0)
        let link = cli.folder.appendingPathComponent("link.sqlite").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: cli.db)
        let added = try cli.run(["org", "add", "Sindicato Nuevo", "--acronym", "SN", "--country", "ES", "--kind", "union"], database: link)
        #expect(added.status == 0, "\(added.stderr)")
        #expect(try cli.sqlite3("SELECT count(*) FROM organizations WHERE acronym = 'SN';") == "1\n")
    }

    @Test("a database open to other users is made owner-only, and the command says so once")
    func openToOthers() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        #expect(try cli.run("init").status == 0)
        #expect(chmod(cli.db, 0o644) == 0)
        let first = try cli.run("org", "list")
        #expect(first.status == 0)
        let lines = first.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains(cli.db) && lines[0].contains("0644") && lines[0].contains("owner-only (0600)"), "\(first.stderr)")
        #expect(try FilePermissionTests.mode(cli.db) == 0o600)
        let second = try cli.run("org", "list")
        #expect(second.status == 0 && second.stderr.isEmpty, "\(second.stderr)")
    }

    @Test("six init at once on one new path all succeed, and each migration is applied once")
    func initAtOnce() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        let path = cli.folder.appendingPathComponent("new/solidarity.sqlite").path
        let started = try (0..<6).map { _ in try Started(["init", "--db", path]) }
        for result in started.map({ $0.finish() }) {
            #expect(result.status == 0, "\(result.stderr)")
        }
        #expect(try cli.ledger(path) == Migration.all.map { $0.name + "\n" }.joined())
        #expect(try cli.soundnessProblems(path).isEmpty)
        #expect(try FilePermissionTests.mode(path) == 0o600)
    }

    @Test("six commands at once on a database that misses its newest migration all succeed, after one backup")
    func migrateAtOnce() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        _ = try cli.databaseMissingItsNewestMigration()
        let started = try (0..<6).map { _ in try Started(["org", "list", "--format", "csv", "--db", cli.db]) }
        let results = started.map { $0.finish() }
        for result in results {
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("\r\nue,"))
        }
        #expect(results.filter { $0.stderr.contains("Backed up") }.count == 1, "\(results.map(\.stderr))")
        let files = try cli.files()
        #expect(files.filter { $0.contains(".backup-") }.count == 1, "\(files)")
        #expect(try cli.ledger() == Migration.all.map { $0.name + "\n" }.joined())
        #expect(try cli.soundnessProblems().isEmpty)
    }

    @Test("a migration backup killed while it is written leaves nothing under the backup's name, and the next command backs up and migrates")
    func backupKilled() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        let older = try cli.databaseMissingItsNewestMigration(padding: true)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: cli.db)[.size] as? Int)
        // A file-size limit of half the database: writing the backup past it kills the command
        // with SIGXFSZ, as a kill -9 would, in the middle of VACUUM INTO.
        let killed = try Started(["org", "list", "--db", cli.db], shell: "ulimit -f \(size / 2048)").finish()
        #expect(killed.signaled, "the limit ends the command while it writes the backup: \(killed.status) \(killed.stderr)")
        let left = try cli.files()
        #expect(left.filter { $0.contains(".backup-") && !$0.hasPrefix(".") }.isEmpty, "no backup under its own name: \(left)")
        #expect(left.filter { $0.hasPrefix(".") && $0.hasSuffix(".partial") }.count == 1, "the partial copy is hidden: \(left)")
        #expect(left.filter { $0.contains(".backup-") }.allSatisfy { $0.hasPrefix(".") }, "\(left)")
        #expect(try cli.ledger() == older.map { $0.name + "\n" }.joined(), "nothing was migrated")

        let opened = try cli.run("org", "list")
        #expect(opened.status == 0 && opened.stderr.contains("Backed up"), "\(opened.stderr)")
        let after = try cli.files()
        #expect(after.filter { $0.contains(".partial") }.isEmpty, "the killed run's partial copy is cleaned up: \(after)")
        let backups = after.filter { $0.contains(".backup-") }
        try #require(backups.count == 1, "\(after)")
        #expect(try cli.soundnessProblems(cli.folder.appendingPathComponent(backups[0]).path).isEmpty)
        #expect(try cli.ledger() == Migration.all.map { $0.name + "\n" }.joined())
    }

    @Test("a migration backup that cannot be written is removed, and nothing is migrated")
    func backupFails() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        let older = try cli.databaseMissingItsNewestMigration(padding: true)
        let before = try cli.dump()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: cli.db)[.size] as? Int)
        // With SIGXFSZ ignored, a write past the limit fails (EFBIG) instead of killing the command.
        let failed = try Started(["org", "list", "--db", cli.db], shell: "trap '' XFSZ; ulimit -f \(size / 2048)").finish()
        #expect(failed.status == 1 && failed.stderr.contains("Cannot write the backup") && failed.stderr.contains("Nothing was changed"), "\(failed.stderr)")
        let files = try cli.files()
        #expect(files.filter { $0.contains(".backup-") }.isEmpty, "\(files)")
        #expect(try cli.ledger() == older.map { $0.name + "\n" }.joined())
        #expect(try cli.dump() == before)
    }

    /// Holds the database's write lock in this process, as `store.write(announcing:)` does for an
    /// import when `operation` is given, until `release` is signalled.
    private func holdWriteLock(_ store: Store, announcing operation: String?, release: DispatchSemaphore) -> DispatchSemaphore {
        let held = DispatchSemaphore(value: 0), ended = DispatchSemaphore(value: 0)
        Thread {
            let body: (Any) -> Void = { _ in
                held.signal()
                release.wait()
            }
            if let operation {
                _ = try? store.write(announcing: operation) { body($0) }
            } else {
                _ = try? store.write { body($0) }
            }
            ended.signal()
        }.start()
        held.wait()
        return ended
    }

    @Test("a command waiting for another program's write says so once, and gives up after 10 seconds with the busy message")
    func waitsForAWriter() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        #expect(try cli.run("init").status == 0)
        let store = try Store(path: cli.db, access: .write)
        let release = DispatchSemaphore(value: 0)
        let ended = holdWriteLock(store, announcing: nil, release: release)
        let result = try cli.run("org", "add", "Sindicato Nuevo", "--acronym", "SN", "--country", "ES", "--kind", "union")
        release.signal()
        ended.wait()
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 2 && lines[0] == "Waiting for another program to finish writing to \(cli.db)…"
                && lines[1].contains("is busy") && lines[1].contains("more than 10 seconds"), "\(result.stderr)")
    }

    @Test("a command waiting for an import says what it waits for, waits past 10 seconds, and then does its work")
    func waitsForAnImport() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        #expect(try cli.run("init").status == 0)
        let store = try Store(path: cli.db, access: .write)
        let release = DispatchSemaphore(value: 0)
        let ended = holdWriteLock(store, announcing: "the import of big.json", release: release)
        let adding = try Started(["org", "add", "Sindicato Nuevo", "--acronym", "SN", "--country", "ES", "--kind", "union", "--db", cli.db])
        // Past the 10 seconds after which a command waiting for any other writer gives up.
        Thread.sleep(forTimeInterval: 12)
        let stillWaiting = adding.process.isRunning
        release.signal()
        ended.wait()
        let result = adding.finish()
        #expect(stillWaiting, "it still waits after 12 seconds")
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("Waiting for the import of big.json (process \(getpid()), writing since ")
                && lines[0].hasSuffix(") to finish writing to \(cli.db)…"), "\(result.stderr)")
        #expect(try cli.sqlite3("SELECT count(*) FROM organizations WHERE acronym = 'SN';") == "1\n")
        #expect(!FileManager.default.fileExists(atPath: cli.db + "-writer"), "the announcement is withdrawn after the write")
    }
}
