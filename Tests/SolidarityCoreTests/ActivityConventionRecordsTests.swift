import Foundation
import GRDB
import Testing
@testable import SolidarityCore

/// The GRDB records of the activity and convention tables: a row written through its record reads
/// back equal through it, and a stored word outside an enumeration is refused naming table and row.
@Suite("Activity and convention records")
struct ActivityConventionRecordsTests {
    /// Row ids of one record of each kind the Seeds hold, for the link tables.
    struct Seeded {
        let organization, person, employer, site, campaign, source, convention: Int64

        init(_ db: Database) throws {
            func first(_ table: String) throws -> Int64 {
                try #require(try Int64.fetchOne(db, sql: "SELECT min(id) FROM \(table)"))
            }
            organization = try first("organizations")
            person = try first("people")
            employer = try first("employers")
            site = try first("sites")
            campaign = try first("campaigns")
            source = try first("sources")
            convention = try first("conventions")
        }
    }

    func activity(in db: Database) throws -> ActivityRecord {
        var activity = ActivityRecord(Activity(kind: .delegation, title: "A delegation to Contagem", status: .planned, hosted: true,
                                               start: try PartialDate("2031-05"), notes: "to the plant"))
        activity.uid = "records-test-delegation"
        try activity.insert(db)
        return activity
    }

    @Test("every activity record reads back as it was written")
    func activityRoundTrips() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        try store.queue.write { db in
            let seeded = try Seeded(db)
            let activity = try activity(in: db)
            let id = try #require(activity.id)
            #expect(try ActivityRecord.fetchOne(db, key: id) == activity)
            #expect(activity.firstDay == "2031-05-01" && activity.lastDay == "2031-05-31")

            let stop = ActivityStopRecord(activityID: id, position: 0, country: "BR", city: "Contagem")
            try stop.insert(db)
            #expect(try ActivityStopRecord.filter(ActivityStopRecord.Columns.activityID == id).fetchAll(db) == [stop])

            let organization = ActivityOrganizationRecord(activityID: id, position: 0, organizationID: seeded.organization, role: .host)
            try organization.insert(db)
            #expect(try ActivityOrganizationRecord.filter(ActivityOrganizationRecord.Columns.activityID == id).fetchAll(db) == [organization])

            let person = ActivityPersonRecord(activityID: id, position: 0, personID: seeded.person, role: .interpreter)
            try person.insert(db)
            #expect(try ActivityPersonRecord.filter(ActivityPersonRecord.Columns.activityID == id).fetchAll(db) == [person])

            let employer = LinkRecord<ActivityEmployers>(owner: id, target: seeded.employer)
            try employer.insert(db)
            #expect(try LinkRecord<ActivityEmployers>.owned(by: id).fetchAll(db) == [employer])

            let site = LinkRecord<ActivitySites>(owner: id, target: seeded.site)
            try site.insert(db)
            #expect(try LinkRecord<ActivitySites>.owned(by: id).fetchAll(db) == [site])

            let campaign = LinkRecord<ActivityCampaigns>(owner: id, target: seeded.campaign)
            try campaign.insert(db)
            #expect(try LinkRecord<ActivityCampaigns>.owned(by: id).fetchAll(db) == [campaign])

            let source = LinkRecord<ActivitySources>(owner: id, target: seeded.source)
            try source.insert(db)
            #expect(try LinkRecord<ActivitySources>.owned(by: id).fetchAll(db) == [source])

            var followUp = FollowUpRecord(Activity.FollowUp(id: "records-test-follow-up", text: "Send the report", due: try PartialDate("2031-06")),
                                          activityID: id, position: 0)
            try followUp.insert(db)
            #expect(followUp.dueDay == "2031-06-30")
            #expect(try FollowUpRecord.fetchOne(db, key: followUp.id) == followUp)
        }
        // What the records wrote is an activity as the store reads it.
        let read = try store.activity("records-test-delegation")
        #expect(read.itinerary == [Activity.Stop(country: "BR", city: "Contagem")])
        #expect(read.organizations.map(\.role) == [.host] && read.people.map(\.role) == [.interpreter])
        #expect(read.followUps.map(\.text) == ["Send the report"])
    }

    @Test("every convention and resolution record reads back as it was written")
    func conventionRoundTrips() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        try store.queue.write { db in
            let seeded = try Seeded(db)
            var convention = ConventionRecord(Convention(handle: "records-test-convention", organization: "", name: "A records convention", number: 3,
                                                         start: try PartialDate("2030-08-20"), end: try PartialDate("2030-08-24"), city: "Pittsburgh",
                                                         country: "US"), organizationID: seeded.organization)
            try convention.insert(db)
            #expect(convention.firstDay == "2030-08-20" && convention.lastDay == "2030-08-24")
            #expect(try ConventionRecord.fetchOne(db, key: convention.id) == convention)

            var resolution = ResolutionRecord(Resolution(handle: "records-test-resolution", convention: "", title: "On records", status: .adopted,
                                                         preamble: "Whereas rows are records,"), conventionID: try #require(convention.id))
            try resolution.insert(db)
            let id = try #require(resolution.id)
            #expect(try ResolutionRecord.fetchOne(db, key: id) == resolution)

            let clause = ResolutionClauseRecord(resolutionID: id, position: 1, text: "Be it resolved.")
            try clause.insert(db)
            #expect(try ResolutionClauseRecord.filter(ResolutionClauseRecord.Columns.resolutionID == id).fetchAll(db) == [clause])

            let named = ResolutionOrganizationRecord(resolutionID: id, clause: 1, organizationID: seeded.organization, offset: 1_000_000, linked: true)
            try named.insert(db)
            #expect(try ResolutionOrganizationRecord.filter(ResolutionOrganizationRecord.Columns.resolutionID == id).fetchAll(db) == [named])

            let campaign = ResolutionCampaignRecord(resolutionID: id, clause: 1, campaignID: seeded.campaign, position: 0)
            try campaign.insert(db)
            #expect(try ResolutionCampaignRecord.filter(ResolutionCampaignRecord.Columns.resolutionID == id).fetchAll(db) == [campaign])

            let employer = LinkRecord<ResolutionEmployers>(owner: id, target: seeded.employer)
            try employer.insert(db)
            #expect(try LinkRecord<ResolutionEmployers>.owned(by: id).fetchAll(db) == [employer])

            let source = LinkRecord<ResolutionSources>(owner: id, target: seeded.source)
            try source.insert(db)
            #expect(try LinkRecord<ResolutionSources>.owned(by: id).fetchAll(db) == [source])
        }
        let read = try store.resolution("records-test-resolution")
        #expect(read.status == .adopted && read.clauses.map(\.text) == ["Be it resolved."])
    }

    /// One word written by hand into an enumerated column, and how the record reading it names the row.
    struct Tampering: Sendable, CustomStringConvertible {
        let table: String, column: String, value: String
        var description: String { "\(table).\(column)" }
    }

    static let tamperings: [Tampering] = [
        .init(table: "activities", column: "kind", value: "meetin"),
        .init(table: "activities", column: "status", value: "don"),
        .init(table: "activity_organizations", column: "role", value: "hots"),
        .init(table: "activity_people", column: "role", value: "contakt"),
        .init(table: "resolutions", column: "status", value: "adoptd"),
    ]

    @Test("a word outside the enumeration is refused by the record, naming the table and the row", arguments: tamperings)
    func tamperedWordIsRefused(_ tampering: Tampering) throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let (expected, read): (String, (Database) throws -> Void) = try store.queue.writeWithoutTransaction { db in
            let seeded = try Seeded(db)
            let id: Int64
            if tampering.table == "resolutions" {
                var resolution = ResolutionRecord(Resolution(handle: "records-test-resolution", convention: "", title: "On records"),
                                                  conventionID: seeded.convention)
                try resolution.insert(db)
                id = try #require(resolution.id)
            } else {
                id = try #require(try activity(in: db).id)
                try ActivityOrganizationRecord(activityID: id, position: 0, organizationID: seeded.organization, role: .sender).insert(db)
                try ActivityPersonRecord(activityID: id, position: 0, personID: seeded.person, role: .delegate).insert(db)
            }
            // The CHECK constraints would refuse the word: a newer schema, or a hand edit, may not.
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            defer { try? db.execute(sql: "PRAGMA ignore_check_constraints = OFF") }
            let key = tampering.table.hasPrefix("activity_") ? "activity_id" : "id"
            try db.execute(literal: "UPDATE \(identifier: tampering.table) SET \(identifier: tampering.column) = \(tampering.value) WHERE \(identifier: key) = \(id)")
            #expect(db.changesCount == 1)
            switch tampering.table {
            case "activities": return ("\(id)", { _ = try ActivityRecord.fetchOne($0, key: id) })
            case "activity_organizations":
                return ("(activity \(id), position 0)",
                        { _ = try ActivityOrganizationRecord.filter(ActivityOrganizationRecord.Columns.activityID == id).fetchAll($0) })
            case "activity_people":
                return ("(activity \(id), position 0)", { _ = try ActivityPersonRecord.filter(ActivityPersonRecord.Columns.activityID == id).fetchAll($0) })
            default: return ("\(id)", { _ = try ResolutionRecord.fetchOne($0, key: id) })
            }
        }
        #expect {
            try store.queue.read(read)
        } throws: { error in
            let error = error as? SolidarityError
            return error?.reason == .database && error?.message.hasPrefix(
                "\(tampering.table) row \(expected) has \(tampering.column) \"\(tampering.value)\", which this version does not know") == true
        }
    }
}
