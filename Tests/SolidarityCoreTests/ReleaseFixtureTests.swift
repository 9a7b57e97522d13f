import Foundation
import GRDB
import Testing
@testable import SolidarityCore

/// The database of the 2026-12 release (`Fixtures/release-2026-12.sqlite`, made by
/// `Fixtures/make-release-2026-12.sh`), opened with the current code: a user's file must open,
/// migrate and read as it did.
@Suite("A database made by the 2026-12 release")
struct ReleaseFixtureTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The migrations the release carried: later ones (0012 onward) are applied to its file like
    /// any pending migration, which `appliesOnlyANewMigration` checks.
    static let released = Migration.all.filter { $0.name <= "0011_activity_sites.sql" }

    /// A copy of the fixture in a temporary folder: the committed file is never opened for writing.
    static func copy(into folder: TemporaryFolder) throws -> String {
        let path = folder.path("release.sqlite")
        try FileManager.default.copyItem(atPath: fixtures.appendingPathComponent("release-2026-12.sqlite").path, toPath: path)
        return path
    }

    /// The migration ledger as the release wrote it: name, SHA-256 and when each was applied.
    static func ledger(_ path: String) throws -> [[String]] {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT name, sha256, applied_at FROM schema_migrations ORDER BY name").map {
                [$0["name"], $0["sha256"], $0["applied_at"]]
            }
        }
    }

    @Test("it opens for writing with nothing to apply, no backup, and its ledger as the release left it")
    func opensWithNothingToApply() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try Self.copy(into: folder)
        let before = try Self.ledger(path)
        #expect(before.map { $0[0] } == Self.released.map(\.name))
        #expect(before.map { $0[1] } == Self.released.map(\.checksum))

        let store = try Store(path: path, access: .write, migrator: Migrator(migrations: Self.released))
        #expect(store.report.applied.isEmpty)
        #expect(store.report.backup == nil)
        #expect(try store.migrationStatus().allSatisfy { $0.state == .applied })
        #expect(try Self.ledger(path) == before, "0001 and the others were never applied again")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.contains("backup") }.isEmpty)
    }

    @Test("it exports byte for byte what the release exported from it")
    func exportsAsTheReleaseDid() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try Store(path: try Self.copy(into: folder), access: .read)
        let golden = try Data(contentsOf: Self.fixtures.appendingPathComponent("release-2026-12.export.json"))
        #expect(try store.export(includeSensitive: true).data == golden)
    }

    @Test("it reads every kind of record the release wrote")
    func readsEveryKind() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try Store(path: try Self.copy(into: folder), access: .read)
        #expect(try store.home()?.handle == "ue")
        let sntf = try store.organization("sntf")
        #expect(sntf.aliases.map(\.name) == ["Rail Union of Mexico"])
        #expect(sntf.campaigns == ["rail-workers-united"])
        #expect(try store.people(at: "sntf").map(\.handle) == ["ana-ruiz"])
        #expect(try store.relationships(of: "sntf").map(\.kind) == [.ally])
        let kinds = Set(try store.activities().filter { $0.title.contains("SNTF") }.map(\.kind.rawValue))
        #expect(kinds == ["delegation", "exchange", "meeting", "conference", "webinar", "call"])
        #expect(try store.sources().contains { $0.url == "https://example.org/sntf" })
    }

    @Test("a migration newer than the release is applied alone, after a backup, leaving the release's ledger rows as they were")
    func appliesOnlyANewMigration() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try Self.copy(into: folder)
        let before = try Self.ledger(path)
        let next = Migration("0012_next.sql", Array("CREATE TABLE next_notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);".utf8))
        let store = try Store(path: path, access: .write, migrator: Migrator(migrations: Self.released + [next]))
        #expect(store.report.applied == ["0012_next.sql"])
        #expect(store.report.backup?.hasSuffix("-before-0012_next.sqlite") == true)
        let after = try Self.ledger(path)
        #expect(Array(after.dropLast()) == before)
        #expect(after.last?[0] == "0012_next.sql" && after.last?[1] == next.checksum)
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM next_notes") } == 0)
        // GRDB's migrator now sees the release's migrations, bridged from the ledger, and the new one.
        let identifiers = try store.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }
        #expect(identifiers == Self.released.map(\.name) + ["0012_next.sql"])
        #expect(try store.read { try store.migrator.databaseMigrator.hasCompletedMigrations($0) })
    }

    @Test("an edited migration is refused for it as for any database, changing nothing")
    func editedMigrationRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try Self.copy(into: folder)
        let original = contents(path)
        var migrations = Migration.all
        migrations[0] = Migration(migrations[0].name, Array((migrations[0].sql + "\n-- edited\n").utf8))
        #expect {
            try Store(path: path, access: .write, migrator: Migrator(migrations: migrations))
        } throws: { error in
            (error as? SolidarityError)?.message.contains("Migration 0001_initial.sql was applied to \(path) with different text") == true
        }
        #expect(contents(path) == original)
    }
}
