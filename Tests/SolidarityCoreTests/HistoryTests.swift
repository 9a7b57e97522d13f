import Foundation
import GRDB
import Testing
@testable import SolidarityCore

@Suite("The history of changes")
struct HistoryTests {
    /// The changes recorded, oldest first: operation, and each record as "action table label".
    private func changes(_ store: Store) throws -> [(id: Int64, operation: String, records: [String])] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT id, operation FROM history ORDER BY id").map { change in
                let records = try Row.fetchAll(db, sql: """
                    SELECT r.action, r.table_name, v.value AS label FROM history_records r LEFT JOIN history_values v ON v.id = r.label
                    WHERE r.change = ? ORDER BY r.seq
                    """, arguments: [change["id"] as Int64])
                    .map { "\($0["action"] as String) \($0["table_name"] as String) \(($0["label"] as String?) ?? "-")" }
                return (change["id"], change["operation"], records)
            }
        }
    }

    /// The fields of the one record of `table` in change `id`: name → (before, after) as JSON scalars.
    private func fields(_ store: Store, change id: Int64, table: String) throws -> [String: [String?]] {
        try store.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT f.name, b.value AS before, a.value AS after FROM history_fields f
                JOIN history_records r ON r.id = f.record
                LEFT JOIN history_values b ON b.id = f.before LEFT JOIN history_values a ON a.id = f.after
                WHERE r.change = ? AND r.table_name = ?
                """, arguments: [id, table])
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["name"] as String, [$0["before"] as String?, $0["after"] as String?]) })
        }
    }

    private func store(as who: String = "maria", operation: String = "test") throws -> (Store, TemporaryFolder) {
        let folder = try TemporaryFolder()
        let store = try Store(path: folder.path("test.sqlite"), access: .create, context: ChangeContext(who: who, operation: operation, arguments: ["x"]))
        return (store, folder)
    }

    @Test("creating, modifying and removing a record are recorded field by field, with who and what command")
    func createModifyRemove() throws {
        let (store, folder) = try store()
        defer { folder.remove() }
        _ = try store.addOrganization(Organization(handle: "fat", name: "Frente Auténtico del Trabajo", kind: .union, country: "MX",
                                                   aliases: [.init(name: "FAT", lang: "es")]))
        _ = try store.editOrganization("fat") { $0.city = "Ciudad de México" }
        _ = try store.removeOrganization("fat")
        let recorded = try changes(store)
        #expect(recorded.count == 3)
        #expect(recorded[0].records.contains("created organizations \"fat\""))
        #expect(recorded[0].records.contains("created organization_aliases \"FAT\""))
        #expect(recorded[1].records == ["modified organizations \"fat\""])
        #expect(try fields(store, change: recorded[1].id, table: "organizations") == ["city": ["null", "\"Ciudad de México\""]])
        #expect(recorded[2].records.contains("removed organizations \"fat\""))
        let removed = try fields(store, change: recorded[2].id, table: "organizations")
        #expect(removed["name"] == ["\"Frente Auténtico del Trabajo\"", nil])
        #expect(removed["city"] == ["\"Ciudad de México\"", nil])
        let who = try store.read { try String.fetchAll($0, sql: "SELECT v.value FROM history h JOIN history_values v ON v.id = h.who") }
        #expect(who == Array(repeating: "\"maria\"", count: 3))
        #expect(try store.verifyHistory() == HistoryVerification(checked: 3, firstMismatch: nil, problem: nil))
    }

    @Test("a write records its net effect: created then modified is one creation, created then removed is nothing")
    func netEffect() throws {
        let (store, folder) = try store()
        defer { folder.remove() }
        try store.write { db in
            try db.execute(sql: "INSERT INTO campaigns (handle, name, name_key) VALUES ('a', 'First', 'first')")
            try db.execute(sql: "UPDATE campaigns SET name = 'Second' WHERE handle = 'a'")
            try db.execute(sql: "INSERT INTO campaigns (handle, name, name_key) VALUES ('b', 'Gone', 'gone')")
            try db.execute(sql: "DELETE FROM campaigns WHERE handle = 'b'")
        }
        let recorded = try changes(store)
        #expect(recorded.map(\.records) == [["created campaigns \"a\""]])
        #expect(try fields(store, change: recorded[0].id, table: "campaigns")["name"] == [nil, "\"Second\""])
    }

    @Test("a write that changed nothing records nothing")
    func noOp() throws {
        let (store, folder) = try store()
        defer { folder.remove() }
        _ = try store.addOrganization(Organization(handle: "fat", name: "Frente Auténtico del Trabajo", kind: .union, country: "MX"))
        _ = try store.editOrganization("fat") { $0.country = "MX" }
        try store.write { db in try db.execute(sql: "UPDATE organizations SET name = name") }
        #expect(try changes(store).count == 1)
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM history_pending") } == 0)
    }

    @Test("a change made outside the tool is not captured, nor attributed to the next write")
    func outsideTheTool() throws {
        let (store, folder) = try store()
        defer { folder.remove() }
        let queue = try DatabaseQueue(path: store.path)
        try queue.write { try $0.execute(sql: "INSERT INTO campaigns (handle, name, name_key) VALUES ('a', 'By hand', 'by hand')") }
        try queue.close()
        _ = try store.addOrganization(Organization(handle: "fat", name: "Frente Auténtico del Trabajo", kind: .union, country: "MX"))
        #expect(try changes(store).map(\.records) == [["created organizations \"fat\""]])
    }

    @Test("the Seeds and an import are each one compact change: the rows created listed by range")
    func bulk() throws {
        let (store, folder) = try store()
        defer { folder.remove() }
        _ = try store.seed()
        let organizations = try store.read { try Int64.fetchOne($0, sql: "SELECT max(id) FROM organizations")! }
        var recorded = try changes(store)
        #expect(recorded.count == 1)
        #expect(recorded[0].records.allSatisfy { !$0.hasPrefix("created organizations") })
        let range = try store.read { try Row.fetchOne($0, sql: "SELECT first_row, last_row FROM history_created WHERE table_name = 'organizations'")! }
        #expect(range["first_row"] as Int64 == 1)
        #expect(range["last_row"] as Int64 == organizations)

        let file = """
            {"format": "solidarity/1", "organizations": [
              {"handle": "new-1", "name": "New One", "kind": "union", "country": "DE"},
              {"handle": "new-2", "name": "New Two", "kind": "union", "country": "DE"}]}
            """
        _ = try store.importDocument(Data(file.utf8), name: "new.json")
        recorded = try changes(store)
        #expect(recorded.count == 2)
        #expect(recorded[1].records.isEmpty)
        let imported = try store.read { try Row.fetchAll($0, sql: "SELECT table_name, first_row, last_row FROM history_created WHERE change = ?", arguments: [recorded[1].id]) }
        #expect(imported.map { "\($0["table_name"] as String) \($0["first_row"] as Int64)-\($0["last_row"] as Int64)" }
                == ["organizations \(organizations + 1)-\(organizations + 2)"])
        #expect(try store.verifyHistory().firstMismatch == nil)
    }

    @Test("a CSV import is one change too; an import with update records what it modified row by row")
    func spreadsheetAndUpdate() throws {
        let (store, folder) = try store()
        defer { folder.remove() }
        _ = try store.addOrganization(Organization(handle: "fat", name: "Frente Auténtico del Trabajo", kind: .union, country: "MX"))
        let csv = """
            name,kind,country
            Sección 65,local,MX
            Sección 66,local,MX
            """
        _ = try store.importSpreadsheet(Data(csv.utf8), name: "mx.csv", as: .organizations)
        var recorded = try changes(store)
        #expect(recorded.count == 2 && recorded[1].records.isEmpty)
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT last_row - first_row + 1 FROM history_created WHERE table_name = 'organizations'") } == 2)

        let file = """
            {"format": "solidarity/1", "organizations": [
              {"handle": "fat", "name": "Frente Auténtico del Trabajo", "kind": "union", "country": "MX", "city": "Ciudad de México"}]}
            """
        _ = try store.importDocument(Data(file.utf8), name: "fat.json", update: true)
        recorded = try changes(store)
        #expect(recorded.count == 3)
        #expect(recorded[2].records == ["modified organizations \"fat\""])
        #expect(try fields(store, change: recorded[2].id, table: "organizations")["city"] == ["null", "\"Ciudad de México\""])
        #expect(try store.verifyHistory() == HistoryVerification(checked: 3, firstMismatch: nil, problem: nil))
    }

    @Test("a merge is one change: the merged record removed, its links moved")
    func merge() throws {
        let (store, folder) = try store(operation: "org merge")
        defer { folder.remove() }
        _ = try store.seed()
        _ = try store.addOrganization(Organization(handle: "csn-2", name: "Confederation des Syndicats Nationaux", kind: .confederation, country: "CA"))
        _ = try store.relate(Relationship(from: "csn-2", to: "fat", kind: .partner))
        let before = try changes(store).count
        _ = try store.merge(.organization, "csn-2", into: "csn", dryRun: false)
        let recorded = try changes(store)
        #expect(recorded.count == before + 1)
        let merge = try #require(recorded.last)
        #expect(merge.operation == "org merge")
        #expect(merge.records.contains("removed organizations \"csn-2\""))
        #expect(merge.records.contains { $0.hasPrefix("modified relationships") || $0.hasPrefix("removed relationships") || $0.hasPrefix("created relationships") })
        #expect(merge.records.contains { $0.hasPrefix("created merged_handles") })
    }

    /// A store with three recorded changes, for the chain's tests.
    private func chain() throws -> (Store, TemporaryFolder) {
        let (store, folder) = try store()
        _ = try store.addOrganization(Organization(handle: "fat", name: "Frente Auténtico del Trabajo", kind: .union, country: "MX"))
        _ = try store.editOrganization("fat") { $0.city = "Ciudad de México" }
        _ = try store.addOrganization(Organization(handle: "csn", name: "Confédération des syndicats nationaux", kind: .confederation, country: "CA"))
        _ = try store.editOrganization("csn") { $0.city = "Montréal" }
        return (store, folder)
    }

    /// Changes the file as someone with the sqlite3 shell could, foreign keys off.
    private func tamper(_ store: Store, _ sql: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        let queue = try DatabaseQueue(path: store.path, configuration: configuration)
        try queue.write { try $0.execute(sql: sql) }
        try queue.close()
    }

    @Test("the chain verifies, and names the first change edited, removed or re-ordered")
    func chainDetectsTampering() throws {
        for (sql, first, problem) in [
            ("UPDATE history SET operation = 'org edit' WHERE id = 2", Int64(2), HistoryVerification.Problem.edited),
            ("UPDATE history SET at = '2020-01-01T00:00:00Z' WHERE id = 3", 3, .edited),
            ("UPDATE history_fields SET after = before WHERE record = (SELECT id FROM history_records WHERE change = 2)", 2, .edited),
            ("DELETE FROM history_fields WHERE record IN (SELECT id FROM history_records WHERE change = 2); DELETE FROM history_records WHERE change = 2; DELETE FROM history WHERE id = 2", 3, .doesNotFollow(after: 1)),
            ("UPDATE history SET id = -2 WHERE id = 2; UPDATE history SET id = 2 WHERE id = 3; UPDATE history SET id = 3 WHERE id = -2", 2, .doesNotFollow(after: 1)),
        ] {
            let (store, folder) = try chain()
            defer { folder.remove() }
            #expect(try store.verifyHistory() == HistoryVerification(checked: 4, firstMismatch: nil, problem: nil))
            try tamper(store, sql)
            let verification = try store.verifyHistory()
            #expect(verification.firstMismatch == first, "\(sql)")
            #expect(verification.problem == problem, "\(sql)")
        }
    }

    @Test("an edited value no longer matches its digest; an erased one still verifies")
    func valuesEditedAndErased() throws {
        let (store, folder) = try chain()
        defer { folder.remove() }
        let city = try store.read { try Int64.fetchOne($0, sql: "SELECT id FROM history_values WHERE value = '\"Montréal\"'")! }
        try tamper(store, "UPDATE history_values SET value = NULL, salt = NULL WHERE id = \(city)")
        try tamper(store, "UPDATE history_values SET value = NULL, salt = NULL WHERE value = '\"maria\"'")
        #expect(try store.verifyHistory() == HistoryVerification(checked: 4, firstMismatch: nil, problem: nil))
        let name = try store.read { try Int64.fetchOne($0, sql: "SELECT id FROM history_values WHERE value = '\"Frente Auténtico del Trabajo\"'")! }
        try tamper(store, "UPDATE history_values SET value = '\"Frente\"' WHERE id = \(name)")
        #expect(try store.verifyHistory() == HistoryVerification(checked: 0, firstMismatch: 1, problem: .valueEdited(name)))
    }

    @Test("every domain table has its history triggers, naming every column; no other table has any")
    func triggersCoverEveryTable() throws {
        let (store, folder) = try store()
        defer { folder.remove() }
        try store.read { db in
            // The server's accounts hold secrets, and a disablement must never be undone (migration 0016).
            let excluded: Set<String> = ["webhook_endpoints", "outbox_events", "deliveries", "schema_migrations", "grdb_migrations",
                                         "accounts", "account_tokens"]
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            let domain = tables.filter { !excluded.contains($0) && !$0.hasPrefix("history") && !$0.contains("_search") }
            #expect(domain.count > 30)
            let triggers = try Row.fetchAll(db, sql: "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'history\\_%' ESCAPE '\\'")
            #expect(Set(triggers.map { $0["tbl_name"] as String }) == Set(domain), "a new table needs its triggers: see script/history-triggers")
            for table in domain {
                let columns = try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [table])
                for action in ["created", "modified", "rekeyed", "removed"] {
                    let sql = try #require(triggers.first { $0["name"] as String == "history_\(table)_\(action)" }?["sql"] as String?, "history_\(table)_\(action)")
                    for column in columns {
                        #expect(sql.contains("'\(column)', "), "history_\(table)_\(action) does not record \(column)")
                    }
                }
            }
        }
    }

    @Test("an organization's timeline lists the changes recorded for it and for what refers to it, newest first, with their authors; a bulk load's creations are left out, its modifications kept; a change naming a sensitive person is marked")
    func timelineOfRecordedChanges() throws {
        let (store, folder) = try store()
        defer { folder.remove() }
        _ = try store.seed(home: "ue")
        let recorded = { (ref: String) in try store.timeline(of: ref).filter { $0.kind == "recorded change" } }
        // The Seeds created every organization in one bulk change: not an event of their lives.
        #expect(try recorded("zenroren").isEmpty)

        let other = try Store(path: folder.path("test.sqlite"), access: .write, context: ChangeContext(who: "jon", operation: "relate"))
        _ = try store.addOrganization(Organization(handle: "fn", name: "Frente Nuevo", kind: .union, country: "MX"))
        _ = try store.editOrganization("fn") { $0.city = "Puebla" }
        _ = try other.relate(Relationship(from: "fn", to: "ue", kind: .ally))
        let events = try recorded("fn")
        #expect(events.map(\.title) == ["created relationship ue ally fn", "modified organization fn", "created organization fn"])
        #expect(events.map(\.detail) == ["by jon (relate)", "by maria (test)", "by maria (test)"])
        let numbers = try store.history().prefix(3).map { String($0.id) }
        #expect(events.map(\.ref) == numbers)
        #expect(events.allSatisfy { $0.date?.description == String(try! store.history().first!.at.prefix(10)) && !$0.sensitive })
        // UE's timeline shows the relationship's change, not fn's own.
        #expect(try recorded("ue").map(\.title) == ["created relationship ue ally fn"])

        // An import that modifies an organization is a recorded change of it.
        let file = """
            {"format": "solidarity/1", "organizations": [
              {"handle": "fn", "name": "Frente Nuevo", "kind": "union", "country": "MX", "city": "Tlaxcala"},
              {"handle": "sa", "name": "Sindicato Aparte", "kind": "union", "country": "MX"}]}
            """
        _ = try store.importDocument(Data(file.utf8), name: "fn.json", update: true)
        #expect(try recorded("fn").first?.title == "modified organization fn")
        #expect(try recorded("sa").isEmpty)

        // A title of a sensitive person at fn: the change is marked on fn's timeline.
        _ = try store.addPerson(Person(handle: "ana", name: "Ana Ejemplo", sensitive: true, titles: [.init(organization: "fn", title: "Secretaria")]))
        let marked = try #require(try recorded("fn").first)
        #expect(marked.title.contains("created title") && marked.sensitive)
    }
}
