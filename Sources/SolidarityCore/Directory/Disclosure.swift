import Foundation
import GRDB

/// What may leave the machine: the one rule that every output sent or shared follows (export,
/// webhook payloads, the calendar, the graph and the appendix in every format), and by which the
/// terminal views mark what they show.
///
/// - **Sensitive** are the organizations, people and activities marked so.
/// - **What belongs to** a sensitive organization is withheld with it: its parts (locals, councils,
///   divisions: every organization whose `parent` chain leads to it), at any depth. A sensitive
///   organization and its parts are the *withheld organizations*; sensitive people are the
///   *withheld people*. A sensitive activity is withheld whole.
/// - **What refers to** a withheld record goes with it: a person's title at a withheld
///   organization, an activity's role of a withheld organization or person, a relationship with a
///   withheld organization at either end, a union's representation of a site, a clause's mention,
///   a convention of a withheld organization and its resolutions. The record that referred stays,
///   without that reference (a public activity that met a withheld union is still shown, without
///   the union).
///
/// With `--include-sensitive` the rule withholds nothing (`Disclosure.everything`).
public struct Disclosure: Sendable {
    /// Handles of the withheld organizations: sensitive ones and their parts.
    public let withheldOrganizations: Set<String>
    /// Row ids of the same organizations.
    let withheldOrganizationIDs: Set<Int64>
    /// Handles of the withheld people: those marked sensitive.
    public let withheldPeople: Set<String>
    /// Whether this is the rule of `--include-sensitive`, which withholds nothing.
    public let includesSensitive: Bool

    /// The rule for the database as it is now; with `includeSensitive`, `everything`.
    init(db: Database, includeSensitive: Bool = false) throws {
        guard !includeSensitive else {
            self = .everything
            return
        }
        let withheld = try Row.fetchAll(db, sql: """
            WITH RECURSIVE withheld(id) AS (
                SELECT id FROM organizations WHERE sensitive = 1
                UNION SELECT o.id FROM organizations o JOIN withheld w ON o.parent_id = w.id
            )
            SELECT id, handle FROM organizations WHERE id IN (SELECT id FROM withheld)
            """)
        withheldOrganizations = Set(withheld.map { $0["handle"] as String })
        withheldOrganizationIDs = Set(withheld.map { $0["id"] as Int64 })
        withheldPeople = Set(try String.fetchAll(db, sql: "SELECT handle FROM people WHERE sensitive = 1"))
        includesSensitive = false
    }

    private init(everything: Void) {
        withheldOrganizations = []
        withheldOrganizationIDs = []
        withheldPeople = []
        includesSensitive = true
    }

    /// The rule of `--include-sensitive`: everything may leave.
    public static let everything = Disclosure(everything: ())

    /// Whether an output may name this organization (by handle).
    public func shows(organization handle: String) -> Bool { !withheldOrganizations.contains(handle) }

    /// Whether an output may name this organization: not sensitive, and not part of a withheld one
    /// (also for a record no longer in the database, such as one just removed).
    public func shows(_ o: Organization) -> Bool {
        includesSensitive || (!o.sensitive && shows(organization: o.handle) && (o.parent.map(shows(organization:)) ?? true))
    }

    /// Whether an output may name this organization (by row id).
    func shows(organizationID id: Int64) -> Bool { !withheldOrganizationIDs.contains(id) }

    /// Whether an output may name this person (by handle).
    public func shows(person handle: String) -> Bool { !withheldPeople.contains(handle) }

    /// Whether an output may show this activity at all (its roles still go through the rule).
    public func shows(_ activity: Activity) -> Bool { includesSensitive || !activity.sensitive }

    /// Whether an output may show this relationship: both ends may be named.
    public func shows(_ relationship: Relationship) -> Bool {
        shows(organization: relationship.from) && shows(organization: relationship.to)
    }

    // MARK: Views

    /// Whether a view's row about this activity is sensitive: the activity is, or it names a
    /// withheld organization or person in one of its roles (a delegation hosted by a sensitive
    /// union, a call with a local of one).
    public func isSensitive(_ activity: Activity) -> Bool {
        !shows(activity) || activity.organizations.contains { !shows(organization: $0.organization) }
            || activity.people.contains { !shows(person: $0.person) }
    }

    /// How every view marks a sensitive record, or a row that names one: " [sensitive]" after its
    /// name ("María López [sensitive]").
    public static func mark(_ text: String, _ sensitive: Bool) -> String {
        sensitive ? text + " [sensitive]" : text
    }
}

extension Store {
    /// The rule of what may leave the machine, for the database as it is now (the views mark by it).
    public func disclosure() throws -> Disclosure {
        try read { try Disclosure(db: $0) }
    }
}

extension Disclosure {
    /// A union of a chain as an output may show it: without withheld people among its contacts,
    /// nor a withheld federation or ally it is tied to.
    func withoutWithheld(_ union: AlliesReport.Union) -> AlliesReport.Union {
        var shown = AlliesReport.Union(
            organization: union.organization, name: union.name, acronym: union.acronym, country: union.country, since: nil, until: nil,
            ours: union.ours, prospect: union.prospect, relationship: union.relationship,
            allyLink: union.allyLink.flatMap { shows(organization: $0.organization) ? $0 : nil }, lastContact: union.lastContact,
            contacts: union.contacts.filter { shows(person: $0.person) }, federation: union.federation.flatMap { shows(organization: $0) ? $0 : nil },
            sensitive: union.sensitive)
        (shown.since, shown.until) = (union.since, union.until)
        return shown
    }
}

extension Disclosure {
    /// The chain without the unions the rule withholds (a site left with none is shown as a gap),
    /// and without withheld people among the contacts of the others.
    public func shown(_ report: AlliesReport) -> AlliesReport {
        guard !includesSensitive else { return report }
        return AlliesReport(employer: report.employer, name: report.name, employers: report.employers, home: report.home, asOf: report.asOf,
                     countries: report.countries.map { group in
                         AlliesReport.CountryGroup(country: group.country, name: group.name, sites: group.sites.map { site in
                             let unions = site.unions.filter { shows(organization: $0.organization) }.map { withoutWithheld($0) }
                             return AlliesReport.SiteEntry(id: site.id, name: site.name, employer: site.employer, city: site.city,
                                                           gap: unions.isEmpty, unions: unions)
                         })
                     }, noSite: report.noSite, homeNote: report.homeNote)
    }
}
