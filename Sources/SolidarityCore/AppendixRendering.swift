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

    // MARK: Markdown

    /// CommonMark with GitHub tables.
    public var markdown: String {
        func text(_ raw: String) -> String {
            var escaped = ""
            for character in raw {
                if "\\`*_[]<>|#".contains(character) { escaped.append("\\") }
                escaped.append(character == "\n" ? " " : character)
            }
            return escaped
        }
        var lines: [String] = []
        lines.append("# Appendix to the resolution “\(text(resolution.title))”")
        lines.append("")
        lines.append("\(text(convention.name)) · resolution \(text(resolution.handle)) (\(resolution.status.rawValue)) · activities from \(periodText)\(Self.cite(resolutionNotes))")
        if let home { lines += ["", "Compiled for \(text(home.name)) from its records."] }
        if includesSensitive { lines += ["", "> **This appendix includes records marked sensitive.** Share it only with people who may see them."] }

        lines += ["", "## A. Organizations named in the resolution", ""]
        if organizations.isEmpty {
            lines.append("The resolution names no organization.")
        } else {
            lines.append("| # | Organization | Native-language name | Acronym | Country | Kind | Our relationship | Last contact | Activities in the period |")
            lines.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
            for (index, named) in organizations.enumerated() {
                let o = named.organization
                let native = o.nativeName.map { "\($0) (\(o.nativeNameLang ?? ""))" } ?? ""
                let last = named.lastContact.map { "\(Self.when($0)): \($0.title)" } ?? "none recorded"
                let activities = named.activities.map { "\(Self.when($0)): \($0.title)" }.joined(separator: "; ")
                let cells = [String(index + 1), o.name + Self.cite(named.notes), native, o.acronym ?? "", o.country.map(Country.name) ?? "international",
                             o.kind.rawValue.replacingOccurrences(of: "_", with: " "), Self.standing(named), last, activities]
                lines.append("| " + cells.map(text).joined(separator: " | ") + " |")
            }
        }

        lines += ["", "## B. Activities, \(periodText)", ""]
        func entries(_ list: [Entry]) {
            for e in list {
                let a = e.activity
                var parts = ["**\(text(Self.when(a))): \(text(a.title))**"]
                var details: [String] = [Self.kindTitle(a) + (a.status == .cancelled ? ", cancelled" : "")]
                let place = Self.place(a)
                if !place.isEmpty { details.append(place) }
                if !e.senders.isEmpty { details.append("from " + e.senders.joined(separator: ", ")) }
                if !e.hosts.isEmpty { details.append("hosted by " + e.hosts.joined(separator: ", ")) }
                if !e.organizations.isEmpty { details.append("with " + e.organizations.joined(separator: ", ")) }
                if !e.delegates.isEmpty { details.append("delegates: " + e.delegates.joined(separator: ", ")) }
                parts.append(text(details.joined(separator: "; ")) + ".")
                if let purpose = a.purpose { parts.append("Purpose: " + text(purpose)) }
                if let outcomes = a.outcomes { parts.append("Outcomes: " + text(outcomes)) }
                lines.append("- " + parts.joined(separator: " ") + Self.cite(e.notes))
            }
        }
        let delegations = activities.filter { $0.activity.kind == .delegation }
        let others = activities.filter { $0.activity.kind != .delegation }
        lines += ["### Delegations", ""]
        if delegations.isEmpty { lines.append("None recorded in the period.") } else { entries(delegations) }
        lines += ["", "### Exchanges, meetings, conferences, webinars and calls", ""]
        if others.isEmpty { lines.append("None recorded in the period.") } else { entries(others) }
        lines += ["", "### Planned", ""]
        if planned.isEmpty { lines.append("None recorded in the period.") } else { entries(planned) }

        lines += ["", "## C. Employer chains", ""]
        if chains.isEmpty { lines.append("Neither the resolution nor the period's activities concern an employer on record.") }
        for chain in chains {
            lines += ["### \(text(chain.name))", ""]
            let rows = chain.countries.sorted { $0.name < $1.name }.flatMap { group in group.sites.map { (group.name, $0) } }
            if rows.isEmpty { lines += ["No site is recorded.", ""]; continue }
            lines.append("| Country | Site | Unions |")
            lines.append("| --- | --- | --- |")
            for (country, site) in rows {
                let unions = site.gap ? "gap: no union recorded"
                    : site.unions.map { ($0.acronym ?? $0.name) + ($0.ours ? " (ours)" : $0.prospect ? " (prospect)" : "") }.joined(separator: ", ")
                lines.append("| " + [country, site.name, unions].map(text).joined(separator: " | ") + " |")
            }
            lines.append("")
        }
        if lines.last != "" { lines.append("") }
        lines += ["## D. Sources", ""]
        if sources.isEmpty { lines.append("No source is cited.") }
        for (index, source) in sources.enumerated() {
            lines.append("\(index + 1). " + text(Self.describe(source)))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// "“International Solidarity”, UE, 2025, https://…".
    static func describe(_ source: Source) -> String {
        [source.title.map { "“\($0)”" }, source.publisher, source.published?.description, source.url].compactMap { $0 }.joined(separator: ", ")
    }

    // MARK: HTML

    /// One standalone printable page: print CSS, no external assets, all text escaped.
    public var html: String {
        func e(_ raw: String) -> String {
            raw.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
                .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
        }
        func cite(_ notes: [Int]) -> String {
            notes.isEmpty ? "" : " <sup>" + notes.map { "<a href=\"#source-\($0)\">[\($0)]</a>" }.joined() + "</sup>"
        }
        var out: [String] = []
        out.append("<!DOCTYPE html>")
        out.append("<html lang=\"en\">")
        out.append("<head>")
        out.append("<meta charset=\"utf-8\">")
        out.append("<title>Appendix to the resolution “\(e(resolution.title))”</title>")
        out.append("""
            <style>
            body { font-family: Georgia, 'Times New Roman', serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.4; color: #111; }
            h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #999; } h3 { font-size: 1.05rem; }
            table { border-collapse: collapse; width: 100%; font-size: 0.9rem; } th, td { border: 1px solid #bbb; padding: 0.25rem 0.4rem; text-align: left; vertical-align: top; }
            th { background: #eee; } .note { border-left: 4px solid #b00; padding-left: 0.6rem; } sup a { text-decoration: none; }
            @media print { body { margin: 0; max-width: none; font-size: 10pt; } h2 { page-break-after: avoid; } tr { page-break-inside: avoid; } a { color: inherit; } }
            </style>
            """)
        out.append("</head>")
        out.append("<body>")
        out.append("<h1>Appendix to the resolution “\(e(resolution.title))”</h1>")
        out.append("<p>\(e(convention.name)) · resolution \(e(resolution.handle)) (\(resolution.status.rawValue)) · activities from \(e(periodText))\(cite(resolutionNotes))</p>")
        if let home { out.append("<p>Compiled for \(e(home.name)) from its records.</p>") }
        if includesSensitive { out.append("<p class=\"note\"><strong>This appendix includes records marked sensitive.</strong> Share it only with people who may see them.</p>") }

        out.append("<section id=\"organizations\">")
        out.append("<h2>A. Organizations named in the resolution</h2>")
        if organizations.isEmpty {
            out.append("<p>The resolution names no organization.</p>")
        } else {
            out.append("<table>")
            out.append("<thead><tr><th>#</th><th>Organization</th><th>Native-language name</th><th>Acronym</th><th>Country</th><th>Kind</th><th>Our relationship</th><th>Last contact</th><th>Activities in the period</th></tr></thead>")
            out.append("<tbody>")
            for (index, named) in organizations.enumerated() {
                let o = named.organization
                let native = o.nativeName.map { "<span lang=\"\(e(o.nativeNameLang ?? ""))\">\(e($0))</span>" } ?? ""
                let last = named.lastContact.map { e("\(Self.when($0)): \($0.title)") } ?? "none recorded"
                let activities = named.activities.map { e("\(Self.when($0)): \($0.title)") }.joined(separator: "<br>")
                out.append("<tr><td>\(index + 1)</td><td>\(e(o.name))\(cite(named.notes))</td><td>\(native)</td><td>\(e(o.acronym ?? ""))</td><td>\(e(o.country.map(Country.name) ?? "international"))</td><td>\(e(o.kind.rawValue.replacingOccurrences(of: "_", with: " ")))</td><td>\(e(Self.standing(named)))</td><td>\(last)</td><td>\(activities)</td></tr>")
            }
            out.append("</tbody>")
            out.append("</table>")
        }
        out.append("</section>")

        func entries(_ list: [Entry]) {
            guard !list.isEmpty else { out.append("<p>None recorded in the period.</p>"); return }
            out.append("<ul>")
            for entry in list {
                let a = entry.activity
                var details: [String] = [Self.kindTitle(a) + (a.status == .cancelled ? ", cancelled" : "")]
                let place = Self.place(a)
                if !place.isEmpty { details.append(place) }
                if !entry.senders.isEmpty { details.append("from " + entry.senders.joined(separator: ", ")) }
                if !entry.hosts.isEmpty { details.append("hosted by " + entry.hosts.joined(separator: ", ")) }
                if !entry.organizations.isEmpty { details.append("with " + entry.organizations.joined(separator: ", ")) }
                if !entry.delegates.isEmpty { details.append("delegates: " + entry.delegates.joined(separator: ", ")) }
                var item = "<li><strong>\(e(Self.when(a))): \(e(a.title))</strong> \(e(details.joined(separator: "; "))).\(cite(entry.notes))"
                if let purpose = a.purpose { item += "<br>Purpose: \(e(purpose))" }
                if let outcomes = a.outcomes { item += "<br>Outcomes: \(e(outcomes))" }
                out.append(item + "</li>")
            }
            out.append("</ul>")
        }
        out.append("<section id=\"activities\">")
        out.append("<h2>B. Activities, \(e(periodText))</h2>")
        out.append("<h3>Delegations</h3>")
        entries(activities.filter { $0.activity.kind == .delegation })
        out.append("<h3>Exchanges, meetings, conferences, webinars and calls</h3>")
        entries(activities.filter { $0.activity.kind != .delegation })
        out.append("<h3>Planned</h3>")
        entries(planned)
        out.append("</section>")

        out.append("<section id=\"chains\">")
        out.append("<h2>C. Employer chains</h2>")
        if chains.isEmpty { out.append("<p>Neither the resolution nor the period's activities concern an employer on record.</p>") }
        for chain in chains {
            out.append("<h3>\(e(chain.name))</h3>")
            let rows = chain.countries.sorted { $0.name < $1.name }.flatMap { group in group.sites.map { (group.name, $0) } }
            if rows.isEmpty { out.append("<p>No site is recorded.</p>"); continue }
            out.append("<table>")
            out.append("<thead><tr><th>Country</th><th>Site</th><th>Unions</th></tr></thead>")
            out.append("<tbody>")
            for (country, site) in rows {
                let unions = site.gap ? "gap: no union recorded"
                    : site.unions.map { ($0.acronym ?? $0.name) + ($0.ours ? " (ours)" : $0.prospect ? " (prospect)" : "") }.joined(separator: ", ")
                out.append("<tr><td>\(e(country))</td><td>\(e(site.name))</td><td>\(e(unions))</td></tr>")
            }
            out.append("</tbody>")
            out.append("</table>")
        }
        out.append("</section>")

        out.append("<section id=\"sources\">")
        out.append("<h2>D. Sources</h2>")
        if sources.isEmpty {
            out.append("<p>No source is cited.</p>")
        } else {
            out.append("<ol>")
            for (index, source) in sources.enumerated() {
                out.append("<li id=\"source-\(index + 1)\">\(e(Self.describe(source)))</li>")
            }
            out.append("</ol>")
        }
        out.append("</section>")
        out.append("</body>")
        out.append("</html>")
        return out.joined(separator: "\n") + "\n"
    }
}
