import Foundation
import GRDB
import Testing
@testable import SolidarityCore

@Suite("Undo in Core")
struct UndoTests {
    private func count(_ store: Store, _ table: String) throws -> Int {
        try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM \(table)")! }
    }

    @Test("undoing the Seeds removes the ranges of rows they created; undoing that undo puts them back with the same ids")
    func bulk() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let organizations = try store.read { try Int64.fetchAll($0, sql: "SELECT id FROM organizations ORDER BY id") }
        #expect(!organizations.isEmpty)
        let report = try store.undo()
        #expect(report.steps.count == 1 && report.steps[0].undone.id == 1 && report.steps[0].change == 2 && report.steps[0].removed > organizations.count)
        #expect(try count(store, "organizations") == 0 && count(store, "employers") == 0)
        let redo = try store.undo()
        #expect(redo.steps[0].undone.id == 2 && redo.steps[0].restored == report.steps[0].removed)
        #expect(try store.read { try Int64.fetchAll($0, sql: "SELECT id FROM organizations ORDER BY id") } == organizations)
        #expect(try store.historyChange(2).undoes == 1)
        #expect(try store.verifyHistory().firstMismatch == nil)
    }

    @Test("undoing a removal restores the record with its links; a creation another record refers to is refused, nothing written")
    func removalAndConflict() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        _ = try store.addOrganization(Organization(handle: "fn", name: "Frente Nuevo", kind: .union, country: "MX", aliases: [.init(name: "FN", lang: "es")]))
        _ = try store.addOrganization(Organization(handle: "sa", name: "Sindicato Aparte", kind: .union, country: "MX"))
        _ = try store.relate(Relationship(from: "fn", to: "sa", kind: .ally))
        _ = try store.removeOrganization("fn")
        #expect(try count(store, "relationships") == 0 && count(store, "organization_aliases") == 0)
        let restored = try store.undo()
        #expect(restored.steps[0].restored == 3)
        #expect(try count(store, "relationships") == 1 && count(store, "organization_aliases") == 1)

        let file = contents(store.path)
        do {
            _ = try store.undo(2)
            Issue.record("undoing a creation that a relationship refers to was not refused")
        } catch let error as SolidarityError {
            #expect(error.reason == .conflict && error.remedy == .undoLaterChangesToo(2))
            #expect(error.message.contains("  3  ") && error.message.contains("created relationship"))
        }
        #expect(contents(store.path) == file)
        #expect(try store.history().count == 5)
    }
}
