import Foundation
import GRDB

extension Store {
    /// Checks, before `init` creates or changes anything, that `ref` names an organization that
    /// will be there to make home: one of the database at `path` when that file exists, or, when
    /// `seeding`, one of the Seeds. Throws, saying where it looked and how to add the organization,
    /// when neither has it; an ambiguous reference throws its candidates, as everywhere.
    ///
    /// The database is only read (through a read-only connection, so a database with pending
    /// migrations is not migrated by the check), and the Seeds are looked at in memory: a refused
    /// `init` leaves no file behind. A file this check cannot read is left for `Store`'s own
    /// opening to explain.
    public static func checkHome(_ ref: String, forDatabaseAt path: String, seeding: Bool) throws {
        var places: [String] = []
        var suggestions: String?
        let databaseExists = FileManager.default.fileExists(atPath: path)
        if databaseExists {
            guard let lookup = try lookUp(ref, inDatabaseAt: path) else { return }
            guard case .missing(let near) = lookup else { return }
            places.append("the database \(path)")
            suggestions = near
        }
        let inSeeds = try seedsInMemory().read { try lookUp(ref, in: $0) }
        var suggestionsFromSeeds = false
        if seeding {
            guard case .missing(let near) = inSeeds else { return }
            places.append("the Seeds")
            suggestions = suggestions ?? near
        } else if suggestions == nil, case .missing(let near?) = inSeeds {
            suggestions = near
            suggestionsFromSeeds = true
        }
        let name = TextRules.printable(ref)
        let looked = places.isEmpty ? "can be made home: \(path) does not exist yet, so it has no organizations"
            : "in " + places.joined(separator: " nor in ") + ", so it cannot be made home"
        var found = false
        if case .found = inSeeds { found = true }
        throw SolidarityError(.notFound, "No organization \"\(name)\" \(looked); nothing was created or changed.",
                              remedy: .addHome(.init(name: name, databaseExists: databaseExists, seeding: seeding, inSeeds: found,
                                                     suggestions: suggestions, suggestionsFromSeeds: suggestionsFromSeeds)))
    }

    /// What looking a reference up found: the organization, or the ones nearest to it.
    private enum Lookup {
        case found
        case missing(suggestions: String?)
    }

    /// Looks `ref` up among the organizations of the database at `path`; nil when the file cannot
    /// be read as one of this tool's databases (the opening that follows says why).
    private static func lookUp(_ ref: String, inDatabaseAt path: String) throws -> Lookup? {
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db in
                // A new, empty file (or one not yet migrated) has no organizations.
                guard try db.tableExists("organizations") else { return .missing(suggestions: nil) }
                return try lookUp(ref, in: db)
            }
        } catch is DatabaseError {
            return nil
        }
    }

    private static func lookUp(_ ref: String, in db: Database) throws -> Lookup {
        let references = References(db: db)
        do {
            _ = try references.organization(ref)
            return .found
        } catch let error as SolidarityError where error.reason == .notFound {
            return .missing(suggestions: try references.organizationSuggestions(ref))
        }
    }

    /// The Seeds loaded into a database in memory, to look a reference up as `seed` would find it.
    private static func seedsInMemory() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        let migrator = Migrator()
        _ = try migrator.applyPending(queue, path: "the Seeds in memory")
        let document = try Seeds.document()
        try queue.write { db in
            var loader = Loader(db: db, mode: .addMissing)
            try loader.load(document)
        }
        return queue
    }
}
