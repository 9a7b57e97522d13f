import ArgumentParser
import Foundation
import SolidarityCore

struct ActivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activity",
        abstract: "Exchanges, meetings, conferences, webinars and calls with allies (and, in listings, delegations too).",
        subcommands: [Log.self, List.self, Show.self, Edit.self, Remove.self])

    /// The kinds `activity log` records; delegations have their own command.
    enum LoggableKind: String, ExpressibleByArgument, CaseIterable {
        case exchange, meeting, conference, webinar, call
        var kind: Activity.Kind { Activity.Kind(rawValue: rawValue)! }
    }

    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "log",
            abstract: "Record an exchange, meeting, conference, webinar or call.",
            discussion: """
                Without --status, one that starts after today is planned, any other done; --status \
                done is refused for one that has not started.

                Examples:
                  solidarity activity log --kind conference --title "Labor Notes Conference" --to US --city Chicago --start 2024-04 \\
                    --organizer labor-notes --participant zenroren
                  solidarity activity log --kind webinar --virtual --title "Webinar with Palestinian trade unionists" --start 2024-07 \\
                    --organizer national-labor-network-for-ceasefire --participant workers-in-palestine
                  solidarity activity log --kind call --title "Tariffs" --start 2025 --delegate carl-rosen --contact lana-payne
                """)

        @OptionGroup var store: StoreOptions
        @Option(help: "exchange, meeting, conference, webinar or call.")
        var kind: LoggableKind
        @OptionGroup var fields: ActivityFields
        @Flag(help: "Held online.")
        var virtual = false
        @Flag(help: "Mark it sensitive: kept out of exports, calendars and webhooks unless --include-sensitive.")
        var sensitive = false

        func validate() throws {
            if fields.title == nil { throw ValidationError("Give the \(kind.rawValue) a --title.") }
        }

        func run() throws {
            try ActivityCommands.log(Activity(kind: kind.kind, title: fields.title ?? "", virtual: virtual, sensitive: sensitive),
                                     fields: fields, store: store)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List activities of every kind (delegations included), oldest first, undated last.",
            discussion: """
                Examples:
                  solidarity activity list --kind webinar --kind exchange --since 2020 --until 2021
                  solidarity activity list --org unifor --format md
                """)

        @OptionGroup var store: StoreOptions
        @Option(help: "Only this kind (repeatable): delegation, exchange, meeting, conference, webinar or call.")
        var kind: [Activity.Kind] = []
        @OptionGroup var filter: ActivityFilterOptions
        @OptionGroup var output: FormatOptions

        func run() throws {
            let directory = try store.open(.read)
            try Output.list(format: output.format) { try directory.sensitiveRows(filter.filter(kinds: kind), each: $0) }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show an activity in full.",
            discussion: "Example:\n  solidarity activity show 7n3wpk3ayh")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The activity's id (from `activity list`).")
        var id: String
        @OptionGroup var output: FormatOptions

        func run() throws { try ActivityCommands.show(id, store: store, format: output.format) }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Change any part of an activity: single values replace, repeated flags add; --clear empties a part first.",
            discussion: "Example:\n  solidarity activity edit r2mkm4zi6g --outcome \"Agreed to compare tariff impacts\" --follow-up \"Share notes\" --due 2025-04")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The activity's id.")
        var id: String
        @OptionGroup var fields: ActivityFields
        @Option(help: ArgumentHelp("Empty a part before adding (repeatable): \(ActivityPart.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "part"))
        var clear: [ActivityPart] = []
        @Flag(inversion: .prefixedNo, help: "Whether it was held online.")
        var virtual: Bool?
        @Flag(inversion: .prefixedNo, help: "Mark or unmark it sensitive.")
        var sensitive: Bool?

        func run() throws {
            try ActivityCommands.edit(id, fields: fields, clear: clear, hosted: nil, virtual: virtual, sensitive: sensitive, store: store)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove an activity and its follow-ups (asks first; --yes for scripts).",
            discussion: "Example:\n  solidarity activity remove 7n3wpk3ayh --yes")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The activity's id.")
        var id: String
        @Flag(help: "Do not ask for confirmation.")
        var yes = false

        func run() throws { try ActivityCommands.remove(id, yes: yes, store: store) }
    }
}
