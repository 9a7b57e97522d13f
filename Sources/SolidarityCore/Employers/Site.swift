import Foundation

/// A workplace of an employer, and the unions that represent its workers over time.
public struct Site: Codable, Equatable, Sendable {
    /// A union representing the site's workers, from `since` until `until`.
    public struct Representation: Codable, Equatable, Sendable {
        public var organization: String
        @Nullable public var since: PartialDate?
        @Nullable public var until: PartialDate?

        public init(organization: String, since: PartialDate? = nil, until: PartialDate? = nil) {
            self.organization = organization
            self.since = since
            self.until = until
        }

        /// Whether the union represents the site on `date` (now when nil).
        public func isCurrent(on date: PartialDate? = nil) -> Bool {
            guard let date else { return until == nil }
            return period.overlaps(date)
        }

        /// From `since` to `until`.
        public var period: Period { Period(since: since, until: until) }
    }

    public var id: String
    public var employer: String
    public var name: String
    public var country: String
    @Nullable public var region: String?
    @Nullable public var city: String?
    @Nullable public var sector: String?
    @Nullable public var notes: String?
    public var unions: [Representation]
    public var sources: [String]

    public init(id: String = "", employer: String, name: String, country: String, region: String? = nil, city: String? = nil,
                sector: String? = nil, notes: String? = nil, unions: [Representation] = [], sources: [String] = []) {
        self.id = id
        self.employer = employer
        self.name = name
        self.country = country
        self.region = region
        self.city = city
        self.sector = sector
        self.notes = notes
        self.unions = unions
        self.sources = sources
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case id, employer, name, country, region, city, sector, notes, unions, sources }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decodeIfPresent(String.self, forKey: .id) ?? "",
            employer: try c.decode(String.self, forKey: .employer),
            name: try c.decode(String.self, forKey: .name),
            country: try c.decode(String.self, forKey: .country),
            region: try c.decodeIfPresent(String.self, forKey: .region),
            city: try c.decodeIfPresent(String.self, forKey: .city),
            sector: try c.decodeIfPresent(String.self, forKey: .sector),
            notes: try c.decodeIfPresent(String.self, forKey: .notes),
            unions: try c.decodeIfPresent([Representation].self, forKey: .unions) ?? [],
            sources: try c.decodeIfPresent([String].self, forKey: .sources) ?? [])
    }

    /// Checks every field that can be wrong on its face, normalizing codes.
    public mutating func validate() throws {
        name = name.trimmingWhitespace()
        guard !name.isEmpty else { throw SolidarityError.invalid("A site needs a name.") }
        try TextRules.checkLine(name, "A site's name")
        try checkNamesVisible()
        for (text, what) in [(city, "A city"), (sector, "A sector")] {
            if let text { try TextRules.checkLine(text, what) }
        }
        if !id.isEmpty { try Naming.checkHandle(id) }
        country = try Country(country).code
        if let code = region { region = try Region.check(code, country: country) }
        for union in unions {
            try union.period.check("the representation by \(union.organization)")
        }
    }
}

extension Site {
    /// The site as an activity names it, with where it is: "Example Wabtec plant, Contagem, Brazil"
    /// ("Wabtec workers in Brazil" already says its country).
    public var location: String {
        let country = Country.name(self.country)
        return ([name, city].compactMap { $0 } + (name.contains(country) ? [] : [country])).joined(separator: ", ")
    }

    /// Moves the site to another country, dropping a region that is not in it.
    public mutating func move(to country: String) {
        self.country = country
        region = Region.kept(region, movingTo: country)
    }
}
