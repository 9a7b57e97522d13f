import Foundation

/// A company whose workers unions organize, with its parent company: Wabtec, GE.
public struct Employer: Codable, Equatable, Sendable {
    public var handle: String
    public var name: String
    public var aliases: [String]
    @Nullable public var country: String?
    @Nullable public var parent: String?
    @Nullable public var website: String?
    @Nullable public var notes: String?
    public var sources: [String]

    public init(handle: String = "", name: String, aliases: [String] = [], country: String? = nil, parent: String? = nil,
                website: String? = nil, notes: String? = nil, sources: [String] = []) {
        self.handle = handle
        self.name = name
        self.aliases = aliases
        self.country = country
        self.parent = parent
        self.website = website
        self.notes = notes
        self.sources = sources
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case handle, name, aliases, country, parent, website, notes, sources }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            handle: try c.decodeIfPresent(String.self, forKey: .handle) ?? "",
            name: try c.decode(String.self, forKey: .name),
            aliases: try c.decodeIfPresent([String].self, forKey: .aliases) ?? [],
            country: try c.decodeIfPresent(String.self, forKey: .country),
            parent: try c.decodeIfPresent(String.self, forKey: .parent),
            website: try c.decodeIfPresent(String.self, forKey: .website),
            notes: try c.decodeIfPresent(String.self, forKey: .notes),
            sources: try c.decodeIfPresent([String].self, forKey: .sources) ?? [])
    }

    /// Checks every field that can be wrong on its face.
    public mutating func validate() throws {
        name = name.trimmingWhitespace()
        guard !name.isEmpty else { throw SolidarityError.invalid("An employer needs a name.") }
        try TextRules.checkLine(name, "An employer's name")
        try checkNamesVisible()
        if !handle.isEmpty { try Naming.checkHandle(handle) }
        if let code = country { country = try Country(code).code }
        aliases = aliases.map { $0.trimmingWhitespace(newlines: false) }
        if aliases.contains(where: \.isEmpty) { throw SolidarityError.invalid("An employer's alias cannot be empty.") }
        for alias in aliases { try TextRules.checkLine(alias, "An employer's alias") }
    }
}
