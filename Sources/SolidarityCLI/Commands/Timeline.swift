import ArgumentParser
import Foundation
import SolidarityCore

struct Timeline: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "Everything that happened with an organization, a person or an employer, newest first.",
        discussion: """
            An organization: its activities in any role, its relationships beginning and ending, and \
            the changes the history recorded for it ("recorded change", with who made it; REF is \
            the number for `solidarity history show`; loading the Seeds or an import is left out). \
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
