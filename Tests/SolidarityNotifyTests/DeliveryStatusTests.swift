import Foundation
import GRDB
import Testing
@testable import SolidarityCore
@testable import SolidarityNotify
import SolidarityTestSupport

/// A delivery's stored status outside the enumeration is an error naming the table and row, as
/// every stored word is in Core (`StoredValueTests`), never read as "pending".
@Suite("Deliveries' stored status")
struct DeliveryStatusTests {
    @Test("a delivery whose status is not a known word fails the listing with the table, row and word")
    func unknownStatus() throws {
        let receiver = try Receiver()
        defer { receiver.stop() }
        let (store, _, folder) = try store(for: receiver)
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try logTrip(store)
        #expect(try DeliveryQueue(store: store).deliveries().count == 1)
        let queue = try DatabaseQueue(path: folder.appendingPathComponent("db.sqlite").path)
        let id = try queue.writeWithoutTransaction { db -> Int64 in
            // The schema's CHECK would refuse the word: a newer schema, or a hand edit, may not.
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            try db.execute(sql: "UPDATE deliveries SET status = 'pendng'")
            return try Int64.fetchOne(db, sql: "SELECT id FROM deliveries")!
        }
        try queue.close()
        #expect {
            try DeliveryQueue(store: store).deliveries()
        } throws: { error in
            let error = error as? SolidarityError
            return error?.reason == .database && error?.message.hasPrefix("deliveries row \(id) has status \"pendng\", which this version does not know") == true
        }
    }
}
