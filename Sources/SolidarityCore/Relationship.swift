import Foundation

/// A typed link between two independent organizations: UE–FAT ally (close), UE member of IndustriALL.
public struct Relationship: Codable, Equatable, Sendable {
    /// What the link is. `ally` and `partner` are symmetric; the others read "from is … of to".
    public enum Kind: String, Codable, CaseIterable, Sendable {
        case ally, partner
        case memberOf = "member_of"
        case affiliateOf = "affiliate_of"
        case founderOf = "founder_of"

        /// Whether the link reads the same both ways.
        public var isSymmetric: Bool { self == .ally || self == .partner }

        /// How the link reads from `from` to `to`: "ally of", "member of".
        public var phrase: String {
            switch self {
            case .ally: "ally of"
            case .partner: "partner of"
            case .memberOf: "member of"
            case .affiliateOf: "affiliate of"
            case .founderOf: "founder of"
            }
        }
    }

    /// From `since` to `until`: when the link held, as far as known.
    public var period: Period { Period(since: since, until: until) }

    /// How close the link is now.
    public enum Status: String, Codable, CaseIterable, Sendable {
        case close, active, dormant, ended
    }

    public var from: String
    public var to: String
    public var kind: Kind
    public var status: Status
    public var since: PartialDate?
    public var until: PartialDate?
    public var notes: String?
    public var sources: [String]

    public init(
        from: String, to: String, kind: Kind, status: Status = .active, since: PartialDate? = nil,
        until: PartialDate? = nil, notes: String? = nil, sources: [String] = []
    ) {
        self.from = from
        self.to = to
        self.kind = kind
        self.status = status
        self.since = since
        self.until = until
        self.notes = notes
        self.sources = sources
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case from, to, kind, status, since, until, notes, sources }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            from: try c.decode(String.self, forKey: .from),
            to: try c.decode(String.self, forKey: .to),
            kind: try c.decode(Kind.self, forKey: .kind),
            status: try c.decodeIfPresent(Status.self, forKey: .status) ?? .active,
            since: try c.decodeIfPresent(PartialDate.self, forKey: .since),
            until: try c.decodeIfPresent(PartialDate.self, forKey: .until),
            notes: try c.decodeIfPresent(String.self, forKey: .notes),
            sources: try c.decodeIfPresent([String].self, forKey: .sources) ?? [])
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(kind, forKey: .kind)
        try c.encode(status, forKey: .status)
        try c.encode(since, forKey: .since)
        try c.encode(until, forKey: .until)
        try c.encode(notes, forKey: .notes)
        try c.encode(sources, forKey: .sources)
    }
}

/// A named line of work, tagged onto records: "Climate Change and Just Transition", with the
/// sources that say it exists.
public struct Campaign: Codable, Equatable, Sendable {
    public var handle: String
    public var name: String
    public var notes: String?
    public var sources: [String]

    public init(handle: String = "", name: String, notes: String? = nil, sources: [String] = []) {
        self.handle = handle
        self.name = name
        self.notes = notes
        self.sources = sources
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case handle, name, notes, sources }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        handle = try c.decodeIfPresent(String.self, forKey: .handle) ?? Naming.slug(name)
        notes = try c.decodeIfPresent(String.self, forKey: .notes)
        sources = try c.decodeIfPresent([String].self, forKey: .sources) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(handle, forKey: .handle)
        try c.encode(name, forKey: .name)
        try c.encode(notes, forKey: .notes)
        try c.encode(sources, forKey: .sources)
    }
}

/// A citation a record can carry: a URL or a document's title, its publisher, date and an excerpt.
public struct Source: Codable, Equatable, Sendable {
    public var id: String
    public var url: String?
    public var title: String?
    public var publisher: String?
    public var published: PartialDate?
    public var excerpt: String?

    public init(id: String = "", url: String? = nil, title: String? = nil, publisher: String? = nil,
                published: PartialDate? = nil, excerpt: String? = nil) {
        self.id = id
        self.url = url
        self.title = title
        self.publisher = publisher
        self.published = published
        self.excerpt = excerpt
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case id, url, title, publisher, published, excerpt }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(String.self, forKey: .id),
            url: try c.decodeIfPresent(String.self, forKey: .url),
            title: try c.decodeIfPresent(String.self, forKey: .title),
            publisher: try c.decodeIfPresent(String.self, forKey: .publisher),
            published: try c.decodeIfPresent(PartialDate.self, forKey: .published),
            excerpt: try c.decodeIfPresent(String.self, forKey: .excerpt))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(url, forKey: .url)
        try c.encode(title, forKey: .title)
        try c.encode(publisher, forKey: .publisher)
        try c.encode(published, forKey: .published)
        try c.encode(excerpt, forKey: .excerpt)
    }

    /// A new short random identifier: 10 characters of lowercase base32.
    public static func newID() -> String { RandomID.make() }
}

/// Short random identifiers for records without a handle (sources now; activities and sites later).
public enum RandomID {
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")

    /// 10 characters of lowercase base32: 50 random bits.
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<10).map { _ in alphabet[Int(generator.next() % 32)] })
    }
}
