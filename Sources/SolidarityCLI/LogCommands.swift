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

struct Timeline: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "Everything that happened with an organization, a person or an employer, newest first.",
        discussion: """
            An organization: its activities in any role and its relationships beginning and ending. \
            A person: the activities they took part in and the titles they held. An employer: the \
            activities concerning it or a company it owns, and the unions beginning and ending to \
            represent workers at their sites. Dates show at their precision; undated entries come last.

            A name that fits records of more than one kind lists them; pick one by its handle, and \
            with --kind when two kinds share the handle.

            Examples:
              solidarity timeline zenroren
              solidarity timeline carl-rosen
              solidarity timeline wabtec --format csv
              solidarity timeline ue --kind organization
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("Handle, acronym, alias or name of an organization, a person or an employer.", valueName: "ref"))
    var ref: String
    @Option(help: ArgumentHelp("Only look for this kind of record: organization, person or employer.", valueName: "kind"))
    var kind: TimelineKind?
    @OptionGroup var output: FormatOptions

    func run() throws {
        do {
            try Output.list(try store.open(.read).timeline(of: ref, kind: kind), format: output.format)
        } catch var error as SolidarityError where error.reason == .ambiguous && kind == nil {
            error.message += "\n--kind organization, person or employer looks for one kind only."
            throw error
        }
    }
}

extension TimelineKind: ExpressibleByArgument {}

extension TimelineEvent: Listable {
    static let tableColumns = ["date", "kind", "title", "part", "ref", "sites"]
    var tableRow: [String] { [date?.description ?? "undated", kind, Disclosure.mark(title, sensitive), detail, ref, sites.joined(separator: "; ")] }
    static let csvColumns = ["date", "kind", "title", "detail", "ref", "sensitive", "sites"]
    var csvRow: [String] { [date.text, kind, title, detail, ref, String(sensitive), sites.joinedForCSV] }
}

struct FollowUpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "followup",
        abstract: "Follow-ups: what is due after a delegation or exchange.",
        subcommands: [List.self, Done.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List open follow-ups, soonest due first (with --overdue, only those past due).",
            discussion: """
                --all adds the ones done and the ones closed because their activity was cancelled. \
                After the list, stderr names the activities still planned whose dates have passed: \
                mark each done or cancelled.

                Examples:
                  solidarity followup list
                  solidarity followup list --overdue --format csv
                """)

        @OptionGroup var store: StoreOptions
        @Flag(help: "Only those whose due date has passed.")
        var overdue = false
        @Flag(help: "Include the ones done and the ones closed because their activity was cancelled.")
        var all = false
        @OptionGroup var output: FormatOptions

        func run() throws {
            let db = try store.open(.read)
            try Output.list(try db.followUps(overdueOnly: overdue, includeDone: all), format: output.format)
            PastPlans.note(try db.pastPlans())
        }
    }

    struct Done: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "done",
            abstract: "Mark a follow-up done (today, or --on a date).",
            discussion: "Example:\n  solidarity followup done 4kq2m7xyza")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The follow-up's id (from `followup list`).")
        var id: String
        @Option(help: ArgumentHelp("When it was done (default: today).", valueName: "date"), transform: Parse.date)
        var on: PartialDate?

        func run() throws {
            let item = try store.open(.write).completeFollowUp(id, on: on ?? .today())
            Terminal.say("Done \(item.done!): \(item.text) (\(item.activityTitle)).")
        }
    }
}

extension FollowUpItem: Listable {
    static let tableColumns = ["id", "due", "text", "activity"]
    var tableRow: [String] {
        [id, [due?.description, overdue ? "overdue" : nil, done.map { "done \($0)" }, cancelled.map { "cancelled \($0)" }].compactMap { $0 }.joined(separator: " "),
         text, Disclosure.mark("\(activityTitle) (\(activity))", sensitive)]
    }
    static let csvColumns = ["id", "text", "due", "done", "cancelled", "overdue", "activity", "activity_title", "sensitive"]
    var csvRow: [String] { [id, text, due.text, done.text, cancelled.text, String(overdue), activity, activityTitle, String(sensitive)] }
}

/// The planned activities whose dates have passed, which `followup list` and `stale` point out
/// after their listing (on stderr, so the listing itself stays one kind of row for scripts).
enum PastPlans {
    static func note(_ plans: [PastPlan]) {
        guard !plans.isEmpty else { return }
        Terminal.note(plans.count == 1 ? "1 planned activity needs an update:" : "\(plans.count) planned activities need an update:")
        for plan in plans {
            Terminal.note("  \(plan.id)  \(Disclosure.mark(plan.title, plan.sensitive)) (\(plan.kind.rawValue)): \(plan.advice)")
        }
        let command = plans[0].kind == .delegation ? "delegation" : "activity"
        Terminal.note("For example: solidarity \(command) edit \(plans[0].id) --status done (or --status cancelled).")
    }
}

struct Stale: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stale",
        abstract: "Allies of the home organization with no contact with us in N months, longest silence first.",
        discussion: """
            Allies never contacted come first. "Allies" are the home organization's ally and partner \
            relationships that have not ended. A contact is a done activity in which both took part: \
            the home organization, one of its locals, councils or divisions, or one of its people, and \
            the ally or one of its units ("2025-05 via CCMM-CSN"). After the list, stderr names the \
            activities still planned whose dates have passed: mark each done or cancelled.

            Examples:
              solidarity stale
              solidarity stale --months 24 --format csv
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "How many months of silence make an ally stale.")
    var months = 12
    @OptionGroup var output: FormatOptions

    func validate() throws {
        if months < 0 { throw ValidationError("--months must be 0 or more.") }
    }

    func run() throws {
        let db = try store.open(.read)
        try Output.list(try db.staleAllies(months: months), format: output.format)
        PastPlans.note(try db.pastPlans())
    }
}

extension StaleAlly: Listable {
    static let tableColumns = ["organization", "name", "relationship", "last contact", "months", "last activity"]
    var tableRow: [String] {
        [organization, Disclosure.mark(name, sensitive), relationship, lastContact.map { "\($0)" + (lastContactVia.map { " via \($0)" } ?? "") } ?? "never",
         monthsSilent.map(String.init) ?? "",
         lastActivity ?? ""]
    }
    static let csvColumns = ["organization", "name", "relationship", "last_contact", "last_contact_via", "months_silent", "last_activity", "sensitive"]
    var csvRow: [String] {
        [organization, name, relationship, lastContact.text, lastContactVia ?? "", monthsSilent.text, lastActivity ?? "", String(sensitive)]
    }
}

struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "Write an iCalendar (RFC 5545) feed of the dated activities, for a calendar app.",
        discussion: """
            A full date is an all-day event; a month-only or year-only date spans that whole month or \
            year, and the description says so. Undated activities are left out. Each event's UID is \
            the activity id, so importing the feed again updates events instead of duplicating them. \
            Cancelled ones carry STATUS:CANCELLED, planned ones TENTATIVE.

            \(OutputFile.promise)

            Examples:
              solidarity calendar --output solidarity.ics
              solidarity calendar --include-sensitive > private.ics
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file"))
    var output: String?
    @Flag(name: .customLong("include-sensitive"), help: "Include activities, organizations and people marked sensitive.")
    var includeSensitive = false

    func run() throws {
        let file = try output.map { try OutputFile($0, database: store.path) }
        let feed = try store.open(.read).calendar(includeSensitive: includeSensitive)
        if let file {
            try file.write(Data(feed.text.utf8))
        } else {
            Terminal.write(feed.text)
        }
        if includeSensitive {
            Terminal.note("This calendar includes records marked sensitive: share it only with people who may see them.")
        } else if feed.leftOut > 0 {
            Terminal.note("Left out \(feed.leftOut) sensitive activit\(feed.leftOut == 1 ? "y" : "ies"); --include-sensitive includes them.")
        }
        Terminal.noteUndated(feed.undated, "not in the calendar")
    }
}
