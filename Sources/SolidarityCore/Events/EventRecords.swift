import Foundation
import GRDB

/// A row of `outbox_events`: one event, written in the transaction of the change that caused it,
/// its payload the JSON text receivers get and the signature covers.
struct OutboxEventRecord: Codable, Equatable, FetchableRecord, RowIDRecord {
    static let databaseTableName = "outbox_events"

    var id: Int64?
    var uid: String
    var type: EventType
    var payload: String
    /// ISO-8601 UTC, to the second.
    var createdAt: String

    enum Columns: String, CodingKey, ColumnExpression {
        case id, uid, type, payload, createdAt = "created_at"
    }
    typealias CodingKeys = Columns
}

extension OutboxEventRecord {
    /// Reads a row; a type this version does not know is an error naming the row.
    init(row: Row) throws {
        self = try Self.decoded(from: row)
    }
}
