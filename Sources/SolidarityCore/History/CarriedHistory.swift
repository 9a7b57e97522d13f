import Foundation
import GRDB

/// A change of the history as an interchange file carries it (`export --with-history`): every
/// column the history stores of it, each value with its salt and digest (hex), so that the
/// database that imports it keeps the change as it was and its hash chain still verifies.
///
/// A value is its stored JSON text (a JSON scalar, or for the arguments a JSON list) held as a
/// string, so that the bytes its digest covers travel unchanged. An erased value has no value and
/// no salt, only its digest: what the export erases of sensitive records travels that way.
public struct CarriedChange: Codable, Equatable, Sendable {
    /// A stored value: its JSON text and salt, or neither when erased; its digest always.
    public struct Value: Codable, Equatable, Sendable {
        @Nullable public var value: String?
        /// The salt in lowercase hex.
        @Nullable public var salt: String?
        /// SHA-256(salt ‖ value) in lowercase hex.
        public var digest: String

        /// The same value erased: its digest alone.
        var erased: Value { Value(value: nil, salt: nil, digest: digest) }
    }

    /// A field of a record touched: its value before (none for a creation) and after (none for a removal).
    public struct Field: Codable, Equatable, Sendable {
        public var name: String
        @Nullable public var before: Value?
        @Nullable public var after: Value?
    }

    /// A record the change touched, with row ids of the database the change was recorded in.
    public struct Record: Codable, Equatable, Sendable {
        public var seq: Int64
        public var table: String
        @Nullable public var rowID: Int64?
        @Nullable public var rowKey: String?
        public var action: String
        @Nullable public var label: Value?
        public var fields: [Field]

        enum CodingKeys: String, CodingKey {
            case seq, table, action, label, fields
            case rowID = "row_id", rowKey = "row_key"
        }
    }

    /// What a bulk write created in one table: the range of row ids.
    public struct Created: Codable, Equatable, Sendable {
        public var table: String
        public var first: Int64
        public var last: Int64

        enum CodingKeys: String, CodingKey {
            case table
            case first = "first_row", last = "last_row"
        }
    }

    public var id: Int64
    public var at: String
    public var operation: String
    public var who: Value
    public var arguments: Value
    @Nullable public var undoes: Int64?
    @Nullable public var previousHash: String?
    public var hash: String
    public var records: [Record]
    public var created: [Created]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, at, operation, who, arguments, undoes, hash, records, created
        case previousHash = "previous_hash"
    }

    /// The keys a carried change has, for the reader of a file.
    static var keys: Set<String> { Set(CodingKeys.allCases.map(\.stringValue)) }

    /// Refuses what the history's tables could not hold as it is: a digest that is not 32 bytes
    /// of hex, a value without its salt, an unknown action, a record with both or neither of a row
    /// id and a key. (Whether the change still gives its hash is for `history verify` to say.)
    func check() throws {
        guard id > 0 else { throw SolidarityError.invalid("a change's id must be 1 or more") }
        if let undoes, undoes >= id { throw SolidarityError.invalid("change \(id) undoes change \(undoes), which is not before it") }
        for hex in [hash] + (previousHash.map { [$0] } ?? []) where Self.bytes(hex)?.count != 32 {
            throw SolidarityError.invalid("change \(id): a hash must be 64 hexadecimal digits")
        }
        try who.check(in: id)
        try arguments.check(in: id)
        var seqs = Set<Int64>()
        for record in records {
            guard seqs.insert(record.seq).inserted else { throw SolidarityError.invalid("change \(id): record \(record.seq) is given twice") }
            guard ["created", "modified", "removed"].contains(record.action) else {
                throw SolidarityError.invalid("change \(id): \"\(TextRules.printable(record.action))\" is not created, modified or removed")
            }
            guard (record.rowID == nil) != (record.rowKey == nil) else {
                throw SolidarityError.invalid("change \(id): record \(record.seq) needs a row_id or a row_key, not both")
            }
            try record.label?.check(in: id)
            var names = Set<String>()
            for field in record.fields {
                guard names.insert(field.name).inserted else { throw SolidarityError.invalid("change \(id): the field \(field.name) is given twice") }
                guard field.before != nil || field.after != nil else {
                    throw SolidarityError.invalid("change \(id): the field \(field.name) has neither a value before nor after")
                }
                try field.before?.check(in: id)
                try field.after?.check(in: id)
            }
        }
        for range in created where range.first > range.last {
            throw SolidarityError.invalid("change \(id): the rows created in \(range.table) run from \(range.first) down to \(range.last)")
        }
    }

    /// Bytes from lowercase or uppercase hex; nil when it is not hex.
    static func bytes(_ hex: String) -> Data? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var data = Data(capacity: digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else { return nil }
            data.append(high << 4 | low)
            index += 2
        }
        return data
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension CarriedChange.Value {
    func check(in change: Int64) throws {
        guard CarriedChange.bytes(digest)?.count == 32 else {
            throw SolidarityError.invalid("change \(change): a value's digest must be 64 hexadecimal digits")
        }
        guard (value == nil) == (salt == nil) else {
            throw SolidarityError.invalid("change \(change): a value needs its salt, and an erased value has neither")
        }
        if let salt, CarriedChange.bytes(salt) == nil { throw SolidarityError.invalid("change \(change): a salt must be hexadecimal digits") }
    }
}

/// The history read for an export, change by change, with what the export may not carry erased.
///
/// The records of a sensitive record, or of one that refers to one (the rule `history` marks
/// `[sensitive]` by, `HistoryLog`), leave with their label and every field value erased, and the
/// change that touched one with its arguments erased (a command line may name the person): their
/// digests stay, so the chain still verifies. This holds even for an export that includes the
/// sensitive records: their history never leaves the machine.
struct HistoryExport {
    let db: Database
    /// The rule for the database as it is now (never "everything": see above).
    let rule: Disclosure

    init(db: Database) throws {
        self.db = db
        rule = try Disclosure(db: db)
    }

    /// Writes change `id` as the file carries it, its records one at a time (a bulk write may
    /// have touched tens of thousands), and returns how many of them were erased. The members in
    /// the order Foundation sorts the keys of `CarriedChange` (the order the interchange file has).
    func write(_ id: Int64, to out: inout InterchangeStream) throws -> Int {
        let row = try Row.fetchOne(db, sql: """
            SELECT h.id, h.at, h.operation, h.undoes, h.previous_hash, h.hash,
                   w.value AS who_value, w.salt AS who_salt, w.digest AS who_digest,
                   a.value AS arguments_value, a.salt AS arguments_salt, a.digest AS arguments_digest
            FROM history h JOIN history_values w ON w.id = h.who JOIN history_values a ON a.id = h.arguments WHERE h.id = ?
            """, arguments: [id])!
        let withheld = try HistoryLog(db: db).withheldRecords(of: id, rule: rule)
        let created = try Row.fetchAll(db, sql: "SELECT table_name, first_row, last_row FROM history_created WHERE change = ? ORDER BY table_name",
                                       arguments: [id]).map { CarriedChange.Created(table: $0["table_name"], first: $0["first_row"], last: $0["last_row"]) }
        out.openElement()
        try out.member("arguments", Self.value(row, "arguments", erase: !withheld.isEmpty))
        try out.member("at", row["at"] as String)
        try out.member("created", created)
        try out.member("hash", row["hash"] as String)
        try out.member("id", id)
        try out.member("operation", row["operation"] as String)
        try out.member("previous_hash", row["previous_hash"] as String?)
        out.openList("records")
        let records = try Row.fetchCursor(db, sql: """
            SELECT r.id, r.seq, r.table_name, r.row_id, r.row_key, r.action,
                   l.value AS label_value, l.salt AS label_salt, l.digest AS label_digest
            FROM history_records r LEFT JOIN history_values l ON l.id = r.label WHERE r.change = ? ORDER BY r.seq
            """, arguments: [id])
        while let record = try records.next() {
            let recordID: Int64 = record["id"]
            let erase = withheld.contains(recordID)
            let fields = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT f.name, b.value AS before_value, b.salt AS before_salt, b.digest AS before_digest,
                       a.value AS after_value, a.salt AS after_salt, a.digest AS after_digest
                FROM history_fields f LEFT JOIN history_values b ON b.id = f.before LEFT JOIN history_values a ON a.id = f.after
                WHERE f.record = ? ORDER BY f.name
                """), arguments: [recordID]).map { field in
                CarriedChange.Field(name: field["name"], before: Self.value(field, "before", erase: erase),
                                    after: Self.value(field, "after", erase: erase))
            }
            try out.item(CarriedChange.Record(seq: record["seq"], table: record["table_name"], rowID: record["row_id"], rowKey: record["row_key"],
                                              action: record["action"], label: Self.value(record, "label", erase: erase), fields: fields))
        }
        out.closeList()
        try out.member("undoes", row["undoes"] as Int64?)
        try out.member("who", Self.value(row, "who", erase: false))
        try out.closeElement()
        return withheld.count
    }

    /// The value whose columns `row` holds as `name_value`, `name_salt`, `name_digest` (nil when
    /// it has none), erased when `erase`.
    private static func value(_ row: Row, _ name: String, erase: Bool) -> CarriedChange.Value? {
        guard let digest = row[name + "_digest"] as Data? else { return nil }
        let salt = row[name + "_salt"] as Data?
        let value = CarriedChange.Value(value: row[name + "_value"], salt: salt.map(HistoryValues.hex), digest: HistoryValues.hex(digest))
        return erase ? value.erased : value
    }
}

/// Keeps a carried history in the database that imports it: each change inserted as it was (its
/// number, when, who, its values with their salts and digests, the erased ones erased), into a
/// database that has no history of its own, before the import's own change is sealed after them.
struct HistoryKeeping {
    let db: Database

    /// Refuses a database whose history has changes: a carried history can only begin one.
    func mustBeEmpty(importing name: String) throws {
        guard let last = try Int64.fetchOne(db, sql: "SELECT max(id) FROM history") else { return }
        throw SolidarityError(.conflict, """
            \(name) carries a history of changes, and this database has one of its own (\(last == 1 ? "1 change" : "changes 1 to \(last)")): \
            a history can only be kept by a database that has none; nothing was imported.
            """, remedy: .importWithoutHistory)
    }

    /// Inserts `change` as it was.
    func insert(_ change: CarriedChange) throws {
        try db.cachedStatement(sql: """
            INSERT INTO history (id, at, operation, who, arguments, undoes, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [change.id, change.at, change.operation, try store(change.who), try store(change.arguments),
                                     change.undoes, change.previousHash, change.hash])
        for record in change.records {
            try db.cachedStatement(sql: """
                INSERT INTO history_records (change, seq, table_name, row_id, row_key, action, label) VALUES (?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [change.id, record.seq, record.table, record.rowID, record.rowKey, record.action,
                                         try record.label.map(store)])
            let recordID = db.lastInsertedRowID
            for field in record.fields {
                try db.cachedStatement(sql: "INSERT INTO history_fields (record, name, before, after) VALUES (?, ?, ?, ?)")
                    .execute(arguments: [recordID, field.name, try field.before.map(store), try field.after.map(store)])
            }
        }
        for range in change.created {
            try db.cachedStatement(sql: "INSERT INTO history_created (change, table_name, first_row, last_row) VALUES (?, ?, ?, ?)")
                .execute(arguments: [change.id, range.table, range.first, range.last])
        }
    }

    private func store(_ value: CarriedChange.Value) throws -> Int64 {
        try HistoryValues(db: db).keep(value: value.value, salt: value.salt.flatMap(CarriedChange.bytes),
                                       digest: CarriedChange.bytes(value.digest) ?? Data())
    }

    /// Notes that change `change` (the import's) brought the changes `carried`.
    func mark(_ carried: ClosedRange<Int64>, importedBy change: Int64) throws {
        try db.execute(sql: "INSERT INTO history_imports (change, first_change, last_change) VALUES (?, ?, ?)",
                       arguments: [change, carried.lowerBound, carried.upperBound])
    }

    /// An SQL condition: change `change` was brought by an import (its row ids are another database's).
    static func imported(_ change: SQL) -> SQL {
        "EXISTS (SELECT 1 FROM history_imports i WHERE \(change) BETWEEN i.first_change AND i.last_change)"
    }

    /// The import that brought change `id`, when an import did.
    static func importing(_ id: Int64, in db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT change FROM history_imports WHERE ? BETWEEN first_change AND last_change", arguments: [id])
    }
}

/// The history an interchange file carries, for the import to keep: held whole (a file read value
/// by value) or left in the file and decoded a change at a time from where its outline found them.
struct CarriedHistory {
    /// The file's name, for messages.
    let name: String
    let changes: Changes

    enum Changes {
        case whole([CarriedChange])
        case outlined(Data, [Range<Int>])
    }

    var isEmpty: Bool {
        switch changes {
        case .whole(let changes): changes.isEmpty
        case .outlined(_, let ranges): ranges.isEmpty
        }
    }

    /// Calls `body` with each change, checked, in the file's order.
    func forEach(_ body: (CarriedChange) throws -> Void) throws {
        switch changes {
        case .whole(let changes):
            for change in changes { try body(change) }
        case .outlined(let data, let ranges):
            let decoder = JSONDecoder()
            for range in ranges {
                let change = try decoder.decode(CarriedChange.self, from: OutlinedRecords.slice(data, range))
                try change.check()
                try body(change)
            }
        }
    }
}
