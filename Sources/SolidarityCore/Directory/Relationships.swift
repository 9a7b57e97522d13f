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
        if try Int.fetchOne(db, cached: "SELECT 1 FROM relationships WHERE from_id = ? AND to_id = ? AND kind = ?",
                            arguments: [a.id, b.id, relationship.kind.rawValue]) != nil {
            throw SolidarityError(.duplicate, "\(from.name) is already recorded as \(relationship.kind.phrase) \(to.name).",
                                  remedy: .changeOrEndRelationship(from: from.handle, to: to.handle, kind: relationship.kind))
        }
        if relationship.kind.isSymmetric == false,
           try Int.fetchOne(db, cached: "SELECT 1 FROM relationships WHERE from_id = ? AND to_id = ? AND kind = ?",
                            arguments: [b.id, a.id, relationship.kind.rawValue]) != nil {
            throw SolidarityError(.conflict, "\(to.name) is already recorded as \(relationship.kind.phrase) \(from.name); both cannot be \(relationship.kind.phrase) the other.")
        }
        try db.execute(cached: "INSERT INTO relationships (from_id, to_id, kind, status, since, until, notes) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       arguments: [a.id, b.id, relationship.kind.rawValue, relationship.status.rawValue,
                                   relationship.since?.description, relationship.until?.description, relationship.notes])
        let id = db.lastInsertedRowID
        for source in Set(relationship.sources) {
            try db.execute(cached: "INSERT OR IGNORE INTO relationship_sources (relationship_id, source_id) VALUES (?, ?)",
                           arguments: [id, try Sources(db: db).cite(source)])
        }
        return try fetch(where: "r.id = ?", [id])[0].oriented(from: from.handle)
    }

    /// The relationship of a kind between two organizations, whichever way a symmetric one was given.
    func find(_ first: String, _ second: String, kind: Relationship.Kind) throws -> (id: Int64, relationship: Relationship) {
        let references = References(db: db)
        let a = try references.organization(first)
        let b = try references.organization(second)
        let rows = try fetchRows(where: "r.kind = ? AND ((r.from_id = ? AND r.to_id = ?) OR (? AND r.from_id = ? AND r.to_id = ?))",
                                 [kind.rawValue, a.id, b.id, kind.isSymmetric, b.id, a.id])
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
        try db.execute(cached: "UPDATE relationships SET status = ?, since = ?, until = ?, notes = ? WHERE id = ?",
                       arguments: [after.status.rawValue, after.since?.description, after.until?.description, after.notes, id])
        for source in Set(after.sources).subtracting(before.sources) {
            try db.execute(cached: "INSERT OR IGNORE INTO relationship_sources (relationship_id, source_id) VALUES (?, ?)",
                           arguments: [id, try Sources(db: db).cite(source)])
        }
        return (before, try fetch(where: "r.id = ?", [id])[0].oriented(from: before.from))
    }

    /// Relationships of one organization (either side) or all, optionally of one kind and status.
    func list(organization: Int64?, kind: Relationship.Kind?, status: Relationship.Status?) throws -> [Relationship] {
        var relationships: [Relationship] = []
        try list(organization: organization, kind: kind, status: status) { relationships.append($0) }
        return relationships
    }

    /// Hands `body` the relationships, optionally of one organization, kind and status, one at a time.
    func list(organization: Int64?, kind: Relationship.Kind?, status: Relationship.Status?, each body: (Relationship) throws -> Void) throws {
        var clauses: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let organization {
            clauses.append("r.id IN (SELECT id FROM relationships WHERE from_id = ? UNION SELECT id FROM relationships WHERE to_id = ?)")
            arguments += [organization, organization]
        }
        if let kind {
            clauses.append("r.kind = ?")
            arguments.append(kind.rawValue)
        }
        if let status {
            clauses.append("r.status = ?")
            arguments.append(status.rawValue)
        }
        // Listed from the organization's side: a symmetric link names it first.
        let handle = try organization.flatMap { try String.fetchOne(db, cached: "SELECT handle FROM organizations WHERE id = ?", arguments: [$0]) }
        try eachRow(where: clauses.isEmpty ? "1" : clauses.joined(separator: " AND "), arguments) { _, relationship in
            try body(handle.map(relationship.oriented(from:)) ?? relationship)
        }
    }

    func fetch(where clause: String, _ arguments: [(any DatabaseValueConvertible)?]) throws -> [Relationship] {
        try fetchRows(where: clause, arguments).map(\.relationship)
    }

    private func fetchRows(where clause: String, _ arguments: [(any DatabaseValueConvertible)?]) throws -> [(id: Int64, relationship: Relationship)] {
        var rows: [(id: Int64, relationship: Relationship)] = []
        try eachRow(where: clause, arguments) { rows.append(($0, $1)) }
        return rows
    }

    /// Hands `body` each relationship a condition selects with its row id, as SQLite yields them.
    private func eachRow(where clause: String, _ arguments: [(any DatabaseValueConvertible)?],
                         _ body: (Int64, Relationship) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT r.id, a.handle AS from_handle, b.handle AS to_handle, r.kind, r.status, r.since, r.until, r.notes,
                (SELECT group_concat(uid, ' ') FROM (SELECT s.uid FROM relationship_sources rs JOIN sources s ON s.id = rs.source_id
                 WHERE rs.relationship_id = r.id ORDER BY s.uid)) AS source_ids
            FROM relationships r JOIN organizations a ON a.id = r.from_id JOIN organizations b ON b.id = r.to_id
            WHERE \(clause)
            ORDER BY a.handle, r.kind, b.handle
            """, arguments: StatementArguments(arguments))
        while let row = try rows.next() {
            let id: Int64 = row["id"]
            try body(id, Relationship(
                from: row["from_handle"], to: row["to_handle"], kind: try .stored(row["kind"], column: "kind", table: "relationships", row: id),
                status: try .stored(row["status"], column: "status", table: "relationships", row: id),
                since: try (row["since"] as String?).map(PartialDate.init), until: try (row["until"] as String?).map(PartialDate.init),
                notes: row["notes"], sources: (row["source_ids"] as String?)?.split(separator: " ").map(String.init) ?? []))
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
