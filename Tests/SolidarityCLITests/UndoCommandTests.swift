import Foundation
import GRDB
import Testing
@testable import SolidarityCore

// `undo`, as a staffer types it: every kind of write undone restores the database exactly.

@Suite("Undo")
struct UndoCommandTests {
    @discardableResult
    static func run(_ cli: CommandLine, _ arguments: [String]) throws -> CommandLine.Result {
        let result = try cli.run(arguments, environment: ["USER": "maria"])
        try #require(result.status == 0, "\(arguments.joined(separator: " ")): \(result.stderr)")
        return result
    }

    /// The database's content: every table's rows in row order, except the history's own tables
    /// (an undo adds a change), the webhook tables (an undo queues its events, as any write does),
    /// the migration ledger, and the full-text indexes' internal tables, whose indexed text is
    /// compared instead (and a search run on it).
    static func content(_ cli: CommandLine) throws -> [String: [String]] {
        let store = try Store(path: cli.db, access: .read)
        return try store.read { db in
            var content: [String: [String]] = [:]
            let tables = try Row.fetchAll(db, sql: """
                SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'history%'
                AND name NOT IN ('outbox_events', 'deliveries', 'webhook_endpoints', 'schema_migrations', 'grdb_migrations')
                AND name NOT GLOB '*_search_*'
                """)
            for table in tables {
                let name: String = table["name"]
                let sql: String = table["sql"]
                let order = sql.uppercased().contains("WITHOUT ROWID") ? "1, 2" : "rowid"
                let select = sql.uppercased().contains("WITHOUT ROWID") ? "*" : "rowid, *"
                content[name] = try Row.fetchAll(db, sql: "SELECT \(select) FROM \(name.quotedDatabaseIdentifier) ORDER BY \(order)").map(\.description)
            }
            for index in ["organization_search", "person_search", "employer_search", "site_search", "activity_search", "resolution_search"] {
                content[index + " (matching \"frente\" or \"plant\")"] = try Int64.fetchAll(db, sql: """
                    SELECT rowid FROM \(index) WHERE \(index) MATCH 'frente OR plant OR acme OR trip' ORDER BY rowid
                    """).map(String.init)
                content[index + " (the text indexed)"] = try Row.fetchAll(db, sql: "SELECT rowid, * FROM \(index) ORDER BY rowid").map(\.description)
            }
            return content
        }
    }

    /// Runs `arguments`, undoes it (the content is as before) and undoes the undo (as after).
    static func undone(_ cli: CommandLine, _ arguments: String...) throws {
        let before = try content(cli)
        try run(cli, arguments)
        let after = try content(cli)
        #expect(before != after, "\(arguments.joined(separator: " ")) changed nothing")
        let undo = try run(cli, ["undo"])
        #expect(undo.stdout.hasPrefix("Undid change "), "\(undo.stdout)")
        let restored = try content(cli)
        for table in Set(before.keys).union(restored.keys) where before[table] != restored[table] {
            Issue.record("undo of \(arguments.joined(separator: " ")): \(table) differs:\nbefore \(before[table] ?? [])\nafter undo \(restored[table] ?? [])")
        }
        try run(cli, ["undo"])
        let again = try content(cli)
        for table in Set(after.keys).union(again.keys) where after[table] != again[table] {
            Issue.record("undo of the undo of \(arguments.joined(separator: " ")): \(table) differs:\nafter \(after[table] ?? [])\nre-applied \(again[table] ?? [])")
        }
    }

    /// A new, empty database.
    static func initialized() throws -> CommandLine {
        let cli = try CommandLine.inProcess()
        try run(cli, ["init"])
        return cli
    }

    static func latest(_ cli: CommandLine, _ table: String) throws -> String {
        try Store(path: cli.db, access: .read).read { try String.fetchOne($0, sql: "SELECT uid FROM \(table) ORDER BY id DESC LIMIT 1")! }
    }

    @Test("undo of every kind of write restores the database's content exactly, and undoing the undo re-applies it")
    func everyKindOfWrite() throws {
        let cli = try Self.initialized()
        defer { cli.cleanUp() }
        try Self.undone(cli, "seed")
        try Self.run(cli, ["home", "ue"])
        try Self.undone(cli, "home", "fat")
        try Self.run(cli, ["home", "ue"])
        try Self.undone(cli, "org", "add", "Frente Nuevo", "--handle", "fn", "--kind", "union", "--country", "MX", "--alias", "FN@es",
                        "--campaign", "Wabtec workers", "--source", "https://example.org/fn")
        try Self.undone(cli, "org", "edit", "fn", "--city", "Puebla", "--add-alias", "Frente N", "--remove-campaign", "Wabtec workers")
        try Self.undone(cli, "person", "add", "Ana Ruiz", "--org", "fn", "--title", "Secretaria")
        try Self.undone(cli, "person", "edit", "ana-ruiz", "--org", "ue", "--title", "Enlace", "--since", "2020")
        try Self.undone(cli, "relate", "fn", "ue", "--kind", "ally")
        try Self.undone(cli, "relationship", "edit", "fn", "ue", "--kind", "ally", "--status", "close", "--source", "https://example.org/r")
        try Self.undone(cli, "employer", "add", "Acme Rail", "--handle", "acme", "--country", "US", "--alias", "Acme Corp")
        try Self.undone(cli, "site", "add", "Acme plant", "--employer", "acme", "--country", "MX", "--city", "Puebla", "--union", "fn")
        let site = try Self.latest(cli, "sites")
        try Self.undone(cli, "site", "edit", site, "--city", "Toluca")
        try Self.undone(cli, "site", "represent", site, "ue", "--since", "2024-05")
        try Self.undone(cli, "delegation", "log", "--title", "Trip to Puebla", "--to", "MX", "--start", "2025-03", "--host", "fn",
                        "--delegate", "ana-ruiz", "--site", site, "--follow-up", "Send the report", "--due", "2025-04")
        let trip = try Self.latest(cli, "activities")
        try Self.undone(cli, "delegation", "edit", trip, "--outcome", "Agreed an exchange")
        try Self.undone(cli, "followup", "done", try Self.latest(cli, "follow_ups"), "--on", "2025-04-02")
        try Self.undone(cli, "delegation", "edit", trip, "--status", "cancelled")
        try Self.undone(cli, "activity", "log", "--kind", "call", "--title", "Call with the FN", "--start", "2025-01", "--participant", "fn")
        try Self.undone(cli, "site", "add", "Acme second plant", "--employer", "acme", "--country", "MX")
        let second = try Self.latest(cli, "sites")
        try Self.undone(cli, "site", "replace", site, "--by", second)
        try Self.undone(cli, "site", "remove", second, "--force", "--yes")
        try Self.undone(cli, "convention", "add", "--org", "ue", "--name", "80th UE Convention", "--number", "80", "--start", "2027-08")
        let text = cli.folder.appendingPathComponent("resolution.txt").path
        try Data("Whereas the FAT and the Frente Nuevo organize workers at Acme.\n\nTHEREFORE, BE IT RESOLVED that:\n\n1. We support the Frente Nuevo and the FAT.\n".utf8).write(to: URL(fileURLWithPath: text))
        try Self.undone(cli, "resolution", "add", "--convention", "ue-80", "--title", "Solidarity", "--file", text)
        try Self.undone(cli, "resolution", "edit", "ue-80-solidarity", "--status", "adopted")
        try Self.run(cli, ["org", "add", "Frente Nuevo Dos", "--handle", "fn2", "--kind", "union", "--country", "MX", "--alias", "Frente Dos@es"])
        try Self.run(cli, ["relate", "fn2", "fat", "--kind", "partner"])
        try Self.undone(cli, "org", "merge", "fn2", "--into", "fn", "--yes")
        try Self.undone(cli, "employer", "edit", "acme", "--website", "https://acme.example.org")
        try Self.undone(cli, "relationship", "end", "fn", "ue", "--kind", "ally", "--on", "2026-01")
        try Self.undone(cli, "resolution", "unlink", "ue-80-solidarity", "fat")
        try Self.run(cli, ["person", "add", "Ana Ruiz", "--handle", "ana-ruiz-2", "--org", "fat", "--title", "Enlace"])
        try Self.undone(cli, "person", "merge", "ana-ruiz-2", "--into", "ana-ruiz", "--yes")
        try Self.undone(cli, "org", "remove", "fat", "--yes")
        try Self.undone(cli, "person", "remove", "ana-ruiz", "--yes")
        try Self.undone(cli, "delegation", "remove", trip, "--yes")

        // Import: new records from another database's export, then --update setting a field back.
        let other = try Self.initialized()
        defer { other.cleanUp() }
        try Self.run(other, ["org", "add", "Sindicato Lejano", "--handle", "sl", "--kind", "union", "--country", "PE"])
        let exported = other.folder.appendingPathComponent("other.json").path
        try Self.run(other, ["export", "--output", exported])
        try Self.undone(cli, "import", exported)
        let backup = cli.folder.appendingPathComponent("backup.json").path
        try Self.run(cli, ["export", "--output", backup])
        try Self.run(cli, ["org", "edit", "fn", "--city", "Tlaxcala"])
        try Self.undone(cli, "import", backup, "--update")
        let sheet = cli.folder.appendingPathComponent("orgs.csv").path
        try Data("name,country\nSindicato Uno,MX\nSindicato Dos,PE\n".utf8).write(to: URL(fileURLWithPath: sheet))
        try Self.undone(cli, "import", "--csv", sheet, "--as", "organizations")
        #expect(try cli.run("history", "verify").status == 0)
    }

    @Test("a change that a later one built on is refused with the changes in the way, nothing written; --cascade undoes them too")
    func conflicts() throws {
        let cli = try Self.initialized()
        defer { cli.cleanUp() }
        try Self.run(cli, ["org", "add", "Frente Nuevo", "--handle", "fn", "--kind", "union", "--country", "MX"])   // 1
        try Self.run(cli, ["org", "add", "Sindicato Aparte", "--handle", "sa", "--kind", "union", "--country", "MX"]) // 2
        try Self.run(cli, ["relate", "fn", "sa", "--kind", "ally"])                                                      // 3
        try Self.run(cli, ["org", "edit", "fn", "--city", "Puebla"])                                                     // 4
        let before = try Self.content(cli)
        let refused = try cli.run("undo", "1")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("Change 1 cannot be undone alone: 2 later changes build on it, newest first:"), "\(refused.stderr)")
        #expect(refused.stderr.contains("  4  ") && refused.stderr.contains("org edit") && refused.stderr.contains("  3  ") && refused.stderr.contains("relate"))
        #expect(!refused.stderr.contains("  2  "))
        #expect(refused.stderr.contains("Give --cascade to undo them too, newest first, then change 1 (`solidarity undo 1 --cascade`)."))
        #expect(try Self.content(cli) == before)
        #expect(try Store(path: cli.db, access: .read).history().count == 4)

        let cascaded = try Self.run(cli, ["undo", "1", "--cascade"]).stdout
        #expect(cascaded.contains("Undid change 4 (org edit: modified organization fn) as change 5: 1 record set back."), "\(cascaded)")
        #expect(cascaded.contains("Undid change 3 (relate: created relationship fn ally sa) as change 6: 1 record removed."))
        #expect(cascaded.contains("Undid change 1 (org add: created organization fn) as change 7: 1 record removed."))
        #expect(try Store(path: cli.db, access: .read).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM organizations") } == 1)

        let again = try cli.run("undo", "1")
        #expect(again.status == 1 && again.stderr.contains("Change 1 was already undone by change 7. Undo change 7 to apply change 1 again."))
        let redo = try Self.run(cli, ["undo", "7"]).stdout
        #expect(redo.contains("Undid change 7 (undo: removed organization fn) as change 8: 1 record restored."), "\(redo)")
        #expect(try cli.run("history", "verify").status == 0)
    }

    @Test("an undo sends the webhook events of what it changes")
    func events() throws {
        let cli = try Self.initialized()
        defer { cli.cleanUp() }
        try Self.run(cli, ["webhook", "add", "https://hooks.example.org/intl"])
        try Self.run(cli, ["org", "add", "Frente Nuevo", "--handle", "fn", "--kind", "union", "--country", "MX"])
        try Self.run(cli, ["org", "remove", "fn", "--yes"])
        try Self.run(cli, ["undo"])
        try Self.run(cli, ["undo"])
        let types = try Store(path: cli.db, access: .read).read { try String.fetchAll($0, sql: "SELECT type FROM outbox_events ORDER BY id") }
        #expect(types == ["organization.created", "organization.removed", "organization.created", "organization.removed"])
    }
}
