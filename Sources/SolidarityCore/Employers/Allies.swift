import Foundation
import GRDB

/// Which unions represent the workers of an employer's chain, and how close the home
/// organization is to each: the second job of the tool.
public struct AlliesReport: Encodable, Sendable {
    /// A union at a site, seen from the home organization.
    public struct Union: Encodable, Sendable {
        /// The home organization's relationship to the union.
        public struct Link: Encodable, Sendable {
            public let kind: Relationship.Kind
            public let status: Relationship.Status
            @Nullable public internal(set) var since: PartialDate?
            enum CodingKeys: String, CodingKey { case kind, status, since }
        }

        /// Our last contact with the union (the rule of `LastContact`).
        public struct Contact: Encodable, Sendable {
            @Nullable public internal(set) var date: PartialDate?
            public let title: String
            public let activity: String
            /// The units, or the person, through which ("CCMM-CSN"); nil when both took part themselves.
            @Nullable public internal(set) var via: String?
            /// The activity is marked sensitive, or the contact ran through a withheld unit or person.
            public let sensitive: Bool

            init(_ contact: LastContact) {
                date = contact.date
                title = contact.title
                activity = contact.activity
                via = contact.viaText
                sensitive = contact.sensitive
            }
            enum CodingKeys: String, CodingKey { case date, title, activity, via, sensitive }
        }

        /// A prospect's tie to one of our allies: it is a member or an affiliate of an organization
        /// the home organization is an ally or partner of ("affiliate of IndustriALL, our ally").
        public struct AllyLink: Encodable, Sendable {
            /// `member_of` or `affiliate_of`.
            public let kind: Relationship.Kind
            /// The ally's handle and short name (acronym, else name).
            public let organization: String
            public let name: String
            /// The home organization's relationship to the ally: `ally` or `partner`.
            public let ours: Relationship.Kind
            /// The ally is withheld by the rule of `Disclosure` (shown, marked, in the user's own views).
            public var sensitive = false

            enum CodingKeys: String, CodingKey { case kind, organization, name, ours = "our_relationship", sensitive }

            /// "affiliate of IndustriALL, our ally" ("affiliate of HF [sensitive], our ally" for a withheld ally).
            public var phrase: String { "\(kind.phrase) \(Disclosure.mark(name, sensitive)), our \(ours.rawValue)" }
        }

        /// A person holding a title at the union.
        public struct Person: Encodable, Sendable {
            public let person: String
            public let name: String
            public let title: String
        }

        public let organization: String
        public let name: String
        @Nullable public internal(set) var acronym: String?
        @Nullable public internal(set) var country: String?
        /// When the union's representation of this site began and ended.
        @Nullable public internal(set) var since: PartialDate?
        @Nullable public internal(set) var until: PartialDate?
        /// Part of the home organization's own structure (its locals and councils).
        public let ours: Bool
        /// Not ours, and the home organization has no relationship with it.
        public let prospect: Bool
        @Nullable public internal(set) var relationship: Link?
        /// A prospect's membership or affiliation in one of our allies, the way in to it.
        @Nullable public internal(set) var allyLink: AllyLink?
        @Nullable public internal(set) var lastContact: Contact?
        public let contacts: [Person]
        /// The global union federation it (or the union it is part of) is a member of.
        @Nullable public internal(set) var federation: String?
        /// Withheld by the rule of `Disclosure`: marked sensitive, or part of an organization that is.
        public let sensitive: Bool

        enum CodingKeys: String, CodingKey {
            case organization, name, acronym, country, since, until, ours, prospect, relationship, contacts, federation, sensitive
            case allyLink = "ally_link", lastContact = "last_contact"
        }
    }

    /// A site with its unions; a gap when none is recorded.
    public struct SiteEntry: Encodable, Sendable {
        public let id: String
        public let name: String
        public let employer: String
        @Nullable public internal(set) var city: String?
        public let gap: Bool
        public let unions: [Union]
        enum CodingKeys: String, CodingKey { case id, name, employer, city, gap, unions }
    }

    /// The sites in one country.
    public struct CountryGroup: Encodable, Sendable {
        public let country: String
        public let name: String
        public let sites: [SiteEntry]
    }

    public let employer: String
    public let name: String
    /// The employer and every employer below it in the corporate tree.
    public let employers: [String]
    public let home: String?
    public let asOf: PartialDate?
    public let countries: [CountryGroup]
    /// When the chain (in the country asked for) has no site: nothing to list, and how to record one.
    public let noSite: NoSite?
    /// A sentence for the reader when no home organization is set.
    public let homeNote: String?
    /// What limits the report, for the reader: no site, no home organization.
    public var note: String? {
        let notes = [noSite?.sentence, homeNote].compactMap { $0 }
        return notes.isEmpty ? nil : notes.joined(separator: "\n")
    }

    /// A chain with no site recorded (in the country asked for): the sentence that says so, and
    /// what a front end needs to show how to record one, with an example.
    public struct NoSite: Sendable, Equatable {
        public let sentence: String
        /// The employer's handle.
        public let employer: String
        /// An example site's name ("Wabtec workers, Brazil"), its employer's name left out when a
        /// shell would read it otherwise, and its country (the employer's, else the home organization's).
        public let exampleName: String
        public let exampleCountry: String
    }

    enum CodingKeys: String, CodingKey {
        case employer, name, employers, home, countries, note
        case asOf = "as_of"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(employer, forKey: .employer)
        try c.encode(name, forKey: .name)
        try c.encode(employers, forKey: .employers)
        try c.encode(home, forKey: .home)
        try c.encode(asOf, forKey: .asOf)
        try c.encode(countries, forKey: .countries)
        try c.encode(note, forKey: .note)
    }
}

/// Builds the allies report from the corporate tree, sites, representation, relationships and activities.
///
/// A query answers for one date (`asOf`, else `today`); the unions it describes are kept, so the
/// chains of one appendix, which share many unions, describe each once.
struct AlliesQuery {
    let db: Database
    let asOf: PartialDate?
    let today: PartialDate
    /// What the report marks sensitive.
    private let rule: Disclosure
    private let described = DescribedUnions()

    /// The unions described lately, by organization id: at most `limit`, so that an appendix
    /// over thousands of chains keeps its memory bounded (when full, it starts again).
    private final class DescribedUnions {
        static let limit = 2_000
        private var unions: [Int64: AlliesReport.Union] = [:]

        subscript(id: Int64) -> AlliesReport.Union? {
            get { unions[id] }
            set {
                if unions.count >= Self.limit && unions[id] == nil { unions.removeAll(keepingCapacity: true) }
                unions[id] = newValue
            }
        }
    }

    init(db: Database, asOf: PartialDate?, today: PartialDate) throws {
        self.db = db
        self.asOf = asOf
        self.today = today
        rule = try Disclosure(db: db)
    }

    /// The SQL that reads one chain's sites with their representation: the employer tree through
    /// `employers_by_parent`, its sites through `sites_by_employer`, representation by site.
    static let chainSQL = """
        WITH RECURSIVE chain(id) AS (SELECT ? UNION SELECT e.id FROM employers e JOIN chain ON e.parent_id = chain.id)
        SELECT s.id, s.uid, s.name, s.country, s.city, e.handle AS employer, r.organization_id, r.since, r.until
        FROM chain JOIN sites s ON s.employer_id = chain.id JOIN employers e ON e.id = s.employer_id
        LEFT JOIN representations r ON r.site_id = s.id
        """

    func report(employer ref: String, country: String?) throws -> AlliesReport {
        let employer = try References(db: db).employer(ref)
        let country = try country.map { try Country($0).code }
        let homeID = try Int64.fetchOne(db, cached: "SELECT organization_id FROM home")
        let home = try homeID.flatMap { try String.fetchOne(db, cached: "SELECT handle FROM organizations WHERE id = ?", arguments: [$0]) }
        let employers = try String.fetchAll(db, cached: """
            WITH RECURSIVE chain(id, path) AS (SELECT id, handle FROM employers WHERE id = ?
                UNION ALL SELECT e.id, chain.path || '/' || e.handle FROM employers e JOIN chain ON e.parent_id = chain.id)
            SELECT e.handle FROM chain JOIN employers e ON e.id = chain.id ORDER BY chain.path
            """, arguments: [employer.id])

        struct SiteRow { let uid: String, name: String, country: String, city: String?, employer: String
                         var unions: [(id: Int64, since: PartialDate?, until: PartialDate?)] }
        var sites: [Int64: SiteRow] = [:]
        let chain = SQL(sql: Self.chainSQL, arguments: [employer.id])
        let chainSites: SQL = country.map { "\(chain) WHERE s.country = \($0)" } ?? chain
        for row in try Row.fetchAll(db, SQLRequest(literal: chainSites, cached: true)) {
            let id: Int64 = row["id"]
            if sites[id] == nil {
                sites[id] = SiteRow(uid: row["uid"], name: row["name"], country: row["country"], city: row["city"], employer: row["employer"], unions: [])
            }
            if let union: Int64 = row["organization_id"] {
                let representation = Site.Representation(organization: "", since: try (row["since"] as String?).map(PartialDate.init),
                                                         until: try (row["until"] as String?).map(PartialDate.init))
                if representation.isCurrent(on: asOf) { sites[id]?.unions.append((union, representation.since, representation.until)) }
            }
        }

        // Our last contacts with the unions not described yet, in one query.
        let undescribed = Set(sites.values.flatMap { $0.unions.map(\.id) }.filter { described[$0] == nil })
        let contacts = try homeID.map { try LastContacts(db: db, home: $0, horizon: asOf ?? today, rule: rule, countsWithheld: true).of(undescribed) } ?? [:]
        func union(_ id: Int64, since: PartialDate?, until: PartialDate?) throws -> AlliesReport.Union {
            var described = try self.described[id] ?? describe(union: id, home: homeID, lastContact: contacts[id])
            self.described[id] = described
            (described.since, described.until) = (since, until)
            return described
        }

        var groups: [String: [AlliesReport.SiteEntry]] = [:]
        for site in sites.values {
            let unions = try site.unions.map { try union($0.id, since: $0.since, until: $0.until) }
                .sorted { $0.organization < $1.organization }
            groups[site.country, default: []].append(AlliesReport.SiteEntry(
                id: site.uid, name: site.name, employer: site.employer, city: site.city, gap: unions.isEmpty, unions: unions))
        }
        let countries = groups.keys.sorted().map { code in
            AlliesReport.CountryGroup(country: code, name: Country.name(code),
                                      sites: groups[code]!.sorted { ($0.employer, $0.name, $0.id) < ($1.employer, $1.name, $1.id) })
        }
        let row = try Row.fetchOne(db, cached: "SELECT name, country FROM employers WHERE id = ?", arguments: [employer.id])
        let name: String = row?["name"] ?? employer.name
        var noSite: AlliesReport.NoSite?
        if sites.isEmpty {
            let homeCountry = try homeID.flatMap { try String.fetchOne(db, cached: "SELECT country FROM organizations WHERE id = ?", arguments: [$0]) }
            let employerCountry: String? = row?["country"]
            noSite = Self.noSite(employer: employer.handle, name: name, owns: employers.count > 1, country: country,
                                 example: country ?? employerCountry ?? homeCountry)
        }
        let homeNote = home == nil ? MissingHome.note("no union is marked ours, ally or prospect, and no last contact is shown") : nil
        return AlliesReport(employer: employer.handle, name: name, employers: employers, home: home, asOf: asOf, countries: countries,
                            noSite: noSite, homeNote: homeNote)
    }

    /// What the report says of a chain with no site (in `country`): that there is nothing to list,
    /// with an example site in the `example` country (the employer's, else the home
    /// organization's) for the front end's advice on recording one.
    static func noSite(employer handle: String, name: String, owns: Bool, country: String?, example: String?) -> AlliesReport.NoSite {
        let whose = owns ? "\(name) or the companies it owns" : name
        let place = country.map { " in \(Country.name($0))" } ?? ""
        let code = example ?? "US"
        // The example's name may go into a shell command: one that a shell would read otherwise is left out.
        let shown = name.contains { "\"$`\\!".contains($0) } ? handle : name
        return .init(sentence: "No site of \(whose)\(place) is recorded, so there is no union to list.", employer: handle,
                     exampleName: "\(shown) workers, \(Country.name(code))", exampleCountry: code)
    }

    /// Whether a relationship (its `status`, `since` and `until` columns in `row`) holds on the
    /// report's date: one in force then (`asOf`), or one not ended now.
    private func inForce(_ row: Row, status: String = "status", since: String = "since", until: String = "until") throws -> Bool {
        guard let asOf else { return (row[status] as String) != Relationship.Status.ended.rawValue }
        let since = try (row[since] as String?).map(PartialDate.init)
        let until = try (row[until] as String?).map(PartialDate.init)
        return (since.map { $0.start <= asOf.end } ?? true) && (until.map { $0.end >= asOf.start } ?? true)
    }

    /// One union as the home organization sees it, with our last contact with it.
    private func describe(union id: Int64, home: Int64?, lastContact: LastContact?) throws -> AlliesReport.Union {
        let row = try Row.fetchOne(db, cached: "SELECT handle, name, acronym, country FROM organizations WHERE id = ?", arguments: [id])!
        // The union and the bodies it is part of, nearest first.
        let ancestry = try Int64.fetchAll(db, cached: """
            WITH RECURSIVE up(id, depth) AS (SELECT ?, 0 UNION SELECT o.parent_id, up.depth + 1 FROM organizations o JOIN up ON o.id = up.id WHERE o.parent_id IS NOT NULL)
            SELECT id FROM up ORDER BY depth
            """, arguments: [id])
        let ours = home.map { ancestry.contains($0) } ?? false
        var link: AlliesReport.Union.Link?
        if let home, !ours {
            for candidate in try Row.fetchAll(db, cached: """
                SELECT id, kind, status, since, until FROM relationships
                WHERE (from_id = ?1 AND to_id = ?2) OR (from_id = ?2 AND to_id = ?1)
                ORDER BY CASE status WHEN 'close' THEN 0 WHEN 'active' THEN 1 WHEN 'dormant' THEN 2 ELSE 3 END
                """, arguments: [home, id]) {
                let since = try (candidate["since"] as String?).map(PartialDate.init)
                let until = try (candidate["until"] as String?).map(PartialDate.init)
                let status: Relationship.Status = try .stored(candidate["status"], column: "status", table: "relationships", row: candidate["id"] as Int64)
                if try inForce(candidate) {
                    // Before it ended, an ended relationship was in force: say so rather than "ended".
                    let then = asOf != nil && status == .ended && until != nil ? Relationship.Status.active : status
                    link = .init(kind: try .stored(candidate["kind"], column: "kind", table: "relationships", row: candidate["id"] as Int64), status: then, since: since)
                    break
                }
            }
        }
        var allyLink: AlliesReport.Union.AllyLink?
        if let home, !ours, link == nil {
            // The prospect's memberships and affiliations in our allies, closest ally first.
            for candidate in try Row.fetchAll(db, cached: """
                SELECT m.id, m.kind, m.status, m.since, m.until, o.handle, o.name, o.acronym, a.id AS ours_id, a.kind AS ours, a.status AS ours_status, a.since AS ours_since, a.until AS ours_until
                FROM relationships m JOIN organizations o ON o.id = m.to_id
                JOIN relationships a ON a.kind IN ('ally', 'partner') AND ((a.from_id = ?2 AND a.to_id = o.id) OR (a.to_id = ?2 AND a.from_id = o.id))
                WHERE m.from_id = ?1 AND m.kind IN ('member_of', 'affiliate_of')
                ORDER BY CASE a.status WHEN 'close' THEN 0 WHEN 'active' THEN 1 WHEN 'dormant' THEN 2 ELSE 3 END, o.handle, m.kind
                """, arguments: [id, home]) {
                guard try inForce(candidate),
                      try inForce(candidate, status: "ours_status", since: "ours_since", until: "ours_until") else { continue }
                let acronym: String? = candidate["acronym"]
                allyLink = .init(kind: try .stored(candidate["kind"], column: "kind", table: "relationships", row: candidate["id"] as Int64),
                                 organization: candidate["handle"], name: acronym ?? candidate["name"],
                                 ours: try .stored(candidate["ours"], column: "kind", table: "relationships", row: candidate["ours_id"] as Int64),
                                 sensitive: !rule.shows(organization: candidate["handle"]))
                break
            }
        }
        let contacts = try Row.fetchAll(db, cached: """
            SELECT p.handle, p.name, t.title FROM person_titles t JOIN people p ON p.id = t.person_id
            WHERE t.organization_id = ? AND t.until IS NULL ORDER BY p.name_key
            """, arguments: [id]).map { AlliesReport.Union.Person(person: $0["handle"], name: $0["name"], title: $0["title"]) }
        var federation: String?
        for body in ancestry {
            federation = try String.fetchOne(db, cached: """
                SELECT g.handle FROM relationships r JOIN organizations g ON g.id = r.to_id
                WHERE r.from_id = ? AND r.kind IN ('member_of', 'affiliate_of') AND r.status <> 'ended' AND g.kind = 'global_union_federation'
                ORDER BY g.handle LIMIT 1
                """, arguments: [body])
            if federation != nil { break }
        }
        return AlliesReport.Union(
            organization: row["handle"], name: row["name"], acronym: row["acronym"], country: row["country"], since: nil, until: nil,
            ours: ours, prospect: !ours && link == nil && home != nil, relationship: link, allyLink: allyLink,
            lastContact: lastContact.map(AlliesReport.Union.Contact.init),
            contacts: contacts, federation: federation, sensitive: !rule.shows(organizationID: id))
    }
}

extension Store {
    /// The allies report for an employer's chain; current by default, or as of a date.
    public func allies(employer: String, country: String? = nil, asOf: PartialDate? = nil, today: PartialDate = .today()) throws -> AlliesReport {
        try read { try AlliesQuery(db: $0, asOf: asOf, today: today).report(employer: employer, country: country) }
    }

}

/// What a report says on a database with no home organization: what it cannot show without one,
/// and how to set it (`allies` and `appendix` print it on stderr).
enum MissingHome {
    static func note(_ consequence: String) -> String {
        "No home organization is set, so \(consequence): set it with `solidarity home REF`."
    }
}
