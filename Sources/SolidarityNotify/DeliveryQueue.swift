import Foundation
import GRDB
import SolidarityCore

/// The deliveries of a database, the notifier's state machine: pending until delivered, retried
/// on the schedule, dead after the last try, queued again by a replay. Core's `Outbox` writes
/// each new delivery in the transaction of the change; everything after that is here.
public struct DeliveryQueue {
    let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// Deliveries, newest first; `failed` keeps those dead or with a failed last attempt.
    public func deliveries(failedOnly: Bool = false, endpoint: String? = nil) throws -> [Delivery] {
        try store.read { db in
            typealias Columns = DeliveryRecord.Columns
            var chosen = DeliveryRecord.select(Columns.id)
            if failedOnly { chosen = chosen.filter(Columns.status == "dead" || (Columns.status == "pending" && Columns.attempts > 0)) }
            if let endpoint {
                let id = try WebhookEndpoints.record(endpoint, db: db).id
                chosen = chosen.filter(Columns.endpointID == id)
            }
            return try Row.fetchAll(db, SQLRequest<Row>("""
                SELECT d.*, e.uid AS event, e.type, w.uid AS endpoint FROM deliveries d JOIN outbox_events e ON e.id = d.event_id
                JOIN webhook_endpoints w ON w.id = d.endpoint_id WHERE d.id IN (\(chosen))
                ORDER BY d.id DESC
                """)).map { row in
                Delivery(record: try DeliveryRecord(row: row), event: row["event"], type: row["type"], endpoint: row["endpoint"])
            }
        }
    }

    /// Deliveries due at `now` to enabled endpoints, oldest first, with the secrets that sign them.
    ///
    /// A batch of at most `limit`, after the delivery `after` (a row id), so that a pass can page
    /// through a long queue without meeting a delivery twice.
    public func due(now: Date = Date(), after: Int64 = 0, limit: Int = 100) throws -> [DueDelivery] {
        try pending(SQL("d.next_attempt_at <= \(now.timeIntervalSince1970) AND d.id > \(after) ORDER BY d.id LIMIT \(limit)"), now: now)
    }

    /// The pending delivery with this id to an enabled endpoint, due or not (`webhook test`
    /// sends its own delivery and nothing else); nil when there is none.
    public func pending(_ uid: String, now: Date = Date()) throws -> DueDelivery? {
        try pending(SQL("d.uid = \(uid.lowercased())"), now: now).first
    }

    /// Pending deliveries to enabled endpoints that also meet `condition` (and its ordering),
    /// with the secrets that sign them at `now`.
    private func pending(_ condition: SQL, now: Date) throws -> [DueDelivery] {
        try store.read { db in
            try Row.fetchAll(db, SQLRequest<Row>("""
                SELECT d.id, d.uid, d.attempts, d.endpoint_id, e.uid AS event, e.payload, w.url, w.secret, w.previous_secret, w.previous_until
                FROM deliveries d JOIN outbox_events e ON e.id = d.event_id JOIN webhook_endpoints w ON w.id = d.endpoint_id
                WHERE d.status = 'pending' AND w.enabled = 1 AND \(condition)
                """)).map { row in
                var secrets: [String] = [row["secret"]]
                if let previous: String = row["previous_secret"], let until: String = row["previous_until"], until > Store.timestamp(now) {
                    secrets.append(previous)
                }
                return DueDelivery(deliveryID: row["id"], uid: row["uid"], eventID: row["event"], payload: row["payload"],
                                   endpointID: row["endpoint_id"], url: row["url"], secrets: secrets, attempts: row["attempts"])
            }
        }
    }

    /// Records an attempt's outcome: delivered, retried at `retryAt`, dead (retryAt nil), and
    /// disables the endpoint when asked (410 Gone).
    public func recordAttempt(_ delivery: DueDelivery, status: Int?, error: String?, delivered: Bool, retryAt: Date?,
                              disableEndpoint: Bool, now: Date = Date()) throws {
        try store.write { db in
            guard var record = try DeliveryRecord.fetchOne(db, key: delivery.deliveryID) else { return }
            try record.updateChanges(db) {
                $0.attempts += 1
                $0.status = delivered ? .delivered : retryAt == nil ? .dead : .pending
                $0.nextAttemptAt = retryAt?.timeIntervalSince1970
                $0.lastAttemptAt = Store.timestamp(now)
                $0.lastStatus = status
                $0.lastError = error
                if delivered { $0.deliveredAt = Store.timestamp(now) }
            }
            if disableEndpoint, var endpoint = try WebhookEndpointRecord.fetchOne(db, key: record.endpointID) {
                try endpoint.updateChanges(db) {
                    $0.enabled = false
                    $0.disabledReason = "the receiver answered 410 Gone on \(Store.timestamp(now))"
                }
            }
        }
    }

    /// Queues deliveries again: one by id, or every failed one since a date.
    public func replay(id: String?, failedSince: PartialDate?, now: Date = Date()) throws -> Int {
        try store.write { db in
            typealias Columns = DeliveryRecord.Columns
            let again = [Columns.status.set(to: Delivery.Status.pending.rawValue), Columns.nextAttemptAt.set(to: now.timeIntervalSince1970),
                         Columns.attempts.set(to: 0)]
            if let id {
                let one = DeliveryRecord.filter(Columns.uid == id.lowercased())
                guard try !one.isEmpty(db) else {
                    throw SolidarityError(.notFound, "No delivery has the id \"\(TextRules.printable(id))\": `solidarity webhook deliveries` shows them with their ids.")
                }
                return try one.updateAll(db, again)
            }
            return try DeliveryRecord
                .filter(Columns.status == "dead" || (Columns.status == "pending" && Columns.attempts > 0))
                .filter((Columns.lastAttemptAt ?? "") >= (failedSince?.start ?? ""))
                .updateAll(db, again)
        }
    }

    /// What `webhook.test` says.
    struct TestMessage: Encodable {
        /// The id of the endpoint tested.
        let endpoint: String
        let message: String
    }

    /// Queues a `webhook.test` event for one endpoint only; returns its delivery's id.
    public func queueTest(_ ref: String, now: Date = Date()) throws -> String {
        try store.write { db in
            let endpoint = try WebhookEndpoints.record(ref, db: db)
            // A disabled endpoint is sent nothing, a test neither: say so rather than queue one that would wait.
            guard endpoint.enabled else {
                let reason = endpoint.disabledReason
                throw SolidarityError(.conflict, "Endpoint \(endpoint.uid) is disabled\(reason.map { " (\($0))" } ?? ""), so nothing is sent to it: `solidarity webhook enable \(endpoint.uid)` first, then test it again.")
            }
            return try Outbox(db: db).record(.webhookTest, TestMessage(endpoint: endpoint.uid, message: "This is a test from solidarity."),
                                             forEndpoint: endpoint.id!, now: now)
        }
    }

    /// How many deliveries are waiting (for the one-line note after a command).
    public func pendingCount() throws -> Int {
        try store.read { try DeliveryRecord.filter(DeliveryRecord.Columns.status == Delivery.Status.pending.rawValue).fetchCount($0) }
    }
}
