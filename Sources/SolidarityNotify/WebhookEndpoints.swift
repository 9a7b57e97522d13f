import Foundation
import GRDB
import SolidarityCore

/// The webhook endpoints of a database: registering, finding, enabling and removing them, and
/// rotating their secrets. Each change is one transaction.
public struct WebhookEndpoints {
    let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// Registers an endpoint; returns it with its new secret (`whsec_` and 32 random bytes in base64), shown once.
    public func add(url: String, events: [String], description: String?, now: Date = Date()) throws -> (endpoint: WebhookEndpoint, secret: String) {
        let url = try WebhookEndpoint.checkURL(url)
        let events = try (events.isEmpty ? ["*"] : events).map(EventType.check)
        let secret = Self.newSecret()
        let uid = RandomID.make()
        try store.write { db in
            var record = WebhookEndpointRecord(uid: uid, url: url, description: description, events: events.joined(separator: " "), secret: secret,
                                               enabled: true, createdAt: Store.timestamp(now))
            try record.insert(db)
        }
        return (try endpoint(uid), secret)
    }

    /// A new signing secret.
    static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return "whsec_" + Data(bytes).base64EncodedString()
    }

    /// Every endpoint, oldest first.
    public func all() throws -> [WebhookEndpoint] {
        try store.read { db in try WebhookEndpointRecord.order(WebhookEndpointRecord.Columns.id).fetchAll(db).map(WebhookEndpoint.init(record:)) }
    }

    /// The endpoint an id or URL names.
    public func endpoint(_ ref: String) throws -> WebhookEndpoint {
        try store.read { db in try WebhookEndpoint(record: Self.record(ref, db: db)) }
    }

    /// The record of the one endpoint an id or URL names.
    static func record(_ ref: String, db: Database) throws -> WebhookEndpointRecord {
        typealias Columns = WebhookEndpointRecord.Columns
        let rows = try WebhookEndpointRecord.filter(Columns.uid == ref.lowercased() || Columns.url == ref).fetchAll(db)
        guard rows.count == 1 else {
            throw SolidarityError(rows.isEmpty ? .notFound : .ambiguous,
                                  "No single webhook endpoint matches \"\(TextRules.printable(ref))\": `solidarity webhook list` shows them with their ids.")
        }
        return rows[0]
    }

    /// Removes an endpoint with its pending deliveries.
    public func remove(_ ref: String) throws -> WebhookEndpoint {
        try store.write { db in
            let record = try Self.record(ref, db: db)
            try record.delete(db)
            return WebhookEndpoint(record: record)
        }
    }

    /// Enables or disables an endpoint (a disabled one receives nothing and queues nothing).
    public func setEnabled(_ ref: String, _ enabled: Bool, reason: String? = nil) throws -> WebhookEndpoint {
        let uid = try store.write { db -> String in
            var record = try Self.record(ref, db: db)
            try record.updateChanges(db) {
                $0.enabled = enabled
                $0.disabledReason = enabled ? nil : reason
            }
            return record.uid
        }
        return try endpoint(uid)
    }

    /// A new secret for an endpoint; the old one also signs for 24 hours, so receivers can switch.
    public func rotateSecret(_ ref: String, now: Date = Date()) throws -> (endpoint: WebhookEndpoint, secret: String) {
        let secret = Self.newSecret()
        let uid = try store.write { db -> String in
            var record = try Self.record(ref, db: db)
            try record.updateChanges(db) {
                $0.previousSecret = $0.secret
                $0.previousUntil = Store.timestamp(now.addingTimeInterval(24 * 3600))
                $0.secret = secret
            }
            return record.uid
        }
        return (try endpoint(uid), secret)
    }
}
