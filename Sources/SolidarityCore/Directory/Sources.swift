import Foundation
import GRDB

/// Citations, found by id or URL and created on first use.
struct Sources {
    let db: Database

    /// The row id of the source a reference names: its id, or its URL (a new URL is recorded as a new source).
    func cite(_ ref: String) throws -> Int64 {
        // A cached statement: an import cites a source for many of its records.
        if let id = try Int64.fetchOne(db, cached: "SELECT id FROM sources WHERE uid = ? OR url = ? LIMIT 1", arguments: [ref, ref]) {
            return id
        }
        guard ref.contains("://") || ref.hasPrefix("urn:") else {
            throw SolidarityError(.notFound, "No source \"\(TextRules.printable(ref))\" is recorded: give a URL (https://…) or the id of a recorded source.")
        }
        return try insert(Source(id: Source.newID(), url: ref))
    }

    /// The id of the source a reference names, recording a new URL as a new source.
    func citedID(_ ref: String) throws -> String {
        try uid(of: cite(ref))
    }

    /// The id users see of the source with this row id.
    func uid(of id: Int64) throws -> String {
        try String.fetchOne(db, SourceRecord.select(SourceRecord.Columns.uid).filter(key: id))!
    }

    /// Records a source and returns its row id.
    @discardableResult
    func insert(_ source: Source) throws -> Int64 {
        guard source.url != nil || source.title != nil else {
            throw SolidarityError.invalid("A source needs a URL or a title.")
        }
        if try db.exists(cached: "SELECT 1 FROM sources WHERE uid = ?", arguments: [source.id]) {
            throw SolidarityError(.duplicate, "A source with id \"\(source.id)\" already exists.")
        }
        let record = SourceRecord(source)
        try record.insertRow(db)
        let id = db.lastInsertedRowID
        return id
    }

    /// Every source, ordered by id.
    func all() throws -> [Source] {
        try SourceRecord.order(SourceRecord.Columns.uid).fetchAll(db).map(Source.init(record:))
    }
}
