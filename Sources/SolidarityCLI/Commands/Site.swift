import ArgumentParser
import Foundation
import SolidarityCore

struct SiteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site",
        abstract: "Sites: the workplaces of an employer, and the unions that represent their workers.",
        subcommands: [Add.self, List.self, Show.self, Edit.self, Remove.self, Replace.self, Represent.self])
}

extension SiteCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Record a workplace of an employer, with the unions that represent its workers.",
            discussion: """
                --union may be repeated; a --since right after a --union dates that union, and a --union \
                without one has no date.

                Examples:
                  solidarity site add "Example Wabtec plant" --employer wabtec --country BR --city Contagem --union CUT --since 2015
                  solidarity site add "Example Wabtec shop" --employer wabtec --country CA --region CA-QC --union csn --since 2015 --union unifor
                  solidarity site add "Example GE works" --employer ge --country GB --sector "rail equipment"
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: "The site's name, as people know it.")
        var name: String
        @Option(help: ArgumentHelp("The employer (handle, name or alias).", valueName: "ref"))
        var employer: String
        @Option(help: ArgumentHelp("ISO 3166-1 alpha-2 country code.", valueName: "cc"), transform: Parse.country)
        var country: String
        @Option(help: ArgumentHelp("ISO 3166-2 region code (US-PA).", valueName: "code"))
        var region: String?
        @Option(help: "City.")
        var city: String?
        @Option(help: "Sector or what is made there (rail equipment, locomotives).")
        var sector: String?
        @Option(help: "Free-text notes.")
        var notes: String?
        @Option(help: ArgumentHelp("A union representing its workers (repeatable).", valueName: "ref"))
        var union: [String] = []
        @Option(help: ArgumentHelp("Since when the --union written just before it represents them (a partial date; at most one per union).",
                                   valueName: "date"), transform: Parse.date)
        var since: [PartialDate] = []
        @Option(help: ArgumentHelp("A source URL (or a recorded source's id) backing this record (repeatable).", valueName: "url"))
        var source: [String] = []

        /// `--union REF [--since D]`: each --since dates the --union written before it.
        static let unionDates = FlagPair(flag: "union", qualifier: "since", example: "--union csn --since 2015 --union unifor --since 2021")

        /// The unions given, each with the --since written after it.
        func unions() throws -> [Site.Representation] {
            let pairs = try Self.unionDates.pairs(flags: union, qualifiers: since.count)
            return zip(union, pairs).map { union, date in Site.Representation(organization: union, since: date.map { since[$0] }) }
        }

        func validate() throws {
            _ = try unions()
        }

        func run() throws {
            let site = try store.open(.write).addSite(Site(
                employer: employer, name: name, country: country, region: region, city: city, sector: sector, notes: notes,
                unions: try unions(), sources: source))
            Terminal.say("Added site \(site.name) of \(site.employer) as \(site.id).")
            Terminal.warn(site.mixedScriptWords)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List sites, optionally of one employer, in one country, or represented by one union.",
            discussion: """
                Examples:
                  solidarity site list --employer wabtec
                  solidarity site list --country BR --format csv
                """)

        @OptionGroup var store: StoreOptions
        @Option(help: ArgumentHelp("Only this employer's sites.", valueName: "ref"))
        var employer: String?
        @Option(help: ArgumentHelp("Only sites in this country.", valueName: "cc"), transform: Parse.country)
        var country: String?
        @Option(help: ArgumentHelp("Only sites this union has represented.", valueName: "ref"))
        var union: String?
        @OptionGroup var output: FormatOptions

        func run() throws {
            let directory = try store.open(.read)
            let rule = try directory.disclosure()
            try Output.list(format: output.format) { (row: (ListedSite) throws -> Void) in
                try directory.sites(SiteFilter(employer: employer, country: country, union: union)) { try row(ListedSite(site: $0, rule: rule)) }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show a site with the unions that represent (or represented) its workers.",
            discussion: """
                Example:
                  solidarity site show 7gq2mx4kpa
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("The site's id, or its name.", valueName: "site"))
        var ref: String
        @OptionGroup var output: FormatOptions

        func run() throws {
            let s = try store.open(.read).site(ref)
            try Output.show(s, format: output.format) {
                [("id", s.id), ("name", s.name), ("employer", s.employer),
                 ("place", [s.city, s.region ?? s.country].compactMap { $0 }.joined(separator: ", ")), ("sector", s.sector ?? ""),
                 ("unions", s.unions.isEmpty ? "none recorded" : s.unions.map(\.summary).joined(separator: "\n")),
                 ("sources", s.sources.joined(separator: ", ")), ("notes", s.notes ?? "")]
            }
        }
    }

    struct Represent: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "represent",
            abstract: "Record that a union represents a site's workers, from --since until --until.",
            discussion: """
                Giving the same union and --since again with --until records when the representation ended.

                Examples:
                  solidarity site represent 7gq2mx4kpa ue-local-506 --since 1994
                  solidarity site represent 7gq2mx4kpa ue-local-506 --since 1994 --until 2025-06
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("The site's id, or its name.", valueName: "site"))
        var site: String
        @Argument(help: ArgumentHelp("The union (handle, acronym or name).", valueName: "ref"))
        var union: String
        @Option(help: ArgumentHelp("Since when (a partial date).", valueName: "date"), transform: Parse.date)
        var since: PartialDate?
        @Option(help: ArgumentHelp("Until when (a partial date).", valueName: "date"), transform: Parse.date)
        var until: PartialDate?

        func run() throws {
            let updated = try store.open(.write).represent(site: site, Site.Representation(organization: union, since: since, until: until))
            Terminal.say("\(updated.name): represented by \(updated.unions.map(\.summary).joined(separator: ", ")).")
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Change a site: its name, city, region, sector, country, employer or notes.",
            discussion: """
                The site keeps its id, its unions and the activities that name it. A site recorded only as a \
                country gap ("Wabtec workers in Brazil") becomes the real workplace once you know it: give its \
                name and city. Changing the country drops a region that is not in it.

                If the real workplace is already recorded as another site, use `solidarity site replace GAP --by SITE` \
                instead: it moves the gap's unions and activities to that site and removes the gap.

                Examples:
                  solidarity site edit "Wabtec workers in Brazil" \\
                    --name "Example Wabtec plant" --city Contagem
                  solidarity site edit 7gq2mx4kpa --sector "locomotives" --clear region
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("The site's id, or its name.", valueName: "site"))
        var ref: String
        @Option(help: "A new name, as people know it.")
        var name: String?
        @Option(help: "City.")
        var city: String?
        @Option(help: ArgumentHelp("ISO 3166-2 region code (US-PA).", valueName: "code"))
        var region: String?
        @Option(help: "Sector or what is made there.")
        var sector: String?
        @Option(help: ArgumentHelp("ISO 3166-1 alpha-2 country code; a region outside it is dropped.", valueName: "cc"), transform: Parse.country)
        var country: String?
        @Option(help: ArgumentHelp("The employer (handle, name or alias), when it was recorded under the wrong one.", valueName: "ref"))
        var employer: String?
        @Option(help: "Free-text notes (replaces the notes).")
        var notes: String?
        @Option(help: ArgumentHelp("A source URL (or id) to add (repeatable).", valueName: "url"))
        var source: [String] = []
        @Option(help: ArgumentHelp("Empty a field (repeatable): city, region, sector, notes.", valueName: "field"))
        var clear: [ClearableField] = []

        enum ClearableField: String, ExpressibleByArgument, CaseIterable { case city, region, sector, notes }

        func run() throws {
            let site = try store.open(.write).editSite(ref) { s in
                for field in clear {
                    switch field {
                    case .city: s.city = nil
                    case .region: s.region = nil
                    case .sector: s.sector = nil
                    case .notes: s.notes = nil
                    }
                }
                if let name { s.name = name }
                if let country { s.move(to: country) }
                if let region { s.region = region }
                if let city { s.city = city }
                if let sector { s.sector = sector }
                if let employer { s.employer = employer }
                if let notes { s.notes = notes }
                s.sources += source.filter { !s.sources.contains($0) }
            }
            Terminal.say("Updated site \(site.id): \(site.location) (\(site.employer)).")
            Terminal.warn(site.mixedScriptWords)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a site; refused while unions or activities name it, unless --force.",
            discussion: """
                While a union represents (or represented) the site, or an activity names it, the site is kept and \
                the message lists them. --force removes the site with those links (the unions and activities \
                stay). To keep the links, move them to another site with `solidarity site replace SITE --by OTHER`.

                It asks first, as every removal does (--yes does not ask; without a terminal, --yes is needed).

                Examples:
                  solidarity site remove 7gq2mx4kpa
                  solidarity site remove 7gq2mx4kpa --force --yes
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("The site's id, or its name.", valueName: "site"))
        var ref: String
        @Flag(help: "Remove it even though unions or activities name it, with those links.")
        var force = false
        @Flag(help: "Do not ask for confirmation.")
        var yes = false

        func run() throws {
            let db = try store.open(.write)
            let planned = try db.siteRemoval(ref, force: force)
            let with = planned.links.isEmpty ? "" : " with its \(planned.links.count == 1 ? "link" : "\(planned.links.count) links") (the unions and activities stay)"
            guard try Confirmation.confirmed("Remove site \(planned.site.id) (\(planned.site.location))\(with)?", yes: yes) else { return }
            let removed = try db.removeSite(ref, force: force)
            Terminal.say("Removed site \(removed.site.id): \(removed.site.location) (\(removed.site.employer)).")
            if !removed.links.isEmpty {
                Terminal.say("Removed with it \(removed.links.count) link\(removed.links.count == 1 ? "" : "s"):")
                for link in removed.links { Terminal.say("  \(link)") }
            }
        }
    }

    struct Replace: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "replace",
            abstract: "Replace a site (a gap such as \"Wabtec workers in Brazil\") by another: its unions and activities move there.",
            discussion: """
                For a gap recorded only as a country once the real workplace is recorded as a site of its own. \
                The unions that represent the replaced site, the activities that name it and its sources move to \
                the --by site, and the replaced site is removed. Both must be in the same country, and the --by site \
                must belong to the same employer or one of its subsidiaries.

                If the real workplace is not recorded yet, there is nothing to replace: turn the gap into it with \
                `solidarity site edit GAP --name NAME --city CITY`.

                Example:
                  solidarity site add "Example Wabtec plant" --employer wabtec --country BR \\
                    --city Contagem
                  solidarity site replace "Wabtec workers in Brazil" --by "Example Wabtec plant"
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("The site to replace (its id or name), typically a gap.", valueName: "site"))
        var ref: String
        @Option(help: ArgumentHelp("The site that takes its place (its id or name).", valueName: "site"))
        var by: String

        func run() throws {
            let result = try store.open(.write).replaceSite(ref, by: by)
            Terminal.say("Replaced site \(result.replaced.id) (\(result.replaced.location)) by \(result.by.id) (\(result.by.location)).")
            if result.moved.isEmpty {
                Terminal.say("Nothing named it; it is removed.")
            } else {
                Terminal.say("Moved \(result.moved.count) link\(result.moved.count == 1 ? "" : "s") to \(result.by.id):")
                for link in result.moved { Terminal.say("  \(link)") }
            }
        }
    }
}
