/// A record people find by its names: an organization, a person, an employer, a site, an
/// activity, a convention or a resolution.
///
/// Its names, acronyms, aliases, titles and cities may hold no invisible or direction-changing
/// character (`TextRules.checkVisible`), and a word in them that mixes scripts is worth a
/// warning (`MixedScriptWord`): either makes a second "FAT" that looks like the first and that no
/// search for the first finds.
public protocol NamedRecord {
    /// Each name the record is found or shown by, with what it is in a message ("An acronym").
    var namesAndTitles: [(what: String, text: String)] { get }
}

extension NamedRecord {
    /// Refuses the record when one of its names holds an invisible or direction-changing character.
    func checkNamesVisible() throws {
        for name in namesAndTitles { try TextRules.checkVisible(name.text, name.what) }
    }

    /// The words of the record's names that mix scripts, for a warning: the record is kept.
    public var mixedScriptWords: [MixedScriptWord] {
        namesAndTitles.flatMap { MixedScriptWord.find(in: $0.text, what: $0.what) }
    }
}

extension Organization: NamedRecord {
    public var namesAndTitles: [(what: String, text: String)] {
        [("An organization's name", name)] + [acronym.map { ("An acronym", $0) }, nativeName.map { ("A native-language name", $0) },
                                               city.map { ("A city", $0) }].compactMap { $0 }
            + aliases.map { ("An alias", $0.name) }
    }
}

extension Person: NamedRecord {
    public var namesAndTitles: [(what: String, text: String)] {
        [("A person's name", name)] + titles.map { ("A title", $0.title) }
    }
}

extension Employer: NamedRecord {
    public var namesAndTitles: [(what: String, text: String)] {
        [("An employer's name", name)] + aliases.map { ("An employer's alias", $0) }
    }
}

extension Site: NamedRecord {
    public var namesAndTitles: [(what: String, text: String)] {
        [("A site's name", name)] + (city.map { [("A city", $0)] } ?? [])
    }
}

extension Activity: NamedRecord {
    public var namesAndTitles: [(what: String, text: String)] {
        [("An activity's title", title)] + itinerary.compactMap { stop in stop.city.map { ("A city", $0) } }
    }
}

extension Convention: NamedRecord {
    public var namesAndTitles: [(what: String, text: String)] {
        [("A convention's name", name)] + (city.map { [("A city", $0)] } ?? [])
    }
}

extension Resolution: NamedRecord {
    public var namesAndTitles: [(what: String, text: String)] { [("A resolution's title", title)] }
}

/// A word of a name whose letters come from scripts not written together: a Cyrillic "А" in a
/// Latin "FАT".
///
/// The rule is the highly restrictive profile of Unicode's confusable detection (UTS #39,
/// section 5.2): a word is in one script, or in Latin with Han and Hiragana or Katakana
/// (Japanese), with Han and Bopomofo (Chinese), or with Han and Hangul (Korean). Characters of
/// no one script (digits, punctuation, combining marks) never count.
public struct MixedScriptWord: Sendable, Equatable, CustomStringConvertible {
    /// A letter of the word that is not of its main script.
    public struct Stranger: Sendable, Equatable {
        public let character: Unicode.Scalar
        public let script: String
    }

    /// What the text is ("An organization's name").
    public let what: String
    /// The whole text the word is in.
    public let text: String
    public let word: String
    /// The script most of the word's letters are in.
    public let script: String
    public let strangers: [Stranger]

    public var description: String {
        let letters = strangers.map { "\(TextRules.describe($0.character)) (\($0.script))" }
        return "\(what) \"\(TextRules.printable(text))\" mixes scripts: \(Self.list(letters)) in \(script.first.map { "AEIOU".contains($0) } == true ? "an" : "a") \(script) word \"\(TextRules.printable(word))\". It was recorded as given: check that \(strangers.count == 1 ? "this letter is" : "these letters are") meant, as a look-alike makes a second name that searches for the first do not find."
    }

    /// The scripts that are written together: a word's scripts must all be in one of these.
    static let writtenTogether: [Set<String>] = [
        ["Latin", "Han", "Hiragana", "Katakana"], ["Latin", "Han", "Bopomofo"], ["Latin", "Han", "Hangul"],
    ]

    /// The words of `text` that mix scripts.
    static func find(in text: String, what: String) -> [MixedScriptWord] {
        // Nearly every name is ASCII, in which letters are Latin only.
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return [] }
        return text.split(whereSeparator: \.isWhitespace).compactMap { word in
            let letters = word.unicodeScalars.compactMap { scalar in UnicodeScript.name(of: scalar).map { Stranger(character: scalar, script: $0) } }
            let scripts = Set(letters.map(\.script))
            guard scripts.count > 1, !writtenTogether.contains(where: scripts.isSubset) else { return nil }
            // The main script is the one most letters are in (the first met, on a tie); the
            // strangers are the letters of a script not written with it, or, when each is
            // written with it (Hangul and Hiragana with Han), every letter of another script.
            var counts: [String: Int] = [:]
            for letter in letters { counts[letter.script, default: 0] += 1 }
            let main = letters.first(where: { counts[$0.script] == counts.values.max() })!.script
            let apart = letters.filter { letter in !writtenTogether.contains { $0.isSuperset(of: [main, letter.script]) } }
            var strangers: [Stranger] = []
            for letter in apart.isEmpty ? letters.filter({ $0.script != main }) : apart where !strangers.contains(letter) {
                strangers.append(letter)
            }
            return MixedScriptWord(what: what, text: text, word: String(word), script: main, strangers: strangers)
        }
    }

    /// "a", "a and b", "a, b and c".
    private static func list(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items.last!
    }
}
