import Foundation

extension Appendix.Period {
    /// The period in words for a delegate, with the conventions it rests on: "Activities from 2022
    /// to the end of August 2025, from after the previous convention (UE Convention, 2021) to the
    /// end of this one."
    public var words: String {
        let span = "Activities from \(since.words) to \(until.endWords)"
        switch (after, through) {
        case let (after?, _?): return "\(span), from after the previous convention (\(after.name)) to the end of this one."
        case let (after?, nil): return "\(span), from after the previous convention (\(after.name))."
        case (nil, _?): return "\(span), the end of this convention."
        case (nil, nil): return "\(span)."
        }
    }

    /// What the period rests on, for a message: "from after ue-2021 (2021) to the end of ue-79 (2025-08)".
    public var basis: String {
        let from = after.map { "from after \($0.handle) (\(($0.end ?? $0.start)?.description ?? ""))" } ?? "from \(since)"
        let to = through.map { "to the end of \($0.handle) (\(until))" } ?? "to \(until)"
        return "\(from) \(to)"
    }

    /// The period as part B's heading gives it: "2022 to 2025-08".
    var heading: String { "\(since) to \(until)" }
}

extension Appendix {
    /// The people of an activity under the words that fit its kind (a display; the stored roles
    /// stay as they are): a delegation's or a conference's delegates are "delegates"; the people
    /// of a call, meeting, exchange or webinar, delegates and contacts alike, are "participants";
    /// speakers are "speakers" whatever the kind. Interpreters are not listed.
    static func people(of kind: Activity.Kind, _ people: [Activity.PersonPart], named name: (String) -> String) -> [People] {
        let (word, roles): (String, Set<Activity.PersonRole>) = switch kind {
        case .delegation, .conference: ("delegates", [.delegate])
        case .call, .meeting, .exchange, .webinar: ("participants", [.delegate, .contact])
        }
        return [People(word: word, names: people.filter { roles.contains($0.role) }.map { name($0.person) }),
                People(word: "speakers", names: people.filter { $0.role == .speaker }.map { name($0.person) })]
            .filter { !$0.names.isEmpty }
    }

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
        try sink.head(Head(resolution: resolution, convention: convention, home: home, period: period,
                           includesSensitive: includesSensitive, resolutionNotes: resolutionNotes))
        try sink.organizations(organizations)
        for group in Group.allCases {
            try sink.begin(group)
            let entries = switch group {
            case .delegations: activities.filter { $0.activity.kind == .delegation }
            case .others: activities.filter { $0.activity.kind != .delegation }
            case .planned: planned
            case .undated: undated
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
    private var group = Appendix.Group.delegations
    private var entries = 0
    /// The undated activities' titles (with their notes), written as one line at the end of part B.
    private var undated: [String] = []
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
    private static func text(_ raw: String) -> String { MarkdownText.escaped(raw) }

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
        switch format {
        case .markdown:
            let text = Self.text
            try lines("# Appendix to the resolution “\(text(resolution.title))”", "",
                      "\(text(head.convention.name)) · resolution \(text(resolution.handle)) (\(resolution.status.rawValue))\(Appendix.cite(head.resolutionNotes))",
                      "", text(head.period.words))
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
                      "<p>\(e(head.convention.name)) · resolution \(e(resolution.handle)) (\(resolution.status.rawValue))\(Self.cite(head.resolutionNotes))</p>",
                      "<p>\(e(head.period.words))</p>")
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
                let last = named.lastContact.map { "\($0): \($0.title)" } ?? "none recorded"
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
                    let last = named.lastContact.map { e("\($0): \($0.title)") } ?? "none recorded"
                    let activities = named.activities.map { e("\(Appendix.when($0)): \($0.title)") }.joined(separator: "<br>")
                    try line("<tr><td>\(index + 1)</td><td>\(e(o.name))\(Self.cite(named.notes))</td><td>\(native)</td><td>\(e(o.acronym ?? ""))</td><td>\(e(o.country.map(Country.name) ?? "international"))</td><td>\(e(o.kind.rawValue.replacingOccurrences(of: "_", with: " ")))</td><td>\(e(Appendix.standing(named)))</td><td>\(last)</td><td>\(activities)</td></tr>")
                }
                try lines("</tbody>", "</table>")
            }
            try line("</section>")
        }
    }

    mutating func begin(_ group: Appendix.Group) throws {
        self.group = group
        entries = 0
        let period = head!.period.heading
        switch (format, group) {
        case (.markdown, .delegations): try lines("", "## B. Activities, \(period)", "", "### Delegations", "")
        case (.markdown, .others): try lines("", "### Exchanges, meetings, conferences, webinars and calls", "")
        case (.markdown, .planned): try lines("", "### Planned", "", Self.plansKnown, "")
        case (.html, .delegations): try lines("<section id=\"activities\">", "<h2>B. Activities, \(Self.e(period))</h2>", "<h3>Delegations</h3>")
        case (.html, .others): try line("<h3>Exchanges, meetings, conferences, webinars and calls</h3>")
        case (.html, .planned): try lines("<h3>Planned</h3>", "<p>\(Self.plansKnown)</p>")
        case (_, .undated): undated = []
        }
    }

    /// What part B's planned activities are.
    static let plansKnown = "The plans known when this appendix was compiled, those after the period included."

    mutating func entry(_ entry: Appendix.Entry) throws {
        let a = entry.activity
        if group == .undated {
            undated.append(format == .markdown ? Self.text(a.title) + Appendix.cite(entry.notes) : Self.e(a.title) + Self.cite(entry.notes))
            return
        }
        var details: [String] = [Appendix.kindTitle(a) + (a.status == .cancelled ? ", cancelled" : "")]
        let place = Appendix.place(a)
        if !place.isEmpty { details.append(place) }
        if !entry.senders.isEmpty { details.append("from " + entry.senders.joined(separator: ", ")) }
        if !entry.hosts.isEmpty { details.append("hosted by " + entry.hosts.joined(separator: ", ")) }
        if !entry.organizations.isEmpty { details.append("with " + entry.organizations.joined(separator: ", ")) }
        for people in entry.people { details.append("\(people.word): " + people.names.joined(separator: ", ")) }
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
        let none = group == .planned ? "None recorded." : "None recorded in the period."
        switch (format, group) {
        case (.markdown, .undated):
            if !undated.isEmpty { try lines("", "\(Self.notDated) \(undated.joined(separator: "; ")).") }
        case (.markdown, _):
            if entries == 0 { try line(none) }
        case (.html, .undated):
            if !undated.isEmpty { try line("<p>\(Self.notDated) \(undated.joined(separator: "; ")).</p>") }
            try line("</section>")
        case (.html, _):
            try line(entries == 0 ? "<p>\(none)</p>" : "</ul>")
        }
    }

    /// The words before the undated activities' titles.
    static let notDated = "Not dated, so not placed in the period:"

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
