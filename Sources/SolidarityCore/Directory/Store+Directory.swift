import Foundation
import GRDB

// The operations the commands call: each opens one transaction (writes) or one snapshot (reads).

extension Store {
    // MARK: Organizations

    /// Records a new organization and returns it with its handle.
    public func addOrganization(_ organization: Organization) throws -> Organization {
        try write(recording: .organizationCreated) { try Organizations(db: $0).insert(organization) }
    }

    /// Changes an organization; `change` edits a copy of the current record.
    public func editOrganization(_ ref: String, _ change: (inout Organization) throws -> Void) throws -> Organization {
        try write(recording: .organizationUpdated) { try Organizations(db: $0).update(ref, change).after }
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
        try write(recording: .personCreated) { try People(db: $0).insert(person) }
    }

    /// Changes a person; `change` edits a copy of the current record.
    public func editPerson(_ ref: String, _ change: (inout Person) throws -> Void) throws -> Person {
        try write(recording: .personUpdated) { try People(db: $0).update(ref, change).after }
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
        try write(recording: .relationshipChanged) { try Relationships(db: $0).insert(relationship) }
    }

    /// Changes a relationship's status, dates, notes or sources.
    public func editRelationship(_ first: String, _ second: String, kind: Relationship.Kind,
                                 _ change: (inout Relationship) throws -> Void) throws -> Relationship {
        try write(recording: .relationshipChanged) { try Relationships(db: $0).update(first, second, kind: kind, change).after }
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
            guard let home = try HomeRecord.fetchOne(db) else { return nil }
            return try Organizations(db: db).fetch(ids: [home.organizationID]).first
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

    /// Records the organization `ref` names as home, in the caller's transaction; returns its row id.
    @discardableResult
    static func setHome(_ ref: String, in db: Database) throws -> Int64 {
        let id = try References(db: db).organization(ref).id
        try HomeRecord(organizationID: id).upsert(db)
        return id
    }

    // MARK: Sources and campaigns

    /// Every recorded source, by id.
    public func sources() throws -> [Source] {
        try read { try Sources(db: $0).all() }
    }

    /// Every campaign, by handle.
    public func campaigns() throws -> [Campaign] {
        try read { try Campaigns(db: $0).all() }
    }
}
