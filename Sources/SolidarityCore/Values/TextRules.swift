import Foundation

/// What text the tool stores, wherever it comes in (arguments, interchange files, spreadsheets,
/// resolution texts): no control characters other than tabs and line breaks, and no field longer
/// than a long document. Names and titles are, moreover, one line.
///
/// A control character would reach every terminal that lists the record (an escape sequence
/// recolours or rewrites the screen) and every file made from it; a field of megabytes is a file
/// pasted by mistake, and would swell every listing, export and webhook.
public enum TextRules {
    /// The most characters a field may hold: far more than any name, note or resolution clause.
    public static let maximumLength = 100_000

    /// Why `text` cannot be stored, as a phrase to follow what it is ("holds the control
    /// character …"), or nil when it can.
    public static func problem(in text: String) -> String? {
        if text.utf8.count > maximumLength {
            let length = text.unicodeScalars.count
            if length > maximumLength {
                return "is \(length) characters long; a field holds at most \(maximumLength): was a whole file pasted into it?"
            }
        }
        // Scanned as bytes, since every text imported passes here: C0 controls and DEL are one
        // byte each, and a C1 control is 0xC2 followed by 0x80–0x9F.
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F || (previous == 0xC2 && byte >= 0x80 && byte <= 0x9F) {
                let control = text.unicodeScalars.first(where: isControl)!
                return "holds the control character \(code(control)), which terminals take as a command: remove it"
            }
            previous = byte
        }
        return nil
    }

    /// Refuses a name or title that is not one line of plain text; `what` names it in the message
    /// ("An organization's name").
    public static func checkLine(_ text: String, _ what: String) throws {
        if let problem = problem(in: text) {
            throw SolidarityError.invalid("\(what) \"\(printable(text))\" \(problem).")
        }
        if let brk = text.unicodeScalars.first(where: { $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\u{2028}" || $0 == "\u{2029}" }) {
            throw SolidarityError.invalid("\(what) \"\(printable(text))\" holds a \(brk == "\t" ? "tab" : "line break"): it is one line; longer text goes in the notes.")
        }
    }

    /// Refuses a name, acronym, title or city holding a character that is invisible or changes
    /// the direction of the text around it (U+202E RIGHT-TO-LEFT OVERRIDE, U+200B ZERO WIDTH
    /// SPACE): "FAT" with one of them is a second name that looks like the first. Notes may hold
    /// them; a zero-width joiner or non-joiner is kept between two letters of a script that
    /// needs it (Persian "می‌خواهم", Devanagari conjuncts).
    public static func checkVisible(_ text: String, _ what: String) throws {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return }
        let scalars = Array(text.unicodeScalars)
        for index in scalars.indices where hides(scalars, at: index) {
            let scalar = scalars[index]
            let effect = turnsText(scalar) ? "changes the direction of the text around it"
                : scalar == "\u{200C}" || scalar == "\u{200D}" ? "is invisible here (it joins two letters of a script that needs it, such as Persian or Devanagari)"
                : "is invisible"
            throw SolidarityError.invalid("\(what) \"\(printable(text))\" holds \(describe(scalar)) at character \(index + 1), which \(effect): remove it (notes may hold it).")
        }
    }

    /// Whether the character at `index` hides or turns text in a name: a format character
    /// (general category Cf: direction marks, embeddings, overrides and isolates, zero-width
    /// spaces, the soft hyphen, tags) other than those a script writes visibly, a Hangul filler
    /// (a letter that prints as blank), or a joiner that joins nothing a script needs joined.
    static func hides(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        let scalar = scalars[index]
        switch scalar.value {
        case 0x200C, 0x200D:
            return !(index > 0 && index + 1 < scalars.count && joinable(scalars[index - 1]) && joinable(scalars[index + 1]))
        case 0x115F, 0x1160, 0x3164, 0xFFA0: return true
        // Number signs and format controls some scripts write visibly (Arabic, Syriac, Kaithi,
        // Egyptian hieroglyphs, Duployan shorthand).
        case 0x0600...0x0605, 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2, 0x110BD, 0x110CD, 0x13430...0x1343F, 0x1BCA0...0x1BCA3: return false
        default: return scalar.properties.generalCategory == .format
        }
    }

    /// Whether a joiner beside `scalar` may be needed: a letter or mark of neither ASCII nor the
    /// Latin script.
    private static func joinable(_ scalar: Unicode.Scalar) -> Bool {
        guard !scalar.isASCII, UnicodeScript.name(of: scalar) != "Latin" else { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    /// Bidirectional marks, embeddings, overrides and isolates.
    private static func turnsText(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// "U+202E RIGHT-TO-LEFT OVERRIDE": a character by its code point and name.
    public static func describe(_ scalar: Unicode.Scalar) -> String {
        (scalar.properties.name ?? scalar.properties.nameAlias).map { "\(code(scalar)) \($0)" } ?? code(scalar)
    }

    /// Refuses text that `problem(in:)` finds fault with; `what` names it in the message.
    public static func check(_ text: String, _ what: String) throws {
        if let problem = problem(in: text) { throw SolidarityError.invalid("\(what) \(problem).") }
    }

    /// `text` safe to quote in a message, the one excerpt of input every message uses: control
    /// characters, line breaks and invisible or direction-changing characters shown as their code
    /// points (`\u{1B}`, `\u{202E}`), and past 60 characters cut, with
    /// the length it had ("Solidaridad Solidar… (990000 characters)"). A message quoting a
    /// pasted file would otherwise print the file.
    public static func printable(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars.prefix(60))
        var shown = ""
        for index in scalars.indices {
            let scalar = scalars[index]
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}" || hides(scalars, at: index) {
                shown += escaped(scalar)
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        let length = text.unicodeScalars.count
        return length > 60 ? shown + "… (\(length) characters)" : shown
    }

    /// The longest line of a message printed whole.
    static let longestMessageLine = 1_000

    /// `message` with each line past `longestMessageLine` characters cut in the middle, its start
    /// and end kept: a safety net under messages not written here (the argument parser quotes a
    /// refused value whole) and any quotation `printable` missed.
    public static func boundedLines(_ message: String) -> String {
        guard message.utf8.count > longestMessageLine else { return message }
        return message.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let scalars = line.unicodeScalars
            guard scalars.count > longestMessageLine else { return String(line) }
            var cut = ""
            cut.unicodeScalars.append(contentsOf: scalars.prefix(longestMessageLine / 3))
            cut += " … (\(scalars.count - 2 * (longestMessageLine / 3)) characters left out) … "
            cut.unicodeScalars.append(contentsOf: scalars.suffix(longestMessageLine / 3))
            return cut
        }.joined(separator: "\n")
    }

    /// `text` as a terminal may show it: each control character (an escape sequence recolours or
    /// rewrites the screen) as its code point, `\u{1B}`; line breaks and tabs kept. Every
    /// terminal view of stored text passes through it, since a database may have been written by
    /// other means than this tool; JSON and CSV stay exact.
    public static func visible(_ text: String) -> String {
        var previous: UInt8 = 0
        var clean = true
        for byte in text.utf8 {
            if (byte < 0x20 && byte != 0x09 && byte != 0x0A) || byte == 0x7F || (previous == 0xC2 && byte >= 0x80 && byte <= 0x9F) {
                clean = false
                break
            }
            previous = byte
        }
        if clean { return text }
        var shown = ""
        var scalars = text.unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            if scalar == "\r", scalars.first == "\n" {
                shown.unicodeScalars.append(scalar)  // a Windows line end is a line end
            } else if isControl(scalar) || scalar == "\r" {
                shown += escaped(scalar)
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        return shown
    }

    /// A character as its code point in Swift's notation: `\u{1B}`.
    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
    }

    /// C0 controls other than tab, line feed and carriage return; delete; C1 controls.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: false
        case 0x00...0x1F, 0x7F...0x9F: true
        default: false
        }
    }

    static func code(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}

extension String {
    /// The text without the white space around it (with `newlines`, line breaks too): Foundation's
    /// `trimmingCharacters(in:)`, skipped when the text begins and ends with a visible ASCII
    /// character, as nearly all text does (an import trims every field of every record).
    func trimmingWhitespace(newlines: Bool = true) -> String {
        if let first = utf8.first, let last = utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) { return self }
        return trimmingCharacters(in: newlines ? .whitespacesAndNewlines : .whitespaces)
    }
}
