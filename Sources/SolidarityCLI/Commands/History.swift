import ArgumentParser
import Foundation
import SolidarityCore

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Who changed what and when: the changes recorded, newest first.",
        discussion: """
            Every write is recorded as one change: when, who (the operating-system user, $USER), \
            the command, and each record it created, modified or removed. With REF, only the \
            changes of that record (an organization, a person, an employer, a site, an activity, \
            a convention or a resolution) and of the records that refer to it (a relationship of \
            the organization, a title at it, a role in an activity). Changes of sensitive records \
            are marked [sensitive].

            Examples:
              solidarity history
              solidarity history fat --since 2026-01
              solidarity history --by maria --limit 20 --format csv
              solidarity history show 12
              solidarity history verify
            """,
        subcommands: [List.self, Show.self, Verify.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "The changes recorded, newest first (what `solidarity history` does).",
            discussion: "Example:\n  solidarity history list fat --since 2026-01")

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("Handle, name or id of a record: only its changes and those of the records that refer to it.", valueName: "ref"))
    var ref: String?
    @Option(help: ArgumentHelp("Only changes on or after this date.", valueName: "date"), transform: Parse.date)
    var since: PartialDate?
    @Option(help: ArgumentHelp("Only changes on or before this date.", valueName: "date"), transform: Parse.date)
    var until: PartialDate?
    @Option(help: ArgumentHelp("Only changes made by this user.", valueName: "user"))
    var by: String?
    @Option(help: ArgumentHelp("At most this many changes, the newest.", valueName: "n"))
    var limit: Int?
    @OptionGroup var output: FormatOptions

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be 1 or more, such as --limit 20.") }
        try Parse.checkPeriod(since: since, until: until)
    }

    func run() throws {
        let changes = try store.open(.read).history(HistoryFilter(record: ref, since: since, until: until, by: by, limit: limit))
        try Output.list(changes, format: output.format)
    }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "One change whole: each record it touched, field by field, before → after.",
            discussion: "Example:\n  solidarity history show 12")

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("The change's number (from `history`).", valueName: "change"))
        var change: Int64

        func run() throws {
            Terminal.say(HistoryCommand.describe(try store.open(.read).historyChange(change)))
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Re-compute the history's hash chain; name the first change that does not match (exit 1).",
            discussion: """
                Each change's hash covers its every stored column and the hash of the change before \
                it; each value enters as its salted digest, so a value erased later still verifies.

                Example:
                  solidarity history verify
                """)

        @OptionGroup var store: StoreOptions

        func run() throws {
            let verification = try store.open(.read).verifyHistory()
            guard let first = verification.firstMismatch, let problem = verification.problem else {
                Terminal.say("The history verifies: \(verification.checked) change\(verification.checked == 1 ? "" : "s"), each following the one before.")
                return
            }
            let why: String
            switch problem {
            case .doesNotFollow(let after?): why = "it does not follow change \(after): a change between them was removed or re-ordered, or one was edited"
            case .doesNotFollow(nil): why = "it is the first, yet names a change before it: an earlier change was removed"
            case .edited: why = "its recorded content no longer gives its hash: it was edited"
            case .valueEdited(let value): why = "its value \(value) (in history_values) no longer matches its digest: it was edited"
            }
            throw SolidarityError(.conflict, "The history does not verify: change \(first) does not match (\(why)). \(verification.checked) change\(verification.checked == 1 ? "" : "s") before it verified.")
        }
    }

    /// A change whole, for the terminal.
    static func describe(_ change: HistoryChange) -> String {
        var lines = ["Change \(change.id): \(change.operation) by \(change.who), \(change.at)"]
        if let arguments = change.arguments { lines.append("Command: solidarity \(arguments.joined(separator: " "))") }
        if let undoes = change.undoes { lines.append("Undoes change \(undoes)") }
        for range in change.created {
            lines.append("created \(range.count) \(range.kind)\(range.count == 1 ? "" : "s") (\(range.table) rows \(range.first)–\(range.last))")
        }
        for record in change.records {
            let name = [record.kind, record.label].compactMap { $0 }.joined(separator: " ")
            let row = record.rowID.map { "row \($0)" } ?? record.rowKey ?? ""
            lines.append("\(record.action.rawValue) \(Disclosure.mark(name, record.sensitive)) (\(record.table) \(row))")
            for field in record.fields {
                switch (field.before, field.after) {
                case (nil, let after?): lines.append("  \(field.name): \(after)")
                case (let before?, nil): lines.append("  \(field.name): \(before)")
                case (let before?, let after?): lines.append("  \(field.name): \(before) → \(after)")
                case (nil, nil): break
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension HistoryChange: Listable {
    static let tableColumns = ["change", "when", "who", "operation", "records"]
    var tableRow: [String] { [String(id), at, who.description, operation, Disclosure.mark(summary, sensitive)] }
    static let csvColumns = ["change", "at", "who", "operation", "records", "sensitive"]
    var csvRow: [String] { [String(id), at, who.description, operation, summary, String(sensitive)] }
}
