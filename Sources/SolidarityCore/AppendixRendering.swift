import Foundation

extension Appendix {
    /// The period as the appendix states it: "2023-09 to 2025-07".
    var periodText: String { "\(since) to \(until)" }

    /// Notes as "[1, 3]", or "".
    static func cite(_ notes: [Int]) -> String { notes.isEmpty ? "" : " [" + notes.map(String.init).joined(separator: ", ") + "]" }

    /// The home organization's relationship to a named organization, in words.
    static func standing(_ named: NamedOrganization) -> String {
        if named.ours { return "ours" }
        guard let r = named.relationship else { return "none recorded" }
        return "\(r.kind.rawValue.replacingOccurrences(of: "_", with: " ")) (\(r.status.rawValue))" + (r.since.map { ", since \($0)" } ?? "")
    }

    static func when(_ a: Activity) -> String {
        a.start.map { start in a.end.map { "\(start) to \($0)" } ?? start.description } ?? "undated"
    }

    static func place(_ a: Activity) -> String {
        if a.itinerary.isEmpty { return a.virtual ? "online" : "" }
        return a.itinerary.map { [$0.city, Country.name($0.country)].compactMap { $0 }.joined(separator: ", ") }.joined(separator: "; ")
            + (a.virtual ? " (online)" : "")
    }

    static func kindTitle(_ a: Activity) -> String {
        a.hosted ? "Hosted delegation" : a.kind.rawValue.capitalized
    }

    /// "“International Solidarity”, UE, 2025, https://…".
    static func describe(_ source: Source) -> String {
        [source.title.map { "“\($0)”" }, source.publisher, source.published?.description, source.url].compactMap { $0 }.joined(separator: ", ")
    }

    /// CommonMark with GitHub tables.
    public var markdown: String { rendered(.markdown) }

    /// One standalone printable page: print CSS, no external assets, all text escaped.
    public var html: String { rendered(.html) }

    private func rendered(_ format: AppendixFormat) -> String {
        var data = Data()
        var sink = AppendixTextSink(format: format, note: { _ in }, output: { data.append($0) })
        // Writing to memory does not fail.
        try! replay(into: &sink)
        try! sink.flush()
        return String(decoding: data, as: UTF8.self)
    }

    /// Hands the appendix to `sink` in the order it is written.
    func replay(into sink: inout some AppendixSink) throws {
        try sink.head(Head(resolution: resolution, convention: convention, home: home, since: since, until: until,
                           includesSensitive: includesSensitive, resolutionNotes: resolutionNotes))
        try sink.organizations(organizations)
        for group in Group.allCases {
            try sink.begin(group)
            let entries = switch group {
            case .delegations: activities.filter { $0.activity.kind == .delegation }
            case .others: activities.filter { $0.activity.kind != .delegation }
            case .planned: planned
            }
            for entry in entries { try sink.entry(entry) }
            try sink.end(group)
        }
        try sink.beginChains()
        for chain in chains { try sink.chain(chain) }
        try sink.end(sources: sources)
    }
}

/// Writes an appendix as Markdown or HTML as it is handed over, line by line.
struct AppendixTextSink: AppendixSink {
    let format: AppendixFormat
    /// With no home organization, what the appendix cannot show; nil otherwise.
    private(set) var note: String?
    private let hearNote: (String) -> Void
    private let output: (Data) throws -> Void
    private var buffer = Data()
    private var lastLine: String?
    private var head: Appendix.Head?
    private var entries = 0
    private var chains = 0

    static let flushSize = 1 << 16

    init(format: AppendixFormat, note: @escaping (String) -> Void, output: @escaping (Data) throws -> Void) {
        self.format = format
        self.hearNote = note
        self.output = output
    }

    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try output(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Every line ends with a newline (the text is its lines joined by newlines, plus one).
    private mutating func line(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        buffer.append(0x0A)
        lastLine = text
        if buffer.count >= Self.flushSize { try flush() }
    }

    private mutating func lines(_ texts: String...) throws {
        for text in texts { try line(text) }
    }

    /// Markdown text: Markdown's punctuation escaped, newlines as spaces.
    private static func text(_ raw: String) -> String {
        // Markdown's punctuation is ASCII, so the work is on UTF-8 bytes; most text has none.
        func special(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "\\"), UInt8(ascii: "`"), UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "["), UInt8(ascii: "]"),
                 UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "|"), UInt8(ascii: "#"): true
            default: false
            }
        }
        guard raw.utf8.contains(where: { special($0) || $0 == 0x0A }) else { return raw }
        var escaped: [UInt8] = []
        escaped.reserveCapacity(raw.utf8.count + 8)
        var previous: UInt8 = 0
        for byte in raw.utf8 {
            if special(byte) { escaped.append(UInt8(ascii: "\\")) }
            // A line break becomes a space (a CR LF pair is one character, kept as it is).
            escaped.append(byte == 0x0A && previous != 0x0D ? UInt8(ascii: " ") : byte)
            previous = byte
        }
        return String(decoding: escaped, as: UTF8.self)
    }

    /// HTML text, escaped.
    private static func e(_ raw: String) -> String {
        raw.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }

    /// HTML notes as superscript links to part D.
    private static func cite(_ notes: [Int]) -> String {
        notes.isEmpty ? "" : " <sup>" + notes.map { "<a href=\"#source-\($0)\">[\($0)]</a>" }.joined() + "</sup>"
    }

    mutating func head(_ head: Appendix.Head) throws {
        self.head = head
        note = Appendix.note(home: head.home)
        if let note { hearNote(note) }
        let resolution = head.resolution
        let period = "\(head.since) to \(head.until)"
        switch format {
        case .markdown:
            let text = Self.text
            try lines("# Appendix to the resolution “\(text(resolution.title))”", "",
                      "\(text(head.convention.name)) · resolution \(text(resolution.handle)) (\(resolution.status.rawValue)) · activities from \(period)\(Appendix.cite(head.resolutionNotes))")
            if let home = head.home { try lines("", "Compiled for \(text(home.name)) from its records.") }
            if head.includesSensitive { try lines("", "> **This appendix includes records marked sensitive.** Share it only with people who may see them.") }
        case .html:
            let e = Self.e
            try lines("<!DOCTYPE html>", "<html lang=\"en\">", "<head>", "<meta charset=\"utf-8\">",
                      "<title>Appendix to the resolution “\(e(resolution.title))”</title>")
            try line("""
                <style>
                body { font-family: Georgia, 'Times New Roman', serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.4; color: #111; }
                h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #999; } h3 { font-size: 1.05rem; }
                table { border-collapse: collapse; width: 100%; font-size: 0.9rem; } th, td { border: 1px solid #bbb; padding: 0.25rem 0.4rem; text-align: left; vertical-align: top; }
                th { background: #eee; } .note { border-left: 4px solid #b00; padding-left: 0.6rem; } sup a { text-decoration: none; }
                @media print { body { margin: 0; max-width: none; font-size: 10pt; } h2 { page-break-after: avoid; } tr { page-break-inside: avoid; } a { color: inherit; } }
                </style>
                """)
            try lines("</head>", "<body>", "<h1>Appendix to the resolution “\(e(resolution.title))”</h1>",
                      "<p>\(e(head.convention.name)) · resolution \(e(resolution.handle)) (\(resolution.status.rawValue)) · activities from \(e(period))\(Self.cite(head.resolutionNotes))</p>")
            if let home = head.home { try line("<p>Compiled for \(e(home.name)) from its records.</p>") }
            if head.includesSensitive { try line("<p class=\"note\"><strong>This appendix includes records marked sensitive.</strong> Share it only with people who may see them.</p>") }
        }
    }

    mutating func organizations(_ organizations: [Appendix.NamedOrganization]) throws {
        switch format {
        case .markdown:
            try lines("", "## A. Organizations named in the resolution", "")
            guard !organizations.isEmpty else { return try line("The resolution names no organization.") }
            try lines("| # | Organization | Native-language name | Acronym | Country | Kind | Our relationship | Last contact | Activities in the period |",
                      "| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
            for (index, named) in organizations.enumerated() {
                let o = named.organization
                let native = o.nativeName.map { "\($0) (\(o.nativeNameLang ?? ""))" } ?? ""
                let last = named.lastContact.map { "\(Appendix.when($0)): \($0.title)" } ?? "none recorded"
                let activities = named.activities.map { "\(Appendix.when($0)): \($0.title)" }.joined(separator: "; ")
                let cells = [String(index + 1), o.name + Appendix.cite(named.notes), native, o.acronym ?? "", o.country.map(Country.name) ?? "international",
                             o.kind.rawValue.replacingOccurrences(of: "_", with: " "), Appendix.standing(named), last, activities]
                try line("| " + cells.map(Self.text).joined(separator: " | ") + " |")
            }
        case .html:
            let e = Self.e
            try lines("<section id=\"organizations\">", "<h2>A. Organizations named in the resolution</h2>")
            if organizations.isEmpty {
                try line("<p>The resolution names no organization.</p>")
            } else {
                try lines("<table>", "<thead><tr><th>#</th><th>Organization</th><th>Native-language name</th><th>Acronym</th><th>Country</th><th>Kind</th><th>Our relationship</th><th>Last contact</th><th>Activities in the period</th></tr></thead>",
                          "<tbody>")
                for (index, named) in organizations.enumerated() {
                    let o = named.organization
                    let native = o.nativeName.map { "<span lang=\"\(e(o.nativeNameLang ?? ""))\">\(e($0))</span>" } ?? ""
                    let last = named.lastContact.map { e("\(Appendix.when($0)): \($0.title)") } ?? "none recorded"
                    let activities = named.activities.map { e("\(Appendix.when($0)): \($0.title)") }.joined(separator: "<br>")
                    try line("<tr><td>\(index + 1)</td><td>\(e(o.name))\(Self.cite(named.notes))</td><td>\(native)</td><td>\(e(o.acronym ?? ""))</td><td>\(e(o.country.map(Country.name) ?? "international"))</td><td>\(e(o.kind.rawValue.replacingOccurrences(of: "_", with: " ")))</td><td>\(e(Appendix.standing(named)))</td><td>\(last)</td><td>\(activities)</td></tr>")
                }
                try lines("</tbody>", "</table>")
            }
            try line("</section>")
        }
    }

    mutating func begin(_ group: Appendix.Group) throws {
        entries = 0
        let period = "\(head!.since) to \(head!.until)"
        switch (format, group) {
        case (.markdown, .delegations): try lines("", "## B. Activities, \(period)", "", "### Delegations", "")
        case (.markdown, .others): try lines("", "### Exchanges, meetings, conferences, webinars and calls", "")
        case (.markdown, .planned): try lines("", "### Planned", "")
        case (.html, .delegations): try lines("<section id=\"activities\">", "<h2>B. Activities, \(Self.e(period))</h2>", "<h3>Delegations</h3>")
        case (.html, .others): try line("<h3>Exchanges, meetings, conferences, webinars and calls</h3>")
        case (.html, .planned): try line("<h3>Planned</h3>")
        }
    }

    mutating func entry(_ entry: Appendix.Entry) throws {
        let a = entry.activity
        var details: [String] = [Appendix.kindTitle(a) + (a.status == .cancelled ? ", cancelled" : "")]
        let place = Appendix.place(a)
        if !place.isEmpty { details.append(place) }
        if !entry.senders.isEmpty { details.append("from " + entry.senders.joined(separator: ", ")) }
        if !entry.hosts.isEmpty { details.append("hosted by " + entry.hosts.joined(separator: ", ")) }
        if !entry.organizations.isEmpty { details.append("with " + entry.organizations.joined(separator: ", ")) }
        if !entry.delegates.isEmpty { details.append("delegates: " + entry.delegates.joined(separator: ", ")) }
        details += entry.sites.map { "at " + $0 }
        switch format {
        case .markdown:
            let text = Self.text
            var parts = ["**\(text(Appendix.when(a))): \(text(a.title))**"]
            parts.append(text(details.joined(separator: "; ")) + ".")
            if let purpose = a.purpose { parts.append("Purpose: " + text(purpose)) }
            if let outcomes = a.outcomes { parts.append("Outcomes: " + text(outcomes)) }
            try line("- " + parts.joined(separator: " ") + Appendix.cite(entry.notes))
        case .html:
            let e = Self.e
            if entries == 0 { try line("<ul>") }
            var item = "<li><strong>\(e(Appendix.when(a))): \(e(a.title))</strong> \(e(details.joined(separator: "; "))).\(Self.cite(entry.notes))"
            if let purpose = a.purpose { item += "<br>Purpose: \(e(purpose))" }
            if let outcomes = a.outcomes { item += "<br>Outcomes: \(e(outcomes))" }
            try line(item + "</li>")
        }
        entries += 1
    }

    mutating func end(_ group: Appendix.Group) throws {
        switch format {
        case .markdown:
            if entries == 0 { try line("None recorded in the period.") }
        case .html:
            try line(entries == 0 ? "<p>None recorded in the period.</p>" : "</ul>")
            if group == .planned { try line("</section>") }
        }
    }

    mutating func beginChains() throws {
        switch format {
        case .markdown: try lines("", "## C. Employer chains", "")
        case .html: try lines("<section id=\"chains\">", "<h2>C. Employer chains</h2>")
        }
    }

    mutating func chain(_ chain: AlliesReport) throws {
        chains += 1
        let rows = chain.countries.sorted { $0.name < $1.name }.flatMap { group in group.sites.map { (group.name, $0) } }
        func unions(_ site: AlliesReport.SiteEntry) -> String {
            site.gap ? "gap: no union recorded"
                : site.unions.map { ($0.acronym ?? $0.name) + ($0.ours ? " (ours)" : $0.prospect ? " (prospect)" : "") }.joined(separator: ", ")
        }
        switch format {
        case .markdown:
            try lines("### \(Self.text(chain.name))", "")
            if rows.isEmpty { return try lines("No site is recorded.", "") }
            try lines("| Country | Site | Unions |", "| --- | --- | --- |")
            for (country, site) in rows {
                try line("| " + [country, site.name, unions(site)].map(Self.text).joined(separator: " | ") + " |")
            }
            try line("")
        case .html:
            let e = Self.e
            try line("<h3>\(e(chain.name))</h3>")
            if rows.isEmpty { return try line("<p>No site is recorded.</p>") }
            try lines("<table>", "<thead><tr><th>Country</th><th>Site</th><th>Unions</th></tr></thead>", "<tbody>")
            for (country, site) in rows {
                try line("<tr><td>\(e(country))</td><td>\(e(site.name))</td><td>\(e(unions(site)))</td></tr>")
            }
            try lines("</tbody>", "</table>")
        }
    }

    mutating func end(sources: [Source]) throws {
        switch format {
        case .markdown:
            if chains == 0 { try line("Neither the resolution nor the period's activities concern an employer on record.") }
            if lastLine != "" { try line("") }
            try lines("## D. Sources", "")
            if sources.isEmpty { try line("No source is cited.") }
            for (index, source) in sources.enumerated() {
                try line("\(index + 1). " + Self.text(Appendix.describe(source)))
            }
        case .html:
            if chains == 0 { try line("<p>Neither the resolution nor the period's activities concern an employer on record.</p>") }
            try lines("</section>", "<section id=\"sources\">", "<h2>D. Sources</h2>")
            if sources.isEmpty {
                try line("<p>No source is cited.</p>")
            } else {
                try line("<ol>")
                for (index, source) in sources.enumerated() {
                    try line("<li id=\"source-\(index + 1)\">\(Self.e(Appendix.describe(source)))</li>")
                }
                try line("</ol>")
            }
            try lines("</section>", "</body>", "</html>")
        }
    }
}
