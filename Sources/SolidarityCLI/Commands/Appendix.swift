import ArgumentParser
import Foundation
import SolidarityCore

struct AppendixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "appendix",
        abstract: "Compile the appendix of a convention resolution from the log: allies named, the period's activities, employer chains, sources.",
        discussion: """
            A lists the organizations the resolution names, in the order the clauses first name them; \
            B the activities of the period (delegations first; then the planned ones, those after the \
            period included; then the undated ones, named on a line of their own); C the employer chains \
            the resolution or the activities concern, with gaps; D the sources, as numbered notes. \
            The period runs by default from just after the previous convention of the same organization \
            to the end of this one (its last day, or the end of its month or year when only that is \
            known); the document states it in words, and stderr says what it rests on. A convention \
            with one resolution may be named instead of the resolution. Markdown is CommonMark with \
            GitHub tables; HTML is one printable page; docx and odt need pandoc (apt-get install pandoc).

            \(OutputFile.promise)

            Examples:
              solidarity appendix ue-79
              solidarity appendix ue-79-international-solidarity --since 2023-09
              solidarity appendix ue-79-international-solidarity --since 2023-09 --format html --output appendix.html
              solidarity appendix ue-79-international-solidarity --since 2023-09 --format docx --output appendix.docx
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case md, html, docx, odt }

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The resolution's handle or title, or its convention's when that has one resolution.", valueName: "resolution"))
    var resolution: String
    @Option(help: ArgumentHelp("The period's start (default: after the previous convention).", valueName: "date"), transform: Parse.date)
    var since: PartialDate?
    @Option(help: ArgumentHelp("The period's end (default: the end of this convention).", valueName: "date"), transform: Parse.date)
    var until: PartialDate?
    @Option(help: "md (Markdown), html (a printable page), docx or odt (through pandoc).")
    var format: Format = .md
    @Option(help: ArgumentHelp("Write to this file instead of stdout (needed for docx and odt).", valueName: "file"))
    var output: String?
    @Flag(name: .customLong("include-sensitive"), help: "Include organizations, people and activities marked sensitive.")
    var includeSensitive = false

    func validate() throws {
        try Parse.checkPeriod(since: since, until: until)
        if (format == .docx || format == .odt), output == nil {
            throw ValidationError("A \(format.rawValue) file is binary: give --output FILE.\(format.rawValue).")
        }
    }

    func run() throws {
        let file = try output.map { try OutputFile($0, database: store.path) }
        let pandoc = format == .docx || format == .odt ? try Pandoc.locate(searchPath: Invocation.current.environment["PATH"]) : nil
        let database = try store.open(.read)
        // Markdown and HTML are written as they are compiled, a page of activities at a time.
        func write(_ format: AppendixFormat, to output: (Data) throws -> Void) throws -> AppendixSummary {
            try database.appendix(for: resolution, since: since, until: until, includeSensitive: includeSensitive, format: format,
                                  note: { Terminal.note($0) }, to: output)
        }
        let summary: AppendixSummary
        switch format {
        case .md, .html:
            let text: AppendixFormat = format == .md ? .markdown : .html
            summary = try OutputFile.write(to: file) { try write(text, to: $0) }
        case .docx, .odt:
            var markdown = Data()
            summary = try write(.markdown) { markdown.append($0) }
            try file!.write { try Pandoc.convert(markdown, to: format.rawValue, pandoc: pandoc!, into: $0) }
        }
        let period = summary.period
        if period.after != nil || period.through != nil {
            Terminal.note("Period: \(period.basis); --since and --until change it.")
        }
        Terminal.noteUndated(summary.undated, "named apart, not placed in the period")
        if includeSensitive {
            Terminal.noteIncludesSensitive("This appendix")
        } else if summary.leftOut > 0 {
            Terminal.note("Left out \(summary.leftOut) sensitive record\(summary.leftOut == 1 ? "" : "s"); --include-sensitive includes \(summary.leftOut == 1 ? "it" : "them").")
        }
    }
}
