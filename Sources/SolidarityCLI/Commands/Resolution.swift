import ArgumentParser
import Foundation
import SolidarityCore

extension Resolution.Status: ExpressibleByArgument {}

struct ResolutionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolution",
        abstract: "Resolutions of conventions: their clauses and the organizations each clause names.",
        subcommands: [Add.self, List.self, Show.self, Edit.self, Link.self, Unlink.self])

    /// Says which organizations a resolution names after a link or an unlink.
    static func sayNamed(_ r: Resolution) {
        Terminal.say("\(r.handle) now names: \(r.namedOrganizations.joined(separator: ", ")).")
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Record a resolution from its text: the preamble, the resolved clauses, and the organizations they name.",
            discussion: """
                FILE is plain text or Markdown: a preamble, then the clauses as a bulleted (-, *, •) or \
                numbered (1. or 1)) list, after a line such as "THEREFORE, BE IT RESOLVED …" or ending the text. \
                Acronyms match case-sensitively as whole words; names, native names and aliases without regard \
                to case or accents; "of Brazil" after a name decides between organizations sharing it. What \
                matched and what did not is printed per clause; correct it with `resolution link` and `unlink`.

                Example:
                  solidarity resolution add --convention ue-79 --title "International Solidarity" --file solidarity.txt --status adopted
                """)

        @OptionGroup var store: StoreOptions
        @Option(help: ArgumentHelp("The convention (handle or name).", valueName: "ref"))
        var convention: String
        @Option(help: "The resolution's title.")
        var title: String
        @Option(help: ArgumentHelp("The resolution's text (plain text or Markdown).", valueName: "file"))
        var file: String
        @Option(help: "draft, submitted, adopted, amended or rejected.")
        var status: Resolution.Status = .draft
        @Option(help: ArgumentHelp("The handle (default: convention and title).", valueName: "handle"), transform: Parse.handle)
        var handle: String?
        @Option(help: ArgumentHelp("A source URL (or a recorded source's id) (repeatable).", valueName: "url"))
        var source: [String] = []

        func run() throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw SolidarityError(.notFound, "Cannot read \(file): check the path and that you may read it.")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw SolidarityError.invalid("\(file) is not UTF-8 text: save it as UTF-8 and try again.")
            }
            let reading = try store.open(.write).addResolution(convention: convention, title: title, text: text, status: status,
                                                               handle: handle, sources: source)
            let r = reading.resolution
            Terminal.say("Added resolution \(r.handle) with \(r.clauses.count) clause\(r.clauses.count == 1 ? "" : "s").")
            Terminal.warn(r.mixedScriptWords)
            for (index, clause) in r.clauses.enumerated() {
                let named = clause.organizations.isEmpty ? "names no organization" : "names " + clause.organizations.joined(separator: ", ")
                Terminal.say("  clause \(index + 1): \(named)")
                if let unmatched = reading.unmatched[index + 1] {
                    Terminal.say("    not matched: \(unmatched.joined(separator: "; ")) (link with `solidarity resolution link \(r.handle) REF --clause \(index + 1)`)")
                }
            }
            if !r.employers.isEmpty { Terminal.say("  employers concerned: \(r.employers.joined(separator: ", "))") }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List resolutions.",
            discussion: "Example:\n  solidarity resolution list --convention ue-79")

        @OptionGroup var store: StoreOptions
        @Option(help: ArgumentHelp("Only this convention's resolutions.", valueName: "ref"))
        var convention: String?
        @OptionGroup var output: FormatOptions

        func run() throws { try Output.list(try store.open(.read).resolutions(of: convention), format: output.format) }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show a resolution: its preamble, its clauses and the organizations each names.",
            discussion: "Example:\n  solidarity resolution show ue-79-international-solidarity")

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("The resolution's handle or title.", valueName: "ref"))
        var ref: String
        @OptionGroup var output: FormatOptions

        func run() throws {
            let r = try store.open(.read).resolution(ref)
            try Output.show(r, format: output.format) {
                [("handle", r.handle), ("title", r.title), ("convention", r.convention), ("status", r.status.rawValue),
                 ("preamble", r.preamble),
                 ("clauses", r.clauses.enumerated().map { index, clause in
                     "\(index + 1). \(clause.text)"
                         + (clause.organizations.isEmpty ? "" : "\n   names: \(clause.organizations.joined(separator: ", "))")
                         + (clause.campaigns.isEmpty ? "" : "\n   campaigns: \(clause.campaigns.joined(separator: ", "))")
                 }.joined(separator: "\n")),
                 ("named", r.namedOrganizations.joined(separator: ", ")), ("employers", r.employers.joined(separator: ", ")),
                 ("sources", r.sources.joined(separator: ", "))]
            }
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Change a resolution's status.",
            discussion: "Example:\n  solidarity resolution edit ue-79-international-solidarity --status adopted")

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("The resolution's handle or title.", valueName: "ref"))
        var ref: String
        @Option(help: "draft, submitted, adopted, amended or rejected.")
        var status: Resolution.Status

        func run() throws {
            let r = try store.open(.write).setResolutionStatus(ref, status)
            Terminal.say("\(r.handle) is now \(r.status.rawValue).")
        }
    }

    struct Link: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "link",
            abstract: "Link an organization to a clause the matcher missed.",
            discussion: "Example:\n  solidarity resolution link ue-79-international-solidarity cut --clause 1")

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("The resolution's handle or title.", valueName: "resolution"))
        var resolution: String
        @Argument(help: ArgumentHelp("The organization (handle, acronym or name).", valueName: "ref"))
        var ref: String
        @Option(help: "The clause number (default 1).")
        var clause: Int?

        func run() throws {
            ResolutionCommand.sayNamed(try store.open(.write).linkResolution(resolution, organization: ref, clause: clause))
        }
    }

    struct Unlink: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "unlink",
            abstract: "Unlink an organization the matcher got wrong, from one clause or all.",
            discussion: "Example:\n  solidarity resolution unlink ue-79-international-solidarity cgt --clause 1")

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("The resolution's handle or title.", valueName: "resolution"))
        var resolution: String
        @Argument(help: ArgumentHelp("The organization (handle, acronym or name).", valueName: "ref"))
        var ref: String
        @Option(help: "Only from this clause (default: every clause).")
        var clause: Int?

        func run() throws {
            ResolutionCommand.sayNamed(try store.open(.write).linkResolution(resolution, organization: ref, clause: clause, remove: true))
        }
    }
}

extension Resolution: Listable {
    static let tableColumns = ["handle", "convention", "title", "status", "clauses", "named"]
    var tableRow: [String] { [handle, convention, title, status.rawValue, String(clauses.count), namedOrganizations.joined(separator: ", ")] }
    static let csvColumns = ["handle", "convention", "title", "status", "clauses", "named", "employers", "sources"]
    var csvRow: [String] { [handle, convention, title, status.rawValue, String(clauses.count), namedOrganizations.joinedForCSV, employers.joinedForCSV, sources.joinedForCSV] }
}
