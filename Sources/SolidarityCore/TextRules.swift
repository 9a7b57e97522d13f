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
        if let brk = text.unicodeScalars.first(where: { $0 == "\n" || $0 == "\r" || $0 == "\t" }) {
            throw SolidarityError.invalid("\(what) \"\(printable(text))\" holds a \(brk == "\t" ? "tab" : "line break"): it is one line; longer text goes in the notes.")
        }
    }

    /// Refuses text that `problem(in:)` finds fault with; `what` names it in the message.
    public static func check(_ text: String, _ what: String) throws {
        if let problem = problem(in: text) { throw SolidarityError.invalid("\(what) \(problem).") }
    }

    /// `text` safe to quote in a message, the one excerpt of input every message uses: control
    /// characters shown as their pictures (␛, ␊) or code points, and past 60 characters cut, with
    /// the length it had ("Solidaridad Solidar… (990000 characters)"). A message quoting a
    /// pasted file would otherwise print the file.
    public static func printable(_ text: String) -> String {
        var shown = ""
        for scalar in text.unicodeScalars.prefix(60) {
            switch scalar.value {
            case 0x00...0x1F: shown.unicodeScalars.append(Unicode.Scalar(0x2400 + scalar.value)!)
            case 0x7F: shown.append("␡")
            case 0x80...0x9F: shown.append(code(scalar))
            default: shown.unicodeScalars.append(scalar)
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
