/// The Unicode Script property (UAX #24) of a character: which writing system it belongs to.
///
/// Swift's standard library has no Script property; `script/generate-scripts` writes the table
/// (UnicodeScriptTable.swift) from the Unicode data Perl carries.
enum UnicodeScript {
    /// The name of `scalar`'s script ("Latin", "Cyrillic", "Han"), or nil for a character that
    /// belongs to no one script: Common (digits, punctuation, symbols), Inherited (combining marks)
    /// or unassigned.
    static func name(of scalar: Unicode.Scalar) -> String? {
        let value = scalar.value
        if value < 0x80 {
            let byte = UInt8(value)
            return (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) ? "Latin" : nil
        }
        let table = Self.table
        var low = 0, high = table.firsts.count
        while low < high {
            let middle = (low + high) / 2
            if table.firsts[middle] <= value { low = middle + 1 } else { high = middle }
        }
        guard low > 0, value <= table.lasts[low - 1] else { return nil }
        return names[Int(table.scripts[low - 1])]
    }

    /// The ranges of `encodedRanges`, read once: first and last code points and script numbers.
    private static let table: (firsts: [UInt32], lasts: [UInt32], scripts: [UInt16]) = {
        var firsts: [UInt32] = [], lasts: [UInt32] = [], scripts: [UInt16] = []
        for token in encodedRanges.split(whereSeparator: \.isWhitespace) {
            let parts = token.split(whereSeparator: { $0 == "-" || $0 == ":" })
            firsts.append(UInt32(parts[0], radix: 16)!)
            lasts.append(UInt32(parts[1], radix: 16)!)
            scripts.append(UInt16(parts[2])!)
        }
        return (firsts, lasts, scripts)
    }()
}
