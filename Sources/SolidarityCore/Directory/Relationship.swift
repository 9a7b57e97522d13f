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

    /// The link as it reads from `from` to `to`: "ue ally of fat", "ue member of industriall".
    public var phrase: String { "\(from) \(kind.phrase) \(to)" }

    /// How close the link is now.
    public enum Status: String, Codable, CaseIterable, Sendable {
        case close, active, dormant, ended
    }

    public var from: String
    public var to: String
    public var kind: Kind
    public var status: Status
    @Nullable public var since: PartialDate?
    @Nullable public var until: PartialDate?
    @Nullable public var notes: String?
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
}
