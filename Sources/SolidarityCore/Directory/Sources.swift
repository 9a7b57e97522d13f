import Foundation
import GRDB

/// Citations, found by id or URL and created on first use.
struct Sources {
    let db: Database

    /// The row id of the source a reference names: its id, or its URL (a new URL is recorded as a new source).
    func cite(_ ref: String) throws -> Int64 {
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
        try String.fetchOne(db, cached: "SELECT uid FROM sources WHERE id = ?", arguments: [cite(ref)])!
    }

    /// Records a source and returns its row id.
    @discardableResult
    func insert(_ source: Source) throws -> Int64 {
        guard source.url != nil || source.title != nil else {
            throw SolidarityError.invalid("A source needs a URL or a title.")
        }
        if try Int.fetchOne(db, cached: "SELECT 1 FROM sources WHERE uid = ?", arguments: [source.id]) != nil {
            throw SolidarityError(.duplicate, "A source with id \"\(source.id)\" already exists.")
        }
        try db.execute(cached: "INSERT INTO sources (uid, url, title, publisher, published, excerpt) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [source.id, source.url, source.title, source.publisher, source.published?.description, source.excerpt])
        return db.lastInsertedRowID
    }

    /// Every source, ordered by id.
    func all() throws -> [Source] {
        try Row.fetchAll(db, cached: "SELECT * FROM sources ORDER BY uid").map { row in
            Source(id: row["uid"], url: row["url"], title: row["title"], publisher: row["publisher"],
                   published: try (row["published"] as String?).map(PartialDate.init), excerpt: row["excerpt"])
        }
    }
}
