import Foundation
import GRDB
import Testing
@testable import SolidarityCore

@Suite("What resolutions name, at any length")
struct MentionLimitTests {
    /// What the matcher finds in `text`, one line: organizations by handle and offset, the names it
    /// could not match, and the employers.
    static func reading(_ text: String, matcher: MentionMatcher, db: Database) throws -> String {
        let found = matcher.organizations(in: text)
        let named = try found.mentions.map { mention in
            try String.fetchOne(db, sql: "SELECT handle FROM organizations WHERE id = ?", arguments: [mention.id])! + "@\(mention.offset)"
        }
        let employers = try matcher.employers(in: text).map { try String.fetchOne(db, sql: "SELECT handle FROM employers WHERE id = ?", arguments: [$0])! }
        return "named: \(named.joined(separator: " ")) | unmatched: \(found.unmatched.joined(separator: "; ")) | employers: \(employers.joined(separator: " "))"
    }

    /// The matcher's reading of every seeded clause and preamble, and of every line and clause of
    /// the two resolution texts the Seeds were made from.
    static func readings(in store: Store) throws -> String {
        let golden = AppendixTests.root.appendingPathComponent("Tests/SolidarityCoreTests/Golden")
        return try store.read { db in
            let matcher = try MentionMatcher(db: db)
            var lines: [String] = []
            var texts = try String.fetchAll(db, sql: "SELECT text FROM resolution_clauses ORDER BY resolution_id, position")
            texts += try String.fetchAll(db, sql: "SELECT preamble FROM resolutions ORDER BY id")
            for name in ["nasp-resolution.txt", "ue-79th-convention-international-solidarity.txt"] {
                let text = try String(contentsOf: golden.appendingPathComponent(name), encoding: .utf8)
                texts += text.split(separator: "\n").map(String.init)
                texts += try ResolutionText.parse(text).clauses
                texts.append(text)
            }
            for (index, text) in texts.enumerated() { lines.append("\(index): " + (try reading(text, matcher: matcher, db: db))) }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    @Test("the matcher finds what it found before on the seeded resolutions and their source texts")
    func sameMentions() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let text = try Self.readings(in: store)
        let url = AppendixTests.root.appendingPathComponent("Tests/SolidarityCoreTests/Golden/mentions.txt")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" { try text.write(to: url, atomically: true, encoding: .utf8) }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(text == expected, "mentions.txt differs; if the change is intended, run UPDATE_GOLDEN=1 swift test and review the diff")
    }
}
