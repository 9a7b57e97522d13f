import Foundation
import GRDB
import Testing
@testable import SolidarityCore

/// Migrations through GRDB's `DatabaseMigrator`, with our SHA-256 ledger beside GRDB's table.
@Suite("Migration ledger and GRDB's migrator")
struct MigrationLedgerTests {
    let notes = Migration("0001_notes.sql", Array("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);".utf8))

    @Test("a new database records each migration in both the ledger and GRDB's table")
    func bothLedgers() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try Store(path: folder.path("db.sqlite"), access: .create)
        let (ledger, grdb) = try store.read { db in
            (try String.fetchAll(db, sql: "SELECT name FROM schema_migrations ORDER BY name"),
             try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier"))
        }
        #expect(ledger == Migration.all.map(\.name))
        #expect(grdb == ledger)
    }

    @Test("a migration that leaves a broken reference is refused by name, and neither ledger records it")
    func brokenReferenceRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("db.sqlite")
        _ = try Store(path: path, access: .create, migrator: Migrator(migrations: [notes]))
        let broken = Migration("0002_tags.sql", Array("""
            CREATE TABLE tags (id INTEGER PRIMARY KEY, note_id INTEGER NOT NULL REFERENCES notes(id));
            INSERT INTO tags (note_id) VALUES (42);
            """.utf8))
        #expect {
            try Store(path: path, access: .write, migrator: Migrator(migrations: [notes, broken]))
        } throws: { error in
            (error as? SolidarityError)?.message == "Migration 0002_tags.sql leaves a broken reference in table tags; nothing was changed."
        }
        let queue = try DatabaseQueue(path: path)
        let (tags, ledger, grdb) = try queue.read { db in
            (try db.tableExists("tags"),
             try String.fetchAll(db, sql: "SELECT name FROM schema_migrations"),
             try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
        }
        #expect(!tags)
        #expect(ledger == ["0001_notes.sql"])
        #expect(grdb == ["0001_notes.sql"])
    }

    @Test("a database whose ledger alone holds its migrations (a release before GRDB's migrator) is bridged, never migrated again")
    func ledgerOnlyIsBridged() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("db.sqlite")
        let second = Migration("0002_tags.sql", Array("ALTER TABLE notes ADD COLUMN tag TEXT;".utf8))
        do {
            // As the release before left it: the ledger only, no grdb_migrations.
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in
                try db.execute(sql: Migrator.ledgerSQL)
                try db.execute(sql: notes.sql)
                try db.execute(sql: "INSERT INTO notes (text) VALUES ('FAT delegation, May 2024')")
                try db.execute(sql: "INSERT INTO schema_migrations VALUES (?, ?, '2026-12-01T00:00:00Z')", arguments: [notes.name, notes.checksum])
            }
            try queue.close()
        }
        let store = try Store(path: path, access: .write, migrator: Migrator(migrations: [notes, second]))
        #expect(store.report.applied == ["0002_tags.sql"])
        let rows = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT name, applied_at FROM schema_migrations ORDER BY name").map { [$0["name"], $0["applied_at"]] as [String] }
        }
        #expect(rows.first == ["0001_notes.sql", "2026-12-01T00:00:00Z"])
        #expect(try store.read { try String.fetchOne($0, sql: "SELECT text FROM notes") } == "FAT delegation, May 2024")
        #expect(try store.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }
            == ["0001_notes.sql", "0002_tags.sql"])
    }

    @Test("a migration GRDB's table records but this binary does not know is refused as a newer database's, and nothing is applied")
    func supersededInGRDBsTableRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("db.sqlite")
        _ = try Store(path: path, access: .create, migrator: Migrator(migrations: [notes]))
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('0003_future.sql')") }
            try queue.close()
        }
        let second = Migration("0002_tags.sql", Array("ALTER TABLE notes ADD COLUMN tag TEXT;".utf8))
        #expect {
            try Store(path: path, access: .write, migrator: Migrator(migrations: [notes, second]))
        } throws: { error in
            (error as? SolidarityError)?.message.contains("newer version of solidarity (it has migration 0003_future.sql") == true
        }
        let queue = try DatabaseQueue(path: path)
        #expect(try queue.read { try String.fetchAll($0, sql: "SELECT name FROM schema_migrations") } == ["0001_notes.sql"])
    }
}
