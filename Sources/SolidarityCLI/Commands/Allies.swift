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
        if let noSite = report.noSite { Terminal.note(Self.recordingSites(noSite)) }
        if let homeNote = report.homeNote { Terminal.note(homeNote) }
        if output.format == .json {
            Terminal.say(try Output.json(report))
            return
        }
        try Output.list(AlliesLine.lines(of: report), format: output.format)
    }

    /// A chain with no site: Core's sentence, then the command that records a site, with an
    /// example (a site with no union yet is a gap worth recording too).
    static func recordingSites(_ noSite: AlliesReport.NoSite) -> String {
        """
        \(noSite.sentence) Record its workplaces with
          solidarity site add NAME --employer \(noSite.employer) --country CC [--city CITY] [--union REF [--since DATE]]...
        for example:
          solidarity site add "\(noSite.exampleName)" --employer \(noSite.employer) --country \(noSite.exampleCountry)
        Without --union the site is a gap (workers we know of, no union known yet); `solidarity site represent SITE REF` adds a union later.
        """
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
