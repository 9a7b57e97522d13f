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
        @Nullable public internal(set) var since: PartialDate?
        @Nullable public internal(set) var until: PartialDate?
        @Nullable public internal(set) var asOf: PartialDate?
        @Nullable public internal(set) var source: String?
        public let sensitive: Bool
        /// What the title rests on, as `Person.Title.basis` says it ("as of 2020, ue-nasp-resolution").
        public var basis: String? {
            Person.Title(organization: "", title: title, since: since, until: until, asOf: asOf, source: source).basis
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
struct Organizations: ValueStore {
    let db: Database

    /// Records an organization, generating its handle when none is given.
    func write(_ organization: inout Organization) throws {
        organization.handle = try Naming.claimHandle(organization.handle, base: organization.proposedHandle, country: organization.country,
                                                     for: organization.name, isTaken: exists) { handle in
            SolidarityError(.duplicate, "An organization with handle \"\(handle)\" already exists.", remedy: .chooseAnotherOrChange(.handle, .organization(handle)))
        }
        let parent = try organization.parent.map { try References(db: db).organization($0) }
        organization.parent = parent?.handle
        // Written with a cached statement rather than `insert(db)`: an import writes each organization
        // this way (import 0.90× sqlite3 .import, BENCHMARKS.md).
        let r = OrganizationRecord(organization, parentID: parent?.id)
        try db.execute(cached: """
            INSERT INTO organizations (handle, name, name_key, acronym, acronym_key, native_name, native_name_key,
                native_name_lang, kind, country, region, city, parent_id, members, members_as_of, website, notes, sensitive)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [r.handle, r.name, r.nameKey, r.acronym, r.acronymKey, r.nativeName, r.nativeNameKey, r.nativeNameLang,
                             r.kind.rawValue, r.country, r.region, r.city, r.parentID, r.members, r.membersAsOf, r.website, r.notes, r.sensitive])
        let id = db.lastInsertedRowID
        try writeChildren(organization, id: id)
    }

    /// Replaces the organization `ref` names with `updated` (which may carry a new handle).
    @discardableResult
    func update(_ ref: String, _ change: (inout Organization) throws -> Void) throws -> (before: Organization, after: Organization) {
        let match = try References(db: db).organization(ref)
        let before = try fetch(ids: [match.id])[0]
        var after = before
        try change(&after)
        try after.validate()
        // A new record without a handle is given one; an edited record keeps one (an import or the API may send "").
        try Naming.checkHandle(after.handle)
        if after.handle != before.handle, try exists(after.handle) {
            throw SolidarityError(.duplicate, "An organization with handle \"\(after.handle)\" already exists: choose another handle.")
        }
        var parentID: Int64?
        if let parent = after.parent {
            let found = try References(db: db).organization(parent)
            try checkNoCycle(child: match.id, childName: before.shortName, parent: found)
            parentID = found.id
            after.parent = found.handle
        }
        try OrganizationRecord(after, id: match.id, parentID: parentID).update(db)
        try OrganizationAliasRecord.filter(OrganizationAliasRecord.Columns.organizationID == match.id).deleteAll(db)
        try LinkRecord<OrganizationCampaigns>.owned(by: match.id).deleteAll(db)
        try LinkRecord<OrganizationSources>.owned(by: match.id).deleteAll(db)
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
        let parts = try parts(of: match.id)
        if !parts.isEmpty {
            throw SolidarityError(.conflict, "\(organization.shortName) has parts (\(parts.joined(separator: ", "))).", remedy: .removeOrMoveParts)
        }
        if try isHome(match.id) {
            throw SolidarityError(.conflict, "\(organization.shortName) is the home organization of this database: set another with `solidarity home REF` first.")
        }
        let accounts = try Accounts(db: db).count(ofOrganization: match.id)
        if accounts > 0 {
            throw SolidarityError(.conflict, "\(accounts == 1 ? "An account belongs" : "\(accounts) accounts belong") to \(organization.shortName) on the coalition server: merge it into the organization those staff belong to instead, or disable the accounts and keep the organization.", remedy: .listAccounts)
        }
        let relationships = try RelationshipRecord
            .filter(RelationshipRecord.Columns.fromID == match.id || RelationshipRecord.Columns.toID == match.id).deleteAll(db)
        let titles = try PersonTitleRecord.filter(PersonTitleRecord.Columns.organizationID == match.id).deleteAll(db)
        try db.execute(cached: "DELETE FROM activity_organizations WHERE organization_id = ?", arguments: [match.id])
        var roles = db.changesCount
        try db.execute(cached: "DELETE FROM representations WHERE organization_id = ?", arguments: [match.id])
        roles += db.changesCount
        try OrganizationRecord.deleteOne(db, key: match.id)
        return Removal(organization: organization, relationships: relationships, titles: titles, roles: roles)
    }

    /// Organizations matching a filter, ordered by handle.
    func list(_ filter: OrganizationFilter) throws -> [Organization] {
        try ListingPages.all { try list(filter, each: $0) }
    }

    /// Hands `body` the organizations matching a filter one at a time, ordered by handle.
    func list(_ filter: OrganizationFilter, each body: (Organization) throws -> Void) throws {
        typealias Columns = OrganizationRecord.Columns
        var request = OrganizationRecord.select(Columns.id).order(Columns.handle)
        if let country = filter.country {
            request = request.filter(Columns.country == (try Country(country).code))
        }
        if let kind = filter.kind {
            request = request.filter(Columns.kind == kind.rawValue)
        }
        if let parent = filter.parent {
            request = request.filter(Columns.parentID == (try References(db: db).organization(parent).id))
        }
        if let campaign = filter.campaign {
            guard let match = try References(db: db).campaign(campaign) else {
                throw SolidarityError(.notFound, "No campaign matches \"\(TextRules.printable(campaign))\".", remedy: .listCampaigns)
            }
            request = request.filter(LinkRecord<OrganizationCampaigns>.owners(of: match.id).contains(Columns.id))
        }
        try ListingPages.each(db, ids: "\(request)", fetch: fetch(ids:), body)
    }

    /// The organization a reference names.
    func find(_ ref: String) throws -> Organization {
        try fetch(ids: [References(db: db).organization(ref).id])[0]
    }

    /// Full records for row ids, in the order given.
    func fetch(ids: [Int64]) throws -> [Organization] {
        guard !ids.isEmpty else { return [] }
        let json = JSONList.of(ids)
        var byID: [Int64: Organization] = [:]
        for row in try Row.fetchAll(db, SQLRequest(literal: """
            SELECT o.*, p.handle AS parent_handle FROM organizations o LEFT JOIN organizations p ON p.id = o.parent_id
            WHERE o.id IN (SELECT value FROM json_each(\(json)))
            """, cached: true)) {
            let record = try OrganizationRecord(row: row)
            byID[record.id!] = try Organization(record: record, parent: row["parent_handle"])
        }
        for alias in try OrganizationAliasRecord.fetchAll(db, SQLRequest(literal: """
            SELECT * FROM organization_aliases WHERE organization_id IN (SELECT value FROM json_each(\(json))) ORDER BY organization_id, position
            """, cached: true)) {
            byID[alias.organizationID]?.aliases.append(.init(name: alias.alias, lang: alias.lang))
        }
        try ListingPages.appendLinked(OrganizationCampaigns.self, "campaigns", "handle", ids: json, in: db, to: \.campaigns, of: &byID)
        try ListingPages.appendLinked(OrganizationSources.self, "sources", "uid", ids: json, in: db, to: \.sources, of: &byID)
        return ids.compactMap { byID[$0] }
    }

    /// The organization with its parts, relationships and people.
    func profile(_ ref: String) throws -> OrganizationProfile {
        let match = try References(db: db).organization(ref)
        let organization = try fetch(ids: [match.id])[0]
        let parts = try parts(of: match.id)
        let relationships = try Relationships(db: db).list(organization: match.id, kind: nil, status: nil)
        let people = try Row.fetchAll(db, SQLRequest(literal: """
            SELECT p.handle, p.name, p.sensitive, t.title, t.since, t.until, t.as_of, s.uid AS source
            FROM person_titles t JOIN people p ON p.id = t.person_id LEFT JOIN sources s ON s.id = t.source_id
            WHERE t.organization_id = \(match.id) ORDER BY t.until IS NOT NULL, p.name
            """, cached: true)).map { row in
            OrganizationProfile.Officer(
                person: row["handle"], name: row["name"], title: row["title"],
                since: try (row["since"] as String?).map(PartialDate.init), until: try (row["until"] as String?).map(PartialDate.init),
                asOf: try (row["as_of"] as String?).map(PartialDate.init), source: row["source"],
                sensitive: row["sensitive"])
        }
        return OrganizationProfile(organization: organization, parts: parts, relationships: relationships, people: people, isHome: try isHome(match.id))
    }

    /// The handles of the organization's parts (its locals, councils, divisions), in order.
    ///
    /// `org show` is over by the time it has started: its requests are cached statements, not the
    /// query interface's, which are prepared on each call (2.4 ms of its 13 ms of CPU; BENCHMARKS.md, "Issue 17").
    private func parts(of id: Int64) throws -> [String] {
        try String.fetchAll(db, SQLRequest(literal: "SELECT handle FROM organizations WHERE parent_id = \(id) ORDER BY handle", cached: true))
    }

    /// Whether the organization is this database's home.
    private func isHome(_ id: Int64) throws -> Bool {
        try db.exists(cached: "SELECT 1 FROM home WHERE organization_id = ?", arguments: [id])
    }

    /// The first free handle: the proposed one, else with the country (`cut-br`), else numbered.
    /// Whether an organization has this handle.
    private func exists(_ handle: String) throws -> Bool {
        try db.exists(cached: "SELECT 1 FROM organizations WHERE handle = ?", arguments: [handle])
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

    /// Writes aliases, campaigns and sources; with cached statements, as an import writes them for
    /// each organization (import 0.90× sqlite3 .import, BENCHMARKS.md).
    private func writeChildren(_ organization: Organization, id: Int64) throws {
        var seen = Set<String>()
        for (position, alias) in organization.aliases.enumerated() where seen.insert(alias.name).inserted {
            let r = OrganizationAliasRecord(organizationID: id, position: position, alias: alias)
            try db.execute(cached: "INSERT INTO organization_aliases (organization_id, position, alias, alias_key, lang) VALUES (?, ?, ?, ?, ?)",
                           arguments: [r.organizationID, r.position, r.alias, r.aliasKey, r.lang])
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
