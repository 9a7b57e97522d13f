import ArgumentParser
import Foundation
import SolidarityCore

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create or migrate the database; optionally load the Seeds and set the home organization.",
        discussion: """
            The file is created owner-only (0600), and a folder made for it 0700.

            Examples:
              solidarity init --seed --home ue
              solidarity init --db ~/union/intl.sqlite
            """)

    @OptionGroup var store: StoreOptions
    @Flag(help: "Load the shipped Seeds (the organizations, people and relationships of the seed texts).")
    var seed = false
    @Option(help: ArgumentHelp("Make this organization the home one: the union this database belongs to.", valueName: "ref"))
    var home: String?

    func run() throws {
        // A home that is nowhere to be found is refused before anything is created.
        if let home { try Store.checkHome(home, forDatabaseAt: store.path, seeding: seed) }
        let existed = FileManager.default.fileExists(atPath: store.path)
        let db = try store.open(.create)
        Terminal.say(existed ? "Database \(db.path) is ready." : "Created \(db.path).")
        if seed {
            let report = try db.seed(home: home)
            Terminal.say("Seeds: \(report.added) records added, \(report.present) already present.")
        } else if let home {
            try db.setHome(home)
        }
        if let organization = try db.home() {
            Terminal.say("Home organization: \(organization.shortName) (\(organization.handle)).")
        }
    }
}
