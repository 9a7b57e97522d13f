import Foundation
import GRDB
import Testing
@testable import SolidarityCore

/// The record types of the employers' tables and of the outbox read back what they write, and an
/// event type outside the enumeration is an error naming the table and row (the other tables of
/// the area hold no enumerated word).
@Suite("Employer, site and outbox records")
struct EmployerRecordsTests {
    @Test("each employer and site table's record reads back the row it wrote")
    func roundTrip() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        try store.write { db in
            var parent = EmployerRecord(id: nil, handle: "records-parent", name: "Records Parent", nameKey: Naming.key("Records Parent"),
                                        country: "US", parentID: nil, website: "https://example.org", notes: "owns the plant")
            try parent.insert(db)
            let parentID = try #require(parent.id)
            var child = EmployerRecord(id: nil, handle: "records-child", name: "Records Child", nameKey: Naming.key("Records Child"),
                                       country: nil, parentID: parentID, website: nil, notes: nil)
            try child.insert(db)
            #expect(try EmployerRecord.fetchOne(db, key: parentID) == parent)
            #expect(try EmployerRecord.fetchOne(db, key: child.id) == child)

            let alias = EmployerAliasRecord(employerID: parentID, position: 0, alias: "RP", aliasKey: Naming.key("RP"))
            try alias.insert(db)
            #expect(try EmployerAliasRecord.filter(EmployerAliasRecord.Columns.employerID == parentID).fetchAll(db) == [alias])

            let sourceID = try Sources(db: db).cite("https://example.org/report")
            let employerSource = LinkRecord<EmployerSources>(owner: parentID, target: sourceID)
            try employerSource.insert(db)
            #expect(try LinkRecord<EmployerSources>.owned(by: parentID).fetchAll(db) == [employerSource])

            var site = SiteRecord(id: nil, uid: "records-plant", employerID: parentID, name: "Records plant", nameKey: Naming.key("Records plant"),
                                  country: "BR", region: "BR-MG", city: "Contagem", sector: "rail", notes: "the gap")
            try site.insert(db)
            let siteID = try #require(site.id)
            #expect(try SiteRecord.fetchOne(db, key: siteID) == site)

            let siteSource = LinkRecord<SiteSources>(owner: siteID, target: sourceID)
            try siteSource.insert(db)
            #expect(try LinkRecord<SiteSources>.owned(by: siteID).fetchAll(db) == [siteSource])

            try db.execute(sql: "INSERT INTO organizations (handle, name, name_key, kind, country) VALUES ('records-union', 'Records Union', 'records union', 'union', 'BR')")
            var representation = RepresentationRecord(id: nil, siteID: siteID, organizationID: db.lastInsertedRowID, since: "2015", until: nil)
            try representation.insert(db)
            #expect(try RepresentationRecord.fetchOne(db, key: representation.id) == representation)
        }
        // The domain values are built from the records.
        #expect(try store.employer("records-child").parent == "records-parent")
        let site = try store.site("records-plant")
        #expect(site.employer == "records-parent" && site.city == "Contagem" && site.unions.map(\.organization) == ["records-union"])
    }

    @Test("an outbox event's record reads back the row it wrote")
    func eventRoundTrip() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        try store.write { db in
            var event = OutboxEventRecord(uid: "msg_records", type: .siteCreated, payload: #"{"data":{}}"#, createdAt: "2026-01-02T03:04:05Z")
            try event.insert(db)
            #expect(try OutboxEventRecord.fetchOne(db, key: event.id) == event)
        }
    }

    @Test("an outbox event whose type is not a known word is refused with the table, row and word")
    func unknownEventType() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        let id = try store.write { db -> Int64 in
            try db.execute(sql: """
                INSERT INTO outbox_events (uid, type, payload, created_at) VALUES ('msg_tampered', 'site.exploded', '{}', '2026-01-02T03:04:05Z')
                """)
            return db.lastInsertedRowID
        }
        #expect {
            try store.read { db in try OutboxEventRecord.fetchOne(db, key: id) }
        } throws: { error in
            let error = error as? SolidarityError
            return error?.reason == .database
                && error?.message.hasPrefix("outbox_events row \(id) has type \"site.exploded\", which this version does not know") == true
        }
    }
}
