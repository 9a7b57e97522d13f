import Foundation
import GRDB

/// What `undo` did: for each change undone (the one asked for last, after the later changes
/// `--cascade` undid first, newest first), the new change that undid it and what it restored,
/// removed and set back.
public struct UndoReport: Sendable {
    public struct Step: Sendable {
        /// The change undone, as the history lists it.
        public let undone: HistoryChange
        /// The number of the change that undid it (itself undoable).
        public let change: Int64?
        /// Records put back (a removal undone), records removed (a creation undone), records set back (a modification undone).
        public let restored: Int
        public let removed: Int
        public let setBack: Int
    }

    public let steps: [Step]
}

/// Undoes recorded changes: applies each one's inverse in the write's one transaction and records
/// it as a change of its own (operation "undo", `undoes` the change), so that it can be undone in turn.
///
/// The inverse of a change: what it created is removed, what it removed is restored with the same
/// row id and every column (and with the linked rows its removal cascaded to, which it recorded
/// too), what it modified is set back; a bulk write's created ranges are removed whole. Removals go
/// children first, restorations parents first, then the modifications, so that foreign keys and
/// the full-text indexes' triggers see parents before children.
///
/// A change that a later change built on (a field it changed edited since, a record it touched
/// removed or modified since, a record it created now referred to, a record it would restore that
/// refers to one since removed) is refused with the list of those later changes, unless `cascade`:
/// then they are undone first, newest first, each as its own undo change.
struct Undo {
    let db: Database
    let context: ChangeContext

    /// One record a change touched, with its fields (JSON scalars; nil: no value on that side).
    struct Touched {
        let table: String
        let rowID: Int64?
        let rowKey: String?
        let action: String
        let fields: [(name: String, before: String?, after: String?)]

        var identity: String { table + "\u{0}" + (rowID.map(String.init) ?? rowKey ?? "") }
    }

    /// One change as undo reads it: the records it touched and the rows a bulk write created.
    struct Recorded {
        let id: Int64
        let records: [Touched]
        let created: [(table: String, first: Int64, last: Int64)]
    }

    // MARK: - Which change, and what stands in its way

    /// The latest change that is still in effect (not undone), or the refusal when there is none.
    func latest() throws -> Int64 {
        let effective = try Effective(db: db)
        guard let id = effective.ids.last else {
            throw SolidarityError(.notFound, "There is no change to undo: the history is empty.")
        }
        return id
    }

    /// Undoes change `id` (and, with `cascade`, the later changes in its way, first).
    func undo(_ id: Int64, cascade: Bool) throws -> UndoReport {
        try HistoryLog(db: db).mustExist(id)
        if let importing = try HistoryKeeping.importing(id, in: db) {
            throw SolidarityError(.conflict, """
                Change \(id) came with the history imported by change \(importing): its records had other row ids in the database \
                it was recorded in, so it cannot be undone here. Undoing change \(importing) removes what that import brought.
                """)
        }
        let effective = try Effective(db: db)
        if let by = effective.undoneBy[id] {
            throw SolidarityError(.conflict, "Change \(id) was already undone by change \(by). Undo change \(by) to apply change \(id) again.")
        }
        try keepsAccountsOrganizations([id])
        var order: [Int64] = []
        var pending = [id]
        var seen: Set<Int64> = [id]
        while let next = pending.popLast() {
            for later in try inTheWay(of: next, effective: effective) where !seen.contains(later) {
                seen.insert(later)
                pending.append(later)
            }
            order.append(next)
        }
        let blocking = order.filter { $0 != id }.sorted(by: >)
        if !blocking.isEmpty, !cascade {
            let log = HistoryLog(db: db), rule = try Disclosure(db: db)
            let lines = try blocking.map { try log.change($0, fields: false, rule: rule) }.map { "  \($0.id)  \($0.at)  \($0.who)  \($0.operation)  \($0.summary)" }
            throw SolidarityError(.conflict, """
                Change \(id) cannot be undone alone: \(blocking.count == 1 ? "a later change builds" : "\(blocking.count) later changes build") on it, newest first:
                \(lines.joined(separator: "\n"))
                """, remedy: .undoLaterChangesToo(id))
        }
        try keepsAccountsOrganizations(blocking)
        try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
        return UndoReport(steps: try (blocking + [id]).map(step))
    }

    /// Refuses, before anything is undone, to remove an organization that accounts of the coalition
    /// server belong to (accounts are not in the history: an undo cannot take them along).
    private func keepsAccountsOrganizations(_ changes: [Int64]) throws {
        guard !changes.isEmpty else { return }
        let list = JSONList.of(changes)
        let rows = try Row.fetchAll(db, sql: """
            SELECT o.handle, group_concat(a.name, ', ') AS names FROM accounts a JOIN organizations o ON o.id = a.organization_id
            WHERE a.organization_id IN (SELECT row_id FROM history_records
                                        WHERE change IN (SELECT value FROM json_each(?)) AND table_name = 'organizations' AND action = 'created')
               OR EXISTS (SELECT 1 FROM history_created c WHERE c.change IN (SELECT value FROM json_each(?)) AND c.table_name = 'organizations'
                          AND a.organization_id BETWEEN c.first_row AND c.last_row)
            GROUP BY o.handle ORDER BY o.handle
            """, arguments: [list, list])
        guard let first = rows.first else { return }
        let change = changes.count == 1 ? "change \(changes[0])" : "these changes"
        throw SolidarityError(.conflict, "Undoing \(change) would remove the organization \(first["handle"] as String), which accounts of the coalition server belong to (\(first["names"] as String)). Leave the change in place, or merge that organization into another one, which takes its accounts along.")
    }

    /// Undoes change `id` alone, recorded as one change.
    private func step(_ id: Int64) throws -> UndoReport.Step {
        let undone = try HistoryLog(db: db).change(id, fields: false, rule: Disclosure(db: db))
        let recorded = try read(id)
        let undoContext = ChangeContext(who: context.who, operation: "undo", arguments: context.arguments)
        let before = try Int64.fetchOne(db, sql: "SELECT max(id) FROM history")
        let counts = try HistoryCapture.recording(undoContext, bulk: false, undoes: id, in: db) { try apply(recorded) }
        let after = try Int64.fetchOne(db, sql: "SELECT max(id) FROM history")
        return UndoReport.Step(undone: undone, change: after == before ? nil : after, restored: counts.restored, removed: counts.removed, setBack: counts.setBack)
    }

    /// Which changes are in effect: those not undone by an undo that is itself in effect.
    struct Effective {
        /// Every change in effect, oldest first.
        let ids: [Int64]
        /// For each change undone, the undo (in effect) that undid it.
        let undoneBy: [Int64: Int64]
        /// For each undo, the change it undoes.
        let undoes: [Int64: Int64]

        init(db: Database) throws {
            let rows = try Row.fetchAll(db, sql: "SELECT id, undoes FROM history ORDER BY id")
            var undoes: [Int64: Int64] = [:]
            var undoneBy: [Int64: Int64] = [:]
            // Newest first: whether an undo is in effect is known before the change it undoes is looked at.
            for row in rows.reversed() {
                let id: Int64 = row["id"]
                guard let target: Int64 = row["undoes"] else { continue }
                undoes[id] = target
                if undoneBy[id] == nil { undoneBy[target] = id }
            }
            self.ids = rows.map { $0["id"] as Int64 }.filter { undoneBy[$0] == nil }
            self.undoneBy = undoneBy
            self.undoes = undoes
        }
    }

    /// The later changes in effect that built on change `id`. An undo of a change later than `id`
    /// and the change it undid cancel out, and are not in the way.
    private func inTheWay(of id: Int64, effective: Effective) throws -> [Int64] {
        let change = try read(id)
        let later = effective.ids.filter { $0 > id && !(effective.undoes[$0].map { $0 > id } ?? false) }
        guard !later.isEmpty else { return [] }
        let laterSet = Set(later)
        var blocking: Set<Int64> = []

        // Records touched again since: removed, re-created, or a field it changed edited.
        var mine: [String: Touched] = [:]
        for record in change.records { mine[record.identity] = record }
        for other in try laterRecords(after: id) where laterSet.contains(other.change) {
            let record = other.record
            if let own = mine[record.identity] {
                let overlapping = own.action != "modified" || record.action != "modified"
                    || !Set(own.fields.map(\.name)).isDisjoint(with: record.fields.map(\.name))
                if overlapping { blocking.insert(other.change) }
            } else if let rowID = record.rowID, change.created.contains(where: { $0.table == record.table && ($0.first...$0.last).contains(rowID) }) {
                blocking.insert(other.change)
            }
        }
        // A later bulk write that created rows with the ids of rows this change would restore.
        for record in change.records where record.action == "removed" {
            guard let rowID = record.rowID else { continue }
            for later in try Int64.fetchAll(db, sql: "SELECT change FROM history_created WHERE change > ? AND table_name = ? AND ? BETWEEN first_row AND last_row",
                                            arguments: [id, record.table, rowID]) where laterSet.contains(later) {
                blocking.insert(later)
            }
        }
        // Records it created that other records now refer to.
        var created: [String: [ClosedRange<Int64>]] = [:]
        for record in change.records where record.action == "created" {
            if let rowID = record.rowID { created[record.table, default: []].append(rowID...rowID) }
        }
        for range in change.created { created[range.table, default: []].append(range.first...range.last) }
        for (table, ranges) in created {
            for (child, column) in try Undo.referring(to: table, in: db) {
                let within = ranges.map { "\(column.quotedDatabaseIdentifier) BETWEEN \($0.lowerBound) AND \($0.upperBound)" }.joined(separator: " OR ")
                let hasRowID = try Undo.hasRowID(child, in: db)
                let selection = hasRowID ? "rowid" : try Undo.keyObject(child, in: db)
                for row in try String.fetchAll(db, sql: "SELECT \(selection) FROM \(child.quotedDatabaseIdentifier) WHERE \(within)") {
                    for later in try changesTouching(child, hasRowID ? Int64(row) : nil, hasRowID ? nil : row, after: id) where laterSet.contains(later) {
                        blocking.insert(later)
                    }
                }
            }
        }
        // Records it would restore or set back that refer to a record since removed.
        for record in change.records where record.action != "created" {
            for (column, parent) in try HistoryLog.references(of: record.table, in: db) {
                guard let value = record.fields.first(where: { $0.name == column })?.before,
                      let parentID = try Int64.fetchOne(db, sql: "SELECT CAST(json_extract(?, '$') AS INTEGER) WHERE json_extract(?, '$') IS NOT NULL", arguments: [value, value]),
                      try Int64.fetchOne(db, sql: "SELECT 1 FROM \(parent.quotedDatabaseIdentifier) WHERE rowid = ?", arguments: [parentID]) == nil
                else { continue }
                for later in try changesTouching(parent, parentID, nil, after: id) where laterSet.contains(later) {
                    blocking.insert(later)
                }
            }
        }
        return blocking.sorted()
    }

    /// The records touched by the changes after `id`.
    private func laterRecords(after id: Int64) throws -> [(change: Int64, record: Touched)] {
        try Int64.fetchAll(db, sql: "SELECT DISTINCT change FROM history_records WHERE change > ? ORDER BY change", arguments: [id]).flatMap { change in
            try read(change).records.map { (change, $0) }
        }
    }

    /// The changes after `id` that touched row `rowID` (or key `rowKey`) of `table`, or created it in bulk.
    private func changesTouching(_ table: String, _ rowID: Int64?, _ rowKey: String?, after id: Int64) throws -> [Int64] {
        if let rowID {
            return try Int64.fetchAll(db, sql: """
                SELECT change FROM history_records WHERE change > ? AND table_name = ? AND row_id = ?
                UNION SELECT change FROM history_created WHERE change > ? AND table_name = ? AND ? BETWEEN first_row AND last_row
                """, arguments: [id, table, rowID, id, table, rowID])
        }
        return try Int64.fetchAll(db, sql: """
            SELECT change FROM history_records WHERE change > ? AND table_name = ? AND row_key IS NOT NULL AND json(row_key) = json(?)
            """, arguments: [id, table, rowKey])
    }

    // MARK: - Reading a change

    /// Change `id` with every field's stored value; refused when a value it would need was erased.
    func read(_ id: Int64) throws -> Recorded {
        let records = try Row.fetchAll(db, sql: """
            SELECT id, table_name, row_id, row_key, action FROM history_records WHERE change = ? ORDER BY seq
            """, arguments: [id]).map { row in
            let fields = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT f.name, f.before IS NOT NULL AS has_before, b.value AS before, f.after IS NOT NULL AS has_after, a.value AS after
                FROM history_fields f LEFT JOIN history_values b ON b.id = f.before LEFT JOIN history_values a ON a.id = f.after
                WHERE f.record = ? ORDER BY f.name
                """), arguments: [row["id"] as Int64]).map { field -> (name: String, before: String?, after: String?) in
                let hasBefore: Bool = field["has_before"], hasAfter: Bool = field["has_after"]
                let before: String? = field["before"], after: String? = field["after"]
                if (hasBefore && before == nil) || (hasAfter && after == nil) {
                    throw SolidarityError(.conflict, "Change \(id) cannot be undone: a value it recorded (\(field["name"] as String)) has been erased.")
                }
                return (field["name"], before, after)
            }
            return Touched(table: row["table_name"], rowID: row["row_id"], rowKey: row["row_key"], action: row["action"], fields: fields)
        }
        let created = try Row.fetchAll(db, sql: "SELECT table_name, first_row, last_row FROM history_created WHERE change = ?", arguments: [id])
            .map { (table: $0["table_name"] as String, first: $0["first_row"] as Int64, last: $0["last_row"] as Int64) }
        return Recorded(id: id, records: records, created: created)
    }

    // MARK: - Applying the inverse

    /// Applies the inverse of `change`: removals children first, restorations parents first, then
    /// the modifications set back; announces what changed as any write does. A modification's links
    /// are set back before the removals too, so that removing a record does not take with it (by
    /// its foreign keys' cascade) a record that pointed to it only since the change.
    private func apply(_ change: Recorded) throws -> (restored: Int, removed: Int, setBack: Int) {
        let depth = try Undo.depths(in: db)
        let announcer = UndoAnnouncements(db: db)
        var removed = 0, restored = 0, reverted = 0

        let modifications = change.records.filter { $0.action == "modified" }
        for record in modifications {
            let links = Set(try HistoryLog.references(of: record.table, in: db).map(\.0))
            try setBack(record, fields: record.fields.filter { links.contains($0.name) })
        }
        // Removals: what it created, children first.
        let creations = change.records.filter { $0.action == "created" }
        let tables = Set(creations.map(\.table)).union(change.created.map(\.table)).sorted { (depth[$0] ?? 0, $0) > (depth[$1] ?? 0, $1) }
        for table in tables {
            for range in change.created where range.table == table {
                try announcer.removing(table, where: "rowid BETWEEN \(range.first) AND \(range.last)")
                try db.execute(sql: "DELETE FROM \(table.quotedDatabaseIdentifier) WHERE rowid BETWEEN ? AND ?", arguments: [range.first, range.last])
                removed += db.changesCount
            }
            for record in creations.reversed() where record.table == table {
                let (condition, arguments) = try locate(record)
                try announcer.removing(table, where: condition, arguments)
                try db.execute(sql: "DELETE FROM \(table.quotedDatabaseIdentifier) WHERE \(condition)", arguments: arguments)
                removed += db.changesCount
            }
        }
        // Restorations: what it removed, parents first, with the same row id and every column.
        let removals = change.records.filter { $0.action == "removed" }
        for table in Set(removals.map(\.table)).sorted(by: { (depth[$0] ?? 0, $0) < (depth[$1] ?? 0, $1) }) {
            let aliased = try Undo.rowIDColumn(table, in: db)
            for record in removals where record.table == table {
                var names = record.fields.map(\.name)
                var values: [String?] = record.fields.map(\.before)
                if let rowID = record.rowID, aliased == nil || !names.contains(aliased!) {
                    names.append("rowid")
                    values.append(String(rowID))
                }
                let columns = names.map(\.quotedDatabaseIdentifier).joined(separator: ", ")
                let placeholders = names.map { _ in "json_extract(?, '$')" }.joined(separator: ", ")
                try db.cachedStatement(sql: "INSERT INTO \(table.quotedDatabaseIdentifier) (\(columns)) VALUES (\(placeholders))")
                    .execute(arguments: StatementArguments(values))
                restored += 1
                try announcer.changed(table, rowid: record.rowID, fields: record.fields.map { ($0.name, $0.before) }, restored: true)
            }
        }
        // Modifications set back, parents first (their links again: the triggers then see the restored parents).
        for table in Set(modifications.map(\.table)).sorted(by: { (depth[$0] ?? 0, $0) < (depth[$1] ?? 0, $1) }) {
            for record in modifications where record.table == table {
                reverted += try setBack(record, fields: record.fields)
                try announcer.changed(table, rowid: record.rowID, fields: try currentFields(record), restored: false)
            }
        }
        try announcer.send()
        return (restored, removed, reverted)
    }

    /// Sets `fields` of a modified record back to their values before; returns the rows changed.
    @discardableResult
    private func setBack(_ record: Touched, fields: [(name: String, before: String?, after: String?)]) throws -> Int {
        guard !fields.isEmpty else { return 0 }
        let (condition, arguments) = try locate(record)
        let assignments = fields.map { "\($0.name.quotedDatabaseIdentifier) = json_extract(?, '$')" }.joined(separator: ", ")
        try db.execute(sql: "UPDATE \(record.table.quotedDatabaseIdentifier) SET \(assignments) WHERE \(condition)",
                       arguments: StatementArguments(fields.map(\.before)) + arguments)
        return db.changesCount
    }

    /// The SQL condition that finds a recorded row now: by row id, or by its key's columns.
    private func locate(_ record: Touched) throws -> (String, StatementArguments) {
        if let rowID = record.rowID { return ("rowid = ?", [rowID]) }
        let keys = try String.fetchAll(db, sql: "SELECT key FROM json_each(?)", arguments: [record.rowKey])
        let condition = keys.map { "\($0.quotedDatabaseIdentifier) IS json_extract(?, '$.' || ?)" }.joined(separator: " AND ")
        return (condition, StatementArguments(keys.flatMap { [record.rowKey, $0] }))
    }

    /// A row's integer columns as they are now (its links), as text.
    private func currentFields(_ record: Touched) throws -> [(String, String?)] {
        let (condition, arguments) = try locate(record)
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM \(record.table.quotedDatabaseIdentifier) WHERE \(condition)", arguments: arguments) else { return [] }
        return row.columnNames.map { name in (name, Int64.fromDatabaseValue(row[name] as DatabaseValue).map(String.init)) }
    }

    // MARK: - The schema's shape

    /// Each table's depth in the foreign-key graph: 0 for a table that refers to none, else one
    /// more than the deepest it refers to (self-references aside).
    static func depths(in db: Database) throws -> [String: Int] {
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        var parents: [String: Set<String>] = [:]
        for table in tables {
            parents[table] = Set(try HistoryLog.references(of: table, in: db).map(\.1)).subtracting([table])
        }
        var depth: [String: Int] = [:]
        func measure(_ table: String, _ path: Set<String>) -> Int {
            if let known = depth[table] { return known }
            let value = (parents[table] ?? []).filter { !path.contains($0) }.map { measure($0, path.union([table])) + 1 }.max() ?? 0
            depth[table] = value
            return value
        }
        for table in tables { _ = measure(table, []) }
        return depth
    }

    /// The tables and columns that refer to rows of `table`.
    static func referring(to table: String, in db: Database) throws -> [(String, String)] {
        let tables = try String.fetchAll(db, sql: """
            SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'history%'
            """)
        return try tables.flatMap { child in
            try HistoryLog.references(of: child, in: db).filter { $0.1 == table }.map { (child, $0.0) }
        }
    }

    /// Whether `table` has row ids (it is not WITHOUT ROWID).
    static func hasRowID(_ table: String, in db: Database) throws -> Bool {
        try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = ?", arguments: [table])?.uppercased().contains("WITHOUT ROWID") == false
    }

    /// The column that is `table`'s row id (its INTEGER PRIMARY KEY), if one is.
    static func rowIDColumn(_ table: String, in db: Database) throws -> String? {
        let keys = try Row.fetchAll(db, sql: "SELECT name, type FROM pragma_table_info(?) WHERE pk > 0", arguments: [table])
        guard keys.count == 1, (keys[0]["type"] as String).uppercased() == "INTEGER" else { return nil }
        return keys[0]["name"]
    }

    /// An SQL expression giving a row of a table without row ids as the JSON object of its key,
    /// as the history's `row_key` holds it.
    static func keyObject(_ table: String, in db: Database) throws -> String {
        let keys = try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", arguments: [table])
        return "json_object(" + keys.map { "'\($0)', \($0.quotedDatabaseIdentifier)" }.joined(separator: ", ") + ")"
    }
}

extension Store {
    /// Undoes change `change` (the latest change in effect when nil), recorded as a new change;
    /// with `cascade`, the later changes in its way first, newest first. Refused, nothing written,
    /// when later changes build on it and `cascade` is not given.
    public func undo(_ change: Int64? = nil, cascade: Bool = false) throws -> UndoReport {
        try writeRecordingItself { db in
            let undo = Undo(db: db, context: context)
            return try undo.undo(try change ?? undo.latest(), cascade: cascade)
        }
    }
}
