import Foundation
import GRDB

/// One problem found in a file to import, with where it is.
public struct ImportProblem: Sendable, Equatable, CustomStringConvertible {
    /// A JSON path ("$.organizations[3].country") or a CSV location ("line 7, column since").
    public let location: String
    public let message: String
    /// Whether the problem is a reference to a record that does not exist (exit 1) rather than a bad value (exit 64).
    public let isReference: Bool
    /// What would put it right, for the front end to word (a spreadsheet's column to leave out).
    public let remedy: SolidarityError.Remedy?

    public init(location: String, message: String, isReference: Bool, remedy: SolidarityError.Remedy? = nil) {
        self.location = location
        self.message = message
        self.isReference = isReference
        self.remedy = remedy
    }

    public var description: String { "\(location): \(message)" }
}

extension SolidarityError {
    /// Every problem of a file at once, so the user can fix them all in one pass.
    static func problems(_ problems: [ImportProblem], in name: String) -> SolidarityError {
        let reason: Reason = problems.allSatisfy(\.isReference) ? .notFound : .invalidInput
        let list = ProblemList(heading: "\(name) has \(problems.count) problem\(problems.count == 1 ? "" : "s"); nothing was imported:", problems: problems)
        var error = SolidarityError(reason, list.text { $0.description })
        error.problemList = list
        return error
    }

    /// The problems of a file, each on its line under a heading, for a front end to word again
    /// with its remedies.
    public struct ProblemList: Equatable, Sendable {
        public let heading: String
        public let problems: [ImportProblem]

        public init(heading: String, problems: [ImportProblem]) {
            self.heading = heading
            self.problems = problems
        }

        /// The heading and the first 200 problems, each written by `line`.
        public func text(_ line: (ImportProblem) -> String) -> String {
            let shown = problems.prefix(200).map { "  " + line($0) }.joined(separator: "\n")
            let more = problems.count > 200 ? "\n  … and \(problems.count - 200) more" : ""
            return "\(heading)\n\(shown)\(more)"
        }
    }
}

/// One top-level list of the interchange format: its key, its records in a document held whole,
/// the check each record passes before it is loaded, the references it makes, and for a list whose
/// records may have a parent in it, which is the handle and which the parent.
struct InterchangeSection<T: InterchangeRecord> {
    let key: String
    let records: WritableKeyPath<InterchangeDocument, [T]>
    let check: (inout T) throws -> Void
    /// Each reference the record at `path` makes, in the order its problems are reported.
    var references: (T, String) -> [ImportReference] = { _, _ in [] }
    var lineage: (handle: KeyPath<T, String>, parent: KeyPath<T, String?>)?
}

/// The format's sections, each with its check and references, for the reader and the loader alike.
enum InterchangeSections {
    static var sources: InterchangeSection<Source> {
        InterchangeSection(key: "sources", records: \.sources) { source in
            if source.url == nil && source.title == nil { throw SolidarityError.invalid("a source needs a url or a title") }
            try Naming.checkHandle(source.id)
        }
    }

    static var campaigns: InterchangeSection<Campaign> {
        InterchangeSection(key: "campaigns", records: \.campaigns, check: { campaign in try Naming.checkHandle(campaign.handle) },
                           references: { c, path in sources(c.sources, at: path) })
    }

    static var organizations: InterchangeSection<Organization> {
        InterchangeSection(key: "organizations", records: \.organizations, check: { organization in
            try organization.validate()
            if organization.handle.isEmpty { throw SolidarityError.invalid("the key \"handle\" is empty") }
        }, references: { o, path in
            all(one(o.parent, .organization, at: path + ".parent"), list(o.campaigns, .campaign) { "\(path).campaigns[\($0)]" },
                sources(o.sources, at: path))
        }, lineage: (\Organization.handle, \Organization.parent))
    }

    static var people: InterchangeSection<Person> {
        InterchangeSection(key: "people", records: \.people, check: { person in
            try person.validate()
            if person.handle.isEmpty { throw SolidarityError.invalid("the key \"handle\" is empty") }
        }, references: { p, path in
            all(list(p.titles.map(\.organization), .organization) { "\(path).titles[\($0)].organization" },
                p.titles.enumerated().flatMap { index, title in one(title.source, .source, at: "\(path).titles[\(index)].source") },
                sources(p.sources, at: path))
        })
    }

    static var relationships: InterchangeSection<Relationship> {
        InterchangeSection(key: "relationships", records: \.relationships, check: { relationship in
            try relationship.period.check("the relationship")
            if relationship.from == relationship.to { throw SolidarityError(.conflict, "an organization cannot have a relationship with itself") }
        }, references: { r, path in
            all(one(r.from, .organization, at: path + ".from"), one(r.to, .organization, at: path + ".to"), sources(r.sources, at: path))
        })
    }

    static var employers: InterchangeSection<Employer> {
        InterchangeSection(key: "employers", records: \.employers, check: { employer in
            try employer.validate()
            if employer.handle.isEmpty { throw SolidarityError.invalid("the key \"handle\" is empty") }
        }, references: { e, path in
            all(one(e.parent, .employer, at: path + ".parent"), sources(e.sources, at: path))
        }, lineage: (\Employer.handle, \Employer.parent))
    }

    static var sites: InterchangeSection<Site> {
        InterchangeSection(key: "sites", records: \.sites, check: { site in
            try site.validate()
            if site.id.isEmpty { throw SolidarityError.invalid("the key \"id\" is empty") }
        }, references: { s, path in
            all(one(s.employer, .employer, at: path + ".employer"),
                list(s.unions.map(\.organization), .organization) { "\(path).unions[\($0)].organization" }, sources(s.sources, at: path))
        })
    }

    static var activities: InterchangeSection<Activity> {
        InterchangeSection(key: "activities", records: \.activities, check: { activity in
            try activity.validate()
            if activity.id.isEmpty { throw SolidarityError.invalid("the key \"id\" is empty") }
        }, references: { a, path in
            all(list(a.organizations.map(\.organization), .organization) { "\(path).organizations[\($0)].organization" },
                list(a.people.map(\.person), .person) { "\(path).people[\($0)].person" },
                list(a.employers, .employer) { "\(path).employers[\($0)]" },
                list(a.sites, .site) { "\(path).sites[\($0)]" },
                list(a.campaigns, .campaign) { "\(path).campaigns[\($0)]" }, sources(a.sources, at: path))
        })
    }

    static var conventions: InterchangeSection<Convention> {
        InterchangeSection(key: "conventions", records: \.conventions, check: { convention in
            try convention.validate()
            if convention.handle.isEmpty { throw SolidarityError.invalid("the key \"handle\" is empty") }
        }, references: { c, path in one(c.organization, .organization, at: path + ".organization") })
    }

    static var resolutions: InterchangeSection<Resolution> {
        InterchangeSection(key: "resolutions", records: \.resolutions, check: { resolution in
            try resolution.validate()
            if resolution.handle.isEmpty { throw SolidarityError.invalid("the key \"handle\" is empty") }
        }, references: { r, path in
            all([one(r.convention, .convention, at: path + ".convention")]
                + r.clauses.enumerated().map { c, clause in list(clause.organizations, .organization) { "\(path).clauses[\(c)].organizations[\($0)]" } }
                + r.clauses.enumerated().map { c, clause in list(clause.campaigns, .campaign) { "\(path).clauses[\(c)].campaigns[\($0)]" } }
                + [list(r.employers, .employer) { "\(path).employers[\($0)]" }])
        })
    }

    /// A reference to `target` at `path`, when there is one.
    private static func one(_ value: String?, _ target: ReferenceTarget, at path: String) -> [ImportReference] {
        value.map { [ImportReference(path: path, value: $0, target: target)] } ?? []
    }

    /// A reference to `target` from each of `values`, at the path `path` gives for its position.
    private static func list(_ values: [String], _ target: ReferenceTarget, at path: (Int) -> String) -> [ImportReference] {
        values.enumerated().map { ImportReference(path: path($0), value: $1, target: target) }
    }

    /// A record's sources, each a reference.
    private static func sources(_ ids: [String], at path: String) -> [ImportReference] {
        list(ids, .source) { "\(path).sources[\($0)]" }
    }

    /// The references of each group, in order.
    private static func all(_ groups: [ImportReference]...) -> [ImportReference] { all(groups) }
    private static func all(_ groups: [[ImportReference]]) -> [ImportReference] { Array(groups.joined()) }
}

/// What a reference in a file names: the section of the file that may hold it, and where the
/// database keeps it.
enum ReferenceTarget {
    case organization, campaign, source, employer, person, convention, site

    /// The top-level list of the file, and the table of the database, that hold it.
    var section: String {
        switch self {
        case .organization: "organizations"
        case .campaign: "campaigns"
        case .source: "sources"
        case .employer: "employers"
        case .person: "people"
        case .convention: "conventions"
        case .site: "sites"
        }
    }

    /// The column of `section`'s table that holds the handle or id.
    var column: String { self == .source || self == .site ? "uid" : "handle" }

    /// The word for it in a message.
    var noun: String { "\(self)" }
}

/// A reference the file itself does not satisfy: the database must hold what it names.
struct ImportReference {
    let path: String
    let value: String
    let target: ReferenceTarget
}

/// An interchange file read and checked from its bytes alone, before any transaction: what is
/// wrong with it that the file shows, the references only the database can satisfy, and its
/// records, ready for the loader.
struct ReadDocument {
    let name: String
    /// Problems found in the file alone.
    let problems: [ImportProblem]
    /// References to records the file does not hold, in the order their problems are reported.
    let references: [ImportReference]
    let records: DocumentRecords
    let includesSensitive: Bool
    /// The history of changes the file carries (`export --with-history`), if it carries one.
    var history: CarriedHistory? = nil

    /// Throws every problem of the file, with each reference the database does not satisfy, if
    /// there is any. Inside the import's transaction, so that what it found stays true while the
    /// records are written.
    func check(in db: Database) throws {
        var problems = self.problems
        for reference in references {
            if try !db.exists(cached: "SELECT 1 FROM \(reference.target.section) WHERE \(reference.target.column) = ?", arguments: [reference.value]) {
                problems.append(ImportProblem(location: reference.path,
                                              message: "no \(reference.target.noun) \"\(TextRules.printable(reference.value))\" in the file or the database", isReference: true))
            }
        }
        if !problems.isEmpty { throw SolidarityError.problems(problems, in: name) }
    }

    /// The whole document, every record decoded: for tests and small files.
    func document() throws -> InterchangeDocument {
        var document = InterchangeDocument(home: records.home, includesSensitive: includesSensitive)
        func take<T>(_ section: InterchangeSection<T>) throws {
            try records.forEach(section) { document[keyPath: section.records].append($0) }
        }
        try take(InterchangeSections.sources)
        try take(InterchangeSections.campaigns)
        try take(InterchangeSections.organizations)
        try take(InterchangeSections.people)
        try take(InterchangeSections.relationships)
        try take(InterchangeSections.employers)
        try take(InterchangeSections.sites)
        try take(InterchangeSections.activities)
        try take(InterchangeSections.conventions)
        try take(InterchangeSections.resolutions)
        return document
    }
}

/// The records of a document as the loader takes them: held whole (a file read carefully, or the
/// Seeds), or left in the file and decoded one at a time from where its outline found them.
enum DocumentRecords {
    case whole(InterchangeDocument)
    case outlined(OutlinedRecords)

    /// The home organization the file names, if any.
    var home: String? {
        switch self {
        case .whole(let document): document.home
        case .outlined(let file): file.home
        }
    }

    /// Calls `body` with each record of `section`, checked, in the file's order; with
    /// `parentsFirst`, each after its parent when its parent is in the list.
    func forEach<T>(_ section: InterchangeSection<T>, parentsFirst: Bool = false, _ body: (T) throws -> Void) throws {
        switch self {
        case .whole(let document):
            var records = document[keyPath: section.records]
            if parentsFirst, let lineage = section.lineage {
                records = try Loader.parentsFirst(records, handle: lineage.handle, parent: lineage.parent)
            }
            for record in records { try body(record) }
        case .outlined(let file):
            try file.forEach(section, parentsFirst: parentsFirst, body)
        }
    }
}

/// A clean file's records where they are: the file's bytes (mapped, so that they are the page
/// cache's rather than the process's), each record's range, and for the lists whose records may
/// have a parent in them, each record's handle and parent.
struct OutlinedRecords {
    let data: Data
    let home: String?
    let ranges: [String: [Range<Int>]]
    let lineages: [String: [Lineage]]
    /// The rule an activity stating no status follows.
    let rule: StatusRule

    /// A record's handle and parent, and its position in its list.
    struct Lineage {
        let index: Int
        let handle: String
        let parent: String?
    }

    /// Decodes each record of `section` from its bytes, checks it as the reading did, and hands it to `body`.
    func forEach<T>(_ section: InterchangeSection<T>, parentsFirst: Bool, _ body: (T) throws -> Void) throws {
        let ranges = self.ranges[section.key] ?? []
        let order: [Int]
        if parentsFirst, let lineage = lineages[section.key] {
            order = try Loader.parentsFirst(lineage, handle: \.handle, parent: \.parent).map(\.index)
        } else {
            order = Array(ranges.indices)
        }
        let decoder = rule.decoder()
        for index in order {
            var record = try decoder.decode(T.self, from: Self.slice(data, ranges[index]))
            try section.check(&record)
            try body(record)
        }
    }

    /// The bytes of `range` in `data`, without copying them.
    static func slice(_ data: Data, _ range: Range<Int>) -> Data {
        data[(data.startIndex + range.lowerBound)..<(data.startIndex + range.upperBound)]
    }
}

/// Reads an interchange file and checks everything the file alone can show, before anything is
/// written and without the database: a clean file record by record (never decoded whole), any
/// other value by value, so that each problem is reported with where it is.
struct DocumentReader {
    let name: String
    private(set) var problems: [ImportProblem] = []
    /// Words of the records' names that mix scripts, each with where it is: imported, and listed.
    private(set) var warnings: [String] = []
    /// The handles and ids each section of the file declares, valid or not.
    private var declared: [String: Set<String>] = [:]
    /// The references the file does not satisfy, per section (the home's under "home").
    private var references: [String: [ImportReference]] = [:]
    /// The number of the last change of the history read, to check their order.
    private var lastChange: Int64?
    /// Each valid record's handle and parent, for the sections that have `lineage` (clean files).
    private var lineages: [String: [OutlinedRecords.Lineage]] = [:]

    /// Whether every file is taken apart value by value, even one whose outline is clean (the
    /// tests compare the two readings).
    private let carefully: Bool
    /// Says when an activity marked done has not started yet (a warning: it is imported as stated).
    private let rule: StatusRule

    init(name: String, carefully: Bool = false, rule: StatusRule = StatusRule()) {
        self.name = name
        self.carefully = carefully
        self.rule = rule
    }

    /// The format's top-level lists, with the keys their records may have.
    static let sections: [String: Set<String>] = [
        "sources": Source.keys, "campaigns": Campaign.keys, "organizations": Organization.keys, "people": Person.keys,
        "relationships": Relationship.keys, "employers": Employer.keys, "sites": Site.keys, "activities": Activity.keys,
        "conventions": Convention.keys, "resolutions": Resolution.keys,
    ]
    /// The format's other top-level keys.
    static let otherKeys: Set<String> = ["format", "home", "includes_sensitive", historyKey]
    /// The top-level list of the history's changes, last in a file that carries it.
    static let historyKey = "history"
    /// The lists an outline finds the records of: the sections, and the history's changes.
    private static let outlined = sections.merging([historyKey: CarriedChange.keys]) { first, _ in first }
    /// The order in which problems of references are reported: conventions' and resolutions'
    /// first, then the home's, then the other sections' in the file format's order.
    private static let referenceOrder = ["conventions", "resolutions", "home", "organizations", "people", "relationships",
                                         "employers", "sites", "activities"]

    /// How the file is read: a file whose outline is clean record by record from its bytes; any
    /// other value by value (and decoded whole when it can be, as the records' own decoding).
    private enum Reading {
        case clean(InterchangeOutline, Data)
        case careful([String: Any], whole: InterchangeDocument?)
    }

    /// Thrown by the clean reading when a record does not decode: the careful reading says why.
    private struct NeedsCarefulReading: Error {}

    /// The file read and checked from its bytes alone, with what is wrong with it; throws only for
    /// a file that is not an interchange document at all (not JSON, not an object, another format).
    mutating func read(_ data: Data) throws -> ReadDocument {
        // A well-formed file is outlined in one pass over its bytes and decoded a record at a time;
        // only a file with a problem is taken apart value by value.
        if !carefully, let outline = InterchangeOutline(of: data, sections: Self.outlined, others: Self.otherKeys) {
            do {
                return try readClean(data, outline)
            } catch is NeedsCarefulReading {
                self = DocumentReader(name: name, carefully: carefully, rule: rule)
            }
        }
        return try readCarefully(data)
    }

    /// A clean file, a record at a time: each record decoded from its range and checked, and only
    /// its references that the file does not satisfy kept (and for a list with parents, its lineage).
    private mutating func readClean(_ data: Data, _ outline: InterchangeOutline) throws -> ReadDocument {
        func value<V: Decodable>(_ key: String, _ type: V.Type) throws -> V? {
            guard let range = outline.values[key] else { return nil }
            do { return try JSONDecoder().decode(V?.self, from: OutlinedRecords.slice(data, range)) } catch { throw NeedsCarefulReading() }
        }
        guard try value("format", String.self) == InterchangeDocument.formatTag else { throw NeedsCarefulReading() }
        let home = try value("home", String.self)
        let includesSensitive = try value("includes_sensitive", Bool.self) ?? false
        for key in Self.sections.keys { declared[key] = Set((outline.identities[key] ?? []).compactMap { $0 }) }
        if let home { refer([ImportReference(path: "$.home", value: home, target: .organization)], in: "home") }
        _ = try sections(.clean(outline, data))
        var history: CarriedHistory?
        if let ranges = outline.ranges[Self.historyKey] {
            let decoder = JSONDecoder()
            for (index, range) in ranges.enumerated() {
                let change: CarriedChange
                do { change = try decoder.decode(CarriedChange.self, from: OutlinedRecords.slice(data, range)) } catch { throw NeedsCarefulReading() }
                checkChange(change, at: index)
            }
            history = CarriedHistory(name: name, changes: .outlined(data, ranges))
        }
        let records = OutlinedRecords(data: data, home: home, ranges: outline.ranges, lineages: lineages, rule: rule)
        return ReadDocument(name: name, problems: problems, references: orderedReferences(), records: .outlined(records),
                            includesSensitive: includesSensitive, history: history)
    }

    /// Any other file, value by value, so that each problem is reported with where it is; the valid
    /// records are kept whole.
    private mutating func readCarefully(_ data: Data) throws -> ReadDocument {
        let whole = try? rule.decoder().decode(InterchangeDocument.self, from: data)
        let top = try topLevel(data)
        var document = InterchangeDocument(includesSensitive: top["includes_sensitive"] as? Bool ?? false)
        if let home = top["home"], !(home is NSNull) {
            if let handle = home as? String, checkText(handle, at: "$.home") { document.home = handle } else if !(home is String) {
                problem("$.home", "expected an organization's handle")
            }
        }
        for key in Self.sections.keys {
            let items = top[key] as? [Any] ?? []
            declared[key] = Set(items.compactMap { item in
                let object = item as? [String: Any]
                return (object?["handle"] ?? object?["id"]) as? String
            })
        }
        if let home = document.home { refer([ImportReference(path: "$.home", value: home, target: .organization)], in: "home") }
        let records = try sections(.careful(top, whole: whole))
        document.sources = records.sources
        document.campaigns = records.campaigns
        document.organizations = records.organizations
        document.people = records.people
        document.relationships = records.relationships
        document.employers = records.employers
        document.sites = records.sites
        document.activities = records.activities
        document.conventions = records.conventions
        document.resolutions = records.resolutions
        // Read before `problems` is taken: its problems are the file's too.
        let history = try carriedHistory(top[Self.historyKey])
        return ReadDocument(name: name, problems: problems, references: orderedReferences(), records: .whole(document),
                            includesSensitive: document.includesSensitive, history: history)
    }

    /// The history a file read value by value carries, each change decoded and checked on its own.
    private mutating func carriedHistory(_ value: Any?) throws -> CarriedHistory? {
        guard let value, !(value is NSNull) else { return nil }
        guard let list = value as? [Any] else {
            problem("$.\(Self.historyKey)", "expected a list of changes")
            return nil
        }
        var changes: [CarriedChange] = []
        for (index, item) in list.enumerated() {
            let path = "$.\(Self.historyKey)[\(index)]"
            if let object = item as? [String: Any] {
                for unknown in object.keys.sorted() where !CarriedChange.keys.contains(unknown) {
                    problem("\(path).\(TextRules.printable(unknown))", "is not a key of a change; the keys are: \(CarriedChange.keys.sorted().joined(separator: ", "))")
                }
            }
            do {
                let change = try JSONDecoder().decode(CarriedChange.self, from: JSONSerialization.data(withJSONObject: item, options: [.fragmentsAllowed]))
                if checkChange(change, at: index) { changes.append(change) }
            } catch let error as DecodingError {
                let (location, message) = InterchangeDocument.locate(error, under: path)
                problem(location, message)
            }
        }
        return CarriedHistory(name: name, changes: .whole(changes))
    }

    /// Whether a carried change can be kept as it is; when not, its problem is noted.
    @discardableResult
    private mutating func checkChange(_ change: CarriedChange, at index: Int) -> Bool {
        defer { lastChange = max(lastChange ?? change.id, change.id) }
        do {
            try change.check()
            if let lastChange, change.id <= lastChange {
                throw SolidarityError.invalid("change \(change.id) comes after change \(lastChange): the changes must be in the order of their numbers")
            }
            return true
        } catch {
            problem("$.\(Self.historyKey)[\(index)]", (error as? SolidarityError)?.message ?? "\(error)")
            return false
        }
    }

    /// Every section read and checked; the valid records of a careful reading (a clean reading keeps none).
    private mutating func sections(_ reading: Reading) throws -> InterchangeDocument {
        var records = InterchangeDocument()
        records.sources = try section(InterchangeSections.sources, reading)
        records.campaigns = try section(InterchangeSections.campaigns, reading)
        records.organizations = try section(InterchangeSections.organizations, reading)
        records.people = try section(InterchangeSections.people, reading)
        var links: [(index: Int, identity: String)] = []
        records.relationships = try section(InterchangeSections.relationships, reading) { index, r in
            let ends = r.kind.isSymmetric ? [r.from, r.to].sorted() : [r.from, r.to]
            links.append((index, "\(ends[0]) \(r.kind.rawValue) \(ends[1])"))
        }
        repeats("relationships", links)
        records.employers = try section(InterchangeSections.employers, reading)
        records.sites = try section(InterchangeSections.sites, reading)
        records.activities = try section(InterchangeSections.activities, reading)
        records.conventions = try section(InterchangeSections.conventions, reading)
        records.resolutions = try section(InterchangeSections.resolutions, reading)
        return records
    }

    /// The references the file does not satisfy, in the order their problems are reported.
    private func orderedReferences() -> [ImportReference] {
        Self.referenceOrder.flatMap { references[$0] ?? [] }
    }

    /// Notes each of `found` that the file does not satisfy, for the database to.
    private mutating func refer(_ found: [ImportReference], in section: String) {
        for reference in found where !(declared[reference.target.section] ?? []).contains(reference.value) {
            references[section, default: []].append(reference)
        }
    }

    /// The file's top-level object, its format checked and its keys known.
    private mutating func topLevel(_ data: Data) throws -> [String: Any] {
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: data)
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? error.localizedDescription
            throw SolidarityError.invalid("\(name) is not JSON (\(detail)). `solidarity import` reads files written by `solidarity export`.", remedy: .readAsSpreadsheet)
        }
        guard let top = json as? [String: Any] else {
            throw SolidarityError.invalid("\(name) is JSON but not a solidarity export: it should be an object with \"format\": \"\(InterchangeDocument.formatTag)\".")
        }
        guard let format = top["format"] as? String else {
            throw SolidarityError.invalid("\(name): $.format is missing, so this is not a solidarity export (it should be \"\(InterchangeDocument.formatTag)\").")
        }
        guard format == InterchangeDocument.formatTag else {
            throw SolidarityError.invalid("\(name): $.format is \"\(TextRules.printable(format))\"; this version of solidarity reads \"\(InterchangeDocument.formatTag)\". Export it again with a matching version.")
        }
        for key in top.keys.sorted() where !Self.otherKeys.contains(key) && Self.sections[key] == nil {
            problem("$.\(TextRules.printable(key))", "is not part of \(InterchangeDocument.formatTag): this file may come from a newer version of solidarity")
        }
        return top
    }

    private mutating func problem(_ location: String, _ message: String, reference: Bool = false) {
        problems.append(ImportProblem(location: location, message: message, isReference: reference))
    }

    /// Whether every text in `value` may be stored under `TextRules`; when not, each text that
    /// may not is a problem at its path.
    private mutating func checkText(_ value: Any, at path: String) -> Bool {
        if Self.storable(value) { return true }
        reportText(value, at: path)
        return false
    }

    private static func storable(_ value: Any) -> Bool {
        switch value {
        case let text as String: TextRules.problem(in: text) == nil
        case let object as [String: Any]: object.values.allSatisfy(storable)
        case let array as [Any]: array.allSatisfy(storable)
        default: true
        }
    }

    /// The paths of the numbers in `value` that are not whole numbers an Int holds.
    private static func notWholeNumbers(_ value: Any, at path: String) -> [String] {
        switch value {
        case is Bool, is String: []
        case let number as Double: number.rounded() == number && abs(number) < 9.0e18 ? [] : [path]
        case let object as [String: Any]: object.keys.sorted().flatMap { notWholeNumbers(object[$0]!, at: "\(path).\(TextRules.printable($0))") }
        case let array as [Any]: array.enumerated().flatMap { notWholeNumbers($1, at: "\(path)[\($0)]") }
        default: []
        }
    }

    private mutating func reportText(_ value: Any, at path: String) {
        switch value {
        case let text as String:
            if let message = TextRules.problem(in: text) { problem(path, message) }
        case let object as [String: Any]:
            for key in object.keys.sorted() { reportText(object[key]!, at: "\(path).\(TextRules.printable(key))") }
        case let array as [Any]:
            for (index, element) in array.enumerated() { reportText(element, at: "\(path)[\(index)]") }
        default:
            break
        }
    }

    /// Checks each record of a section on its own, so one bad record does not hide the next, and
    /// notes the references of each valid one; read carefully, each is decoded on its own too.
    /// `each` is given each valid record with its position. The valid records of a careful reading;
    /// none of a clean one, which leaves them in the file.
    private mutating func section<T>(_ section: InterchangeSection<T>, _ reading: Reading,
                                     each: (Int, T) -> Void = { _, _ in }) throws -> [T] {
        let key = section.key
        var records: [T] = []
        /// The record at `index` checked, its references noted.
        func accept(_ record: T, at index: Int, keep: Bool) {
            let path = "$.\(key)[\(index)]"
            guard let record = checked(record, at: path, section.check) else { return }
            refer(section.references(record, path), in: key)
            each(index, record)
            if keep { records.append(record) }
            if !keep, let lineage = section.lineage {
                lineages[key, default: []].append(OutlinedRecords.Lineage(index: index, handle: record[keyPath: lineage.handle],
                                                                          parent: record[keyPath: lineage.parent]))
            }
        }
        let items: [Any]
        switch reading {
        case .clean(let outline, let data):
            let identities = outline.identities[key] ?? []
            repeats(key, identities.enumerated().compactMap { index, identity in identity.map { (index, $0) } })
            let decoder = rule.decoder()
            for (index, range) in (outline.ranges[key] ?? []).enumerated() {
                let record: T
                do { record = try decoder.decode(T.self, from: OutlinedRecords.slice(data, range)) } catch { throw NeedsCarefulReading() }
                accept(record, at: index, keep: false)
            }
            return []
        case .careful(let top, let whole):
            guard let value = top[key], !(value is NSNull) else { return [] }
            guard let list = value as? [Any] else {
                problem("$.\(key)", "expected a list")
                return []
            }
            items = list
            let identities = items.map { item -> String? in
                let object = item as? [String: Any]
                return (object?["handle"] ?? object?["id"]) as? String
            }
            repeats(key, identities.enumerated().compactMap { index, identity in identity.map { (index, $0) } })
            let keys = T.keys
            let decoded = whole.map { $0[keyPath: section.records] }
            let wholeRecords = decoded?.count == items.count ? decoded : nil
            for (index, item) in items.enumerated() {
                let path = "$.\(key)[\(index)]"
                if let object = item as? [String: Any], !object.keys.allSatisfy(keys.contains) {
                    for unknown in object.keys.sorted() where !keys.contains(unknown) {
                        problem("\(path).\(TextRules.printable(unknown))", "is not a key of \(key); the keys are: \(keys.sorted().joined(separator: ", "))")
                    }
                }
                // A record with text that cannot be stored is reported for that alone, so that no
                // other message quotes a megabyte or a control character back at the terminal.
                guard checkText(item, at: path) else { continue }
                let record: T
                if let wholeRecords {
                    record = wholeRecords[index]
                } else {
                    do {
                        record = try rule.decoder().decode(T.self, from: JSONSerialization.data(withJSONObject: item, options: [.fragmentsAllowed]))
                    } catch let error as DecodingError {
                        let (location, message) = InterchangeDocument.locate(error, under: path)
                        // JSONDecoder calls a number that is not a whole one (12.5, 1e300) "not valid JSON",
                        // without saying where; the file is JSON, so name each such number instead.
                        let numbers = location == path ? Self.notWholeNumbers(item, at: path) : []
                        if numbers.isEmpty { problem(location, message) }
                        for number in numbers { problem(number, "expected a whole number") }
                        continue
                    } catch {
                        problem(path, (error as? SolidarityError)?.message ?? "\(error)")
                        continue
                    }
                }
                accept(record, at: index, keep: true)
            }
            return records
        }
    }

    /// The record after `check`, or nil with its problem noted.
    private mutating func checked<T>(_ record: T, at path: String, _ check: (inout T) throws -> Void) -> T? {
        var record = record
        do {
            try check(&record)
            if let named = record as? any NamedRecord { warnings += named.mixedScriptWords.map { "\(path): \($0)" } }
            if let activity = record as? Activity, let reason = rule.doneTooSoon(activity) {
                warnings.append("\(path): marked done, but \(reason); it was imported as the file states.")
            }
            return record
        } catch {
            problem(path, (error as? SolidarityError)?.message ?? "\(error)")
        }
        return nil
    }

    /// A handle or id given twice in a section.
    private mutating func repeats(_ section: String, _ identities: [(index: Int, identity: String)]) {
        var first: [String: Int] = [:]
        for (index, identity) in identities {
            if let earlier = first[identity] {
                problem("$.\(section)[\(index)]", "\"\(identity)\" repeats $.\(section)[\(earlier)]")
            } else {
                first[identity] = index
            }
        }
    }
}

/// A record with its position in the file's list, for locating problems.
struct Indexed<T> {
    let index: Int
    let record: T
}
