import Foundation
import GRDB

// What each event says about its subject: handles, ids and public fields only, and only what the
// rule of `Disclosure` lets leave the machine. The JSON key of each field is its name (or its
// `CodingKeys` raw value); absent values are written as null, as receivers have always had them.

/// A record that an event announces: its payload under the rule of `Disclosure`, or nil when
/// the record may not be announced.
protocol Announceable {
    associatedtype Payload: Encodable
    func payload(_ view: Disclosure, in db: Database) throws -> Payload?
}

/// `organization.created` and `organization.updated`.
struct OrganizationPayload: Encodable {
    let handle: String
    let name: String
    @Nullable var acronym: String?
    let kind: Organization.Kind
    @Nullable var country: String?
    @Nullable var parent: String?
}

extension Organization: Announceable {
    func payload(_ view: Disclosure, in db: Database) -> OrganizationPayload? {
        guard view.shows(self) else { return nil }
        return OrganizationPayload(handle: handle, name: name, acronym: acronym, kind: kind, country: country, parent: parent)
    }
}

/// An organization that was removed (`organization.removed`): its handle and name, if it was public.
struct OrganizationRemoval: Announceable {
    struct Payload: Encodable {
        let handle: String
        let name: String
    }

    let organization: Organization

    func payload(_ view: Disclosure, in db: Database) -> Payload? {
        guard view.shows(organization) else { return nil }
        return Payload(handle: organization.handle, name: organization.name)
    }
}

/// `person.created` and `person.updated`: no contact details, no title at a left-out organization.
struct PersonPayload: Encodable {
    struct Title: Encodable {
        let organization: String
        let title: String
    }

    let handle: String
    let name: String
    let titles: [Title]
}

extension Person: Announceable {
    func payload(_ view: Disclosure, in db: Database) -> PersonPayload? {
        guard view.shows(person: handle), !sensitive else { return nil }
        return PersonPayload(handle: handle, name: name,
                             titles: titles.filter { view.shows(organization: $0.organization) }.map { .init(organization: $0.organization, title: $0.title) })
    }
}

/// `activity.*` and `delegation.*`: no role of a left-out organization or person.
struct ActivityPayload: Encodable {
    struct OrganizationRole: Encodable {
        let organization: String
        let role: Activity.OrganizationRole
    }

    struct PersonRole: Encodable {
        let person: String
        let role: Activity.PersonRole
    }

    let id: String
    let kind: Activity.Kind
    let title: String
    let status: Activity.Status
    let hosted: Bool
    @Nullable var start: PartialDate?
    @Nullable var end: PartialDate?
    let countries: [String]
    let sites: [String]
    let organizations: [OrganizationRole]
    let people: [PersonRole]
}

extension Activity: Announceable {
    func payload(_ view: Disclosure, in db: Database) -> ActivityPayload? {
        guard view.shows(self) else { return nil }
        return ActivityPayload(
            id: id, kind: kind, title: title, status: status, hosted: hosted, start: start, end: end,
            countries: itinerary.map(\.country), sites: sites,
            organizations: organizations.filter { view.shows(organization: $0.organization) }.map { .init(organization: $0.organization, role: $0.role) },
            people: people.filter { view.shows(person: $0.person) }.map { .init(person: $0.person, role: $0.role) })
    }
}

/// `relationship.changed`: only when both ends may be named.
struct RelationshipPayload: Encodable {
    let from: String
    let to: String
    let kind: Relationship.Kind
    let status: Relationship.Status
    @Nullable var since: PartialDate?
    @Nullable var until: PartialDate?
}

extension Relationship: Announceable {
    func payload(_ view: Disclosure, in db: Database) -> RelationshipPayload? {
        guard view.shows(self) else { return nil }
        return RelationshipPayload(from: from, to: to, kind: kind, status: status, since: since, until: until)
    }
}

/// `site.*` and `representation.changed`: no left-out union among those representing its workers.
struct SitePayload: Encodable {
    struct Union: Encodable {
        let organization: String
        @Nullable var since: PartialDate?
        @Nullable var until: PartialDate?
    }

    let id: String
    let employer: String
    let name: String
    let country: String
    @Nullable var city: String?
    let unions: [Union]
}

extension Site: Announceable {
    func payload(_ view: Disclosure, in db: Database) -> SitePayload? {
        SitePayload(id: id, employer: employer, name: name, country: country, city: city,
                    unions: unions.filter { view.shows(organization: $0.organization) }.map { .init(organization: $0.organization, since: $0.since, until: $0.until) })
    }
}

/// A union's representation of a site's workers, recorded or ended: the site as `site.created`
/// shows it; nothing when the union is left out (the change itself would point to it).
struct RepresentationChange: Announceable {
    let site: Site
    let union: String

    func payload(_ view: Disclosure, in db: Database) -> SitePayload? {
        guard view.shows(organization: union) else { return nil }
        return site.payload(view, in: db)
    }
}

/// `resolution.added` and `resolution.adopted`: no left-out organization among those it names.
struct ResolutionPayload: Encodable {
    let handle: String
    let convention: String
    let title: String
    let status: Resolution.Status
    let organizations: [String]
}

extension Resolution: Announceable {
    func payload(_ view: Disclosure, in db: Database) throws -> ResolutionPayload? {
        // A convention of a left-out organization is left out with it, and its resolutions too.
        guard let organization = try String.fetchOne(db, sql: """
            SELECT o.handle FROM conventions c JOIN organizations o ON o.id = c.organization_id WHERE c.handle = ?
            """, arguments: [convention]), view.shows(organization: organization) else { return nil }
        return ResolutionPayload(handle: handle, convention: convention, title: title, status: status,
                                 organizations: namedOrganizations.filter(view.shows(organization:)))
    }
}

/// `followup.overdue`, for a follow-up of an activity that is not sensitive.
struct OverdueFollowUpPayload: Encodable {
    let id: String
    let text: String
    @Nullable var due: String?
    let activity: String
    let activityTitle: String

    enum CodingKeys: String, CodingKey {
        case id, text, due, activity
        case activityTitle = "activity_title"
    }
}

/// `import.completed`: one event per import, never one per record.
struct ImportPayload: Encodable {
    /// The file's name, or "seeds".
    let source: String
    let added: Int
    let updated: Int
    let unchanged: Int

    init(source: String, _ report: LoadReport) {
        self.source = source
        added = report.added
        updated = report.updated
        unchanged = report.present
    }
}
