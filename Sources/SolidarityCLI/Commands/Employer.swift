import ArgumentParser
import Foundation
import SolidarityCore

struct EmployerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "employer",
        abstract: "Employers: the multinationals whose workers we and our allies organize, in their corporate trees.",
        subcommands: [Add.self, List.self, Show.self, Edit.self, Duplicates.self, NotDuplicates.self, Merge.self])
}

extension EmployerCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Record an employer, optionally under its parent company.",
            discussion: """
                Examples:
                  solidarity employer add Wabtec --country US --alias "Westinghouse Air Brake Technologies Corporation"
                  solidarity employer add "Wabtec Faiveley" --parent wabtec --country FR
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: "The company's name.")
        var name: String
        @Option(help: ArgumentHelp("The handle other commands use (default: from the name).", valueName: "handle"), transform: Parse.handle)
        var handle: String?
        @Option(help: ArgumentHelp("The parent company (an employer already recorded).", valueName: "ref"))
        var parent: String?
        @Option(help: ArgumentHelp("Country of its headquarters (ISO 3166-1 alpha-2).", valueName: "cc"), transform: Parse.country)
        var country: String?
        @Option(help: ArgumentHelp("Another name it goes by (repeatable).", valueName: "alias"))
        var alias: [String] = []
        @Option(help: "Website address.")
        var website: String?
        @Option(help: "Free-text notes.")
        var notes: String?
        @Option(help: ArgumentHelp("A source URL (or a recorded source's id) backing this record (repeatable).", valueName: "url"))
        var source: [String] = []

        func run() throws {
            let employer = try store.open(.write).addEmployer(Employer(
                handle: handle ?? "", name: name, aliases: alias, country: country, parent: parent, website: website, notes: notes, sources: source))
            Terminal.say("Added employer \(employer.name) as \(employer.handle).")
            Terminal.warn(employer.mixedScriptWords)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List employers with their parent companies.",
            discussion: """
                Example:
                  solidarity employer list --format csv
                """)

        @OptionGroup var store: StoreOptions
        @OptionGroup var output: FormatOptions

        func run() throws {
            try Output.list(try store.open(.read).employers(), format: output.format)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show an employer: its corporate tree and how many sites it has in each country.",
            discussion: """
                Example:
                  solidarity employer show wabtec
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("Handle, name or alias.", valueName: "ref"))
        var ref: String
        @OptionGroup var output: FormatOptions

        func run() throws {
            let profile = try store.open(.read).profile(ofEmployer: ref)
            let e = profile.employer
            try Output.show(e, json: profile, format: output.format) {
                let tree = profile.subsidiaries.map { String(repeating: "  ", count: $0.depth - 1) + "└ \($0.name) (\($0.handle))" }
                let counts = profile.sitesByCountry.map { "\($0.country) \($0.sites)" }
                return [
                    ("handle", e.handle), ("name", e.name), ("aliases", e.aliases.joined(separator: "\n")),
                    ("country", e.country ?? ""), ("owned by", profile.ancestors.joined(separator: " ← ")),
                    ("subsidiaries", tree.joined(separator: "\n")),
                    ("sites", counts.isEmpty ? "none recorded" : counts.joined(separator: ", ")),
                    ("website", e.website ?? ""), ("sources", e.sources.joined(separator: ", ")), ("notes", e.notes ?? ""),
                ]
            }
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Change an employer: name, parent company, country, aliases, notes.",
            discussion: """
                A parent company that would make the corporate tree go round in a circle is refused.

                Example:
                  solidarity employer edit "GE Transportation" --parent wabtec
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("Handle, name or alias.", valueName: "ref"))
        var ref: String
        @Option(help: "A new name.")
        var name: String?
        @Option(help: ArgumentHelp("A new handle.", valueName: "handle"), transform: Parse.handle)
        var handle: String?
        @Option(help: ArgumentHelp("The parent company.", valueName: "ref"))
        var parent: String?
        @Flag(name: .customLong("no-parent"), help: "It has no parent company (any more).")
        var noParent = false
        @Option(help: ArgumentHelp("Country of its headquarters.", valueName: "cc"), transform: Parse.country)
        var country: String?
        @Option(name: .customLong("add-alias"), help: ArgumentHelp("Add a name it goes by (repeatable).", valueName: "alias"))
        var addAlias: [String] = []
        @Option(help: "Website address.")
        var website: String?
        @Option(help: "Free-text notes (replaces the notes).")
        var notes: String?
        @Option(help: ArgumentHelp("A source URL (or id) to add (repeatable).", valueName: "url"))
        var source: [String] = []

        func run() throws {
            let employer = try store.open(.write).editEmployer(ref) { e in
                if let name { e.name = name }
                if let handle { e.handle = handle }
                if let parent { e.parent = parent }
                if noParent { e.parent = nil }
                if let country { e.country = country }
                e.aliases += addAlias.filter { !e.aliases.contains($0) }
                if let website { e.website = website }
                if let notes { e.notes = notes }
                e.sources += source.filter { !e.sources.contains($0) }
            }
            Terminal.say("Updated employer \(employer.name) (\(employer.handle)).")
            Terminal.warn(employer.mixedScriptWords)
        }
    }
}
