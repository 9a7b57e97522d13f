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

@Suite("What a clause, a search and a listing may cost")
struct CostLimitTests {
    /// A clause with every kind of thing the matcher looks at, `units` times: names and acronyms,
    /// an acronym two organizations share, capitals that match nothing, the phrase before
    /// "of <country>", and one long run of "Brazil of Brazil of …".
    static func clause(units: Int) -> String {
        let unit = "The Mine Workers Union of South Africa and SINTRAINAL of Colombia greet the CUT, the FAT of Mexico, Zenroren "
            + "and the International Longshore and Warehouse Union; "
        return String(repeating: unit, count: units) + String(repeating: "Brazil of ", count: units * 4) + "Brazil."
    }

    @Test("the matcher looks at each word of a clause a bounded number of times, however long the clause")
    func linearMatching() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        _ = try store.addOrganization(Organization(name: "Central Unitaria de Trabajadores", acronym: "CUT", kind: .confederation, country: "CL"))
        try store.read { db in
            var perWord: [Double] = []
            for units in [50, 400] {
                let matcher = try MentionMatcher(db: db)
                let text = Self.clause(units: units)
                let found = matcher.organizations(in: text)
                _ = matcher.employers(in: text)
                #expect(found.mentions.count == 3 && found.unmatched.count == MentionMatcher.mostUnmatched + 1)
                #expect(found.unmatched.last?.hasPrefix("and ") == true)
                perWord.append(Double(matcher.steps.count) / Double(MentionMatcher.words(text).count))
            }
            // Eight times the text, at most a little more than eight times the work.
            #expect(perWord[1] <= perWord[0] * 1.1, "steps per word grew from \(perWord[0]) to \(perWord[1])")
            #expect(perWord[1] < 60, "\(perWord[1]) steps per word")
        }
    }

    // The time limit only stops a hang (this takes about 2 s alone; a loaded machine has tripped a 1-minute limit):
    // a timing is never the assertion.
    @Test("a resolution whose clause is a whole file is refused with the length rule before its names are read", .timeLimit(.minutes(5)))
    func overlongClause() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let before = try store.resolutions().count
        let text = "We stand together.\nBE IT RESOLVED:\n- " + Self.clause(units: 20_000) + "\n- Sends greetings.\n"
        #expect {
            try store.addResolution(convention: "ue-79", title: "Pasted by mistake", text: text)
        } throws: { error in
            let message = (error as? SolidarityError)?.message ?? ""
            return (error as? SolidarityError)?.isUsageError == true && message.hasPrefix("Clause 1 is ")
                && message.contains("characters long; a field holds at most 100000")
        }
        #expect(try store.resolutions().count == before)
    }

    @Test("a search takes at most 32 words; more are refused with how many were given")
    func searchWords() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let words = (1...Search.maximumWords).map { "word\($0)" }
        #expect(try store.search(words.joined(separator: " ")).isEmpty)
        #expect {
            try store.search((words + ["frente"]).joined(separator: " "))
        } throws: { error in
            let error = error as? SolidarityError
            return error?.isUsageError == true && error?.message.contains("at most 32 words and 33 were given") == true
        }
    }

    @Test("a listing longer than a page hands over every record once, in order, whatever the filter")
    func pages() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let count = ListingPages.size * 2 + 3
        try store.write { db in
            for n in 0..<count {
                try Organizations(db: db).insert(Organization(name: "Sindicato Número \(n)", acronym: "S\(n)", country: n % 2 == 0 ? "BR" : "MX",
                                                              aliases: [.init(name: "Alias \(n)")]))
            }
        }
        for filter in [OrganizationFilter(), OrganizationFilter(country: "BR")] {
            var streamed: [Organization] = []
            try store.organizations(filter) { streamed.append($0) }
            let expected = try store.read { db in
                try String.fetchAll(db, sql: "SELECT handle FROM organizations WHERE ? IS NULL OR country = ? ORDER BY handle",
                                    arguments: [filter.country, filter.country])
            }
            #expect(streamed.map(\.handle) == expected)
            #expect(streamed.filter { $0.handle.hasPrefix("s") && $0.aliases.map(\.name) == ["Alias \($0.acronym!.dropFirst())"] }.count
                    == (filter.country == nil ? count : (count + 1) / 2))
        }
    }
}

@Suite("Input quoted in messages")
struct ExcerptTests {
    @Test("a long input is quoted by its first 60 characters and its length; a short one whole")
    func excerpt() {
        #expect(TextRules.printable("Sindicato Uno") == "Sindicato Uno")
        let pasted = String(repeating: "Solidaridad ", count: 100_000)
        #expect(TextRules.printable(pasted) == String(pasted.prefix(60)) + "… (1200000 characters)")
    }

    @Test("a message line of a megabyte keeps its start and its end; short lines are left as they are")
    func boundedLines() {
        let value = String(repeating: "x", count: 1 << 20)
        let message = "The value '\(value)' is invalid for '--country <cc>': use MX.\nUsage: solidarity org add"
        let bounded = TextRules.boundedLines(message)
        #expect(bounded.utf8.count < 1_200)
        #expect(bounded.hasPrefix("The value 'xxx") && bounded.contains("is invalid for '--country <cc>': use MX.\nUsage: solidarity org add"))
        #expect(bounded.contains("characters left out"))
        #expect(TextRules.boundedLines("Short.\nLines.") == "Short.\nLines.")
    }
}
