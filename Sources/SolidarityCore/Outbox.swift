import Foundation
import GRDB

/// The events the notifier announces.
public enum EventType: String, CaseIterable, Sendable {
    case organizationCreated = "organization.created"
    case organizationUpdated = "organization.updated"
    case organizationRemoved = "organization.removed"
    case personCreated = "person.created"
    case personUpdated = "person.updated"
    case relationshipChanged = "relationship.changed"
    case siteCreated = "site.created"
    case siteUpdated = "site.updated"
    case siteRemoved = "site.removed"
    case representationChanged = "representation.changed"
    case delegationLogged = "delegation.logged"
    case delegationUpdated = "delegation.updated"
    case delegationCancelled = "delegation.cancelled"
    case activityLogged = "activity.logged"
    case activityUpdated = "activity.updated"
    case followupOverdue = "followup.overdue"
    case resolutionAdded = "resolution.added"
    case resolutionAdopted = "resolution.adopted"
    case importCompleted = "import.completed"
    case webhookTest = "webhook.test"

    /// Checks an event type given by the user ("*" is every type).
    public static func check(_ text: String) throws -> String {
        guard text == "*" || EventType(rawValue: text) != nil else {
            throw SolidarityError.invalid("\"\(TextRules.printable(text))\" is not an event type. The types are: \(allCases.map(\.rawValue).joined(separator: ", ")), or * for all.")
        }
        return text
    }
}

/// A webhook endpoint as listings show it: never its secret.
public struct WebhookEndpoint: Codable, Equatable, Sendable {
    public let id: String
    public let url: String
    public let description: String?
    public let events: [String]
    public let enabled: Bool
    public let disabledReason: String?
    public let createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, url, description, events, enabled
        case disabledReason = "disabled_reason", createdAt = "created_at"
    }

    /// Whether the endpoint receives events of this type.
    public func subscribes(to type: String) -> Bool { events.contains("*") || events.contains(type) }

    /// Checks a URL as libcurl will use it, so that no endpoint is stored only to fail every
    /// delivery: http or https (the scheme in lowercase, as stored), a host, a port from 1 to
    /// 65535, no white space or control character, no user name or password in it.
    public static func checkURL(_ text: String) throws -> String {
        let shown = TextRules.printable(text)
        if let (index, scalar) = text.unicodeScalars.enumerated().first(where: { $0.element.properties.isWhitespace || $0.element.value < 0x20 || (0x7F...0x9F).contains($0.element.value) }) {
            throw SolidarityError.invalid("\"\(shown)\" holds \(TextRules.describe(scalar)) at character \(index + 1): a URL has no spaces, line breaks or control characters (write a space as %20).")
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw SolidarityError.invalid("\"\(shown)\" is not an http or https URL: webhooks are delivered over HTTP(S), for example https://example.org/hooks/solidarity.")
        }
        guard let host = components.host, !host.isEmpty else {
            throw SolidarityError.invalid("\"\(shown)\" has no host: write it as https://HOST/PATH.")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw SolidarityError.invalid("\"\(shown)\" names port \(port): a port is a number from 1 to 65535 (or leave it out: 443 for https, 80 for http).")
        }
        if components.user != nil || components.password != nil {
            throw SolidarityError.invalid("\"\(shown)\" carries a user name or password: leave credentials out of the URL; the receiver verifies the webhook-signature header instead.")
        }
        return scheme + text.dropFirst(scheme.count)
    }
}

/// One delivery of an event to an endpoint, as `webhook deliveries` shows it.
public struct Delivery: Codable, Equatable, Sendable {
    public enum Status: String, Codable, Sendable { case pending, delivered, dead }
    public let id: String
    public let event: String
    public let type: String
    public let endpoint: String
    public let status: Status
    public let attempts: Int
    public let nextAttemptAt: Double?
    public let lastAttemptAt: String?
    public let lastStatus: Int?
    public let lastError: String?
    public let deliveredAt: String?

    enum CodingKeys: String, CodingKey {
        case id, event, type, endpoint, status, attempts
        case nextAttemptAt = "next_attempt_at", lastAttemptAt = "last_attempt_at", lastStatus = "last_status"
        case lastError = "last_error", deliveredAt = "delivered_at"
    }
}

/// A delivery due now, with what signing and sending it need.
public struct DueDelivery: Sendable {
    public let deliveryID: Int64
    public let uid: String
    public let eventID: String
    public let payload: String
    public let endpointID: Int64
    public let url: String
    public let secrets: [String]
    public let attempts: Int
}

/// Writes events in the transaction of the change that causes them, one delivery per
/// subscribed enabled endpoint. With no endpoint, nothing is written: the notifier is inert.
public struct Outbox {
    let db: Database

    public init(db: Database) {
        self.db = db
    }

    /// Records an event of `type` with `data` (handles, ids and public fields only).
    public func record(_ type: EventType, _ data: [String: Any], now: Date = Date()) throws {
        try record(type, now: now) { data }
    }

    /// Records an event about a record, with the payload it gives under the rule of `Disclosure`;
    /// nothing when the record is withheld (sensitive, or part of or referring to a sensitive one).
    func record(_ type: EventType, about subject: some Announceable, now: Date = Date()) throws {
        try record(type, now: now) { try subject.payload(Disclosure(db: db), in: db) }
    }

    /// Writes the event and its deliveries; `payload` is asked only when an endpoint subscribes.
    private func record(_ type: EventType, now: Date, payload: () throws -> [String: Any]?) throws {
        let endpoints = try Row.fetchAll(db, sql: "SELECT id, events FROM webhook_endpoints WHERE enabled = 1")
            .filter { row in
                let events = (row["events"] as String).split(separator: " ").map(String.init)
                return events.contains("*") || events.contains(type.rawValue)
            }
        guard !endpoints.isEmpty, let data = try payload() else { return }
        let uid = "msg_" + RandomID.make() + RandomID.make()
        let timestamp = Store.timestamp(now)
        let body: [String: Any] = ["type": type.rawValue, "timestamp": timestamp, "data": data]
        let payload = String(decoding: try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
        try db.execute(sql: "INSERT INTO outbox_events (uid, type, payload, created_at) VALUES (?, ?, ?, ?)",
                       arguments: [uid, type.rawValue, payload, timestamp])
        let event = db.lastInsertedRowID
        for endpoint in endpoints {
            try db.execute(sql: "INSERT INTO deliveries (uid, event_id, endpoint_id, status, next_attempt_at) VALUES (?, ?, ?, 'pending', ?)",
                           arguments: [RandomID.make(), event, endpoint["id"] as Int64, now.timeIntervalSince1970])
        }
    }

    /// A value for a JSON payload: null when absent.
    static func json(_ value: String?) -> Any { value ?? NSNull() }
}

/// A record that an event announces: its payload under the rule of `Disclosure`, or nil when
/// the record may not be announced.
protocol Announceable {
    func payload(_ view: Disclosure, in db: Database) throws -> [String: Any]?
}

extension Organization: Announceable {
    func payload(_ view: Disclosure, in db: Database) -> [String: Any]? {
        guard view.shows(self) else { return nil }
        return ["handle": handle, "name": name, "acronym": Outbox.json(acronym), "kind": kind.rawValue, "country": Outbox.json(country),
                "parent": Outbox.json(parent)]
    }
}

/// An organization that was removed: its handle and name, if it was public.
struct OrganizationRemoval: Announceable {
    let organization: Organization

    func payload(_ view: Disclosure, in db: Database) -> [String: Any]? {
        guard view.shows(organization) else { return nil }
        return ["handle": organization.handle, "name": organization.name]
    }
}

extension Person: Announceable {
    func payload(_ view: Disclosure, in db: Database) -> [String: Any]? {
        guard view.shows(person: handle), !sensitive else { return nil }
        return ["handle": handle, "name": name,
                "titles": titles.filter { view.shows(organization: $0.organization) }.map { ["organization": $0.organization, "title": $0.title] }]
    }
}

extension Activity: Announceable {
    func payload(_ view: Disclosure, in db: Database) -> [String: Any]? {
        guard view.shows(self) else { return nil }
        return ["id": id, "kind": kind.rawValue, "title": title, "status": status.rawValue, "hosted": hosted,
                "start": Outbox.json(start?.description), "end": Outbox.json(end?.description),
                "countries": itinerary.map(\.country), "sites": sites,
                "organizations": organizations.filter { view.shows(organization: $0.organization) }
                    .map { ["organization": $0.organization, "role": $0.role.rawValue] },
                "people": people.filter { view.shows(person: $0.person) }.map { ["person": $0.person, "role": $0.role.rawValue] }]
    }
}

extension Relationship: Announceable {
    func payload(_ view: Disclosure, in db: Database) -> [String: Any]? {
        guard view.shows(self) else { return nil }
        return ["from": from, "to": to, "kind": kind.rawValue, "status": status.rawValue,
                "since": Outbox.json(since?.description), "until": Outbox.json(until?.description)]
    }
}

extension Site: Announceable {
    func payload(_ view: Disclosure, in db: Database) -> [String: Any]? {
        ["id": id, "employer": employer, "name": name, "country": country, "city": Outbox.json(city),
         "unions": unions.filter { view.shows(organization: $0.organization) }.map {
             ["organization": $0.organization, "since": Outbox.json($0.since?.description), "until": Outbox.json($0.until?.description)] as [String: Any]
         }]
    }
}

/// A union's representation of a site's workers, recorded or ended: the site as `site.created`
/// shows it; nothing when the union is left out (the change itself would point to it).
struct RepresentationChange: Announceable {
    let site: Site
    let union: String

    func payload(_ view: Disclosure, in db: Database) -> [String: Any]? {
        guard view.shows(organization: union) else { return nil }
        return site.payload(view, in: db)
    }
}

extension Resolution: Announceable {
    func payload(_ view: Disclosure, in db: Database) throws -> [String: Any]? {
        // A convention of a left-out organization is left out with it, and its resolutions too.
        guard let organization = try String.fetchOne(db, sql: """
            SELECT o.handle FROM conventions c JOIN organizations o ON o.id = c.organization_id WHERE c.handle = ?
            """, arguments: [convention]), view.shows(organization: organization) else { return nil }
        return ["handle": handle, "convention": convention, "title": title, "status": status.rawValue,
                "organizations": namedOrganizations.filter(view.shows(organization:))]
    }
}

extension Store {
    // MARK: Endpoints

    /// Registers an endpoint; returns it with its new secret (`whsec_` and 32 random bytes in base64), shown once.
    public func addEndpoint(url: String, events: [String], description: String?, now: Date = Date()) throws -> (endpoint: WebhookEndpoint, secret: String) {
        let url = try WebhookEndpoint.checkURL(url)
        let events = try (events.isEmpty ? ["*"] : events).map(EventType.check)
        let secret = Self.newSecret()
        let uid = RandomID.make()
        try write { db in
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
    public func endpoints() throws -> [WebhookEndpoint] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM webhook_endpoints ORDER BY id").map(Self.endpoint) }
    }

    /// The endpoint an id or URL names.
    public func endpoint(_ ref: String) throws -> WebhookEndpoint {
        try read { db in try Self.endpoint(Self.endpointRow(ref, db: db)) }
    }

    static func endpointRow(_ ref: String, db: Database) throws -> Row {
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
    public func removeEndpoint(_ ref: String) throws -> WebhookEndpoint {
        try write { db in
            let row = try Self.endpointRow(ref, db: db)
            try db.execute(sql: "DELETE FROM webhook_endpoints WHERE id = ?", arguments: [row["id"] as Int64])
            return Self.endpoint(row)
        }
    }

    /// Enables or disables an endpoint (a disabled one receives nothing and queues nothing).
    public func setEndpointEnabled(_ ref: String, _ enabled: Bool, reason: String? = nil) throws -> WebhookEndpoint {
        let uid = try write { db -> String in
            let row = try Self.endpointRow(ref, db: db)
            try db.execute(sql: "UPDATE webhook_endpoints SET enabled = ?, disabled_reason = ? WHERE id = ?",
                           arguments: [enabled, enabled ? nil : reason, row["id"] as Int64])
            return row["uid"]
        }
        return try endpoint(uid)
    }

    /// A new secret for an endpoint; the old one also signs for 24 hours, so receivers can switch.
    public func rotateSecret(_ ref: String, now: Date = Date()) throws -> (endpoint: WebhookEndpoint, secret: String) {
        let secret = Self.newSecret()
        let uid = try write { db -> String in
            let row = try Self.endpointRow(ref, db: db)
            try db.execute(sql: "UPDATE webhook_endpoints SET previous_secret = secret, previous_until = ?, secret = ? WHERE id = ?",
                           arguments: [Store.timestamp(now.addingTimeInterval(24 * 3600)), secret, row["id"] as Int64])
            return row["uid"]
        }
        return (try endpoint(uid), secret)
    }

    // MARK: Deliveries

    /// Deliveries, newest first; `failed` keeps those dead or with a failed last attempt.
    public func deliveries(failedOnly: Bool = false, endpoint: String? = nil) throws -> [Delivery] {
        try read { db in
            var clauses: [String] = []
            var arguments: [(any DatabaseValueConvertible)?] = []
            if failedOnly { clauses.append("(d.status = 'dead' OR (d.status = 'pending' AND d.attempts > 0))") }
            if let endpoint {
                clauses.append("d.endpoint_id = ?")
                arguments.append(try Self.endpointRow(endpoint, db: db)["id"] as Int64)
            }
            return try Row.fetchAll(db, sql: """
                SELECT d.*, e.uid AS event, e.type, w.uid AS endpoint FROM deliveries d JOIN outbox_events e ON e.id = d.event_id
                JOIN webhook_endpoints w ON w.id = d.endpoint_id \(clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "))
                ORDER BY d.id DESC
                """, arguments: StatementArguments(arguments)).map { row in
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
    public func dueDeliveries(now: Date = Date(), after: Int64 = 0, limit: Int = 100) throws -> [DueDelivery] {
        try pendingDeliveries(SQL("d.next_attempt_at <= \(now.timeIntervalSince1970) AND d.id > \(after) ORDER BY d.id LIMIT \(limit)"), now: now)
    }

    /// The pending delivery with this id to an enabled endpoint, due or not (`webhook test`
    /// sends its own delivery and nothing else); nil when there is none.
    public func pendingDelivery(_ uid: String, now: Date = Date()) throws -> DueDelivery? {
        try pendingDeliveries(SQL("d.uid = \(uid.lowercased())"), now: now).first
    }

    /// Pending deliveries to enabled endpoints that also meet `condition` (and its ordering),
    /// with the secrets that sign them at `now`.
    private func pendingDeliveries(_ condition: SQL, now: Date) throws -> [DueDelivery] {
        try read { db in
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
        try write { db in
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
        try write { db in
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

    /// Announces follow-ups that have newly passed their due date (each once).
    public func announceOverdueFollowUps(today: PartialDate = .today(), now: Date = Date()) throws -> Int {
        try write { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT f.id, f.uid, f.text, f.due, a.uid AS activity, a.title, a.sensitive FROM follow_ups f JOIN activities a ON a.id = f.activity_id
                WHERE f.done IS NULL AND f.cancelled IS NULL AND f.overdue_announced = 0 AND f.due_day < ?
                """, arguments: [today.start])
            for row in rows {
                if !(row["sensitive"] as Bool) {
                    try Outbox(db: db).record(.followupOverdue, ["id": row["uid"] as String, "text": row["text"] as String, "due": Outbox.json(row["due"]),
                                                                 "activity": row["activity"] as String, "activity_title": row["title"] as String], now: now)
                }
                try db.execute(sql: "UPDATE follow_ups SET overdue_announced = 1 WHERE id = ?", arguments: [row["id"] as Int64])
            }
            return rows.count
        }
    }

    /// Queues a `webhook.test` event for one endpoint only.
    public func queueTest(_ ref: String, now: Date = Date()) throws -> String {
        try write { db in
            let row = try Self.endpointRow(ref, db: db)
            let uid = "msg_" + RandomID.make() + RandomID.make()
            let body: [String: Any] = ["type": EventType.webhookTest.rawValue, "timestamp": Store.timestamp(now),
                                       "data": ["endpoint": row["uid"] as String, "message": "This is a test from solidarity."]]
            let payload = String(decoding: try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
            try db.execute(sql: "INSERT INTO outbox_events (uid, type, payload, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [uid, EventType.webhookTest.rawValue, payload, Store.timestamp(now)])
            let delivery = RandomID.make()
            try db.execute(sql: "INSERT INTO deliveries (uid, event_id, endpoint_id, status, next_attempt_at) VALUES (?, ?, ?, 'pending', ?)",
                           arguments: [delivery, db.lastInsertedRowID, row["id"] as Int64, now.timeIntervalSince1970])
            return delivery
        }
    }

    /// How many deliveries are waiting (for the one-line note after a command).
    public func pendingDeliveries() throws -> Int {
        try read { try Int.fetchOne($0, sql: "SELECT count(*) FROM deliveries WHERE status = 'pending'") ?? 0 }
    }
}
