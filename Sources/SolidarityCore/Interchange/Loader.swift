import Foundation
import GRDB

/// What an import or a seed did, record by record.
public struct LoadReport: Sendable, Equatable, Codable {
    /// Records that were new.
    public var added = 0
    /// Records already present with the same content.
    public var unchanged = 0
    /// Records present with other content, replaced (`import --update`).
    public var updated = 0
    /// Records present with other content, left as they were (`seed`).
    public var kept = 0
    /// What was imported as given but is worth a look (a name mixing scripts), each with where it is.
    public var warnings: [String] = []
    /// What separated a spreadsheet's cells (nil for a JSON document).
    public var separator: CellSeparator?
    /// Records the import added that look like records already there (`duplicates`' rule), best
    /// first; empty when the check was not asked for.
    public var lookalikes: [DuplicatePair] = []
    /// The history the file carried, kept (an import into a new database).
    public var keptHistory: KeptHistory?

    /// How many changes of a carried history were kept, and the number the import's own change takes after them.
    public struct KeptHistory: Sendable, Equatable {
        public let changes: Int
        public let importChange: Int64
    }

    enum CodingKeys: String, CodingKey { case added, unchanged, updated, kept, warnings, separator }

    /// Records that were there already, whatever their content.
    public var present: Int { unchanged + updated + kept }
}

/// How a document meets records that already exist.
enum LoadMode {
    /// `seed`: add what is missing, leave every existing record as it is.
    case addMissing
    /// `import`: an existing record with other content is a conflict.
    case strict
    /// `import --update`: an existing record with other content is replaced.
    case update
}

/// Loads an interchange document into a database in the caller's transaction.
struct Loader {
    let db: Database
    let mode: LoadMode
    private(set) var report = LoadReport()
    private(set) var conflicts: [String] = []

    init(db: Database, mode: LoadMode) {
        self.db = db
        self.mode = mode
    }

    /// Loads every section of a document held whole (the Seeds), as `load(_:)` of its records.
    mutating func load(_ document: InterchangeDocument) throws {
        try load(DocumentRecords.whole(document))
    }

    /// Loads every section in dependency order, a record at a time as `records` gives them; with
    /// conflicts in strict mode, throws them all.
    mutating func load(_ records: DocumentRecords) throws {
        let db = self.db
        try records.forEach(InterchangeSections.sources) { source in
            try merge("source \(source.id)", source, existing: try existingSource(source.id), insert: { try Sources(db: db).insert($0) },
                      replace: { new in
                          try db.execute(cached: "UPDATE sources SET url = ?, title = ?, publisher = ?, published = ?, excerpt = ? WHERE uid = ?",
                                         arguments: [new.url, new.title, new.publisher, new.published?.description, new.excerpt, new.id])
                      })
        }
        try records.forEach(InterchangeSections.campaigns) { campaign in
            let campaigns = Campaigns(db: db)
            try merge("campaign \(campaign.handle)", campaign, existing: try campaigns.existing(handle: campaign.handle),
                      insert: { try campaigns.insert($0) }, replace: { try campaigns.replace($0) })
        }
        let organizations = Organizations(db: db)
        try records.forEach(InterchangeSections.organizations, parentsFirst: true) { organization in
            var incoming = organization
            try incoming.validate()
            let existing = try organizations.existing(handle: organization.handle)
            try merge("organization \(organization.handle)", incoming, existing: existing, insert: { try organizations.insert($0) },
                      replace: { new in try organizations.update(new.handle) { $0 = new } })
        }
        let people = People(db: db)
        try records.forEach(InterchangeSections.people) { person in
            var incoming = person
            try incoming.validate()
            let existing = try Int64.fetchOne(db, cached: "SELECT id FROM people WHERE handle = ?", arguments: [person.handle])
                .map { try people.fetch(ids: [$0])[0] }
            try merge("person \(person.handle)", incoming, existing: existing, insert: { try people.insert($0) },
                      replace: { new in try people.update(new.handle) { $0 = new } })
        }
        let relationships = Relationships(db: db)
        try records.forEach(InterchangeSections.relationships) { relationship in
            let existing = try? relationships.find(relationship.from, relationship.to, kind: relationship.kind).relationship
            try merge("relationship \(relationship.from) \(relationship.kind.rawValue) \(relationship.to)", relationship,
                      existing: existing.map { $0.oriented(from: relationship.from) }, insert: { try relationships.insert($0) },
                      replace: { new in try relationships.update(new.from, new.to, kind: new.kind) { $0 = new } })
        }
        let employers = Employers(db: db)
        try records.forEach(InterchangeSections.employers, parentsFirst: true) { employer in
            var incoming = employer
            try incoming.validate()
            let existing = try Int64.fetchOne(db, cached: "SELECT id FROM employers WHERE handle = ?", arguments: [employer.handle])
                .map { try employers.fetch(ids: [$0])[0] }
            try merge("employer \(employer.handle)", incoming, existing: existing, insert: { try employers.insert($0) },
                      replace: { new in try employers.update(new.handle) { $0 = new } })
        }
        let sites = Sites(db: db)
        try records.forEach(InterchangeSections.sites) { site in
            var incoming = site
            try incoming.validate()
            let existing = try Int64.fetchOne(db, cached: "SELECT id FROM sites WHERE uid = ?", arguments: [site.id])
                .map { try sites.fetch(ids: [$0])[0] }
            try merge("site \(site.id)", incoming, existing: existing, insert: { try sites.insert($0) },
                      replace: { new in try sites.replace(new) })
        }
        let activities = Activities(db: db)
        try records.forEach(InterchangeSections.activities) { activity in
            var incoming = activity
            try incoming.validate()
            let existing = try Int64.fetchOne(db, cached: "SELECT id FROM activities WHERE uid = ?", arguments: [activity.id])
                .map { try activities.fetch(ids: [$0])[0] }
            try merge("activity \(activity.id)", incoming, existing: existing, insert: { try activities.insert($0) },
                      replace: { new in try activities.update(new.id) { $0 = new } })
        }
        let conventions = Conventions(db: db)
        try records.forEach(InterchangeSections.conventions) { convention in
            var incoming = convention
            try incoming.validate()
            let existing = try Int64.fetchOne(db, cached: "SELECT id FROM conventions WHERE handle = ?", arguments: [convention.handle])
                .map { try conventions.fetch(ids: [$0])[0] }
            try merge("convention \(convention.handle)", incoming, existing: existing, insert: { try conventions.insert($0) },
                      replace: { try conventions.replace($0) })
        }
        let resolutions = Resolutions(db: db)
        try records.forEach(InterchangeSections.resolutions) { resolution in
            let existing = try Int64.fetchOne(db, cached: "SELECT id FROM resolutions WHERE handle = ?", arguments: [resolution.handle])
                .map { try resolutions.fetch(ids: [$0])[0] }
            try merge("resolution \(resolution.handle)", resolution, existing: existing, insert: { try resolutions.insert($0) },
                      replace: { try resolutions.replace($0) })
        }
        if let home = records.home {
            let current = try String.fetchOne(db, cached: "SELECT o.handle FROM home h JOIN organizations o ON o.id = h.organization_id")
            try merge("home", home, existing: current, insert: { try Store.setHome($0, in: db) }, replace: { try Store.setHome($0, in: db) })
        }
        if !conflicts.isEmpty {
            throw SolidarityError(.conflict, """
                \(conflicts.count == 1 ? "1 record already exists" : "\(conflicts.count) records already exist") with other content; nothing was imported:
                \(conflicts.map { "  \($0)" }.joined(separator: "\n"))
                """, remedy: .update("replace them with the file's version"))
        }
    }

    private mutating func merge<T: Equatable>(_ label: String, _ incoming: T, existing: T?, insert: (T) throws -> some Any,
                                             replace: (T) throws -> some Any) throws {
        guard let existing else {
            _ = try insert(incoming)
            report.added += 1
            return
        }
        if existing == incoming {
            report.unchanged += 1
            return
        }
        switch mode {
        case .addMissing: report.kept += 1
        case .strict: conflicts.append(label)
        case .update:
            _ = try replace(incoming)
            report.updated += 1
        }
    }

    private func existingSource(_ id: String) throws -> Source? {
        try Row.fetchOne(db, cached: "SELECT * FROM sources WHERE uid = ?", arguments: [id]).map { row in
            Source(id: row["uid"], url: row["url"], title: row["title"], publisher: row["publisher"],
                   published: try (row["published"] as String?).map(PartialDate.init), excerpt: row["excerpt"])
        }
    }

    /// Records ordered so that each comes after its parent within the list.
    static func parentsFirst<T>(_ records: [T], handle: KeyPath<T, String>, parent: KeyPath<T, String?>) throws -> [T] {
        var placed = Set<String>()
        var ordered: [T] = []
        var remaining = records
        let all = Set(records.map { $0[keyPath: handle] })
        while !remaining.isEmpty {
            let (ready, waiting) = remaining.partitioned { record in
                guard let p = record[keyPath: parent] else { return true }
                return placed.contains(p) || !all.contains(p)
            }
            guard !ready.isEmpty else {
                throw SolidarityError(.conflict, "The records \(waiting.map { $0[keyPath: handle] }.joined(separator: ", ")) are each other's parents: a tree cannot go round in a circle.")
            }
            ordered += ready
            placed.formUnion(ready.map { $0[keyPath: handle] })
            remaining = waiting
        }
        return ordered
    }
}

extension Array {
    /// The elements that satisfy `belongs`, then the others, each in their order.
    func partitioned(by belongs: (Element) throws -> Bool) rethrows -> ([Element], [Element]) {
        var yes: [Element] = [], no: [Element] = []
        for element in self { if try belongs(element) { yes.append(element) } else { no.append(element) } }
        return (yes, no)
    }
}

extension Organizations {
    /// The organization with this exact handle, if recorded.
    func existing(handle: String) throws -> Organization? {
        try Int64.fetchOne(db, cached: "SELECT id FROM organizations WHERE handle = ?", arguments: [handle]).map { try fetch(ids: [$0])[0] }
    }
}
