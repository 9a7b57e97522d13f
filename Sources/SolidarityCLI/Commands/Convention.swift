import ArgumentParser
import Foundation
import SolidarityCore

struct ConventionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convention",
        abstract: "Conventions of an organization (number, dates and place may be unknown).",
        subcommands: [Add.self, List.self, Show.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Record a convention.",
            discussion: """
                Its handle is the organization's and the number (ue-79), or the year when the number is unknown (ue-2021).

                Examples:
                  solidarity convention add --org ue --name "79th UE Convention" --number 79 --start 2025-08
                  solidarity convention add --org ue --name "UE Convention 2021" --start 2021
                """)

        @OptionGroup var store: StoreOptions
        @Option(help: ArgumentHelp("The organization holding it.", valueName: "ref"))
        var org: String
        @Option(help: "Its name: \"79th UE Convention\".")
        var name: String
        @Option(help: "Its number, when it has one.")
        var number: Int?
        @Option(help: ArgumentHelp("When it began (a partial date).", valueName: "date"), transform: Parse.date)
        var start: PartialDate?
        @Option(help: ArgumentHelp("When it ended.", valueName: "date"), transform: Parse.date)
        var end: PartialDate?
        @Option(help: "City.")
        var city: String?
        @Option(help: ArgumentHelp("Country (ISO 3166-1 alpha-2).", valueName: "cc"), transform: Parse.country)
        var country: String?
        @Option(help: ArgumentHelp("The handle (default: organization and number, or year).", valueName: "handle"), transform: Parse.handle)
        var handle: String?

        func run() throws {
            let convention = try store.open(.write).addConvention(Convention(
                handle: handle ?? "", organization: org, name: name, number: number, start: start, end: end, city: city, country: country))
            Terminal.say("Added convention \(convention.name) as \(convention.handle).")
            Terminal.warn(convention.mixedScriptWords)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List conventions, oldest first.",
            discussion: "Example:\n  solidarity convention list --org ue")

        @OptionGroup var store: StoreOptions
        @Option(help: ArgumentHelp("Only this organization's conventions.", valueName: "ref"))
        var org: String?
        @OptionGroup var output: FormatOptions

        func run() throws { try Output.list(try store.open(.read).conventions(of: org), format: output.format) }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show a convention with its resolutions.",
            discussion: "Example:\n  solidarity convention show ue-79")

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("The convention's handle or name.", valueName: "ref"))
        var ref: String
        @OptionGroup var output: FormatOptions

        func run() throws {
            let (c, resolutions) = try store.open(.read).convention(ref)
            try Output.show(c, format: output.format) {
                [("handle", c.handle), ("name", c.name), ("organization", c.organization), ("number", c.number.map(String.init) ?? ""),
                 ("when", c.start.map { start in c.end.map { "\(start) to \($0)" } ?? start.description } ?? "not recorded"),
                 ("place", [c.city, c.country].compactMap { $0 }.joined(separator: ", ")),
                 ("resolutions", resolutions.map { "\($0.handle)  \($0.title) (\($0.status.rawValue))" }.joined(separator: "\n"))]
            }
        }
    }
}

extension Convention: Listable {
    static let tableColumns = ["handle", "organization", "name", "number", "start", "end", "place"]
    var tableRow: [String] { [handle, organization, name, number.map(String.init) ?? "", start.text, end.text, [city, country].compactMap { $0 }.joined(separator: ", ")] }
    static let csvColumns = ["handle", "organization", "name", "number", "start", "end", "city", "country", "notes"]
    var csvRow: [String] { [handle, organization, name, number.map(String.init) ?? "", start.text, end.text, city ?? "", country ?? "", notes ?? ""] }
}
