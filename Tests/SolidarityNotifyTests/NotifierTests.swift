import Foundation
import GRDB
import Testing
@testable import SolidarityCore
@testable import SolidarityNotify
import SolidarityTestSupport

/// A seeded database in a temporary folder with one endpoint for the receiver, whose secret it trusts.
func store(for receiver: Receiver, events: [String] = []) throws -> (store: Store, secret: String, folder: URL) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let store = try Store(path: folder.appendingPathComponent("db.sqlite").path, access: .create)
    _ = try store.seed(home: "ue")
    let (_, secret) = try WebhookEndpoints(store: store).add(url: receiver.url, events: events, description: "test receiver")
    try receiver.trust([secret])
    return (store, secret, folder)
}

func logTrip(_ store: Store, title: String = "Delegation to Korea", sensitive: Bool = false, people: [Activity.PersonPart] = []) throws -> Activity {
    try store.log(Activity(kind: .delegation, title: title, start: try PartialDate("2026-05"), organizations: [.init(organization: "kctu", role: .host)],
                           people: people, sensitive: sensitive))
}

@Suite("Webhook delivery to a real receiver on loopback", .serialized)
struct NotifierTests {
    @Test("a logged delegation is delivered once, signed so that standardwebhooks verifies it")
    func deliveredAndVerified() throws {
        let receiver = try Receiver()
        defer { receiver.stop() }
        let (store, _, folder) = try store(for: receiver, events: ["delegation.logged"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let trip = try logTrip(store)
        _ = try store.addOrganization(Organization(name: "Not Announced Here", country: "KR"))
        let pass = try Notifier(store: store).deliverDue()
        #expect(pass.delivered == 1 && pass.failures.isEmpty)
        let requests = try receiver.requests()
        #expect(requests.count == 1)
        let request = try #require(requests.first)
        #expect(request.type == "delegation.logged" && request.verified == [true])
        #expect(request.id?.hasPrefix("msg_") == true && request.expect == nil)
        #expect(request.userAgent?.hasPrefix("solidarity/") == true)
        #expect(request.body.contains("\"id\":\"\(trip.id)\"") && request.body.contains("\"timestamp\""))
        #expect(try Notifier(store: store).deliverDue().delivered == 0)
        #expect(try DeliveryQueue(store: store).deliveries().map(\.status) == [.delivered])
    }

    @Test("receiver down, then up: delivered by the next pass, exactly once, with the same webhook-id and a fresh signature")
    func downThenUp() throws {
        let probe = try Receiver()
        let port = probe.port
        let url = probe.url
        let (store, secret, folder) = try store(for: probe)
        defer { try? FileManager.default.removeItem(at: folder) }
        probe.stop()
        _ = try logTrip(store)
        let clock = TestClock()
        let notifier = Notifier(store: store, clock: { clock.now }, jitter: { 1 })
        let first = try notifier.deliverDue()
        #expect(first.retrying == 1 && first.failures.first?.contains(url) == true)
        let receiver = try Receiver(port: port)
        defer { receiver.stop() }
        try receiver.trust([secret])
        #expect(try notifier.deliverDue().delivered == 0, "not due before 5 seconds")
        clock.advance(5)
        #expect(try notifier.deliverDue().delivered == 1)
        clock.advance(3600)
        #expect(try notifier.deliverDue().delivered == 0)
        let requests = try receiver.requests()
        #expect(requests.count == 1 && requests[0].verified == [true])
        #expect(try DeliveryQueue(store: store).deliveries()[0].attempts == 2)
    }

    @Test("a 500 is retried on the schedule and then delivered; after the last try it is dead and can be replayed")
    func retriesThenDead() throws {
        let receiver = try Receiver(plan: [.init(status: 500), .init(status: 200)])
        defer { receiver.stop() }
        let (store, _, folder) = try store(for: receiver)
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try logTrip(store)
        let clock = TestClock()
        let notifier = Notifier(store: store, clock: { clock.now }, jitter: { 1.1 })
        #expect(try notifier.deliverDue().retrying == 1)
        let failed = try DeliveryQueue(store: store).deliveries(failedOnly: true)
        #expect(failed.count == 1 && failed[0].lastStatus == 500)
        let due = try #require(failed[0].nextAttemptAt)
        #expect(abs(due - clock.now.timeIntervalSince1970 - 5.5) < 1, "5 s after the failure, with at most 10 % jitter")
        clock.advance(6)
        #expect(try notifier.deliverDue().delivered == 1)

        let dead = try Receiver(plan: [.init(status: 500)])
        defer { dead.stop() }
        let endpoint = try WebhookEndpoints(store: store).all()[0].id
        _ = try WebhookEndpoints(store: store).remove(endpoint)
        _ = try WebhookEndpoints(store: store).add(url: dead.url, events: [], description: nil)
        _ = try logTrip(store, title: "Second trip")
        var attempts = 0
        for delay in [0] + Notifier.schedule {
            clock.advance(delay * 1.1 + 1)
            let pass = try notifier.deliverDue()
            attempts += pass.retrying + pass.dead
        }
        #expect(attempts == 8)
        #expect(try DeliveryQueue(store: store).deliveries(failedOnly: true).first?.status == .dead)
        #expect(try DeliveryQueue(store: store).replay(id: nil, failedSince: nil, now: clock.now) == 1)
        // A replay starts the schedule afresh: pending, no longer among the failed, and delivered by the next pass.
        #expect(try DeliveryQueue(store: store).deliveries().first?.status == .pending)
        #expect(try DeliveryQueue(store: store).deliveries(failedOnly: true).isEmpty)
    }

    @Test("a queue longer than one batch goes out in one pass, each delivery once")
    func longQueue() throws {
        let receiver = try Receiver()
        defer { receiver.stop() }
        let (store, _, folder) = try store(for: receiver)
        defer { try? FileManager.default.removeItem(at: folder) }
        for number in 1...250 { _ = try logTrip(store, title: "Trip \(number)") }
        #expect(try Notifier(store: store).deliverDue().delivered == 250)
        let requests = try receiver.requests()
        #expect(requests.count == 250 && Set(requests.compactMap(\.id)).count == 250)
    }

    @Test("a receiver slower than the timeout is a failure to retry, and the command does not hang")
    func slowReceiver() throws {
        let receiver = try Receiver(plan: [.init(status: 200, delay: 3)])
        defer { receiver.stop() }
        let (store, _, folder) = try store(for: receiver)
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try logTrip(store)
        let started = Date()
        let pass = try Notifier(store: store).deliverDue(timeout: 1, connectTimeout: 1)
        #expect(Date().timeIntervalSince(started) < 2.9)
        #expect(pass.retrying == 1 && pass.failures.first?.lowercased().contains("timeout") == true)
    }

    @Test("410 Gone disables the endpoint; 429 with Retry-After waits as asked")
    func goneAndTooMany() throws {
        let gone = try Receiver(plan: [.init(status: 410)])
        defer { gone.stop() }
        let (store, _, folder) = try store(for: gone)
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try logTrip(store)
        #expect(try Notifier(store: store).deliverDue().dead == 1)
        let endpoint = try WebhookEndpoints(store: store).all()[0]
        #expect(!endpoint.enabled && endpoint.disabledReason?.contains("410") == true)
        _ = try logTrip(store, title: "No delivery to a disabled endpoint")
        #expect(try DeliveryQueue(store: store).deliveries().count == 1)

        let busy = try Receiver(plan: [.init(status: 429, retryAfter: "120"), .init(status: 200)])
        defer { busy.stop() }
        _ = try WebhookEndpoints(store: store).add(url: busy.url, events: [], description: nil)
        _ = try logTrip(store, title: "Busy receiver")
        let clock = TestClock()
        let notifier = Notifier(store: store, clock: { clock.now }, jitter: { 1 })
        #expect(try notifier.deliverDue().retrying == 1)
        clock.advance(60)
        #expect(try notifier.deliverDue().delivered == 0)
        clock.advance(61)
        #expect(try notifier.deliverDue().delivered == 1)
    }

    @Test("during a rotation each delivery carries both signatures, and each secret verifies it")
    func rotation() throws {
        let receiver = try Receiver()
        defer { receiver.stop() }
        let (store, old, folder) = try store(for: receiver)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, new) = try WebhookEndpoints(store: store).rotateSecret(try WebhookEndpoints(store: store).all()[0].id)
        try receiver.trust([old, new])
        _ = try logTrip(store)
        #expect(try Notifier(store: store).deliverDue().delivered == 1)
        let request = try #require(try receiver.requests().first)
        #expect(request.verified == [true, true])
        #expect(request.signature?.split(separator: " ").count == 2)
        let later = Notifier(store: store, clock: { Date().addingTimeInterval(25 * 3600) })
        _ = try logTrip(store, title: "After the rotation")
        _ = try later.deliverDue(timeout: 5)
        #expect(try receiver.requests().last?.signature?.split(separator: " ").count == 1)
    }

    @Test("a sensitive delegation fires nothing, and a public one never names a sensitive person")
    func sensitive() throws {
        let receiver = try Receiver()
        defer { receiver.stop() }
        let (store, _, folder) = try store(for: receiver)
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try store.addPerson(Person(name: "Kim Hidden", sensitive: true))
        _ = try logTrip(store, title: "Secret trip", sensitive: true)
        _ = try logTrip(store, title: "Public trip", people: [.init(person: "kim-hidden", role: .contact), .init(person: "janet-gray", role: .delegate)])
        _ = try Notifier(store: store).deliverDue()
        let bodies = try receiver.requests().map(\.body)
        #expect(bodies.count == 1)
        #expect(bodies.allSatisfy { !$0.contains("Secret trip") && !$0.contains("kim-hidden") && !$0.contains("Kim Hidden") })
        #expect(bodies[0].contains("janet-gray"))
    }

    @Test("a huge response body is cut off and never kept; the delivery still counts")
    func hugeBody() throws {
        let receiver = try Receiver(plan: [.init(status: 200, bodyBytes: 5_000_000)])
        defer { receiver.stop() }
        let (store, _, folder) = try store(for: receiver)
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try logTrip(store)
        #expect(try Notifier(store: store).deliverDue().delivered == 1)
    }

    @Test("with no endpoint the notifier is inert: nothing is queued")
    func inert() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store(path: folder.appendingPathComponent("db.sqlite").path, access: .create)
        _ = try store.seed(home: "ue")
        _ = try logTrip(store)
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM outbox_events") } == 0)
    }

    @Test("bad endpoints and event types are refused")
    func badInput() throws {
        for url in ["ftp://example.org/x", "https://", "https://user:pass@example.org/hook", "example.org/hook"] {
            #expect(throws: SolidarityError.self, "\(url)") { try WebhookEndpoint.checkURL(url) }
        }
        #expect { try EventType.check("delegation.created") } throws: { ($0 as? SolidarityError)?.message.contains("delegation.logged") == true }
    }
}
