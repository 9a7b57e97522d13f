import Foundation
import GRDB

// The operations the commands call: each opens one transaction (writes) or one snapshot (reads).

extension Store {
    // MARK: Organizations

    /// Records a new organization and returns it with its handle.
    public func addOrganization(_ organization: Organization) throws -> Organization {
        try write { db in
            let added = try Organizations(db: db).insert(organization)
            try Outbox(db: db).record(.organizationCreated, about: added)
            return added
        }
    }

    /// Changes an organization; `change` edits a copy of the current record.
    public func editOrganization(_ ref: String, _ change: (inout Organization) throws -> Void) throws -> Organization {
        try write { db in
            let after = try Organizations(db: db).update(ref, change).after
            try Outbox(db: db).record(.organizationUpdated, about: after)
            return after
        }
    }

    /// Removes an organization with its relationships, titles, activity roles and representation; returns what went with it.
    public func removeOrganization(_ ref: String) throws -> (organization: Organization, relationships: Int, titles: Int, roles: Int) {
        let removal = try write { db in
            let removal = try Organizations(db: db).remove(ref)
            try Outbox(db: db).record(.organizationRemoved, about: OrganizationRemoval(organization: removal.organization))
            return removal
        }
        return (removal.organization, removal.relationships, removal.titles, removal.roles)
    }

    /// Organizations matching a filter, ordered by handle.
    public func organizations(_ filter: OrganizationFilter = .init()) throws -> [Organization] {
        try read { try Organizations(db: $0).list(filter) }
    }

    /// Hands `body` the organizations matching a filter one at a time, ordered by handle, in
    /// memory bounded whatever their number.
    public func organizations(_ filter: OrganizationFilter = .init(), each body: (Organization) throws -> Void) throws {
        try read { try Organizations(db: $0).list(filter, each: body) }
    }

    /// The organization a reference names.
    public func organization(_ ref: String) throws -> Organization {
        try read { try Organizations(db: $0).find(ref) }
    }

    /// The organization with its parts, relationships and people.
    public func profile(ofOrganization ref: String) throws -> OrganizationProfile {
        try read { try Organizations(db: $0).profile(ref) }
    }

    // MARK: People

    /// Records a new person and returns them with their handle.
    public func addPerson(_ person: Person) throws -> Person {
        try write { db in
            let added = try People(db: db).insert(person)
            try Outbox(db: db).record(.personCreated, about: added)
            return added
        }
    }

    /// Changes a person; `change` edits a copy of the current record.
    public func editPerson(_ ref: String, _ change: (inout Person) throws -> Void) throws -> Person {
        try write { db in
            let after = try People(db: db).update(ref, change).after
            try Outbox(db: db).record(.personUpdated, about: after)
            return after
        }
    }

    /// Removes a person with their titles.
    public func removePerson(_ ref: String) throws -> Person {
        try write { try People(db: $0).remove(ref) }
    }

    /// People, optionally those holding a title at an organization.
    public func people(at organization: String? = nil) throws -> [Person] {
        try read { try People(db: $0).list(organization: organization) }
    }

    /// Hands `body` the people, optionally those holding a title at an organization, one at a time.
    public func people(at organization: String? = nil, each body: (Person) throws -> Void) throws {
        try read { try People(db: $0).list(organization: organization, each: body) }
    }

    /// The person a reference names.
    public func person(_ ref: String) throws -> Person {
        try read { try People(db: $0).find(ref) }
    }

    // MARK: Relationships

    /// Records a relationship between two organizations.
    public func relate(_ relationship: Relationship) throws -> Relationship {
        try write { db in
            let added = try Relationships(db: db).insert(relationship)
            try Outbox(db: db).record(.relationshipChanged, about: added)
            return added
        }
    }

    /// Changes a relationship's status, dates, notes or sources.
    public func editRelationship(_ first: String, _ second: String, kind: Relationship.Kind,
                                 _ change: (inout Relationship) throws -> Void) throws -> Relationship {
        try write { db in
            let after = try Relationships(db: db).update(first, second, kind: kind, change).after
            try Outbox(db: db).record(.relationshipChanged, about: after)
            return after
        }
    }

    /// Relationships, optionally of one organization, kind and status.
    public func relationships(of organization: String? = nil, kind: Relationship.Kind? = nil,
                              status: Relationship.Status? = nil) throws -> [Relationship] {
        try read { db in
            let id = try organization.map { try References(db: db).organization($0).id }
            return try Relationships(db: db).list(organization: id, kind: kind, status: status)
        }
    }

    /// Hands `body` the relationships, optionally of one organization, kind and status, one at a time.
    public func relationships(of organization: String? = nil, kind: Relationship.Kind? = nil, status: Relationship.Status? = nil,
                              each body: (Relationship) throws -> Void) throws {
        try read { db in
            let id = try organization.map { try References(db: db).organization($0).id }
            try Relationships(db: db).list(organization: id, kind: kind, status: status, each: body)
        }
    }

    // MARK: Home

    /// The organization this database belongs to, if set.
    public func home() throws -> Organization? {
        try read { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT organization_id FROM home") else { return nil }
            return try Organizations(db: db).fetch(ids: [id]).first
        }
    }

    /// The home organization's handle, read in the caller's transaction; nil before one is set.
    static func homeHandle(in db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT o.handle FROM home h JOIN organizations o ON o.id = h.organization_id")
    }

    /// Makes the organization `ref` names the home organization.
    @discardableResult
    public func setHome(_ ref: String) throws -> Organization {
        try write { db in
            try Organizations(db: db).fetch(ids: [Store.setHome(ref, in: db)])[0]
        }
    }

    // MARK: Search, Seeds, sources, campaigns

    /// Records the organization `ref` names as home, in the caller's transaction; returns its row id.
    @discardableResult
    static func setHome(_ ref: String, in db: Database) throws -> Int64 {
        let id = try References(db: db).organization(ref).id
        try db.execute(sql: """
            INSERT INTO home (singleton, organization_id) VALUES (1, ?)
            ON CONFLICT (singleton) DO UPDATE SET organization_id = excluded.organization_id
            """, arguments: [id])
        return id
    }

    /// Organizations and people whose names, aliases or notes match `text`, best first.
    public func search(_ text: String, limit: Int = 50) throws -> [SearchHit] {
        try read { try Search(db: $0).run(text, limit: limit) }
    }

    /// Loads the embedded Seeds, adding only what is missing; with `home`, then sets the home organization.
    public func seed(home: String? = nil) throws -> LoadReport {
        let document = try Seeds.document()
        return try write(announcing: "the loading of the Seeds") { db in
            var loader = Loader(db: db, mode: .addMissing)
            try SearchIndex.bulk(in: db) { try loader.load(document) }
            let report = loader.report
            try Outbox(db: db).record(.importCompleted, ImportPayload(source: "seeds", report))
            if let home { try Store.setHome(home, in: db) }
            return report
        }
    }

    /// Every recorded source, by id.
    public func sources() throws -> [Source] {
        try read { try Sources(db: $0).all() }
    }

    /// Every campaign, by handle.
    public func campaigns() throws -> [Campaign] {
        try read { try Campaigns(db: $0).all() }
    }

    /// The state of every migration, for `migrate --status`.
    public func migrationStatus() throws -> [MigrationStatus] {
        try read { try migrator.status($0) }
    }
}

extension Store {
    // MARK: Employers and sites

    /// Records an employer, under its parent company when given.
    public func addEmployer(_ employer: Employer) throws -> Employer {
        try write { try Employers(db: $0).insert(employer) }
    }

    /// Changes an employer; a parent company that would make a cycle is refused.
    public func editEmployer(_ ref: String, _ change: (inout Employer) throws -> Void) throws -> Employer {
        try write { try Employers(db: $0).update(ref, change).after }
    }

    /// Every employer, by handle.
    public func employers() throws -> [Employer] {
        try read { try Employers(db: $0).list() }
    }

    /// The employer a reference names.
    public func employer(_ ref: String) throws -> Employer {
        try read { try Employers(db: $0).find(ref) }
    }

    /// The employer with its corporate tree and its sites per country.
    public func profile(ofEmployer ref: String) throws -> EmployerProfile {
        try read { try Employers(db: $0).profile(ref) }
    }

    /// Records a site with the unions that represent it.
    public func addSite(_ site: Site) throws -> Site {
        try write { db in
            let added = try Sites(db: db).insert(site)
            try Outbox(db: db).record(.siteCreated, about: added)
            return added
        }
    }

    /// Changes a site (its name, employer, place, sector, notes); `change` edits a copy of the
    /// current record. A gap recorded as a country ("Wabtec workers in Brazil") becomes a real
    /// site this way, keeping its id and whatever names it.
    public func editSite(_ ref: String, _ change: (inout Site) throws -> Void) throws -> Site {
        try write { db in
            let after = try Sites(db: db).update(ref, change).after
            try Outbox(db: db).record(.siteUpdated, about: after)
            return after
        }
    }

    /// What `removeSite` would remove, checked without changing anything (refused as it would be),
    /// so that a front end can ask before removing.
    public func siteRemoval(_ ref: String, force: Bool = false) throws -> (site: Site, links: [String]) {
        try read { db in
            let (removal, _) = try Sites(db: db).check(removing: ref, force: force)
            return (removal.site, removal.links)
        }
    }

    /// Removes a site; refused with the list of the unions and activities that name it unless
    /// `force`, which removes those links with it. Returns the site and the links removed.
    public func removeSite(_ ref: String, force: Bool = false) throws -> (site: Site, links: [String]) {
        try write { db in
            let removal = try Sites(db: db).remove(ref, force: force)
            try Outbox(db: db).record(.siteRemoved, about: removal.site)
            return (removal.site, removal.links)
        }
    }

    /// Replaces a site (a gap such as "Wabtec workers in Brazil") by another of the same employer
    /// in the same country: its unions, the activities that name it and its sources move to `by`,
    /// and it is removed. Returns both sites and the links moved.
    public func replaceSite(_ ref: String, by: String) throws -> (replaced: Site, by: Site, moved: [String]) {
        try write { db in
            let replacement = try Sites(db: db).replace(ref, by: by)
            try Outbox(db: db).record(.siteRemoved, about: replacement.replaced)
            try Outbox(db: db).record(.siteUpdated, about: replacement.by)
            return (replacement.replaced, replacement.by, replacement.moved)
        }
    }

    /// Records that a union represents a site's workers (or, with the same --since, when it stopped).
    public func represent(site: String, _ representation: Site.Representation) throws -> Site {
        try write { db in
            let (site, union) = try Sites(db: db).represent(site: site, representation)
            try Outbox(db: db).record(.representationChanged, about: RepresentationChange(site: site, union: union))
            return site
        }
    }

    /// Sites matching a filter, by employer, country and name.
    public func sites(_ filter: SiteFilter = .init()) throws -> [Site] {
        try read { try Sites(db: $0).list(filter) }
    }

    /// Hands `body` the sites matching a filter one at a time, by employer, country and name.
    public func sites(_ filter: SiteFilter = .init(), each body: (Site) throws -> Void) throws {
        try read { try Sites(db: $0).list(filter, each: body) }
    }

    /// The sites with these ids (those an activity names), by id.
    public func sites(named ids: [String]) throws -> [String: Site] {
        try read { try Sites(db: $0).named(ids) }
    }

    /// The site a reference names.
    public func site(_ ref: String) throws -> Site {
        try read { try Sites(db: $0).find(ref) }
    }
}
