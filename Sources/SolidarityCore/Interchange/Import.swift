import Foundation
import GRDB

extension Store {
    /// Imports an interchange file: checks it whole, then writes it in one transaction. Records
    /// already present with the same content are skipped; with other content they are conflicts,
    /// listed, unless `update` replaces them.
    ///
    /// The file is read and checked before the transaction begins, so that other commands may
    /// write meanwhile; the transaction holds only what needs the database: the references to
    /// records the file does not hold, then each record's comparison with what is stored and its
    /// writing. A clean file is never decoded whole: each record is decoded from its place in the
    /// file when it is checked, and again when it is written.
    /// An activity marked done that has not started on `today` is imported as stated, with a warning.
    /// With `duplicateCheck`, the report lists the records added that look like records already
    /// there (`lookalikes`).
    ///
    /// A file that carries a history (`export(withHistory:)`) has it kept, unless not `keepingHistory`:
    /// its changes are inserted as they were, then the import's own change is recorded after them,
    /// so that the chain verifies whole. Only a database with no history of its own can keep one;
    /// any other refuses the file, nothing written.
    public func importDocument(_ data: Data, name: String, update: Bool = false, duplicateCheck: Bool = false,
                               keepingHistory: Bool = true, today: PartialDate = .today()) throws -> LoadReport {
        try importDocument(data, name: name, update: update, carefully: false, duplicateCheck: duplicateCheck,
                           keepingHistory: keepingHistory, today: today)
    }

    /// `importDocument(_:name:update:)`, reading even a clean file value by value with `carefully`,
    /// and calling `beforeWriting` once the file is read and checked, just before the write
    /// transaction (the tests compare the readings, and write from another connection there).
    func importDocument(_ data: Data, name: String, update: Bool, carefully: Bool, duplicateCheck: Bool = false, keepingHistory: Bool = true,
                        today: PartialDate = .today(), beforeWriting: () throws -> Void = {}) throws -> LoadReport {
        var reader = DocumentReader(name: name, carefully: carefully, rule: StatusRule(today: today))
        let document = try reader.read(data)
        if !document.problems.isEmpty {
            // Nothing will be written: the references are looked up in a snapshot, without the write lock.
            try read { db in try document.check(in: db) }
        }
        try beforeWriting()
        let history = keepingHistory ? document.history.flatMap { $0.isEmpty ? nil : $0 } : nil
        return try write(announcing: "the import of \(name)", carrying: history) { db in
            try document.check(in: db)
            let before = duplicateCheck ? try ImportLookalikes(before: db) : nil
            var loader = Loader(db: db, mode: update ? .update : .strict)
            try SearchIndex.bulk(in: db) { try loader.load(document.records) }
            try Outbox(db: db).record(.importCompleted, ImportPayload(source: name, loader.report))
            var report = loader.report
            report.warnings = reader.warnings
            report.lookalikes = try before?.pairs(in: db) ?? []
            if history != nil, let kept = try Row.fetchOne(db, sql: "SELECT count(*), max(id) FROM history") {
                // The import's own change is sealed after this body, next after the changes kept.
                report.keptHistory = LoadReport.KeptHistory(changes: kept[0], importChange: (kept[1] as Int64) + 1)
            }
            return report
        }
    }

    /// Loads the embedded Seeds, adding only what is missing; with `home`, then sets the home organization.
    public func seed(home: String? = nil) throws -> LoadReport {
        let document = try Seeds.document()
        return try write(announcing: "the loading of the Seeds") { db in
            var loader = Loader(db: db, mode: .addMissing)
            try SearchIndex.bulk(in: db) { try loader.load(document) }
            let report = loader.report
            try Outbox(db: db).record(.importCompleted, ImportPayload(source: "seeds", report))
            if let home { try Store.setHome(home, in: db) }
            return report
        }
    }
}
