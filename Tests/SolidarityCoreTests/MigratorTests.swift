import Foundation
import GRDB
import Testing
@testable import SolidarityCore

@Suite("Migrations")
struct MigratorTests {
    let first = Migration("0001_initial.sql", Array("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);".utf8))
    let second = Migration("0002_tags.sql", Array("ALTER TABLE notes ADD COLUMN tag TEXT;".utf8))

    @Test("a fresh database gets every migration, recorded with its SHA-256, and no backup")
    func fresh() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try Store(path: folder.path("db.sqlite"), access: .create)
        #expect(store.report.applied == Migration.all.map(\.name))
        #expect(store.report.backup == nil)
        let statuses = try store.migrationStatus()
        #expect(statuses.allSatisfy { $0.state == .applied })
        let recorded = try store.read { try String.fetchOne($0, sql: "SELECT sha256 FROM schema_migrations WHERE name = '0001_initial.sql'") }
        #expect(recorded == Migration.all[0].checksum)
        #expect(recorded?.count == 64)
    }

    @Test("a new migration on a database with data is applied after an owner-only backup that opens")
    func incremental() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("db.sqlite")
        let old = try Store(path: path, access: .create, migrator: Migrator(migrations: [first]))
        try old.write { try $0.execute(sql: "INSERT INTO notes (text) VALUES ('FAT delegation, May 2024')") }

        let new = try Store(path: path, access: .write, migrator: Migrator(migrations: [first, second]))
        #expect(new.report.applied == ["0002_tags.sql"])
        let backup = try #require(new.report.backup)
        #expect(backup.hasPrefix(folder.path("db.backup-")) && backup.hasSuffix("-before-0002_tags.sqlite"))
        let permissions = try FileManager.default.attributesOfItem(atPath: backup)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        let copy = try DatabaseQueue(path: backup)
        let (text, columns) = try copy.read { db in
            (try String.fetchOne(db, sql: "SELECT text FROM notes"), try db.columns(in: "notes").map(\.name))
        }
        #expect(text == "FAT delegation, May 2024")
        #expect(columns == ["id", "text"])
        #expect(try new.read { db in try db.columns(in: "notes").map(\.name) } == ["id", "text", "tag"])
    }

    @Test("an applied migration whose text changed is refused by name, and nothing is applied")
    func editedFileRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("db.sqlite")
        _ = try Store(path: path, access: .create, migrator: Migrator(migrations: [first]))
        let edited = Migration("0001_initial.sql", Array("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);".utf8))
        let before = contents(path)
        #expect {
            try Store(path: path, access: .read, migrator: Migrator(migrations: [edited, second]))
        } throws: { error in
            (error as? SolidarityError)?.message.contains("0001_initial.sql") == true
        }
        #expect(contents(path) == before)
        let inspected = try Store(path: path, access: .inspect, migrator: Migrator(migrations: [edited, second]))
        #expect(try inspected.migrationStatus().map(\.state) == [.edited, .pending])
        #expect(throws: SolidarityError.self) { try inspected.write { try $0.execute(sql: "DELETE FROM notes") } }
    }

    @Test("only init creates a database: a mistyped path is an error, not an empty CRM")
    func missingDatabase() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("typo/db.sqlite")
        #expect {
            try Store(path: path, access: .read)
        } throws: { ($0 as? SolidarityError)?.remedy == .createDatabase(at: path) }
        #expect(!FileManager.default.fileExists(atPath: folder.path("typo")))
    }

    @Test("a database from a newer version is refused for writing and still readable")
    func newerDatabaseRefusedForWriting() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("db.sqlite")
        _ = try Store(path: path, access: .create, migrator: Migrator(migrations: [first, second]))
        #expect {
            try Store(path: path, access: .write, migrator: Migrator(migrations: [first]))
        } throws: { error in
            let error = error as? SolidarityError
            return error?.reason == .database && error?.message.contains("newer version") == true
                && error?.message.contains("0002_tags.sql") == true
        }
        let reader = try Store(path: path, access: .read, migrator: Migrator(migrations: [first]))
        #expect(try reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM notes") } == 0)
        #expect(throws: SolidarityError.self) { try reader.write { try $0.execute(sql: "INSERT INTO notes (text) VALUES ('x')") } }
        #expect(try reader.migrationStatus().map(\.state) == [.applied, .unknown])
    }

    @Test("every file in Migrations/ is registered, in order")
    func everyFileRegistered() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Migrations")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(!files.isEmpty)
        #expect(Migration.all.map(\.name) == files, "Register each Migrations/*.sql file in Migration.all and Package.swift")
        for migration in Migration.all {
            let onDisk = try String(contentsOf: folder.appendingPathComponent(migration.name), encoding: .utf8)
            #expect(onDisk == migration.sql, "\(migration.name) in the binary differs from the file: rebuild")
        }
    }

    @Test("a new database file is owner-only and a folder made for it is 0700")
    func permissions() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("nested/deeper/db.sqlite")
        _ = try Store(path: path, access: .create)
        let attributes = FileManager.default.attributesOfItem
        #expect(try attributes(path)[.posixPermissions] as? Int == 0o600)
        #expect(try attributes(folder.path("nested/deeper"))[.posixPermissions] as? Int == 0o700)
        #expect(try attributes(folder.path("nested"))[.posixPermissions] as? Int == 0o700)
    }

    @Test("a file that is not a SQLite database is refused with a message naming it")
    func notADatabase() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("notes.txt")
        try String(repeating: "Minutes of the international committee. ", count: 200).write(toFile: path, atomically: true, encoding: .utf8)
        let before = contents(path)
        #expect {
            try Store(path: path, access: .write)
        } throws: { error in
            (error as? SolidarityError)?.message.contains("is not a SQLite database") == true
        }
        #expect(contents(path) == before)
    }
}
