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

            --with-history adds the history of changes after the records, every change as recorded \
            with its hash chain, for `solidarity import` into a new database to keep. The history of \
            a sensitive record never leaves the machine, even with --include-sensitive: its values \
            and the command that touched it are carried erased (their digests kept, so the chain \
            still verifies).

            \(OutputFile.promise)

            Examples:
              solidarity export --output backup.json
              solidarity export --include-sensitive > everything.json
              solidarity export --with-history --output moving.json
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file"))
    var output: String?
    @Flag(name: .customLong("include-sensitive"), help: "Include records marked sensitive (the file says so in \"includes_sensitive\").")
    var includeSensitive = false
    @Flag(name: .customLong("with-history"), help: "Add the history of changes (the values of sensitive records' changes erased).")
    var withHistory = false

    func run() throws {
        let file = try output.map { try OutputFile($0, database: store.path) }
        let database = try store.open(.read)
        // Written as it is read, a page of records at a time: memory stays small however large the database.
        let result = try OutputFile.write(to: file) { write in try database.export(includeSensitive: includeSensitive, withHistory: withHistory, to: write) }
        if includeSensitive {
            Terminal.noteIncludesSensitive("This export")
        } else if result.leftOut > 0 {
            let referring = result.referring == 0 ? "" : result.referring == 1 ? " and 1 record that refers to them" : " and \(result.referring) records that refer to them"
            Terminal.note("Left out \(result.sensitive) sensitive record\(result.sensitive == 1 ? "" : "s")\(referring); --include-sensitive includes them.")
        }
        if withHistory {
            let erased = result.erased == 0 ? "" : result.erased == 1
                ? "; erased the values of 1 record that is sensitive or refers to one"
                : "; erased the values of \(result.erased) records that are sensitive or refer to one"
            Terminal.note("With the history: \(result.changes) change\(result.changes == 1 ? "" : "s")\(erased).")
        }
    }
}
