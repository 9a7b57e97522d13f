import Foundation
import GRDB

/// The events the notifier announces.
public enum EventType: String, CaseIterable, Codable, Sendable {
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

/// Writes events in the transaction of the change that causes them, one delivery per
/// subscribed enabled endpoint. With no endpoint, nothing is written: the notifier is inert.
///
/// Delivering what is written (attempts, retries, replay, endpoints and their secrets) is
/// `SolidarityNotify`'s; Core records, so that no front end can make a change without its event.
public struct Outbox {
    let db: Database

    public init(db: Database) {
        self.db = db
    }

    /// Records an event of `type` with `data` (handles, ids and public fields only).
    public func record(_ type: EventType, _ data: some Encodable, now: Date = Date()) throws {
        try record(type, now: now) { data }
    }

    /// Records an event about a record, with the payload it gives under the rule of `Disclosure`;
    /// nothing when the record is withheld (sensitive, or part of or referring to a sensitive one).
    func record(_ type: EventType, about subject: some Announceable, now: Date = Date()) throws {
        try record(type, now: now) { try subject.payload(Disclosure(db: db), in: db) }
    }

    /// Records an event for one endpoint only, whatever it subscribes to, and returns the id of
    /// its one delivery: `webhook test` sends its event to the endpoint it tests and to no other.
    public func record(_ type: EventType, _ data: some Encodable, forEndpoint endpointID: Int64, now: Date = Date()) throws -> String {
        try write(EventEnvelope(type: type, timestamp: Store.timestamp(now), data: data), to: [endpointID], now: now)[0]
    }

    /// Writes the event and its deliveries; `payload` is asked only when an endpoint subscribes.
    private func record<Payload: Encodable>(_ type: EventType, now: Date, payload: () throws -> Payload?) throws {
        let endpoints = try Row.fetchAll(db, sql: "SELECT id, events FROM webhook_endpoints WHERE enabled = 1")
            .filter { row in
                let events = (row["events"] as String).split(separator: " ").map(String.init)
                return events.contains("*") || events.contains(type.rawValue)
            }
            .map { $0["id"] as Int64 }
        guard !endpoints.isEmpty, let data = try payload() else { return }
        _ = try write(EventEnvelope(type: type, timestamp: Store.timestamp(now), data: data), to: endpoints, now: now)
    }

    /// Writes the event, then one pending delivery per endpoint, due `now`; returns the deliveries' ids.
    private func write(_ envelope: EventEnvelope<some Encodable>, to endpoints: [Int64], now: Date) throws -> [String] {
        let uid = "msg_" + RandomID.make() + RandomID.make()
        var event = OutboxEventRecord(uid: uid, type: envelope.type, payload: try envelope.json(), createdAt: envelope.timestamp)
        try event.insert(db)
        return try endpoints.map { endpoint in
            let delivery = RandomID.make()
            // The deliveries' record type is SolidarityNotify's, which delivers them; Core only queues them.
            try db.execute(literal: """
                INSERT INTO deliveries (uid, event_id, endpoint_id, status, next_attempt_at)
                VALUES (\(delivery), \(event.id), \(endpoint), 'pending', \(now.timeIntervalSince1970))
                """)
            return delivery
        }
    }
}

/// An event as receivers get it: its type, when it was recorded, and its data. The one envelope
/// of every event; its JSON text is what the outbox stores and the signature covers.
struct EventEnvelope<Payload: Encodable>: Encodable {
    let type: EventType
    /// ISO-8601 UTC, to the second.
    let timestamp: String
    let data: Payload

    /// The JSON text: keys sorted, slashes unescaped, as receivers have always had it.
    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

extension Store {
    /// Writes in one transaction, as `write`, and records `event` about the record `body`
    /// returns in that same transaction: the change and its event land together or not at all.
    func write<Subject: Announceable>(recording event: EventType, _ body: (Database) throws -> Subject) throws -> Subject {
        try write { db in
            let subject = try body(db)
            try Outbox(db: db).record(event, about: subject)
            return subject
        }
    }

    /// Announces follow-ups that have newly passed their due date (each once).
    ///
    /// Recording `followup.overdue` stays in Core although the notifier asks for it: that a
    /// follow-up has become overdue is a fact of the domain (recorded once, like any other change,
    /// in the transaction that marks it announced); when to look, and when to deliver, is the notifier's.
    public func announceOverdueFollowUps(today: PartialDate = .today(), now: Date = Date()) throws -> Int {
        try write { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT f.id, f.uid, f.text, f.due, a.uid AS activity, a.title, a.sensitive FROM follow_ups f JOIN activities a ON a.id = f.activity_id
                WHERE f.done IS NULL AND f.cancelled IS NULL AND f.overdue_announced = 0 AND f.due_day < ?
                """, arguments: [today.start])
            for row in rows {
                if !(row["sensitive"] as Bool) {
                    try Outbox(db: db).record(.followupOverdue, OverdueFollowUpPayload(id: row["uid"], text: row["text"], due: row["due"],
                                                                                       activity: row["activity"], activityTitle: row["title"]), now: now)
                }
                try db.execute(sql: "UPDATE follow_ups SET overdue_announced = 1 WHERE id = ?", arguments: [row["id"] as Int64])
            }
            return rows.count
        }
    }
}
