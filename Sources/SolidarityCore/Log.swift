import Foundation
import GRDB

extension PartialDate {
    /// Today's date (UTC), as follow-ups and staleness reckon it.
    public static func today(_ now: Date = Date()) -> PartialDate {
        let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: now)
        return try! PartialDate(String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!))
    }

    /// Whole months from the end of this date's interval to `day` (0 when `day` is within it or before).
    public func monthsBefore(_ day: PartialDate) -> Int {
        let (y1, m1) = (Int(end.prefix(4))!, Int(end.dropFirst(5).prefix(2))!)
        let (y2, m2) = (Int(day.start.prefix(4))!, Int(day.start.dropFirst(5).prefix(2))!)
        return max(0, (y2 - y1) * 12 + (m2 - m1))
    }
}

/// An open or done follow-up with the activity it belongs to, for `followup list`.
public struct FollowUpItem: Encodable, Sendable {
    public let id: String
    public let text: String
    public let due: PartialDate?
    public let done: PartialDate?
    public let overdue: Bool
    public let activity: String
    public let activityTitle: String
    /// Its activity is marked sensitive: the row names an activity the rule of `Disclosure` withholds.
    public let sensitive: Bool

    enum CodingKeys: String, CodingKey { case id, text, due, done, overdue, activity, activityTitle = "activity_title", sensitive }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(text, forKey: .text)
        try c.encode(due, forKey: .due)
        try c.encode(done, forKey: .done)
        try c.encode(overdue, forKey: .overdue)
        try c.encode(activity, forKey: .activity)
        try c.encode(activityTitle, forKey: .activityTitle)
        try c.encode(sensitive, forKey: .sensitive)
    }
}

/// One thing that happened with an organization, for `timeline`.
public struct TimelineEvent: Encodable, Sendable {
    /// When, at the precision known; nil when undated.
    public let date: PartialDate?
    /// The activity kind ("delegation"), or "relationship".
    public let kind: String
    /// The activity id, or the relationship's ends and kind.
    public let ref: String
    public let title: String
    /// The organization's part: its roles in an activity, or the relationship's status.
    public let detail: String
    /// The row names a record the rule of `Disclosure` withholds: a sensitive activity, the
    /// organization itself when it is withheld, or a relationship with a withheld organization.
    public let sensitive: Bool
    /// The sites an activity names, each with where it is.
    public var sites: [String] = []

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(date, forKey: .date)
        try c.encode(kind, forKey: .kind)
        try c.encode(ref, forKey: .ref)
        try c.encode(title, forKey: .title)
        try c.encode(detail, forKey: .detail)
        try c.encode(sensitive, forKey: .sensitive)
        try c.encode(sites, forKey: .sites)
    }
    enum CodingKeys: String, CodingKey { case date, kind, ref, title, detail, sensitive, sites }
}

/// An ally of the home organization and how long since the last done activity with it.
public struct StaleAlly: Encodable, Sendable {
    public let organization: String
    public let name: String
    public let relationship: String
    public let lastContact: PartialDate?
    public let lastActivity: String?
    /// Whole months since the last contact; nil when never contacted.
    public let monthsSilent: Int?
    /// The row names a record the rule of `Disclosure` withholds: the ally itself (sensitive, or
    /// part of a sensitive organization), or its last activity, marked sensitive.
    public let sensitive: Bool

    enum CodingKeys: String, CodingKey {
        case organization, name, relationship, sensitive
        case lastContact = "last_contact", lastActivity = "last_activity", monthsSilent = "months_silent"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(organization, forKey: .organization)
        try c.encode(name, forKey: .name)
        try c.encode(relationship, forKey: .relationship)
        try c.encode(lastContact, forKey: .lastContact)
        try c.encode(lastActivity, forKey: .lastActivity)
        try c.encode(monthsSilent, forKey: .monthsSilent)
        try c.encode(sensitive, forKey: .sensitive)
    }
}

extension Store {
    // MARK: Activities

    /// Records an activity; returns it with ids given, and its follow-ups due before it begins (a warning, not an error).
    public func log(_ activity: Activity) throws -> Activity {
        try write { db in
            let logged = try Activities(db: db).insert(activity)
            try Outbox(db: db).record(logged.kind == .delegation ? .delegationLogged : .activityLogged, about: logged)
            return logged
        }
    }

    /// Changes an activity; `change` edits a copy of the current record.
    public func editActivity(_ id: String, _ change: (inout Activity) throws -> Void) throws -> Activity {
        try write { db in
            let (before, after) = try Activities(db: db).update(id, change)
            let type: EventType = after.kind != .delegation ? .activityUpdated
                : after.status == .cancelled && before.status != .cancelled ? .delegationCancelled : .delegationUpdated
            try Outbox(db: db).record(type, about: after)
            return after
        }
    }

    /// Removes an activity with its follow-ups.
    public func removeActivity(_ id: String) throws -> Activity {
        try write { try Activities(db: $0).remove(id) }
    }

    /// The activity with this id.
    public func activity(_ id: String) throws -> Activity {
        try read { try Activities(db: $0).find(id) }
    }

    /// Activities matching a filter, oldest first, undated last.
    public func activities(_ filter: ActivityFilter = .init()) throws -> [Activity] {
        try read { try Activities(db: $0).list(filter) }
    }

    /// Hands `body` the activities matching a filter one at a time, oldest first, undated last.
    public func activities(_ filter: ActivityFilter = .init(), each body: (Activity) throws -> Void) throws {
        try read { try Activities(db: $0).list(filter, each: body) }
    }

    // MARK: Follow-ups

    /// Open follow-ups (with `includeDone`, all), soonest due first, undated last; `overdueOnly` keeps those past due on `today`.
    public func followUps(overdueOnly: Bool = false, includeDone: Bool = false, today: PartialDate = .today()) throws -> [FollowUpItem] {
        try read { db in
            var clauses: [String] = []
            if !includeDone { clauses.append("f.done IS NULL") }
            if overdueOnly { clauses.append("f.done IS NULL AND f.due_day < '\(today.start)'") }
            let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            return try Row.fetchAll(db, sql: """
                SELECT f.uid, f.text, f.due, f.due_day, f.done, a.uid AS activity, a.title, a.sensitive FROM follow_ups f JOIN activities a ON a.id = f.activity_id
                \(whereSQL) ORDER BY f.due_day IS NULL, f.due_day, f.uid
                """).map { row in
                let done = try (row["done"] as String?).map(PartialDate.init)
                let dueDay: String? = row["due_day"]
                return FollowUpItem(id: row["uid"], text: row["text"], due: try (row["due"] as String?).map(PartialDate.init), done: done,
                                    overdue: done == nil && dueDay.map { $0 < today.start } == true,
                                    activity: row["activity"], activityTitle: row["title"], sensitive: row["sensitive"])
            }
        }
    }

    /// Marks a follow-up done on a date (today by default).
    public func completeFollowUp(_ id: String, on date: PartialDate = .today()) throws -> FollowUpItem {
        try write { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT f.id, f.text, f.due, f.done, a.uid AS activity, a.title, a.sensitive FROM follow_ups f JOIN activities a ON a.id = f.activity_id WHERE f.uid = ?
                """, arguments: [id.lowercased()]) else {
                throw SolidarityError(.notFound, "No follow-up has the id \"\(TextRules.printable(id))\". `solidarity followup list` shows the open ones with their ids.")
            }
            if let done: String = row["done"] {
                throw SolidarityError(.conflict, "Follow-up \(id) was already marked done on \(done); nothing changed.")
            }
            try db.execute(sql: "UPDATE follow_ups SET done = ? WHERE id = ?", arguments: [date.description, row["id"] as Int64])
            return FollowUpItem(id: id.lowercased(), text: row["text"], due: try (row["due"] as String?).map(PartialDate.init), done: date,
                                overdue: false, activity: row["activity"], activityTitle: row["title"], sensitive: row["sensitive"])
        }
    }

    // MARK: Timeline and staleness

    /// Everything that happened with an organization: activities in any role and relationship
    /// changes, newest first, undated last.
    public func timeline(of ref: String) throws -> [TimelineEvent] {
        try read { db in
            let organization = try References(db: db).organization(ref)
            let rule = try Disclosure(db: db)
            let withheld = !rule.shows(organizationID: organization.id)
            var events: [TimelineEvent] = []
            // One row per role, read straight from the tables (not whole activities): the roles of
            // an activity are consecutive, in the order the activity lists them. Columns are read
            // by position (a name is a case-insensitive search, per value of tens of thousands).
            let rows = try Row.fetchCursor(db, sql: """
                SELECT a.id, a.uid, a.kind, a.hosted, a.title, a.status, a.start, a.sensitive, ao.role
                FROM activity_organizations ao JOIN activities a ON a.id = ao.activity_id
                WHERE ao.organization_id = ? ORDER BY ao.activity_id, ao.position
                """, arguments: [organization.id])
            var current: (id: Int64, row: Row, roles: [String])?
            func sites(of activity: Int64) throws -> [String] {
                try Row.fetchAll(db, cached: """
                    SELECT s.name, s.city, s.country FROM activity_sites x JOIN sites s ON s.id = x.site_id WHERE x.activity_id = ? ORDER BY s.name_key, s.uid
                    """, arguments: [activity]).map { Site(employer: "", name: $0[0], country: $0[2], city: $0[1]).location }
            }
            func finish() throws {
                guard let (id, row, roles) = current else { return }
                let status: String = row[5]
                let kind: String = row[2]
                events.append(TimelineEvent(date: try (row[6] as String?).map(PartialDate.init),
                                            kind: row[3] ? "delegation (hosted)" : kind, ref: row[1], title: row[4],
                                            detail: roles.joined(separator: ", ") + (status == Activity.Status.done.rawValue ? "" : " (\(status))"),
                                            sensitive: (row[7] as Bool) || withheld,
                                            sites: try sites(of: id)))
            }
            while let row = try rows.next() {
                let id: Int64 = row[0]
                if current?.id != id {
                    try finish()
                    current = (id, row.copy(), [])
                }
                current?.roles.append(row[8])
            }
            try finish()
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
            // Newest first by interval start (for equal starts, the more precise first); undated last.
            return events.sorted { a, b in
                switch (a.date, b.date) {
                case let (x?, y?): return x == y ? a.title < b.title : y < x
                case (nil, nil): return a.title < b.title
                case (nil, _): return false
                case (_, nil): return true
                }
            }
        }
    }

    /// The home organization's allies (ally and partner links not ended) with no done activity in
    /// `months` months, longest silence first, never-contacted ones first of all.
    public func staleAllies(months: Int = 12, today: PartialDate = .today()) throws -> [StaleAlly] {
        try read { db in
            guard let home = try Int64.fetchOne(db, sql: "SELECT organization_id FROM home") else {
                throw SolidarityError(.notFound, "No home organization is set, so there are no allies to reckon from. Set it with `solidarity home REF`, for example `solidarity home ue`.")
            }
            let rule = try Disclosure(db: db)
            let rows = try Row.fetchAll(db, sql: """
                SELECT o.id, o.handle, o.name, r.kind, r.status,
                    (SELECT a.uid FROM activities a JOIN activity_organizations ao ON ao.activity_id = a.id
                     WHERE ao.organization_id = o.id AND a.status = 'done' AND a.last_day IS NOT NULL AND a.first_day <= ?2
                     ORDER BY a.last_day DESC, length(a."end") DESC LIMIT 1) AS last_uid
                FROM relationships r JOIN organizations o ON o.id = CASE WHEN r.from_id = ?1 THEN r.to_id ELSE r.from_id END
                WHERE (r.from_id = ?1 OR r.to_id = ?1) AND r.kind IN ('ally', 'partner') AND r.status <> 'ended'
                """, arguments: [home, today.end])
            var allies: [StaleAlly] = []
            var seen = Set<Int64>()
            for row in rows where seen.insert(row["id"]).inserted {
                let last = try (row["last_uid"] as String?).map { try Activities(db: db).find($0) }
                let lastDate = last.flatMap { $0.end ?? $0.start }
                let silent = lastDate?.monthsBefore(today)
                if let silent, silent < months { continue }
                allies.append(StaleAlly(organization: row["handle"], name: row["name"], relationship: "\(row["kind"] as String) (\(row["status"] as String))",
                                        lastContact: lastDate, lastActivity: last?.title, monthsSilent: silent,
                                        sensitive: !rule.shows(organizationID: row["id"]) || last.map { !rule.shows($0) } ?? false))
            }
            return allies.sorted { ($0.monthsSilent ?? .max, $1.organization) > ($1.monthsSilent ?? .max, $0.organization) }
        }
    }
}
