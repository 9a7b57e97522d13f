import Foundation

/// A company whose workers unions organize, with its parent company: Wabtec, GE.
public struct Employer: Codable, Equatable, Sendable {
    public var handle: String
    public var name: String
    public var aliases: [String]
    public var country: String?
    public var parent: String?
    public var website: String?
    public var notes: String?
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

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(handle, forKey: .handle)
        try c.encode(name, forKey: .name)
        try c.encode(aliases, forKey: .aliases)
        try c.encode(country, forKey: .country)
        try c.encode(parent, forKey: .parent)
        try c.encode(website, forKey: .website)
        try c.encode(notes, forKey: .notes)
        try c.encode(sources, forKey: .sources)
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

/// A workplace of an employer, and the unions that represent its workers over time.
public struct Site: Codable, Equatable, Sendable {
    /// A union representing the site's workers, from `since` until `until`.
    public struct Representation: Codable, Equatable, Sendable {
        public var organization: String
        public var since: PartialDate?
        public var until: PartialDate?

        public init(organization: String, since: PartialDate? = nil, until: PartialDate? = nil) {
            self.organization = organization
            self.since = since
            self.until = until
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(organization, forKey: .organization)
            try c.encode(since, forKey: .since)
            try c.encode(until, forKey: .until)
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
    public var region: String?
    public var city: String?
    public var sector: String?
    public var notes: String?
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

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(employer, forKey: .employer)
        try c.encode(name, forKey: .name)
        try c.encode(country, forKey: .country)
        try c.encode(region, forKey: .region)
        try c.encode(city, forKey: .city)
        try c.encode(sector, forKey: .sector)
        try c.encode(notes, forKey: .notes)
        try c.encode(unions, forKey: .unions)
        try c.encode(sources, forKey: .sources)
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

/// ISO 3166-2 region codes ("CA-QC"), as organizations and sites record them.
enum Region {
    /// The upper-cased code, refused when malformed or outside `country`.
    static func check(_ code: String, country: String?) throws -> String {
        let upper = code.uppercased()
        let parts = upper.split(separator: "-", maxSplits: 1)
        guard parts.count == 2, (1...3).contains(parts[1].count), parts[1].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw SolidarityError.invalid("\"\(TextRules.printable(code))\" is not an ISO 3166-2 region code: write the country code, a hyphen and the subdivision, for example CA-QC for Quebec.")
        }
        let regionCountry = try Country(String(parts[0])).code
        if let country, country != regionCountry {
            throw SolidarityError.invalid("Region \(upper) is not in country \(country): correct the region or the country.")
        }
        return upper
    }

    /// The region a record keeps when it moves to `country`: its own, unless that lies in
    /// another country (moving a site from CA to US drops CA-QC rather than refusing the move).
    static func kept(_ region: String?, movingTo country: String) -> String? {
        guard let region, region.uppercased().hasPrefix(country.uppercased() + "-") else { return nil }
        return region
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

extension Organization {
    /// Moves the organization to another country, dropping a region that is not in it.
    public mutating func move(to country: String) {
        self.country = country
        region = Region.kept(region, movingTo: country)
    }
}
