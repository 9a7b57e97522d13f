/// Text set into Markdown so that it reads as the text it is: every character Markdown or the
/// HTML inside it would take as markup is escaped, in the appendix and the `--format md`
/// listings alike (a name such as `<b>Union</b>` or `*Local* 506` is shown, never obeyed).
public enum MarkdownText {
    /// `raw` with Markdown's punctuation backslash-escaped (emphasis, code, links, HTML tags and
    /// autolinks, table pipes, headings, GitHub's strikethrough; an underscore inside a word,
    /// which emphasises nothing, is left as it is), an `&` that would begin a
    /// character reference (`&lt;`, `&#60;`) escaped too, and each line break (LF, CR LF or CR)
    /// written as `lineBreak`: a space in running text, `<br>` in a table cell.
    public static func escaped(_ raw: String, lineBreak: String = " ") -> String {
        // Markdown's punctuation is ASCII, so the work is on UTF-8 bytes; most text has none.
        func special(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "\\"), UInt8(ascii: "`"), UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "["), UInt8(ascii: "]"),
                 UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "|"), UInt8(ascii: "#"), UInt8(ascii: "~"): true
            default: false
            }
        }
        let bytes = Array(raw.utf8)
        guard bytes.contains(where: { special($0) || $0 == 0x0A || $0 == 0x0D || $0 == UInt8(ascii: "&") }) else { return raw }
        var escaped: [UInt8] = []
        escaped.reserveCapacity(bytes.count + 8)
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case 0x0D where index + 1 < bytes.count && bytes[index + 1] == 0x0A: continue
            case 0x0A, 0x0D: escaped += lineBreak.utf8
            case UInt8(ascii: "&") where beginsCharacterReference(bytes[(index + 1)...]):
                escaped += [UInt8(ascii: "\\"), byte]
            case UInt8(ascii: "_") where index > 0 && index + 1 < bytes.count && isAlphanumeric(bytes[index - 1]) && isAlphanumeric(bytes[index + 1]):
                // Inside a word ("member_of") an underscore begins and ends no emphasis.
                escaped.append(byte)
            default:
                if special(byte) { escaped.append(UInt8(ascii: "\\")) }
                escaped.append(byte)
            }
        }
        return String(decoding: escaped, as: UTF8.self)
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Whether the text after an `&` makes it a character reference: a name or `#` and digits
    /// (`#x` and hex digits), then `;`. "AT&T" and "R&D" are left as they are.
    private static func beginsCharacterReference(_ rest: ArraySlice<UInt8>) -> Bool {
        var body = rest.prefix { $0 != UInt8(ascii: ";") }
        guard body.count < rest.count, !body.isEmpty, body.count <= 32 else { return false }
        if body.first == UInt8(ascii: "#") {
            body = body.dropFirst()
            if body.first == UInt8(ascii: "x") || body.first == UInt8(ascii: "X") { body = body.dropFirst() }
        }
        return !body.isEmpty && body.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
    }
}
