import ArgumentParser
import Foundation
import SolidarityCore

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write everything in the database as one JSON file in the interchange format.",
        discussion: """
            Sensitive people, organizations and activities stay out, with what refers to them, unless \
            --include-sensitive is given; stderr says how many records were left out.

            \(OutputFile.promise)

            Examples:
              solidarity export --output backup.json
              solidarity export --include-sensitive > everything.json
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file"))
    var output: String?
    @Flag(name: .customLong("include-sensitive"), help: "Include records marked sensitive (the file says so in \"includes_sensitive\").")
    var includeSensitive = false

    func run() throws {
        let file = try output.map { try OutputFile($0, database: store.path) }
        let database = try store.open(.read)
        // Written as it is read, a page of records at a time: memory stays small however large the database.
        let result = try OutputFile.write(to: file) { write in try database.export(includeSensitive: includeSensitive, to: write) }
        if includeSensitive {
            Terminal.noteIncludesSensitive("This export")
        } else if result.leftOut > 0 {
            let referring = result.referring == 0 ? "" : result.referring == 1 ? " and 1 record that refers to them" : " and \(result.referring) records that refer to them"
            Terminal.note("Left out \(result.sensitive) sensitive record\(result.sensitive == 1 ? "" : "s")\(referring); --include-sensitive includes them.")
        }
    }
}
