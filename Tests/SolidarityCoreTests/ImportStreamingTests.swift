import Foundation
import GRDB
import Testing
@testable import SolidarityCore

/// An import reads and checks its file before it takes the write lock, and a clean file read a
/// record at a time from its bytes imports exactly as the same file read whole.
@Suite("Import: reading before writing, a record at a time")
struct ImportStreamingTests {
    /// A file of organizations: `x-one`, under `parent` when given (a handle the file need not hold).
    static func file(name: String = "One", parent: String? = nil) -> Data {
        let parent = parent.map { "\"\($0)\"" } ?? "null"
        return Data(#"{"format": "solidarity/1", "organizations": [{"handle": "x-one", "name": "\#(name)", "kind": "union", "parent": \#(parent)}]}"#.utf8)
    }

    /// Another connection to the same file, which fails at once, rather than waiting, when the
    /// database is locked for writing.
    static func otherConnection(_ store: Store) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.busyMode = .immediateError
        configuration.foreignKeysEnabled = true
        return try DatabaseQueue(path: store.path, configuration: configuration)
    }

    /// Another command's write, made while the import has read its file and not yet begun writing.
    static func write(_ organization: Organization, from other: DatabaseQueue) throws {
        try other.inTransaction(.immediate) { db in
            _ = try Organizations(db: db).insert(organization)
            return .commit
        }
    }

    @Test("while the file is read and checked, another connection takes the write lock and commits; the import then finds its write")
    func writeLockFreeWhileReading() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        let other = try Self.otherConnection(store)
        // The file's parent "x-late" is in neither the file nor the database when the file is read:
        // the other connection adds it, and the import's own check, in its transaction, finds it.
        let report = try store.importDocument(Self.file(parent: "x-late"), name: "file.json", update: false, carefully: false) {
            try Self.write(Organization(handle: "x-late", name: "Late Union"), from: other)
        }
        #expect(report.added == 1)
        #expect(try store.read { db in try Organizations(db: db).existing(handle: "x-one")?.parent } == "x-late")
    }

    @Test("while a spreadsheet is read and checked, another connection takes the write lock and commits; its rows then refer to that write")
    func spreadsheetWriteLockFreeWhileReading() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        let other = try Self.otherConnection(store)
        let csv = Data("handle,name,parent\nx-one,One,x-late\n".utf8)
        let report = try store.importSpreadsheet(csv, name: "file.csv", as: .organizations, update: false) {
            try Self.write(Organization(handle: "x-late", name: "Late Union"), from: other)
        }
        #expect(report.added == 1)
        #expect(try store.read { db in try Organizations(db: db).existing(handle: "x-one")?.parent } == "x-late")
    }

    @Test("a record another command wrote after the file was read is compared in the import's transaction: a conflict, or replaced with --update")
    func conflictWrittenMeanwhile() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        let other = try Self.otherConnection(store)
        #expect {
            try store.importDocument(Self.file(), name: "file.json", update: false, carefully: false) {
                try Self.write(Organization(handle: "x-one", name: "Another One"), from: other)
            }
        } throws: { ($0 as? SolidarityError)?.message.contains("organization x-one") == true }
        let report = try store.importDocument(Self.file(), name: "file.json", update: true, carefully: false)
        #expect(report.updated == 1)
    }

    @Test("a file with problems is reported in full while another command holds the write lock, and nothing is written")
    func problemsWithoutTheWriteLock() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        let other = try Self.otherConnection(store)
        let bad = Data(#"{"format": "solidarity/1", "organizations": [{"handle": "x-one", "name": "One", "kind": "guild", "parent": "nowhere"}]}"#.utf8)
        try other.inDatabase { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            defer { try? db.execute(sql: "ROLLBACK") }
            #expect {
                try store.importDocument(bad, name: "bad.json")
            } throws: { error in
                let message = (error as? SolidarityError)?.message ?? "\(error)"
                return message.contains("$.organizations[0].kind") && !message.contains("busy")
            }
            let misses = Data(#"{"format": "solidarity/1", "organizations": [{"handle": "x-one", "name": "One", "kind": "union", "parent": "nowhere"}, {"handle": "x-two", "name": "Two", "kind": "union", "country": "USA"}]}"#.utf8)
            #expect {
                try store.importDocument(misses, name: "misses.json")
            } throws: { error in
                let message = (error as? SolidarityError)?.message ?? "\(error)"
                return message.contains("$.organizations[0].parent: no organization \"nowhere\" in the file or the database")
                    && message.contains("$.organizations[1]: \"USA\" is not an ISO 3166-1 country code")
            }
        }
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM organizations") } == 0)
    }

    /// What importing `data` into a new database (seeded when asked) does, read record by record
    /// from the file's bytes or value by value: the report or the error, then the database's export.
    static func outcome(of data: Data, seeded: Bool, update: Bool, carefully: Bool) throws -> String {
        let (store, folder) = try makeStore(seeded: seeded, home: seeded ? "ue" : nil)
        defer { folder.remove() }
        let result: String
        do {
            result = "\(try store.importDocument(data, name: "file.json", update: update, carefully: carefully))"
        } catch {
            result = "\(error)"
        }
        return result + "\n" + String(decoding: try store.export(includeSensitive: true).data, as: UTF8.self)
    }

    @Test("the seeded export, and files with conflicts, with --update, and with missing references, import alike read a record at a time and read whole")
    func sameAsWhole() throws {
        let (seeded, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let export = try seeded.export(includeSensitive: true).data
        var changed = try InterchangeDocument.decode(export, name: "the export")
        changed.organizations[0].name += " (renamed)"
        changed.organizations[1].notes = "Changed by the file."
        changed.activities.removeAll()
        changed.organizations.append(Organization(handle: "x-child", name: "Child", parent: "x-parent"))
        changed.organizations.append(Organization(handle: "x-parent", name: "Parent"))
        let conflicting = try changed.encoded()
        changed.organizations.append(Organization(handle: "x-orphan", name: "Orphan", parent: "x-nowhere"))
        let missing = try changed.encoded()
        let cases: [(String, Data, seeded: Bool, update: Bool)] = [
            ("the seeded export into an empty database", export, false, false),
            ("the seeded export into the seeded database", export, true, false),
            ("changed records without --update", conflicting, true, false),
            ("changed records with --update", conflicting, true, true),
            ("changed records into an empty database", conflicting, false, false),
            ("a reference to nothing", missing, true, true),
        ]
        for (label, data, seeded, update) in cases {
            // The file is clean in outline, so the record-at-a-time reading is the one taken.
            var reader = DocumentReader(name: "file.json")
            guard case .outlined = try reader.read(data).records else {
                Issue.record("\(label): not read a record at a time")
                continue
            }
            let streamed = try Self.outcome(of: data, seeded: seeded, update: update, carefully: false)
            let whole = try Self.outcome(of: data, seeded: seeded, update: update, carefully: true)
            #expect(streamed == whole, "\(label)")
        }
        let conflicts = try Self.outcome(of: conflicting, seeded: true, update: false, carefully: false)
        #expect(conflicts.contains("2 records already exist with other content; nothing was imported"))
        #expect(try Self.outcome(of: missing, seeded: true, update: true, carefully: false)
            .contains("$.organizations[\(changed.organizations.count - 1)].parent: no organization \"x-nowhere\""))
    }
}
