import Foundation
import GRDB

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
