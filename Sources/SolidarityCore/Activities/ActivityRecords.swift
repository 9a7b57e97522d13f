import Foundation
import GRDB

// One GRDB record per table of activities: the rows as stored, snake_case columns through
// `Columns`. A kind, status or role outside its enumeration is an error naming the table and
// row (`RawRepresentable.stored(_:column:table:row:)`), never a default.

/// A row of `activities`: an activity without its parts; dates as stored text.
struct ActivityRecord: Codable, Equatable {
    var id: Int64?
    var uid: String
    var kind: Activity.Kind
    var title: String
    var status: Activity.Status
    var hosted: Bool
    var virtual: Bool
    var start: String?
    var end: String?
    /// The first and last day of the interval the dates denote, for period filters and ordering.
    var firstDay: String?
    var lastDay: String?
    var purpose: String?
    var outcomes: String?
    var notes: String?
    var sensitive: Bool

    enum Columns: String, CodingKey, ColumnExpression {
        case id, uid, kind, title, status, hosted, virtual, start, end, purpose, outcomes, notes, sensitive
        case firstDay = "first_day", lastDay = "last_day"
    }
    typealias CodingKeys = Columns

    /// The row of an activity; `id` is its row id (nil for a new one).
    init(_ activity: Activity, id: Int64? = nil) {
        self.id = id
        uid = activity.id
        kind = activity.kind
        title = activity.title
        status = activity.status
        hosted = activity.hosted
        virtual = activity.virtual
        start = activity.start?.description
        end = activity.end?.description
        firstDay = activity.firstDay
        lastDay = activity.lastDay
        purpose = activity.purpose
        outcomes = activity.outcomes
        notes = activity.notes
        sensitive = activity.sensitive
    }
}

extension ActivityRecord: FetchableRecord, RowIDRecord {
    static let databaseTableName = "activities"

    init(row: Row) throws {
        self = try Self.decoded(from: row)
    }
}

/// A row of `activity_stops`: one place of an activity's itinerary, in order.
struct ActivityStopRecord: Codable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "activity_stops"
    var activityID: Int64
    var position: Int
    var country: String
    var city: String?

    enum Columns: String, CodingKey, ColumnExpression {
        case activityID = "activity_id", position, country, city
    }
    typealias CodingKeys = Columns
}

/// A row of `activity_organizations`: an organization in a role, in the order shown.
struct ActivityOrganizationRecord: Codable, Equatable, PersistableRecord {
    static let databaseTableName = "activity_organizations"
    var activityID: Int64
    var position: Int
    var organizationID: Int64
    var role: Activity.OrganizationRole

    enum Columns: String, CodingKey, ColumnExpression {
        case activityID = "activity_id", position, organizationID = "organization_id", role
    }
    typealias CodingKeys = Columns
}

extension ActivityOrganizationRecord: FetchableRecord {
    init(row: Row) throws {
        self = try Self.decoded(from: row, name: Self.describe)
    }

    /// How an error names a row of a table keyed by activity and position: "(activity 3, position 0)".
    static func describe(activity: Int64, position: Int) -> String {
        "(activity \(activity), position \(position))"
    }

    /// How an error names `row` of such a table.
    static func describe(_ row: Row) -> String {
        describe(activity: row["activity_id"], position: row["position"])
    }
}

/// A row of `activity_people`: a person in a role, in the order shown.
struct ActivityPersonRecord: Codable, Equatable, PersistableRecord {
    static let databaseTableName = "activity_people"
    var activityID: Int64
    var position: Int
    var personID: Int64
    var role: Activity.PersonRole

    enum Columns: String, CodingKey, ColumnExpression {
        case activityID = "activity_id", position, personID = "person_id", role
    }
    typealias CodingKeys = Columns
}

extension ActivityPersonRecord: FetchableRecord {
    init(row: Row) throws {
        self = try Self.decoded(from: row, name: ActivityOrganizationRecord.describe)
    }
}

/// `activity_employers`: an employer an activity concerns.
enum ActivityEmployers: LinkTable { static let name = "activity_employers", owner = "activity_id", target = "employer_id" }

/// `activity_sites`: a site an activity names.
enum ActivitySites: LinkTable { static let name = "activity_sites", owner = "activity_id", target = "site_id" }

/// `activity_campaigns`: a campaign an activity is part of.
enum ActivityCampaigns: LinkTable { static let name = "activity_campaigns", owner = "activity_id", target = "campaign_id" }

/// `activity_sources`: a source an activity cites.
enum ActivitySources: LinkTable { static let name = "activity_sources", owner = "activity_id", target = "source_id" }

/// A row of `follow_ups`: something to do after an activity; dates as stored text.
struct FollowUpRecord: Codable, Equatable, FetchableRecord, RowIDRecord {
    static let databaseTableName = "follow_ups"
    var id: Int64?
    var uid: String
    var activityID: Int64
    var position: Int
    var text: String
    var due: String?
    /// The last day of the due date's interval: overdue once today is past it.
    var dueDay: String?
    var done: String?
    var cancelled: String?
    /// Its overdue date was announced (the `followup.overdue` event), once per follow-up and due date.
    var overdueAnnounced: Bool

    enum Columns: String, CodingKey, ColumnExpression {
        case id, uid, activityID = "activity_id", position, text, due, dueDay = "due_day", done, cancelled
        case overdueAnnounced = "overdue_announced"
    }
    typealias CodingKeys = Columns

    /// The row of an activity's follow-up at `position`, not yet announced.
    init(_ followUp: Activity.FollowUp, activityID: Int64, position: Int) {
        uid = followUp.id
        self.activityID = activityID
        self.position = position
        text = followUp.text
        due = followUp.due?.description
        dueDay = followUp.due?.end
        done = followUp.done?.description
        cancelled = followUp.cancelled?.description
        overdueAnnounced = false
    }
}
