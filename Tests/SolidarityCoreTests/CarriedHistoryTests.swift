import Foundation
import GRDB
import Testing
@testable import SolidarityCore

@Suite("The history carried by an export and kept by an import")
struct CarriedHistoryTests {
    /// A seeded database where an organization was added, edited and given a relationship.
    private func source() throws -> (Store, TemporaryFolder) {
        let folder = try TemporaryFolder()
        let store = try Store(path: folder.path("source.sqlite"), access: .create,
                              context: ChangeContext(who: "maria", operation: "test", arguments: ["org", "add", "Frente Nuevo"]))
        _ = try store.seed(home: "ue")
        _ = try store.addOrganization(Organization(handle: "fn", name: "Frente Nuevo", kind: .union, country: "MX",
                                                   aliases: [.init(name: "FN", lang: "es")]))
        _ = try store.editOrganization("fn") { $0.city = "Puebla" }
        _ = try store.editOrganization("fn") { $0.notes = "Line one\nline \"two\"" }
        return (store, folder)
    }

    /// Every stored column of the history, each value with its salt and digest, change by change.
    private func history(_ store: Store) throws -> [String] {
        try store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT h.id, h.at, h.operation, h.undoes, h.previous_hash, h.hash, w.value, hex(w.salt), hex(w.digest),
                       a.value, hex(a.salt), hex(a.digest) FROM history h
                JOIN history_values w ON w.id = h.who JOIN history_values a ON a.id = h.arguments ORDER BY h.id
                """).map(\.description)
            + Row.fetchAll(db, sql: """
                SELECT r.change, r.seq, r.table_name, r.row_id, r.row_key, r.action, l.value, hex(l.salt), hex(l.digest),
                       f.name, b.value, hex(b.salt), hex(b.digest), x.value, hex(x.salt), hex(x.digest)
                FROM history_records r LEFT JOIN history_values l ON l.id = r.label LEFT JOIN history_fields f ON f.record = r.id
                LEFT JOIN history_values b ON b.id = f.before LEFT JOIN history_values x ON x.id = f.after
                ORDER BY r.change, r.seq, f.name
                """).map(\.description)
            + Row.fetchAll(db, sql: "SELECT * FROM history_created ORDER BY change, table_name").map(\.description)
        }
    }

    @Test("without the history the export's bytes are as before; with it, the same bytes then the history, last")
    func bytesUnchanged() throws {
        let (store, folder) = try source()
        defer { folder.remove() }
        let plain = try store.export()
        #expect(try store.export(withHistory: false).data == plain.data)
        #expect(plain.data == (try plain.document.encoded()))
        #expect(String(decoding: plain.data, as: UTF8.self).contains("\"history\"") == false)
        let carried = try store.export(withHistory: true)
        #expect(carried.changes == 4 && carried.erased == 0)
        #expect(carried.data.starts(with: plain.data.dropLast(3)))
        #expect(String(decoding: carried.data.dropFirst(plain.data.count - 3), as: UTF8.self).hasPrefix(",\n  \"history\" : [\n    {\n      \"arguments\" : {"))
        #expect(carried.document == plain.document)

        // The history, written a record at a time, is what Foundation writes for the changes it holds.
        let text = String(decoding: carried.data, as: UTF8.self)
        let list = String(text[try #require(text.range(of: "\n  \"history\" : ")).upperBound...].dropLast(3))
        let changes = try JSONDecoder().decode([CarriedChange].self, from: Data(list.utf8))
        #expect(changes.map(\.id) == [1, 2, 3, 4])
        #expect(changes[2].records.first?.fields.map(\.name) == ["city"])
        let foundation = String(decoding: try InterchangeDocument.encoder().encode(changes), as: UTF8.self)
        #expect(list == foundation.split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated().map { $0.offset == 0 || $0.element.isEmpty ? String($0.element) : "  " + $0.element }.joined(separator: "\n"))
    }

    @Test("an import into a new database keeps every change as it was, whichever way the file is read, and records itself after them")
    func keptAsItWas() throws {
        let (store, folder) = try source()
        defer { folder.remove() }
        let file = try store.export(withHistory: true).data
        for carefully in [false, true] {
            let copy = try Store(path: folder.path("copy-\(carefully).sqlite"), access: .create,
                                 context: ChangeContext(who: "jon", operation: "import"))
            let report = try copy.importDocument(file, name: "moving.json", update: false, carefully: carefully)
            #expect(report.keptHistory == LoadReport.KeptHistory(changes: 4, importChange: 5))
            let kept = try history(copy)
            let original = try history(store)
            #expect(kept.filter { $0.hasPrefix("[id:5 ") || $0.hasPrefix("[change:5 ") }.isEmpty == false)
            #expect(kept.filter { !$0.hasPrefix("[id:5 ") && !$0.hasPrefix("[change:5 ") } == original)
            #expect(try copy.verifyHistory() == HistoryVerification(checked: 5, firstMismatch: nil, problem: nil))
            let previous = try copy.read { try String.fetchOne($0, sql: "SELECT previous_hash FROM history WHERE id = 5") }
            #expect(previous == (try store.read { try String.fetchOne($0, sql: "SELECT hash FROM history WHERE id = 4") }))
            #expect(try copy.read { try Row.fetchAll($0, sql: "SELECT * FROM history_imports") }.map(\.description)
                == ["[change:5 first_change:1 last_change:4]"])
        }
    }

    @Test("a person marked sensitive after they were added, then removed: the export's history holds none of their values")
    func markedLaterThenRemoved() throws {
        let (store, folder) = try source()
        defer { folder.remove() }
        _ = try store.addPerson(Person(handle: "bruno", name: "Bruno Escondido", email: "bruno.escondido@example.org"))
        _ = try store.editPerson("bruno") { $0.sensitive = true }
        _ = try store.removePerson("bruno")
        let text = String(decoding: try store.export(withHistory: true).data, as: UTF8.self)
        #expect(!text.contains("Bruno") && !text.contains("bruno"))
        #expect(try store.history().prefix(3).allSatisfy(\.sensitive))
    }

    @Test("a history the tables could not hold is refused with its place in the file, nothing written")
    func malformed() throws {
        let (store, folder) = try source()
        defer { folder.remove() }
        let text = String(decoding: try store.export(withHistory: true).data, as: UTF8.self)
        let digest = try #require(text.range(of: #""digest" : ""#)).upperBound
        let cases: [(String, String)] = [
            (text.replacingCharacters(in: digest..<text.index(digest, offsetBy: 2), with: "zz"),
             "$.history[0]: change 1: a value's digest must be 64 hexadecimal digits"),
            (text.replacingOccurrences(of: #""id" : 2,"#, with: #""id" : 1,"#),
             "$.history[1]: change 1 comes after change 1: the changes must be in the order of their numbers"),
            (text.replacingOccurrences(of: #""action" : "modified""#, with: #""action" : "edited""#),
             "$.history[2]: change 3: \"edited\" is not created, modified or removed"),
        ]
        for (index, (file, problem)) in cases.enumerated() {
            let path = folder.path("copy-\(index).sqlite")
            let copy = try Store(path: path, access: .create)
            let before = contents(path)
            for carefully in [false, true] {
                let error = try #require(throws: SolidarityError.self) {
                    try copy.importDocument(Data(file.utf8), name: "moving.json", update: false, carefully: carefully)
                }
                #expect(error.reason == .invalidInput)
                #expect(error.message.contains("\n  \(problem)"), "\(error.message)")
            }
            #expect(contents(path) == before)
        }
    }

    @Test("a file without a history imports into a database with one; a file with one is refused there unless kept out")
    func intoADatabaseWithAHistory() throws {
        let (store, folder) = try source()
        defer { folder.remove() }
        let (seeded, other) = try makeStore(seeded: true, home: "ue")
        defer { other.remove() }
        let error = try #require(throws: SolidarityError.self) {
            try seeded.importDocument(try store.export(withHistory: true).data, name: "moving.json")
        }
        #expect(error.reason == .conflict && error.remedy == .importWithoutHistory)
        #expect(try seeded.history().count == 1)
        let report = try seeded.importDocument(try store.export(withHistory: true).data, name: "moving.json", keepingHistory: false)
        #expect(report.added == 1 && report.keptHistory == nil)
        #expect(try seeded.history().count == 2)
        #expect(try seeded.verifyHistory().firstMismatch == nil)
    }
}
