import Foundation
import GRDB

/// Reads the history: the changes of the whole database or of one record, and one change whole.
struct HistoryLog {
    let db: Database

    /// The changes `filter` selects, newest first, each with the records it touched (no fields).
    func changes(_ filter: HistoryFilter) throws -> [HistoryChange] {
        try changes(filter, of: filter.record.map { try HistoryLog.record($0, in: db) })
    }

    /// The changes of row `id` of `table` and of the records that refer to it, newest first, each
    /// with only those records. `bulkCreations: false` leaves out what a bulk write (import, seed,
    /// CSV import) created, the record among a range or a link to it: only what such a write
    /// modified or removed counts.
    func changes(of table: String, id: Int64, bulkCreations: Bool) throws -> [HistoryChange] {
        try changes(HistoryFilter(), of: (table, id), bulkCreations: bulkCreations)
    }

    private func changes(_ filter: HistoryFilter, of record: (table: String, id: Int64)?, bulkCreations: Bool = true) throws -> [HistoryChange] {
        var conditions: [SQL] = []
        if let since = filter.since { conditions.append("h.at >= \(since.start)") }
        // `at` is a full timestamp: the whole last day counts.
        if let until = filter.until { conditions.append("substr(h.at, 1, 10) <= \(until.end)") }
        if let by = filter.by {
            conditions.append("h.who IN (SELECT id FROM history_values WHERE value = \(HistoryValues.scalar(by)))")
        }
        var recordsOf: (table: String, id: Int64, referring: SQL)?
        if let (table, id) = record {
            var referring = try referringRecords(table: table, id: id)
            if !bulkCreations {
                referring = "(\(referring)) AND (r.action <> 'created' OR NOT EXISTS (SELECT 1 FROM history_created c WHERE c.change = r.change))"
            }
            recordsOf = (table, id, referring)
            // Imported changes name row ids of the database they were recorded in: not this record's.
            conditions.append("NOT \(HistoryKeeping.imported("h.id"))")
            let touched: SQL = "h.id IN (SELECT change FROM history_records r WHERE \(referring))"
            conditions.append(bulkCreations ? """
                (\(touched)
                 OR h.id IN (SELECT change FROM history_created WHERE table_name = \(table) AND \(id) BETWEEN first_row AND last_row))
                """ : touched)
        }
        let condition: SQL = conditions.isEmpty ? "" : "WHERE \(conditions.joined(separator: " AND "))"
        let limit: SQL = filter.limit.map { "LIMIT \($0)" } ?? ""
        let rule = try Disclosure(db: db)
        return try Int64.fetchAll(db, SQLRequest<Int64>(literal: "SELECT h.id FROM history h \(condition) ORDER BY h.id DESC \(limit)")).map { id in
            var change = try self.change(id, fields: false, rule: rule)
            if let recordsOf, !bulkCreations || change.created.isEmpty || !change.created.contains(where: { $0.table == recordsOf.table && (($0.first)...($0.last)).contains(recordsOf.id) }) {
                // Of one record: only the records that are it or refer to it.
                let kept = try Set(Int64.fetchAll(db, SQLRequest<Int64>(literal: "SELECT r.seq FROM history_records r WHERE r.change = \(id) AND (\(recordsOf.referring))")))
                let seqs = try Int64.fetchAll(db, sql: "SELECT seq FROM history_records WHERE change = ? ORDER BY seq", arguments: [id])
                change = change.keeping(zip(seqs, change.records).filter { kept.contains($0.0) }.map(\.1), created: bulkCreations ? change.created : [])
            }
            return change
        }
    }

    /// Change `id` whole, field by field.
    func change(_ id: Int64) throws -> HistoryChange {
        try mustExist(id)
        return try change(id, fields: true, rule: try Disclosure(db: db))
    }

    /// Refuses a change number that the history does not have, saying which it has.
    func mustExist(_ id: Int64) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM history WHERE id = ?", arguments: [id]) == true else {
            let last = try Int64.fetchOne(db, sql: "SELECT max(id) FROM history")
            throw SolidarityError(.notFound, "There is no change \(id) in the history" + (last.map { ": the changes are numbered 1 to \($0)." } ?? ", which is empty."))
        }
    }

    func change(_ id: Int64, fields withFields: Bool, rule: Disclosure) throws -> HistoryChange {
        let row = try Row.fetchOne(db, sql: """
            SELECT h.id, h.at, h.operation, h.undoes, w.value AS who, a.value AS arguments
            FROM history h JOIN history_values w ON w.id = h.who JOIN history_values a ON a.id = h.arguments WHERE h.id = ?
            """, arguments: [id])!
        let imported = try HistoryKeeping.importing(id, in: db) != nil
        let records = try Row.fetchAll(db, sql: """
            SELECT r.id, r.table_name, r.row_id, r.row_key, r.action, r.label, l.value AS label_value
            FROM history_records r LEFT JOIN history_values l ON l.id = r.label WHERE r.change = ? ORDER BY r.seq
            """, arguments: [id]).map { record in
            let recordID: Int64 = record["id"]
            let table: String = record["table_name"]
            let fields = try Row.fetchAll(db, sql: """
                SELECT f.name, f.before, b.value AS before_value, f.after, a.value AS after_value FROM history_fields f
                LEFT JOIN history_values b ON b.id = f.before LEFT JOIN history_values a ON a.id = f.after
                WHERE f.record = ? ORDER BY f.name
                """, arguments: [recordID]).map { field in
                HistoryChange.Field(name: field["name"],
                                    before: (field["before"] as Int64?).map { _ in HistoryLog.value(field["before_value"]) },
                                    after: (field["after"] as Int64?).map { _ in HistoryLog.value(field["after_value"]) })
            }
            let label: HistoryChange.Value? = (record["label"] as Int64?).map { _ in HistoryLog.value(record["label_value"]) }
            return HistoryChange.Record(
                kind: HistoryChange.kind(ofTable: table), label: label?.description, action: HistoryChange.Record.Action(rawValue: record["action"])!,
                table: table, rowID: record["row_id"], rowKey: record["row_key"],
                sensitive: try sensitive(table: table, rowID: record["row_id"], rowKey: record["row_key"], recordID: recordID,
                                         imported: imported, rule: rule),
                fields: withFields ? fields : [])
        }
        let created = try Row.fetchAll(db, sql: "SELECT table_name, first_row, last_row FROM history_created WHERE change = ? ORDER BY table_name",
                                       arguments: [id]).map {
            HistoryChange.Created(kind: HistoryChange.kind(ofTable: $0["table_name"]), table: $0["table_name"], first: $0["first_row"], last: $0["last_row"])
        }
        let arguments = (row["arguments"] as String?).flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) }
        return HistoryChange(id: id, at: row["at"], who: HistoryLog.value(row["who"]), operation: row["operation"], arguments: arguments,
                             undoes: row["undoes"], records: records, created: created)
    }

    /// A stored JSON scalar as text: a string without its quotes; JSON null as `.none`; nil
    /// (erased) as `.erased`.
    static func value(_ json: String?) -> HistoryChange.Value {
        guard let json else { return .erased }
        if json == "null" { return .none }
        if json.hasPrefix("\""), let text = try? JSONDecoder().decode(String.self, from: Data(json.utf8)) { return .value(text) }
        return .value(json)
    }

    /// The records of change `id` (their ids in `history_records`) that are, or refer to, a
    /// withheld record: those the listing marks sensitive, and an export carries erased.
    func withheldRecords(of id: Int64, rule: Disclosure) throws -> Set<Int64> {
        let imported = try HistoryKeeping.importing(id, in: db) != nil
        var withheld = Set<Int64>()
        for record in try Row.fetchAll(db, sql: "SELECT id, table_name, row_id, row_key FROM history_records WHERE change = ?", arguments: [id]) {
            if try sensitive(table: record["table_name"], rowID: record["row_id"], rowKey: record["row_key"], recordID: record["id"],
                             imported: imported, rule: rule) {
                withheld.insert(record["id"])
            }
        }
        return withheld
    }

    /// Whether a record touched is, or refers to, a withheld record: an organization, person or
    /// activity withheld now or marked sensitive in the change, or a record whose fields (in the
    /// change, or now) name a withheld organization or person or a sensitive activity.
    ///
    /// A change `imported` with a carried history names row ids of the database it was recorded
    /// in, which say nothing of this one's records: its record is sensitive when the change marks
    /// it so, or when its values came erased (the export that carried it withheld them).
    private func sensitive(table: String, rowID: Int64?, rowKey: String?, recordID: Int64, imported: Bool, rule: Disclosure) throws -> Bool {
        if rule.includesSensitive { return false }
        let marked = try Bool.fetchOne(db, sql: """
            SELECT 1 FROM history_fields f JOIN history_values v ON v.id IN (f.before, f.after)
            WHERE f.record = ? AND f.name = 'sensitive' AND v.value = '1'
            """, arguments: [recordID]) ?? false
        if marked { return true }
        if imported {
            return try Bool.fetchOne(db, sql: """
                SELECT 1 FROM history_records r JOIN history_values v
                    ON v.id = r.label OR v.id IN (SELECT f.before FROM history_fields f WHERE f.record = r.id)
                                      OR v.id IN (SELECT f.after FROM history_fields f WHERE f.record = r.id)
                WHERE r.id = ? AND v.value IS NULL
                """, arguments: [recordID]) ?? false
        }
        if let rowID, try withheld(table, rowID, rule: rule) { return true }
        for (column, target) in try HistoryLog.references(of: table, in: db) {
            var ids = try Int64.fetchAll(db, sql: """
                SELECT CAST(v.value AS INTEGER) FROM history_fields f JOIN history_values v ON v.id IN (f.before, f.after)
                WHERE f.record = ? AND f.name = ? AND v.value IS NOT NULL AND v.value <> 'null'
                """, arguments: [recordID, column])
            if let rowKey, let id = try Int64.fetchOne(db, sql: "SELECT json_extract(?, '$.' || ?)", arguments: [rowKey, column]) { ids.append(id) }
            if let rowID, let id = try Int64.fetchOne(db, sql: "SELECT \(column.quotedDatabaseIdentifier) FROM \(table.quotedDatabaseIdentifier) WHERE rowid = ?",
                                                      arguments: [rowID]) { ids.append(id) }
            for id in ids where try withheld(target, id, rule: rule) { return true }
        }
        return false
    }

    /// Whether row `id` of `table` is withheld now, or was marked sensitive by any change recorded
    /// here (a person marked sensitive and then removed: the changes from before they were marked
    /// stay theirs).
    private func withheld(_ table: String, _ id: Int64, rule: Disclosure) throws -> Bool {
        let now: Bool
        switch table {
        case "organizations": now = !rule.shows(organizationID: id)
        case "people": now = try Bool.fetchOne(db, sql: "SELECT sensitive FROM people WHERE id = ?", arguments: [id]) ?? false
        case "activities": now = try Bool.fetchOne(db, sql: "SELECT sensitive FROM activities WHERE id = ?", arguments: [id]) ?? false
        default: return false
        }
        if now { return true }
        return try Bool.fetchOne(db, SQLRequest<Bool>(literal: """
            SELECT 1 FROM history_records r JOIN history_fields f ON f.record = r.id JOIN history_values v ON v.id IN (f.before, f.after)
            WHERE r.table_name = \(table) AND r.row_id = \(id) AND f.name = 'sensitive' AND v.value = '1'
              AND NOT \(HistoryKeeping.imported("r.change"))
            LIMIT 1
            """)) ?? false
    }

    /// The columns of `table` that refer to a record of another table: (column, table referred to).
    static func references(of table: String, in db: Database) throws -> [(String, String)] {
        try Row.fetchAll(db, sql: "SELECT \"from\", \"table\" FROM pragma_foreign_key_list(?)", arguments: [table]).map { ($0[0], $0[1]) }
    }

    /// An SQL condition on `history_records r`: the record is row `id` of `table`, or a record
    /// that refers to it (by a field recorded in the change, its key, or as it is now).
    private func referringRecords(table: String, id: Int64) throws -> SQL {
        var conditions: [SQL] = ["(r.table_name = \(table) AND r.row_id = \(id))"]
        let tables = try String.fetchAll(db, sql: "SELECT DISTINCT table_name FROM history_records")
        for other in tables {
            for (column, target) in try HistoryLog.references(of: other, in: db) where target == table {
                conditions.append("""
                    (r.table_name = \(other) AND (json_extract(r.row_key, \("$." + column)) = \(id)
                     OR r.row_id IN (SELECT rowid FROM \(sql: other.quotedDatabaseIdentifier) WHERE \(Column(column)) = \(id))
                     OR r.id IN (SELECT f.record FROM history_fields f JOIN history_values v ON v.id IN (f.before, f.after)
                                 WHERE f.name = \(column) AND v.value = \(String(id)))))
                    """)
            }
        }
        return conditions.joined(separator: " OR ")
    }

    /// The table and row id of the record `ref` names: an organization, a person or an employer
    /// (as `timeline` finds them), else a site, an activity (by id), a convention or a resolution.
    static func record(_ ref: String, in db: Database) throws -> (table: String, id: Int64) {
        do {
            let (kind, match) = try References(db: db).record(ref, among: TimelineKind.allCases)
            switch kind {
            case .organization: return ("organizations", match.id)
            case .person: return ("people", match.id)
            case .employer: return ("employers", match.id)
            }
        } catch let error as SolidarityError where error.reason == .notFound {
            if let id = try Int64.fetchOne(db, sql: "SELECT id FROM activities WHERE uid = ?", arguments: [ref.lowercased()]) { return ("activities", id) }
            if let id = try Int64.fetchOne(db, sql: "SELECT id FROM sites WHERE uid = ?", arguments: [ref.lowercased()]) { return ("sites", id) }
            if let match = try? Conventions(db: db).match(ref) { return ("conventions", match.id) }
            if let match = try? Resolutions(db: db).match(ref) { return ("resolutions", match.id) }
            if let match = try? References(db: db).site(ref) { return ("sites", match.id) }
            throw error
        }
    }
}

extension HistoryChange {
    /// The same change with only `records` and `created`.
    func keeping(_ records: [Record], created: [Created]) -> HistoryChange {
        HistoryChange(id: id, at: at, who: who, operation: operation, arguments: arguments, undoes: undoes, records: records, created: created)
    }
}
