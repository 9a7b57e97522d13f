import Foundation
import GRDB
import SolidarityCore

/// A row of `webhook_endpoints`: where events are posted, which ones, and the secrets that sign them.
struct WebhookEndpointRecord: Codable, Equatable, FetchableRecord, RowIDRecord {
    static let databaseTableName = "webhook_endpoints"

    var id: Int64?
    var uid: String
    var url: String
    var description: String?
    /// The event types it receives, space-separated; "*" for all.
    var events: String
    var secret: String
    /// The secret before the last rotation, which still signs until `previousUntil`.
    var previousSecret: String?
    var previousUntil: String?
    var enabled: Bool
    var disabledReason: String?
    var createdAt: String

    enum Columns: String, CodingKey, ColumnExpression {
        case id, uid, url, description, events, secret, previousSecret = "previous_secret", previousUntil = "previous_until"
        case enabled, disabledReason = "disabled_reason", createdAt = "created_at"
    }
    typealias CodingKeys = Columns
}

extension WebhookEndpoint {
    /// The endpoint of a row as listings show it: never its secret.
    init(record: WebhookEndpointRecord) {
        self.init(id: record.uid, url: record.url, description: record.description, events: record.events.split(separator: " ").map(String.init),
                  enabled: record.enabled, disabledReason: record.disabledReason, createdAt: record.createdAt)
    }
}

/// A row of `deliveries`: one event for one endpoint, pending until delivered, retried on the
/// schedule, dead after the last try.
struct DeliveryRecord: Codable, Equatable, FetchableRecord, RowIDRecord {
    static let databaseTableName = "deliveries"

    var id: Int64?
    var uid: String
    var eventID: Int64
    var endpointID: Int64
    var status: Delivery.Status
    var attempts: Int = 0
    /// Seconds since 1970 (UTC) when the next attempt is due.
    var nextAttemptAt: Double?
    var lastAttemptAt: String?
    var lastStatus: Int?
    var lastError: String?
    var deliveredAt: String?

    enum Columns: String, CodingKey, ColumnExpression {
        case id, uid, eventID = "event_id", endpointID = "endpoint_id", status, attempts, nextAttemptAt = "next_attempt_at"
        case lastAttemptAt = "last_attempt_at", lastStatus = "last_status", lastError = "last_error", deliveredAt = "delivered_at"
    }
    typealias CodingKeys = Columns
}

extension DeliveryRecord {
    /// Reads a row; a status outside the enumeration is an error naming the row, never "pending".
    init(row: Row) throws {
        self = try Self.decoded(from: row)
    }
}

extension Delivery {
    /// The delivery of a row, of the event with id `event` and `type`, to the endpoint with id `endpoint`.
    init(record: DeliveryRecord, event: String, type: String, endpoint: String) {
        self.init(id: record.uid, event: event, type: type, endpoint: endpoint, status: record.status, attempts: record.attempts,
                  nextAttemptAt: record.nextAttemptAt, lastAttemptAt: record.lastAttemptAt, lastStatus: record.lastStatus,
                  lastError: record.lastError, deliveredAt: record.deliveredAt)
    }
}
