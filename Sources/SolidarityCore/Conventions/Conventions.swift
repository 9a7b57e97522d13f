import Foundation
import GRDB

/// Reads and writes conventions.
struct Conventions: ValueStore {
    let db: Database

    /// Records a convention of the organization it names, giving it a handle when it has none.
    func write(_ convention: inout Convention) throws {
        let organization = try References(db: db).organization(convention.organization)
        convention.organization = organization.handle
        let suffix = convention.number.map(String.init) ?? convention.start.map { String($0.year) } ?? Naming.slug(convention.name)
        convention.handle = try Naming.claimHandle(convention.handle, base: "\(organization.handle)-\(suffix)", for: convention.name, isTaken: { candidate in
            try db.exists(cached: "SELECT 1 FROM conventions WHERE handle = ?", arguments: [candidate])
        }) { handle in
            SolidarityError(.duplicate, "A convention with handle \"\(handle)\" already exists.", remedy: .chooseAnother(.handle))
        }
        let record = ConventionRecord(convention, organizationID: organization.id)
        try record.insertRow(db)
    }

    /// Replaces the convention of the same handle by `updated` (an import's `--update`): its
    /// name, number, dates, place and notes; it stays with its organization.
    func replace(_ updated: Convention) throws {
        typealias Columns = ConventionRecord.Columns
        guard var record = try ConventionRecord.filter(Columns.handle == updated.handle).fetchOne(db) else {
            throw SolidarityError(.notFound, "No convention has the handle \"\(TextRules.printable(updated.handle))\".")
        }
        let kept = record
        record = ConventionRecord(updated, organizationID: kept.organizationID, id: kept.id)
        try record.update(db)
    }

    /// The convention a handle or name names.
    func match(_ ref: String) throws -> (id: Int64, convention: Convention) {
        let rows = try Row.fetchAll(db, cached: "SELECT id FROM conventions WHERE handle = ? UNION SELECT id FROM conventions WHERE lower(name) = lower(?)",
                                    arguments: [ref.lowercased(), ref])
        guard rows.count == 1, let id: Int64 = rows[0]["id"] else {
            let all = try String.fetchAll(db, cached: "SELECT handle FROM conventions ORDER BY handle")
            let hint = all.isEmpty ? "No convention is recorded yet: add one with `solidarity convention add`." : "Recorded conventions: \(all.joined(separator: ", "))."
            throw SolidarityError(rows.isEmpty ? .notFound : .ambiguous, "No single convention matches \"\(TextRules.printable(ref))\". \(hint)")
        }
        return (id, try fetch(ids: [id])[0])
    }

    func list(organization: String?) throws -> [Convention] {
        if let organization {
            let id = try References(db: db).organization(organization).id
            return try fetch(ids: Int64.fetchAll(db, cached: "SELECT id FROM conventions WHERE organization_id = ? ORDER BY first_day IS NULL, first_day, handle", arguments: [id]))
        }
        return try fetch(ids: Int64.fetchAll(db, cached: "SELECT id FROM conventions ORDER BY first_day IS NULL, first_day, handle"))
    }

    func fetch(ids: [Int64]) throws -> [Convention] {
        guard !ids.isEmpty else { return [] }
        var byID: [Int64: Convention] = [:]
        for row in try Row.fetchAll(db, cached: """
            SELECT c.*, o.handle AS organization FROM conventions c JOIN organizations o ON o.id = c.organization_id
            WHERE c.id IN (SELECT value FROM json_each(?))
            """, arguments: [JSONList.of(ids)]) {
            byID[row["id"]] = try Convention(record: ConventionRecord(row: row), organization: row["organization"])
        }
        return ids.compactMap { byID[$0] }
    }

    /// The convention of the same organization before this one (by start), if any.
    func previous(_ id: Int64) throws -> Convention? {
        try Int64.fetchOne(db, cached: """
            SELECT p.id FROM conventions c JOIN conventions p ON p.organization_id = c.organization_id
            WHERE c.id = ? AND p.id <> c.id AND p.first_day IS NOT NULL AND c.first_day IS NOT NULL AND p.first_day < c.first_day
            ORDER BY p.first_day DESC LIMIT 1
            """, arguments: [id]).map { try fetch(ids: [$0])[0] }
    }
}
