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

/// Campaigns as tags: tagging a record with a name records the campaign the first time.
struct Campaigns {
    let db: Database

    /// The row id of the campaign a handle or name names, recording a new campaign for a new name.
    func tag(_ ref: String) throws -> Int64 {
        if let match = try References(db: db).campaign(ref) { return match.id }
        let name = ref.trimmingWhitespace(newlines: false)
        let handle = Naming.slug(name)
        guard !handle.isEmpty else {
            throw SolidarityError.invalid("\"\(TextRules.printable(ref))\" is not a campaign name: it needs at least one letter or digit.")
        }
        return try insert(Campaign(handle: handle, name: name))
    }

    /// The handle of the campaign a handle or name names, recording a new campaign for a new name.
    func handle(tagging ref: String) throws -> String {
        try String.fetchOne(db, cached: "SELECT handle FROM campaigns WHERE id = ?", arguments: [tag(ref)])!
    }

    /// Records a campaign with its sources and returns its row id.
    @discardableResult
    func insert(_ campaign: Campaign) throws -> Int64 {
        try Naming.checkHandle(campaign.handle)
        try db.execute(cached: "INSERT INTO campaigns (handle, name, name_key, notes) VALUES (?, ?, ?, ?)",
                       arguments: [campaign.handle, campaign.name, Naming.key(campaign.name), campaign.notes])
        let id = db.lastInsertedRowID
        try writeSources(campaign.sources, id: id)
        return id
    }

    /// Replaces the campaign with `campaign`'s handle by it (`import --update`).
    func replace(_ campaign: Campaign) throws {
        guard let id = try Int64.fetchOne(db, cached: "SELECT id FROM campaigns WHERE handle = ?", arguments: [campaign.handle]) else {
            throw SolidarityError(.notFound, "No campaign \"\(campaign.handle)\" is recorded.")
        }
        try db.execute(cached: "UPDATE campaigns SET name = ?, name_key = ?, notes = ? WHERE id = ?",
                       arguments: [campaign.name, Naming.key(campaign.name), campaign.notes, id])
        try db.execute(cached: "DELETE FROM campaign_sources WHERE campaign_id = ?", arguments: [id])
        try writeSources(campaign.sources, id: id)
    }

    /// The campaign with this handle, as recorded, or nil.
    func existing(handle: String) throws -> Campaign? {
        try Int64.fetchOne(db, cached: "SELECT id FROM campaigns WHERE handle = ?", arguments: [handle]).map { try fetch(ids: [$0])[0] }
    }

    /// Every campaign, ordered by handle.
    func all() throws -> [Campaign] {
        try fetch(ids: Int64.fetchAll(db, cached: "SELECT id FROM campaigns ORDER BY handle"))
    }

    /// Full records for row ids, in the order given.
    func fetch(ids: [Int64]) throws -> [Campaign] {
        guard !ids.isEmpty else { return [] }
        let json = JSONList.of(ids)
        var byID: [Int64: Campaign] = [:]
        for row in try Row.fetchAll(db, cached: "SELECT id, handle, name, notes FROM campaigns WHERE id IN (SELECT value FROM json_each(?))",
                                    arguments: [json]) {
            byID[row["id"]] = Campaign(handle: row["handle"], name: row["name"], notes: row["notes"])
        }
        for row in try Row.fetchAll(db, cached: """
            SELECT cs.campaign_id, s.uid FROM campaign_sources cs JOIN sources s ON s.id = cs.source_id
            WHERE cs.campaign_id IN (SELECT value FROM json_each(?)) ORDER BY s.uid
            """, arguments: [json]) {
            byID[row["campaign_id"]]?.sources.append(row["uid"])
        }
        return ids.compactMap { byID[$0] }
    }

    private func writeSources(_ sources: [String], id: Int64) throws {
        for source in Set(sources) {
            try db.execute(cached: "INSERT OR IGNORE INTO campaign_sources (campaign_id, source_id) VALUES (?, ?)",
                           arguments: [id, try Sources(db: db).cite(source)])
        }
    }
}
