import Foundation
import GRDB

/// Finds the organizations and employers a resolution names.
///
/// Acronyms match case-sensitively as whole words ("CUT", "FAT"; never "cut" or "fat" in a
/// sentence); names, native names and aliases match without regard to case or accents as whole
/// phrases. "of Brazil", "of Quebec" after a mention decides between organizations sharing an
/// acronym. What looks like a name but matches nothing is reported, never silently dropped.
///
/// The work grows with the text, not with the text times the directory: the text is cut into
/// words once, and the names are looked up from each word in an index of names as word
/// sequences, a walk no longer than the longest name. Every other pass looks at a bounded number
/// of words per word of the text.
struct MentionMatcher {
    /// A word of the text with where it starts.
    struct Token {
        let text: String
        let key: String
        let offset: Int
    }

    /// A record named at a place in the text.
    struct Mention: Equatable {
        let id: Int64
        let offset: Int
    }

    /// Counts the words the matcher looks at, so that a test can tell work that grows with the
    /// text from work that grows faster.
    final class Steps {
        var count = 0
    }

    /// The names of one kind of record: acronyms as their exact words, other names folded.
    private struct Names {
        /// Names as sequences of words: per node, the node each next word leads to.
        private struct Index {
            private var children: [[String: Int]] = [[:]]
            /// Per node, the records whose name ends there, in the order their names were added.
            private var named: [Int: [(order: Int, id: Int64)]] = [:]

            mutating func add(_ words: [String], id: Int64, order: Int) {
                var node = 0
                for word in words {
                    if let next = children[node][word] {
                        node = next
                    } else {
                        children.append([:])
                        children[node][word] = children.count - 1
                        node = children.count - 1
                    }
                }
                named[node, default: []].append((order, id))
            }

            /// Calls `found` with the end and the records of every name that starts at `start`.
            func names(in tokens: [Token], from start: Int, word: (Token) -> String, steps: Steps,
                       _ found: (Int, [(order: Int, id: Int64)]) -> Void) {
                var node = 0
                var index = start
                while index < tokens.count, let next = children[node][word(tokens[index])] {
                    steps.count += 1
                    node = next
                    index += 1
                    if let records = named[node] { found(index, records) }
                }
            }
        }

        private var exact = Index()
        private var folded = Index()
        private var count = 0

        /// Adds a name; an empty one (no letters or digits) names nothing.
        mutating func add(_ words: [String], id: Int64, caseSensitive: Bool) {
            guard !words.isEmpty else { return }
            if caseSensitive { exact.add(words, id: id, order: count) } else { folded.add(words, id: id, order: count) }
            count += 1
        }

        /// Every place a name matches, longest first; a match overlapping a longer (or, as long,
        /// earlier) one is dropped. A place named by several names lists their records in the
        /// order the names were added.
        func matches(in tokens: [Token], steps: Steps) -> [Range<Int>: [Int64]] {
            var found: [Range<Int>: [(order: Int, id: Int64)]] = [:]
            for start in tokens.indices {
                steps.count += 1
                exact.names(in: tokens, from: start, word: \.text, steps: steps) { found[start..<$0, default: []] += $1 }
                folded.names(in: tokens, from: start, word: \.key, steps: steps) { found[start..<$0, default: []] += $1 }
            }
            let spans = found.keys.sorted { ($0.count, -$0.lowerBound) > ($1.count, -$1.lowerBound) }
            var kept: [Range<Int>: [Int64]] = [:]
            var taken = Set<Int>()
            for span in spans {
                steps.count += span.count
                guard !span.contains(where: taken.contains) else { continue }
                taken.formUnion(span)
                kept[span] = found[span]!.sorted { $0.order < $1.order }.map(\.id)
            }
            return kept
        }
    }

    private let organizationNames: Names
    private let employerNames: Names
    private let places: [Int64: (country: String?, region: String?)]
    private let home: Int64?
    /// The words the matcher has looked at so far.
    let steps = Steps()

    /// The most words read back from "of <place>" for the name before it: longer than any name.
    static let longestName = 12
    /// The most unmatched names reported for one clause; one more entry says how many were left out.
    static let mostUnmatched = 50

    init(db: Database) throws {
        var organizations = Names()
        var places: [Int64: (String?, String?)] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, name, acronym, native_name, country, region FROM organizations") {
            let id: Int64 = row["id"]
            places[id] = (row["country"], row["region"])
            if let acronym: String = row["acronym"] {
                organizations.add(Self.words(acronym).map(\.text), id: id, caseSensitive: true)
            }
            for name in [row["name"] as String, row["native_name"] as String?].compactMap({ $0 }) {
                organizations.add(Self.words(name).map(\.key), id: id, caseSensitive: false)
            }
        }
        for row in try Row.fetchAll(db, sql: "SELECT organization_id, alias FROM organization_aliases") {
            Self.add(alias: row["alias"], id: row["organization_id"], to: &organizations)
        }
        var employers = Names()
        for row in try Row.fetchAll(db, sql: "SELECT id, name FROM employers") {
            employers.add(Self.words(row["name"]).map(\.key), id: row["id"], caseSensitive: false)
        }
        for row in try Row.fetchAll(db, sql: "SELECT employer_id, alias FROM employer_aliases") {
            Self.add(alias: row["alias"], id: row["employer_id"], to: &employers)
        }
        organizationNames = organizations
        employerNames = employers
        self.places = places
        self.home = try Int64.fetchOne(db, sql: "SELECT organization_id FROM home")
    }

    /// An alias written in capitals ("GE", "Unite"?) is an acronym only when it is all capitals.
    private static func add(alias: String, id: Int64, to names: inout Names) {
        let isAcronym = alias.count <= 10 && alias == alias.uppercased() && alias.contains { $0.isLetter }
        names.add(words(alias).map { isAcronym ? $0.text : $0.key }, id: id, caseSensitive: isAcronym)
    }

    /// The words of a text: runs of letters and digits, apostrophes inside words dropped.
    static func words(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var current = ""
        var start = 0
        var offset = 0
        var afterApostrophe = false
        func finish() {
            // A possessive's "s" ("the CUT's members") is not a word of its own.
            if !current.isEmpty, !(afterApostrophe && (current == "s" || current == "S")) {
                tokens.append(Token(text: current, key: Naming.key(current), offset: start))
            }
            current = ""
        }
        for character in text {
            if character.isLetter || character.isNumber {
                if current.isEmpty { start = offset }
                current.append(character)
            } else {
                finish()
                afterApostrophe = character == "'" || character == "’"
            }
            offset += 1
        }
        finish()
        return tokens
    }

    /// The organizations a clause names, first mention first, the home organization left out,
    /// and the candidate names it could not match (at most `mostUnmatched`, then how many more).
    func organizations(in text: String) -> (mentions: [Mention], unmatched: [String]) {
        let tokens = Self.words(text)
        let spans = organizationNames.matches(in: tokens, steps: steps)
        var mentions: [Mention] = []
        var unmatched: [String] = []
        var leftOut = 0
        func report(_ name: String) {
            if unmatched.count < Self.mostUnmatched { unmatched.append(name) } else { leftOut += 1 }
        }
        var covered = Set<Int>()
        // Between organizations named alike at the same place, "of <country or region>" decides.
        for (span, ids) in spans.sorted(by: { $0.key.lowerBound < $1.key.lowerBound }) {
            var chosen = Array(Set(ids)).sorted()
            if chosen.count > 1, let place = Places.after(tokens, from: span.upperBound) {
                let narrowed = chosen.filter { id in
                    let known = places[id]
                    return known?.country == place || known?.region == place
                }
                if !narrowed.isEmpty { chosen = narrowed }
            }
            covered.formUnion(span)
            if chosen.count == 1 {
                if chosen[0] != home { mentions.append(Mention(id: chosen[0], offset: tokens[span.lowerBound].offset)) }
            } else {
                report(tokens[span].map(\.text).joined(separator: " ") + " (more than one organization goes by this name)")
            }
        }
        // Capitalized names nothing matched: all-capital words, and the phrase before "of <place>".
        for (index, token) in tokens.enumerated() where !covered.contains(index) {
            steps.count += 1
            let letters = token.text.filter(\.isLetter)
            if letters.count >= 2, token.text == token.text.uppercased(), !Self.ordinaryWords.contains(token.text), token.text.contains(where: \.isLetter) {
                report(token.text)
            }
        }
        for index in tokens.indices where tokens[index].key == "of" && !covered.contains(index) {
            guard Places.after(tokens, from: index) != nil else { continue }
            var first = index
            while first > 0, index - first < Self.longestName {
                steps.count += 1
                let previous = tokens[first - 1]
                let capital = previous.text.first?.isUppercase == true
                let connector = ["of", "the", "and", "de", "du", "des", "del", "la"].contains(previous.key)
                    && first >= 2 && tokens[first - 2].text.first?.isUppercase == true
                if capital || connector { first -= 1 } else { break }
            }
            let span = first..<index
            guard !span.isEmpty, !span.contains(where: covered.contains) else { continue }
            let words = tokens[span].map(\.text).joined(separator: " ")
            steps.count += unmatched.count
            if !unmatched.contains(where: { words.contains($0) || $0.contains(words) }) { report(words) }
        }
        if leftOut > 0 { unmatched.append("and \(leftOut) more") }
        var seen = Set<Int64>()
        mentions = mentions.sorted { $0.offset < $1.offset }.filter { seen.insert($0.id).inserted }
        return (mentions, unmatched)
    }

    /// The employers a text names.
    func employers(in text: String) -> [Int64] {
        let found = employerNames.matches(in: Self.words(text), steps: steps)
        var seen = Set<Int64>()
        return found.sorted { $0.key.lowerBound < $1.key.lowerBound }.flatMap(\.value).filter { seen.insert($0).inserted }
    }

    /// All-capital words that are not names.
    static let ordinaryWords: Set<String> = [
        "THE", "AND", "OF", "TO", "IN", "FOR", "ON", "BE", "IT", "IS", "THAT", "THIS", "WITH", "BY", "AS", "AT", "OR", "AN", "A",
        "RESOLVED", "THEREFORE", "FURTHER", "FINALLY", "WHEREAS", "CONVENTION", "US", "USA", "UN", "NAFTA", "USMCA", "COVID", "AI", "CEO",
        "II", "III", "IV", "VI", "VII", "VIII", "IX", "XI", "XII",
    ]
}

/// Countries and regions as texts name them after "of".
enum Places {
    /// The country code or region code named right after token `index` ("of Brazil", "of the United Kingdom", "of Quebec").
    static func after(_ tokens: [MentionMatcher.Token], from index: Int) -> String? {
        var i = index
        guard i < tokens.count, tokens[i].key == "of" else { return nil }
        i += 1
        if i < tokens.count, tokens[i].key == "the" { i += 1 }
        for length in stride(from: 4, through: 1, by: -1) where i + length <= tokens.count {
            let phrase = tokens[i..<(i + length)].map(\.key).joined(separator: " ")
            if let code = byName[phrase] { return code }
        }
        return nil
    }

    static let byName: [String: String] = {
        var names: [String: String] = [:]
        for (code, name) in Country.names { names[Naming.key(name)] = code }
        let common: [String: String] = [
            "great britain": "GB", "britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "united states of america": "US",
            "korea": "KR", "republic of korea": "KR", "philippines": "PH", "russia": "RU", "iran": "IR", "vietnam": "VN", "bolivia": "BO",
            "venezuela": "VE", "tanzania": "TZ", "palestine": "PS", "czech republic": "CZ", "turkey": "TR", "taiwan": "TW", "syria": "SY",
            "quebec": "CA-QC", "québec": "CA-QC", "ontario": "CA-ON", "british columbia": "CA-BC", "alberta": "CA-AB", "manitoba": "CA-MB",
            "nova scotia": "CA-NS", "catalonia": "ES-CT", "basque country": "ES-PV", "puerto rico": "PR",
        ]
        for (name, code) in common { names[Naming.key(name)] = code }
        return names
    }()
}
