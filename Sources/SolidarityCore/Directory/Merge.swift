import Foundation
import GRDB

/// Which of two merged records a field's value comes from: `a`, the record merged away, or `b`,
/// the record it is merged into.
public enum MergeSide: String, Codable, Sendable {
    case a, b
}

/// What merging one record into another does, or would do: the links that move to the record
/// kept, those folded because the record kept already had them, and each field's value kept.
public struct MergePlan: Encodable, Sendable {
    /// A kind of link and how many move or fold.
    public struct Move: Encodable, Equatable, Sendable {
        /// What moves, in words: "relationships", "titles", "activity roles".
        public let what: String
        /// Links now on the record kept.
        public let moved: Int
        /// Links dropped because the record kept already had the same one, or because they joined
        /// the two records to each other (a relationship of A with B).
        public let folded: Int
    }

    /// A field whose two values differ, and the one kept.
    public struct Field: Encodable, Equatable, Sendable {
        public let field: String
        public let a: String?
        public let b: String?
        public let kept: MergeSide
        /// Both had a value and they differ: the user may choose another (`kept` is b's by default).
        public let conflict: Bool
    }

    public let kind: TimelineKind
    /// The record merged away.
    public let from: DuplicatePair.Side
    /// The record kept.
    public let into: DuplicatePair.Side
    public let moves: [Move]
    public let fields: [Field]
    /// Whether the merge was done (false: a dry run).
    public let done: Bool
}

/// Merges one organization, person or employer (A) into another (B) in the caller's transaction:
/// every link of A moves to B, duplicates and self-links are folded, each field takes B's value
/// (A's where B has none, or the side `keep` names), A's names become B's aliases, and A's handle
/// is kept in `merged_handles` so that references to it find B.
struct Merger {
    let db: Database
    let kind: TimelineKind

    /// A field as merging compares it: its name, its columns, and how its value reads.
    private struct FieldSpec {
        let name: String
        let columns: [String]
        /// Folded name columns written beside a column (`name` → `name_key`).
        var keys: [String: String] = [:]
    }

    private var table: String { DuplicateFinder.table(of: kind) }

    private var fieldSpecs: [FieldSpec] {
        switch kind {
        case .organization:
            [FieldSpec(name: "name", columns: ["name"], keys: ["name": "name_key"]),
             FieldSpec(name: "acronym", columns: ["acronym"], keys: ["acronym": "acronym_key"]),
             FieldSpec(name: "native-name", columns: ["native_name", "native_name_lang"], keys: ["native_name": "native_name_key"]),
             FieldSpec(name: "kind", columns: ["kind"]),
             FieldSpec(name: "country", columns: ["country", "region"]),
             FieldSpec(name: "city", columns: ["city"]),
             FieldSpec(name: "parent", columns: ["parent_id"]),
             FieldSpec(name: "members", columns: ["members", "members_as_of"]),
             FieldSpec(name: "website", columns: ["website"]),
             FieldSpec(name: "notes", columns: ["notes"]),
             FieldSpec(name: "sensitive", columns: ["sensitive"])]
        case .person:
            [FieldSpec(name: "name", columns: ["name"], keys: ["name": "name_key"]),
             FieldSpec(name: "email", columns: ["email"]),
             FieldSpec(name: "phone", columns: ["phone"]),
             FieldSpec(name: "secure-messaging", columns: ["secure_messaging"]),
             FieldSpec(name: "notes", columns: ["notes"]),
             FieldSpec(name: "sensitive", columns: ["sensitive"])]
        case .employer:
            [FieldSpec(name: "name", columns: ["name"], keys: ["name": "name_key"]),
             FieldSpec(name: "country", columns: ["country"]),
             FieldSpec(name: "parent", columns: ["parent_id"]),
             FieldSpec(name: "website", columns: ["website"]),
             FieldSpec(name: "notes", columns: ["notes"])]
        }
    }

    /// The fields `keep` may name, for messages.
    var fieldNames: [String] { fieldSpecs.map(\.name) }

    /// Merges the record `fromRef` names into the one `intoRef` names.
    func merge(_ fromRef: String, into intoRef: String, keep: [String: MergeSide]) throws -> MergePlan {
        let references = References(db: db)
        let a = try references.record(fromRef, among: [kind]).match
        let b = try references.record(intoRef, among: [kind]).match
        guard a.id != b.id else {
            throw SolidarityError(.conflict, "\"\(TextRules.printable(fromRef))\" and \"\(TextRules.printable(intoRef))\" are the same \(kind.rawValue) (\(b.handle)): there is nothing to merge.")
        }
        for field in keep.keys where !fieldNames.contains(field) {
            throw SolidarityError.invalid("\(TextRules.printable(field)) is not a field a merge of \(kind == .person ? "people" : kind.rawValue + "s") can choose; the fields are: \(fieldNames.joined(separator: ", ")).")
        }
        let rowA = try Row.fetchOne(db, sql: "SELECT * FROM \(table) WHERE id = ?", arguments: [a.id])!
        let rowB = try Row.fetchOne(db, sql: "SELECT * FROM \(table) WHERE id = ?", arguments: [b.id])!
        if kind != .person { try checkNoCycle(a: a, b: b, rowA: rowA, rowB: rowB, keep: keep) }

        var moves: [MergePlan.Move] = []
        if kind == .organization { moves.append(try moveRelationships(a.id, b.id)) }
        if let aliases = try moveAliases(a.id, b.id) { moves.append(aliases) }
        moves += try moveLinks(a.id, b.id)
        let fields = try applyFields(a: a, b: b, rowA: rowA, rowB: rowB, keep: keep)

        try db.execute(sql: "DELETE FROM \(table) WHERE id = ?", arguments: [a.id])
        // Both names stay findable, whichever the record kept took.
        try nameAsAlias(rowA["name"], of: b.id)
        try nameAsAlias(rowB["name"], of: b.id)
        if kind == .organization, let acronym: String = rowA["acronym"] { try nameAsAlias(acronym, of: b.id) }
        try db.execute(sql: """
            INSERT INTO merged_handles (kind, handle, into_id, merged_at) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (kind, handle) DO UPDATE SET into_id = excluded.into_id, merged_at = excluded.merged_at
            """, arguments: [kind.rawValue, a.handle, b.id, Store.timestamp()])
        try db.execute(sql: "UPDATE merged_handles SET into_id = ? WHERE kind = ? AND into_id = ?", arguments: [b.id, kind.rawValue, a.id])
        let merged = try References(db: db).record(b.handle, among: [kind]).match
        return MergePlan(kind: kind, from: .init(handle: a.handle, name: a.name), into: .init(handle: merged.handle, name: merged.name),
                         moves: moves.filter { $0.moved + $0.folded > 0 }, fields: fields, done: true)
    }

    // MARK: Links

    /// What a link table holds, in words.
    private static func label(_ table: String) -> String {
        [
            "person_titles": "titles", "activity_organizations": "activity roles", "activity_people": "activity roles",
            "activity_employers": "activities", "representations": "representation", "resolution_organizations": "resolution mentions",
            "resolution_employers": "resolution mentions", "organization_sources": "sources", "person_sources": "sources",
            "employer_sources": "sources", "organization_campaigns": "campaigns", "conventions": "conventions", "home": "home",
            "sites": "sites", "person_languages": "languages",
        ][table] ?? table.replacingOccurrences(of: "_", with: " ")
    }

    /// Moves the rows of every table that refers to the kind's table by a foreign key (found in
    /// the schema, so that a table added later moves too); a row the record kept already has is
    /// folded. Relationships, aliases, languages and parts are moved on their own.
    private func moveLinks(_ a: Int64, _ b: Int64) throws -> [MergePlan.Move] {
        var moves: [MergePlan.Move] = []
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        for linking in tables where !["relationships", "organization_aliases", "employer_aliases", "person_languages"].contains(linking) {
            for foreignKey in try Row.fetchAll(db, sql: "SELECT \"table\", \"from\" FROM pragma_foreign_key_list(?)", arguments: [linking])
            where (foreignKey["table"] as String) == table {
                let column: String = foreignKey["from"]
                if linking == table {
                    // Parts: the locals of A become locals of B (B itself is settled by its fields).
                    try db.execute(sql: "UPDATE \(table) SET \(column) = ? WHERE \(column) = ? AND id <> ?", arguments: [b, a, b])
                    moves.append(.init(what: kind == .organization ? "parts" : "subsidiaries", moved: db.changesCount, folded: 0))
                    continue
                }
                try db.execute(sql: "UPDATE OR IGNORE \(linking) SET \(column) = ? WHERE \(column) = ?", arguments: [b, a])
                let moved = db.changesCount
                try db.execute(sql: "DELETE FROM \(linking) WHERE \(column) = ?", arguments: [a])
                let folded = db.changesCount
                let what = Self.label(linking)
                if let index = moves.firstIndex(where: { $0.what == what }) {
                    moves[index] = .init(what: what, moved: moves[index].moved + moved, folded: moves[index].folded + folded)
                } else {
                    moves.append(.init(what: what, moved: moved, folded: folded))
                }
            }
        }
        return moves
    }

    /// Moves A's relationships to B: one with B itself is folded, as is one B already has (its
    /// sources join B's); symmetric kinds keep their lower id first.
    private func moveRelationships(_ a: Int64, _ b: Int64) throws -> MergePlan.Move {
        var moved = 0, folded = 0
        let rows = try Row.fetchAll(db, sql: "SELECT id, from_id, to_id, kind FROM relationships WHERE from_id = ?1 OR to_id = ?1 ORDER BY id",
                                    arguments: [a])
        for row in rows {
            let id: Int64 = row["id"]
            let kindName: String = row["kind"]
            var from: Int64 = row["from_id"] == a ? b : row["from_id"]
            var to: Int64 = row["to_id"] == a ? b : row["to_id"]
            if from == to {
                try db.execute(sql: "DELETE FROM relationships WHERE id = ?", arguments: [id])
                folded += 1
                continue
            }
            if Relationship.Kind(rawValue: kindName)?.isSymmetric == true, from > to { (from, to) = (to, from) }
            if let kept = try Int64.fetchOne(db, sql: "SELECT id FROM relationships WHERE from_id = ? AND to_id = ? AND kind = ? AND id <> ?",
                                              arguments: [from, to, kindName, id]) {
                try db.execute(sql: """
                    INSERT OR IGNORE INTO relationship_sources (relationship_id, source_id)
                    SELECT ?, source_id FROM relationship_sources WHERE relationship_id = ?
                    """, arguments: [kept, id])
                try db.execute(sql: "DELETE FROM relationships WHERE id = ?", arguments: [id])
                folded += 1
            } else {
                try db.execute(sql: "UPDATE relationships SET from_id = ?, to_id = ? WHERE id = ?", arguments: [from, to, id])
                moved += 1
            }
        }
        return .init(what: "relationships", moved: moved, folded: folded)
    }

    /// Moves A's aliases (an organization's, an employer's) or languages (a person's) after B's own;
    /// one B already has is folded.
    private func moveAliases(_ a: Int64, _ b: Int64) throws -> MergePlan.Move? {
        let (linking, owner, columns, what) = switch kind {
        case .organization: ("organization_aliases", "organization_id", "alias, alias_key, lang", "aliases")
        case .employer: ("employer_aliases", "employer_id", "alias, alias_key", "aliases")
        case .person: ("person_languages", "person_id", "lang", "languages")
        }
        let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(linking) WHERE \(owner) = ?", arguments: [a]) ?? 0
        guard count > 0 else { return nil }
        let keyed = kind != .person
        try db.execute(sql: """
            INSERT INTO \(linking) (\(owner), position, \(columns))
            SELECT ?1, coalesce((SELECT max(position) FROM \(linking) WHERE \(owner) = ?1), 0) + row_number() OVER (ORDER BY position), \(columns)
            FROM \(linking) x WHERE \(owner) = ?2
              AND NOT EXISTS (SELECT 1 FROM \(linking) y WHERE y.\(owner) = ?1 AND \(keyed ? "y.alias_key = x.alias_key" : "y.lang = x.lang"))
            """, arguments: [b, a])
        let moved = db.changesCount
        try db.execute(sql: "DELETE FROM \(linking) WHERE \(owner) = ?", arguments: [a])
        return .init(what: what, moved: moved, folded: count - moved)
    }

    /// Adds A's name (or acronym) as an alias of B, unless B already answers to it.
    private func nameAsAlias(_ name: String, of b: Int64) throws {
        let key = Naming.key(name)
        // `answersTo`: the record's own columns that may hold the name's key (?2).
        let (aliases, owner, answersTo): (String, String, String)
        switch kind {
        case .organization:
            (aliases, owner, answersTo) = ("organization_aliases", "organization_id", "name_key = ?2 OR acronym_key IS ?2 OR native_name_key IS ?2")
        case .employer:
            (aliases, owner, answersTo) = ("employer_aliases", "employer_id", "name_key = ?2")
        case .person:
            return  // people have no aliases: the old handle still finds them
        }
        let known = try db.exists(cached: "SELECT 1 FROM \(table) WHERE id = ?1 AND (\(answersTo))", arguments: [b, key])
            || db.exists(cached: "SELECT 1 FROM \(aliases) WHERE \(owner) = ?1 AND alias_key = ?2", arguments: [b, key])
        guard !known else { return }
        try db.execute(sql: """
            INSERT INTO \(aliases) (\(owner), position, alias, alias_key)
            VALUES (?1, coalesce((SELECT max(position) FROM \(aliases) WHERE \(owner) = ?1), 0) + 1, ?2, ?3)
            """, arguments: [b, name, key])
    }

    // MARK: Fields

    /// A field's value as the plan shows it (a parent by its handle).
    private func shown(_ spec: FieldSpec, _ row: Row) throws -> String? {
        let values: [DatabaseValue] = spec.columns.map { row[$0] }
        guard !values.allSatisfy(\.isNull) else { return nil }
        if spec.name == "parent", let id = Int64.fromDatabaseValue(values[0]) {
            return try String.fetchOne(db, sql: "SELECT handle FROM \(table) WHERE id = ?", arguments: [id])
        }
        if spec.name == "sensitive" { return values[0] == 1.databaseValue ? "yes" : "no" }
        return values.compactMap { $0.isNull ? nil : String.fromDatabaseValue($0) ?? $0.description }.joined(separator: ", ")
    }

    /// Settles each field of B: B's value where both have one (or the side `keep` names), A's where
    /// only A has one; sensitive when either is, unless `keep` says otherwise.
    private func applyFields(a: References.Match, b: References.Match, rowA: Row, rowB: Row, keep: [String: MergeSide]) throws -> [MergePlan.Field] {
        var fields: [MergePlan.Field] = []
        for spec in fieldSpecs {
            var valuesA: [DatabaseValue] = spec.columns.map { rowA[$0] }
            var valuesB: [DatabaseValue] = spec.columns.map { rowB[$0] }
            if spec.name == "parent" {
                // A part of the other: that link is the merge itself, not a parent to keep.
                if valuesA[0] == b.id.databaseValue { valuesA = [.null] }
                if valuesB[0] == a.id.databaseValue { valuesB = valuesA }
            }
            guard valuesA != valuesB else { continue }
            let isNullA = valuesA.allSatisfy(\.isNull), isNullB = valuesB.allSatisfy(\.isNull)
            let conflict = !isNullA && !isNullB && spec.name != "sensitive"
            var kept: MergeSide = isNullB ? .a : .b
            if spec.name == "sensitive" { kept = valuesA[0] == 1.databaseValue ? .a : .b }
            if let chosen = keep[spec.name] { kept = chosen }
            // A has nothing to offer: not worth a line.
            if isNullA, kept == .b { continue }
            var rowShownA = rowA, rowShownB = rowB
            if spec.name == "parent" {
                rowShownA = Row(["parent_id": valuesA[0]])
                rowShownB = Row(["parent_id": valuesB[0]])
            }
            fields.append(.init(field: spec.name, a: try shown(spec, rowShownA), b: try shown(spec, rowShownB), kept: kept, conflict: conflict))
            let values = kept == .a ? valuesA : valuesB
            guard values != spec.columns.map({ rowB[$0] as DatabaseValue }) else { continue }
            var assignments: [String] = []
            var arguments: [(any DatabaseValueConvertible)?] = []
            for (column, value) in zip(spec.columns, values) {
                assignments.append("\(column) = ?")
                arguments.append(value)
                if let keyColumn = spec.keys[column] {
                    assignments.append("\(keyColumn) = ?")
                    arguments.append(String.fromDatabaseValue(value).map(Naming.key))
                }
            }
            arguments.append(b.id)
            try db.execute(sql: "UPDATE \(table) SET \(assignments.joined(separator: ", ")) WHERE id = ?", arguments: StatementArguments(arguments))
        }
        return fields
    }

    /// Refuses a merge whose kept parent would be B itself or one of B's parts.
    private func checkNoCycle(a: References.Match, b: References.Match, rowA: Row, rowB: Row, keep: [String: MergeSide]) throws {
        var parentA: Int64? = rowA["parent_id"]
        if parentA == b.id { parentA = nil }
        var parentB: Int64? = rowB["parent_id"]
        if parentB == a.id { parentB = parentA }
        let chosen = keep["parent"] == .a || parentB == nil ? parentA : parentB
        guard let chosen else { return }
        let isBelowB = try db.exists(cached: """
            WITH RECURSIVE up(id) AS (SELECT ?1 UNION SELECT t.parent_id FROM \(table) t JOIN up ON t.id = up.id WHERE t.parent_id IS NOT NULL)
            SELECT 1 FROM up WHERE id IN (?2, ?3)
            """, arguments: [chosen, b.id, a.id])
        if isBelowB {
            throw SolidarityError(.conflict, "\(TextRules.printable(b.name)) would become part of itself: its parent after the merge would be one of its own parts or \(TextRules.printable(a.name)).")
        }
    }
}

extension Store {
    /// Merges the record `from` names into the one `into` names, in one transaction; with
    /// `dryRun`, says what it would do and writes nothing. `keep` chooses the side of a field
    /// whose two values differ (B's by default).
    public func merge(_ kind: TimelineKind, _ from: String, into: String, keep: [String: MergeSide] = [:], dryRun: Bool) throws -> MergePlan {
        // A dry run merges, then throws its plan so that the transaction rolls back whole.
        struct DryRun: Error { let plan: MergePlan }
        do {
            return try write { db in
                let plan = try Merger(db: db, kind: kind).merge(from, into: into, keep: keep)
                guard !dryRun else {
                    throw DryRun(plan: MergePlan(kind: plan.kind, from: plan.from, into: plan.into, moves: plan.moves, fields: plan.fields, done: false))
                }
                try recordMergeEvents(plan, in: db)
                return plan
            }
        } catch let dryRun as DryRun {
            return dryRun.plan
        }
    }

    /// The webhook events of a merge: the record kept was updated, the one merged away removed.
    private func recordMergeEvents(_ plan: MergePlan, in db: Database) throws {
        switch plan.kind {
        case .organization:
            let kept = try Organizations(db: db).find(plan.into.handle)
            try Outbox(db: db).record(.organizationUpdated, about: kept)
            try Outbox(db: db).record(.organizationRemoved, about: OrganizationRemoval(organization: Organization(handle: plan.from.handle, name: plan.from.name)))
        case .person:
            try Outbox(db: db).record(.personUpdated, about: try People(db: db).find(plan.into.handle))
        case .employer:
            break  // employers have no events yet
        }
    }
}
