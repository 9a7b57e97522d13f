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
            try db.execute(sql: "INSERT INTO webhook_endpoints (uid, url, description, events, secret, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [uid, url, description, events.joined(separator: " "), secret, Store.timestamp(now)])
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
        try store.read { db in try Row.fetchAll(db, sql: "SELECT * FROM webhook_endpoints ORDER BY id").map(Self.endpoint) }
    }

    /// The endpoint an id or URL names.
    public func endpoint(_ ref: String) throws -> WebhookEndpoint {
        try store.read { db in try Self.endpoint(Self.row(ref, db: db)) }
    }

    /// The row of the one endpoint an id or URL names.
    static func row(_ ref: String, db: Database) throws -> Row {
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM webhook_endpoints WHERE uid = ? OR url = ?", arguments: [ref.lowercased(), ref])
        guard rows.count == 1 else {
            throw SolidarityError(rows.isEmpty ? .notFound : .ambiguous,
                                  "No single webhook endpoint matches \"\(TextRules.printable(ref))\": `solidarity webhook list` shows them with their ids.")
        }
        return rows[0]
    }

    private static func endpoint(_ row: Row) -> WebhookEndpoint {
        WebhookEndpoint(id: row["uid"], url: row["url"], description: row["description"],
                        events: (row["events"] as String).split(separator: " ").map(String.init), enabled: row["enabled"],
                        disabledReason: row["disabled_reason"], createdAt: row["created_at"])
    }

    /// Removes an endpoint with its pending deliveries.
    public func remove(_ ref: String) throws -> WebhookEndpoint {
        try store.write { db in
            let row = try Self.row(ref, db: db)
            try db.execute(sql: "DELETE FROM webhook_endpoints WHERE id = ?", arguments: [row["id"] as Int64])
            return Self.endpoint(row)
        }
    }

    /// Enables or disables an endpoint (a disabled one receives nothing and queues nothing).
    public func setEnabled(_ ref: String, _ enabled: Bool, reason: String? = nil) throws -> WebhookEndpoint {
        let uid = try store.write { db -> String in
            let row = try Self.row(ref, db: db)
            try db.execute(sql: "UPDATE webhook_endpoints SET enabled = ?, disabled_reason = ? WHERE id = ?",
                           arguments: [enabled, enabled ? nil : reason, row["id"] as Int64])
            return row["uid"]
        }
        return try endpoint(uid)
    }

    /// A new secret for an endpoint; the old one also signs for 24 hours, so receivers can switch.
    public func rotateSecret(_ ref: String, now: Date = Date()) throws -> (endpoint: WebhookEndpoint, secret: String) {
        let secret = Self.newSecret()
        let uid = try store.write { db -> String in
            let row = try Self.row(ref, db: db)
            try db.execute(sql: "UPDATE webhook_endpoints SET previous_secret = secret, previous_until = ?, secret = ? WHERE id = ?",
                           arguments: [Store.timestamp(now.addingTimeInterval(24 * 3600)), secret, row["id"] as Int64])
            return row["uid"]
        }
        return (try endpoint(uid), secret)
    }
}
