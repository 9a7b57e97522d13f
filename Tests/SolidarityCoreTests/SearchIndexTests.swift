import Foundation
import GRDB
import Testing
@testable import SolidarityCore

/// A bulk write builds the search rows the per-row triggers would have built, and leaves the
/// triggers as it found them.
@Suite("Search index of bulk writes")
struct SearchIndexTests {
    /// Every search table's rows, in rowid order, as text.
    static func searchRows(_ store: Store) throws -> [String: [[String?]]] {
        try store.read { db in
            var rows: [String: [[String?]]] = [:]
            for table in SearchIndex.tables {
                rows[table.name] = try Row.fetchAll(db, sql: "SELECT rowid, * FROM \(table.name) ORDER BY rowid").map { row in
                    row.databaseValues.map { $0.isNull ? nil : String.fromDatabaseValue($0) ?? $0.description }
                }
            }
            return rows
        }
    }

    static func triggers(_ store: Store) throws -> [Row] {
        try store.read { try Row.fetchAll($0, sql: "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name") }
    }

    static func checkIntegrity(_ store: Store) throws {
        try store.write { db in
            for table in SearchIndex.tables {
                try db.execute(sql: "INSERT INTO \(table.name) (\(table.name)) VALUES ('integrity-check')")
            }
        }
    }

    @Test("the Seeds loaded in bulk give every search table the rows its triggers give, and the triggers are back")
    func bulkEqualsTriggers() throws {
        let (bulk, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let byTrigger = try Store(path: folder.path("triggers.sqlite"), access: .create)
        let document = try Seeds.document()
        try byTrigger.write { db in
            var loader = Loader(db: db, mode: .addMissing)
            try loader.load(document)
        }
        let rows = try Self.searchRows(bulk)
        #expect(rows == (try Self.searchRows(byTrigger)))
        for table in SearchIndex.tables { #expect(rows[table.name]?.isEmpty == false, "\(table.name) is empty") }
        #expect(try Self.triggers(bulk).map { $0["sql"] as String } == (try Self.triggers(byTrigger)).map { $0["sql"] as String })
        try Self.checkIntegrity(bulk)
    }

    @Test("an import with --update re-indexes the records it changed: a new name and alias are found, the old name is gone")
    func updateReindexes() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        var document = try store.export(includeSensitive: true).document
        let index = try #require(document.organizations.firstIndex { $0.handle == "fat" })
        document.organizations[index].name = "Frente Quetzalcoatl de Trabajadores"
        document.organizations[index].aliases.append(.init(name: "Zyxwvut Front", lang: "en"))
        let report = try store.importDocument(try document.encoded(), name: "changed.json", update: true)
        #expect(report.updated == 1)
        #expect(try store.search("Quetzalcoatl").contains { $0.handle == "fat" })
        #expect(try store.search("Zyxwvut").contains { $0.handle == "fat" })
        let indexedName = try store.read { db in
            try String.fetchOne(db, sql: "SELECT s.name FROM organization_search s JOIN organizations o ON o.id = s.rowid WHERE o.handle = 'fat'")
        }
        #expect(indexedName == "Frente Quetzalcoatl de Trabajadores")
        // The triggers are back: a single edit afterwards is indexed row by row.
        _ = try store.editOrganization("fat") { $0.notes = "Plumbago" }
        #expect(try store.search("Plumbago").contains { $0.handle == "fat" })
        try Self.checkIntegrity(store)
    }

    @Test("a refused import leaves the search rows and the triggers as they were")
    func refusedImportChangesNothing() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let rows = try Self.searchRows(store)
        let triggers = try Self.triggers(store)
        var document = try store.export(includeSensitive: true).document
        document.organizations.append(Organization(name: "Sindicato Nuevo Zyxwvut", country: "MX"))
        let index = try #require(document.organizations.firstIndex { $0.handle == "fat" })
        document.organizations[index].name = "Frente Quetzalcoatl de Trabajadores"
        #expect(throws: SolidarityError.self) { try store.importDocument(try document.encoded(), name: "conflict.json") }
        #expect(try Self.searchRows(store) == rows)
        #expect(try Self.triggers(store) == triggers)
        #expect(try store.search("Zyxwvut").isEmpty)
    }
}
