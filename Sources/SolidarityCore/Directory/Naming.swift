import Foundation

/// How names are compared and how handles are made from them.
///
/// Staff type "Confederation des syndicats nationaux" for "Confédération des syndicats nationaux"
/// and "chicago teachers union" for "Chicago Teachers' Union": both must find the record.
public enum Naming {
    /// The folded form of a name used for matching: no case, no accents, punctuation as single
    /// spaces ("Chicago Teachers’ Union" and "chicago teachers union" fold alike).
    public static func key(_ text: String) -> String {
        text.utf8.allSatisfy({ $0 < 0x80 }) ? asciiKey(text) : foldedKey(text)
    }

    /// `key` through Foundation's folding, for any text.
    static func foldedKey(_ text: String) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        var result = ""
        var pendingSpace = false
        for scalar in folded.unicodeScalars {
            if scalar == "'" || scalar == "’" || scalar == "‘" {
                continue  // "Teachers'" folds to "teachers"
            }
            if CharacterSet.alphanumerics.contains(scalar) {
                if pendingSpace, !result.isEmpty { result.append(" ") }
                pendingSpace = false
                result.unicodeScalars.append(scalar)
            } else {
                pendingSpace = true
            }
        }
        return result
    }

    /// `key` of an ASCII text, without Foundation's folding (most names are ASCII, and an import
    /// folds several per record): the same result, several times faster.
    static func asciiKey(_ text: String) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for byte in text.utf8 where byte != UInt8(ascii: "'") {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                if pendingSpace, !result.isEmpty { result.append(UInt8(ascii: " ")) }
                pendingSpace = false
                result.append(byte | (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? 0x20 : 0))
            default:
                pendingSpace = true
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// A lowercase ASCII slug: "UE Local 506" → "ue-local-506", "CCMM-CSN" → "ccmm-csn".
    public static func slug(_ text: String) -> String {
        let ascii = key(text).unicodeScalars.map { scalar -> String in
            scalar.isASCII && CharacterSet.alphanumerics.contains(scalar) ? String(scalar) : "-"
        }.joined()
        let collapsed = ascii.split(separator: "-", omittingEmptySubsequences: true).joined(separator: "-")
        return String(collapsed.prefix(64)).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }

    /// The handle a new record is stored under: `given` when it is free (refused with `taken`
    /// when not); with none given, the first free one made from `base` (`freeHandle`).
    static func claimHandle(_ given: String, base: @autoclosure () -> String, country: String? = nil, for name: String,
                            isTaken: (String) throws -> Bool, taken: (String) -> SolidarityError) throws -> String {
        if given.isEmpty { return try freeHandle(base(), country: country, for: name, isTaken: isTaken) }
        if try isTaken(given) { throw taken(given) }
        return given
    }

    /// The first handle not yet taken: `base`, then, when a country is given, `base` with it (a
    /// clash takes the country: `cut-br`), then the last of those numbered (`cut-br-2`).
    static func freeHandle(_ base: String, country: String? = nil, for name: String, isTaken: (String) throws -> Bool) throws -> String {
        guard !base.isEmpty else {
            throw SolidarityError.invalid("Cannot make a handle from \"\(TextRules.printable(name))\" (it has no letters or digits a–z, 0–9).", remedy: .giveOne(.handle, example: "sindicato-1"))
        }
        // A long base is cut so that each candidate, with what follows it, stays within a handle's 64 characters.
        func fitted(_ suffix: String) -> String {
            String(base.prefix(64 - suffix.count)).trimmingCharacters(in: CharacterSet(charactersIn: "-")) + suffix
        }
        let place = country.map { "-\($0.lowercased())" } ?? ""
        let candidates = [fitted("")] + (country == nil ? [] : [fitted(place)])
        for candidate in candidates + (2...99).map({ fitted("\(place)-\($0)") }) where try !isTaken(candidate) {
            return candidate
        }
        throw SolidarityError(.duplicate, "Every handle like \"\(base)\" is taken.", remedy: .giveOne(.handle))
    }

    /// Checks a handle given by the user (`--handle`).
    public static func checkHandle(_ handle: String) throws {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789-")
        guard !handle.isEmpty, handle.count <= 64, handle.unicodeScalars.allSatisfy(allowed.contains),
              handle.first != "-", handle.last != "-" else {
            throw SolidarityError.invalid("\"\(TextRules.printable(handle))\" is not a handle: use lowercase letters a–z, digits and hyphens, for example ue-local-506.")
        }
    }

    /// Checks a language tag (BCP 47 style: "es", "fr", "pt-BR", "fil").
    public static func checkLanguage(_ tag: String) throws {
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        let lower = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz")
        guard let first = parts.first, (2...3).contains(first.count), first.unicodeScalars.allSatisfy(lower.contains),
              parts.dropFirst().allSatisfy({ (1...8).contains($0.count) && $0.unicodeScalars.allSatisfy(CharacterSet.alphanumerics.contains) && $0.allSatisfy(\.isASCII) })
        else {
            throw SolidarityError.invalid("\"\(TextRules.printable(tag))\" is not a language code: use a lowercase ISO 639 code such as es, fr, ja, ko, pt or fil (a region may follow: pt-BR).")
        }
    }

    /// The edit distance between two folded names, for suggesting what the user meant: the
    /// Damerau–Levenshtein distance (optimal string alignment), where swapping two neighbouring
    /// letters counts one edit like a wrong letter does, so "fta" is one edit from "fat".
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        // Three rows of the table: two rows back is where a transposition comes from.
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, substitution)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = Swift.min(current[j], beforePrevious[j - 2] + 1)
                }
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }
}
