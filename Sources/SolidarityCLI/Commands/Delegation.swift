import ArgumentParser
import Foundation
import SolidarityCore

struct DelegationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delegation",
        abstract: "Delegations: trips to allies abroad, and delegations we host.",
        subcommands: [Log.self, List.self, Show.self, Edit.self, Remove.self])

    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "log",
            abstract: "Record a delegation trip in one command: where, when, hosts, delegates, whom they met, what came of it.",
            discussion: """
                Dates may be partial (2024, 2024-05) or unknown. --hosted records a delegation we received. \
                Without --sender (or, when hosted, --host) the home organization takes that part. \
                Without --status, a delegation that starts after today is planned, any other done; \
                --status done is refused for one that has not started.

                Examples:
                  solidarity delegation log --title "Delegation to the FAT" --to MX --city "Mexico City" --start 2024-05 \\
                    --host fat --met atm --purpose "Green Locomotive Project" --campaign green-locomotive-project \\
                    --follow-up "Send the ATM our locomotive study" --due 2024-07
                  solidarity delegation log --hosted --title "Zenroren delegation in Chicago" --to US --city Chicago \\
                    --start 2024-04 --sender zenroren --host ue --met ctu
                  solidarity delegation log --title "IndustriALL Congress" --to AU --start 2025-11 --status planned \\
                    --host industriall --delegate janet-gray --delegate john-thompson
                """)

        @OptionGroup var store: StoreOptions
        @OptionGroup var fields: ActivityFields
        @Flag(help: "A delegation we received rather than sent.")
        var hosted = false
        @Flag(help: "Mark it sensitive: kept out of exports, calendars and webhooks unless --include-sensitive.")
        var sensitive = false

        func validate() throws {
            if fields.title == nil { throw ValidationError("Give the delegation a --title, for example --title \"Delegation to the FAT\".") }
        }

        func run() throws {
            try ActivityCommands.log(Activity(kind: .delegation, title: fields.title ?? "", hosted: hosted, sensitive: sensitive),
                                     fields: fields, store: store)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List delegations, oldest first (undated last), optionally by period, organization, country, employer, campaign or status.",
            discussion: """
                A period keeps what overlaps it: --since 2024 --until 2024 keeps a delegation of "2024-05" and one of "2023" \
                to "2024-02".

                Examples:
                  solidarity delegation list --since 2024 --until 2025
                  solidarity delegation list --org fat --format csv
                """)

        @OptionGroup var store: StoreOptions
        @OptionGroup var filter: ActivityFilterOptions
        @OptionGroup var output: FormatOptions

        func run() throws {
            let directory = try store.open(.read)
            try Output.list(format: output.format) { try directory.sensitiveRows(filter.filter(kinds: [.delegation]), each: $0) }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show a delegation in full.",
            discussion: "Example:\n  solidarity delegation show n55bsrpwgl")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The delegation's id (from `delegation list`).")
        var id: String
        @OptionGroup var output: FormatOptions

        func run() throws { try ActivityCommands.show(id, store: store, format: output.format, delegationsOnly: true) }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Change any part of a delegation: single values replace, repeated flags add; --clear empties a part first.",
            discussion: """
                Examples:
                  solidarity delegation edit u3oow7gspn --status done --outcome "Met Wabtec workers from Brazil and Italy"
                  solidarity delegation edit u3oow7gspn --clear itinerary --to AU --city Sydney
                  solidarity delegation edit u3oow7gspn --status cancelled

                --status cancelled closes its open follow-ups as cancelled (kept; `followup list --all` shows them).
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: "The delegation's id.")
        var id: String
        @OptionGroup var fields: ActivityFields
        @Option(help: ArgumentHelp("Empty a part before adding (repeatable): \(ActivityPart.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "part"))
        var clear: [ActivityPart] = []
        @Flag(inversion: .prefixedNo, help: "Whether we received it.")
        var hosted: Bool?
        @Flag(inversion: .prefixedNo, help: "Mark or unmark it sensitive.")
        var sensitive: Bool?

        func run() throws {
            try ActivityCommands.edit(id, fields: fields, clear: clear, hosted: hosted, virtual: nil, sensitive: sensitive, store: store, delegationsOnly: true)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a delegation and its follow-ups (asks first; --yes for scripts).",
            discussion: "Example:\n  solidarity delegation remove n55bsrpwgl --yes")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The delegation's id.")
        var id: String
        @Flag(help: "Do not ask for confirmation.")
        var yes = false

        func run() throws { try ActivityCommands.remove(id, yes: yes, store: store, delegationsOnly: true) }
    }
}
