import Foundation
import GRDB

/// Finds the organizations and employers a resolution names.
///
/// Acronyms match case-sensitively as whole words ("CUT", "FAT"; never "cut" or "fat" in a
/// sentence); names, native names and aliases match without regard to case or accents as whole
/// phrases. "of Brazil", "of Quebec" after a mention decides between organizations sharing an
/// acronym. What looks like a name but matches nothing is reported, never silently dropped.
struct MentionMatcher {
    /// A word of the text with where it starts.
    struct Token {
        let text: String
        let key: String
        let offset: Int
    }

    /// One way of naming a record: an exact acronym, or a folded phrase.
    private struct Pattern {
        let id: Int64
        let words: [String]
        let caseSensitive: Bool
    }

    /// A record named at a place in the text.
    struct Mention: Equatable {
        let id: Int64
        let offset: Int
    }

    private let organizationPatterns: [Pattern]
    private let employerPatterns: [Pattern]
    private let places: [Int64: (country: String?, region: String?)]
    private let home: Int64?
    private let knownAcronyms: Set<String>

    init(db: Database) throws {
        var organizations: [Pattern] = []
        var places: [Int64: (String?, String?)] = [:]
        var acronyms = Set<String>()
        for row in try Row.fetchAll(db, sql: "SELECT id, name, acronym, native_name, country, region FROM organizations") {
            let id: Int64 = row["id"]
            places[id] = (row["country"], row["region"])
            if let acronym: String = row["acronym"] {
                organizations.append(Pattern(id: id, words: Self.words(acronym).map(\.text), caseSensitive: true))
                acronyms.insert(acronym)
            }
            for name in [row["name"] as String, row["native_name"] as String?].compactMap({ $0 }) {
                organizations.append(Pattern(id: id, words: Self.words(name).map(\.key), caseSensitive: false))
            }
        }
        for row in try Row.fetchAll(db, sql: "SELECT organization_id, alias FROM organization_aliases") {
            organizations.append(Self.pattern(for: row["alias"], id: row["organization_id"]))
        }
        var employers: [Pattern] = []
        for row in try Row.fetchAll(db, sql: "SELECT id, name FROM employers") {
            employers.append(Pattern(id: row["id"], words: Self.words(row["name"]).map(\.key), caseSensitive: false))
        }
        for row in try Row.fetchAll(db, sql: "SELECT employer_id, alias FROM employer_aliases") {
            employers.append(Self.pattern(for: row["alias"], id: row["employer_id"]))
        }
        organizationPatterns = organizations.filter { !$0.words.isEmpty }
        employerPatterns = employers.filter { !$0.words.isEmpty }
        self.places = places
        self.home = try Int64.fetchOne(db, sql: "SELECT organization_id FROM home")
        knownAcronyms = acronyms
    }

    /// An alias written in capitals ("GE", "Unite"?) is an acronym only when it is all capitals.
    private static func pattern(for alias: String, id: Int64) -> Pattern {
        let isAcronym = alias.count <= 10 && alias == alias.uppercased() && alias.contains { $0.isLetter }
        return Pattern(id: id, words: words(alias).map { isAcronym ? $0.text : $0.key }, caseSensitive: isAcronym)
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
    /// and the candidate names it could not match.
    func organizations(in text: String) -> (mentions: [Mention], unmatched: [String]) {
        let tokens = Self.words(text)
        var spans = matches(organizationPatterns, in: tokens)
        // Between organizations named alike at the same place, "of <country or region>" decides.
        var resolved: [(span: Range<Int>, ids: [Int64])] = []
        for (span, ids) in spans.sorted(by: { $0.key.lowerBound < $1.key.lowerBound }) {
            var chosen = Array(Set(ids)).sorted()
            if chosen.count > 1, let place = Places.after(tokens, from: span.upperBound) {
                let narrowed = chosen.filter { id in
                    let known = places[id]
                    return known?.country == place || known?.region == place
                }
                if !narrowed.isEmpty { chosen = narrowed }
            }
            resolved.append((span, chosen))
        }
        spans = [:]
        var mentions: [Mention] = []
        var unmatched: [String] = []
        var covered = Set<Int>()
        for (span, ids) in resolved {
            covered.formUnion(span)
            if ids.count == 1 {
                if ids[0] != home { mentions.append(Mention(id: ids[0], offset: tokens[span.lowerBound].offset)) }
            } else {
                unmatched.append(tokens[span].map(\.text).joined(separator: " ") + " (more than one organization goes by this name)")
            }
        }
        // Capitalized names nothing matched: all-capital words, and the phrase before "of <place>".
        for (index, token) in tokens.enumerated() where !covered.contains(index) {
            let letters = token.text.filter(\.isLetter)
            if letters.count >= 2, token.text == token.text.uppercased(), !Self.ordinaryWords.contains(token.text), token.text.contains(where: \.isLetter) {
                unmatched.append(token.text)
            }
        }
        for index in tokens.indices where tokens[index].key == "of" && !covered.contains(index) {
            guard Places.after(tokens, from: index) != nil else { continue }
            var first = index
            while first > 0 {
                let previous = tokens[first - 1]
                let capital = previous.text.first?.isUppercase == true
                let connector = ["of", "the", "and", "de", "du", "des", "del", "la"].contains(previous.key)
                    && first >= 2 && tokens[first - 2].text.first?.isUppercase == true
                if capital || connector { first -= 1 } else { break }
            }
            let span = first..<index
            guard !span.isEmpty, !span.contains(where: covered.contains) else { continue }
            let words = tokens[span].map(\.text).joined(separator: " ")
            if !unmatched.contains(where: { words.contains($0) || $0.contains(words) }) { unmatched.append(words) }
        }
        var seen = Set<Int64>()
        mentions = mentions.sorted { $0.offset < $1.offset }.filter { seen.insert($0.id).inserted }
        return (mentions, unmatched)
    }

    /// The employers a text names.
    func employers(in text: String) -> [Int64] {
        let found = matches(employerPatterns, in: Self.words(text))
        var seen = Set<Int64>()
        return found.sorted { $0.key.lowerBound < $1.key.lowerBound }.flatMap(\.value).filter { seen.insert($0).inserted }
    }

    /// Every place a pattern matches, longest first; a match inside a longer one is dropped.
    private func matches(_ patterns: [Pattern], in tokens: [Token]) -> [Range<Int>: [Int64]] {
        var found: [Range<Int>: [Int64]] = [:]
        for pattern in patterns {
            let count = pattern.words.count
            guard count <= tokens.count else { continue }
            for start in 0...(tokens.count - count) {
                var equal = true
                for k in 0..<count {
                    let token = tokens[start + k]
                    if (pattern.caseSensitive ? token.text : token.key) != pattern.words[k] { equal = false; break }
                }
                if equal { found[start..<(start + count), default: []].append(pattern.id) }
            }
        }
        let spans = found.keys.sorted { ($0.count, -$0.lowerBound) > ($1.count, -$1.lowerBound) }
        var kept: [Range<Int>: [Int64]] = [:]
        for span in spans where !kept.keys.contains(where: { $0.overlaps(span) }) {
            kept[span] = found[span]
        }
        return kept
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
