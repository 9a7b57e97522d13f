import Foundation
import GRDB

/// An employer with its place in the corporate tree and its sites, for `employer show`.
public struct EmployerProfile: Encodable, Sendable {
    /// How many sites the employer (not its subsidiaries) has in a country.
    public struct CountryCount: Encodable, Sendable {
        public let country: String
        public let sites: Int
    }

    public let employer: Employer
    /// The chain of parent companies, nearest first.
    public let ancestors: [String]
    /// Subsidiaries, each with its depth below this employer (1 for a direct subsidiary).
    public let subsidiaries: [(handle: String, name: String, depth: Int)]
    public let sitesByCountry: [CountryCount]

    enum CodingKeys: String, CodingKey { case ancestors, subsidiaries, sitesByCountry = "sites_by_country" }
    enum SubsidiaryKeys: String, CodingKey { case handle, name, depth }

    public func encode(to encoder: any Encoder) throws {
        try employer.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(ancestors, forKey: .ancestors)
        var list = c.nestedUnkeyedContainer(forKey: .subsidiaries)
        for subsidiary in subsidiaries {
            var item = list.nestedContainer(keyedBy: SubsidiaryKeys.self)
            try item.encode(subsidiary.handle, forKey: .handle)
            try item.encode(subsidiary.name, forKey: .name)
            try item.encode(subsidiary.depth, forKey: .depth)
        }
        try c.encode(sitesByCountry, forKey: .sitesByCountry)
    }
}

/// Reads and writes employers and their corporate tree.
struct Employers: ValueStore {
    let db: Database

    /// Records an employer under its parent company, generating its handle when none is given.
    func write(_ employer: inout Employer) throws {
        employer.handle = try Naming.claimHandle(employer.handle, base: Naming.slug(employer.name), country: employer.country,
                                                 for: employer.name, isTaken: exists) { handle in
            SolidarityError(.duplicate, "An employer with handle \"\(handle)\" already exists.", remedy: .chooseAnother(.handle))
        }
        let parent = try employer.parent.map { try References(db: db).employer($0) }
        employer.parent = parent?.handle
        try db.execute(cached: "INSERT INTO employers (handle, name, name_key, country, parent_id, website, notes) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       arguments: [employer.handle, employer.name, Naming.key(employer.name), employer.country, parent?.id, employer.website, employer.notes])
        try writeChildren(employer, id: db.lastInsertedRowID)
    }

    @discardableResult
    func update(_ ref: String, _ change: (inout Employer) throws -> Void) throws -> (before: Employer, after: Employer) {
        let match = try References(db: db).employer(ref)
        let before = try fetch(ids: [match.id])[0]
        var after = before
        try change(&after)
        try after.validate()
        // A new record without a handle is given one; an edited record keeps one (an import or the API may send "").
        try Naming.checkHandle(after.handle)
        if after.handle != before.handle, try exists(after.handle) {
            throw SolidarityError(.duplicate, "An employer with handle \"\(after.handle)\" already exists: choose another handle.")
        }
        var parentID: Int64?
        if let parent = after.parent {
            let found = try References(db: db).employer(parent)
            if found.id == match.id {
                throw SolidarityError(.conflict, "\(before.name) cannot be its own parent company.", remedy: .anotherParentOrNone(.employer))
            }
            let ancestors = try Int64.fetchAll(db, cached: """
                WITH RECURSIVE up(id) AS (SELECT ? UNION SELECT e.parent_id FROM employers e JOIN up ON e.id = up.id WHERE e.parent_id IS NOT NULL)
                SELECT id FROM up
                """, arguments: [found.id])
            if ancestors.contains(match.id) {
                throw SolidarityError(.conflict, "\(found.name) cannot be the parent company of \(before.name): \(found.name) is already owned by \(before.name), so the corporate tree would go round in a circle.")
            }
            parentID = found.id
            after.parent = found.handle
        }
        try EmployerRecord(after, id: match.id, parentID: parentID).update(db)
        try EmployerAliasRecord.filter(EmployerAliasRecord.Columns.employerID == match.id).deleteAll(db)
        try LinkRecord<EmployerSources>.owned(by: match.id).deleteAll(db)
        try writeChildren(after, id: match.id)
        return (before, after)
    }

    func list() throws -> [Employer] {
        try fetch(ids: Int64.fetchAll(db, cached: "SELECT id FROM employers ORDER BY handle"))
    }

    func find(_ ref: String) throws -> Employer {
        try fetch(ids: [References(db: db).employer(ref).id])[0]
    }

    /// The employer with its corporate tree and site count per country.
    func profile(_ ref: String) throws -> EmployerProfile {
        let match = try References(db: db).employer(ref)
        let employer = try fetch(ids: [match.id])[0]
        let ancestors = try String.fetchAll(db, cached: """
            WITH RECURSIVE up(id, depth) AS (SELECT parent_id, 1 FROM employers WHERE id = ? AND parent_id IS NOT NULL
                UNION SELECT e.parent_id, up.depth + 1 FROM employers e JOIN up ON e.id = up.id WHERE e.parent_id IS NOT NULL)
            SELECT e.handle FROM up JOIN employers e ON e.id = up.id ORDER BY up.depth
            """, arguments: [match.id])
        let subsidiaries = try Row.fetchAll(db, cached: """
            WITH RECURSIVE down(id, depth, path) AS (SELECT id, 1, handle FROM employers WHERE parent_id = ?1
                UNION ALL SELECT e.id, down.depth + 1, down.path || '/' || e.handle FROM employers e JOIN down ON e.parent_id = down.id)
            SELECT e.handle, e.name, down.depth FROM down JOIN employers e ON e.id = down.id ORDER BY down.path
            """, arguments: [match.id]).map { (handle: $0["handle"] as String, name: $0["name"] as String, depth: $0["depth"] as Int) }
        let counts = try Row.fetchAll(db, cached: """
            SELECT country, count(*) AS n FROM sites WHERE employer_id = ? GROUP BY country ORDER BY country
            """, arguments: [match.id]).map { EmployerProfile.CountryCount(country: $0["country"], sites: $0["n"]) }
        return EmployerProfile(employer: employer, ancestors: ancestors, subsidiaries: subsidiaries, sitesByCountry: counts)
    }

    func fetch(ids: [Int64]) throws -> [Employer] {
        guard !ids.isEmpty else { return [] }
        let json = JSONList.of(ids)
        var byID: [Int64: Employer] = [:]
        for row in try Row.fetchAll(db, cached: """
            SELECT e.*, p.handle AS parent_handle FROM employers e LEFT JOIN employers p ON p.id = e.parent_id
            WHERE e.id IN (SELECT value FROM json_each(?))
            """, arguments: [json]) {
            let record = try EmployerRecord(row: row)
            byID[row["id"]] = Employer(record: record, parent: row["parent_handle"])
        }
        try ListingPages.append(SQLRequest(sql: """
            SELECT employer_id, alias FROM employer_aliases WHERE employer_id IN (SELECT value FROM json_each(?)) ORDER BY employer_id, position
            """, arguments: [json], cached: true), in: db, to: \.aliases, of: &byID)
        try ListingPages.appendLinked(EmployerSources.self, "sources", "uid", ids: json, in: db, to: \.sources, of: &byID)
        return ids.compactMap { byID[$0] }
    }

    private func exists(_ handle: String) throws -> Bool {
        try db.exists(cached: "SELECT 1 FROM employers WHERE handle = ?", arguments: [handle])
    }

    private func writeChildren(_ employer: Employer, id: Int64) throws {
        var seen = Set<String>()
        for (position, alias) in employer.aliases.enumerated() where seen.insert(alias).inserted {
            try db.execute(cached: "INSERT INTO employer_aliases (employer_id, position, alias, alias_key) VALUES (?, ?, ?, ?)",
                           arguments: [id, position, alias, Naming.key(alias)])
        }
        for source in Set(employer.sources) {
            try db.execute(cached: "INSERT OR IGNORE INTO employer_sources (employer_id, source_id) VALUES (?, ?)", arguments: [id, try Sources(db: db).cite(source)])
        }
    }
}

/// Filters for `site list`.
public struct SiteFilter: Sendable {
    public var employer: String?
    public var country: String?
    public var union: String?
    public init(employer: String? = nil, country: String? = nil, union: String? = nil) {
        self.employer = employer
        self.country = country
        self.union = union
    }
}

/// Reads and writes sites and who represents them.
struct Sites: ValueStore {
    let db: Database

    /// Records a site of its employer with the unions representing it, giving it an id when it has none.
    func write(_ site: inout Site) throws {
        site.id = try RandomID.claim(site.id, for: "A site") {
            try db.exists(cached: "SELECT 1 FROM sites WHERE uid = ?", arguments: [$0])
        }
        let employer = try References(db: db).employer(site.employer)
        site.employer = employer.handle
        try db.execute(cached: "INSERT INTO sites (uid, employer_id, name, name_key, country, region, city, sector, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       arguments: [site.id, employer.id, site.name, Naming.key(site.name), site.country, site.region, site.city, site.sector, site.notes])
        let id = db.lastInsertedRowID
        for index in site.unions.indices {
            site.unions[index].organization = try represent(siteID: id, site.unions[index])
        }
        for source in Set(site.sources) {
            try db.execute(cached: "INSERT OR IGNORE INTO site_sources (site_id, source_id) VALUES (?, ?)", arguments: [id, try Sources(db: db).cite(source)])
        }
    }

    /// Replaces the site with `site.id` by `site`: its fields, unions and sources.
    func replace(_ site: Site) throws {
        var site = site
        try site.validate()
        let match = try References(db: db).site(site.id)
        let employer = try References(db: db).employer(site.employer)
        try SiteRecord(site, id: match.id, employerID: employer.id).update(db)
        try RepresentationRecord.filter(RepresentationRecord.Columns.siteID == match.id).deleteAll(db)
        try LinkRecord<SiteSources>.owned(by: match.id).deleteAll(db)
        for union in site.unions { try represent(siteID: match.id, union) }
        for source in Set(site.sources) {
            try LinkRecord<SiteSources>(owner: match.id, target: try Sources(db: db).cite(source)).insertRow(db, ignoringConflicts: true)
        }
    }

    /// Changes the site `ref` names; `change` edits a copy of the current record. Its id, unions
    /// and the activities that name it stay.
    @discardableResult
    func update(_ ref: String, _ change: (inout Site) throws -> Void) throws -> (before: Site, after: Site) {
        let match = try References(db: db).site(ref)
        let before = try fetch(ids: [match.id])[0]
        var after = before
        try change(&after)
        after.id = before.id
        try replace(after)
        return (before, try fetch(ids: [match.id])[0])
    }

    /// What names a site: the unions that represent (or represented) its workers and the activities
    /// that name it, each as one line ("union cut-br since 2015", "activity n55bsrpwgl Delegation to Brazil").
    func referrers(siteID: Int64) throws -> [String] {
        let unions = try Row.fetchAll(db, cached: """
            SELECT o.handle, r.since, r.until FROM representations r JOIN organizations o ON o.id = r.organization_id
            WHERE r.site_id = ? ORDER BY coalesce(r.since, ''), o.handle
            """, arguments: [siteID]).map { row in
                "union \(row["handle"] as String)" + ((row["since"] as String?).map { " since \($0)" } ?? "")
                    + ((row["until"] as String?).map { " until \($0)" } ?? "")
            }
        let activities = try Row.fetchAll(db, cached: """
            SELECT a.uid, a.kind, a.title FROM activity_sites x JOIN activities a ON a.id = x.activity_id
            WHERE x.site_id = ? ORDER BY a.first_day IS NULL, a.first_day, a.uid
            """, arguments: [siteID]).map { row in
                "\(row["kind"] as String) \(row["uid"] as String) \"\(TextRules.printable(row["title"]))\""
            }
        return unions + activities
    }

    /// What removing a site took with it.
    struct Removal {
        let site: Site
        /// The unions' representations and the activities' mentions removed with it.
        let links: [String]
    }

    /// Removes a site. While unions or activities name it, it is refused with their list unless
    /// `force`, which removes those links with it (the unions and activities stay).
    func remove(_ ref: String, force: Bool) throws -> Removal {
        let (removal, id) = try check(removing: ref, force: force)
        try db.execute(cached: "DELETE FROM activity_sites WHERE site_id = ?", arguments: [id])
        try SiteRecord.deleteOne(db, key: id)
        return removal
    }

    /// What removing a site would remove with it, refused (with the list) while records name it
    /// and `force` is not given; nothing is changed.
    func check(removing ref: String, force: Bool) throws -> (Removal, id: Int64) {
        let match = try References(db: db).site(ref)
        let site = try fetch(ids: [match.id])[0]
        let links = try referrers(siteID: match.id)
        if !links.isEmpty, !force {
            throw SolidarityError(.conflict, """
                \(TextRules.printable(site.name)) (\(site.id)) is named by \(links.count == 1 ? "1 record" : "\(links.count) records"):
                \(links.map { "  " + $0 }.joined(separator: "\n"))
                """, remedy: .removeAnywayOrReplaceSite(site.id))
        }
        return (Removal(site: site, links: links), match.id)
    }

    /// What replacing a site by another moved.
    struct Replacement {
        let replaced: Site
        let by: Site
        /// The representations and activity mentions moved to `by`.
        let moved: [String]
    }

    /// Replaces a site, typically a gap recorded only as a country ("Wabtec workers in Brazil"), by
    /// another site of the same employer (or one of its subsidiaries) in the same country: the unions
    /// that represent it, the activities that name it and its sources move to `by`, and the
    /// replaced site is removed.
    func replace(_ ref: String, by byRef: String) throws -> Replacement {
        let references = References(db: db)
        let old = try references.site(ref)
        let new = try references.site(byRef)
        let replaced = try fetch(ids: [old.id])[0]
        let by = try fetch(ids: [new.id])[0]
        guard old.id != new.id else {
            throw SolidarityError(.conflict, "\(TextRules.printable(replaced.name)) (\(replaced.id)) cannot replace itself.", remedy: .otherSite)
        }
        guard replaced.country == by.country else {
            throw SolidarityError(.conflict, "\(TextRules.printable(replaced.name)) is in \(replaced.country) but \(TextRules.printable(by.name)) is in \(by.country): a site can only be replaced by one in the same country.", remedy: .correctSiteCountry(site: by.id, country: replaced.country))
        }
        let tree = try String.fetchAll(db, cached: """
            WITH RECURSIVE down(id) AS (SELECT id FROM employers WHERE handle = ? UNION SELECT e.id FROM employers e JOIN down ON e.parent_id = down.id)
            SELECT e.handle FROM down JOIN employers e ON e.id = down.id
            """, arguments: [replaced.employer])
        guard tree.contains(by.employer) else {
            throw SolidarityError(.conflict, "\(TextRules.printable(replaced.name)) is a site of \(replaced.employer) but \(TextRules.printable(by.name)) is a site of \(by.employer): a site can only be replaced by one of the same employer or of one of its subsidiaries.")
        }
        let moved = try referrers(siteID: old.id)
        // The same union from the same date already at the new site is the same representation: it stays as recorded there.
        try db.execute(cached: """
            INSERT INTO representations (site_id, organization_id, since, until)
            SELECT ?1, r.organization_id, r.since, r.until FROM representations r WHERE r.site_id = ?2 AND NOT EXISTS (
                SELECT 1 FROM representations k WHERE k.site_id = ?1 AND k.organization_id = r.organization_id AND k.since IS r.since)
            """, arguments: [new.id, old.id])
        try db.execute(cached: "INSERT OR IGNORE INTO activity_sites (activity_id, site_id) SELECT activity_id, ?1 FROM activity_sites WHERE site_id = ?2",
                       arguments: [new.id, old.id])
        try db.execute(cached: "INSERT OR IGNORE INTO site_sources (site_id, source_id) SELECT ?1, source_id FROM site_sources WHERE site_id = ?2",
                       arguments: [new.id, old.id])
        try db.execute(cached: "DELETE FROM activity_sites WHERE site_id = ?", arguments: [old.id])
        try SiteRecord.deleteOne(db, key: old.id)
        return Replacement(replaced: replaced, by: try fetch(ids: [new.id])[0], moved: moved)
    }

    /// Records that a union represents a site's workers; returns the union's handle.
    @discardableResult
    func represent(site ref: String, _ representation: Site.Representation) throws -> (site: Site, union: String) {
        let match = try References(db: db).site(ref)
        let handle = try represent(siteID: match.id, representation)
        return (try fetch(ids: [match.id])[0], handle)
    }

    @discardableResult
    private func represent(siteID: Int64, _ representation: Site.Representation) throws -> String {
        try representation.period.check("the representation")
        let union = try References(db: db).organization(representation.organization)
        // The same union from the same date is the same representation: a new --until ends it.
        // A statement kept in the cache: an import represents thousands of sites (see `insertRow`).
        let (since, until) = (representation.since?.description, representation.until?.description)
        try db.cachedStatement(literal: """
            INSERT INTO representations (site_id, organization_id, since, until) VALUES (\(siteID), \(union.id), \(since), \(until))
            ON CONFLICT (site_id, organization_id, since) DO UPDATE SET until = excluded.until
            """).execute()
        return union.handle
    }

    func list(_ filter: SiteFilter) throws -> [Site] {
        try ListingPages.all { try list(filter, each: $0) }
    }

    /// Hands `body` the sites matching a filter one at a time, by employer, country and name.
    func list(_ filter: SiteFilter, each body: (Site) throws -> Void) throws {
        typealias Columns = SiteRecord.Columns
        var request = SiteRecord.select(Columns.id)
        if let employer = filter.employer {
            let id = try References(db: db).employer(employer).id
            request = request.filter(Columns.employerID == id)
        }
        if let country = filter.country {
            let code = try Country(country).code
            request = request.filter(Columns.country == code)
        }
        if let union = filter.union {
            let id = try References(db: db).organization(union).id
            let represented = RepresentationRecord.select(RepresentationRecord.Columns.siteID).filter(RepresentationRecord.Columns.organizationID == id)
            request = request.filter(represented.contains(Columns.id))
        }
        request = request.order(Columns.employerID, Columns.country, Columns.nameKey, Columns.uid)
        let ids: SQL = "\(request)"
        try ListingPages.each(db, ids: ids, fetch: fetch(ids:), body)
    }

    func find(_ ref: String) throws -> Site {
        try fetch(ids: [References(db: db).site(ref).id])[0]
    }

    /// The sites with these ids (as activities name them), by id; an id no site has is left out.
    func named(_ uids: [String]) throws -> [String: Site] {
        guard !uids.isEmpty else { return [:] }
        let ids = try Int64.fetchAll(db, cached: "SELECT id FROM sites WHERE uid IN (SELECT value FROM json_each(?))",
                                     arguments: [JSONList.of(uids)])
        return Dictionary(uniqueKeysWithValues: try fetch(ids: ids).map { ($0.id, $0) })
    }

    func fetch(ids: [Int64]) throws -> [Site] {
        guard !ids.isEmpty else { return [] }
        let json = JSONList.of(ids)
        var byID: [Int64: Site] = [:]
        for row in try Row.fetchAll(db, cached: """
            SELECT s.*, e.handle AS employer_handle FROM sites s JOIN employers e ON e.id = s.employer_id
            WHERE s.id IN (SELECT value FROM json_each(?))
            """, arguments: [json]) {
            byID[row["id"]] = Site(record: try SiteRecord(row: row), employer: row["employer_handle"])
        }
        for row in try Row.fetchAll(db, cached: """
            SELECT r.*, o.handle FROM representations r JOIN organizations o ON o.id = r.organization_id
            WHERE r.site_id IN (SELECT value FROM json_each(?)) ORDER BY r.site_id, coalesce(r.since, ''), o.handle
            """, arguments: [json]) {
            byID[row["site_id"]]?.unions.append(try Site.Representation(record: RepresentationRecord(row: row), organization: row["handle"]))
        }
        try ListingPages.appendLinked(SiteSources.self, "sources", "uid", ids: json, in: db, to: \.sources, of: &byID)
        return ids.compactMap { byID[$0] }
    }
}
