import Foundation
import SolidarityCore

/// Sends what is due from the outbox: signs each delivery afresh, posts it, and records the
/// outcome (delivered; retried on the schedule; dead after the last try; 410 disables the endpoint).
public final class Notifier {
    /// Delays after a failed attempt, the immediate attempt being the first: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
    public static let schedule: [TimeInterval] = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600]

    /// What one pass delivered.
    public struct Pass: Sendable {
        public var delivered = 0
        public var retrying = 0
        public var dead = 0
        /// One line per failed attempt: endpoint URL and why.
        public var failures: [String] = []
        /// The URLs of the endpoints that answered 410 Gone: disabled, their delivery dead.
        public var disabled: [String] = []
        /// Whether the pass stopped at its time budget with deliveries still due.
        public var outOfTime = false
    }

    /// The least time left in a budget for which an attempt is still begun: a shorter one would
    /// only spend one of the delivery's tries on a timeout.
    public static let shortestAttempt: TimeInterval = 1

    private let store: Store
    private let queue: DeliveryQueue
    private let client: HTTPClient
    private let clock: @Sendable () -> Date
    private let jitter: @Sendable () -> Double

    /// `clock` and `jitter` (a factor in 0.9…1.1) are the tests' handles on time.
    public init(store: Store, client: HTTPClient = HTTPClient(), clock: @escaping @Sendable () -> Date = { Date() },
                jitter: @escaping @Sendable () -> Double = { Double.random(in: 0.9...1.1) }) {
        self.store = store
        self.queue = DeliveryQueue(store: store)
        self.client = client
        self.clock = clock
        self.jitter = jitter
    }

    /// Announces newly overdue follow-ups, then attempts every delivery due now.
    ///
    /// With a `budget` (the quick attempt after a command), the whole pass takes at most that
    /// many seconds, however many deliveries are due: each attempt's timeouts are cut to the time
    /// left, none begins with less than `shortestAttempt` left, and the rest wait, untouched, for
    /// the next pass (`Pass.outOfTime`).
    public func deliverDue(timeout: TimeInterval = 15, connectTimeout: TimeInterval = 5, budget: TimeInterval? = nil,
                           shouldStop: () -> Bool = { false }) throws -> Pass {
        let deadline = budget.map { Date().addingTimeInterval($0) }
        _ = try store.announceOverdueFollowUps(today: .today(clock()), now: clock())
        var pass = Pass()
        var gone: Set<Int64> = []
        var cursor: Int64 = 0
        passes: while !shouldStop() {
            let batch = try queue.due(now: clock(), after: cursor)
            guard let last = batch.last else { break }
            cursor = last.deliveryID
            for delivery in batch where !gone.contains(delivery.endpointID) {
                if shouldStop() { break }
                var timeouts = (total: timeout, connect: connectTimeout)
                if let deadline {
                    let left = deadline.timeIntervalSinceNow
                    guard left >= Self.shortestAttempt else {
                        pass.outOfTime = true
                        break passes
                    }
                    timeouts = (min(timeout, left), min(connectTimeout, left))
                }
                if try attempt(delivery, timeout: timeouts.total, connectTimeout: timeouts.connect, pass: &pass) == .gone { gone.insert(delivery.endpointID) }
            }
        }
        return pass
    }

    /// Attempts one queued delivery now, whatever else is due (`webhook test`): nothing when it is
    /// not pending or its endpoint is disabled.
    public func deliver(_ uid: String, timeout: TimeInterval = 15, connectTimeout: TimeInterval = 5) throws -> Pass {
        var pass = Pass()
        if let delivery = try queue.pending(uid) {
            _ = try attempt(delivery, timeout: timeout, connectTimeout: connectTimeout, pass: &pass)
        }
        return pass
    }

    /// What one attempt did to its endpoint.
    private enum Effect { case kept, gone }

    /// Signs `delivery` afresh, posts it and records the outcome in `pass`.
    private func attempt(_ delivery: DueDelivery, timeout: TimeInterval, connectTimeout: TimeInterval, pass: inout Pass) throws -> Effect {
        let now = clock()
        let timestamp = Int(now.timeIntervalSince1970)
        let outcome = client.post(url: delivery.url, headers: [
            "content-type": "application/json",
            "webhook-id": delivery.eventID,
            "webhook-timestamp": String(timestamp),
            "webhook-signature": try Signature.header(id: delivery.eventID, timestamp: timestamp, body: delivery.payload, secrets: delivery.secrets),
        ], body: delivery.payload, timeout: timeout, connectTimeout: connectTimeout)
        let after = clock()
        let number = delivery.attempts + 1
        if let status = outcome.status, (200..<300).contains(status) {
            try queue.recordAttempt(delivery, status: status, error: nil, delivered: true, retryAt: nil, disableEndpoint: false, now: after)
            pass.delivered += 1
            return .kept
        }
        let reason = outcome.error ?? "HTTP \(outcome.status ?? 0)"
        pass.failures.append("\(delivery.url): \(reason)")
        if outcome.status == 410 {
            try queue.recordAttempt(delivery, status: 410, error: "410 Gone: the endpoint was disabled", delivered: false, retryAt: nil,
                                    disableEndpoint: true, now: after)
            pass.dead += 1
            pass.disabled.append(delivery.url)
            return .gone
        }
        var retryAt: Date?
        if number <= Self.schedule.count {
            if let status = outcome.status, status == 429 || status == 503, let wait = outcome.retryAfter {
                retryAt = after.addingTimeInterval(wait)
            } else {
                retryAt = after.addingTimeInterval(Self.schedule[number - 1] * jitter())
            }
        }
        try queue.recordAttempt(delivery, status: outcome.status, error: reason, delivered: false, retryAt: retryAt, disableEndpoint: false, now: after)
        if retryAt == nil { pass.dead += 1 } else { pass.retrying += 1 }
        return .kept
    }
}
