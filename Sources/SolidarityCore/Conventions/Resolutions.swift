import Foundation
import GRDB

/// What adding a resolution found: the record, and per clause the names it could not match.
public struct ResolutionReading: Sendable {
    public let resolution: Resolution
    /// Clause number (from 1) → candidate names that matched no organization.
    public let unmatched: [Int: [String]]
}

/// Reads and writes resolutions, their clauses and what the clauses name.
struct Resolutions: ValueStore {
    let db: Database

    /// Parses a resolution's text, finds what its clauses name, and records it.
    func add(convention ref: String, title: String, text: String, status: Resolution.Status, handle: String?, sources: [String]) throws -> ResolutionReading {
        let convention = try Conventions(db: db).match(ref)
        let (preamble, clauseTexts) = try ResolutionText.parse(text)
        var resolution = Resolution(handle: handle ?? "", convention: convention.convention.handle, title: title, status: status,
                                    preamble: preamble, clauses: clauseTexts.map { Resolution.Clause(text: $0) }, sources: sources)
        // Lengths and characters first: a file pasted whole into a clause is refused before it is read for names.
        try resolution.validate()
        let matcher = try MentionMatcher(db: db)
        var unmatched: [Int: [String]] = [:]
        var mentions: [(clause: Int, id: Int64, offset: Int)] = []
        for (index, clause) in clauseTexts.enumerated() {
            let found = matcher.organizations(in: clause)
            if !found.unmatched.isEmpty { unmatched[index + 1] = found.unmatched }
            mentions += found.mentions.map { (index + 1, $0.id, $0.offset) }
        }
        let employers = matcher.employers(in: ([preamble] + clauseTexts).joined(separator: "\n"))
        let id = try insertRow(&resolution, conventionID: convention.id)
        for mention in mentions {
            try ResolutionOrganizationRecord(resolutionID: id, clause: mention.clause, organizationID: mention.id, offset: mention.offset, linked: false)
                .insertRow(db, ignoringConflicts: true)
        }
        for employer in employers {
            try LinkRecord<ResolutionEmployers>(owner: id, target: employer).insertRow(db, ignoringConflicts: true)
        }
        return ResolutionReading(resolution: try fetch(ids: [id])[0], unmatched: unmatched)
    }

    /// Records a resolution exactly as given (import and Seeds): clauses and what they name.
    func write(_ resolution: inout Resolution) throws {
        let convention = try Conventions(db: db).match(resolution.convention)
        let id = try insertRow(&resolution, conventionID: convention.id)
        try writeNames(resolution, id: id)
        resolution = try fetch(ids: [id])[0]
    }

    /// Replaces a resolution by `updated` (same handle).
    func replace(_ updated: Resolution) throws {
        var updated = updated
        try updated.validate()
        let (id, _) = try match(updated.handle)
        let convention = try Conventions(db: db).match(updated.convention)
        try ResolutionRecord(updated, conventionID: convention.id, id: id).update(db)
        try ResolutionClauseRecord.filter(ResolutionClauseRecord.Columns.resolutionID == id).deleteAll(db)
        try ResolutionOrganizationRecord.filter(ResolutionOrganizationRecord.Columns.resolutionID == id).deleteAll(db)
        try ResolutionCampaignRecord.filter(ResolutionCampaignRecord.Columns.resolutionID == id).deleteAll(db)
        try LinkRecord<ResolutionEmployers>.owned(by: id).deleteAll(db)
        try LinkRecord<ResolutionSources>.owned(by: id).deleteAll(db)
        try writeClauses(updated, id: id)
        try writeNames(updated, id: id)
    }

    private func insertRow(_ resolution: inout Resolution, conventionID: Int64) throws -> Int64 {
        resolution.handle = try Naming.claimHandle(resolution.handle, base: "\(resolution.convention)-\(Naming.slug(resolution.title))",
                                                   for: resolution.title, isTaken: { candidate in
            try db.exists(cached: "SELECT 1 FROM resolutions WHERE handle = ?", arguments: [candidate])
        }) { handle in
            SolidarityError(.duplicate, "A resolution with handle \"\(handle)\" already exists.", remedy: .chooseAnother(.handle))
        }
        let record = ResolutionRecord(resolution, conventionID: conventionID)
        try record.insertRow(db)
        let id = db.lastInsertedRowID
        try writeClauses(resolution, id: id)
        for source in Set(resolution.sources) {
            try LinkRecord<ResolutionSources>(owner: id, target: Sources(db: db).cite(source)).insertRow(db, ignoringConflicts: true)
        }
        return id
    }

    /// Writes the clauses' texts, numbered from 1.
    private func writeClauses(_ resolution: Resolution, id: Int64) throws {
        for (index, clause) in resolution.clauses.enumerated() {
            try ResolutionClauseRecord(resolutionID: id, position: index + 1, text: clause.text).insertRow(db)
        }
    }

    /// Writes the organizations and campaigns each clause names, in the order given, and the employers.
    private func writeNames(_ resolution: Resolution, id: Int64) throws {
        let references = References(db: db)
        for (index, clause) in resolution.clauses.enumerated() {
            for (order, ref) in clause.organizations.enumerated() {
                try ResolutionOrganizationRecord(resolutionID: id, clause: index + 1, organizationID: references.organization(ref).id, offset: order, linked: false)
                    .insertRow(db, ignoringConflicts: true)
            }
            for (order, ref) in clause.campaigns.enumerated() {
                guard let campaign = try references.campaign(ref) else {
                    throw SolidarityError(.notFound, "Clause \(index + 1) names the campaign \"\(TextRules.printable(ref))\", which is not recorded: record it first.")
                }
                try ResolutionCampaignRecord(resolutionID: id, clause: index + 1, campaignID: campaign.id, position: order).insertRow(db, ignoringConflicts: true)
            }
        }
        for ref in resolution.employers {
            try LinkRecord<ResolutionEmployers>(owner: id, target: references.employer(ref).id).insertRow(db, ignoringConflicts: true)
        }
        if resolution.sources.isEmpty == false {
            for source in Set(resolution.sources) {
                try LinkRecord<ResolutionSources>(owner: id, target: Sources(db: db).cite(source)).insertRow(db, ignoringConflicts: true)
            }
        }
    }

    /// Links an organization to a clause (at its end), or unlinks it from one clause or all.
    func link(_ ref: String, organization: String, clause: Int?, remove: Bool) throws -> Resolution {
        let (id, resolution) = try match(ref)
        let org = try References(db: db).organization(organization)
        if let clause, !(1...resolution.clauses.count).contains(clause) {
            throw SolidarityError.invalid("\(resolution.handle) has clauses 1 to \(resolution.clauses.count); there is no clause \(clause).")
        }
        typealias Named = ResolutionOrganizationRecord.Columns
        if remove {
            var linked = ResolutionOrganizationRecord.filter(Named.resolutionID == id && Named.organizationID == org.id)
            if let clause { linked = linked.filter(Named.clause == clause) }
            if try linked.deleteAll(db) == 0 {
                throw SolidarityError(.notFound, "\(org.name) is not linked to \(clause.map { "clause \($0) of " } ?? "")\(resolution.handle).")
            }
        } else {
            if try Int64.fetchOne(db, cached: "SELECT organization_id FROM home") == org.id {
                throw SolidarityError(.conflict, "\(org.name) is the home organization, which an appendix never lists as named.")
            }
            let clause = clause ?? 1
            // At the clause's end: after every mention the matcher found (offsets in the text).
            let last = try ResolutionOrganizationRecord.filter(Named.resolutionID == id && Named.clause == clause)
                .select(max(Named.offset), as: Int.self).fetchOne(db) ?? 0
            try ResolutionOrganizationRecord(resolutionID: id, clause: clause, organizationID: org.id, offset: last + 1_000_000, linked: true)
                .insertRow(db, ignoringConflicts: true)
        }
        return try fetch(ids: [id])[0]
    }

    func setStatus(_ ref: String, _ status: Resolution.Status) throws -> (before: Resolution.Status, after: Resolution) {
        let (id, resolution) = try match(ref)
        try ResolutionRecord.filter(key: id).updateAll(db, ResolutionRecord.Columns.status.set(to: status.rawValue))
        return (resolution.status, try fetch(ids: [id])[0])
    }

    /// The resolution a handle or title names, or the one resolution of the convention a handle
    /// or name names ("ue-79"); a convention with several is an error listing them.
    func match(_ ref: String) throws -> (id: Int64, resolution: Resolution) {
        var rows = try Int64.fetchAll(db, cached: "SELECT id FROM resolutions WHERE handle = ? UNION SELECT id FROM resolutions WHERE lower(title) = lower(?)",
                                      arguments: [ref.lowercased(), ref])
        if rows.isEmpty, let convention = try Row.fetchOne(db, cached: """
            SELECT id, handle, name FROM conventions WHERE handle = ?1 OR lower(name) = lower(?2) ORDER BY handle <> ?1 LIMIT 1
            """, arguments: [ref.lowercased(), ref]) {
            let name: String = convention["name"]
            rows = try Int64.fetchAll(db, cached: "SELECT id FROM resolutions WHERE convention_id = ? ORDER BY handle", arguments: [convention["id"]])
            if rows.isEmpty {
                throw SolidarityError(.notFound, "\(name) has no resolution recorded.", remedy: .addResolution(convention: convention["handle"]))
            }
            if rows.count > 1 {
                let listed = try fetch(ids: rows).map { "\($0.handle) (“\($0.title)”)" }.joined(separator: ", ")
                throw SolidarityError(.ambiguous, "\(name) has \(rows.count) resolutions: give one of them, \(listed).")
            }
        }
        guard rows.count == 1 else {
            let all = try String.fetchAll(db, cached: "SELECT handle FROM resolutions ORDER BY handle")
            throw SolidarityError(rows.isEmpty ? .notFound : .ambiguous,
                                  "No single resolution matches \"\(TextRules.printable(ref))\". \(all.isEmpty ? "None is recorded yet." : "Recorded resolutions: \(all.joined(separator: ", ")).")")
        }
        return (rows[0], try fetch(ids: rows)[0])
    }

    func list(convention: String?) throws -> [Resolution] {
        if let convention {
            let id = try Conventions(db: db).match(convention).id
            return try fetch(ids: Int64.fetchAll(db, cached: "SELECT id FROM resolutions WHERE convention_id = ? ORDER BY handle", arguments: [id]))
        }
        return try fetch(ids: Int64.fetchAll(db, cached: "SELECT id FROM resolutions ORDER BY handle"))
    }

    func fetch(ids: [Int64]) throws -> [Resolution] {
        guard !ids.isEmpty else { return [] }
        let json = JSONList.of(ids)
        var byID: [Int64: Resolution] = [:]
        for row in try Row.fetchAll(db, cached: """
            SELECT r.*, c.handle AS convention FROM resolutions r JOIN conventions c ON c.id = r.convention_id WHERE r.id IN (SELECT value FROM json_each(?))
            """, arguments: [json]) {
            byID[row["id"]] = Resolution(record: try ResolutionRecord(row: row), convention: row["convention"])
        }
        for clause in try SQLRequest<ResolutionClauseRecord>(sql: """
            SELECT * FROM resolution_clauses WHERE resolution_id IN (SELECT value FROM json_each(?)) ORDER BY resolution_id, position
            """, arguments: [json], cached: true).fetchAll(db) {
            byID[clause.resolutionID]?.clauses.append(Resolution.Clause(text: clause.text))
        }
        for row in try Row.fetchAll(db, cached: """
            SELECT ro.resolution_id, ro.clause, o.handle FROM resolution_organizations ro JOIN organizations o ON o.id = ro.organization_id
            WHERE ro.resolution_id IN (SELECT value FROM json_each(?)) ORDER BY ro.resolution_id, ro.clause, ro."offset", o.handle
            """, arguments: [json]) {
            let clause: Int = row["clause"]
            if let count = byID[row["resolution_id"]]?.clauses.count, clause <= count {
                byID[row["resolution_id"]]?.clauses[clause - 1].organizations.append(row["handle"])
            }
        }
        for row in try Row.fetchAll(db, cached: """
            SELECT rc.resolution_id, rc.clause, c.handle FROM resolution_campaigns rc JOIN campaigns c ON c.id = rc.campaign_id
            WHERE rc.resolution_id IN (SELECT value FROM json_each(?)) ORDER BY rc.resolution_id, rc.clause, rc.position, c.handle
            """, arguments: [json]) {
            let clause: Int = row["clause"]
            if let count = byID[row["resolution_id"]]?.clauses.count, clause <= count {
                byID[row["resolution_id"]]?.clauses[clause - 1].campaigns.append(row["handle"])
            }
        }
        try ListingPages.appendLinked(ResolutionEmployers.self, "employers", "handle", ids: json, in: db, to: \.employers, of: &byID)
        try ListingPages.appendLinked(ResolutionSources.self, "sources", "uid", ids: json, in: db, to: \.sources, of: &byID)
        return ids.compactMap { byID[$0] }
    }
}

extension Store {
    /// Records a convention.
    public func addConvention(_ convention: Convention) throws -> Convention {
        try write { try Conventions(db: $0).insert(convention) }
    }

    /// Conventions, optionally of one organization, oldest first.
    public func conventions(of organization: String? = nil) throws -> [Convention] {
        try read { try Conventions(db: $0).list(organization: organization) }
    }

    /// The convention a handle or name names, with its resolutions.
    public func convention(_ ref: String) throws -> (convention: Convention, resolutions: [Resolution]) {
        try read { db in
            let match = try Conventions(db: db).match(ref)
            return (match.convention, try Resolutions(db: db).list(convention: match.convention.handle))
        }
    }

    /// Parses a resolution's text, finds what it names, and records it.
    public func addResolution(convention: String, title: String, text: String, status: Resolution.Status = .draft,
                              handle: String? = nil, sources: [String] = []) throws -> ResolutionReading {
        try write { db in
            let reading = try Resolutions(db: db).add(convention: convention, title: title, text: text, status: status, handle: handle, sources: sources)
            try Outbox(db: db).record(.resolutionAdded, about: reading.resolution)
            if reading.resolution.status == .adopted { try Outbox(db: db).record(.resolutionAdopted, about: reading.resolution) }
            return reading
        }
    }

    /// Resolutions, optionally of one convention.
    public func resolutions(of convention: String? = nil) throws -> [Resolution] {
        try read { try Resolutions(db: $0).list(convention: convention) }
    }

    /// The resolution a handle or title names.
    public func resolution(_ ref: String) throws -> Resolution {
        try read { try Resolutions(db: $0).match(ref).resolution }
    }

    /// Links an organization to a clause, or (with `remove`) unlinks it.
    public func linkResolution(_ ref: String, organization: String, clause: Int?, remove: Bool = false) throws -> Resolution {
        try write { try Resolutions(db: $0).link(ref, organization: organization, clause: clause, remove: remove) }
    }

    /// Changes a resolution's status.
    public func setResolutionStatus(_ ref: String, _ status: Resolution.Status) throws -> Resolution {
        try write { db in
            let (before, after) = try Resolutions(db: db).setStatus(ref, status)
            if after.status == .adopted && before != .adopted { try Outbox(db: db).record(.resolutionAdopted, about: after) }
            return after
        }
    }
}
