import Foundation
import GRDB

/// The interchange format: one JSON document that export writes, import reads and the Seeds use.
///
/// References between records are handles (or ids); partial dates are strings; every key is
/// present, null when empty; records are in a stable order. A file may end with a list `history`
/// (`export(withHistory:)`), the changes of the history as `CarriedChange` holds them, which an
/// import into a database without a history keeps; this type holds the records alone, and a
/// file without that list reads as it always did.
public struct InterchangeDocument: Codable, Equatable, Sendable {
    /// The format tag this version writes and reads.
    public static let formatTag = "solidarity/1"

    public var format: String
    @Nullable public var home: String?
    public var sources: [Source]
    public var campaigns: [Campaign]
    public var organizations: [Organization]
    public var people: [Person]
    public var relationships: [Relationship]
    public var employers: [Employer]
    public var sites: [Site]
    public var activities: [Activity]
    public var conventions: [Convention]
    public var resolutions: [Resolution]
    /// Whether sensitive records were included on export (`--include-sensitive`).
    public var includesSensitive: Bool

    public init(home: String? = nil, sources: [Source] = [], campaigns: [Campaign] = [], organizations: [Organization] = [],
                people: [Person] = [], relationships: [Relationship] = [], employers: [Employer] = [], sites: [Site] = [],
                activities: [Activity] = [], conventions: [Convention] = [], resolutions: [Resolution] = [], includesSensitive: Bool = false) {
        self.format = Self.formatTag
        self.home = home
        self.sources = sources
        self.campaigns = campaigns
        self.organizations = organizations
        self.people = people
        self.relationships = relationships
        self.employers = employers
        self.sites = sites
        self.activities = activities
        self.conventions = conventions
        self.resolutions = resolutions
        self.includesSensitive = includesSensitive
    }

    enum CodingKeys: String, CodingKey {
        case format, home, sources, campaigns, organizations, people, relationships, employers, sites, activities, conventions, resolutions
        case includesSensitive = "includes_sensitive"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(String.self, forKey: .format)
        guard format == Self.formatTag else {
            throw SolidarityError.invalid("The file's format is \"\(TextRules.printable(format))\"; this version of solidarity reads \"\(Self.formatTag)\".")
        }
        home = try c.decodeIfPresent(String.self, forKey: .home)
        sources = try c.decodeIfPresent([Source].self, forKey: .sources) ?? []
        campaigns = try c.decodeIfPresent([Campaign].self, forKey: .campaigns) ?? []
        organizations = try c.decodeIfPresent([Organization].self, forKey: .organizations) ?? []
        people = try c.decodeIfPresent([Person].self, forKey: .people) ?? []
        relationships = try c.decodeIfPresent([Relationship].self, forKey: .relationships) ?? []
        employers = try c.decodeIfPresent([Employer].self, forKey: .employers) ?? []
        sites = try c.decodeIfPresent([Site].self, forKey: .sites) ?? []
        activities = try c.decodeIfPresent([Activity].self, forKey: .activities) ?? []
        conventions = try c.decodeIfPresent([Convention].self, forKey: .conventions) ?? []
        resolutions = try c.decodeIfPresent([Resolution].self, forKey: .resolutions) ?? []
        includesSensitive = try c.decodeIfPresent(Bool.self, forKey: .includesSensitive) ?? false
    }

    /// The JSON encoder of every JSON the tool writes: indented, keys sorted, so output is stable.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The document as the bytes `export` writes.
    public func encoded() throws -> Data {
        var data = try Self.encoder().encode(self)
        data.append(0x0A)
        return data
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

    /// Where in the JSON a decoding error is ("$.organizations[3].country") and what it is.
    static func locate(_ error: DecodingError, under prefix: String = "$") -> (path: String, message: String) {
        func path(_ context: DecodingError.Context) -> String {
            prefix + context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .dataCorrupted(let context):
            return (path(context), context.debugDescription)
        case .keyNotFound(let key, let context):
            return (path(context), "the key \"\(key.stringValue)\" is missing")
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let expected = type == String.self ? "text" : type == Bool.self ? "true or false" : type == Int.self ? "a whole number"
                : "\(type)".hasPrefix("Array") ? "a list" : "\(type)"
            return (path(context), "expected \(expected)")
        @unknown default:
            return (prefix, "\(error)")
        }
    }

    static func explain(_ error: DecodingError) -> String {
        let (path, message) = locate(error)
        return "at \(path): \(message)"
    }
}
