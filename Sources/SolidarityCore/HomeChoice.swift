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
        if FileManager.default.fileExists(atPath: path) {
            guard let found = try organizationExists(ref, inDatabaseAt: path) else { return }
            if found { return }
            places.append("the database \(path)")
        }
        if seeding {
            if try organizationExists(ref, in: try seedsInMemory()) { return }
            places.append("the Seeds")
        }
        let name = TextRules.printable(ref)
        let looked = places.isEmpty ? "can be made home: \(path) does not exist yet, so it has no organizations"
            : "in " + places.joined(separator: " nor in ") + ", so it cannot be made home"
        let add = places.isEmpty || !FileManager.default.fileExists(atPath: path)
            ? "create the database and add it: `solidarity init`, `solidarity org add NAME`, then `solidarity home REF`"
            : "add it with `solidarity org add NAME`, then `solidarity home REF`"
        let advice = seeding
            ? "Check the spelling (`solidarity org list` lists the organizations once the Seeds are loaded), or \(add)."
            : "To take it from the Seeds, add --seed (`solidarity init --seed --home \(name)`); otherwise \(add)."
        throw SolidarityError(.notFound, "No organization \"\(name)\" \(looked); nothing was created or changed. \(advice)")
    }

    /// Whether `ref` names an organization of the database at `path`; nil when the file cannot be
    /// read as one of this tool's databases (the opening that follows says why).
    private static func organizationExists(_ ref: String, inDatabaseAt path: String) throws -> Bool? {
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db in
                // A new, empty file (or one not yet migrated) has no organizations.
                guard try db.tableExists("organizations") else { return false }
                return try organizationExists(ref, in: db)
            }
        } catch is DatabaseError {
            return nil
        }
    }

    private static func organizationExists(_ ref: String, in db: Database) throws -> Bool {
        do {
            _ = try References(db: db).organization(ref)
            return true
        } catch let error as SolidarityError where error.reason == .notFound {
            return false
        }
    }

    private static func organizationExists(_ ref: String, in queue: DatabaseQueue) throws -> Bool {
        try queue.read { try organizationExists(ref, in: $0) }
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
