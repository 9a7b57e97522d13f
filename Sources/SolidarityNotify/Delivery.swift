import Foundation

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
