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
        try String.fetchOne(db, CampaignRecord.select(CampaignRecord.Columns.handle).filter(key: tag(ref)))!
    }

    /// Records a campaign with its sources and returns its row id.
    @discardableResult
    func insert(_ campaign: Campaign) throws -> Int64 {
        try Naming.checkHandle(campaign.handle)
        let record = CampaignRecord(campaign)
        try record.insertRow(db)
        let id = db.lastInsertedRowID
        try writeSources(campaign.sources, id: id)
        return id
    }

    /// Replaces the campaign with `campaign`'s handle by it (`import --update`).
    func replace(_ campaign: Campaign) throws {
        guard let id = try id(handle: campaign.handle) else {
            throw SolidarityError(.notFound, "No campaign \"\(campaign.handle)\" is recorded.")
        }
        try CampaignRecord(campaign, id: id).update(db)
        try LinkRecord<CampaignSources>.owned(by: id).deleteAll(db)
        try writeSources(campaign.sources, id: id)
    }

    /// The campaign with this handle, as recorded, or nil.
    func existing(handle: String) throws -> Campaign? {
        try id(handle: handle).map { try fetch(ids: [$0])[0] }
    }

    /// The row id of the campaign with this handle, or nil.
    private func id(handle: String) throws -> Int64? {
        try Int64.fetchOne(db, CampaignRecord.select(CampaignRecord.Columns.id).filter(CampaignRecord.Columns.handle == handle))
    }

    /// Every campaign, ordered by handle.
    func all() throws -> [Campaign] {
        try fetch(ids: Int64.fetchAll(db, CampaignRecord.select(CampaignRecord.Columns.id).order(CampaignRecord.Columns.handle)))
    }

    /// Full records for row ids, in the order given.
    func fetch(ids: [Int64]) throws -> [Campaign] {
        guard !ids.isEmpty else { return [] }
        let json = JSONList.of(ids)
        var byID: [Int64: Campaign] = [:]
        for record in try CampaignRecord.fetchAll(db, SQLRequest(literal: "SELECT * FROM campaigns WHERE id IN (SELECT value FROM json_each(\(json)))",
                                                                  cached: true)) {
            byID[record.id!] = Campaign(record: record)
        }
        try ListingPages.appendLinked(CampaignSources.self, "sources", "uid", ids: json, in: db, to: \.sources, of: &byID)
        return ids.compactMap { byID[$0] }
    }

    private func writeSources(_ sources: [String], id: Int64) throws {
        for source in Set(sources) {
            try LinkRecord<CampaignSources>(owner: id, target: try Sources(db: db).cite(source)).insertRow(db, ignoringConflicts: true)
        }
    }
}
