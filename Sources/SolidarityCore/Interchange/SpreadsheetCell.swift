/// How a value is written into a CSV cell so that no spreadsheet runs it as a formula, and read
/// back to the same value.
///
/// A spreadsheet takes a cell that begins with `=`, `+`, `-` or `@` (or a tab or carriage return
/// before one) as a formula: a name such as `=HYPERLINK("http://…","click")` would run when the
/// file is opened. Such a cell is written with a `'` before it, which spreadsheets show as text
/// (OWASP's rule for CSV injection), except when it is plainly a number or a phone number
/// (`-3`, `+82 10 5555 0199`), which no spreadsheet runs. A value that already begins with `'`
/// followed by such a cell gets one more, so that reading strips exactly one: import gives back
/// every value export wrote.
public enum SpreadsheetCell {
    /// The cell text for `value`.
    public static func written(_ value: String) -> String {
        needsMark(value[...]) ? "'" + value : value
    }

    /// The value a cell's text stands for: the cell without the `'` that `written` put before it.
    public static func read(_ cell: String) -> String {
        cell.utf8.first == UInt8(ascii: "'") && needsMark(cell.dropFirst()) ? String(cell.dropFirst()) : cell
    }

    /// Whether a spreadsheet would run `value` (or a value that reads as it once its mark is
    /// stripped), so that it needs a `'` before it.
    private static func needsMark(_ value: Substring) -> Bool {
        guard let first = value.utf8.first else { return false }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "@"), 0x09, 0x0D: return true
        case UInt8(ascii: "+"), UInt8(ascii: "-"): return !isNumber(value)
        case UInt8(ascii: "'"): return needsMark(value.dropFirst())
        default: return false
        }
    }

    /// Whether `value`, which begins with a sign, is plainly a number or a phone number: the
    /// sign, then digits with at most one decimal point (`-3`, `+2.5`), or digits in groups
    /// separated by single spaces, hyphens, dots or a parenthesised area code
    /// (`+82 10 5555 0199`, `+1 (555) 123-4567`). Such a cell holds nothing a spreadsheet could
    /// run: no name of a function, no reference to another cell.
    static func isNumber(_ value: Substring) -> Bool {
        let rest = value.utf8.dropFirst()
        guard let first = rest.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) || first == UInt8(ascii: "(") else { return false }
        if rest.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: ".") }) {
            return rest.filter { $0 == UInt8(ascii: ".") }.count <= 1 && rest.last != UInt8(ascii: ".")
        }
        // A phone number: digits, separators never two in a row, parentheses around digits only.
        var previousWasSeparator = true
        var open = false
        for byte in rest {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): previousWasSeparator = false
            case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "."):
                if previousWasSeparator { return false }
                previousWasSeparator = true
            case UInt8(ascii: "("):
                if open { return false }
                open = true
                previousWasSeparator = true
            case UInt8(ascii: ")"):
                if !open || previousWasSeparator { return false }
                open = false
                previousWasSeparator = false
            default: return false
            }
        }
        return !open && !previousWasSeparator
    }
}
