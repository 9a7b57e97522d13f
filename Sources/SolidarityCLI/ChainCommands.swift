import ArgumentParser
import Foundation
import SolidarityCore

struct Allies: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allies",
        abstract: "Which unions represent the workers of an employer's chain, and how close we are to each.",
        discussion: """
            For the employer and every company it owns: each site by country, the unions there, our \
            relationship to each (kind, status, since), our last contact with it (a done activity in \
            which both took part, as `stale` counts it), its contact people, and its global union \
            federation. A site with no union recorded is a gap; a union that is part of the home \
            organization is ours; one we have no relationship with is a prospect, shown with its way \
            in when it is a member or affiliate of one of our allies ("prospect: affiliate of \
            IndustriALL, our ally").

            Examples:
              solidarity allies --employer wabtec
              solidarity allies --employer wabtec --country BR --format json
              solidarity allies --employer wabtec --as-of 2020 --format csv
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("The employer (handle, name or alias).", valueName: "ref"))
    var employer: String
    @Option(help: ArgumentHelp("Only sites in this country.", valueName: "cc"), transform: Parse.country)
    var country: String?
    @Option(name: .customLong("as-of"), help: ArgumentHelp("The state on this date (a partial date) instead of now.", valueName: "date"),
            transform: Parse.date)
    var asOf: PartialDate?
    @OptionGroup var output: FormatOptions

    func run() throws {
        let report = try store.open(.read).allies(employer: employer, country: country, asOf: asOf)
        if let note = report.note { Terminal.note(note) }
        if output.format == .json {
            Terminal.say(try Output.json(report))
            return
        }
        try Output.list(AlliesLine.lines(of: report), format: output.format)
    }
}

/// One line of the allies report: a union at a site, or a gap.
struct AlliesLine: Listable {
    let country: String
    let site: AlliesReport.SiteEntry
    let union: AlliesReport.Union?

    static func lines(of report: AlliesReport) -> [AlliesLine] {
        report.countries.flatMap { group in
            group.sites.flatMap { site in
                site.unions.isEmpty ? [AlliesLine(country: group.country, site: site, union: nil)]
                    : site.unions.map { AlliesLine(country: group.country, site: site, union: $0) }
            }
        }
    }

    func encode(to encoder: any Encoder) throws {}

    /// "ours", "ally (close) since 2019", "prospect".
    var standing: String {
        guard let union else { return "gap" }
        if union.ours { return "ours" }
        if let link = union.relationship {
            return "\(link.kind.rawValue) (\(link.status.rawValue))" + (link.since.map { " since \($0)" } ?? "")
        }
        guard union.prospect else { return "" }
        return union.allyLink.map { "prospect: \($0.phrase)" } ?? "prospect"
    }

    static let tableColumns = ["country", "site", "union", "standing", "last contact", "contacts", "federation"]
    var tableRow: [String] {
        guard let union else { return [country, site.name, "gap: no union recorded", "gap", "", "", ""] }
        return [country, site.name, Disclosure.mark(union.acronym ?? union.name, union.sensitive), standing,
                union.lastContact.map { Disclosure.mark("\($0.date?.description ?? "undated")\($0.via.map { " via \($0)" } ?? ""): \($0.title)", $0.sensitive) } ?? "",
                union.contacts.map { "\($0.name) (\($0.title))" }.joined(separator: "; "), union.federation ?? ""]
    }
    static let csvColumns = ["country", "site_id", "site", "employer", "city", "gap", "union", "union_name", "ours", "prospect",
                             "relationship_kind", "relationship_status", "relationship_since", "represents_since", "represents_until",
                             "last_contact_date", "last_contact_via", "last_contact_title", "last_contact_activity", "contacts", "federation",
                             "ally_link_kind", "ally_link_organization", "ally_link_our_relationship", "ally_link_sensitive"]
    var csvRow: [String] {
        let link = union?.relationship
        return [country, site.id, site.name, site.employer, site.city ?? "", String(union == nil), union?.organization ?? "", union?.name ?? "",
                union.map { String($0.ours) } ?? "", union.map { String($0.prospect) } ?? "",
                link?.kind.rawValue ?? "", link?.status.rawValue ?? "", link?.since.text ?? "", union?.since.text ?? "", union?.until.text ?? "",
                union?.lastContact?.date.text ?? "", union?.lastContact?.via ?? "", union?.lastContact?.title ?? "", union?.lastContact?.activity ?? "",
                union?.contacts.map(\.person).joinedForCSV ?? "", union?.federation ?? "",
                union?.allyLink?.kind.rawValue ?? "", union?.allyLink?.organization ?? "", union?.allyLink?.ours.rawValue ?? "",
                union?.allyLink.map { String($0.sensitive) } ?? ""]
    }
}

struct SharedEmployers: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shared-employers",
        abstract: "The employers at whose sites both organizations (or their locals) represent workers: sister shops.",
        discussion: """
            A company counts with the companies that own it, so two unions at different subsidiaries \
            share the parent.

            Example:
              solidarity shared-employers ue cut
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The first organization.", valueName: "ref"))
    var first: String
    @Argument(help: ArgumentHelp("The second organization.", valueName: "ref"))
    var second: String
    @OptionGroup var output: FormatOptions

    func run() throws {
        let result = try store.open(.read).sharedEmployers(first, second)
        if result.employers.isEmpty {
            let sentence = "\(result.first) and \(result.second) represent workers of no common employer in the records (a site each organization or its locals represents, of the same company or its owners)."
            if output.format == .table { Terminal.say(sentence) } else { Terminal.note(sentence) }
            if output.format == .table { return }
        }
        try Output.list(result.employers, format: output.format,
                        headings: ["employer", "name", "sites of \(result.firstName)", "sites of \(result.secondName)"])
    }
}

/// The table and Markdown name the site columns after the two organizations (`shared-employers`
/// passes the headings); CSV and JSON keep stable keys, `first_sites` and `second_sites`, beside
/// `first` and `second`, the organizations' handles, so a script reads every file alike and a row
/// read alone says whose sites it lists.
extension SharedEmployer: Listable {
    static let tableColumns = ["employer", "name", "sites of the first", "sites of the second"]
    var tableRow: [String] { [employer, name, firstSites.joined(separator: "; "), secondSites.joined(separator: "; ")] }
    static let csvColumns = ["employer", "name", "first", "first_sites", "second", "second_sites"]
    var csvRow: [String] { [employer, name, first, firstSites.joinedForCSV, second, secondSites.joinedForCSV] }
}

struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw the network: organizations, employers and sites, with relationships and representation, clustered by country.",
        discussion: """
            DOT renders with Graphviz (`dot -Tsvg network.dot > network.svg`); Mermaid pastes into \
            GitHub, GitLab or a Markdown editor. Sensitive organizations stay out unless --include-sensitive.

            Examples:
              solidarity graph --employer wabtec > wabtec.dot && dot -Tsvg wabtec.dot > wabtec.svg
              solidarity graph --org ue --format mermaid
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case dot, mermaid }

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("Only this employer's chain, its unions and our links to them.", valueName: "ref"))
    var employer: String?
    @Option(help: ArgumentHelp("Only this organization, its parts, relationships and sites.", valueName: "ref"))
    var org: String?
    @Option(help: "dot (Graphviz) or mermaid (a flowchart).")
    var format: Format = .dot
    @Flag(name: .customLong("include-sensitive"), help: "Include organizations marked sensitive.")
    var includeSensitive = false

    func validate() throws {
        if employer != nil, org != nil { throw ValidationError("Give --employer or --org, not both: the graph centres on one of them.") }
    }

    func run() throws {
        let scope: NetworkGraph.Scope = employer.map { .employer($0) } ?? org.map { .organization($0) } ?? .everything
        let graph = try store.open(.read).graph(scope, includeSensitive: includeSensitive)
        Terminal.write(format == .dot ? graph.dot : graph.mermaid)
        if includeSensitive {
            Terminal.note("This graph includes organizations marked sensitive: share it only with people who may see them.")
        } else if graph.leftOut > 0 {
            Terminal.note(graph.leftOut == 1 ? "Left out 1 sensitive organization and its links; --include-sensitive includes it."
                          : "Left out \(graph.leftOut) sensitive organizations and their links; --include-sensitive includes them.")
        }
    }
}
