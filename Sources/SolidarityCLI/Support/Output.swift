import Foundation
import SolidarityCore

/// Where messages go: results on stdout, notes and errors on stderr, of the run's console
/// (`Invocation.current`, set by `Solidarity.run`).
enum Terminal {
    /// Whether stdout is a terminal that may show bold text (never with NO_COLOR set).
    static var styled: Bool { Invocation.current.console.styled }

    static func bold(_ text: String) -> String { styled ? "\u{1B}[1m\(text)\u{1B}[0m" : text }

    static func error(_ message: String) {
        Invocation.current.console.standardError.write(Data("Error: \(shown(TextRules.boundedLines(message)))\n".utf8))
    }

    static func note(_ message: String) {
        Invocation.current.console.standardError.write(Data("\(shown(message))\n".utf8))
    }

    /// Says how many undated activities a dated output could not place (`place` says what became
    /// of them: "not in the calendar"), and how to place them.
    static func noteUndated(_ count: Int, _ place: String) {
        guard count > 0 else { return }
        note(count == 1 ? "1 undated activity is \(place): give it a --start to place it."
             : "\(count) undated activities are \(place): give them a --start to place them.")
    }

    /// Says that an output (`what`: "This calendar") holds `records` marked sensitive, so that
    /// it goes only to people who may see them.
    static func noteIncludesSensitive(_ what: String, records: String = "records") {
        note("\(what) includes \(records) marked sensitive: share it only with people who may see them.")
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
        Invocation.current.console.standardOutput.write(Data(text.utf8))
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
    /// A listing's rows: the producer hands each row to the sink it is given, as the database yields
    /// them. It may be run more than once (the terminal table measures its columns first).
    typealias Rows<T> = ((T) throws -> Void) throws -> Void

    /// `headings` names the table's and Markdown's columns in place of `T.tableColumns`, for a
    /// report whose columns are named after what it compares ("sites of UE").
    static func list<T: Listable>(_ items: [T], format: OutputFormat, headings: [String]? = nil) throws {
        try list(format: format, headings: headings) { (row: (T) throws -> Void) in try items.forEach(row) }
    }

    /// Prints a listing as its rows arrive, in bounded memory whatever the count: JSON element by
    /// element, CSV and Markdown line by line, through one buffer flushed in large writes. The bytes
    /// are those of the whole listing printed at once.
    ///
    /// The terminal table needs each column's width before its first line, so it reads the rows
    /// twice: once to measure, keeping only the widths, then to print. A row added between the two
    /// readings is printed whole; a cell wider than its measured column is not cut but pushes the
    /// rest of its line along.
    static func list<T: Listable>(format: OutputFormat, headings: [String]? = nil, rows: Rows<T>) throws {
        var out = StandardOutputBuffer()
        // Headings may hold names (`shared-employers`' "sites of UE"): shown as text, as cells are.
        let headings = tableCells(headings ?? T.tableColumns)
        switch format {
        case .table:
            var widths = headings.map(\.count)
            var count = 0
            try rows { item in
                count += 1
                for (i, cell) in tableCells(item.tableRow).enumerated() { widths[i] = max(widths[i], cell.count) }
            }
            guard count > 0 else { return Terminal.say(table(headings, [])) }
            out.append(Terminal.bold(tableLine(headings.map { $0.uppercased() }, widths: widths)))
            try rows { item in
                out.append("\n" + tableLine(tableCells(item.tableRow), widths: widths))
            }
            out.append("\n")
        case .md:
            out.append(markdown(headings, []))
            try rows { item in out.append("\n" + markdownLine(item.tableRow)) }
            out.append("\n")
        case .csv:
            var bytes: [UInt8] = []
            appendCSVLine(T.csvColumns, to: &bytes)
            try rows { item in
                appendCSVLine(item.csvRow, to: &bytes)
                if bytes.count >= StandardOutputBuffer.capacity { out.append(bytes); bytes.removeAll(keepingCapacity: true) }
            }
            out.append(bytes)
        case .json:
            // Each element is encoded alone and indented as it would be inside the array.
            // Foundation pretty-prints an empty array over two lines; a script expects "[]".
            var first = true
            try rows { item in
                out.append(first ? "[\n" : ",\n")
                first = false
                out.append(try json(item).split(separator: "\n", omittingEmptySubsequences: false)
                    .map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n"))
            }
            out.append(first ? "[]\n" : "\n]\n")
        }
        out.flush()
    }

    /// One record: `lines` as "label: value" for the terminal, JSON as one object, CSV and Markdown as a one-row table.
    static func show<T: Listable>(_ item: T, json: (any Encodable)? = nil, format: OutputFormat, lines: () -> [(String, String)]) throws {
        switch format {
        case .json:
            let value: any Encodable = json ?? item
            Terminal.say(try self.json(value))
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
        let cells = rows.map(tableCells)
        let widths = columns.indices.map { i in max(columns[i].count, cells.map { $0[i].count }.max() ?? 0) }
        return ([Terminal.bold(tableLine(columns.map { $0.uppercased() }, widths: widths))] + cells.map { tableLine($0, widths: widths) }).joined(separator: "\n")
    }

    /// A row's cells as the terminal table shows them: one line each, control characters shown
    /// (`TextRules.visible`), not obeyed.
    static func tableCells(_ row: [String]) -> [String] {
        row.map { TextRules.visible($0).replacingOccurrences(of: "\n", with: " ") }
    }

    /// One line of the terminal table, each cell but the last padded to its column's width (a wider
    /// cell is never cut).
    static func tableLine(_ values: [String], widths: [Int]) -> String {
        values.indices.map { i in i == values.count - 1 || values[i].count >= widths[i] ? values[i] : values[i].padding(toLength: widths[i], withPad: " ", startingAt: 0) }
            .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
    }

    static func markdown(_ columns: [String], _ rows: [[String]]) -> String {
        let header = markdownLine(columns)
        let rule = "|" + columns.map { _ in " --- |" }.joined()
        return ([header, rule] + rows.map(markdownLine)).joined(separator: "\n")
    }

    /// One row of a Markdown table, its cells escaped as the appendix's text is (`MarkdownText`),
    /// line breaks as <br>, control characters shown (`TextRules.visible`), not obeyed.
    static func markdownLine(_ row: [String]) -> String {
        "| " + row.map { TextRules.visible(MarkdownText.escaped($0, lineBreak: "<br>")) }.joined(separator: " | ") + " |"
    }

    static func csv(_ columns: [String], _ rows: [[String]]) -> String {
        // Written as UTF-8 bytes: a listing may have tens of thousands of rows.
        var bytes: [UInt8] = []
        for row in [columns] + rows { appendCSVLine(row, to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends one CSV record, ended by CR LF. A field is quoted when it holds a comma, a quote or a
    /// line break (looked for in bytes: as Characters, a CR LF pair is one that equals neither), its
    /// quotes doubled.
    static func appendCSVLine(_ row: [String], to bytes: inout [UInt8]) {
        let quote = UInt8(ascii: "\"")
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
}

/// Bytes for the console's stdout, written in large pieces: a listing of millions of rows is neither held whole
/// nor written a row at a time. Nothing is written until the first piece fills or `flush()` runs,
/// so a listing that fails before then prints nothing.
struct StandardOutputBuffer {
    /// How many bytes are gathered before a write.
    static let capacity = 1 << 16
    private var bytes: [UInt8] = []

    mutating func append(_ text: String) { append(Array(text.utf8)) }

    mutating func append(_ more: [UInt8]) {
        bytes.append(contentsOf: more)
        if bytes.count >= Self.capacity { flush() }
    }

    mutating func flush() {
        guard !bytes.isEmpty else { return }
        Invocation.current.console.standardOutput.write(Data(bytes))
        bytes.removeAll(keepingCapacity: true)
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
