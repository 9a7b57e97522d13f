import Foundation
import Testing

// `export --with-history` and the `import` that keeps it, as a staffer moving to a new database types them.

@Suite("Carrying the history to another database")
struct CarriedHistoryCommandTests {
    @discardableResult
    static func run(_ cli: CommandLine, _ arguments: String..., database: String? = nil) throws -> CommandLine.Result {
        let result = try cli.run(arguments, database: database, environment: ["USER": "maria"])
        try #require(result.status == 0, "\(arguments.joined(separator: " ")): \(result.stderr)")
        return result
    }

    /// A seeded database where an organization is added and edited, a sensitive person added with
    /// a title at it and edited, and a relationship recorded; its export with the history.
    private func moving() throws -> (cli: CommandLine, file: String) {
        let cli = try CommandLine.inProcess()
        try Self.run(cli, "init", "--seed", "--home", "ue")
        try Self.run(cli, "org", "add", "Frente Nuevo", "--handle", "fn", "--kind", "union", "--country", "MX", "--alias", "FN@es")
        try Self.run(cli, "org", "edit", "fn", "--city", "Puebla")
        try Self.run(cli, "person", "add", "Ana Secreta Robles", "--email", "ana.secreta@example.org", "--phone", "+52 55 8765 4321",
                     "--org", "fn", "--title", "Shop Floor Contact", "--sensitive")
        try Self.run(cli, "person", "edit", "ana-secreta-robles", "--notes", "Meets us at the Tlaxcala gate")
        try Self.run(cli, "relate", "fn", "ue", "--kind", "ally")
        let file = cli.folder.appendingPathComponent("moving.json").path
        let export = try Self.run(cli, "export", "--with-history", "--output", file)
        #expect(export.stderr.contains("With the history: 6 changes; "))
        return (cli, file)
    }

    /// A new database beside the test's, made with `init`.
    private func newDatabase(_ cli: CommandLine, _ name: String, seed: Bool = false) throws -> String {
        let path = cli.folder.appendingPathComponent(name).path
        if seed { try Self.run(cli, "init", "--seed", "--home", "ue", database: path) } else { try Self.run(cli, "init", database: path) }
        return path
    }

    /// The numbers of the changes `history` marks sensitive.
    private func sensitiveChanges(_ cli: CommandLine, database: String? = nil) throws -> Set<String> {
        let csv = try Self.run(cli, "history", "--format", "csv", database: database).stdout
        return Set(csv.split(separator: "\r\n").dropFirst().filter { $0.hasSuffix(",true") }.map { String($0.prefix { $0 != "," }) })
    }

    @Test("export --with-history then import into a new database: the same changes, each shown alike, the chain verifies, the import follows")
    func roundTrip() throws {
        let (cli, file) = try moving()
        defer { cli.cleanUp() }
        let copy = try newDatabase(cli, "copy.sqlite")
        let imported = try Self.run(cli, "import", file, database: copy)
        #expect(imported.stdout.hasSuffix("Kept the history it carries: 6 changes, then this import as change 7.\n"))

        let sensitive = try sensitiveChanges(cli)
        #expect(sensitive == ["4", "5"])
        #expect(try sensitiveChanges(cli, database: copy) == ["4", "5"])
        let original = try Self.run(cli, "history", "--format", "csv").stdout.split(separator: "\r\n").dropFirst()
        let kept = try Self.run(cli, "history", "--format", "csv", database: copy).stdout.split(separator: "\r\n").dropFirst()
        #expect(kept.first?.hasPrefix("7,") == true && kept.first?.contains(",maria,import,") == true)
        #expect(Array(kept.dropFirst()).filter { !sensitive.contains(String($0.prefix { $0 != "," })) }
            == original.filter { !sensitive.contains(String($0.prefix { $0 != "," })) })
        for change in 1...6 where !sensitive.contains(String(change)) {
            #expect(try Self.run(cli, "history", "show", String(change)).stdout
                == Self.run(cli, "history", "show", String(change), database: copy).stdout)
        }
        // The sensitive person's changes came erased: shown as such, the rest of the change as it was.
        let added = try Self.run(cli, "history", "show", "4", database: copy).stdout
        #expect(!added.contains("Command:"))
        #expect(added.contains("created person (erased) [sensitive] (people row"))
        #expect(!added.contains("Ana") && !added.contains("8765"))

        #expect(try Self.run(cli, "history", "verify", database: copy).stdout == "The history verifies: 7 changes, each following the one before.\n")
        // The import is recorded after the kept changes, and a later write after it.
        try Self.run(cli, "org", "edit", "fn", "--city", "Tlaxcala", database: copy)
        #expect(try Self.run(cli, "history", "verify", database: copy).stdout == "The history verifies: 8 changes, each following the one before.\n")
    }

    @Test("what the export carries of a sensitive person's history holds none of their values, only digests; the import still verifies")
    func sensitivePerson() throws {
        let (cli, file) = try moving()
        defer { cli.cleanUp() }
        let secrets = ["Ana Secreta", "ana-secreta", "ana.secreta@example.org", "8765 4321", "Tlaxcala gate", "Shop Floor Contact"]
        let text = try String(contentsOfFile: file, encoding: .utf8)
        for secret in secrets { #expect(!text.contains(secret), "the export names \(secret)") }
        let json = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let history = try #require(json["history"] as? [[String: Any]])
        #expect(history.map { $0["id"] as? Int } == [1, 2, 3, 4, 5, 6])
        // The change that added the person: its command line erased, each of its values erased with its digest kept.
        let added = history[3]
        let arguments = try #require(added["arguments"] as? [String: Any])
        #expect(arguments["value"] is NSNull && arguments["salt"] is NSNull && (arguments["digest"] as? String)?.count == 64)
        let records = try #require(added["records"] as? [[String: Any]])
        let person = try #require(records.first { $0["table"] as? String == "people" })
        let fields = try #require(person["fields"] as? [[String: Any]])
        #expect(fields.count > 5)
        for field in fields {
            let after = try #require(field["after"] as? [String: Any])
            #expect(after["value"] is NSNull && (after["digest"] as? String)?.count == 64)
        }
        // Not even with the sensitive records: their history never leaves the machine.
        let everything = cli.folder.appendingPathComponent("everything.json").path
        try Self.run(cli, "export", "--with-history", "--include-sensitive", "--output", everything)
        let whole = try String(contentsOfFile: everything, encoding: .utf8)
        #expect(whole.contains("ana.secreta@example.org"))
        let carried = try #require(whole.range(of: "\n  \"history\" : [")).upperBound
        for secret in secrets { #expect(!whole[carried...].contains(secret), "the history names \(secret)") }

        let copy = try newDatabase(cli, "copy.sqlite")
        try Self.run(cli, "import", everything, database: copy)
        #expect(try Self.run(cli, "history", "verify", database: copy).stdout == "The history verifies: 7 changes, each following the one before.\n")
    }

    @Test("a database with a history of its own refuses a file that carries one, writing nothing; --without-history imports the records")
    func refusedWhereAHistoryIs() throws {
        let (cli, file) = try moving()
        defer { cli.cleanUp() }
        let seeded = try newDatabase(cli, "seeded.sqlite", seed: true)
        let before = try Self.run(cli, "history", "--format", "csv", database: seeded).stdout
        let bytes = FileManager.default.contents(atPath: seeded)
        let refused = try cli.run("import", file, database: seeded)
        #expect(refused.status == 1)
        #expect(refused.stderr == """
            Error: \(file) carries a history of changes, and this database has one of its own (1 change): a history can only be kept \
            by a database that has none; nothing was imported. Import it into a new database made with `solidarity init --db NEWPATH` \
            (without --seed), or give --without-history to import the records alone.

            """)
        #expect(FileManager.default.contents(atPath: seeded) == bytes)

        let records = try Self.run(cli, "import", file, "--without-history", database: seeded)
        #expect(records.stdout.hasPrefix("Imported \(file): "))
        #expect(!records.stdout.contains("Kept the history"))
        let after = try Self.run(cli, "history", "--format", "csv", database: seeded).stdout
        #expect(after.split(separator: "\r\n").count == before.split(separator: "\r\n").count + 1)
        #expect(try Self.run(cli, "org", "show", "fn", database: seeded).stdout.contains("Puebla"))
        #expect(try cli.run("import", "--csv", file, "--as", "people", "--without-history", database: seeded).status == 64)
    }

    @Test("an imported change cannot be undone; the import itself can, and history REF lists only this database's changes")
    func undoAndRecordListing() throws {
        let (cli, file) = try moving()
        defer { cli.cleanUp() }
        let copy = try newDatabase(cli, "copy.sqlite")
        try Self.run(cli, "import", file, database: copy)
        let bytes = FileManager.default.contents(atPath: copy)
        let refused = try cli.run("undo", "3", database: copy)
        #expect(refused.status == 1)
        #expect(refused.stderr == """
            Error: Change 3 came with the history imported by change 7: its records had other row ids in the database it was recorded \
            in, so it cannot be undone here. Undoing change 7 removes what that import brought.

            """)
        #expect(FileManager.default.contents(atPath: copy) == bytes)

        // Of one record: the changes recorded here only (the import); the whole listing has them all.
        let ofRecord = try Self.run(cli, "history", "fn", "--format", "csv", database: copy).stdout.split(separator: "\r\n").dropFirst()
        #expect(ofRecord.map { String($0.prefix { $0 != "," }) } == ["7"])
        #expect(try Self.run(cli, "history", "fn", "--format", "csv").stdout.split(separator: "\r\n").count == 5)

        let undone = try Self.run(cli, "undo", database: copy)
        #expect(undone.stdout.hasPrefix("Undid change 7 (import: "))
        #expect(undone.stdout.contains(" as change 8: "))
        #expect(try cli.run("org", "show", "fn", database: copy).status == 1)
        #expect(try Self.run(cli, "history", "verify", database: copy).stdout == "The history verifies: 8 changes, each following the one before.\n")
    }

    @Test("a history edited in the file is kept as it is, and history verify names the first change that does not match")
    func tampered() throws {
        let (cli, file) = try moving()
        defer { cli.cleanUp() }
        let text = try String(contentsOfFile: file, encoding: .utf8)
        // An edited value: the city the third change recorded.
        let edited = text.replacingOccurrences(of: "\"value\" : \"\\\"Puebla\\\"\"", with: "\"value\" : \"\\\"Tlaxcala\\\"\"")
        #expect(edited != text)
        // A changed field: the name of the field the third change recorded (the second recorded it too, null).
        let third = try #require(text.range(of: "\"id\" : 3,"))
        let field = try #require(text.range(of: "\"name\" : \"city\"", range: third.upperBound..<text.endIndex))
        let renamed = text.replacingCharacters(in: field, with: "\"name\" : \"region\"")
        for (name, tampered, why) in [("edited.json", edited, "no longer matches its digest: it was edited"),
                                      ("renamed.json", renamed, "its recorded content no longer gives its hash: it was edited")] {
            let path = cli.folder.appendingPathComponent(name).path
            try tampered.write(toFile: path, atomically: true, encoding: .utf8)
            let copy = try newDatabase(cli, name + ".sqlite")
            try Self.run(cli, "import", path, database: copy)
            let verify = try cli.run("history", "verify", database: copy)
            #expect(verify.status == 1)
            #expect(verify.stderr.hasPrefix("Error: The history does not verify: change 3 does not match ("))
            #expect(verify.stderr.contains(why))
            #expect(verify.stderr.hasSuffix("2 changes before it verified.\n"))
        }
    }
}
