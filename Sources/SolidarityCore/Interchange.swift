import Foundation
import GRDB

/// The interchange format: one JSON document that export writes, import reads and the Seeds use.
///
/// References between records are handles (or ids); partial dates are strings; every key is
/// present, null when empty; records are in a stable order.
public struct InterchangeDocument: Codable, Equatable, Sendable {
    /// The format tag this version writes and reads.
    public static let formatTag = "solidarity/1"

    public var format: String
    public var home: String?
    public var sources: [Source]
    public var campaigns: [Campaign]
    public var organizations: [Organization]
    public var people: [Person]
    public var relationships: [Relationship]

    public init(home: String? = nil, sources: [Source] = [], campaigns: [Campaign] = [], organizations: [Organization] = [],
                people: [Person] = [], relationships: [Relationship] = []) {
        self.format = Self.formatTag
        self.home = home
        self.sources = sources
        self.campaigns = campaigns
        self.organizations = organizations
        self.people = people
        self.relationships = relationships
    }

    enum CodingKeys: String, CodingKey { case format, home, sources, campaigns, organizations, people, relationships }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(String.self, forKey: .format)
        guard format == Self.formatTag else {
            throw SolidarityError.invalid("The file's format is \"\(format)\"; this version of solidarity reads \"\(Self.formatTag)\".")
        }
        home = try c.decodeIfPresent(String.self, forKey: .home)
        sources = try c.decodeIfPresent([Source].self, forKey: .sources) ?? []
        campaigns = try c.decodeIfPresent([Campaign].self, forKey: .campaigns) ?? []
        organizations = try c.decodeIfPresent([Organization].self, forKey: .organizations) ?? []
        people = try c.decodeIfPresent([Person].self, forKey: .people) ?? []
        relationships = try c.decodeIfPresent([Relationship].self, forKey: .relationships) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(format, forKey: .format)
        try c.encode(home, forKey: .home)
        try c.encode(sources, forKey: .sources)
        try c.encode(campaigns, forKey: .campaigns)
        try c.encode(organizations, forKey: .organizations)
        try c.encode(people, forKey: .people)
        try c.encode(relationships, forKey: .relationships)
    }

    /// Reads a document, naming the JSON path of the first problem.
    public static func decode(_ data: Data, name: String) throws -> InterchangeDocument {
        do {
            return try JSONDecoder().decode(InterchangeDocument.self, from: data)
        } catch let error as SolidarityError {
            throw error
        } catch let error as DecodingError {
            throw SolidarityError.invalid("\(name): \(Self.explain(error))")
        }
    }

    static func explain(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            "$" + context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .dataCorrupted(let context):
            if let underlying = context.underlyingError as? SolidarityError { return "at \(path(context)): \(underlying.message)" }
            return context.codingPath.isEmpty ? "not valid JSON (\(context.underlyingError.map { "\($0.localizedDescription)" } ?? context.debugDescription))"
                : "at \(path(context)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "at \(path(context)): the key \"\(key.stringValue)\" is missing"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return "at \(path(context)): expected \(type)"
        @unknown default:
            return "\(error)"
        }
    }
}

/// The shipped data set built from the seed texts, compiled into the binary.
public enum Seeds {
    /// The embedded Seeds document.
    public static func document() throws -> InterchangeDocument {
        try InterchangeDocument.decode(Data(PackageResources.seeds_json), name: "the embedded Seeds")
    }
}

/// How many records a load added and how many it left as they were.
public struct LoadReport: Sendable, Equatable, Codable {
    public var added = 0
    public var kept = 0
}

extension InterchangeDocument {
    /// Adds the records that are missing and leaves every existing one as it is: loading twice
    /// changes nothing. Records are identified by handle (or id; relationships by both ends and kind).
    func addMissing(to db: Database) throws -> LoadReport {
        var report = LoadReport()
        func count(_ added: Bool) { if added { report.added += 1 } else { report.kept += 1 } }
        for source in sources {
            let exists = try Int.fetchOne(db, sql: "SELECT 1 FROM sources WHERE uid = ?", arguments: [source.id]) != nil
            if !exists { try Sources(db: db).insert(source) }
            count(!exists)
        }
        for campaign in campaigns {
            let exists = try Int.fetchOne(db, sql: "SELECT 1 FROM campaigns WHERE handle = ?", arguments: [campaign.handle]) != nil
            if !exists { try Campaigns(db: db).insert(campaign) }
            count(!exists)
        }
        for organization in try organizationsParentsFirst() {
            let exists = try Int.fetchOne(db, sql: "SELECT 1 FROM organizations WHERE handle = ?", arguments: [organization.handle]) != nil
            if !exists { try Organizations(db: db).insert(organization) }
            count(!exists)
        }
        for person in people {
            let exists = try Int.fetchOne(db, sql: "SELECT 1 FROM people WHERE handle = ?", arguments: [person.handle]) != nil
            if !exists { try People(db: db).insert(person) }
            count(!exists)
        }
        for relationship in relationships {
            let exists = (try? Relationships(db: db).find(relationship.from, relationship.to, kind: relationship.kind)) != nil
            if !exists { try Relationships(db: db).insert(relationship) }
            count(!exists)
        }
        return report
    }

    /// Organizations ordered so that each comes after its parent.
    func organizationsParentsFirst() throws -> [Organization] {
        var placed = Set<String>()
        var ordered: [Organization] = []
        var remaining = organizations
        while !remaining.isEmpty {
            let ready = remaining.filter { org in
                guard let parent = org.parent else { return true }
                return placed.contains(parent) || !remaining.contains { $0.handle == parent }
            }
            guard !ready.isEmpty else {
                throw SolidarityError(.conflict, "The organizations \(remaining.map(\.handle).joined(separator: ", ")) are each other's parents: a structure cannot go round in a circle.")
            }
            ordered += ready
            placed.formUnion(ready.map(\.handle))
            remaining.removeAll { org in ready.contains { $0.handle == org.handle } }
        }
        return ordered
    }
}
