import Foundation
import GRDB

/// A follow-up (open, done or cancelled) with the activity it belongs to, for `followup list`.
public struct FollowUpItem: Encodable, Sendable {
    public let id: String
    public let text: String
    @Nullable public internal(set) var due: PartialDate?
    @Nullable public internal(set) var done: PartialDate?
    /// When it was closed because its activity was cancelled.
    @Nullable public internal(set) var cancelled: PartialDate?
    public let overdue: Bool
    public let activity: String
    public let activityTitle: String
    /// Its activity is marked sensitive: the row names an activity the rule of `Disclosure` withholds.
    public let sensitive: Bool

    enum CodingKeys: String, CodingKey { case id, text, due, done, cancelled, overdue, activity, activityTitle = "activity_title", sensitive }
}

/// An ally of the home organization and how long since our last contact with it (the rule of `LastContact`).
public struct StaleAlly: Encodable, Sendable {
    public let organization: String
    public let name: String
    public let relationship: String
    @Nullable public internal(set) var lastContact: PartialDate?
    /// The units, or the person, through which the last contact was made ("CCMM-CSN"); nil when both took part themselves.
    @Nullable public internal(set) var lastContactVia: String?
    @Nullable public internal(set) var lastActivity: String?
    /// Whole months since the last contact; nil when never contacted.
    @Nullable public internal(set) var monthsSilent: Int?
    /// The row names a record the rule of `Disclosure` withholds: the ally itself (sensitive, or
    /// part of a sensitive organization), or its last activity, marked sensitive.
    public let sensitive: Bool

    enum CodingKeys: String, CodingKey {
        case organization, name, relationship, sensitive
        case lastContact = "last_contact", lastContactVia = "last_contact_via", lastActivity = "last_activity", monthsSilent = "months_silent"
    }
}

extension Store {
    // MARK: Activities

    /// Records an activity as given (no default status or sender: `log(_:status:today:)` applies
    /// those); returns it with ids given.
    public func log(_ activity: Activity) throws -> Activity {
        try write { try Store.record(activity, in: $0) }
    }

    /// Inserts a new activity and records the event, in the caller's transaction.
    static func record(_ activity: Activity, in db: Database) throws -> Activity {
        let logged = try Activities(db: db).insert(activity)
        try Outbox(db: db).record(logged.kind == .delegation ? .delegationLogged : .activityLogged, about: logged)
        return logged
    }

    /// Changes an activity; `change` edits a copy of the current record. Cancelling it closes its
    /// open follow-ups as cancelled on `today` (kept, and listed by `followUps(includeDone:)`);
    /// marking done one that has not started on `today` is refused (`StatusRule`).
    /// With `kind`, an activity of another kind is refused (`Activity.require(kind:)`), checked in the write's transaction.
    @discardableResult
    public func editActivity(_ id: String, kind expected: Activity.Kind? = nil, today: PartialDate = .today(),
                             _ change: (inout Activity) throws -> Void) throws -> ActivityEdit {
        try write { db in
            let (before, after) = try Activities(db: db).update(id, today: today) { activity in
                let previous = activity
                try activity.require(kind: expected)
                try change(&activity)
                // Done for a trip that has not started is refused, as when it is logged; a done
                // activity edited in other ways (its notes) is left alone.
                if let reason = StatusRule(today: today).doneTooSoon(activity) {
                    if previous.status != .done {
                        throw SolidarityError.invalid("This \(activity.kind.rawValue) cannot be marked done: \(reason). Leave it planned and mark it done once it has happened.")
                    }
                    if previous.start != activity.start {
                        throw SolidarityError.invalid("This \(activity.kind.rawValue) is marked done, and \(reason). If it has been moved to a later date, make it planned again with the new date.")
                    }
                }
            }
            // What the change of status did to the follow-ups (`Activities.update` made them follow it).
            let wasOpen = Set(before.followUps.filter(\.isOpen).map(\.id))
            let wasCancelled = Set(before.followUps.filter { $0.cancelled != nil }.map(\.id))
            let closed = after.followUps.filter { $0.cancelled != nil && wasOpen.contains($0.id) }
            let reopened = after.followUps.filter { $0.cancelled == nil && wasCancelled.contains($0.id) }
            let type: EventType = after.kind != .delegation ? .activityUpdated
                : after.status == .cancelled && before.status != .cancelled ? .delegationCancelled : .delegationUpdated
            try Outbox(db: db).record(type, about: after)
            return ActivityEdit(activity: after, cancelledFollowUps: closed, reopenedFollowUps: reopened)
        }
    }

    /// Removes an activity with its follow-ups. With `kind`, one of another kind is refused
    /// (`Activity.require(kind:)`); with `confirmed`, the activity as it was shown when the removal was
    /// confirmed, one changed since is refused: both are checked in the removal's transaction.
    public func removeActivity(_ id: String, kind expected: Activity.Kind? = nil, confirmed: Activity? = nil) throws -> Activity {
        try write { db in
            let activities = Activities(db: db)
            let current = try activities.find(id)
            try current.require(kind: expected)
            if let confirmed, confirmed != current {
                throw SolidarityError(.conflict, "The \(current.kind.rawValue) \(current.id) changed after the removal was confirmed; nothing was removed. Look at it again and confirm once more.")
            }
            return try activities.remove(id)
        }
    }

    /// The activity with this id, refused (`Activity.require(kind:)`) when it is not of `kind`.
    public func activity(_ id: String, kind expected: Activity.Kind) throws -> Activity {
        try read { db in
            let activity = try Activities(db: db).find(id)
            try activity.require(kind: expected)
            return activity
        }
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

    /// Open follow-ups (with `includeDone`, all: done and cancelled too), soonest due first, undated
    /// last; `overdueOnly` keeps the open ones past due on `today`.
    public func followUps(overdueOnly: Bool = false, includeDone: Bool = false, today: PartialDate = .today()) throws -> [FollowUpItem] {
        try read { db in
            var conditions: [SQLExpression] = []
            if !includeDone || overdueOnly { conditions.append(SQL("f.done IS NULL AND f.cancelled IS NULL").sqlExpression) }
            if overdueOnly { conditions.append(SQL("f.due_day < \(today.start)").sqlExpression) }
            let whereSQL: SQL = conditions.isEmpty ? "" : "WHERE \(conditions.joined(operator: .and))"
            return try Row.fetchAll(db, SQLRequest(literal: """
                SELECT f.uid, f.text, f.due, f.due_day, f.done, f.cancelled, a.uid AS activity, a.title, a.sensitive
                FROM follow_ups f JOIN activities a ON a.id = f.activity_id
                \(whereSQL) ORDER BY f.due_day IS NULL, f.due_day, f.uid
                """)).map { row in
                let done = try (row["done"] as String?).map(PartialDate.init)
                let cancelled = try (row["cancelled"] as String?).map(PartialDate.init)
                let dueDay: String? = row["due_day"]
                return FollowUpItem(id: row["uid"], text: row["text"], due: try (row["due"] as String?).map(PartialDate.init), done: done,
                                    cancelled: cancelled, overdue: done == nil && cancelled == nil && dueDay.map { $0 < today.start } == true,
                                    activity: row["activity"], activityTitle: row["title"], sensitive: row["sensitive"])
            }
        }
    }

    /// Marks a follow-up done on a date (today by default).
    public func completeFollowUp(_ id: String, on date: PartialDate = .today()) throws -> FollowUpItem {
        try write { db in
            guard var followUp = try FollowUpRecord.filter(FollowUpRecord.Columns.uid == id.lowercased()).fetchOne(db),
                  let activity = try ActivityRecord.fetchOne(db, key: followUp.activityID) else {
                throw SolidarityError(.notFound, "No follow-up has the id \"\(TextRules.printable(id))\". `solidarity followup list` shows the open ones with their ids.")
            }
            if let done = followUp.done {
                throw SolidarityError(.conflict, "Follow-up \(id) was already marked done on \(done); nothing changed.")
            }
            if let cancelled = followUp.cancelled {
                throw SolidarityError(.conflict, "Follow-up \(id) was cancelled with its activity on \(cancelled); nothing changed.")
            }
            try followUp.updateChanges(db) { $0.done = date.description }
            return FollowUpItem(id: followUp.uid, text: followUp.text, due: try followUp.due.map(PartialDate.init), done: date,
                                cancelled: nil, overdue: false, activity: activity.uid, activityTitle: activity.title, sensitive: activity.sensitive)
        }
    }

    // MARK: Timeline and staleness

    /// Everything that happened with an organization (activities in any role and relationship
    /// changes), a person (activities they took part in, titles held) or an employer (activities
    /// concerning it or a company it owns, representation at their sites), newest first, undated
    /// last. `ref` may name any of the three, or only `kind`.
    public func timeline(of ref: String, kind: TimelineKind? = nil) throws -> [TimelineEvent] {
        try read { db in
            let timeline = try Timeline(db: db)
            let (kind, record) = try References(db: db).record(ref, among: kind.map { [$0] } ?? TimelineKind.allCases)
            switch kind {
            case .organization: return try timeline.organization(record)
            case .person: return try timeline.person(record)
            case .employer: return try timeline.employer(record)
            }
        }
    }

    /// The home organization's allies (ally and partner links not ended) with no contact with us
    /// (the rule of `LastContact`) in `months` months, longest silence first, never-contacted ones first of all.
    public func staleAllies(months: Int = 12, today: PartialDate = .today()) throws -> [StaleAlly] {
        try read { db in
            guard let home = try Int64.fetchOne(db, sql: "SELECT organization_id FROM home") else {
                throw SolidarityError(.notFound, "No home organization is set, so there are no allies to reckon from. Set it with `solidarity home REF`, for example `solidarity home ue`.")
            }
            let rule = try Disclosure(db: db)
            let rows = try Row.fetchAll(db, sql: """
                SELECT o.id, o.handle, o.name, r.kind, r.status
                FROM relationships r JOIN organizations o ON o.id = CASE WHEN r.from_id = ?1 THEN r.to_id ELSE r.from_id END
                WHERE (r.from_id = ?1 OR r.to_id = ?1) AND r.kind IN ('ally', 'partner') AND r.status <> 'ended'
                """, arguments: [home])
            let contacts = try LastContacts(db: db, home: home, horizon: today, rule: rule, countsWithheld: true).of(Set(rows.map { $0["id"] as Int64 }))
            var allies: [StaleAlly] = []
            var seen = Set<Int64>()
            for row in rows where seen.insert(row["id"]).inserted {
                let last = contacts[row["id"]]
                let silent = last?.date?.monthsBefore(today)
                if let silent, silent < months { continue }
                allies.append(StaleAlly(organization: row["handle"], name: row["name"], relationship: "\(row["kind"] as String) (\(row["status"] as String))",
                                        lastContact: last?.date, lastContactVia: last?.viaText, lastActivity: last?.title, monthsSilent: silent,
                                        sensitive: !rule.shows(organizationID: row["id"]) || last?.sensitive == true))
            }
            return allies.sorted { ($0.monthsSilent ?? .max, $1.organization) > ($1.monthsSilent ?? .max, $0.organization) }
        }
    }
}
