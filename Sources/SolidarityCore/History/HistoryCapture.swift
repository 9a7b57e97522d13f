import Crypto
import Foundation
import GRDB

/// Records a write as one change of the history, in the write's own transaction.
///
/// The migration's triggers (0014_history.sql) copy every row a write creates, modifies or removes
/// into `history_pending` while the gate (`history_capture`) is open. `recording` opens the gate,
/// runs the write and seals what was captured into one change: its net effect per record (a record
/// created then modified in the same write is one creation; one created then removed is nothing),
/// each value salted and digested, and the change's hash chained to the one before. A write that
/// changed nothing records nothing.
///
/// A bulk write (import, seed, CSV import) does not copy the rows it creates one by one: it notes
/// each table's highest row id before, and records the range of row ids above it as created
/// (`history_created`). What it modifies or removes is recorded row by row, as for any write.
struct HistoryCapture {
    let db: Database

    /// Fields a write may change that are the tool's own bookkeeping, not the record's content:
    /// a change to them alone is not recorded (that an overdue follow-up was announced by webhook).
    static let bookkeeping: Set<String> = ["follow_ups.overdue_announced"]

    /// Runs `body` inside the current transaction with the capture open, then records its change
    /// as made in `context` (undoing change `undoes`, for an undo).
    ///
    /// With `carrying` (an import of a file that carries a history), the carried changes are kept
    /// first, as they were, in a database that must have no history of its own; the write's own
    /// change is then recorded after them (even when it changed nothing), chained to the last one,
    /// and noted as the import that brought them (`history_imports`).
    static func recording<T>(_ context: ChangeContext, bulk: Bool, undoes: Int64? = nil, carrying: CarriedHistory? = nil,
                             in db: Database, _ body: () throws -> T) throws -> T {
        let capture = HistoryCapture(db: db)
        var carried: ClosedRange<Int64>?
        if let carrying {
            let keeping = HistoryKeeping(db: db)
            try keeping.mustBeEmpty(importing: carrying.name)
            try carrying.forEach { change in
                try keeping.insert(change)
                carried = (carried?.lowerBound ?? change.id)...change.id
            }
        }
        let ceilings = bulk ? try capture.rowCeilings() : [:]
        try db.execute(sql: "UPDATE history_capture SET capturing = 1, rows_created = ?", arguments: [bulk ? 0 : 1])
        let result = try body()
        try db.execute(sql: "UPDATE history_capture SET capturing = 0, rows_created = 1")
        let change = try capture.seal(context, ceilings: ceilings, undoes: undoes, always: carried != nil)
        if let carried, let change { try HistoryKeeping(db: db).mark(carried, importedBy: change) }
        return result
    }

    /// One record's net change in a write.
    private struct Touched {
        let table: String
        let rowID: Int64?
        let rowKey: String?
        /// The sequence numbers of its pending rows: first (its state before) and last (after).
        let first: Int64
        let last: Int64
        /// Whether it existed before the write, and after.
        let existedBefore: Bool
        let existsAfter: Bool
    }

    /// How many records' values are read at once when a change is sealed.
    static let pageSize = 1_000

    /// For each domain table with row ids (those whose creations a bulk write lists by range), its
    /// highest row id now.
    private func rowCeilings() throws -> [String: Int64] {
        let tables = try String.fetchAll(db, sql: """
            SELECT tbl_name FROM sqlite_master
            WHERE type = 'trigger' AND name = 'history_' || tbl_name || '_created' AND sql LIKE '%rows_created%'
            ORDER BY tbl_name
            """)
        var ceilings: [String: Int64] = [:]
        for table in tables {
            ceilings[table] = try Int64.fetchOne(db, sql: "SELECT max(rowid) FROM \(table.quotedDatabaseIdentifier)") ?? 0
        }
        return ceilings
    }

    /// Seals what was captured into one change and returns its number; nil when the write changed
    /// nothing (and not `always`).
    @discardableResult
    private func seal(_ context: ChangeContext, ceilings: [String: Int64], undoes: Int64?, always: Bool = false) throws -> Int64? {
        defer { try? db.execute(sql: "DELETE FROM history_pending") }
        // What a bulk write created: the rows above each table's ceiling.
        var ranges: [(table: String, first: Int64, last: Int64)] = []
        for (table, ceiling) in ceilings.sorted(by: { $0.key < $1.key }) {
            let top = try Int64.fetchOne(db, sql: "SELECT max(rowid) FROM \(table.quotedDatabaseIdentifier)") ?? 0
            if top > ceiling { ranges.append((table, ceiling + 1, top)) }
        }
        let created = Dictionary(uniqueKeysWithValues: ranges.map { ($0.table, $0.first...$0.last) })

        // Each record's net change: its first pending row holds its state before, its last the
        // state after. Held as small entries; the rows' values are read a page at a time, so that
        // an undo removing hundreds of thousands of records stays in bounded memory.
        var touched: [Touched] = []
        let groups = try Row.fetchCursor(db, sql: """
            SELECT g.table_name, g.row_id, g.row_key, g.first, g.last,
                   (SELECT before IS NOT NULL FROM history_pending WHERE seq = g.first),
                   (SELECT after IS NOT NULL FROM history_pending WHERE seq = g.last)
            FROM (SELECT table_name, row_id, row_key, min(seq) AS first, max(seq) AS last
                  FROM history_pending GROUP BY table_name, row_id, row_key) g
            ORDER BY g.first
            """)
        while let row = try groups.next() {
            let table: String = row[0]
            let rowID: Int64? = row[1]
            if let rowID, created[table]?.contains(rowID) == true { continue }
            touched.append(Touched(table: table, rowID: rowID, rowKey: row[2], first: row[3], last: row[4], existedBefore: row[5], existsAfter: row[6]))
        }

        var sealed: Int64?
        let values = HistoryValues(db: db)
        /// The change's row, inserted when the first record or range is known to be recorded.
        func changeID() throws -> Int64 {
            if let sealed { return sealed }
            try db.execute(sql: """
                INSERT INTO history (at, operation, who, arguments, undoes, previous_hash, hash)
                VALUES (?, ?, ?, ?, ?, (SELECT hash FROM history ORDER BY id DESC LIMIT 1), '')
                """, arguments: [Store.timestamp(), context.operation, try values.store(HistoryValues.scalar(context.who)),
                                 try values.store(HistoryValues.json(context.arguments)), undoes])
            sealed = db.lastInsertedRowID
            return db.lastInsertedRowID
        }
        var seq: Int64 = 0
        for page in stride(from: 0, to: touched.count, by: Self.pageSize) {
            let records = touched[page..<min(page + Self.pageSize, touched.count)]
            let fields = try pendingFields(seqs: records.flatMap { [$0.first, $0.last] })
            for record in records {
                let before = record.existedBefore ? fields[FieldsKey(seq: record.first, side: .before)] ?? [] : nil
                var after = record.existsAfter ? fields[FieldsKey(seq: record.last, side: .after)] ?? [] : nil
                // A bulk write may give a removed row's id to a row it creates: that row was replaced.
                if !ceilings.isEmpty, after == nil, let rowID = record.rowID, let now = try currentRow(record.table, rowID) {
                    after = try parse(now)
                }
                let changed = difference(table: record.table, before: before, after: after)
                guard !changed.isEmpty else { continue }
                let change = try changeID()
                seq += 1
                let label = try label(of: record.table, after ?? before ?? []).map { try values.store($0) }
                let action = changed.allSatisfy { $0.before == nil } ? "created" : changed.allSatisfy { $0.after == nil } ? "removed" : "modified"
                // Statements cached: a write may record hundreds of thousands of records.
                try db.cachedStatement(sql: """
                    INSERT INTO history_records (change, seq, table_name, row_id, row_key, action, label) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [change, seq, record.table, record.rowID, record.rowKey, action, label])
                let recordID = db.lastInsertedRowID
                for field in changed {
                    try db.cachedStatement(sql: "INSERT INTO history_fields (record, name, before, after) VALUES (?, ?, ?, ?)")
                        .execute(arguments: [recordID, field.name, try field.before.map { try values.store($0) }, try field.after.map { try values.store($0) }])
                }
            }
        }
        guard !ranges.isEmpty || sealed != nil || always else { return nil }
        let change = try changeID()
        for range in ranges {
            try db.execute(sql: "INSERT INTO history_created (change, table_name, first_row, last_row) VALUES (?, ?, ?, ?)",
                           arguments: [change, range.table, range.first, range.last])
        }
        try db.execute(sql: "UPDATE history SET hash = ? WHERE id = ?", arguments: [try HistoryChain(db: db).hash(of: change), change])
        return change
    }

    private enum Side: Int { case before = 0, after = 1 }
    private struct FieldsKey: Hashable {
        let seq: Int64
        let side: Side
    }

    /// The columns of the pending rows `seqs`, before and after, each as a JSON scalar, in column order.
    private func pendingFields(seqs: [Int64]) throws -> [FieldsKey: [(String, String)]] {
        var fields: [FieldsKey: [(String, String)]] = [:]
        let rows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT p.seq, 0, j.key, json_quote(j.value) FROM history_pending p, json_each(p.before) j
            WHERE p.seq IN (SELECT value FROM json_each(?1))
            UNION ALL
            SELECT p.seq, 1, j.key, json_quote(j.value) FROM history_pending p, json_each(p.after) j
            WHERE p.seq IN (SELECT value FROM json_each(?1))
            """), arguments: [JSONList.of(seqs)])
        while let row = try rows.next() {
            fields[FieldsKey(seq: row[0], side: Side(rawValue: row[1])!), default: []].append((row[2], row[3]))
        }
        return fields
    }

    /// The columns of one row given as a JSON object, each as a JSON scalar.
    private func parse(_ object: String) throws -> [(String, String)] {
        try Row.fetchAll(db, sql: "SELECT key, json_quote(value) FROM json_each(?)", arguments: [object]).map { ($0[0], $0[1]) }
    }

    /// The row of `table` with row id `rowID` as a JSON object of its columns, if there is one.
    private func currentRow(_ table: String, _ rowID: Int64) throws -> String? {
        let columns = try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?) ORDER BY cid", arguments: [table])
        let object = columns.map { "'\($0)', \($0.quotedDatabaseIdentifier)" }.joined(separator: ", ")
        return try String.fetchOne(db, sql: "SELECT json_object(\(object)) FROM \(table.quotedDatabaseIdentifier) WHERE rowid = ?",
                                   arguments: [rowID])
    }

    /// The fields that differ between a record's state before and after (nil: it did not exist):
    /// every field of a creation or a removal, the changed ones of a modification (bookkeeping aside).
    private func difference(table: String, before: [(String, String)]?, after: [(String, String)]?) -> [(name: String, before: String?, after: String?)] {
        switch (before, after) {
        case (nil, nil): return []
        case (nil, let after?): return after.map { ($0.0, nil, $0.1) }
        case (let before?, nil): return before.map { ($0.0, $0.1, nil) }
        case (let before?, let after?):
            let old = Dictionary(before, uniquingKeysWith: { first, _ in first })
            return after.compactMap { name, value in
                guard old[name] != value, !HistoryCapture.bookkeeping.contains("\(table).\(name)") else { return nil }
                return (name, old[name], value)
            }
        }
    }

    /// What names a record of `table` in a listing, from its fields (a JSON scalar): its handle,
    /// else its name or title; a relationship by its ends' handles and its kind ("fn ally ue", as
    /// the timeline names it) while both ends exist.
    private func label(of table: String, _ fields: [(String, String)]) throws -> String? {
        func field(_ name: String) -> String? { fields.first(where: { $0.0 == name && $0.1 != "null" })?.1 }
        if table == "relationships" {
            guard let from = field("from_id").flatMap(Int64.init), let to = field("to_id").flatMap(Int64.init),
                  let kind = field("kind").flatMap({ try? JSONDecoder().decode(String.self, from: Data($0.utf8)) }) else { return nil }
            let handle = "SELECT handle FROM organizations WHERE id = ?"
            guard let fromHandle = try String.fetchOne(db, cached: handle, arguments: [from]),
                  let toHandle = try String.fetchOne(db, cached: handle, arguments: [to]) else { return nil }
            return HistoryValues.scalar("\(fromHandle) \(kind) \(toHandle)")
        }
        return ["handle", "name", "title", "alias"].lazy.compactMap(field).first
    }
}

/// The values the history stores, each with its own random salt and its digest,
/// SHA-256(salt ‖ value), which is what the hash chain covers.
struct HistoryValues {
    let db: Database

    /// Stores `value` (a JSON text) and returns its id.
    func store(_ value: String) throws -> Int64 {
        var generator = SystemRandomNumberGenerator()
        var words: (UInt64, UInt64) = (generator.next(), generator.next())
        let salt = withUnsafeBytes(of: &words) { Data($0) }
        try db.cachedStatement(sql: "INSERT INTO history_values (value, salt, digest) VALUES (?, ?, ?)")
            .execute(arguments: [value, salt, HistoryValues.digest(salt: salt, value: value)])
        return db.lastInsertedRowID
    }

    /// Stores a value as another database stored it (a carried history): its value and salt, or
    /// neither when erased, and its digest. Returns its id.
    func keep(value: String?, salt: Data?, digest: Data) throws -> Int64 {
        try db.cachedStatement(sql: "INSERT INTO history_values (value, salt, digest) VALUES (?, ?, ?)")
            .execute(arguments: [value, salt, digest])
        return db.lastInsertedRowID
    }

    /// Bytes as lowercase hex: a change's hash, and a carried value's salt and digest.
    static func hex(_ bytes: some Sequence<UInt8>) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    static func digest(salt: Data, value: String) -> Data {
        var hash = SHA256()
        hash.update(data: salt)
        hash.update(data: Data(value.utf8))
        return Data(hash.finalize())
    }

    /// `text` as a JSON string scalar.
    static func scalar(_ text: String) -> String { json(text) }

    /// `value` as JSON text.
    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return String(decoding: try! encoder.encode(value), as: UTF8.self)
    }
}
