import Foundation
import Testing
@testable import SolidarityCore
@testable import SolidarityNotify
import SolidarityTestSupport

/// The attempt right after a command is quick whatever is queued, and `webhook test` sends only its own event.
@Suite("Webhook delivery: the quick attempt and the test event", .serialized)
struct QuickAttemptTests {
    @Test("with 29 deliveries due to a receiver that never answers, a pass with a budget attempts one and leaves 28 untouched")
    func budget() throws {
        let receiver = try Receiver(plan: [.init(status: 200, delay: 3600)])
        defer { receiver.stop() }
        let (store, _, folder) = try store(for: receiver)
        defer { try? FileManager.default.removeItem(at: folder) }
        for n in 1...29 { _ = try logTrip(store, title: "Delegation \(n)") }
        #expect(try DeliveryQueue(store: store).due().count == 29)
        // The budget is the whole pass's: the one attempt it begins gets only the time left (not
        // the 5-second timeout per delivery that made 29 queued deliveries take 145 seconds). Two
        // seconds beyond the shortest attempt leave room for a loaded machine before the attempt.
        let pass = try Notifier(store: store).deliverDue(timeout: 5, connectTimeout: 2, budget: Notifier.shortestAttempt + 2)
        #expect(pass.outOfTime && pass.failures.count == 1 && pass.retrying == 1)
        let deliveries = try DeliveryQueue(store: store).deliveries()
        #expect(deliveries.filter { $0.attempts == 1 }.count == 1)
        #expect(deliveries.filter { $0.attempts == 0 && $0.status == .pending }.count == 28)
        #expect(try receiver.requests().count == 1)
    }

    @Test("a budget too short for an attempt attempts nothing: every delivery keeps all its tries")
    func noTimeLeft() throws {
        let receiver = try Receiver()
        defer { receiver.stop() }
        let (store, _, folder) = try store(for: receiver)
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try logTrip(store)
        let pass = try Notifier(store: store).deliverDue(budget: Notifier.shortestAttempt / 2)
        #expect(pass.outOfTime && pass.delivered == 0 && pass.failures.isEmpty)
        #expect(try DeliveryQueue(store: store).deliveries().map(\.attempts) == [0])
        #expect(try Notifier(store: store).deliverDue(budget: 5).delivered == 1, "a fast receiver gets everything within the budget")
    }

    @Test("sending one delivery (webhook test) sends only it; other due deliveries wait untouched")
    func onlyTheTest() throws {
        let receiver = try Receiver()
        defer { receiver.stop() }
        let (store, _, folder) = try store(for: receiver)
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try logTrip(store)
        let endpoint = try #require(try WebhookEndpoints(store: store).all().first)
        let test = try DeliveryQueue(store: store).queueTest(endpoint.id)
        let pass = try Notifier(store: store).deliver(test)
        #expect(pass.delivered == 1)
        #expect(try receiver.requests().map(\.type) == ["webhook.test"])
        let waiting = try #require(try DeliveryQueue(store: store).deliveries().first { $0.type == "delegation.logged" })
        #expect(waiting.status == .pending && waiting.attempts == 0)
    }
}
