import Foundation
import GRDB

/// Our last contact with an organization: the last done activity in which both sides took part.
///
/// "Us" is the home organization, any of its units by `parent` (locals, councils, divisions, at
/// any depth), or one of its people (a person holding a title there, or at one of its units, when
/// the activity took place). "Them" is the organization or any of its units. A meeting of the
/// organization with someone else (Zenroren with the Chicago Teachers Union) is not contact with
/// us. This is the one rule behind every "last contact": the allies report, `stale` and part A of
/// the appendix.
public struct LastContact: Sendable, CustomStringConvertible {
    /// The activity's id.
    public let activity: String
    public let title: String
    public let start: PartialDate?
    public let end: PartialDate?
    /// The units, or the person, through which the contact was made, ours first ("UE Local 506",
    /// "CCMM-CSN"); empty when both organizations took part themselves.
    public let via: [String]
    /// The activity is marked sensitive, or the contact ran through a unit or person the rule of
    /// `Disclosure` withholds.
    public let sensitive: Bool

    /// When, at the precision known: the end of the activity when it has one, else its start.
    public var date: PartialDate? { end ?? start }

    /// "CCMM-CSN", "UE Local 506 and CCMM-CSN"; nil when both organizations took part themselves.
    public var viaText: String? { via.isEmpty ? nil : via.joined(separator: " and ") }

    /// "2025-05 via CCMM-CSN", "2024-05": when, and through which units, as every report shows it.
    public var description: String { (date?.description ?? "undated") + (viaText.map { " via \($0)" } ?? "") }
}

/// Reads the last contacts of the home organization with many organizations at once: one query
/// per report, whatever the number of organizations it lists.
struct LastContacts {
    let db: Database
    /// The home organization's row id.
    let home: Int64
    /// Activities that began after this date's end are not counted (an appendix's period, `--as-of`, today).
    let horizon: PartialDate
    /// The rule by which contacts are marked sensitive, or left out.
    let rule: Disclosure
    /// Whether sensitive activities and contacts through withheld units or people are counted (and
    /// marked: the terminal views) or left out (what leaves the machine: the appendix).
    let countsWithheld: Bool

    /// The SQL. ?1 the home organization, ?2 a JSON array of the organizations, ?3 the horizon's last
    /// day, ?4 whether withheld records count, ?5 whether the home organization itself is withheld.
    ///
    /// Both sides' units come from `parent` through `organizations_by_parent`; the organizations'
    /// activities through `activity_organizations_by_organization`; whether we took part, by the
    /// activity's own rows (the primary keys of `activity_organizations` and `activity_people`, then
    /// a person's titles through `person_titles_by_person`), each checked against the list of our
    /// units built once (`+` keeps SQLite from probing that list unit by unit instead). `met` is
    /// materialized so that the subquery finding our unit runs once per activity, not once per use.
    /// The last activity is the one that ended last, the more precise first, then by id; within it
    /// the organization itself before its units, and the home organization before its units and people.
    static let sql = """
        WITH RECURSIVE
        ours(id, withheld) AS (
            SELECT ?1, ?5
            UNION SELECT o.id, ours.withheld OR o.sensitive FROM organizations o JOIN ours ON o.parent_id = ours.id),
        theirs(id, organization, withheld) AS (
            SELECT value, value, 0 FROM json_each(?2)
            UNION SELECT o.id, theirs.organization, theirs.withheld OR o.sensitive FROM organizations o JOIN theirs ON o.parent_id = theirs.id),
        met AS MATERIALIZED (
            SELECT theirs.organization, theirs.id AS their_unit, theirs.withheld AS their_withheld,
                a.id, a.uid, a.title, a.start, a."end", a.sensitive, a.first_day, a.last_day,
                (SELECT us.organization_id FROM activity_organizations us
                 WHERE us.activity_id = a.id AND +us.organization_id IN (SELECT id FROM ours WHERE ?4 OR withheld = 0)
                 ORDER BY us.organization_id <> ?1, us.position LIMIT 1) AS our_unit
            FROM theirs JOIN activity_organizations ao ON ao.organization_id = theirs.id JOIN activities a ON a.id = ao.activity_id
            WHERE a.status = 'done' AND a.first_day <= ?3 AND (?4 OR (a.sensitive = 0 AND theirs.withheld = 0))),
        withus AS (
            SELECT met.*, CASE WHEN our_unit IS NULL THEN
                (SELECT ap.person_id FROM activity_people ap JOIN people p ON p.id = ap.person_id JOIN person_titles t ON t.person_id = ap.person_id
                 WHERE ap.activity_id = met.id AND (?4 OR p.sensitive = 0) AND +t.organization_id IN (SELECT id FROM ours)
                     AND (t.since IS NULL OR t.since <= substr(met.last_day, 1, length(t.since)))
                     AND (t.until IS NULL OR t.until >= substr(met.first_day, 1, length(t.until)))
                 ORDER BY ap.position LIMIT 1) END AS our_person
            FROM met),
        ranked AS (
            SELECT withus.*, row_number() OVER (PARTITION BY organization
                ORDER BY last_day DESC, length(coalesce("end", start)) DESC, uid DESC,
                    their_unit <> organization, their_withheld, their_unit) AS rank
            FROM withus WHERE our_unit IS NOT NULL OR our_person IS NOT NULL)
        SELECT r.organization, r.uid, r.title, r.start, r."end", r.sensitive, r.our_unit, r.their_unit,
            coalesce(ou.acronym, ou.name) AS our_unit_name, p.handle AS our_person, p.name AS our_person_name,
            coalesce(tu.acronym, tu.name) AS their_unit_name
        FROM ranked r JOIN organizations tu ON tu.id = r.their_unit
            LEFT JOIN organizations ou ON ou.id = r.our_unit LEFT JOIN people p ON p.id = r.our_person
        WHERE r.rank = 1
        """

    /// The last contact with each of `organizations` that has one, by row id.
    func of(_ organizations: some Collection<Int64>) throws -> [Int64: LastContact] {
        guard !organizations.isEmpty else { return [:] }
        let ids = JSONList.of(organizations)
        var contacts: [Int64: LastContact] = [:]
        for row in try Row.fetchAll(db, cached: Self.sql, arguments: [home, ids, horizon.end, countsWithheld, !rule.shows(organizationID: home)]) {
            let organization: Int64 = row["organization"]
            let theirUnit: Int64 = row["their_unit"]
            let ourUnit: Int64? = row["our_unit"]
            let ourPerson: String? = row["our_person"]
            var via: [String] = []
            var withheld = false
            // Our side: the home organization itself says nothing; a unit of ours is named, unless it
            // is the very unit of theirs (a local of ours listed as a union of a chain); else the person.
            if let ourUnit {
                if ourUnit != home && ourUnit != theirUnit { via.append(row["our_unit_name"]) }
                withheld = withheld || !rule.shows(organizationID: ourUnit)
            } else if let ourPerson {
                via.append(row["our_person_name"])
                withheld = withheld || !rule.shows(person: ourPerson)
            }
            if theirUnit != organization {
                via.append(row["their_unit_name"])
                withheld = withheld || !rule.shows(organizationID: theirUnit)
            }
            contacts[organization] = LastContact(
                activity: row["uid"], title: row["title"], start: try (row["start"] as String?).map(PartialDate.init),
                end: try (row["end"] as String?).map(PartialDate.init), via: via, sensitive: (row["sensitive"] as Bool) || withheld)
        }
        return contacts
    }
}
