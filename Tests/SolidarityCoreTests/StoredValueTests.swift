import Foundation
import GRDB
import Testing
@testable import SolidarityCore

/// A stored word outside its enumeration (a database changed by hand or by a newer version) is an
/// error naming the table and row, never read as a default such as "meeting" or "union" (the
/// deliveries' status, read by SolidarityNotify, is tested in `DeliveryStatusTests`).
@Suite("Stored values outside their enumeration")
struct StoredValueTests {
    /// What reads the tampered value back.
    enum Reader: String, Sendable, CustomStringConvertible {
        case organizations, relationships, allies, graph, activities, resolutions
        var description: String { rawValue }

        func read(_ store: Store) throws {
            switch self {
            case .organizations: _ = try store.organizations()
            case .relationships: _ = try store.relationships()
            case .allies: _ = try store.allies(employer: "ferromex")
            case .graph: _ = try store.graph()
            case .activities: _ = try store.activities()
            case .resolutions: _ = try store.resolutions()
            }
        }
    }

    /// One tampering: `column` of the row `rowSQL` selects (its id, or its key for a table without
    /// one) in `table` set to `value`, then read back by `reader`.
    struct Tampering: Sendable, CustomStringConvertible {
        let table: String, column: String, value: String
        /// Selects the row's key: its id, or (activity_id, position) for a table without an id.
        let rowSQL: String
        let reader: Reader
        var description: String { "\(table).\(column) read by \(reader)" }
    }

    static let ueAndSNTF = """
        SELECT r.id FROM relationships r JOIN organizations a ON a.id = r.from_id JOIN organizations b ON b.id = r.to_id
        WHERE a.handle = 'ue' AND b.handle = 'sntf'
        """
    static let meeting = "SELECT id FROM activities WHERE title = 'A meeting with the SNTF'"

    static let tamperings: [Tampering] = [
        .init(table: "organizations", column: "kind", value: "unoin", rowSQL: "SELECT id FROM organizations WHERE handle = 'sntf'", reader: .organizations),
        .init(table: "relationships", column: "kind", value: "aly", rowSQL: ueAndSNTF, reader: .relationships),
        .init(table: "relationships", column: "status", value: "actve", rowSQL: ueAndSNTF, reader: .relationships),
        .init(table: "relationships", column: "kind", value: "aly", rowSQL: ueAndSNTF, reader: .allies),
        .init(table: "relationships", column: "status", value: "actve", rowSQL: ueAndSNTF, reader: .allies),
        .init(table: "relationships", column: "kind", value: "aly", rowSQL: ueAndSNTF, reader: .graph),
        .init(table: "activities", column: "kind", value: "meetin", rowSQL: meeting, reader: .activities),
        .init(table: "activities", column: "status", value: "don", rowSQL: meeting, reader: .activities),
        .init(table: "activity_organizations", column: "role", value: "hots",
              rowSQL: "SELECT '(activity ' || activity_id || ', position ' || position || ')' FROM activity_organizations WHERE activity_id = (\(meeting))",
              reader: .activities),
        .init(table: "activity_people", column: "role", value: "contakt",
              rowSQL: "SELECT '(activity ' || activity_id || ', position ' || position || ')' FROM activity_people WHERE activity_id = (\(meeting))",
              reader: .activities),
        .init(table: "resolutions", column: "status", value: "adoptd", rowSQL: "SELECT id FROM resolutions WHERE handle = 'ue-80-rail-workers-across-borders'", reader: .resolutions),
    ]

    @Test("the read fails with a message naming the table, the row and the word", arguments: tamperings)
    func tamperedValueIsAnError(_ tampering: Tampering) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try ReleaseFixtureTests.copy(into: folder)
        let row: String
        do {
            let queue = try DatabaseQueue(path: path)
            row = try queue.writeWithoutTransaction { db in
                // The CHECK constraints of the release's schema would refuse the word: a newer schema, or a hand edit, may not.
                try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
                let key = try #require(try DatabaseValue.fetchOne(db, sql: tampering.rowSQL))
                let keyColumns = tampering.table.hasPrefix("activity_") ? "'(activity ' || activity_id || ', position ' || position || ')'" : "id"
                try db.execute(sql: "UPDATE \(tampering.table) SET \(tampering.column) = ? WHERE \(keyColumns) = ?", arguments: [tampering.value, key])
                #expect(db.changesCount == 1)
                return key.description.replacingOccurrences(of: "\"", with: "")
            }
            try queue.close()
        }
        let store = try Store(path: path, access: .read)
        #expect {
            try tampering.reader.read(store)
        } throws: { error in
            let error = error as? SolidarityError
            return error?.reason == .database && error?.message.hasPrefix(
                "\(tampering.table) row \(row) has \(tampering.column) \"\(tampering.value)\", which this version does not know") == true
        }
    }

    @Test("the untouched fixture reads without an error through every reader", arguments: [Reader.organizations, .relationships, .allies, .graph, .activities, .resolutions])
    func untouchedReads(_ reader: Reader) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try reader.read(try Store(path: try ReleaseFixtureTests.copy(into: folder), access: .read))
    }
}
