import Foundation
import SolidarityCore

/// A listed record whose rows a view marks sensitive by the rule of `Disclosure`: a row is
/// sensitive when its record is withheld, or when it names a withheld record (a delegation hosted
/// by a sensitive union, a relationship with a local of one).
protocol SensitiveListable: Listable {
    /// The table column the mark follows: the record's name or title.
    static var markedColumn: Int { get }
    /// Whether CSV and JSON add the row's `sensitive` as a field of their own. False where the
    /// files are the import's spreadsheet and their `sensitive` is the record's own mark, which
    /// import reads back (an activity's).
    static var addsSensitiveField: Bool { get }
}

/// A row of a listing with whether it is sensitive: the record's columns, marked `[sensitive]` in
/// the table and Markdown, and (where the record adds it) a last `sensitive` column in CSV and key in JSON.
struct SensitiveRow<Record: SensitiveListable>: Listable {
    let record: Record
    let sensitive: Bool

    static var tableColumns: [String] { Record.tableColumns }
    var tableRow: [String] {
        var row = record.tableRow
        row[Record.markedColumn] = Disclosure.mark(row[Record.markedColumn], sensitive)
        return row
    }
    static var csvColumns: [String] { Record.csvColumns + (Record.addsSensitiveField ? ["sensitive"] : []) }
    var csvRow: [String] { record.csvRow + (Record.addsSensitiveField ? [String(sensitive)] : []) }

    private enum CodingKeys: String, CodingKey { case sensitive }

    func encode(to encoder: any Encoder) throws {
        try record.encode(to: encoder)
        if Record.addsSensitiveField {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(sensitive, forKey: .sensitive)
        }
    }
}

extension Relationship: SensitiveListable {
    static let markedColumn = 2
    static let addsSensitiveField = true
}

extension Activity: SensitiveListable {
    static let markedColumn = 4
    static let addsSensitiveField = false
}

extension Store {
    /// Activities matching a filter, handed one at a time to `body` with whether its row is
    /// sensitive by the rule of `Disclosure`.
    func sensitiveRows(_ filter: ActivityFilter, each body: (SensitiveRow<Activity>) throws -> Void) throws {
        let rule = try disclosure()
        try activities(filter) { try body(SensitiveRow(record: $0, sensitive: rule.isSensitive($0))) }
    }
}

/// A site as `site list` shows it: each union the rule of `Disclosure` withholds marked `[sensitive]`
/// in the table. Its CSV is the sites spreadsheet that import reads, unchanged.
struct ListedSite: Listable {
    let site: Site
    let rule: Disclosure

    static var tableColumns: [String] { Site.tableColumns }
    var tableRow: [String] {
        var row = site.tableRow
        row[5] = site.unions.filter { $0.until == nil }.map { Disclosure.mark($0.organization, !rule.shows(organization: $0.organization)) }
            .joined(separator: ", ")
        return row
    }
    static var csvColumns: [String] { Site.csvColumns }
    var csvRow: [String] { site.csvRow }

    func encode(to encoder: any Encoder) throws { try site.encode(to: encoder) }
}
