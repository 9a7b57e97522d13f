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
            var conditions: [SQL] = []
            if failedOnly { conditions.append("(d.status = 'dead' OR (d.status = 'pending' AND d.attempts > 0))") }
            if let endpoint {
                let id: Int64 = try WebhookEndpoints.row(endpoint, db: db)["id"]
                conditions.append("d.endpoint_id = \(id)")
            }
            let filter: SQL = conditions.isEmpty ? "" : "WHERE \(conditions.joined(separator: " AND "))"
            return try Row.fetchAll(db, SQLRequest<Row>("""
                SELECT d.*, e.uid AS event, e.type, w.uid AS endpoint FROM deliveries d JOIN outbox_events e ON e.id = d.event_id
                JOIN webhook_endpoints w ON w.id = d.endpoint_id \(filter)
                ORDER BY d.id DESC
                """)).map { row in
                Delivery(id: row["uid"], event: row["event"], type: row["type"], endpoint: row["endpoint"],
                                status: try .stored(row["status"], column: "status", table: "deliveries", row: row["id"] as Int64), attempts: row["attempts"], nextAttemptAt: row["next_attempt_at"],
                                lastAttemptAt: row["last_attempt_at"], lastStatus: row["last_status"], lastError: row["last_error"], deliveredAt: row["delivered_at"])
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
            let state = delivered ? "delivered" : retryAt == nil ? "dead" : "pending"
            try db.execute(sql: """
                UPDATE deliveries SET attempts = attempts + 1, status = ?, next_attempt_at = ?, last_attempt_at = ?, last_status = ?,
                    last_error = ?, delivered_at = CASE WHEN ? THEN ? ELSE delivered_at END
                WHERE id = ?
                """, arguments: [state, retryAt?.timeIntervalSince1970, Store.timestamp(now), status, error, delivered, Store.timestamp(now), delivery.deliveryID])
            if disableEndpoint {
                try db.execute(sql: """
                    UPDATE webhook_endpoints SET enabled = 0, disabled_reason = ? WHERE id = (SELECT endpoint_id FROM deliveries WHERE id = ?)
                    """, arguments: ["the receiver answered 410 Gone on \(Store.timestamp(now))", delivery.deliveryID])
            }
        }
    }

    /// Queues deliveries again: one by id, or every failed one since a date.
    public func replay(id: String?, failedSince: PartialDate?, now: Date = Date()) throws -> Int {
        try store.write { db in
            if let id {
                guard try Int.fetchOne(db, sql: "SELECT 1 FROM deliveries WHERE uid = ?", arguments: [id.lowercased()]) != nil else {
                    throw SolidarityError(.notFound, "No delivery has the id \"\(TextRules.printable(id))\": `solidarity webhook deliveries` shows them with their ids.")
                }
                try db.execute(sql: "UPDATE deliveries SET status = 'pending', next_attempt_at = ?, attempts = 0 WHERE uid = ?",
                               arguments: [now.timeIntervalSince1970, id.lowercased()])
                return db.changesCount
            }
            try db.execute(sql: """
                UPDATE deliveries SET status = 'pending', next_attempt_at = ?, attempts = 0
                WHERE (status = 'dead' OR (status = 'pending' AND attempts > 0)) AND coalesce(last_attempt_at, '') >= ?
                """, arguments: [now.timeIntervalSince1970, failedSince?.start ?? ""])
            return db.changesCount
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
            let row = try WebhookEndpoints.row(ref, db: db)
            // A disabled endpoint is sent nothing, a test neither: say so rather than queue one that would wait.
            guard row["enabled"] as Bool else {
                let reason: String? = row["disabled_reason"]
                throw SolidarityError(.conflict, "Endpoint \(row["uid"] as String) is disabled\(reason.map { " (\($0))" } ?? ""), so nothing is sent to it: `solidarity webhook enable \(row["uid"] as String)` first, then test it again.")
            }
            return try Outbox(db: db).record(.webhookTest, TestMessage(endpoint: row["uid"], message: "This is a test from solidarity."),
                                             forEndpoint: row["id"], now: now)
        }
    }

    /// How many deliveries are waiting (for the one-line note after a command).
    public func pendingCount() throws -> Int {
        try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM deliveries WHERE status = 'pending'") ?? 0 }
    }
}
