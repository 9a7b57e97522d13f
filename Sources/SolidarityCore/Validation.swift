import Foundation
import GRDB

/// One problem found in a file to import, with where it is.
public struct ImportProblem: Sendable, Equatable, CustomStringConvertible {
    /// A JSON path ("$.organizations[3].country") or a CSV location ("line 7, column since").
    public let location: String
    public let message: String
    /// Whether the problem is a reference to a record that does not exist (exit 1) rather than a bad value (exit 64).
    public let isReference: Bool

    public var description: String { "\(location): \(message)" }
}

extension SolidarityError {
    /// Every problem of a file at once, so the user can fix them all in one pass.
    static func problems(_ problems: [ImportProblem], in name: String) -> SolidarityError {
        let reason: Reason = problems.allSatisfy(\.isReference) ? .notFound : .invalidInput
        let shown = problems.prefix(200).map { "  \($0)" }.joined(separator: "\n")
        let more = problems.count > 200 ? "\n  … and \(problems.count - 200) more" : ""
        return SolidarityError(reason, "\(name) has \(problems.count) problem\(problems.count == 1 ? "" : "s"); nothing was imported:\n\(shown)\(more)")
    }
}

/// Reads an interchange file whole and checks everything before anything is written.
struct DocumentReader {
    let db: Database
    let name: String
    private(set) var problems: [ImportProblem] = []
    /// The handles and ids each section of the file declares, valid or not.
    private var declared: [String: Set<String>] = [:]

    /// Whether every file is taken apart value by value, even one whose outline is clean (the
    /// tests compare the two readings).
    private let carefully: Bool

    init(db: Database, name: String, carefully: Bool = false) {
        self.db = db
        self.name = name
        self.carefully = carefully
    }

    /// The format's top-level lists, with the keys their records may have.
    static let sections: [String: Set<String>] = [
        "sources": Source.keys, "campaigns": Campaign.keys, "organizations": Organization.keys, "people": Person.keys,
        "relationships": Relationship.keys, "employers": Employer.keys, "sites": Site.keys, "activities": Activity.keys,
        "conventions": Convention.keys, "resolutions": Resolution.keys,
    ]
    /// The format's other top-level keys.
    static let otherKeys: Set<String> = ["format", "home", "includes_sensitive"]

    /// How the file is read: a file whose outline is clean from its decoding alone; any other
    /// value by value, so that each problem is reported with where it is.
    private enum Reading {
        case clean(InterchangeOutline)
        case careful([String: Any])
    }

    /// The document, or every problem found in it.
    mutating func read(_ data: Data) throws -> InterchangeDocument {
        // A well-formed file decodes in one pass, and one pass over its bytes shows there is
        // nothing more to say about it; only a file with a problem is taken apart value by value.
        let whole = try? JSONDecoder().decode(InterchangeDocument.self, from: data)
        let reading: Reading
        var document: InterchangeDocument
        if let whole, !carefully, let outline = InterchangeOutline(of: data, sections: Self.sections, others: Self.otherKeys) {
            reading = .clean(outline)
            document = InterchangeDocument(home: whole.home, includesSensitive: whole.includesSensitive)
        } else {
            let top = try topLevel(data)
            reading = .careful(top)
            document = InterchangeDocument(includesSensitive: top["includes_sensitive"] as? Bool ?? false)
            if let home = top["home"], !(home is NSNull) {
                if let handle = home as? String, checkText(handle, at: "$.home") { document.home = handle } else if !(home is String) {
                    problem("$.home", "expected an organization's handle")
                }
            }
        }
        let sources = section("sources", reading, decoded: whole?.sources) { (source: inout Source) in
            if source.url == nil && source.title == nil { throw SolidarityError.invalid("a source needs a url or a title") }
            try Naming.checkHandle(source.id)
        }
        let campaigns = section("campaigns", reading, decoded: whole?.campaigns) { (campaign: inout Campaign) in try Naming.checkHandle(campaign.handle) }
        let organizations = section("organizations", reading, decoded: whole?.organizations) { (organization: inout Organization) in
            try organization.validate()
            if organization.handle.isEmpty { throw SolidarityError.invalid("the key \"handle\" is empty") }
        }
        let people = section("people", reading, decoded: whole?.people) { (person: inout Person) in
            try person.validate()
            if person.handle.isEmpty { throw SolidarityError.invalid("the key \"handle\" is empty") }
        }
        let relationships = section("relationships", reading, decoded: whole?.relationships) { (relationship: inout Relationship) in
            try PartialDate.checkPeriod(since: relationship.since, until: relationship.until, what: "the relationship")
            if relationship.from == relationship.to { throw SolidarityError(.conflict, "an organization cannot have a relationship with itself") }
        }
        repeats("relationships", relationships.map { item in
            let r = item.record
            let ends = r.kind.isSymmetric ? [r.from, r.to].sorted() : [r.from, r.to]
            return (item.index, "\(ends[0]) \(r.kind.rawValue) \(ends[1])")
        })
        let employers = section("employers", reading, decoded: whole?.employers) { (employer: inout Employer) in
            try employer.validate()
            if employer.handle.isEmpty { throw SolidarityError.invalid("the key \"handle\" is empty") }
        }
        let sites = section("sites", reading, decoded: whole?.sites) { (site: inout Site) in
            try site.validate()
            if site.id.isEmpty { throw SolidarityError.invalid("the key \"id\" is empty") }
        }
        let activities = section("activities", reading, decoded: whole?.activities) { (activity: inout Activity) in
            try activity.validate()
            if activity.id.isEmpty { throw SolidarityError.invalid("the key \"id\" is empty") }
        }
        let conventions = section("conventions", reading, decoded: whole?.conventions) { (convention: inout Convention) in
            try convention.validate()
            if convention.handle.isEmpty { throw SolidarityError.invalid("the key \"handle\" is empty") }
        }
        let resolutions = section("resolutions", reading, decoded: whole?.resolutions) { (resolution: inout Resolution) in
            try resolution.validate()
            if resolution.handle.isEmpty { throw SolidarityError.invalid("the key \"handle\" is empty") }
        }
        try checkReferences(conventions: conventions, resolutions: resolutions)
        document.conventions = conventions.map(\.record)
        document.resolutions = resolutions.map(\.record)
        try checkReferences(home: document.home, organizations: organizations, people: people, relationships: relationships,
                            employers: employers, sites: sites, activities: activities)
        document.activities = activities.map(\.record)
        document.sources = sources.map(\.record)
        document.campaigns = campaigns.map(\.record)
        document.organizations = organizations.map(\.record)
        document.people = people.map(\.record)
        document.relationships = relationships.map(\.record)
        document.employers = employers.map(\.record)
        document.sites = sites.map(\.record)
        if !problems.isEmpty { throw SolidarityError.problems(problems, in: name) }
        return document
    }

    /// The file's top-level object, its format checked and its keys known.
    private mutating func topLevel(_ data: Data) throws -> [String: Any] {
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: data)
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? error.localizedDescription
            throw SolidarityError.invalid("\(name) is not JSON (\(detail)). `solidarity import` reads files written by `solidarity export`; for a spreadsheet use --csv FILE --as KIND.")
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

    /// Checks each record of a section on its own, so one bad record does not hide the next; read
    /// carefully, each is decoded on its own too.
    private mutating func section<T: InterchangeRecord>(_ key: String, _ reading: Reading, decoded: [T]?,
                                                        check: (inout T) throws -> Void) -> [Indexed<T>] {
        let items: [Any]
        switch reading {
        case .clean(let outline):
            declare(key, outline.identities[key] ?? [])
            var records: [Indexed<T>] = []
            records.reserveCapacity(decoded?.count ?? 0)
            for (index, record) in (decoded ?? []).enumerated() {
                if let record = checked(record, at: "$.\(key)[\(index)]", check) { records.append(Indexed(index: index, record: record)) }
            }
            return records
        case .careful(let top):
            guard let value = top[key], !(value is NSNull) else { return [] }
            guard let list = value as? [Any] else {
                problem("$.\(key)", "expected a list")
                return []
            }
            items = list
        }
        declare(key, items.map { item -> String? in
            let object = item as? [String: Any]
            return (object?["handle"] ?? object?["id"]) as? String
        })
        var records: [Indexed<T>] = []
        let keys = T.keys
        let decoded = decoded?.count == items.count ? decoded : nil
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
            if let decoded {
                record = decoded[index]
            } else {
                do {
                    record = try JSONDecoder().decode(T.self, from: JSONSerialization.data(withJSONObject: item, options: [.fragmentsAllowed]))
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
            if let record = checked(record, at: path, check) { records.append(Indexed(index: index, record: record)) }
        }
        return records
    }

    /// Notes the handles and ids a section declares (each record's "handle", else its "id"), and
    /// any given twice.
    private mutating func declare(_ key: String, _ identities: [String?]) {
        repeats(key, identities.enumerated().compactMap { index, identity in identity.map { (index, $0) } })
        declared[key] = Set(identities.compactMap { $0 })
    }

    /// The record after `check`, or nil with its problem noted.
    private mutating func checked<T>(_ record: T, at path: String, _ check: (inout T) throws -> Void) -> T? {
        var record = record
        do {
            try check(&record)
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

    /// Conventions' organizations and resolutions' conventions, clauses' organizations and employers exist.
    private mutating func checkReferences(conventions: [Indexed<Convention>], resolutions: [Indexed<Resolution>]) throws {
        let db = self.db
        let declared = self.declared
        func exists(_ value: String, section: String, table: String) throws -> Bool {
            try (declared[section] ?? []).contains(value) || Int.fetchOne(db, cached: "SELECT 1 FROM \(table) WHERE handle = ?", arguments: [value]) != nil
        }
        for item in conventions where try !exists(item.record.organization, section: "organizations", table: "organizations") {
            problem("$.conventions[\(item.index)].organization", "no organization \"\(item.record.organization)\" in the file or the database", reference: true)
        }
        for item in resolutions {
            let path = "$.resolutions[\(item.index)]"
            if try !exists(item.record.convention, section: "conventions", table: "conventions") {
                problem(path + ".convention", "no convention \"\(TextRules.printable(item.record.convention))\" in the file or the database", reference: true)
            }
            for (c, clause) in item.record.clauses.enumerated() {
                for (j, org) in clause.organizations.enumerated() where try !exists(org, section: "organizations", table: "organizations") {
                    problem("\(path).clauses[\(c)].organizations[\(j)]", "no organization \"\(TextRules.printable(org))\" in the file or the database", reference: true)
                }
            }
            for (j, employer) in item.record.employers.enumerated() where try !exists(employer, section: "employers", table: "employers") {
                problem("\(path).employers[\(j)]", "no employer \"\(TextRules.printable(employer))\" in the file or the database", reference: true)
            }
        }
    }

    /// Every handle or id the file refers to exists in the file or in the database.
    private mutating func checkReferences(home: String?, organizations: [Indexed<Organization>], people: [Indexed<Person>],
                                          relationships: [Indexed<Relationship>], employers: [Indexed<Employer>], sites: [Indexed<Site>],
                                          activities: [Indexed<Activity>]) throws {
        let db = self.db
        func known(_ section: String, table: String, column: String) -> (String) throws -> Bool {
            let set = declared[section] ?? []
            return { value in
                try set.contains(value) || Int.fetchOne(db, cached: "SELECT 1 FROM \(table) WHERE \(column) = ?", arguments: [value]) != nil
            }
        }
        let organization = known("organizations", table: "organizations", column: "handle")
        let campaign = known("campaigns", table: "campaigns", column: "handle")
        let source = known("sources", table: "sources", column: "uid")
        let employer = known("employers", table: "employers", column: "handle")
        let person = known("people", table: "people", column: "handle")
        func require(_ value: String?, _ exists: (String) throws -> Bool, at path: String, noun: String) throws {
            guard let value, try !exists(value) else { return }
            problem(path, "no \(noun) \"\(TextRules.printable(value))\" in the file or the database", reference: true)
        }
        func requireSources(_ ids: [String], at path: String) throws {
            for (index, id) in ids.enumerated() { try require(id, source, at: "\(path).sources[\(index)]", noun: "source") }
        }
        try require(home, organization, at: "$.home", noun: "organization")
        for item in organizations {
            let (path, o) = ("$.organizations[\(item.index)]", item.record)
            try require(o.parent, organization, at: path + ".parent", noun: "organization")
            for (j, c) in o.campaigns.enumerated() { try require(c, campaign, at: "\(path).campaigns[\(j)]", noun: "campaign") }
            try requireSources(o.sources, at: path)
        }
        for item in people {
            let path = "$.people[\(item.index)]"
            for (j, t) in item.record.titles.enumerated() { try require(t.organization, organization, at: "\(path).titles[\(j)].organization", noun: "organization") }
            try requireSources(item.record.sources, at: path)
        }
        for item in relationships {
            let path = "$.relationships[\(item.index)]"
            try require(item.record.from, organization, at: path + ".from", noun: "organization")
            try require(item.record.to, organization, at: path + ".to", noun: "organization")
            try requireSources(item.record.sources, at: path)
        }
        for item in employers {
            let path = "$.employers[\(item.index)]"
            try require(item.record.parent, employer, at: path + ".parent", noun: "employer")
            try requireSources(item.record.sources, at: path)
        }
        for item in sites {
            let path = "$.sites[\(item.index)]"
            try require(item.record.employer, employer, at: path + ".employer", noun: "employer")
            for (j, u) in item.record.unions.enumerated() { try require(u.organization, organization, at: "\(path).unions[\(j)].organization", noun: "organization") }
            try requireSources(item.record.sources, at: path)
        }
        for item in activities {
            let (path, a) = ("$.activities[\(item.index)]", item.record)
            for (j, part) in a.organizations.enumerated() { try require(part.organization, organization, at: "\(path).organizations[\(j)].organization", noun: "organization") }
            for (j, part) in a.people.enumerated() { try require(part.person, person, at: "\(path).people[\(j)].person", noun: "person") }
            for (j, e) in a.employers.enumerated() { try require(e, employer, at: "\(path).employers[\(j)]", noun: "employer") }
            for (j, c) in a.campaigns.enumerated() { try require(c, campaign, at: "\(path).campaigns[\(j)]", noun: "campaign") }
            try requireSources(a.sources, at: path)
        }
    }
}

/// A record with its position in the file's list, for locating problems.
struct Indexed<T> {
    let index: Int
    let record: T
}
