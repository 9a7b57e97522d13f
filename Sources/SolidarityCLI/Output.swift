import Foundation
import SolidarityCore

/// Where messages go: results on stdout, notes and errors on stderr.
enum Terminal {
    /// Whether stdout is a terminal that may show bold text (never with NO_COLOR set).
    static var styled: Bool {
        isatty(STDOUT_FILENO) != 0 && (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
            && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    static func bold(_ text: String) -> String { styled ? "\u{1B}[1m\(text)\u{1B}[0m" : text }

    static func error(_ message: String) {
        FileHandle.standardError.write(Data("Error: \(shown(message))\n".utf8))
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data("\(shown(message))\n".utf8))
    }

    /// Prints Core's warnings about what was recorded (it was recorded as given).
    static func warn(_ warnings: [some CustomStringConvertible]) {
        for warning in warnings { note("Warning: \(warning)") }
    }

    /// Prints a line (or lines) on stdout, ending with a newline.
    static func say(_ text: String) {
        write(shown(text.hasSuffix("\n") ? text : text + "\n"))
    }

    /// Text for the terminal: what it quotes from the database (which other programs may have
    /// written) with its control characters shown, not obeyed (`TextRules.visible`); only the
    /// bold that `bold` writes is kept.
    private static func shown(_ text: String) -> String {
        guard styled, text.contains("\u{1B}[") else { return TextRules.visible(text) }
        return text.components(separatedBy: "\u{1B}[1m").map { part in
            part.components(separatedBy: "\u{1B}[0m").map(TextRules.visible).joined(separator: "\u{1B}[0m")
        }.joined(separator: "\u{1B}[1m")
    }

    /// Prints text on stdout exactly as given.
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// A record that can be listed: a compact table for people, every field for spreadsheets.
protocol Listable: Encodable {
    /// Column headings of the terminal and Markdown table.
    static var tableColumns: [String] { get }
    var tableRow: [String] { get }
    /// Column headings of the CSV: the interchange format's keys.
    static var csvColumns: [String] { get }
    var csvRow: [String] { get }
}

/// Prints listings and records in the four formats.
enum Output {
    static func list<T: Listable>(_ items: [T], format: OutputFormat) throws {
        switch format {
        case .table: Terminal.say(table(T.tableColumns, items.map(\.tableRow)))
        case .md: Terminal.say(markdown(T.tableColumns, items.map(\.tableRow)))
        case .csv: Terminal.write(csv(T.csvColumns, items.map(\.csvRow)))
        // Foundation pretty-prints an empty array over two lines; a script expects "[]".
        case .json: Terminal.say(items.isEmpty ? "[]" : try json(items))
        }
    }

    /// One record: `lines` as "label: value" for the terminal, JSON as one object, CSV and Markdown as a one-row table.
    static func show<T: Listable>(_ item: T, format: OutputFormat, lines: () -> [(String, String)]) throws {
        switch format {
        case .table:
            let pairs = lines().filter { !$0.1.isEmpty }
            let width = pairs.map(\.0.count).max() ?? 0
            Terminal.say(pairs.map { label, value in
                let indent = String(repeating: " ", count: width + 2)
                let body = value.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n" + indent)
                return Terminal.bold(label.padding(toLength: width, withPad: " ", startingAt: 0)) + "  " + body
            }.joined(separator: "\n"))
        default: try list([item], format: format)
        }
    }

    static func json(_ value: some Encodable) throws -> String {
        let text = String(decoding: try InterchangeDocument.encoder().encode(value), as: UTF8.self)
        // JSON may hold DEL and C1 controls raw; escaped, it is the same JSON, and shows as it is.
        guard text.unicodeScalars.contains(where: { (0x7F...0x9F).contains($0.value) }) else { return text }
        var escaped = ""
        for scalar in text.unicodeScalars {
            if (0x7F...0x9F).contains(scalar.value) { escaped += "\\u00" + String(scalar.value, radix: 16) } else { escaped.unicodeScalars.append(scalar) }
        }
        return escaped
    }

    static func table(_ columns: [String], _ rows: [[String]]) -> String {
        guard !rows.isEmpty else { return "(none)" }
        let cells = rows.map { $0.map { $0.replacingOccurrences(of: "\n", with: " ") } }
        let widths = columns.indices.map { i in max(columns[i].count, cells.map { $0[i].count }.max() ?? 0) }
        func line(_ values: [String]) -> String {
            values.indices.map { i in i == values.count - 1 ? values[i] : values[i].padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        return ([Terminal.bold(line(columns.map { $0.uppercased() }))] + cells.map(line)).joined(separator: "\n")
    }

    static func markdown(_ columns: [String], _ rows: [[String]]) -> String {
        func escape(_ cell: String) -> String {
            cell.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
                .replacingOccurrences(of: "\n", with: "<br>")
        }
        let header = "| " + columns.joined(separator: " | ") + " |"
        let rule = "|" + columns.map { _ in " --- |" }.joined()
        return ([header, rule] + rows.map { "| " + $0.map(escape).joined(separator: " | ") + " |" }).joined(separator: "\n")
    }

    static func csv(_ columns: [String], _ rows: [[String]]) -> String {
        // Written as UTF-8 bytes: a listing may have tens of thousands of rows. A field is quoted
        // when it holds a comma, a quote or a line break (looked for in bytes: as Characters, a
        // CR LF pair is one that equals neither), its quotes doubled.
        let quote = UInt8(ascii: "\"")
        var bytes: [UInt8] = []
        for row in [columns] + rows {
            for (index, value) in row.enumerated() {
                let value = SpreadsheetCell.written(value)
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                if value.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == quote || $0 == 0x0A || $0 == 0x0D }) {
                    bytes.append(quote)
                    for byte in value.utf8 {
                        if byte == quote { bytes.append(quote) }
                        bytes.append(byte)
                    }
                    bytes.append(quote)
                } else {
                    bytes.append(contentsOf: value.utf8)
                }
            }
            bytes.append(contentsOf: [0x0D, 0x0A])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Optional where Wrapped: CustomStringConvertible {
    /// The value as text, or "" when absent.
    var text: String { self?.description ?? "" }
}

extension Array where Element == String {
    /// Multi-valued fields in CSV: joined by "; ".
    var joinedForCSV: String { joined(separator: "; ") }
}
