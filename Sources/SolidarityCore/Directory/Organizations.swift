import Foundation
import GRDB

/// Filters for `org list`.
public struct OrganizationFilter: Sendable {
    public var country: String?
    public var kind: Organization.Kind?
    public var parent: String?
    public var campaign: String?
    public init(country: String? = nil, kind: Organization.Kind? = nil, parent: String? = nil, campaign: String? = nil) {
        self.country = country
        self.kind = kind
        self.parent = parent
        self.campaign = campaign
    }
}

/// An organization with what hangs on it, for `org show`.
public struct OrganizationProfile: Encodable, Sendable {
    /// A person's title at this organization.
    public struct Officer: Encodable, Sendable {
        public let person: String
        public let name: String
        public let title: String
        public let since: PartialDate?
        public let until: PartialDate?
        public let asOf: PartialDate?
        public let source: String?
        public let sensitive: Bool
        /// What the title rests on, as `Person.Title.basis` says it ("as of 2020, ue-nasp-resolution").
        public var basis: String? {
            Person.Title(organization: "", title: title, since: since, until: until, asOf: asOf, source: source).basis
        }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(person, forKey: .person)
            try c.encode(name, forKey: .name)
            try c.encode(title, forKey: .title)
            try c.encode(since, forKey: .since)
            try c.encode(until, forKey: .until)
            try c.encode(asOf, forKey: .asOf)
            try c.encode(source, forKey: .source)
            try c.encode(sensitive, forKey: .sensitive)
        }
        enum CodingKeys: String, CodingKey {
            case person, name, title, since, until, source, sensitive
            case asOf = "as_of"
        }
    }

    public let organization: Organization
    public let parts: [String]
    public let relationships: [Relationship]
    public let people: [Officer]
    public let isHome: Bool

    enum CodingKeys: String, CodingKey { case parts, relationships, people, home }

    public func encode(to encoder: any Encoder) throws {
        try organization.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(parts, forKey: .parts)
        try c.encode(relationships, forKey: .relationships)
        try c.encode(people, forKey: .people)
        try c.encode(isHome, forKey: .home)
    }
}

/// Reads and writes organizations, their aliases, campaigns and sources in one database transaction.
struct Organizations {
    let db: Database

    /// Inserts a validated organization, generating its handle when none is given.
    @discardableResult
    func insert(_ organization: Organization) throws -> Organization {
        var organization = organization
        try organization.validate()
        if organization.handle.isEmpty {
            organization.handle = try freeHandle(for: organization)
        } else if try Int.fetchOne(db, cached: "SELECT 1 FROM organizations WHERE handle = ?", arguments: [organization.handle]) != nil {
            throw SolidarityError(.duplicate, "An organization with handle \"\(organization.handle)\" already exists.", remedy: .chooseAnotherOrChange(.handle, .organization(organization.handle)))
        }
        let parentID = try organization.parent.map { try References(db: db).organization($0) }
        organization.parent = parentID?.handle
        try db.execute(cached: """
            INSERT INTO organizations (handle, name, name_key, acronym, acronym_key, native_name, native_name_key,
                native_name_lang, kind, country, region, city, parent_id, members, members_as_of, website, notes, sensitive)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: columns(organization, parentID: parentID?.id))
        let id = db.lastInsertedRowID
        try writeChildren(organization, id: id)
        return organization
    }

    /// Replaces the organization `ref` names with `updated` (which may carry a new handle).
    @discardableResult
    func update(_ ref: String, _ change: (inout Organization) throws -> Void) throws -> (before: Organization, after: Organization) {
        let match = try References(db: db).organization(ref)
        let before = try fetch(ids: [match.id])[0]
        var after = before
        try change(&after)
        try after.validate()
        if after.handle != before.handle,
           try Int.fetchOne(db, cached: "SELECT 1 FROM organizations WHERE handle = ?", arguments: [after.handle]) != nil {
            throw SolidarityError(.duplicate, "An organization with handle \"\(after.handle)\" already exists: choose another handle.")
        }
        var parentID: Int64?
        if let parent = after.parent {
            let found = try References(db: db).organization(parent)
            try checkNoCycle(child: match.id, childName: before.shortName, parent: found)
            parentID = found.id
            after.parent = found.handle
        }
        try db.execute(cached: """
            UPDATE organizations SET handle = ?, name = ?, name_key = ?, acronym = ?, acronym_key = ?, native_name = ?,
                native_name_key = ?, native_name_lang = ?, kind = ?, country = ?, region = ?, city = ?, parent_id = ?,
                members = ?, members_as_of = ?, website = ?, notes = ?, sensitive = ?
            WHERE id = ?
            """, arguments: columns(after, parentID: parentID) + [match.id])
        try db.execute(cached: "DELETE FROM organization_aliases WHERE organization_id = ?", arguments: [match.id])
        try db.execute(cached: "DELETE FROM organization_campaigns WHERE organization_id = ?", arguments: [match.id])
        try db.execute(cached: "DELETE FROM organization_sources WHERE organization_id = ?", arguments: [match.id])
        try writeChildren(after, id: match.id)
        return (before, after)
    }

    /// What removing an organization takes with it.
    struct Removal {
        let organization: Organization
        let relationships: Int
        let titles: Int
        /// Its parts in activities and its representation of sites.
        let roles: Int
    }

    /// Removes an organization with its relationships, the titles people held there, its parts in
    /// activities and its representation of sites (the activities and sites stay). Its
    /// parts (locals, councils) and a home organization are never removed implicitly.
    func remove(_ ref: String) throws -> Removal {
        let match = try References(db: db).organization(ref)
        let organization = try fetch(ids: [match.id])[0]
        let parts = try String.fetchAll(db, cached: "SELECT handle FROM organizations WHERE parent_id = ? ORDER BY handle", arguments: [match.id])
        if !parts.isEmpty {
            throw SolidarityError(.conflict, "\(organization.shortName) has parts (\(parts.joined(separator: ", "))).", remedy: .removeOrMoveParts)
        }
        if try Int.fetchOne(db, cached: "SELECT 1 FROM home WHERE organization_id = ?", arguments: [match.id]) != nil {
            throw SolidarityError(.conflict, "\(organization.shortName) is the home organization of this database: set another with `solidarity home REF` first.")
        }
        try db.execute(cached: "DELETE FROM relationships WHERE from_id = ?1 OR to_id = ?1", arguments: [match.id])
        let relationships = db.changesCount
        try db.execute(cached: "DELETE FROM person_titles WHERE organization_id = ?", arguments: [match.id])
        let titles = db.changesCount
        try db.execute(cached: "DELETE FROM activity_organizations WHERE organization_id = ?", arguments: [match.id])
        var roles = db.changesCount
        try db.execute(cached: "DELETE FROM representations WHERE organization_id = ?", arguments: [match.id])
        roles += db.changesCount
        try db.execute(cached: "DELETE FROM organizations WHERE id = ?", arguments: [match.id])
        return Removal(organization: organization, relationships: relationships, titles: titles, roles: roles)
    }

    /// Organizations matching a filter, ordered by handle.
    func list(_ filter: OrganizationFilter) throws -> [Organization] {
        var organizations: [Organization] = []
        try list(filter) { organizations.append($0) }
        return organizations
    }

    /// Hands `body` the organizations matching a filter one at a time, ordered by handle.
    func list(_ filter: OrganizationFilter, each body: (Organization) throws -> Void) throws {
        var clauses: [SQL] = []
        if let country = filter.country {
            let code = try Country(country).code
            clauses.append("country = \(code)")
        }
        if let kind = filter.kind {
            clauses.append("kind = \(kind.rawValue)")
        }
        if let parent = filter.parent {
            let id = try References(db: db).organization(parent).id
            clauses.append("parent_id = \(id)")
        }
        if let campaign = filter.campaign {
            guard let match = try References(db: db).campaign(campaign) else {
                throw SolidarityError(.notFound, "No campaign matches \"\(TextRules.printable(campaign))\".", remedy: .listCampaigns)
            }
            clauses.append("id IN (SELECT organization_id FROM organization_campaigns WHERE campaign_id = \(match.id))")
        }
        let whereSQL: SQL = clauses.isEmpty ? "" : "WHERE \(clauses.joined(separator: " AND "))"
        let request: SQL = "SELECT id FROM organizations \(whereSQL) ORDER BY handle"
        try ListingPages.each(db, ids: request, fetch: fetch(ids:), body)
    }

    /// The organization a reference names.
    func find(_ ref: String) throws -> Organization {
        try fetch(ids: [References(db: db).organization(ref).id])[0]
    }

    /// Full records for row ids, in the order given.
    func fetch(ids: [Int64]) throws -> [Organization] {
        guard !ids.isEmpty else { return [] }
        let idList = "SELECT value FROM json_each(?)"
        let json = JSONList.of(ids)
        var byID: [Int64: Organization] = [:]
        for row in try Row.fetchAll(db, cached: """
            SELECT o.*, p.handle AS parent_handle FROM organizations o LEFT JOIN organizations p ON p.id = o.parent_id
            WHERE o.id IN (\(idList))
            """, arguments: [json]) {
            byID[row["id"]] = Organization(
                handle: row["handle"], name: row["name"], acronym: row["acronym"], nativeName: row["native_name"],
                nativeNameLang: row["native_name_lang"], kind: try .stored(row["kind"], column: "kind", table: "organizations", row: row["id"] as Int64),
                country: row["country"], region: row["region"], city: row["city"], parent: row["parent_handle"],
                members: row["members"], membersAsOf: try (row["members_as_of"] as String?).map(PartialDate.init),
                website: row["website"], notes: row["notes"], sensitive: row["sensitive"])
        }
        for row in try Row.fetchAll(db, cached: """
            SELECT organization_id, alias, lang FROM organization_aliases WHERE organization_id IN (\(idList)) ORDER BY organization_id, position
            """, arguments: [json]) {
            byID[row["organization_id"]]?.aliases.append(.init(name: row["alias"], lang: row["lang"]))
        }
        for row in try Row.fetchAll(db, cached: """
            SELECT oc.organization_id, c.handle FROM organization_campaigns oc JOIN campaigns c ON c.id = oc.campaign_id
            WHERE oc.organization_id IN (\(idList)) ORDER BY c.handle
            """, arguments: [json]) {
            byID[row["organization_id"]]?.campaigns.append(row["handle"])
        }
        for row in try Row.fetchAll(db, cached: """
            SELECT os.organization_id, s.uid FROM organization_sources os JOIN sources s ON s.id = os.source_id
            WHERE os.organization_id IN (\(idList)) ORDER BY s.uid
            """, arguments: [json]) {
            byID[row["organization_id"]]?.sources.append(row["uid"])
        }
        return ids.compactMap { byID[$0] }
    }

    /// The organization with its parts, relationships and people.
    func profile(_ ref: String) throws -> OrganizationProfile {
        let match = try References(db: db).organization(ref)
        let organization = try fetch(ids: [match.id])[0]
        let parts = try String.fetchAll(db, cached: "SELECT handle FROM organizations WHERE parent_id = ? ORDER BY handle", arguments: [match.id])
        let relationships = try Relationships(db: db).list(organization: match.id, kind: nil, status: nil)
        let people = try Row.fetchAll(db, cached: """
            SELECT p.handle, p.name, p.sensitive, t.title, t.since, t.until, t.as_of, s.uid AS source
            FROM person_titles t JOIN people p ON p.id = t.person_id LEFT JOIN sources s ON s.id = t.source_id
            WHERE t.organization_id = ? ORDER BY t.until IS NOT NULL, p.name
            """, arguments: [match.id]).map { row in
            OrganizationProfile.Officer(
                person: row["handle"], name: row["name"], title: row["title"],
                since: try (row["since"] as String?).map(PartialDate.init), until: try (row["until"] as String?).map(PartialDate.init),
                asOf: try (row["as_of"] as String?).map(PartialDate.init), source: row["source"],
                sensitive: row["sensitive"])
        }
        let isHome = try Int.fetchOne(db, cached: "SELECT 1 FROM home WHERE organization_id = ?", arguments: [match.id]) != nil
        return OrganizationProfile(organization: organization, parts: parts, relationships: relationships, people: people, isHome: isHome)
    }

    /// The first free handle: the proposed one, else with the country (`cut-br`), else numbered.
    private func freeHandle(for organization: Organization) throws -> String {
        try Naming.freeHandle(organization.proposedHandle, alternatives: organization.country.map { ["\(organization.proposedHandle)-\($0.lowercased())"] } ?? [],
                              for: organization.name) { candidate in
            try Int.fetchOne(db, cached: "SELECT 1 FROM organizations WHERE handle = ?", arguments: [candidate]) != nil
        }
    }

    private func checkNoCycle(child: Int64, childName: String, parent: References.Match) throws {
        if parent.id == child {
            throw SolidarityError(.conflict, "\(childName) cannot be part of itself.", remedy: .anotherParentOrNone(.organization))
        }
        let ancestors = try Int64.fetchAll(db, cached: """
            WITH RECURSIVE up(id) AS (SELECT ? UNION SELECT o.parent_id FROM organizations o JOIN up ON o.id = up.id WHERE o.parent_id IS NOT NULL)
            SELECT id FROM up
            """, arguments: [parent.id])
        if ancestors.contains(child) {
            throw SolidarityError(.conflict, "\(parent.name) cannot be the parent of \(childName): \(parent.name) is already part of \(childName), so the structure would go round in a circle.")
        }
    }

    private func columns(_ o: Organization, parentID: Int64?) -> StatementArguments {
        [o.handle, o.name, Naming.key(o.name), o.acronym, o.acronym.map(Naming.key), o.nativeName, o.nativeName.map(Naming.key),
         o.nativeNameLang, o.kind.rawValue, o.country, o.region, o.city, parentID, o.members, o.membersAsOf?.description,
         o.website, o.notes, o.sensitive]
    }

    private func writeChildren(_ organization: Organization, id: Int64) throws {
        var seen = Set<String>()
        for (position, alias) in organization.aliases.enumerated() where seen.insert(alias.name).inserted {
            try db.execute(cached: "INSERT INTO organization_aliases (organization_id, position, alias, alias_key, lang) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, position, alias.name, Naming.key(alias.name), alias.lang])
        }
        for campaign in Set(organization.campaigns) {
            try db.execute(cached: "INSERT OR IGNORE INTO organization_campaigns (organization_id, campaign_id) VALUES (?, ?)",
                           arguments: [id, try Campaigns(db: db).tag(campaign)])
        }
        for source in Set(organization.sources) {
            try db.execute(cached: "INSERT OR IGNORE INTO organization_sources (organization_id, source_id) VALUES (?, ?)",
                           arguments: [id, try Sources(db: db).cite(source)])
        }
    }
}
