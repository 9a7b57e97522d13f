import Foundation
import Testing

// `history`, `history show` and `history verify`, as a staffer types them.

@Suite("History commands")
struct HistoryCommandTests {
    @discardableResult
    static func run(_ cli: CommandLine, _ arguments: String..., user: String = "maria") throws -> CommandLine.Result {
        let result = try cli.run(arguments, environment: ["USER": user])
        try #require(result.status == 0, "\(arguments.joined(separator: " ")): \(result.stderr)")
        return result
    }

    /// A seeded database, then an organization added and edited by maria, and a relationship by jon.
    private func changes() throws -> CommandLine {
        let cli = try CommandLine.inProcess()
        try Self.run(cli, "init", "--seed", "--home", "ue")
        try Self.run(cli, "org", "add", "Frente Nuevo", "--handle", "fn", "--kind", "union", "--country", "MX", "--alias", "FN@es")
        try Self.run(cli, "org", "edit", "fn", "--city", "Puebla")
        try Self.run(cli, "relate", "fn", "ue", "--kind", "ally", user: "jon")
        try Self.run(cli, "org", "add", "Sindicato Aparte", "--handle", "sa", "--kind", "union", "--country", "MX")
        return cli
    }

    @Test("history lists every change newest first: number, when, who, the command and the records touched")
    func listing() throws {
        let cli = try changes()
        defer { cli.cleanUp() }
        let lines = try Self.run(cli, "history").stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 6)
        #expect(lines[0].hasPrefix("CHANGE  WHEN"))
        #expect(lines[1].hasPrefix("5 ") && lines[1].contains("maria") && lines[1].hasSuffix("org add    created organization sa"))
        #expect(lines[2].hasPrefix("4 ") && lines[2].contains("jon") && lines[2].hasSuffix("relate     created relationship ue ally fn"))
        #expect(lines[3].hasSuffix("org edit   modified organization fn"))
        #expect(lines[4].hasSuffix("org add    created organization fn, created alias FN"))
        #expect(lines[5].contains("init") && lines[5].contains("created 29 organizations (ids 1–29)"))

        #expect(try Self.run(cli, "history", "--by", "jon", "--format", "csv").stdout.hasSuffix(",jon,relate,created relationship ue ally fn,false\r\n"))
        #expect(try Self.run(cli, "history", "--limit", "1").stdout.split(separator: "\n").count == 2)
        #expect(try Self.run(cli, "history", "--until", "2020").stdout.split(separator: "\n").count <= 1)
        let json = try Self.run(cli, "history", "--format", "json", "--limit", "2")
        let decoded = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(decoded?.map { $0["operation"] as? String } == ["org add", "relate"])
        #expect(try cli.run("history", "--limit", "0").status == 64)
    }

    @Test("history REF lists the changes of one record and of the records that refer to it")
    func ofOneRecord() throws {
        let cli = try changes()
        defer { cli.cleanUp() }
        let fn = try Self.run(cli, "history", "fn").stdout
        #expect(fn.contains("created relationship") && fn.contains("modified organization fn") && fn.contains("created organization fn, created alias FN"))
        #expect(!fn.contains("sa") && !fn.contains("init"))
        let seeded = try Self.run(cli, "history", "fat").stdout
        #expect(seeded.contains("init"))
        let unknown = try cli.run("history", "nosuchthing")
        #expect(unknown.status == 1 && unknown.stderr.contains("No organization, person or employer matches \"nosuchthing\""))
    }

    @Test("history show gives a change field by field, before → after")
    func show() throws {
        let cli = try changes()
        defer { cli.cleanUp() }
        let edit = try Self.run(cli, "history", "show", "3").stdout
        #expect(edit == """
            Change 3: org edit by maria, \(edit.split(separator: "\n")[0].split(separator: " ").last!)
            Command: solidarity org edit fn --city Puebla
            modified organization fn (organizations row 30)
              city: (none) → Puebla

            """)
        let add = try Self.run(cli, "history", "show", "2").stdout
        #expect(add.contains("created organization fn (organizations row 30)\n"))
        #expect(add.contains("  name: Frente Nuevo\n"))
        let missing = try cli.run("history", "show", "99")
        #expect(missing.status == 1 && missing.stderr.contains("There is no change 99 in the history: the changes are numbered 1 to 5."))
    }

    @Test("history verify passes, and after an edit with the sqlite3 shell names the change and exits 1")
    func verify() throws {
        let cli = try changes()
        defer { cli.cleanUp() }
        #expect(try Self.run(cli, "history", "verify").stdout == "The history verifies: 5 changes, each following the one before.\n")
        try cli.sqlite3("UPDATE history SET operation = 'org remove' WHERE id = 3")
        let edited = try cli.run("history", "verify")
        #expect(edited.status == 1)
        #expect(edited.stderr.contains("change 3 does not match (its recorded content no longer gives its hash: it was edited). 2 changes before it verified."))
    }

    @Test("a sensitive record's changes are shown on the terminal, marked")
    func sensitive() throws {
        let cli = try changes()
        defer { cli.cleanUp() }
        try Self.run(cli, "org", "add", "Sindicato Secreto", "--handle", "ssx", "--kind", "union", "--country", "MX", "--sensitive")
        let listing = try Self.run(cli, "history", "--limit", "1").stdout
        #expect(listing.contains("created organization ssx [sensitive]"))
        #expect(try Self.run(cli, "history", "--limit", "1", "--format", "csv").stdout.hasSuffix(",true\r\n"))
        #expect(try Self.run(cli, "history", "show", "6").stdout.contains("created organization ssx [sensitive]"))
    }
}
