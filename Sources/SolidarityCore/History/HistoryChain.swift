import Crypto
import Foundation
import GRDB

/// The history's hash chain: each change's hash covers every stored column of the change and the
/// hash of the change before it, so that an edited, removed or re-ordered change shows.
///
/// Values enter the hash by their digest, SHA-256(salt ‖ value), never by themselves: a value
/// erased later (value and salt set to NULL, the digest kept) leaves the chain as it was.
struct HistoryChain {
    let db: Database

    /// The hash of change `id` as its stored columns give it, in lowercase hex.
    func hash(of id: Int64) throws -> String {
        guard let change = try Row.fetchOne(db, sql: """
            SELECT h.id, h.at, h.operation, w.digest AS who, a.digest AS arguments, h.undoes, h.previous_hash
            FROM history h JOIN history_values w ON w.id = h.who JOIN history_values a ON a.id = h.arguments
            WHERE h.id = ?
            """, arguments: [id]) else { return "" }
        var encoding = CanonicalEncoding()
        encoding.text("solidarity history 1")
        encoding.integer(change["id"])
        encoding.text(change["at"])
        encoding.text(change["operation"])
        encoding.bytes(change["who"])
        encoding.bytes(change["arguments"])
        encoding.integer(change["undoes"])
        encoding.text(change["previous_hash"])
        let records = try Row.fetchAll(db, sql: """
            SELECT r.id, r.seq, r.table_name, r.row_id, r.row_key, r.action, l.digest AS label
            FROM history_records r LEFT JOIN history_values l ON l.id = r.label
            WHERE r.change = ? ORDER BY r.seq
            """, arguments: [id])
        encoding.integer(Int64(records.count))
        for record in records {
            encoding.integer(record["seq"])
            encoding.text(record["table_name"])
            encoding.integer(record["row_id"])
            encoding.text(record["row_key"])
            encoding.text(record["action"])
            encoding.bytes(record["label"])
            let fields = try Row.fetchAll(db, sql: """
                SELECT f.name, b.digest AS before, a.digest AS after
                FROM history_fields f LEFT JOIN history_values b ON b.id = f.before LEFT JOIN history_values a ON a.id = f.after
                WHERE f.record = ? ORDER BY f.name
                """, arguments: [record["id"] as Int64])
            encoding.integer(Int64(fields.count))
            for field in fields {
                encoding.text(field["name"])
                encoding.bytes(field["before"])
                encoding.bytes(field["after"])
            }
        }
        let ranges = try Row.fetchAll(db, sql: """
            SELECT table_name, first_row, last_row FROM history_created WHERE change = ? ORDER BY table_name
            """, arguments: [id])
        encoding.integer(Int64(ranges.count))
        for range in ranges {
            encoding.text(range["table_name"])
            encoding.integer(range["first_row"])
            encoding.integer(range["last_row"])
        }
        return HistoryValues.hex(SHA256.hash(data: encoding.encoded))
    }

    /// Re-computes the chain from the first change and returns the first that does not match.
    func verify() throws -> HistoryVerification {
        var previous: (id: Int64, hash: String)?
        var count = 0
        let changes = try Row.fetchAll(db, sql: "SELECT id, previous_hash, hash FROM history ORDER BY id")
        for change in changes {
            let id: Int64 = change["id"]
            let previousHash: String? = change["previous_hash"]
            if previousHash != previous?.hash {
                let problem: HistoryVerification.Problem = previous.map { .doesNotFollow(after: $0.id) } ?? .doesNotFollow(after: nil)
                return HistoryVerification(checked: count, firstMismatch: id, problem: problem)
            }
            if try hash(of: id) != change["hash"] as String {
                return HistoryVerification(checked: count, firstMismatch: id, problem: .edited)
            }
            if let value = try editedValue(of: id) {
                return HistoryVerification(checked: count, firstMismatch: id, problem: .valueEdited(value))
            }
            previous = (id, change["hash"])
            count += 1
        }
        return HistoryVerification(checked: count, firstMismatch: nil, problem: nil)
    }

    /// The first value of change `id` (who, arguments, labels, fields) that no longer matches its
    /// digest. An erased value (no value, no salt) matches.
    private func editedValue(of id: Int64) throws -> Int64? {
        let values = try Row.fetchCursor(db, sql: """
            SELECT v.id, v.value, v.salt, v.digest FROM history_values v
            WHERE v.id IN (SELECT who FROM history WHERE id = ?1 UNION SELECT arguments FROM history WHERE id = ?1
                           UNION SELECT label FROM history_records WHERE change = ?1
                           UNION SELECT f.before FROM history_fields f JOIN history_records r ON r.id = f.record WHERE r.change = ?1
                           UNION SELECT f.after FROM history_fields f JOIN history_records r ON r.id = f.record WHERE r.change = ?1)
            ORDER BY v.id
            """, arguments: [id])
        while let row = try values.next() {
            let value: String? = row["value"]
            let salt: Data? = row["salt"]
            switch (value, salt) {
            case (nil, nil): continue
            case (let value?, let salt?) where HistoryValues.digest(salt: salt, value: value) == row["digest"] as Data: continue
            default: return row["id"]
            }
        }
        return nil
    }
}

/// What `history verify` found: how many changes matched, and the first that did not and why.
public struct HistoryVerification: Sendable, Equatable {
    public enum Problem: Sendable, Equatable {
        /// The change does not name the hash of the change before it (`after`; nil: it is the
        /// first, yet names one): a change before it was removed, re-ordered or edited.
        case doesNotFollow(after: Int64?)
        /// Its stored columns no longer give its hash.
        case edited
        /// One of its values (this id in history_values) no longer matches its digest.
        case valueEdited(Int64)
    }
    /// How many changes matched, from the first.
    public let checked: Int
    /// The first change that does not match, if one does not.
    public let firstMismatch: Int64?
    public let problem: Problem?
}

/// An unambiguous byte encoding: every item tagged with its kind, text and bytes prefixed with
/// their length, so that no two different sequences of items encode alike.
struct CanonicalEncoding {
    private(set) var encoded: [UInt8] = []

    mutating func text(_ text: String?) {
        lengthPrefixed(text.map { Array($0.utf8) })
    }

    mutating func bytes(_ data: Data?) {
        lengthPrefixed(data.map { Array($0) })
    }

    mutating func integer(_ value: Int64?) {
        guard let value else { return encoded.append(0) }
        encoded.append(1)
        append(UInt64(bitPattern: value))
    }

    private mutating func lengthPrefixed(_ data: [UInt8]?) {
        guard let data else { return encoded.append(0) }
        encoded.append(2)
        append(UInt64(data.count))
        encoded.append(contentsOf: data)
    }

    private mutating func append(_ number: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) { encoded.append(UInt8(truncatingIfNeeded: number >> UInt64(shift))) }
    }
}
