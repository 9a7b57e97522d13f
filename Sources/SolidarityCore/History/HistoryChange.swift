import Foundation

/// One change of the history as a front end shows it: when, who, through what, and the records it
/// touched (with their fields when the whole change is asked for).
public struct HistoryChange: Sendable, Equatable, Encodable {
    /// A record the change created, modified or removed.
    public struct Record: Sendable, Equatable, Encodable {
        public enum Action: String, Sendable, Encodable { case created, modified, removed }
        /// Its kind in words ("organization", "alias", "relationship").
        public let kind: String
        /// Its handle or name when it has one (nil also when erased).
        public let label: String?
        public let action: Action
        /// The table and row (row id, or key for a table without row ids), for undo and tests.
        public let table: String
        public let rowID: Int64?
        public let rowKey: String?
        /// Whether the record is, or refers to, a withheld one (`Disclosure`).
        public let sensitive: Bool
        /// Each field that differs, before → after (only for `history show`).
        public let fields: [Field]
    }

    /// A field of a record: its value before and after, as text (nil: none, for a creation's
    /// before or a removal's after).
    public struct Field: Sendable, Equatable, Encodable {
        public let name: String
        public let before: Value?
        public let after: Value?
    }

    /// A stored value: its text (text without quotes, a number or boolean as written), none (the
    /// field was empty: SQL NULL), or erased.
    public enum Value: Sendable, Equatable, Encodable, CustomStringConvertible {
        case value(String)
        case none
        case erased

        public var description: String {
            switch self {
            case .value(let text): text
            case .none: "(none)"
            case .erased: "(erased)"
            }
        }

        /// JSON null for none; the text otherwise.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            if self == .none { try container.encodeNil() } else { try container.encode(description) }
        }
    }

    /// What a bulk write created in one table: the range of row ids.
    public struct Created: Sendable, Equatable, Encodable {
        public let kind: String
        public let table: String
        public let first: Int64
        public let last: Int64
        public var count: Int64 { last - first + 1 }
    }

    /// The change number users type.
    public let id: Int64
    /// When, as ISO-8601 UTC.
    public let at: String
    public let who: Value
    public let operation: String
    public let arguments: [String]?
    /// The change an undo reverted.
    public let undoes: Int64?
    public let records: [Record]
    public let created: [Created]

    /// Whether any record it touched is sensitive.
    public var sensitive: Bool { records.contains(where: \.sensitive) }

    /// The records touched, in words, by action and kind in the order first touched: "created
    /// organization fat, modified alias FAT", "created 3 aliases (A, B, C)", "created 40
    /// organization sources"; a bulk write's creations as "created 2 organizations (ids 120–121)".
    public var summary: String {
        var groups: [(action: String, kind: String, count: Int64, labels: [String], ids: String?)] = []
        for range in created {
            groups.append(("created", range.kind, range.count, [], range.count == 1 ? "id \(range.first)" : "ids \(range.first)–\(range.last)"))
        }
        for record in records {
            if let index = groups.firstIndex(where: { $0.action == record.action.rawValue && $0.kind == record.kind && $0.ids == nil }) {
                groups[index].count += 1
                if let label = record.label { groups[index].labels.append(label) }
            } else {
                groups.append((record.action.rawValue, record.kind, 1, record.label.map { [$0] } ?? [], nil))
            }
        }
        return groups.map { group in
            if group.count == 1 {
                return ([group.action, group.kind] + group.labels + (group.ids.map { ["(\($0))"] } ?? [])).joined(separator: " ")
            }
            var words = "\(group.action) \(group.count) \(HistoryChange.plural(group.kind))"
            if let ids = group.ids {
                words += " (\(ids))"
            } else if group.labels.count == group.count, group.count <= 5 {
                words += " (\(group.labels.joined(separator: ", ")))"
            }
            return words
        }.joined(separator: ", ")
    }

    static func plural(_ kind: String) -> String {
        if kind.hasSuffix("person") { return kind.dropLast("person".count) + "people" }
        if kind.hasSuffix("y") { return String(kind.dropLast()) + "ies" }
        if kind.hasSuffix("s") { return kind + "es" }
        return kind + "s"
    }

    /// A table's records in words: organizations → organization, organization_aliases → alias.
    static func kind(ofTable table: String) -> String {
        switch table {
        case "people": return "person"
        case "activity_people": return "activity person"
        case "organization_aliases": return "alias"
        case "employer_aliases": return "employer alias"
        case "person_titles": return "title"
        case "home": return "home organization"
        default:
            var words = table.replacingOccurrences(of: "_", with: " ")
            if words.hasSuffix("ies") { words = String(words.dropLast(3)) + "y" } else if words.hasSuffix("s") { words = String(words.dropLast()) }
            return words
        }
    }
}

/// Which changes `history` lists: of one record (and the records that refer to it), in a period,
/// by one person, the newest `limit`.
public struct HistoryFilter: Sendable {
    public var record: String?
    public var since: PartialDate?
    public var until: PartialDate?
    public var by: String?
    public var limit: Int?

    public init(record: String? = nil, since: PartialDate? = nil, until: PartialDate? = nil, by: String? = nil, limit: Int? = nil) {
        self.record = record
        self.since = since
        self.until = until
        self.by = by
        self.limit = limit
    }
}
