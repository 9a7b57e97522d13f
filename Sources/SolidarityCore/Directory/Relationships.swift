import Foundation
import GRDB

/// Reads and writes relationships between organizations.
struct Relationships {
    let db: Database

    /// Records a relationship. Symmetric kinds are stored once per pair, whichever way they are given.
    @discardableResult
    func insert(_ relationship: Relationship) throws -> Relationship {
        let references = References(db: db)
        let from = try references.organization(relationship.from)
        let to = try references.organization(relationship.to)
        guard from.id != to.id else {
            throw SolidarityError(.conflict, "An organization cannot have a relationship with itself (\(from.name)): name two different organizations.")
        }
        try relationship.period.check("the relationship")
        let (a, b) = relationship.kind.isSymmetric && to.id < from.id ? (to, from) : (from, to)
        if try exists(from: a.id, to: b.id, kind: relationship.kind) {
            throw SolidarityError(.duplicate, "\(from.name) is already recorded as \(relationship.kind.phrase) \(to.name).",
                                  remedy: .changeOrEndRelationship(from: from.handle, to: to.handle, kind: relationship.kind))
        }
        if relationship.kind.isSymmetric == false, try exists(from: b.id, to: a.id, kind: relationship.kind) {
            throw SolidarityError(.conflict, "\(to.name) is already recorded as \(relationship.kind.phrase) \(from.name); both cannot be \(relationship.kind.phrase) the other.")
        }
        let record = RelationshipRecord(relationship, fromID: a.id, toID: b.id)
        try record.insertRow(db)
        let id = db.lastInsertedRowID
        try cite(relationship.sources, id: id)
        return try fetch(where: "r.id = \(id)")[0].oriented(from: from.handle)
    }

    /// The relationship of a kind between two organizations, whichever way a symmetric one was given.
    func find(_ first: String, _ second: String, kind: Relationship.Kind) throws -> (id: Int64, relationship: Relationship) {
        let references = References(db: db)
        let a = try references.organization(first)
        let b = try references.organization(second)
        let rows = try fetchRows(where: """
            r.kind = \(kind.rawValue) AND ((r.from_id = \(a.id) AND r.to_id = \(b.id)) OR (\(kind.isSymmetric) AND r.from_id = \(b.id) AND r.to_id = \(a.id)))
            """)
        guard let row = rows.first else {
            throw SolidarityError(.notFound, "No \(kind.rawValue) relationship from \(a.name) to \(b.name) is recorded.", remedy: .listRelationships(of: a.handle))
        }
        return (row.id, row.relationship.oriented(from: a.handle))
    }

    /// Changes a relationship's status, dates or notes.
    @discardableResult
    func update(_ first: String, _ second: String, kind: Relationship.Kind, _ change: (inout Relationship) throws -> Void) throws -> (before: Relationship, after: Relationship) {
        let (id, before) = try find(first, second, kind: kind)
        var after = before
        try change(&after)
        try after.period.check("the relationship")
        typealias Columns = RelationshipRecord.Columns
        try RelationshipRecord.filter(key: id).updateAll(db, Columns.status.set(to: after.status.rawValue), Columns.since.set(to: after.since?.description),
                                                         Columns.until.set(to: after.until?.description), Columns.notes.set(to: after.notes))
        try cite(Array(Set(after.sources).subtracting(before.sources)), id: id)
        return (before, try fetch(where: "r.id = \(id)")[0].oriented(from: before.from))
    }

    /// Relationships of one organization (either side) or all, optionally of one kind and status.
    func list(organization: Int64?, kind: Relationship.Kind?, status: Relationship.Status?) throws -> [Relationship] {
        try ListingPages.all { try list(organization: organization, kind: kind, status: status, each: $0) }
    }

    /// Hands `body` the relationships, optionally of one organization, kind and status, one at a time.
    func list(organization: Int64?, kind: Relationship.Kind?, status: Relationship.Status?, each body: (Relationship) throws -> Void) throws {
        var conditions: [SQL] = []
        if let organization {
            conditions.append("r.id IN (SELECT id FROM relationships WHERE from_id = \(organization) UNION SELECT id FROM relationships WHERE to_id = \(organization))")
        }
        if let kind {
            conditions.append("r.kind = \(kind.rawValue)")
        }
        if let status {
            conditions.append("r.status = \(status.rawValue)")
        }
        // Listed from the organization's side: a symmetric link names it first.
        let handle = try organization.flatMap {
            try String.fetchOne(db, cached: "SELECT handle FROM organizations WHERE id = ?", arguments: [$0])
        }
        try eachRow(where: "\(conditions.joined(operator: .and))") { _, relationship in
            try body(handle.map(relationship.oriented(from:)) ?? relationship)
        }
    }

    /// The relationships a condition on `r` (the relationships table) selects, in listing order.
    func fetch(where condition: SQL) throws -> [Relationship] {
        try fetchRows(where: condition).map(\.relationship)
    }

    private func fetchRows(where condition: SQL) throws -> [(id: Int64, relationship: Relationship)] {
        var rows: [(id: Int64, relationship: Relationship)] = []
        try eachRow(where: condition) { rows.append(($0, $1)) }
        return rows
    }

    /// Hands `body` each relationship a condition selects with its row id, as SQLite yields them.
    private func eachRow(where condition: SQL, _ body: (Int64, Relationship) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, SQLRequest(literal: """
            SELECT r.*, a.handle AS from_handle, b.handle AS to_handle,
                (SELECT group_concat(uid, ' ') FROM (SELECT s.uid FROM relationship_sources rs JOIN sources s ON s.id = rs.source_id
                 WHERE rs.relationship_id = r.id ORDER BY s.uid)) AS source_ids
            FROM relationships r JOIN organizations a ON a.id = r.from_id JOIN organizations b ON b.id = r.to_id
            WHERE \(condition)
            ORDER BY a.handle, r.kind, b.handle
            """, cached: true))
        while let row = try rows.next() {
            let record = try RelationshipRecord(row: row)
            try body(record.id!, try Relationship(record: record, from: row["from_handle"], to: row["to_handle"],
                                                  sources: (row["source_ids"] as String?)?.split(separator: " ").map(String.init) ?? []))
        }
    }

    /// Whether a relationship of this kind from one organization to the other is recorded.
    private func exists(from: Int64, to: Int64, kind: Relationship.Kind) throws -> Bool {
        try db.exists(cached: "SELECT 1 FROM relationships WHERE from_id = ? AND to_id = ? AND kind = ?", arguments: [from, to, kind.rawValue])
    }

    /// Cites each source (by id or URL) for the relationship with row id `id`, each once.
    private func cite(_ sources: [String], id: Int64) throws {
        for source in Set(sources) {
            try LinkRecord<RelationshipSources>(owner: id, target: try Sources(db: db).cite(source)).insertRow(db, ignoringConflicts: true)
        }
    }
}

extension Relationship {
    /// The same link read from `handle`'s side: a symmetric one is turned round when needed.
    func oriented(from handle: String) -> Relationship {
        guard kind.isSymmetric, to == handle else { return self }
        var turned = self
        (turned.from, turned.to) = (to, from)
        return turned
    }
}
