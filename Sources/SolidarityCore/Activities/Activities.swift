import Foundation
import GRDB

/// Filters for `delegation list` and `activity list`. A period keeps the activities whose
/// interval overlaps it; undated ones overlap no period.
public struct ActivityFilter: Sendable {
    public var kinds: [Activity.Kind]
    public var since: PartialDate?
    public var until: PartialDate?
    public var organization: String?
    public var person: String?
    public var country: String?
    public var employer: String?
    public var campaign: String?
    public var status: Activity.Status?

    public init(kinds: [Activity.Kind] = [], since: PartialDate? = nil, until: PartialDate? = nil, organization: String? = nil,
                person: String? = nil, country: String? = nil, employer: String? = nil, campaign: String? = nil, status: Activity.Status? = nil) {
        self.kinds = kinds
        self.since = since
        self.until = until
        self.organization = organization
        self.person = person
        self.country = country
        self.employer = employer
        self.campaign = campaign
        self.status = status
    }

    /// The period activities must overlap: from `since` to `until`.
    public var period: Period { Period(since: since, until: until) }
}

/// Reads and writes activities with their itinerary, roles, follow-ups, employers, campaigns and sources.
struct Activities: ValueStore {
    let db: Database

    /// Records an activity, giving it and its follow-ups ids when they have none.
    func write(_ activity: inout Activity) throws {
        activity.id = try RandomID.claim(activity.id, for: "An activity") {
            try db.exists(cached: "SELECT 1 FROM activities WHERE uid = ?", arguments: [$0])
        }
        try db.execute(cached: """
            INSERT INTO activities (uid, kind, title, status, hosted, virtual, start, "end", first_day, last_day, purpose, outcomes, notes, sensitive)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: columns(activity))
        activity = try writeParts(activity, id: db.lastInsertedRowID)
    }

    /// Changes the activity with this id; `change` edits a copy of the current record. Its
    /// follow-ups follow a change of status (`Activity.followStatus(from:on:)`), closed or
    /// reopened on `today`.
    @discardableResult
    func update(_ uid: String, today: PartialDate = .today(), _ change: (inout Activity) throws -> Void) throws -> (before: Activity, after: Activity) {
        let id = try rowID(uid)
        let before = try fetch(ids: [id])[0]
        var after = before
        try change(&after)
        after.id = before.id
        _ = after.followStatus(from: before.status, on: today)
        try after.validate()
        try ActivityRecord(after, id: id).update(db)
        // The parts are written afresh; a follow-up keeps, by its id, that its overdue date was
        // announced, so that followup.overdue fires once per follow-up (again only for a new due date).
        typealias FollowUp = FollowUpRecord.Columns
        let announced = try FollowUpRecord.filter(FollowUp.activityID == id && FollowUp.overdueAnnounced == true).fetchAll(db)
        try ActivityStopRecord.filter(ActivityStopRecord.Columns.activityID == id).deleteAll(db)
        try ActivityOrganizationRecord.filter(ActivityOrganizationRecord.Columns.activityID == id).deleteAll(db)
        try ActivityPersonRecord.filter(ActivityPersonRecord.Columns.activityID == id).deleteAll(db)
        try LinkRecord<ActivityEmployers>.owned(by: id).deleteAll(db)
        try LinkRecord<ActivitySites>.owned(by: id).deleteAll(db)
        try LinkRecord<ActivityCampaigns>.owned(by: id).deleteAll(db)
        try LinkRecord<ActivitySources>.owned(by: id).deleteAll(db)
        try FollowUpRecord.filter(FollowUp.activityID == id).deleteAll(db)
        let written = try writeParts(after, id: id)
        for followUp in announced {
            try FollowUpRecord.filter(FollowUp.activityID == id && FollowUp.uid == followUp.uid && FollowUp.due == followUp.due)
                .updateAll(db, FollowUp.overdueAnnounced.set(to: true))
        }
        return (before, written)
    }

    /// Removes an activity with its parts and follow-ups.
    func remove(_ uid: String) throws -> Activity {
        let id = try rowID(uid)
        let activity = try fetch(ids: [id])[0]
        try ActivityRecord.deleteOne(db, key: id)
        return activity
    }

    func find(_ uid: String) throws -> Activity {
        try fetch(ids: [rowID(uid)])[0]
    }

    /// Activities matching a filter, oldest first (by interval start, the less precise first), undated last.
    func list(_ filter: ActivityFilter) throws -> [Activity] {
        try ListingPages.all { try list(filter, each: $0) }
    }

    /// Hands `body` the activities matching a filter one at a time, oldest first, undated last.
    func list(_ filter: ActivityFilter, each body: (Activity) throws -> Void) throws {
        typealias Listed = ActivityRecord.Columns
        var request = ActivityRecord.select(Listed.id)
        let references = References(db: db)
        if !filter.kinds.isEmpty {
            request = request.filter(filter.kinds.map(\.rawValue).contains(Listed.kind))
        }
        let period = filter.period
        try period.check()
        if let lastDay = period.lastDay {
            // With a start too, the period is searched by the day activities end (migration 0008):
            // the unary `+` keeps SQLite off the index on first_day.
            request = request.filter(literal: period.firstDay == nil ? "first_day <= \(lastDay)" : "+first_day <= \(lastDay)")
        }
        if let firstDay = period.firstDay {
            request = request.filter(literal: "last_day >= \(firstDay)")
        }
        if let organization = filter.organization {
            let id = try references.organization(organization).id
            typealias Part = ActivityOrganizationRecord.Columns
            request = request.filter(ActivityOrganizationRecord.select(Part.activityID).filter(Part.organizationID == id).contains(Listed.id))
        }
        if let person = filter.person {
            let id = try references.person(person).id
            typealias Part = ActivityPersonRecord.Columns
            request = request.filter(ActivityPersonRecord.select(Part.activityID).filter(Part.personID == id).contains(Listed.id))
        }
        if let country = filter.country {
            let code = try Country(country).code
            typealias Stop = ActivityStopRecord.Columns
            request = request.filter(ActivityStopRecord.select(Stop.activityID).filter(Stop.country == code).contains(Listed.id))
        }
        if let employer = filter.employer {
            let id = try references.employer(employer).id
            request = request.filter(LinkRecord<ActivityEmployers>.owners(of: id).contains(Listed.id))
        }
        if let campaign = filter.campaign {
            guard let match = try references.campaign(campaign) else {
                throw SolidarityError(.notFound, "No campaign matches \"\(TextRules.printable(campaign))\".")
            }
            request = request.filter(LinkRecord<ActivityCampaigns>.owners(of: match.id).contains(Listed.id))
        }
        if let status = filter.status {
            request = request.filter(Listed.status == status.rawValue)
        }
        try ListingPages.each(db, ids: "\(request.order(literal: SQL(sql: Self.chronology)))", fetch: fetch(ids:), body)
    }

    /// Oldest first by interval start, the less precise first; undated last.
    static let chronological = "ORDER BY \(chronology)"
    /// The same order without its ORDER BY, to follow a request's other terms.
    static let chronology = "first_day IS NULL, first_day, length(start), uid"

    func rowID(_ uid: String) throws -> Int64 {
        guard let id = try Int64.fetchOne(db, cached: "SELECT id FROM activities WHERE uid = ?", arguments: [uid.lowercased()]) else {
            throw SolidarityError(.notFound, "No activity has the id \"\(TextRules.printable(uid))\". `solidarity activity list` shows every activity with its id.")
        }
        return id
    }

    /// Full records for row ids, in the order given.
    func fetch(ids: [Int64]) throws -> [Activity] {
        guard !ids.isEmpty else { return [] }
        let json = JSONList.of(ids)
        let idList = "SELECT value FROM json_each(?)"
        var byID: [Int64: Activity] = [:]
        // Columns are read by position, not through ActivityRecord (a name is a case-insensitive search
        // per value, and this reads every activity of an export: 4.18× sqlite3, BENCHMARKS.md).
        for row in try Row.fetchAll(db, cached: """
            SELECT id, uid, kind, title, status, hosted, virtual, start, "end", purpose, outcomes, notes, sensitive
            FROM activities WHERE id IN (\(idList))
            """, arguments: [json]) {
            byID[row[0]] = Activity(
                id: row[1], kind: try .stored(row[2], column: "kind", table: "activities", row: row[0] as Int64), title: row[3],
                status: try .stored(row[4], column: "status", table: "activities", row: row[0] as Int64), hosted: row[5], virtual: row[6],
                start: try (row[7] as String?).map(PartialDate.init), end: try (row[8] as String?).map(PartialDate.init),
                purpose: row[9], outcomes: row[10], notes: row[11], sensitive: row[12])
        }
        for row in try Row.fetchAll(db, cached: """
            SELECT activity_id, country, city FROM activity_stops WHERE activity_id IN (\(idList)) ORDER BY activity_id, position
            """, arguments: [json]) {
            byID[row[0]]?.itinerary.append(Activity.Stop(country: row[1], city: row[2]))
        }
        /// The roles of these activities in `roles`, in order, with the handle of what `column` names in `named`.
        func parts<Role: RawRepresentable<String>>(_ roles: String, naming named: String, by column: String) throws -> [(activity: Int64, handle: String, role: Role)] {
            try Row.fetchAll(db, cached: """
                SELECT r.activity_id, n.handle, r.role, r.position FROM \(roles) r JOIN \(named) n ON n.id = r.\(column)
                WHERE r.activity_id IN (\(idList)) ORDER BY r.activity_id, r.position
                """, arguments: [json]).map { row in
                (row[0], row[1], try .stored(row[2], column: "role", table: roles,
                                             row: ActivityOrganizationRecord.describe(activity: row[0], position: row[3])))
            }
        }
        for part: (activity: Int64, handle: String, role: Activity.OrganizationRole) in try parts("activity_organizations", naming: "organizations", by: "organization_id") {
            byID[part.activity]?.organizations.append(.init(organization: part.handle, role: part.role))
        }
        for part: (activity: Int64, handle: String, role: Activity.PersonRole) in try parts("activity_people", naming: "people", by: "person_id") {
            byID[part.activity]?.people.append(.init(person: part.handle, role: part.role))
        }
        for row in try Row.fetchAll(db, cached: """
            SELECT activity_id, uid, text, due, done, cancelled FROM follow_ups WHERE activity_id IN (\(idList)) ORDER BY activity_id, position
            """, arguments: [json]) {
            byID[row[0]]?.followUps.append(Activity.FollowUp(
                id: row[1], text: row[2], due: try (row[3] as String?).map(PartialDate.init),
                done: try (row[4] as String?).map(PartialDate.init), cancelled: try (row[5] as String?).map(PartialDate.init)))
        }
        try ListingPages.appendLinked(ActivityEmployers.self, "employers", "handle", ids: json, in: db, to: \.employers, of: &byID)
        try ListingPages.appendLinked(ActivitySites.self, "sites", "uid", ids: json, in: db, to: \.sites, of: &byID)
        try ListingPages.appendLinked(ActivityCampaigns.self, "campaigns", "handle", ids: json, in: db, to: \.campaigns, of: &byID)
        try ListingPages.appendLinked(ActivitySources.self, "sources", "uid", ids: json, in: db, to: \.sources, of: &byID)
        return ids.compactMap { byID[$0] }
    }

    /// Writes the parts that name organizations or people in roles, in order, each one in each
    /// role once, their positions counted from 0; returns them naming each by its handle.
    private func writeRoles<Part, Role: RawRepresentable<String>>(
        _ parts: [Part], find: (Part) throws -> References.Match, role: (Part) -> Role,
        insert: (_ position: Int, _ rowID: Int64, Role) throws -> Void, named: (_ handle: String, Role) -> Part
    ) throws -> [Part] {
        var seen = Set<String>()
        var written: [Part] = []
        for part in parts {
            let match = try find(part)
            guard seen.insert("\(match.id) \(role(part).rawValue)").inserted else { continue }
            try insert(written.count, match.id, role(part))
            written.append(named(match.handle, role(part)))
        }
        return written
    }

    /// Writes the parts; references become handles (and follow-ups get ids).
    private func columns(_ a: Activity) -> StatementArguments {
        [a.id, a.kind.rawValue, a.title, a.status.rawValue, a.hosted, a.virtual, a.start?.description, a.end?.description,
         a.firstDay, a.lastDay, a.purpose, a.outcomes, a.notes, a.sensitive]
    }

    private func writeParts(_ activity: Activity, id: Int64) throws -> Activity {
        var activity = activity
        let references = References(db: db)
        for (position, stop) in activity.itinerary.enumerated() {
            try db.execute(cached: "INSERT INTO activity_stops (activity_id, position, country, city) VALUES (?, ?, ?, ?)",
                           arguments: [id, position, stop.country, stop.city])
        }
        activity.organizations = try writeRoles(activity.organizations, find: { try references.organization($0.organization) }, role: \.role,
                                                insert: { try db.execute(cached: "INSERT INTO activity_organizations (activity_id, position, organization_id, role) VALUES (?, ?, ?, ?)",
                                                                         arguments: [id, $0, $1, $2.rawValue]) },
                                                named: { Activity.OrganizationPart(organization: $0, role: $1) })
        activity.people = try writeRoles(activity.people, find: { try references.person($0.person) }, role: \.role,
                                         insert: { try db.execute(cached: "INSERT INTO activity_people (activity_id, position, person_id, role) VALUES (?, ?, ?, ?)",
                                                                  arguments: [id, $0, $1, $2.rawValue]) },
                                         named: { Activity.PersonPart(person: $0, role: $1) })
        for index in activity.followUps.indices {
            activity.followUps[index].id = try RandomID.claim(activity.followUps[index].id, for: "A follow-up") {
                try db.exists(cached: "SELECT 1 FROM follow_ups WHERE uid = ?", arguments: [$0])
            }
            let followUp = activity.followUps[index]
            try db.execute(cached: "INSERT INTO follow_ups (uid, activity_id, position, text, due, due_day, done, cancelled) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           arguments: [followUp.id, id, index, followUp.text, followUp.due?.description, followUp.due?.end, followUp.done?.description,
                                       followUp.cancelled?.description])
        }
        activity.employers = try Set(activity.employers.map { ref in
            let match = try references.employer(ref)
            try db.execute(cached: "INSERT OR IGNORE INTO activity_employers (activity_id, employer_id) VALUES (?, ?)", arguments: [id, match.id])
            return match.handle
        }).sorted()
        activity.sites = try Set(activity.sites.map { ref in
            let match = try references.site(ref)
            try db.execute(cached: "INSERT OR IGNORE INTO activity_sites (activity_id, site_id) VALUES (?, ?)", arguments: [id, match.id])
            return match.handle
        }).sorted()
        activity.campaigns = try Set(activity.campaigns.map { ref in
            let handle = try Campaigns(db: db).handle(tagging: ref)
            try db.execute(cached: "INSERT OR IGNORE INTO activity_campaigns (activity_id, campaign_id) SELECT ?, id FROM campaigns WHERE handle = ?",
                           arguments: [id, handle])
            return handle
        }).sorted()
        activity.sources = try Set(activity.sources.map { ref in
            let sourceID = try Sources(db: db).cite(ref)
            try db.execute(cached: "INSERT OR IGNORE INTO activity_sources (activity_id, source_id) VALUES (?, ?)", arguments: [id, sourceID])
            return try String.fetchOne(db, cached: "SELECT uid FROM sources WHERE id = ?", arguments: [sourceID])!
        }).sorted()
        return activity
    }
}
