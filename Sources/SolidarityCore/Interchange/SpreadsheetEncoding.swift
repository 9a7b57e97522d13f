import Foundation

/// Where a spreadsheet's text is not the UTF-8 it must be: a file saved in Windows-1252 or
/// Latin-1 (Excel's plain "CSV"), or UTF-8 text that was once read as Windows-1252 and saved
/// again ("SÃ£o Paulo" for "São Paulo"), so that nothing garbled is stored.
enum SpreadsheetEncoding {
    /// The line (from 1; a line ends at LF, CR LF or CR) of the first byte that is not part of a
    /// well-formed UTF-8 sequence (Unicode's table 3-7), or the last line when every one is.
    static func lineOfFirstInvalidByte(in bytes: Data) -> Int {
        let bytes = [UInt8](bytes)
        var line = 1
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            if lead < 0x80 {
                if lead == 0x0A || (lead == 0x0D && (index + 1 == bytes.count || bytes[index + 1] != 0x0A)) { line += 1 }
                index += 1
                continue
            }
            // The range of the second byte, and how many continuation bytes follow it.
            let second: ClosedRange<UInt8>
            let rest: Int
            switch lead {
            case 0xC2...0xDF: (second, rest) = (0x80...0xBF, 0)
            case 0xE0: (second, rest) = (0xA0...0xBF, 1)
            case 0xE1...0xEC, 0xEE...0xEF: (second, rest) = (0x80...0xBF, 1)
            case 0xED: (second, rest) = (0x80...0x9F, 1)
            case 0xF0: (second, rest) = (0x90...0xBF, 2)
            case 0xF1...0xF3: (second, rest) = (0x80...0xBF, 2)
            case 0xF4: (second, rest) = (0x80...0x8F, 2)
            default: return line
            }
            guard index + 1 < bytes.count, second.contains(bytes[index + 1]) else { return line }
            for offset in 0..<rest {
                let at = index + 2 + offset
                guard at < bytes.count, (0x80...0xBF).contains(bytes[at]) else { return line }
            }
            index += 2 + rest
        }
        return line
    }

    /// The first run of characters that is UTF-8 read as Windows-1252 ("Ã©" for "é", "â€™" for
    /// "’"), with its line and the character it stood for; nil when there is none.
    ///
    /// Only sequences no one writes on purpose count: "Â", "Ã", "Ä" or "Å" before a character
    /// that Windows-1252 gives to a UTF-8 continuation byte (the letters of Western and Central
    /// European languages), and any longer sequence ("â€", "ä¸­" for "中", "ðŸ˜€" for an emoji).
    static func misreadText(in text: String) -> (line: Int, found: String, meant: String)? {
        let scalars = Array(text.unicodeScalars)
        var line = 1
        for (index, scalar) in scalars.enumerated() {
            if scalar == "\n" || (scalar == "\r" && (index + 1 == scalars.count || scalars[index + 1] != "\n")) { line += 1 }
            guard let lead = windows1252Byte(scalar), lead >= 0xC2, lead <= 0xF4 else { continue }
            let rest = lead < 0xE0 ? 1 : lead < 0xF0 ? 2 : 3
            if rest == 1, lead > 0xC5 { continue }
            guard index + rest < scalars.count else { continue }
            var bytes = [lead]
            for scalar in scalars[(index + 1)...(index + rest)] {
                guard let byte = windows1252Byte(scalar), (0x80...0xBF).contains(byte) else { break }
                bytes.append(byte)
            }
            guard bytes.count == rest + 1, let meant = String(bytes: bytes, encoding: .utf8),
                  cellIsMisread(scalars, around: index) else { continue }
            var found = String.UnicodeScalarView()
            found.append(contentsOf: scalars[index...(index + rest)])
            return (line, String(found), meant)
        }
        return nil
    }

    /// Whether the whole cell around `index` (the characters between separators, quotes and line
    /// ends) is UTF-8 read as Windows-1252: written back as Windows-1252 bytes, it reads as UTF-8.
    /// Garbling turns every accented letter of a cell, so a cell that also holds a character that
    /// was never garbled (the "«" of French « Solidarité », whose "é »" alone looks like a
    /// garbled "頻") is text as written.
    private static func cellIsMisread(_ scalars: [Unicode.Scalar], around index: Int) -> Bool {
        let ends: Set<Unicode.Scalar> = [",", ";", "\t", "\"", "\n", "\r"]
        var start = index
        while start > 0, !ends.contains(scalars[start - 1]) { start -= 1 }
        var end = index
        while end < scalars.count, !ends.contains(scalars[end]) { end += 1 }
        var bytes: [UInt8] = []
        for scalar in scalars[start..<end] {
            guard let byte = windows1252Byte(scalar) else { return false }
            bytes.append(byte)
        }
        return String(bytes: bytes, encoding: .utf8) != nil
    }

    /// The byte Windows-1252 (or Latin-1) writes for `scalar`, nil for a character it has no byte for.
    static func windows1252Byte(_ scalar: Unicode.Scalar) -> UInt8? {
        // Latin-1 reads bytes 0x80 to 0x9F as control characters, Windows-1252 as the letters below.
        if scalar.value <= 0xFF { return UInt8(scalar.value) }
        if let index = windows1252High.firstIndex(of: scalar.value) { return 0x80 + UInt8(index) }
        return nil
    }

    /// The characters of Windows-1252's bytes 0x80 to 0x9F (0 where it has none).
    private static let windows1252High: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]
}
