import ArgumentParser
import Foundation
import SolidarityCore

struct AppendixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "appendix",
        abstract: "Compile the appendix of a convention resolution from the log: allies named, the period's activities, employer chains, sources.",
        discussion: """
            A lists the organizations the resolution names, in the order the clauses first name them; \
            B the activities of the period (delegations first, planned ones apart); C the employer chains \
            the resolution or the activities concern, with gaps; D the sources, as numbered notes. \
            The period runs by default from just after the previous convention of the same organization \
            to just before this one, at the precision the dates have. Markdown is CommonMark with \
            GitHub tables; HTML is one printable page; docx and odt need pandoc (apt-get install pandoc).

            Examples:
              solidarity appendix ue-79-international-solidarity --since 2023-09
              solidarity appendix ue-79-international-solidarity --since 2023-09 --format html --output appendix.html
              solidarity appendix ue-79-international-solidarity --since 2023-09 --format docx --output appendix.docx
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case md, html, docx, odt }

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The resolution's handle or title.", valueName: "resolution"))
    var resolution: String
    @Option(help: ArgumentHelp("The period's start (default: after the previous convention).", valueName: "date"), transform: Parse.date)
    var since: PartialDate?
    @Option(help: ArgumentHelp("The period's end (default: before this convention).", valueName: "date"), transform: Parse.date)
    var until: PartialDate?
    @Option(help: "md (Markdown), html (a printable page), docx or odt (through pandoc).")
    var format: Format = .md
    @Option(help: ArgumentHelp("Write to this file instead of stdout (needed for docx and odt).", valueName: "file"))
    var output: String?
    @Flag(name: .customLong("include-sensitive"), help: "Include organizations, people and activities marked sensitive.")
    var includeSensitive = false

    func validate() throws {
        if let since, let until, until.isWhollyBefore(since) {
            throw ValidationError("--until \(until) is before --since \(since): swap them.")
        }
        if (format == .docx || format == .odt), output == nil {
            throw ValidationError("A \(format.rawValue) file is binary: give --output FILE.\(format.rawValue).")
        }
    }

    func run() throws {
        if let output {
            let folder = (output as NSString).deletingLastPathComponent
            var isDirectory: ObjCBool = false
            if !folder.isEmpty, !(FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) && isDirectory.boolValue) {
                throw SolidarityError(.notFound, "The folder \(folder) does not exist: create it first, or choose another --output.")
            }
        }
        let pandoc = format == .docx || format == .odt ? try Pandoc.locate() : nil
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
            if let output {
                summary = try OutputFile.stream(to: output) { try write(text, to: $0) }
            } else {
                let stdout = FileHandle.standardOutput
                summary = try write(text) { try stdout.write(contentsOf: $0) }
            }
        case .docx, .odt:
            var markdown = Data()
            summary = try write(.markdown) { markdown.append($0) }
            try Pandoc.convert(String(decoding: markdown, as: UTF8.self), to: format.rawValue, output: output!, pandoc: pandoc!)
        }
        if includeSensitive {
            Terminal.note("This appendix includes records marked sensitive: share it only with people who may see them.")
        } else if summary.leftOut > 0 {
            Terminal.note("Left out \(summary.leftOut) sensitive record\(summary.leftOut == 1 ? "" : "s"); --include-sensitive includes \(summary.leftOut == 1 ? "it" : "them").")
        }
    }
}

/// Word and OpenDocument files through pandoc, from the Markdown appendix.
enum Pandoc {
    static func locate() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/pandoc"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw SolidarityError(.database, "docx and odt are made with pandoc, which is not installed: install Debian's pandoc package (sudo apt-get install pandoc), or use --format md or html.")
    }

    static func convert(_ markdown: String, to format: String, output: String, pandoc: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: pandoc)
        process.arguments = ["--from", "commonmark_x", "--to", format, "--output", output]
        let input = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(markdown.utf8))
        try input.fileHandleForWriting.close()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw SolidarityError(.database, "pandoc could not write \(output): \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        _ = try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: output)
    }
}
