import Foundation

/// Anything that happened or is planned with allies: a delegation (outbound or hosted), an
/// exchange, a meeting, a conference, a webinar or a call.
public struct Activity: Codable, Equatable, Sendable {
    /// What sort of activity it is.
    public enum Kind: String, Codable, CaseIterable, Sendable, Vocabulary {
        case delegation, exchange, meeting, conference, webinar, call
    }

    /// Whether it happened, is planned, or was called off.
    public enum Status: String, Codable, CaseIterable, Sendable, Vocabulary {
        case planned, done, cancelled
    }

    /// The part an organization played.
    public enum OrganizationRole: String, Codable, CaseIterable, Sendable, Vocabulary {
        case host, sender, participant, organizer, met
    }

    /// The part a person played.
    public enum PersonRole: String, Codable, CaseIterable, Sendable, Vocabulary {
        case delegate, speaker, interpreter, contact
    }

    /// One place of the itinerary, in travel order.
    public struct Stop: Codable, Equatable, Sendable {
        public var country: String
        @Nullable public var city: String?
        public init(country: String, city: String? = nil) {
            self.country = country
            self.city = city
        }
    }

    /// An organization in a role.
    public struct OrganizationPart: Codable, Equatable, Sendable {
        public var organization: String
        public var role: OrganizationRole
        public init(organization: String, role: OrganizationRole) {
            self.organization = organization
            self.role = role
        }
    }

    /// A person in a role.
    public struct PersonPart: Codable, Equatable, Sendable {
        public var person: String
        public var role: PersonRole
        public init(person: String, role: PersonRole) {
            self.person = person
            self.role = role
        }
    }

    /// Something to do after the activity, by a date.
    public struct FollowUp: Codable, Equatable, Sendable {
        public var id: String
        public var text: String
        @Nullable public var due: PartialDate?
        /// When it was done; nil while open.
        @Nullable public var done: PartialDate?
        /// When it was closed because its activity was cancelled; nil otherwise.
        @Nullable public var cancelled: PartialDate?
        public init(id: String = "", text: String, due: PartialDate? = nil, done: PartialDate? = nil, cancelled: PartialDate? = nil) {
            self.id = id
            self.text = text
            self.due = due
            self.done = done
            self.cancelled = cancelled
        }
        /// Neither done nor cancelled.
        public var isOpen: Bool { done == nil && cancelled == nil }

        enum CodingKeys: String, CodingKey { case id, text, due, done, cancelled }

        /// A follow-up read from JSON; without an id, a new one (given its id when it is recorded).
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(id: try c.decodeIfPresent(String.self, forKey: .id) ?? "", text: try c.decode(String.self, forKey: .text),
                      due: try c.decodeIfPresent(PartialDate.self, forKey: .due), done: try c.decodeIfPresent(PartialDate.self, forKey: .done),
                      cancelled: try c.decodeIfPresent(PartialDate.self, forKey: .cancelled))
        }
    }

    public var id: String
    public var kind: Kind
    public var title: String
    public var status: Status
    /// A delegation we received rather than sent.
    public var hosted: Bool
    /// Held online (Zoom, a webinar).
    public var virtual: Bool
    @Nullable public var start: PartialDate?
    @Nullable public var end: PartialDate?
    public var itinerary: [Stop]
    public var organizations: [OrganizationPart]
    public var people: [PersonPart]
    @Nullable public var purpose: String?
    @Nullable public var outcomes: String?
    @Nullable public var notes: String?
    public var followUps: [FollowUp]
    public var employers: [String]
    /// The ids of the sites it concerns (a plant visited, a works where the meeting was held).
    public var sites: [String]
    public var campaigns: [String]
    public var sources: [String]
    public var sensitive: Bool

    public init(
        id: String = "", kind: Kind, title: String, status: Status = .done, hosted: Bool = false, virtual: Bool = false,
        start: PartialDate? = nil, end: PartialDate? = nil, itinerary: [Stop] = [], organizations: [OrganizationPart] = [],
        people: [PersonPart] = [], purpose: String? = nil, outcomes: String? = nil, notes: String? = nil, followUps: [FollowUp] = [],
        employers: [String] = [], sites: [String] = [], campaigns: [String] = [], sources: [String] = [], sensitive: Bool = false
    ) {
        self.id = id
        self.kind = kind
        self.title = title
        self.status = status
        self.hosted = hosted
        self.virtual = virtual
        self.start = start
        self.end = end
        self.itinerary = itinerary
        self.organizations = organizations
        self.people = people
        self.purpose = purpose
        self.outcomes = outcomes
        self.notes = notes
        self.followUps = followUps
        self.employers = employers
        self.sites = sites
        self.campaigns = campaigns
        self.sources = sources
        self.sensitive = sensitive
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, kind, title, status, hosted, virtual, start, end, itinerary, organizations, people, purpose, outcomes, notes
        case employers, sites, campaigns, sources, sensitive
        case followUps = "follow_ups"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decodeIfPresent(String.self, forKey: .id) ?? "",
            kind: try c.decode(Kind.self, forKey: .kind),
            title: try c.decode(String.self, forKey: .title),
            status: try c.decodeIfPresent(Status.self, forKey: .status) ?? .done,
            hosted: try c.decodeIfPresent(Bool.self, forKey: .hosted) ?? false,
            virtual: try c.decodeIfPresent(Bool.self, forKey: .virtual) ?? false,
            start: try c.decodeIfPresent(PartialDate.self, forKey: .start),
            end: try c.decodeIfPresent(PartialDate.self, forKey: .end),
            itinerary: try c.decodeIfPresent([Stop].self, forKey: .itinerary) ?? [],
            organizations: try c.decodeIfPresent([OrganizationPart].self, forKey: .organizations) ?? [],
            people: try c.decodeIfPresent([PersonPart].self, forKey: .people) ?? [],
            purpose: try c.decodeIfPresent(String.self, forKey: .purpose),
            outcomes: try c.decodeIfPresent(String.self, forKey: .outcomes),
            notes: try c.decodeIfPresent(String.self, forKey: .notes),
            followUps: try c.decodeIfPresent([FollowUp].self, forKey: .followUps) ?? [],
            employers: try c.decodeIfPresent([String].self, forKey: .employers) ?? [],
            sites: try c.decodeIfPresent([String].self, forKey: .sites) ?? [],
            campaigns: try c.decodeIfPresent([String].self, forKey: .campaigns) ?? [],
            sources: try c.decodeIfPresent([String].self, forKey: .sources) ?? [],
            sensitive: try c.decodeIfPresent(Bool.self, forKey: .sensitive) ?? false)
        // A file that states no status: the dates decide when the reader says how (an import), as
        // the log commands and a spreadsheet without a status column do; otherwise done.
        if !c.contains(.status), let rule = decoder.userInfo[StatusRule.userInfoKey] as? StatusRule {
            status = rule.status(stated: nil, for: self)
        }
    }

    /// The first day of the activity's interval, nil when undated.
    public var firstDay: String? { start?.start }
    /// The last day: the end of `end`, else of `start`.
    public var lastDay: String? { (end ?? start)?.end }

    /// Whether the activity's interval overlaps the period (an undated one overlaps none).
    public func overlaps(since: PartialDate?, until: PartialDate?) -> Bool {
        guard let first = firstDay, let last = lastDay else { return since == nil && until == nil }
        return Period(since: since, until: until).overlaps(first: first, last: last)
    }

    /// Checks every field that can be wrong on its face, normalizing country codes.
    public mutating func validate() throws {
        title = title.trimmingWhitespace()
        guard !title.isEmpty else { throw SolidarityError.invalid("An activity needs a title.", remedy: .give(.title)) }
        try TextRules.checkLine(title, "An activity's title")
        try checkNamesVisible()
        if !id.isEmpty { try Naming.checkHandle(id) }
        if Period(since: start, until: end).endsBeforeStart, let start, let end {
            throw SolidarityError.invalid("The end (\(end)) is before the start (\(start)): swap them or correct one.")
        }
        if end != nil, start == nil { throw SolidarityError.invalid("An end date needs a start date.", remedy: .giveToo(.start)) }
        if hosted, kind != .delegation { throw SolidarityError.invalid("Only a delegation can be hosted.") }
        for index in itinerary.indices {
            itinerary[index].country = try Country(itinerary[index].country).code
            itinerary[index].city = itinerary[index].city?.trimmingWhitespace(newlines: false).nilIfEmpty
            if let city = itinerary[index].city { try TextRules.checkLine(city, "A city") }
        }
        for index in followUps.indices {
            followUps[index].text = followUps[index].text.trimmingWhitespace()
            if followUps[index].text.isEmpty { throw SolidarityError.invalid("A follow-up needs its text.") }
            try TextRules.checkLine(followUps[index].text, "A follow-up")
            if !followUps[index].id.isEmpty { try Naming.checkHandle(followUps[index].id) }
            if followUps[index].done != nil, followUps[index].cancelled != nil {
                throw SolidarityError.invalid("A follow-up is either done or cancelled, not both: keep one of the two dates.")
            }
        }
    }

    /// An itinerary from countries and cities as people write them: with one country, every city
    /// is in it; with as many countries as cities, they pair in order; a city may name its own
    /// country as "Hiroshima@JP".
    public static func itinerary(countries: [String], cities: [String]) throws -> [Stop] {
        let codes = try countries.map { try Country($0).code }
        var explicit: [Stop] = []
        var plain: [String] = []
        for city in cities {
            if let at = city.lastIndex(of: "@") {
                explicit.append(Stop(country: try Country(String(city[city.index(after: at)...])).code,
                                     city: String(city[..<at]).trimmingWhitespace(newlines: false)))
            } else {
                plain.append(city)
            }
        }
        if plain.isEmpty {
            let visited = Set(explicit.map(\.country))
            return explicit + codes.filter { !visited.contains($0) }.map { Stop(country: $0) }
        }
        if codes.count == 1 { return plain.map { Stop(country: codes[0], city: $0) } + explicit }
        if codes.count == plain.count { return zip(codes, plain).map { Stop(country: $0, city: $1) } + explicit }
        if codes.isEmpty {
            throw SolidarityError.invalid("Say which country \(plain.joined(separator: ", ")) \(plain.count == 1 ? "is" : "are") in.", remedy: .countryOfCity)
        }
        throw SolidarityError.invalid("\(codes.count) countries and \(plain.count) cities cannot be paired: give one city per country in travel order, or write each city as \"City@CC\".")
    }

    /// Follow-ups due before the activity begins: accepted, with a warning, since plans change.
    public var followUpsDueBeforeStart: [FollowUp] {
        guard let start else { return [] }
        return followUps.filter { $0.due.map { $0.isWhollyBefore(start) } ?? false }
    }

    /// The rule for our own delegations: one logged without a sender (hosted: without a host) was
    /// sent (hosted) by the home organization, which takes that part first. Logging applies it;
    /// an import records its file as written.
    mutating func takeHomeAsDefault(_ home: String) {
        guard kind == .delegation else { return }
        let role: OrganizationRole = hosted ? .host : .sender
        if !organizations.contains(where: { $0.role == role }) {
            organizations.insert(OrganizationPart(organization: home, role: role), at: 0)
        }
    }

    /// Refuses an activity of another kind than `expected` (a meeting named where a delegation is asked for).
    func require(kind expected: Kind?) throws {
        guard let expected, kind != expected else { return }
        throw SolidarityError(.notFound, "\(id) is a \(kind.rawValue), not a \(expected.rawValue).",
                              remedy: expected == .delegation ? .asActivity : nil)
    }
}
