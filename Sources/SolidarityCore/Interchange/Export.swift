import Foundation
import GRDB

/// What an export left out: records marked sensitive, and records that refer to them.
public struct ExportReport: Sendable, Equatable {
    /// People, organizations and activities marked sensitive, left out.
    public let sensitive: Int
    /// Records left out because they refer to a left-out one (parts, titles, relationships, representation, roles, sources).
    public let referring: Int
    /// The changes of the history carried (`withHistory`).
    public var changes = 0
    /// The records of those changes carried erased: sensitive ones, and ones that refer to one.
    public var erased = 0

    /// Everything left out.
    public var leftOut: Int { sensitive + referring }
}

/// An export held in memory: its bytes, the document they encode, and what was left out.
public struct ExportResult: Sendable {
    /// Exactly what `export` writes.
    public let data: Data
    public let document: InterchangeDocument
    /// People, organizations and activities marked sensitive, left out.
    public let sensitive: Int
    /// Records left out because they refer to a left-out one (parts, titles, relationships, representation, roles, sources).
    public let referring: Int
    /// The changes of the history carried, and their records carried erased (`withHistory`).
    public let changes: Int
    public let erased: Int

    /// Everything left out.
    public var leftOut: Int { sensitive + referring }
}

extension Store {
    /// Writes everything in the database as an interchange document, in a stable order, a piece
    /// at a time to `output` (so memory stays bounded however large the database). Without
    /// `includeSensitive`, sensitive people, organizations and activities stay out, with what refers
    /// to them (parts of a left-out organization, titles, relationships, representation, roles,
    /// conventions and resolutions of a left-out organization, sources cited only by left-out records).
    /// The bytes are those of `InterchangeDocument.encoded()` for the same records.
    ///
    /// With `withHistory`, a `history` list follows the records: every change as stored, with its
    /// values' salts and digests, so that an import into a new database keeps it. The history of a
    /// sensitive record never leaves the machine, even with `includeSensitive`: its records carry
    /// their values erased, and the change that touched one its arguments (digests kept, so the
    /// chain still verifies).
    public func export(includeSensitive: Bool = false, withHistory: Bool = false, to output: (Data) throws -> Void) throws -> ExportReport {
        try read { db in
            try withoutActuallyEscaping(output) { output in
                var writer = try ExportWriter(db: db, includeSensitive: includeSensitive, withHistory: withHistory, output: output)
                return try writer.write()
            }
        }
    }

    /// The export in memory, with its document: for tests and small databases.
    public func export(includeSensitive: Bool = false, withHistory: Bool = false) throws -> ExportResult {
        var data = Data()
        let report = try export(includeSensitive: includeSensitive, withHistory: withHistory) { data.append($0) }
        return ExportResult(data: data, document: try InterchangeDocument.decode(data, name: "the export"),
                            sensitive: report.sensitive, referring: report.referring, changes: report.changes, erased: report.erased)
    }

}

/// Writes the interchange document section by section, record by record, reading each section
/// from SQL in its stable order a page of ids at a time. What it keeps in memory is one page of
/// records, the output buffer, and the handles and ids of the left-out records.
private struct ExportWriter {
    let db: Database
    let includeSensitive: Bool
    /// Whether the history follows the records.
    let withHistory: Bool
    /// What may leave the machine (nil: everything, with --include-sensitive).
    let view: Disclosure?
    /// The left-out organizations' row ids, as a JSON list for `json_each`.
    let hiddenOrganizationIDs: String
    var out: InterchangeStream
    var sensitive = 0
    var referring = 0
    var changes = 0
    var erased = 0

    static let pageSize = 500

    init(db: Database, includeSensitive: Bool, withHistory: Bool, output: @escaping (Data) throws -> Void) throws {
        self.db = db
        self.includeSensitive = includeSensitive
        self.withHistory = withHistory
        view = includeSensitive ? nil : try Disclosure(db: db)
        hiddenOrganizationIDs = JSONList.of(view?.withheldOrganizationIDs ?? [])
        out = InterchangeStream(output)
        db.add(collation: Self.swiftOrder)
    }

    func shows(organization handle: String) -> Bool { view?.shows(organization: handle) ?? true }
    func shows(person handle: String) -> Bool { view?.shows(person: handle) ?? true }

    /// The document's keys in the order JSONEncoder's `.sortedKeys` writes them; the history, when
    /// asked for, last (after the records an import loads before keeping it).
    mutating func write() throws -> ExportReport {
        try activities()
        try campaigns()
        try conventions()
        try employers()
        try out.value("format", InterchangeDocument.formatTag)
        let home = try String.fetchOne(db, sql: "SELECT o.handle FROM home h JOIN organizations o ON o.id = h.organization_id")
        try out.value("home", home.flatMap { shows(organization: $0) ? $0 : nil })
        try out.value("includes_sensitive", includeSensitive)
        try organizations()
        try people()
        try relationships()
        try resolutions()
        try sites()
        try sources()
        if withHistory { try history() }
        try out.finish()
        var report = ExportReport(sensitive: sensitive, referring: referring)
        report.changes = changes
        report.erased = erased
        return report
    }

    /// Every change of the history, oldest first, with what may not leave erased (`HistoryExport`).
    mutating func history() throws {
        let history = try HistoryExport(db: db)
        try out.open("history")
        try Self.pages(db, "SELECT id FROM history ORDER BY id") { ids in
            for id in ids {
                erased += try history.write(id, to: &out)
                changes += 1
            }
        }
        try out.close()
    }

    mutating func activities() throws {
        // Ids are ASCII (the schema checks them), which SQLite and Swift order alike.
        try out.open("activities")
        try Self.pages(db, "SELECT id FROM activities ORDER BY uid") { ids in
            for var activity in try Activities(db: db).fetch(ids: ids) {
                if !includeSensitive && activity.sensitive {
                    sensitive += 1
                    continue
                }
                let before = activity.organizations.count + activity.people.count
                activity.organizations.removeAll { !shows(organization: $0.organization) }
                activity.people.removeAll { !shows(person: $0.person) }
                referring += before - activity.organizations.count - activity.people.count
                try out.element(activity)
            }
        }
        try out.close()
    }

    mutating func campaigns() throws {
        try section("campaigns", "SELECT id FROM campaigns ORDER BY handle") { try Campaigns(db: $0).fetch(ids: $1) }
    }

    /// Conventions of a left-out organization stay out (and their resolutions), uncounted as before.
    mutating func conventions() throws {
        try section("conventions", "SELECT id FROM conventions WHERE organization_id NOT IN (SELECT value FROM json_each(?)) ORDER BY handle",
                    [hiddenOrganizationIDs]) { try Conventions(db: $0).fetch(ids: $1) }
    }

    mutating func employers() throws {
        try section("employers", "SELECT id FROM employers ORDER BY handle") { try Employers(db: $0).fetch(ids: $1) }
    }

    /// Writes the section `key`: every record whose id `sql` selects, fetched a page at a time by `fetch`.
    private mutating func section<Record: Encodable>(_ key: String, _ sql: String, _ arguments: StatementArguments = [],
                                                     fetch: (Database, [Int64]) throws -> [Record]) throws {
        try out.open(key)
        try Self.pages(db, sql, arguments) { ids in
            for record in try fetch(db, ids) { try out.element(record) }
        }
        try out.close()
    }

    mutating func organizations() throws {
        try out.open("organizations")
        try Self.pages(db, "SELECT id FROM organizations ORDER BY handle") { ids in
            for organization in try Organizations(db: db).fetch(ids: ids) {
                guard shows(organization: organization.handle) else {
                    // A sensitive organization, or a part of one.
                    if organization.sensitive { sensitive += 1 } else { referring += 1 }
                    continue
                }
                try out.element(organization)
            }
        }
        try out.close()
    }

    mutating func people() throws {
        try out.open("people")
        try Self.pages(db, "SELECT id FROM people ORDER BY handle") { ids in
            for var person in try People(db: db).fetch(ids: ids) {
                if !includeSensitive && person.sensitive {
                    sensitive += 1
                    continue
                }
                let before = person.titles.count
                person.titles.removeAll { !shows(organization: $0.organization) }
                referring += before - person.titles.count
                try out.element(person)
            }
        }
        try out.close()
    }

    /// By the first organization (a symmetric link names the handle first in order first), kind, then the second.
    mutating func relationships() throws {
        let symmetric = Relationship.Kind.allCases.filter(\.isSymmetric).map { "'\($0.rawValue)'" }.joined(separator: ", ")
        let turned = "r.kind IN (\(symmetric)) AND b.handle < a.handle"
        try out.open("relationships")
        try Self.pages(db, """
            SELECT r.id FROM relationships r JOIN organizations a ON a.id = r.from_id JOIN organizations b ON b.id = r.to_id
            ORDER BY CASE WHEN \(turned) THEN b.handle ELSE a.handle END, r.kind, CASE WHEN \(turned) THEN a.handle ELSE b.handle END
            """) { ids in
            let page = try Relationships(db: db).fetch(where: "r.id IN (SELECT value FROM json_each(\(JSONList.of(ids))))")
                .map { $0.oriented(from: min($0.from, $0.to)) }
                .sorted { ($0.from, $0.kind.rawValue, $0.to) < ($1.from, $1.kind.rawValue, $1.to) }
            for relationship in page {
                guard shows(organization: relationship.from) && shows(organization: relationship.to) else {
                    referring += 1
                    continue
                }
                try out.element(relationship)
            }
        }
        try out.close()
    }

    mutating func resolutions() throws {
        try out.open("resolutions")
        try Self.pages(db, """
            SELECT r.id FROM resolutions r JOIN conventions c ON c.id = r.convention_id
            WHERE c.organization_id NOT IN (SELECT value FROM json_each(?)) ORDER BY r.handle
            """, [hiddenOrganizationIDs]) { ids in
            for var resolution in try Resolutions(db: db).fetch(ids: ids) {
                for clause in resolution.clauses.indices {
                    let before = resolution.clauses[clause].organizations.count
                    resolution.clauses[clause].organizations.removeAll { !shows(organization: $0) }
                    referring += before - resolution.clauses[clause].organizations.count
                }
                try out.element(resolution)
            }
        }
        try out.close()
    }

    /// By employer, country, name and id; names as Swift orders strings (canonically equivalent
    /// ones alike), which SQLite's bytes do not for decomposed accents.
    mutating func sites() throws {
        try out.open("sites")
        try Self.pages(db, """
            SELECT s.id FROM sites s JOIN employers e ON e.id = s.employer_id ORDER BY e.handle, s.country, s.name COLLATE \(Self.swiftOrder.name), s.uid
            """) { ids in
            for var site in try Sites(db: db).fetch(ids: ids) {
                let before = site.unions.count
                site.unions.removeAll { !shows(organization: $0.organization) }
                referring += before - site.unions.count
                try out.element(site)
            }
        }
        try out.close()
    }

    /// A source cited only by left-out records leaves with them; one cited by nothing stays.
    mutating func sources() throws {
        var dropped = Set<Int64>()
        if !includeSensitive {
            dropped = Set(try Int64.fetchAll(db, sql: """
                WITH hidden(id) AS (SELECT value FROM json_each(?1)),
                left_out(id) AS (
                    SELECT source_id FROM organization_sources WHERE organization_id IN (SELECT id FROM hidden)
                    UNION SELECT x.source_id FROM person_sources x JOIN people p ON p.id = x.person_id WHERE p.sensitive = 1
                    UNION SELECT x.source_id FROM relationship_sources x JOIN relationships r ON r.id = x.relationship_id
                        WHERE r.from_id IN (SELECT id FROM hidden) OR r.to_id IN (SELECT id FROM hidden)
                    UNION SELECT x.source_id FROM activity_sources x JOIN activities a ON a.id = x.activity_id WHERE a.sensitive = 1
                    UNION SELECT x.source_id FROM resolution_sources x JOIN resolutions r ON r.id = x.resolution_id
                        JOIN conventions c ON c.id = r.convention_id WHERE c.organization_id IN (SELECT id FROM hidden)
                )
                SELECT id FROM left_out WHERE id NOT IN (
                    SELECT source_id FROM organization_sources WHERE source_id IN left_out AND organization_id NOT IN (SELECT id FROM hidden)
                    UNION SELECT x.source_id FROM person_sources x JOIN people p ON p.id = x.person_id WHERE x.source_id IN left_out AND p.sensitive = 0
                    UNION SELECT x.source_id FROM relationship_sources x JOIN relationships r ON r.id = x.relationship_id
                        WHERE x.source_id IN left_out AND r.from_id NOT IN (SELECT id FROM hidden) AND r.to_id NOT IN (SELECT id FROM hidden)
                    UNION SELECT source_id FROM employer_sources WHERE source_id IN left_out
                    UNION SELECT source_id FROM site_sources WHERE source_id IN left_out
                    UNION SELECT x.source_id FROM activity_sources x JOIN activities a ON a.id = x.activity_id WHERE x.source_id IN left_out AND a.sensitive = 0
                    UNION SELECT x.source_id FROM resolution_sources x JOIN resolutions r ON r.id = x.resolution_id
                        JOIN conventions c ON c.id = r.convention_id WHERE x.source_id IN left_out AND c.organization_id NOT IN (SELECT id FROM hidden)
                )
                """, arguments: [hiddenOrganizationIDs]))
            referring += dropped.count
        }
        try out.open("sources")
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM sources ORDER BY uid")
        while let row = try rows.next() {
            if dropped.contains(row["id"]) { continue }
            try out.element(try Source(row: row))
        }
        try out.close()
    }

    /// Row ids from `sql`, handed to `body` a page at a time. The ids come from their own cursor,
    /// so `body` may run any other statement.
    static func pages(_ db: Database, _ sql: String, _ arguments: StatementArguments = [], _ body: ([Int64]) throws -> Void) throws {
        let cursor = try Int64.fetchCursor(db, sql: sql, arguments: arguments)
        var page: [Int64] = []
        page.reserveCapacity(pageSize)
        while let id = try cursor.next() {
            page.append(id)
            if page.count == pageSize {
                try body(page)
                page.removeAll(keepingCapacity: true)
            }
        }
        if !page.isEmpty { try body(page) }
    }

    /// Strings ordered as Swift's `<` orders them (the order the in-memory export sorted by).
    static let swiftOrder = DatabaseCollation("solidarity_swift_order") { a, b in
        a < b ? .orderedAscending : a == b ? .orderedSame : .orderedDescending
    }
}

/// The bytes of an `InterchangeDocument` as `encoded()` gives them, written piece by piece: each
/// record is written by `InterchangeEncoder`, which gives Foundation's bytes for it, at its depth.
struct InterchangeStream {
    private var encoder = InterchangeEncoder()
    private let output: (Data) throws -> Void
    private var buffer: [UInt8] = []
    private var keys = 0
    private var elements = 0
    private var members = 0
    private var items = 0

    static let flushSize = 1 << 16
    private static let recordIndent = Array("    ".utf8)
    private static let itemIndent = Array("        ".utf8)

    init(_ output: @escaping (Data) throws -> Void) {
        self.output = output
        buffer.reserveCapacity(Self.flushSize * 2)
        buffer.append(UInt8(ascii: "{"))
    }

    /// A top-level key with a one-line value.
    mutating func value(_ key: String, _ value: some Encodable) throws {
        self.key(key)
        try encoder.encode(value, depth: 1, into: &buffer)
    }

    /// A top-level key whose value is an array of records.
    mutating func open(_ key: String) throws {
        self.key(key)
        buffer.append(UInt8(ascii: "["))
        elements = 0
    }

    mutating func element(_ record: some Encodable) throws {
        try entry(record, first: elements == 0, indent: Self.recordIndent, depth: 2)
        elements += 1
    }

    /// One entry of a list on its own line: a comma after the one before, its indent, its JSON.
    private mutating func entry(_ value: some Encodable, first: Bool, indent: [UInt8], depth: Int) throws {
        if !first { buffer.append(UInt8(ascii: ",")) }
        buffer.append(0x0A)
        buffer.append(contentsOf: indent)
        try encoder.encode(value, depth: depth, into: &buffer)
        if buffer.count >= Self.flushSize { try flush() }
    }

    mutating func close() throws {
        buffer.append(contentsOf: (elements == 0 ? "\n\n  ]" : "\n  ]").utf8)
    }

    /// An element written a member at a time, for a record too large to hold whole (a change of
    /// the history, with every record it touched): `member` or `openList` for each key in the
    /// order Foundation sorts them, then `closeElement`. The bytes are those `element` writes.
    mutating func openElement() {
        if elements > 0 { buffer.append(UInt8(ascii: ",")) }
        buffer.append(0x0A)
        elements += 1
        buffer.append(contentsOf: Self.recordIndent)
        buffer.append(UInt8(ascii: "{"))
        members = 0
    }

    mutating func member(_ key: String, _ value: some Encodable) throws {
        memberKey(key)
        try encoder.encode(value, depth: 3, into: &buffer)
    }

    /// A member whose value is a list, its items written one by one with `item`.
    mutating func openList(_ key: String) {
        memberKey(key)
        buffer.append(UInt8(ascii: "["))
        items = 0
    }

    mutating func item(_ value: some Encodable) throws {
        try entry(value, first: items == 0, indent: Self.itemIndent, depth: 4)
        items += 1
    }

    mutating func closeList() {
        buffer.append(contentsOf: (items == 0 ? "\n\n      ]" : "\n      ]").utf8)
    }

    mutating func closeElement() throws {
        buffer.append(contentsOf: "\n    }".utf8)
        if buffer.count >= Self.flushSize { try flush() }
    }

    private mutating func memberKey(_ key: String) {
        buffer.append(contentsOf: ((members == 0 ? "\n" : ",\n") + "      \"\(key)\" : ").utf8)
        members += 1
    }

    mutating func finish() throws {
        buffer.append(contentsOf: "\n}\n".utf8)
        try flush()
    }

    private mutating func key(_ key: String) {
        buffer.append(contentsOf: ((keys == 0 ? "\n" : ",\n") + "  \"\(key)\" : ").utf8)
        keys += 1
    }

    private mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try output(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
