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

struct Home: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "home",
        abstract: "Show or set the home organization: the union this database belongs to.",
        discussion: """
            "Our allies", staleness and appendices are reckoned from the home organization.

            Examples:
              solidarity home
              solidarity home ue
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The organization to make home (handle, acronym or name).", valueName: "ref"))
    var ref: String?

    func run() throws {
        if let ref {
            let organization = try store.open(.write).setHome(ref)
            Terminal.say("Home organization: \(organization.shortName) (\(organization.handle)).")
        } else if let organization = try store.open(.read).home() {
            Terminal.say("\(organization.handle)\t\(organization.name)")
        } else {
            Terminal.note("No home organization is set. Set it with `solidarity home REF`, for example `solidarity home ue`.")
        }
    }
}

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

struct Seed: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Load the shipped Seeds: adds the seed records that are missing, changes nothing else.",
        discussion: """
            Running it twice changes nothing; a seed record you deleted comes back.

            Example:
              solidarity seed --db demo.sqlite
            """)

    @OptionGroup var store: StoreOptions

    func run() throws {
        let report = try store.open(.write).seed()
        Terminal.say("Seeds: \(report.added) records added, \(report.present) already present.")
    }
}

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search organizations, people, employers, sites, activities and resolutions by name, title, alias or text, best first.",
        discussion: """
            Accents and case are ignored, and each word matches as a prefix.

            Examples:
              solidarity search "frente autentico"
              solidarity search confederation --format json
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: "The words to look for.")
    var text: [String]
    @Option(help: "At most this many results.")
    var limit = 50
    @OptionGroup var output: FormatOptions

    func run() throws {
        let hits = try store.open(.read).search(text.joined(separator: " "), limit: limit)
        try Output.list(hits, format: output.format)
    }
}
