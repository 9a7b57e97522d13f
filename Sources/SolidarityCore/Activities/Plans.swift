import Foundation
import GRDB

/// What an activity's dates say about its status on a given day: the one rule that `delegation
/// log`, `activity log`, `import` and `import --csv` follow for a status, and that `stale` and
/// `followup list` follow to find plans whose dates have passed.
///
/// An activity has not started while its first possible day is after today. A month or a year
/// has started on its first day: on 2026-12-05 a trip of "2026-12" has started (it may fall later
/// in the month, but the month has come, and the log cannot tell), one of "2027" has not. So a
/// partial date is never taken for the future while part of it has come. An undated activity has
/// no dates to go by and is taken as done, as it always was.
public struct StatusRule: Sendable {
    /// The day the rule reckons from (today, unless a test says otherwise).
    public let today: PartialDate

    public init(today: PartialDate = .today()) {
        self.today = today
    }

    /// Whether the activity's first possible day is after today.
    public func hasNotStarted(_ activity: Activity) -> Bool {
        activity.firstDay.map { $0 > today.start } ?? false
    }

    /// The status of a new activity: the one stated, else planned when it has not started and done otherwise.
    public func status(stated: Activity.Status?, for activity: Activity) -> Activity.Status {
        stated ?? (hasNotStarted(activity) ? .planned : .done)
    }

    /// Why the activity cannot be done yet, when it is marked done but has not started: the log
    /// commands refuse it, the importers record it as the file states and warn.
    public func doneTooSoon(_ activity: Activity) -> String? {
        guard activity.status == .done, hasNotStarted(activity), let start = activity.start else { return nil }
        return "it starts \(start), after today (\(today)), so it cannot have happened yet"
    }

    /// A decoder of interchange records in which an activity that states no status takes the one
    /// its dates give (`status(stated:for:)`), as in a spreadsheet without a status column.
    func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.userInfo[Self.userInfoKey] = self
        return decoder
    }

    static let userInfoKey = CodingUserInfoKey(rawValue: "solidarity.statusRule")!

    /// Whether it is still marked planned though its last day has passed.
    public func isPastPlan(_ activity: Activity) -> Bool {
        activity.status == .planned && (activity.lastDay.map { $0 < today.start } ?? false)
    }
}

/// An activity still marked planned though its dates have passed: someone should say whether it
/// happened (done) or not (cancelled). `stale` and `followup list` list them.
public struct PastPlan: Encodable, Sendable {
    public let id: String
    public let kind: Activity.Kind
    public let title: String
    public let start: PartialDate
    public let end: PartialDate?
    /// The activity is marked sensitive (shown, marked, in the user's own terminal views).
    public let sensitive: Bool

    /// "planned for 2025-11, now past: mark it done or cancelled".
    public var advice: String {
        "planned for \(start)\(end.map { " to \($0)" } ?? ""), now past: mark it done or cancelled"
    }
}

extension Activity {
    /// Makes its follow-ups follow a change of status from `previous`, whoever changes it (an edit,
    /// an import with --update): cancelling the activity closes its open follow-ups as cancelled on
    /// `day` (kept, not removed); taking it out of cancelled reopens the follow-ups that cancelling
    /// closed. Returns the follow-ups closed and reopened.
    mutating func followStatus(from previous: Status, on day: PartialDate) -> (closed: [FollowUp], reopened: [FollowUp]) {
        var closed: [FollowUp] = [], reopened: [FollowUp] = []
        if status == .cancelled, previous != .cancelled {
            for index in followUps.indices where followUps[index].isOpen {
                followUps[index].cancelled = day
                closed.append(followUps[index])
            }
        } else if status != .cancelled, previous == .cancelled {
            for index in followUps.indices where followUps[index].cancelled != nil {
                followUps[index].cancelled = nil
                reopened.append(followUps[index])
            }
        }
        return (closed, reopened)
    }
}

/// What `editActivity` did: the activity as it now is, and the follow-ups its change of status
/// closed or reopened.
public struct ActivityEdit: Sendable {
    public let activity: Activity
    /// The open follow-ups closed as cancelled because this edit cancelled the activity.
    public let cancelledFollowUps: [Activity.FollowUp]
    /// The follow-ups that cancelling had closed, open again because this edit took the activity out of cancelled.
    public let reopenedFollowUps: [Activity.FollowUp]
}

extension Store {
    /// Records a new activity with the status stated or, when none is, the one its dates give on
    /// `today` (`StatusRule`): planned when it has not started, done otherwise. An activity
    /// stated done that has not started is refused, changing nothing.
    /// A delegation of ours without a sender (hosted: without a host) is sent (hosted) by the home
    /// organization (`Activity.takingHomeAsDefault`), read in the same transaction as the write.
    public func log(_ activity: Activity, status stated: Activity.Status?, today: PartialDate = .today()) throws -> Activity {
        let rule = StatusRule(today: today)
        return try write { db in
            var activity = activity
            if let home = try Store.homeHandle(in: db) { activity.takeHomeAsDefault(home) }
            activity.status = rule.status(stated: stated, for: activity)
            if let reason = rule.doneTooSoon(activity) {
                throw SolidarityError.invalid("This \(activity.kind.rawValue) cannot be logged as done: \(reason). Log it as planned (the default for a date after today) and mark it done once it has happened.")
            }
            return try Store.record(activity, in: db)
        }
    }

    /// The activities still marked planned whose last day is before `today` (`StatusRule`), oldest first.
    public func pastPlans(today: PartialDate = .today()) throws -> [PastPlan] {
        let rule = StatusRule(today: today)
        return try read { db in
            try Activities(db: db).list(ActivityFilter(status: .planned)).filter(rule.isPastPlan).map { activity in
                PastPlan(id: activity.id, kind: activity.kind, title: activity.title, start: activity.start!, end: activity.end,
                         sensitive: activity.sensitive)
            }
        }
    }
}
