import ArgumentParser
import Foundation
import SolidarityCore

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
