import Foundation
import GRDB

/// The webhook events an undo sends for what it changes, as the write it reverts would have: a
/// restored organization is `organization.created`, one set back `organization.updated`, one removed
/// `organization.removed`; likewise people (`person.created`/`.updated`), sites
/// (`site.created`/`.updated`/`.removed`), relationships (`relationship.changed`), representation
/// (`representation.changed`), activities (`activity.logged`/`.updated`, `delegation.logged`/`.updated`)
/// and resolutions (`resolution.added`). A removal that has no event type of its own (a person, a
/// relationship, an activity) announces nothing, as no write of the tool does. Each event is
/// recorded under the rule of `Disclosure`: nothing about a sensitive record.
struct UndoAnnouncements {
    let db: Database
    private let pending = Pending()

    /// What to announce once the undo is applied, in the order it happened.
    private final class Pending {
        var rows: [(table: String, rowID: Int64, restored: Bool)] = []
        var noted: Set<String> = []
        var representations: [(site: Int64, union: Int64)] = []
    }

    init(db: Database) {
        self.db = db
    }

    /// Announces the rows of `table` that `condition` finds, which are about to be removed.
    func removing(_ table: String, where condition: String, _ arguments: StatementArguments = []) throws {
        guard try listened() else { return }
        let outbox = Outbox(db: db)
        switch table {
        case "organizations":
            for row in try Row.fetchAll(db, sql: "SELECT handle, name FROM organizations WHERE \(condition)", arguments: arguments) {
                try outbox.record(.organizationRemoved, about: OrganizationRemoval(organization: Organization(handle: row["handle"], name: row["name"])))
            }
        case "sites":
            for uid in try String.fetchAll(db, sql: "SELECT uid FROM sites WHERE \(condition)", arguments: arguments) {
                try outbox.record(.siteRemoved, about: try Sites(db: db).find(uid))
            }
        case "representations":
            for row in try Row.fetchAll(db, sql: "SELECT site_id, organization_id FROM representations WHERE \(condition)", arguments: arguments) {
                pending.representations.append((row["site_id"], row["organization_id"]))
            }
        default: break
        }
    }

    /// Notes a row restored (`restored`) or set back, with its fields as JSON scalars.
    func changed(_ table: String, rowid: Int64?, fields: [(String, String?)], restored: Bool) throws {
        if table == "representations" {
            let value = { (name: String) in fields.first { $0.0 == name }?.1.flatMap(Int64.init) }
            if let site = value("site_id"), let union = value("organization_id") { pending.representations.append((site, union)) }
            return
        }
        guard let rowid, UndoAnnouncements.announced.contains(table), pending.noted.insert("\(table) \(rowid)").inserted else { return }
        pending.rows.append((table, rowid, restored))
    }

    /// The tables whose rows restored or set back have an event.
    static let announced: Set<String> = ["organizations", "people", "relationships", "sites", "activities", "resolutions"]

    /// Records the events of the rows restored and set back, as they are now.
    func send() throws {
        guard try listened() else { return }
        let outbox = Outbox(db: db)
        for (table, rowID, restored) in pending.rows {
            switch table {
            case "organizations":
                guard let handle = try handle("organizations", rowID) else { continue }
                try outbox.record(restored ? .organizationCreated : .organizationUpdated, about: try Organizations(db: db).find(handle))
            case "people":
                guard let handle = try handle("people", rowID) else { continue }
                try outbox.record(restored ? .personCreated : .personUpdated, about: try People(db: db).find(handle))
            case "relationships":
                guard let row = try Row.fetchOne(db, sql: """
                    SELECT f.handle AS "from", t.handle AS "to", r.kind FROM relationships r
                    JOIN organizations f ON f.id = r.from_id JOIN organizations t ON t.id = r.to_id WHERE r.id = ?
                    """, arguments: [rowID]), let kind = Relationship.Kind(rawValue: row["kind"]) else { continue }
                try outbox.record(.relationshipChanged, about: try Relationships(db: db).find(row["from"], row["to"], kind: kind).relationship)
            case "sites":
                guard let uid = try String.fetchOne(db, sql: "SELECT uid FROM sites WHERE id = ?", arguments: [rowID]) else { continue }
                try outbox.record(restored ? .siteCreated : .siteUpdated, about: try Sites(db: db).find(uid))
            case "activities":
                guard let uid = try String.fetchOne(db, sql: "SELECT uid FROM activities WHERE id = ?", arguments: [rowID]) else { continue }
                let activity = try Activities(db: db).find(uid)
                let type: EventType = activity.kind == .delegation ? (restored ? .delegationLogged : .delegationUpdated) : (restored ? .activityLogged : .activityUpdated)
                try outbox.record(type, about: activity)
            case "resolutions" where restored:
                guard let handle = try handle("resolutions", rowID) else { continue }
                try outbox.record(.resolutionAdded, about: try Resolutions(db: db).match(handle).resolution)
            default: break
            }
        }
        for (siteID, unionID) in pending.representations {
            guard let uid = try String.fetchOne(db, sql: "SELECT uid FROM sites WHERE id = ?", arguments: [siteID]),
                  let union = try handle("organizations", unionID) else { continue }
            try outbox.record(.representationChanged, about: RepresentationChange(site: try Sites(db: db).find(uid), union: union))
        }
    }

    /// Whether any endpoint is enabled: with none, no event is recorded (the outbox is inert), and
    /// the records are not read for it.
    private func listened() throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM webhook_endpoints WHERE enabled = 1 LIMIT 1") ?? false
    }

    private func handle(_ table: String, _ id: Int64) throws -> String? {
        try String.fetchOne(db, sql: "SELECT handle FROM \(table) WHERE id = ?", arguments: [id])
    }
}
