import ArgumentParser
import Foundation
import SolidarityCore

struct Org: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "org",
        abstract: "Organizations: unions, locals, councils, confederations, global union federations, networks and allied groups.",
        subcommands: [Add.self, List.self, Show.self, Edit.self, Remove.self, Duplicates.self, NotDuplicates.self, Merge.self])
}

/// Fields shared by `org add` and `org edit`.
struct OrganizationFields: ParsableArguments {
    @Option(help: "The usual acronym, matched case-sensitively in resolutions (FAT, CSN).")
    var acronym: String?
    @Option(help: ArgumentHelp("The handle other commands use (default: from the acronym, else the name).", valueName: "handle"),
            transform: Parse.handle)
    var handle: String?
    @Option(help: "union, local, council, division, confederation, global_union_federation, network or allied_group.")
    var kind: Organization.Kind?
    @Option(help: ArgumentHelp("ISO 3166-1 alpha-2 country code (MX, CA, GB).", valueName: "cc"), transform: Parse.country)
    var country: String?
    @Option(help: ArgumentHelp("ISO 3166-2 region code (CA-QC).", valueName: "code"))
    var region: String?
    @Option(help: "City.")
    var city: String?
    @Option(help: ArgumentHelp("The organization this one is part of (a local's union, a council's confederation).", valueName: "ref"))
    var parent: String?
    @Option(name: .customLong("native-name"), help: "The official name in the organization's own language (needs --lang).")
    var nativeName: String?
    @Option(help: ArgumentHelp("Language of --native-name, as an ISO 639 code (es, fr, ja).", valueName: "lang"), transform: Parse.language)
    var lang: String?
    @Option(help: ArgumentHelp("Number of members.", valueName: "n"), transform: Parse.members)
    var members: Int?
    @Option(name: .customLong("members-as-of"), help: ArgumentHelp("When the member count was stated (a partial date).", valueName: "date"),
            transform: Parse.date)
    var membersAsOf: PartialDate?
    @Option(help: "Website address.")
    var website: String?
    @Option(help: "Free-text notes.")
    var notes: String?
    @Option(help: ArgumentHelp("A campaign to tag it with (repeatable); a new name records the campaign.", valueName: "campaign"))
    var campaign: [String] = []
    @Option(help: ArgumentHelp("A source URL (or a recorded source's id) backing this record (repeatable).", valueName: "url"))
    var source: [String] = []

    /// Applies the given fields to a record.
    func apply(to organization: inout Organization) {
        if let acronym { organization.acronym = acronym }
        if let handle { organization.handle = handle }
        if let kind { organization.kind = kind }
        if let country { organization.move(to: country) }
        if let region { organization.region = region }
        if let city { organization.city = city }
        if let parent { organization.parent = parent }
        if let nativeName { organization.nativeName = nativeName }
        if let lang { organization.nativeNameLang = lang }
        if let members { organization.members = members }
        if let membersAsOf { organization.membersAsOf = membersAsOf }
        if let website { organization.website = website }
        if let notes { organization.notes = notes }
        for tag in campaign where !organization.campaigns.contains(tag) { organization.campaigns.append(tag) }
        for url in source where !organization.sources.contains(url) { organization.sources.append(url) }
    }
}

extension Org {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Record an organization.",
            discussion: """
                Examples:
                  solidarity org add "Frente Auténtico del Trabajo" --acronym FAT --kind confederation --country MX \\
                    --native-name "Frente Auténtico del Trabajo" --lang es --alias "Authentic Labor Front@en"
                  solidarity org add "UE Local 506" --kind local --country US --parent ue
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: "The organization's name (its official English name where it has one).")
        var name: String
        @OptionGroup var fields: OrganizationFields
        @Option(help: ArgumentHelp("Another name it is known by (repeatable); add @lang for its language: \"Central Union of Workers@en\".",
                                   valueName: "alias"), transform: Parse.alias)
        var alias: [Organization.Alias] = []
        @Flag(help: "Mark it sensitive: it stays out of exports, appendices and webhooks unless --include-sensitive is given.")
        var sensitive = false

        func run() throws {
            var organization = Organization(name: name, kind: .union, sensitive: sensitive, aliases: alias)
            fields.apply(to: &organization)
            organization.handle = fields.handle ?? ""
            let added = try store.open(.write).addOrganization(organization)
            Terminal.say("Added \(added.shortName) as \(added.handle).")
            Terminal.warn(added.mixedScriptWords)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List organizations, optionally by country, kind, parent or campaign.",
            discussion: """
                Examples:
                  solidarity org list --kind confederation
                  solidarity org list --country CA --format csv > canada.csv
                """)

        @OptionGroup var store: StoreOptions
        @Option(help: ArgumentHelp("Only organizations in this country.", valueName: "cc"), transform: Parse.country)
        var country: String?
        @Option(help: "Only organizations of this kind.")
        var kind: Organization.Kind?
        @Option(help: ArgumentHelp("Only the parts of this organization (its locals, councils).", valueName: "ref"))
        var parent: String?
        @Option(help: ArgumentHelp("Only organizations tagged with this campaign.", valueName: "campaign"))
        var campaign: String?
        @OptionGroup var output: FormatOptions

        func run() throws {
            let filter = OrganizationFilter(country: country, kind: kind, parent: parent, campaign: campaign)
            let directory = try store.open(.read)
            try Output.list(format: output.format) { try directory.organizations(filter, each: $0) }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show an organization with its names, structure, relationships and people.",
            discussion: """
                Examples:
                  solidarity org show fat
                  solidarity org show "Confederation des syndicats nationaux" --format json
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("Handle, acronym, alias or name.", valueName: "ref"))
        var ref: String
        @OptionGroup var output: FormatOptions

        func run() throws {
            let profile = try store.open(.read).profile(ofOrganization: ref)
            let o = profile.organization
            try Output.show(o, json: profile, format: output.format) { lines(profile) }
        }

        private func lines(_ profile: OrganizationProfile) -> [(String, String)] {
            let o = profile.organization
            var place: [String] = []
            for part in [o.city, o.region ?? o.country] { if let part { place.append(part) } }
            var members = ""
            if let count = o.members { members = "\(count)" + (o.membersAsOf.map { " (as of \($0))" } ?? "") }
            let relationships: [String] = profile.relationships.map { describe($0, from: o.handle) }
            let people: [String] = profile.people.map { p in
                Disclosure.mark("\(p.name) (\(p.person)): \(p.title)\(p.basis.map { " (\($0))" } ?? "")", p.sensitive)
            }
            return [
                ("handle", o.handle + (profile.isHome ? " (home)" : "")),
                ("name", o.name),
                ("acronym", o.acronym ?? ""),
                ("native name", o.nativeName.map { "\($0) (\(o.nativeNameLang ?? "?"))" } ?? ""),
                ("aliases", o.aliases.map(\.label).joined(separator: "\n")),
                ("kind", o.kind.rawValue),
                ("place", place.joined(separator: ", ")),
                ("part of", o.parent ?? ""),
                ("parts", profile.parts.joined(separator: ", ")),
                ("members", members),
                ("website", o.website ?? ""),
                ("sensitive", o.sensitive ? "yes: kept out of exports, appendices and webhooks" : ""),
                ("relationships", relationships.joined(separator: "\n")),
                ("people", people.joined(separator: "\n")),
                ("campaigns", o.campaigns.joined(separator: ", ")),
                ("sources", o.sources.joined(separator: ", ")),
                ("notes", o.notes ?? ""),
            ]
        }

        /// "ally of fat (close, since 2019)" or, seen from the other side, "has member: ue (active)".
        private func describe(_ r: Relationship, from handle: String) -> String {
            let outgoing = r.from == handle
            let other = outgoing ? r.to : r.from
            let phrase = outgoing || r.kind.isSymmetric ? r.kind.phrase : "has \(r.kind.rawValue.replacingOccurrences(of: "_of", with: "")):"
            var details = [r.status.rawValue]
            if let since = r.since { details.append("since \(since)") }
            if let until = r.until { details.append("until \(until)") }
            return "\(phrase) \(other) (\(details.joined(separator: ", ")))"
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Change an organization: any field, its aliases, campaigns and sources.",
            discussion: """
                Examples:
                  solidarity org edit csn --members 330000 --members-as-of 2025
                  solidarity org edit cut --add-alias "CUT Brasil@pt" --clear website
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("Handle, acronym, alias or name.", valueName: "ref"))
        var ref: String
        @Option(help: "A new name.")
        var name: String?
        @OptionGroup var fields: OrganizationFields
        @Option(name: .customLong("add-alias"), help: ArgumentHelp("Add an alias (repeatable; \"Name@lang\").", valueName: "alias"),
                transform: Parse.alias)
        var addAlias: [Organization.Alias] = []
        @Option(name: .customLong("remove-alias"), help: ArgumentHelp("Remove an alias (repeatable).", valueName: "alias"))
        var removeAlias: [String] = []
        @Option(name: .customLong("remove-campaign"), help: ArgumentHelp("Remove a campaign tag (repeatable).", valueName: "campaign"))
        var removeCampaign: [String] = []
        @Flag(inversion: .prefixedNo, help: "Mark or unmark it sensitive.")
        var sensitive: Bool?
        @Option(help: ArgumentHelp("Empty a field (repeatable): acronym, native-name, region, city, parent, members, website, notes.",
                                   valueName: "field"))
        var clear: [ClearableField] = []

        enum ClearableField: String, ExpressibleByArgument, CaseIterable {
            case acronym, region, city, parent, members, website, notes
            case nativeName = "native-name"
        }

        func run() throws {
            let organization = try store.open(.write).editOrganization(ref) { o in
                if let name { o.name = name }
                fields.apply(to: &o)
                for field in clear {
                    switch field {
                    case .acronym: o.acronym = nil
                    case .nativeName: (o.nativeName, o.nativeNameLang) = (nil, nil)
                    case .region: o.region = nil
                    case .city: o.city = nil
                    case .parent: o.parent = nil
                    case .members: (o.members, o.membersAsOf) = (nil, nil)
                    case .website: o.website = nil
                    case .notes: o.notes = nil
                    }
                }
                for alias in removeAlias {
                    guard o.aliases.contains(where: { $0.name == alias }) else {
                        throw SolidarityError(.notFound, "\(o.shortName) has no alias \"\(TextRules.printable(alias))\"; its aliases are: \(o.aliases.map(\.name).joined(separator: ", ")).")
                    }
                    o.aliases.removeAll { $0.name == alias }
                }
                o.aliases += addAlias.filter { new in !o.aliases.contains { $0.name == new.name } }
                o.campaigns.removeAll { removeCampaign.contains($0) }
                if let sensitive { o.sensitive = sensitive }
            }
            Terminal.say("Updated \(organization.shortName) (\(organization.handle)).")
            Terminal.warn(organization.mixedScriptWords)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove an organization, with its relationships, the titles people held there and its parts in activities and sites.",
            discussion: """
                Asks first; scripts pass --yes. An organization with parts (locals) or the home organization is kept.

                Example:
                  solidarity org remove "Test Union" --yes
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("Handle, acronym, alias or name.", valueName: "ref"))
        var ref: String
        @Flag(help: "Do not ask for confirmation.")
        var yes = false

        func run() throws {
            let db = try store.open(.write)
            let organization = try db.organization(ref)
            guard try Confirmation.confirmed("Remove \(organization.shortName) (\(organization.handle)) with its relationships, titles and its part in activities and sites?", yes: yes) else { return }
            let removed = try db.removeOrganization(organization.handle)
            Terminal.say("Removed \(removed.organization.shortName), \(removed.relationships) relationship(s), \(removed.titles) title(s) and \(removed.roles) part(s) in activities and sites.")
        }
    }
}
