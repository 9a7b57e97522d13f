import ArgumentParser
import Foundation
import SolidarityCore

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending migrations (after a backup), or list them with --status.",
        discussion: """
            Every command migrates the database it opens; this one does only that. A database that \
            already holds data is first copied next to itself (owner-only) and the copy's path printed.

            Examples:
              solidarity migrate
              solidarity migrate --status --format csv
            """)

    @OptionGroup var store: StoreOptions
    @Flag(help: "List every migration with its state (applied, pending, edited, unknown) instead of applying.")
    var status = false
    @OptionGroup var output: FormatOptions

    func run() throws {
        let db = try store.open(status ? .inspect : .write)
        if status {
            try Output.list(try db.migrationStatus(), format: output.format)
        } else if db.report.applied.isEmpty {
            Terminal.say("\(db.path) is up to date.")
        } else {
            Terminal.say("Applied \(db.report.applied.joined(separator: ", ")) to \(db.path).")
        }
    }
}
