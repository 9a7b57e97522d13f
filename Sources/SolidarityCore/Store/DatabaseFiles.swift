import Foundation

/// The files SQLite keeps for the database at one path: the database file itself and its
/// companions, the write-ahead log (`-wal`), its shared-memory index (`-shm`) and the rollback
/// journal (`-journal`).
///
/// Whatever must never overwrite, copy or remove one of a database's files asks this list, so that
/// a companion SQLite adds later is named in one place.
public struct DatabaseFiles: Sendable, Equatable {
    /// What SQLite appends to the database's path to name each companion.
    public static let companionSuffixes = ["-wal", "-shm", "-journal"]

    /// The database file's path, as given.
    public let database: String

    /// The files of the database at `database`.
    public init(database: String) {
        self.database = database
    }

    /// The companions' paths, beside the database: its `-wal`, `-shm` and `-journal`.
    public var companions: [String] { Self.companionSuffixes.map { database + $0 } }

    /// The database file first, then its companions.
    public var all: [String] { [database] + companions }
}
