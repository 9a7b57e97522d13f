import Crypto
import Foundation
import GRDB

/// One numbered SQL file of `Migrations/`, compiled into the binary.
public struct Migration: Sendable {
    /// The file name, e.g. "0001_initial.sql": the migration's identity in the ledger.
    public let name: String
    /// The SQL text.
    public let sql: String

    /// The SHA-256 of the SQL text, in lowercase hex, as recorded in the ledger.
    public var checksum: String {
        SHA256.hash(data: Data(sql.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    init(_ name: String, _ bytes: [UInt8]) {
        self.name = name
        self.sql = String(decoding: bytes, as: UTF8.self)
    }

    /// Every migration the binary knows, in the order they apply. A test checks this list
    /// against the files in `Migrations/`.
    public static let all: [Migration] = [
        Migration("0001_initial.sql", PackageResources._001_initial_sql),
        Migration("0002_employers_and_sites.sql", PackageResources._002_employers_and_sites_sql),
        Migration("0003_activities.sql", PackageResources._003_activities_sql),
        Migration("0004_conventions.sql", PackageResources._004_conventions_sql),
        Migration("0005_webhooks.sql", PackageResources._005_webhooks_sql),
        Migration("0006_relationship_listings.sql", PackageResources._006_relationship_listings_sql),
        Migration("0007_lookup_by_email.sql", PackageResources._007_lookup_by_email_sql),
        Migration("0008_activities_by_end.sql", PackageResources._008_activities_by_end_sql),
        Migration("0009_title_basis_and_campaign_sources.sql", PackageResources._009_title_basis_and_campaign_sources_sql),
        Migration("0010_follow_up_cancelled.sql", PackageResources._010_follow_up_cancelled_sql),
        Migration("0011_activity_sites.sql", PackageResources._011_activity_sites_sql),
        Migration("0013_merges.sql", PackageResources._013_merges_sql),
        Migration("0014_history.sql", PackageResources._014_history_sql),
        Migration("0015_history_imports.sql", PackageResources._015_history_imports_sql),
        Migration("0016_accounts.sql", PackageResources._016_accounts_sql),
    ]
}

/// The state of one migration in a database, for `migrate --status`.
public struct MigrationStatus: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable { case applied, pending, edited, unknown }
    public let name: String
    public let state: State
    public let appliedAt: String?
}

/// What opening a database did before the command ran: migrations applied, the backup made, and
/// what the user should know about the file (its permissions tightened).
public struct MigrationReport: Sendable {
    public var applied: [String] = []
    public var backup: String?
    /// One line each, to print on stderr: e.g. that a database open to other users was made owner-only.
    public var warnings: [String] = []
}

/// Applies the embedded migrations in order with GRDB's `DatabaseMigrator`, each in one
/// transaction, and keeps beside GRDB's own table (`grdb_migrations`) our ledger of each applied
/// file's name and SHA-256 in `schema_migrations`.
///
/// What GRDB's migrator cannot keep by itself, and this type keeps:
/// - The ledger is the record of what was applied. Databases made before GRDB's migrator was used
///   (releases up to 2026-12) have only `schema_migrations`: before migrating, `bridge` records
///   its names in `grdb_migrations`, so that GRDB sees them applied and never runs 0001 again.
/// - GRDB records identifiers only, so an edited file goes unnoticed by it: `status` compares
///   each file's SHA-256 with the ledger's, and `check` refuses an edited file, or (for writing)
///   a database with migrations this binary does not know, before anything is migrated.
/// - `status` reads the ledger, not GRDB's table: it runs in `Store`'s survey through a read-only
///   connection, where the bridge (a write) cannot run.
/// - GRDB's deferred foreign-key check ends each migration with a `DatabaseError` of its own
///   words; each registered migration checks first and throws our sentence naming the migration.
public struct Migrator: Sendable {
    public let migrations: [Migration]
    /// One registered migration per file, identified by its file name.
    let databaseMigrator: DatabaseMigrator

    public init(migrations: [Migration] = Migration.all) {
        self.migrations = migrations
        var databaseMigrator = DatabaseMigrator()
        for migration in migrations {
            databaseMigrator.registerMigration(migration.name) { db in
                try db.execute(sql: Migrator.ledgerSQL)
                try db.execute(sql: migration.sql)
                // GRDB has turned foreign keys off for the migration and checks them again after it.
                let violations = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
                if let first = violations.first {
                    throw SolidarityError(.database, "Migration \(migration.name) leaves a broken reference in table \(first["table"] as String? ?? "?"); nothing was changed.")
                }
                try db.execute(
                    sql: "INSERT INTO schema_migrations (name, sha256, applied_at) VALUES (?, ?, ?)",
                    arguments: [migration.name, migration.checksum, Store.timestamp()])
            }
        }
        self.databaseMigrator = databaseMigrator
    }

    static let ledgerSQL = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            name TEXT PRIMARY KEY NOT NULL,
            sha256 TEXT NOT NULL,
            applied_at TEXT NOT NULL
        )
        """

    /// Every known and unknown migration with its state in this database.
    public func status(_ db: Database) throws -> [MigrationStatus] {
        let ledger = try appliedLedger(db)
        var result = migrations.map { migration -> MigrationStatus in
            guard let entry = ledger[migration.name] else {
                return MigrationStatus(name: migration.name, state: .pending, appliedAt: nil)
            }
            let state: MigrationStatus.State = entry.sha256 == migration.checksum ? .applied : .edited
            return MigrationStatus(name: migration.name, state: state, appliedAt: entry.appliedAt)
        }
        let known = Set(migrations.map(\.name))
        for (name, entry) in ledger.sorted(by: { $0.key < $1.key }) where !known.contains(name) {
            result.append(MigrationStatus(name: name, state: .unknown, appliedAt: entry.appliedAt))
        }
        return result
    }

    /// Refuses a database whose applied migrations were edited since, or (for writing) one made
    /// by a newer version of the tool.
    func check(_ statuses: [MigrationStatus], forWriting: Bool, path: String) throws {
        if let edited = statuses.first(where: { $0.state == .edited }) {
            throw SolidarityError(.database, "Migration \(edited.name) was applied to \(path) with different text than this binary carries: a released migration must never be edited. Restore Migrations/\(edited.name) as it was and add the change as a new numbered file.")
        }
        let unknown = statuses.filter { $0.state == .unknown }.map(\.name)
        if forWriting, !unknown.isEmpty {
            throw SolidarityError(.database, "\(path) was written by a newer version of solidarity (it has migration \(unknown.joined(separator: ", ")) that this binary does not know). Reading works; to change it, install the newer version.")
        }
    }

    /// Applies the pending migrations with GRDB's migrator, each in its own transaction with its
    /// ledger entry, after bridging the ledger into GRDB's table; the names applied, in order.
    /// The caller has refused edited and unknown migrations (`check`) and made the backup.
    func applyPending(_ writer: some DatabaseWriter, path: String) throws -> [String] {
        let superseded = try writer.writeWithoutTransaction { db in
            try Migrator.bridge(db)
            return try databaseMigrator.hasBeenSuperseded(db)
        }
        if superseded {
            // `check` has refused such a database already; this holds should the ledger and GRDB's table disagree.
            let unknown = try writer.read { try databaseMigrator.appliedIdentifiers($0) }.subtracting(migrations.map(\.name))
            throw SolidarityError(.database, "\(path) was written by a newer version of solidarity (it has migration \(unknown.sorted().joined(separator: ", ")) that this binary does not know). Reading works; to change it, install the newer version.")
        }
        let before = try writer.read { try databaseMigrator.appliedIdentifiers($0) }
        try databaseMigrator.migrate(writer)
        return try writer.read { try databaseMigrator.appliedMigrations($0) }.filter { !before.contains($0) }
    }

    /// Records in GRDB's `grdb_migrations` every migration of our ledger, in one transaction: a
    /// database of a release before GRDB's migrator was used has only the ledger.
    ///
    /// The ledger is created in the same transaction when missing (a new file), so that no other
    /// command ever sees GRDB's table without ours, which would make it another program's database.
    static func bridge(_ db: Database) throws {
        try db.inTransaction {
            try db.execute(sql: Migrator.ledgerSQL)
            // The table as GRDB's migrator creates it.
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
            try db.execute(sql: "INSERT OR IGNORE INTO grdb_migrations (identifier) SELECT name FROM schema_migrations")
            return .commit
        }
    }

    private func appliedLedger(_ db: Database) throws -> [String: (sha256: String, appliedAt: String)] {
        guard try db.tableExists("schema_migrations") else { return [:] }
        var ledger: [String: (String, String)] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT name, sha256, applied_at FROM schema_migrations") {
            ledger[row["name"]] = (row["sha256"], row["applied_at"])
        }
        return ledger
    }
}

extension Store {
    /// The state of every migration, for `migrate --status`.
    public func migrationStatus() throws -> [MigrationStatus] {
        try read { try migrator.status($0) }
    }
}
