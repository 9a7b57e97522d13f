import Foundation
import SolidarityCore
import SolidarityTestSupport
import Testing

// Fault tests: the built binary under SIGKILL, concurrent processes, sensitive records on their
// way out, and the permissions of what it writes. The database is always checked by the
// independent `sqlite3` shell. The bad-input corpus is in BadInputCorpusTests.swift.

/// A seeded generator (SplitMix64): a run's random choices replay from its printed seed.
struct SeededGenerator: RandomNumberGenerator {
    let seed: UInt64
    private var state: UInt64

    /// The seed in `SOLIDARITY_FAULT_SEED` when set (to replay a run), else a new one; printed either way.
    init(printingFor test: String) {
        let given = ProcessInfo.processInfo.environment["SOLIDARITY_FAULT_SEED"].flatMap { UInt64($0) }
        seed = given ?? UInt64.random(in: 1...UInt64(UInt32.max))
        state = seed
        print("\(test): random seed \(seed) (replay with SOLIDARITY_FAULT_SEED=\(seed))")
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension CommandLine {
    /// Folds the write-ahead log into the database file, so that its bytes are the whole database.
    func checkpoint(_ path: String? = nil) throws {
        try sqlite3("PRAGMA wal_checkpoint(TRUNCATE);", database: path)
    }

    /// `PRAGMA integrity_check` and `PRAGMA foreign_key_check` by the sqlite3 shell, and each
    /// full-text index's own integrity check: empty when the database is sound.
    func soundnessProblems(_ path: String? = nil) throws -> [String] {
        var problems: [String] = []
        let integrity = try sqlite3("PRAGMA integrity_check;", database: path).trimmingCharacters(in: .whitespacesAndNewlines)
        if integrity != "ok" { problems.append("integrity_check: \(integrity)") }
        let keys = try sqlite3("PRAGMA foreign_key_check;", database: path)
        if !keys.isEmpty { problems.append("foreign_key_check: \(keys)") }
        let indexes = try sqlite3("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE % USING fts5%' ORDER BY name;", database: path)
            .split(separator: "\n").map(String.init)
        if indexes.isEmpty { problems.append("no full-text index found") }
        for index in indexes {
            // Prints nothing when the index is consistent; an error (a failure of sqlite3) otherwise.
            try sqlite3("INSERT INTO \(index)(\(index)) VALUES('integrity-check');", database: path)
        }
        return problems
    }

    /// Row counts of `tables`, by the sqlite3 shell.
    func counts(_ tables: [String], _ path: String? = nil) throws -> [String: Int] {
        let sql = "SELECT " + tables.map { "(SELECT count(*) FROM \($0))" }.joined(separator: ", ") + ";"
        let values = try sqlite3(sql, database: path).trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|").map { Int($0) ?? -1 }
        return Dictionary(uniqueKeysWithValues: zip(tables, values))
    }

    /// Replaces the database by `source`'s bytes, with no write-ahead log beside it.
    func restore(_ source: String, to path: String? = nil) throws {
        let target = path ?? db
        for file in [target, target + "-wal", target + "-shm"] { try? FileManager.default.removeItem(atPath: file) }
        try FileManager.default.copyItem(atPath: source, toPath: target)
    }
}

/// A large interchange file, built here: organizations in parent chains with aliases and notes,
/// a person with a title at each, relationships, and activities with roles, stops and follow-ups.
enum LargeImport {
    /// Records of each kind. 4 × 500 records (plus as many aliases, titles, roles, stops and
    /// follow-ups) take a debug build some seconds to import: long enough to be killed mid-way,
    /// and the transaction outgrows SQLite's page cache, so it spills into the WAL before commit.
    static let count = 500

    /// The tables an import of this file adds rows to, and how many rows it adds to each.
    static let added: [String: Int] = [
        "organizations": count, "organization_aliases": count, "organization_search": count,
        "people": count, "person_titles": count, "person_search": count,
        "relationships": count,
        "activities": count, "activity_organizations": 2 * count, "activity_people": count,
        "activity_stops": count, "follow_ups": count, "activity_search": count,
    ]

    /// 10 characters of lowercase base32, as the tool's ids are.
    static func id(_ prefix: Character, _ n: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
        var value = n, text = String(prefix)
        for _ in 0..<9 { text.append(alphabet[value % 32]); value /= 32 }
        return text
    }

    static func document() throws -> Data {
        let notes = String(repeating: "Minutes of a meeting on the shop floor and the joint statement that followed. ", count: 20)
        var organizations: [[String: Any]] = [], people: [[String: Any]] = [], relationships: [[String: Any]] = [], activities: [[String: Any]] = []
        for i in 0..<count {
            let org = "gen-union-\(i)", person = "gen-person-\(i)"
            organizations.append([
                "handle": org, "name": "Generated Metalworkers Union \(i)", "acronym": "GMU\(i)", "kind": i % 10 == 0 ? "union" : "local",
                "parent": i % 10 == 0 ? NSNull() : "gen-union-\(i - i % 10)" as Any, "country": "MX", "region": NSNull(), "city": "Monterrey",
                "native_name": "Sindicato Metalúrgico Generado \(i)", "native_name_lang": "es",
                "aliases": [["name": "Metalúrgicos \(i)", "lang": "es"]], "campaigns": [], "members": 100 + i, "members_as_of": "2024",
                "website": NSNull(), "notes": notes, "sensitive": false, "sources": [],
            ])
            people.append([
                "handle": person, "name": "Generated Delegate \(i)", "email": "delegate\(i)@example.org", "phone": NSNull(),
                "languages": ["es"], "secure_messaging": NSNull(), "notes": NSNull(), "sensitive": false, "sources": [],
                "titles": [["organization": org, "title": "Steward", "since": "2020", "until": NSNull()]],
            ])
            relationships.append([
                "from": org, "to": "ue", "kind": "ally", "status": "active", "since": "2021", "until": NSNull(), "notes": NSNull(), "sources": [],
            ])
            activities.append([
                "id": id("g", i), "kind": "meeting", "title": "Generated shop-floor meeting \(i)", "status": "done", "hosted": false, "virtual": false,
                "start": "2024-05", "end": NSNull(), "itinerary": [["country": "MX", "city": "Monterrey"]],
                "organizations": [["organization": org, "role": "participant"], ["organization": "ue", "role": "sender"]],
                "people": [["person": person, "role": "delegate"]], "employers": [], "campaigns": [],
                "purpose": "Compare contracts", "outcomes": NSNull(), "notes": notes,
                "follow_ups": [["id": id("f", i), "text": "Send the minutes", "due": "2024-06", "done": NSNull()]],
                "sensitive": false, "sources": [],
            ])
        }
        let document: [String: Any] = [
            "format": "solidarity/1", "home": NSNull(), "includes_sensitive": false, "sources": [], "campaigns": [],
            "organizations": organizations, "people": people, "relationships": relationships, "employers": [], "sites": [],
            "activities": activities, "conventions": [], "resolutions": [],
        ]
        return try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])
    }
}

@Suite("Crash safety: an import killed with SIGKILL")
struct CrashSafetyTests {
    @Test("an import killed at 20 random moments leaves a sound database with all of the import or none of it",
          .timeLimit(.minutes(10)))
    func killedImport() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        try #require(try cli.run("init", "--seed", "--home", "ue").status == 0)
        try cli.checkpoint()
        let pristine = cli.folder.appendingPathComponent("pristine.sqlite").path
        try FileManager.default.copyItem(atPath: cli.db, toPath: pristine)
        let file = cli.folder.appendingPathComponent("large.json")
        try LargeImport.document().write(to: file)

        let tables = LargeImport.added.keys.sorted()
        let none = try cli.counts(tables)
        let all = none.merging(LargeImport.added) { $0 + $1 }

        // One import left to finish: what "all" is, and how long the import takes.
        let started = Date()
        let complete = try cli.run("import", file.path)
        let duration = Date().timeIntervalSince(started)
        try #require(complete.status == 0, "\(complete.stderr)")
        try #require(try cli.counts(tables) == all, "a finished import adds every record")
        print("killedImport: the import of \(LargeImport.added.values.reduce(0, +)) rows takes \(String(format: "%.2f", duration)) s uninterrupted")

        var random = SeededGenerator(printingFor: "killedImport")
        var outcomes: [String] = []
        for round in 1...20 {
            try cli.restore(pristine)
            let delay = Double.random(in: 0..<duration, using: &random)
            // Under a permissive umask: the WAL and shared-memory files it leaves must be owner-only too.
            let process = CommandLine.process(["import", file.path, "--db", cli.db], umask: 0)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            let killed = process.terminationReason == .uncaughtSignal
            #expect(killed || process.terminationStatus == 0, "round \(round): the import exited \(process.terminationStatus)")

            for file in [cli.db, cli.db + "-wal", cli.db + "-shm"] where FileManager.default.fileExists(atPath: file) {
                #expect(try FilePermissionTests.mode(file) == 0o600, "round \(round): \(file)")
            }
            let problems = try cli.soundnessProblems()
            #expect(problems.isEmpty, "round \(round), killed after \(delay) s: \(problems)")
            let counts = try cli.counts(tables)
            let outcome = counts == all ? "all" : counts == none ? "none" : "PART"
            #expect(outcome != "PART", "round \(round), killed after \(delay) s: part of the import is in the database: \(counts)")
            outcomes.append("\(String(format: "%.2f", delay)) s \(killed ? "killed" : "finished"): \(outcome)")
        }
        print("killedImport: " + outcomes.joined(separator: "; "))

        // The last killed database is still the tool's: the same import runs to the end on it.
        let again = try cli.run("import", file.path)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try cli.counts(tables) == all)
    }
}

/// What concurrent processes did, gathered across threads.
final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(String, CommandLine.Result)] = []
    private var failures: [String] = []
    private var writersLeft: Int

    init(writers: Int) { writersLeft = writers }

    func record(_ label: String, _ result: CommandLine.Result) { lock.withLock { entries.append((label, result)) } }
    func fail(_ message: String) { lock.withLock { failures.append(message) } }
    func writerFinished() { lock.withLock { writersLeft -= 1 } }
    var writing: Bool { lock.withLock { writersLeft > 0 } }
    var results: [(label: String, result: CommandLine.Result)] { lock.withLock { entries } }
    var errors: [String] { lock.withLock { failures } }
}

@Suite("Concurrency: processes writing and reading one database at once")
struct ConcurrencyTests {
    static let writes = 300

    @Test("two writers of 300 organizations each and a reader at the same time: every command succeeds, no write is lost",
          .timeLimit(.minutes(10)))
    func writersAndReader() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        try #require(try cli.run("init", "--seed", "--home", "ue").status == 0)
        let tally = Tally(writers: 2)
        let finished = DispatchGroup()
        // Both writers add "Concurrent Union i": the second of each pair must see the first to
        // take a handle with its country, so a write that does not wait its turn shows.
        for country in ["MX", "BR"] {
            finished.enter()
            Thread {
                defer { tally.writerFinished(); finished.leave() }
                for i in 0..<Self.writes {
                    do {
                        tally.record("org add Concurrent Union \(i) --country \(country)",
                                     try cli.run("org", "add", "Concurrent Union \(i)", "--country", country, "--parent", "ue"))
                    } catch { tally.fail("\(country) \(i): \(error)") }
                }
            }.start()
        }
        finished.enter()
        Thread {
            defer { finished.leave() }
            while tally.writing {
                do { tally.record("org list", try cli.run("org", "list", "--parent", "ue", "--format", "csv")) } catch { tally.fail("reader: \(error)") }
                Thread.sleep(forTimeInterval: 0.25)  // a reader in a loop, leaving the writers most of the two cores
            }
        }.start()
        finished.wait()

        #expect(tally.errors.isEmpty, "\(tally.errors)")
        let results = tally.results
        let reads = results.filter { $0.label == "org list" }
        print("writersAndReader: \(results.count - reads.count) writes and \(reads.count) listings ran at once")
        #expect(results.count - reads.count == 2 * Self.writes)
        #expect(reads.count >= 2, "the reader ran while the writers wrote")
        for (label, result) in results {
            #expect(result.status == 0 && result.stderr.isEmpty, "\(label): exit \(result.status): \(result.stderr)")
            let said = result.stderr.lowercased()
            #expect(!said.contains("locked") && !said.contains("busy"), "\(label): \(result.stderr)")
        }
        // Each listing is a consistent snapshot: the organizations only ever grow in number.
        let seen = reads.map { $0.result.stdout.components(separatedBy: ",Concurrent Union ").count - 1 }
        #expect(seen == seen.sorted(), "listings went back in time: \(seen)")

        #expect(try cli.soundnessProblems().isEmpty)
        let written = try cli.sqlite3("""
            SELECT country, count(*), count(DISTINCT handle), count(DISTINCT name) FROM organizations
            WHERE name LIKE 'Concurrent Union %' GROUP BY country ORDER BY country;
            """)
        #expect(written == "BR|\(Self.writes)|\(Self.writes)|\(Self.writes)\nMX|\(Self.writes)|\(Self.writes)|\(Self.writes)\n")
        let found = try cli.sqlite3("SELECT count(*) FROM organization_search WHERE organization_search MATCH 'concurrent';")
        #expect(found == "\(2 * Self.writes)\n", "the search index kept up with every write")
        #expect(try cli.run("search", "Concurrent", "Union", "299", "--format", "csv").stdout.components(separatedBy: "\r\n").count == 4)
    }
}

@Suite("Sensitive records never leave the machine without --include-sensitive")
struct SensitiveDataTests {
    /// What identifies the sensitive records: names, handles, acronym, alias, email, phone, ids, and
    /// words only their texts hold. None may appear in what leaves the machine without the flag.
    static let secrets = ["Clandestino", "sclandestino", "Clandestinos", "Ximena", "oculta", "555 0199",
                          "Reservada", "Proteger a los contactos", "Llamada discreta"]

    static func leaks(_ text: String, ids: [String]) -> [String] {
        (secrets + ids).filter { text.range(of: $0, options: .caseInsensitive) != nil }
    }

    @Test("export, appendix, calendar and graph leave them out unless asked; webhook payloads never carry them",
          .timeLimit(.minutes(3)))
    func leftOut() throws {
        let receiver = try Receiver()
        defer { receiver.stop() }
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        try #require(try cli.run("init", "--seed", "--home", "ue").status == 0)
        try #require(try cli.run("webhook", "add", receiver.url, "--description", "partner tracker").status == 0)

        @discardableResult
        func run(_ arguments: String...) throws -> CommandLine.Result {
            let result = try cli.run(arguments)
            #expect(result.status == 0, "\(arguments.joined(separator: " ")): \(result.stderr)")
            return result
        }
        /// The id in "Logged delegation ID: title".
        func id(_ result: CommandLine.Result) -> String {
            result.stdout.split(separator: " ").dropFirst(2).first.map { String($0.dropLast()) } ?? "?"
        }
        // A sensitive union with a local of its own, a sensitive contact there, and a public one.
        try run("org", "add", "Sindicato Clandestino de Prueba", "--acronym", "SCLANDESTINO", "--country", "CO", "--city", "Cali",
                "--alias", "Clandestinos@es", "--notes", "Proteger a los contactos", "--sensitive")
        try run("org", "add", "Seccional Norte", "--kind", "local", "--parent", "sclandestino", "--country", "CO")
        try run("person", "add", "Ximena Oculta", "--org", "sclandestino", "--title", "Secretaria", "--email", "ximena.oculta@example.org",
                "--phone", "+57 2 555 0199", "--sensitive")
        try run("person", "add", "Pablo Visible", "--org", "sclandestino", "--title", "Enlace")
        try run("person", "edit", "pablo-visible", "--org", "ue", "--title", "Interpreter")
        // Links from public records to it: a relationship, a representation, a clause, activity roles.
        try run("relate", "ue", "sclandestino", "--kind", "ally", "--status", "close", "--since", "2023")
        try run("relationship", "end", "ue", "sclandestino", "--kind", "ally", "--on", "2025-01")
        try run("site", "add", "Wabtec Yumbo", "--employer", "wabtec", "--country", "CO", "--city", "Yumbo", "--union", "sclandestino")
        try run("site", "represent", "Wabtec Yumbo", "sclandestino", "--since", "2022", "--until", "2025")
        try run("resolution", "link", "ue-79-international-solidarity", "sclandestino", "--clause", "4")
        // Sensitive activities, and a public one that met the sensitive union and contact.
        let secret = id(try run("delegation", "log", "--title", "Reunion reservada en Cali", "--to", "CO", "--city", "Cali", "--start", "2024-06",
                                "--host", "sclandestino", "--delegate", "ximena-oculta", "--purpose", "Proteger a los contactos", "--sensitive"))
        try run("delegation", "edit", secret, "--outcome", "Reservada: acuerdos de seguridad", "--status", "done")
        let call = id(try run("activity", "log", "--kind", "call", "--title", "Llamada discreta", "--start", "2024-09-03",
                              "--participant", "sclandestino", "--sensitive"))
        let visible = try run("delegation", "log", "--title", "Public delegation to Colombia", "--to", "CO", "--city", "Bogota", "--start", "2024-07",
                              "--met", "sclandestino", "--delegate", "ximena-oculta", "--delegate", "janet-gray", "--follow-up", "Write the report",
                              "--due", "2024-08")
        #expect(visible.stdout.contains("Public delegation"))
        try run("org", "edit", "sclandestino", "--members", "1200")
        try run("person", "edit", "ximena-oculta", "--phone", "+57 2 555 0199 ext 2")
        let ids = [secret, call]
        #expect(!ids.contains("?"))

        // What leaves the machine without the flag: nothing of them, and a note of what was left out.
        let appendix = ["appendix", "ue-79-international-solidarity", "--since", "2023-09"]
        let outbound: [[String]] = [
            ["export"], appendix, appendix + ["--format", "html"], ["calendar"],
            ["graph"], ["graph", "--format", "mermaid"], ["graph", "--org", "ue"], ["graph", "--org", "ue", "--format", "mermaid"],
            ["graph", "--employer", "wabtec"], ["graph", "--employer", "wabtec", "--format", "mermaid"],
        ]
        for arguments in outbound {
            let plain = try cli.run(arguments)
            #expect(plain.status == 0, "\(arguments): \(plain.stderr)")
            #expect(plain.stdout.count > 200, "\(arguments) printed its document")
            #expect(Self.leaks(plain.stdout, ids: ids).isEmpty, "\(arguments.joined(separator: " ")) shows \(Self.leaks(plain.stdout, ids: ids))")
            #expect(plain.stderr.contains("Left out"), "\(arguments): \(plain.stderr)")

            let flagged = try cli.run(arguments + ["--include-sensitive"])
            #expect(flagged.status == 0, "\(arguments) --include-sensitive: \(flagged.stderr)")
            #expect(flagged.stdout.range(of: "Clandestino", options: .caseInsensitive) != nil, "\(arguments) --include-sensitive shows them")
            #expect(flagged.stderr.contains("marked sensitive"), "\(arguments) --include-sensitive says so: \(flagged.stderr)")
        }
        // With the flag, everything of them is there.
        let everything = try cli.run("export", "--include-sensitive").stdout
        let missing = (Self.secrets + ids).filter { everything.range(of: $0, options: .caseInsensitive) == nil }
        #expect(missing.isEmpty, "export --include-sensitive lacks \(missing)")
        // Their history never leaves, with the flag or without: what it carries of them is erased, digests kept.
        let changes = try cli.run("history", "--format", "csv").stdout.split(separator: "\r\n").count - 1
        #expect(changes > 15)
        for arguments in [["export", "--with-history"], ["export", "--with-history", "--include-sensitive"]] {
            let carried = try cli.run(arguments)
            #expect(carried.status == 0, "\(arguments): \(carried.stderr)")
            let history = try #require(carried.stdout.range(of: "\n  \"history\" : [").map { String(carried.stdout[$0.lowerBound...]) })
            #expect(history.components(separatedBy: "\"operation\"").count == changes + 1, "every change is carried")
            #expect(Self.leaks(history, ids: ids).isEmpty, "\(arguments.joined(separator: " ")) carries \(Self.leaks(history, ids: ids))")
            #expect(carried.stderr.contains("erased the values of "), "\(arguments): \(carried.stderr)")
        }
        let calendar = try cli.run("calendar", "--include-sensitive").stdout
        #expect(calendar.contains("Reunion reservada en Cali") && calendar.contains("Llamada discreta"))
        let html = try cli.run(appendix + ["--format", "html", "--include-sensitive"]).stdout
        #expect(html.contains("Sindicato Clandestino de Prueba") && html.contains("Reunion reservada en Cali"))

        // Webhooks: no flag at all. What the receiver got and what waits in the outbox.
        #expect(try cli.run("webhook", "deliver").status == 0)
        let requests = try receiver.requests()
        #expect(requests.count >= 5, "the public changes were announced: \(requests.map(\.type))")
        for request in requests {
            #expect(Self.leaks(request.body, ids: ids).isEmpty, "\(request.type) carries \(Self.leaks(request.body, ids: ids)): \(request.body)")
        }
        let outbox = try cli.sqlite3("SELECT type || ' ' || payload FROM outbox_events ORDER BY id;")
        for event in outbox.split(separator: "\n") {
            #expect(Self.leaks(String(event), ids: ids).isEmpty, "outbox: \(event)")
        }
        #expect(outbox.contains("delegation.logged") && outbox.contains("Public delegation to Colombia"))
    }
}

@Suite("Files the tool writes are owner-only")
struct FilePermissionTests {
    static func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test("under a permissive umask, the database, the folders made for it and the files written are owner-only")
    func ownerOnly() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        let db = cli.folder.appendingPathComponent("union/international/intl.sqlite").path
        let created = try cli.run(["init", "--seed", "--home", "ue"], database: db, umask: 0)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(try cli.run(["org", "add", "Sindicato Nuevo", "--country", "MX"], database: db, umask: 0).status == 0)
        #expect(try Self.mode(db) == 0o600)
        // (The WAL and shared-memory files exist while a command runs: the crash test checks them.)
        #expect(try Self.mode(cli.folder.appendingPathComponent("union/international").path) == 0o700)
        #expect(try Self.mode(cli.folder.appendingPathComponent("union").path) == 0o700)
        let outputs: [(String, [String])] = [
            ("export.json", ["export"]), ("calendar.ics", ["calendar"]),
            ("appendix.md", ["appendix", "ue-79-international-solidarity"]),
            ("appendix.html", ["appendix", "ue-79-international-solidarity", "--format", "html"]),
        ]
        for (name, arguments) in outputs {
            let path = cli.folder.appendingPathComponent(name).path
            let written = try cli.run(arguments + ["--output", path], database: db, umask: 0)
            #expect(written.status == 0, "\(arguments): \(written.stderr)")
            #expect(try Self.mode(path) == 0o600, "\(name)")
        }
    }

    @Test("opening a database that misses the newest migration backs it up first: owner-only, sound, holding the data as it was")
    func migrationBackup() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        let older = Array(Migration.all.dropLast())
        try #require(!older.isEmpty)
        let newest = try #require(Migration.all.last).name
        do {
            // The database as the previous version left it: its migrations, the Seeds, a home.
            let store = try Store(path: cli.db, access: .create, migrator: Migrator(migrations: older))
            try CommandLine.seedAsThePreviousVersion(store)
        }
        let before = try cli.dump()
        let ledger = "SELECT name FROM schema_migrations ORDER BY name;"
        #expect(try cli.sqlite3(ledger) == older.map { $0.name + "\n" }.joined())

        let opened = try cli.run(["org", "list", "--format", "csv"], umask: 0)
        #expect(opened.status == 0, "\(opened.stderr)")
        #expect(opened.stdout.contains("\r\nue,"), "the data is there after migrating")
        let lines = opened.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("Backed up") && lines[0].contains(newest), "\(opened.stderr)")

        let folder = try FileManager.default.contentsOfDirectory(atPath: cli.folder.path)
        let backups = folder.filter { $0.contains(".backup-") && $0.hasSuffix(".sqlite") }
        try #require(backups.count == 1, "\(folder)")
        let backup = cli.folder.appendingPathComponent(backups[0]).path
        #expect(opened.stderr.contains(backup))
        #expect(try FilePermissionTests.mode(backup) == 0o600)
        #expect(try FilePermissionTests.mode(cli.db) == 0o600)
        #expect(try cli.soundnessProblems(backup).isEmpty)
        // The same statements (VACUUM INTO may reorder how .dump lists the full-text tables).
        #expect(try cli.dump(backup).split(separator: "\n").sorted() == before.split(separator: "\n").sorted(),
                "the backup holds the database as it was before the migration")
        #expect(try cli.sqlite3(ledger, database: backup) == older.map { $0.name + "\n" }.joined())
        #expect(try cli.sqlite3(ledger) == Migration.all.map { $0.name + "\n" }.joined())

        let again = try cli.run("org", "list")
        #expect(again.status == 0 && again.stderr.isEmpty, "no second backup: \(again.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.folder.path).filter { $0.contains(".backup-") }.count == 1)
    }
}
