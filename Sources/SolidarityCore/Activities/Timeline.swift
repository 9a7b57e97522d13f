import Foundation
import GRDB

/// What a timeline can follow: an organization, a person or an employer.
public enum TimelineKind: String, CaseIterable, Sendable {
    case organization, person, employer
}

/// Everything that happened with an organization, a person or an employer, newest first.
///
/// An organization's timeline holds its activities in any role and its relationships; a person's
/// the activities they took part in and their titles over time; an employer's the activities
/// concerning it or a company it owns, and when unions began and stopped representing workers at
/// their sites. Activity rows are built alike for all three.
struct Timeline {
    let db: Database
    let rule: Disclosure

    init(db: Database) throws {
        self.db = db
        rule = try Disclosure(db: db)
    }

    /// One event per activity from rows of `request`: the activity's id, uid, kind, hosted, title,
    /// status, start and sensitive columns, then one part (a role), the parts of an activity on
    /// consecutive rows in the order they are shown. Each event names the activity's sites. `withheld` marks every row sensitive (the
    /// timeline follows a withheld record).
    func activities(_ request: SQL, withheld: Bool) throws -> [TimelineEvent] {
        var events: [TimelineEvent] = []
        // Columns are read by position (a name is a case-insensitive search, per value of tens of
        // thousands), and rows straight from the tables rather than as whole activities.
        let rows = try Row.fetchCursor(db, SQLRequest<Row>(literal: request, cached: true))
        var current: (id: Int64, row: Row, parts: [String])?
        func sites(of activity: Int64) throws -> [String] {
            try Row.fetchAll(db, cached: """
                SELECT s.name, s.city, s.country FROM activity_sites x JOIN sites s ON s.id = x.site_id
                WHERE x.activity_id = ? ORDER BY s.name_key, s.uid
                """, arguments: [activity]).map { Site(employer: "", name: $0[0], country: $0[2], city: $0[1]).location }
        }
        // A row is marked sensitive, as every view marks it (`Disclosure.isSensitive`), when the
        // activity names a withheld organization or person in any role (looked up only when the
        // rule withholds someone).
        let anyWithheld = !rule.withheldOrganizationIDs.isEmpty || !rule.withheldPeople.isEmpty
        func namesWithheld(_ activity: Int64) throws -> Bool {
            guard anyWithheld else { return false }
            let organizations = try Int64.fetchAll(db, cached: "SELECT organization_id FROM activity_organizations WHERE activity_id = ?", arguments: [activity])
            if organizations.contains(where: { !rule.shows(organizationID: $0) }) { return true }
            let people = try String.fetchAll(db, cached: """
                SELECT p.handle FROM activity_people ap JOIN people p ON p.id = ap.person_id WHERE ap.activity_id = ?
                """, arguments: [activity])
            return people.contains { !rule.shows(person: $0) }
        }
        func finish() throws {
            guard let (id, row, parts) = current else { return }
            let status: Activity.Status = try .stored(row[5], column: "status", table: "activities", row: id)
            let kind: Activity.Kind = try .stored(row[2], column: "kind", table: "activities", row: id)
            events.append(TimelineEvent(date: try (row[6] as String?).map(PartialDate.init),
                                        kind: row[3] ? "delegation (hosted)" : kind.rawValue, ref: row[1], title: row[4],
                                        detail: parts.joined(separator: ", ") + (status == .done ? "" : " (\(status.rawValue))"),
                                        sensitive: try (row[7] as Bool) || withheld || namesWithheld(id), sites: try sites(of: id)))
        }
        while let row = try rows.next() {
            let id: Int64 = row[0]
            if current?.id != id {
                try finish()
                current = (id, row.copy(), [])
            }
            current?.parts.append(row[8])
        }
        try finish()
        return events
    }

    /// Something that began on `since` and may have ended on `until`: a "began" event (or
    /// "recorded", undated) and an "ended" one.
    private func span(since: PartialDate?, until: PartialDate?, kind: String, ref: String, title: String, sensitive: Bool) -> [TimelineEvent] {
        var events = [TimelineEvent(date: since, kind: kind, ref: ref, title: title, detail: since == nil ? "recorded" : "began", sensitive: sensitive)]
        if let until { events.append(TimelineEvent(date: until, kind: kind, ref: ref, title: title, detail: "ended", sensitive: sensitive)) }
        return events
    }

    /// "UE (United Electrical, Radio and Machine Workers of America)" is long for a title: the acronym, else the name.
    private static func shortName(_ row: Row) -> String {
        (row["acronym"] as String?) ?? row["name"]
    }

    /// The activities the organization or person with row id `id` took part in, one event per
    /// activity with its roles: `roles` is the table of their roles, `column` the one naming them.
    private func activities(inRoles roles: String, by column: String, of id: Int64, withheld: Bool) throws -> [TimelineEvent] {
        try activities("""
            SELECT a.id, a.uid, a.kind, a.hosted, a.title, a.status, a.start, a.sensitive, r.role
            FROM \(sql: roles) r JOIN activities a ON a.id = r.activity_id
            WHERE r.\(sql: column) = \(id) ORDER BY r.activity_id, r.position
            """, withheld: withheld)
    }

    /// An organization's timeline: the activities it took part in (its roles), its
    /// relationships beginning and ending, and the changes the history recorded for it.
    func organization(_ organization: References.Match) throws -> [TimelineEvent] {
        let withheld = !rule.shows(organizationID: organization.id)
        var events = try activities(inRoles: "activity_organizations", by: "organization_id", of: organization.id, withheld: withheld)
        for relationship in try Relationships(db: db).list(organization: organization.id, kind: nil, status: nil) {
            let ref = "\(relationship.from) \(relationship.kind.rawValue) \(relationship.to)"
            let title = "\(relationship.from) \(relationship.kind.phrase) \(relationship.to)"
            let sensitive = !rule.shows(relationship)
            events.append(TimelineEvent(date: relationship.since, kind: "relationship", ref: ref, title: title,
                                        detail: relationship.since == nil ? "recorded, \(relationship.status.rawValue)"
                                            : relationship.status == .ended ? "began" : "began, \(relationship.status.rawValue)",
                                        sensitive: sensitive))
            if let until = relationship.until {
                events.append(TimelineEvent(date: until, kind: "relationship", ref: ref, title: title, detail: "ended", sensitive: sensitive))
            }
        }
        events += try recordedChanges(of: organization, withheld: withheld)
        return events.sorted(by: TimelineEvent.newestFirst)
    }

    /// One event per change the history recorded for the organization or a record that refers to
    /// it (a relationship, a title at it, a role in an activity), on the day it was recorded, with
    /// who made it and through what command. A bulk load that created the organization among many
    /// (the Seeds, an import) says when the data was loaded, not something that happened with the
    /// organization: `history` lists it, the timeline does not.
    private func recordedChanges(of organization: References.Match, withheld: Bool) throws -> [TimelineEvent] {
        try HistoryLog(db: db).changes(of: "organizations", id: organization.id, bulkCreations: false).map { change in
            TimelineEvent(date: try PartialDate(String(change.at.prefix(10))), kind: "recorded change", ref: String(change.id),
                          title: change.summary, detail: "by \(change.who) (\(change.operation))", sensitive: withheld || change.sensitive,
                          recorded: change.id)
        }
    }

    /// A person's timeline: the activities they took part in (their roles) and the titles they held.
    func person(_ person: References.Match) throws -> [TimelineEvent] {
        let withheld = !rule.shows(person: person.handle)
        var events = try activities(inRoles: "activity_people", by: "person_id", of: person.id, withheld: withheld)
        for row in try Row.fetchAll(db, sql: """
            SELECT t.title, t.since, t.until, o.id, o.handle, o.name, o.acronym
            FROM person_titles t JOIN organizations o ON o.id = t.organization_id WHERE t.person_id = ?
            """, arguments: [person.id]) {
            events += span(since: try (row["since"] as String?).map(PartialDate.init), until: try (row["until"] as String?).map(PartialDate.init),
                           kind: "title", ref: row["handle"], title: "\(row["title"] as String), \(Self.shortName(row))",
                           sensitive: withheld || !rule.shows(organizationID: row["id"]))
        }
        return events.sorted(by: TimelineEvent.newestFirst)
    }

    /// An employer's timeline: the activities concerning it or a company it owns or naming one of
    /// their sites, and the unions
    /// beginning and ending to represent workers at their sites.
    func employer(_ employer: References.Match) throws -> [TimelineEvent] {
        let id = employer.id
        let chain: SQL = "WITH RECURSIVE chain(id) AS (SELECT \(id) UNION SELECT e.id FROM employers e JOIN chain ON e.parent_id = chain.id)"
        var events = try activities("""
            \(chain)
            SELECT a.id, a.uid, a.kind, a.hosted, a.title, a.status, a.start, a.sensitive, p.part
            FROM (SELECT ae.activity_id AS activity_id, e.id <> \(id) AS other, e.handle AS handle,
                      CASE WHEN e.id = \(id) THEN 'concerned' ELSE 'concerned (' || e.handle || ')' END AS part
                  FROM chain JOIN activity_employers ae ON ae.employer_id = chain.id JOIN employers e ON e.id = chain.id
                  UNION
                  SELECT x.activity_id, 2 + (e.id <> \(id)), e.handle,
                      CASE WHEN e.id = \(id) THEN 'at its site' ELSE 'at a site of ' || e.handle END
                  FROM chain JOIN sites s ON s.employer_id = chain.id JOIN activity_sites x ON x.site_id = s.id
                      JOIN employers e ON e.id = chain.id) p
                JOIN activities a ON a.id = p.activity_id
            ORDER BY a.id, p.other, p.handle
            """, withheld: false)
        for row in try Row.fetchAll(db, SQLRequest<Row>(literal: """
            \(chain)
            SELECT s.uid, s.name AS site, o.id, o.name, o.acronym, r.since, r.until
            FROM chain JOIN sites s ON s.employer_id = chain.id JOIN representations r ON r.site_id = s.id
                JOIN organizations o ON o.id = r.organization_id
            """)) {
            events += span(since: try (row["since"] as String?).map(PartialDate.init), until: try (row["until"] as String?).map(PartialDate.init),
                           kind: "representation", ref: row["uid"],
                           title: "\(Self.shortName(row)) represents workers at \(row["site"] as String)",
                           sensitive: !rule.shows(organizationID: row["id"]))
        }
        return events.sorted(by: TimelineEvent.newestFirst)
    }
}

extension TimelineEvent {
    /// Newest first by interval start (for equal starts, the more precise first), then by title;
    /// undated last.
    static func newestFirst(_ a: TimelineEvent, _ b: TimelineEvent) -> Bool {
        switch (a.date, b.date) {
        case let (x?, y?):
            guard x == y else { return y < x }
            // Changes recorded on the same day: the later first.
            if let m = a.recorded, let n = b.recorded { return m > n }
            return a.title < b.title
        case (nil, nil): return a.title < b.title
        case (nil, _): return false
        case (_, nil): return true
        }
    }
}

/// One thing that happened with an organization, a person or an employer, for `timeline`.
public struct TimelineEvent: Encodable, Sendable {
    /// When, at the precision known; nil when undated.
    @Nullable public internal(set) var date: PartialDate?
    /// The activity kind ("delegation"), or "relationship", "title", "representation" or
    /// "recorded change" (a change of the history).
    public let kind: String
    /// The activity id, the relationship's ends and kind, the organization of a title, the site
    /// a union represents, or the number of a recorded change (`history show`).
    public let ref: String
    public let title: String
    /// The part of whom the timeline follows: roles in an activity ("concerned" for an employer),
    /// whether a relationship, title or representation began or ended, or who recorded a change
    /// and with what command.
    public let detail: String
    /// The row names a record the rule of `Disclosure` withholds: a sensitive activity, the
    /// organization or person followed when it is withheld, or a relationship, title or
    /// representation with a withheld organization.
    public let sensitive: Bool
    /// The sites an activity names, each with where it is.
    public var sites: [String] = []
    /// The number of a recorded change (its `ref`), which orders the changes of one day.
    var recorded: Int64?
    enum CodingKeys: String, CodingKey { case date, kind, ref, title, detail, sensitive, sites }
}
