import Foundation
import GRDB
import Testing
@testable import SolidarityCore
@testable import SolidarityNotify

/// The notifier's record types read back what they write, and a delivery's status outside the
/// enumeration is refused by the record with the table and row named (`DeliveryStatusTests`
/// shows the listing refusing it).
@Suite("Webhook endpoint and delivery records")
struct DeliveryRecordsTests {
    /// A new database in a temporary folder, removed by the caller.
    func emptyStore() throws -> (Store, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("notify-records-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return (try Store(path: folder.appendingPathComponent("db.sqlite").path, access: .create), folder)
    }

    /// An endpoint and an event to deliver to it, written by their records.
    func endpointAndEvent(_ db: Database) throws -> (endpoint: WebhookEndpointRecord, event: Int64) {
        var endpoint = WebhookEndpointRecord(uid: "records-endpoint", url: "https://example.org/hooks", description: "records",
                                             events: "site.created site.removed", secret: "whsec_AAAA", previousSecret: "whsec_BBBB",
                                             previousUntil: "2026-01-03T00:00:00Z", enabled: false, disabledReason: "paused",
                                             createdAt: "2026-01-02T03:04:05Z")
        try endpoint.insert(db)
        var event = OutboxEventRecord(uid: "msg_records", type: .siteCreated, payload: "{}", createdAt: "2026-01-02T03:04:05Z")
        try event.insert(db)
        return (endpoint, try #require(event.id))
    }

    @Test("an endpoint's and a delivery's records read back the rows they wrote")
    func roundTrip() throws {
        let (store, folder) = try emptyStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.write { db in
            let (endpoint, event) = try endpointAndEvent(db)
            #expect(try WebhookEndpointRecord.fetchOne(db, key: endpoint.id) == endpoint)
            var delivery = DeliveryRecord(uid: "records-delivery", eventID: event, endpointID: try #require(endpoint.id), status: .dead,
                                          attempts: 8, nextAttemptAt: 1_767_000_000.5, lastAttemptAt: "2026-01-02T04:00:00Z",
                                          lastStatus: 503, lastError: "HTTP 503", deliveredAt: nil)
            try delivery.insert(db)
            #expect(try DeliveryRecord.fetchOne(db, key: delivery.id) == delivery)
        }
        let shown = try WebhookEndpoints(store: store).endpoint("records-endpoint")
        #expect(shown.events == ["site.created", "site.removed"] && !shown.enabled && shown.disabledReason == "paused")
    }

    @Test("a delivery whose status is not a known word is refused by its record with the table, row and word")
    func unknownStatus() throws {
        let (store, folder) = try emptyStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let id = try store.write { db -> Int64 in
            let (endpoint, event) = try endpointAndEvent(db)
            // The schema's CHECK would refuse the word: a newer schema, or a hand edit, may not.
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            defer { try? db.execute(sql: "PRAGMA ignore_check_constraints = OFF") }
            try db.execute(sql: "INSERT INTO deliveries (uid, event_id, endpoint_id, status) VALUES ('records-tampered', ?, ?, 'retrying')",
                           arguments: [event, endpoint.id])
            return db.lastInsertedRowID
        }
        #expect {
            try store.read { db in try DeliveryRecord.fetchOne(db, key: id) }
        } throws: { error in
            let error = error as? SolidarityError
            return error?.reason == .database
                && error?.message.hasPrefix("deliveries row \(id) has status \"retrying\", which this version does not know") == true
        }
    }
}
