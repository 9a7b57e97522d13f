import Foundation
import GRDB

/// Finds records from what users type: a handle, an acronym, an alias or a name, without regard
/// to case or accents. An ambiguous reference lists the candidates; an unknown one suggests the
/// nearest names.
struct References {
    let db: Database

    /// A record found by reference: its row id, handle and display name.
    struct Match: Hashable {
        let id: Int64
        let handle: String
        let name: String
    }

    /// The organization `ref` names.
    func organization(_ ref: String) throws -> Match {
        // A handle typed exactly wins over an acronym or a name that folds alike ("cgt" is the
        // handle cgt; "CGT" is an acronym that may be ambiguous). Files refer by handle, so an
        // import finds each reference with this one probe of the handle index.
        // Its columns are read by position: an import makes this probe for every role of every
        // activity, and a lookup by column name costs more than the probe.
        if let exact = try Row.fetchOne(db, cached: "SELECT id, handle, name, acronym FROM organizations WHERE handle = ?", arguments: [ref]) {
            return Match(id: exact[0], handle: exact[1], name: Self.displayName(name: exact[2], acronym: exact[3]))
        }
        let key = Naming.key(ref)
        let handle = ref.lowercased()
        let matches = try Row.fetchAll(db, cached: """
            SELECT id, handle, name, acronym, country FROM organizations WHERE handle = ?1
            UNION SELECT id, handle, name, acronym, country FROM organizations WHERE acronym_key = ?2
            UNION SELECT id, handle, name, acronym, country FROM organizations WHERE name_key = ?2
            UNION SELECT id, handle, name, acronym, country FROM organizations WHERE native_name_key = ?2
            UNION SELECT o.id, o.handle, o.name, o.acronym, o.country FROM organization_aliases a
                JOIN organizations o ON o.id = a.organization_id WHERE a.alias_key = ?2
            """, arguments: [handle, key])
        return try pick(matches, ref: ref, noun: "organization", listCommand: "solidarity org list", candidates: {
            try Row.fetchAll(db, cached: """
                SELECT id, handle, name, acronym, country, name_key AS k FROM organizations
                UNION ALL SELECT id, handle, name, acronym, country, acronym_key FROM organizations WHERE acronym_key IS NOT NULL
                UNION ALL SELECT id, handle, name, acronym, country, native_name_key FROM organizations WHERE native_name_key IS NOT NULL
                UNION ALL SELECT o.id, o.handle, o.name, o.acronym, o.country, a.alias_key FROM organization_aliases a JOIN organizations o ON o.id = a.organization_id
                """)
        })
    }

    /// The person `ref` names.
    func person(_ ref: String) throws -> Match {
        if let exact = try Row.fetchOne(db, cached: "SELECT id, handle, name FROM people WHERE handle = ?", arguments: [ref]) {
            return Match(id: exact[0], handle: exact[1], name: exact[2])
        }
        let matches = try Row.fetchAll(db, cached: """
            SELECT id, handle, name FROM people WHERE handle = ?1
            UNION SELECT id, handle, name FROM people WHERE name_key = ?2
            UNION SELECT id, handle, name FROM people WHERE ?3 LIKE '%@%' AND email = ?3 COLLATE NOCASE
            """, arguments: [ref.lowercased(), Naming.key(ref), ref])
        return try pick(matches, ref: ref, noun: "person", listCommand: "solidarity person list", candidates: {
            try Row.fetchAll(db, cached: "SELECT id, handle, name, name_key AS k FROM people")
        })
    }

    /// The employer `ref` names: a handle, a name or an alias.
    func employer(_ ref: String) throws -> Match {
        if let exact = try Row.fetchOne(db, cached: "SELECT id, handle, name FROM employers WHERE handle = ?", arguments: [ref]) {
            return Match(id: exact["id"], handle: exact["handle"], name: exact["name"])
        }
        let matches = try Row.fetchAll(db, cached: """
            SELECT id, handle, name, country FROM employers WHERE handle = ?1
            UNION SELECT id, handle, name, country FROM employers WHERE name_key = ?2
            UNION SELECT e.id, e.handle, e.name, e.country FROM employer_aliases a JOIN employers e ON e.id = a.employer_id WHERE a.alias_key = ?2
            """, arguments: [ref.lowercased(), Naming.key(ref)])
        return try pick(matches, ref: ref, noun: "employer", listCommand: "solidarity employer list", candidates: {
            try Row.fetchAll(db, cached: """
                SELECT id, handle, name, country, name_key AS k FROM employers
                UNION ALL SELECT e.id, e.handle, e.name, e.country, a.alias_key FROM employer_aliases a JOIN employers e ON e.id = a.employer_id
                """)
        })
    }

    /// The site `ref` names: its id, or its name when that is unique.
    func site(_ ref: String) throws -> Match {
        let matches = try Row.fetchAll(db, cached: """
            SELECT s.id, s.uid AS handle, s.name, s.country FROM sites s WHERE s.uid = ?1
            UNION SELECT s.id, s.uid, s.name, s.country FROM sites s WHERE s.name_key = ?2
            """, arguments: [ref.lowercased(), Naming.key(ref)])
        if let exact = matches.first(where: { ($0["handle"] as String) == ref.lowercased() }) {
            return Match(id: exact["id"], handle: exact["handle"], name: exact["name"])
        }
        return try pick(matches, ref: ref, noun: "site", listCommand: "solidarity site list", candidates: {
            try Row.fetchAll(db, cached: "SELECT id, uid AS handle, name, country, name_key AS k FROM sites")
        })
    }

    /// The campaign `ref` names, by handle or name.
    func campaign(_ ref: String) throws -> Match? {
        let row = try Row.fetchOne(db, cached: "SELECT id, handle, name FROM campaigns WHERE handle = ? OR name_key = ? LIMIT 1",
                                   arguments: [ref.lowercased(), Naming.key(ref)])
        return row.map { Match(id: $0["id"], handle: $0["handle"], name: $0["name"]) }
    }

    /// "CGT (General Confederation of Labour), FR": enough to tell candidates apart.
    private static func label(_ row: Row) -> String {
        guard let country: String = row["country"] else { return displayName(row) }
        return displayName(row) + ", " + country
    }

    /// "CGT (General Confederation of Labour)", as messages name an organization.
    private static func displayName(_ row: Row) -> String {
        displayName(name: row["name"], acronym: row["acronym"])
    }

    private static func displayName(name: String, acronym: String?) -> String {
        if let acronym, acronym != name { return "\(acronym) (\(name))" }
        return name
    }

    /// Candidates one per line, handles aligned, those `withheld` marks marked as every view marks them.
    private static func list(_ rows: [Row], withheld: (Row) -> Bool) -> String {
        let width = rows.map { ($0["handle"] as String).count }.max() ?? 0
        return rows.map {
            "  " + ($0["handle"] as String).padding(toLength: width, withPad: " ", startingAt: 0) + "  " + Disclosure.mark(label($0), withheld($0))
        }.joined(separator: "\n")
    }

    /// Whether a candidate of this noun is withheld by the rule of `Disclosure` (an organization
    /// marked sensitive or part of one, a person marked sensitive); employers and sites never are.
    private func withheld(noun: String) throws -> (Row) -> Bool {
        guard noun == "organization" || noun == "person" else { return { _ in false } }
        let rule = try Disclosure(db: db)
        return noun == "organization" ? { !rule.shows(organizationID: $0["id"]) } : { !rule.shows(person: $0["handle"]) }
    }

    private func pick(_ rows: [Row], ref: String, noun: String, listCommand: String, candidates: () throws -> [Row]) throws -> Match {
        var seen = Set<Int64>()
        let unique = rows.filter { seen.insert($0["id"]).inserted }
        if unique.count == 1, let row = unique.first {
            return Match(id: row["id"], handle: row["handle"], name: Self.displayName(row))
        }
        if unique.count > 1 {
            let plural = ["person": "people", "organization": "organizations", "employer": "employers", "site": "sites"][noun] ?? noun
            let identity = noun == "site" ? "an id" : "a handle"
            throw SolidarityError(.ambiguous, "\"\(TextRules.printable(ref))\" could be any of these \(plural); use \(identity):\n\(Self.list(unique, withheld: try withheld(noun: noun)))")
        }
        let key = Naming.key(ref)
        if key.isEmpty {
            throw SolidarityError.invalid("\"\(TextRules.printable(ref))\" cannot name \(noun == "organization" || noun == "employer" ? "an" : "a") \(noun): a reference needs a letter or digit (a handle or a name, as `\(listCommand)` shows them).")
        }
        var best: [Int64: (distance: Int, row: Row)] = [:]
        let (length, farthest) = (key.count, max(2, key.count / 3))
        for row in try candidates() {
            guard let candidate: String = row["k"] else { continue }
            let contained = candidate.hasPrefix(key) || candidate.contains(key)
            // The distance is at least the difference in length: a pasted paragraph is near no name,
            // and measuring it against every name would take seconds.
            guard contained || abs(candidate.count - length) <= farthest else { continue }
            var distance = Naming.distance(key, candidate)
            if contained { distance = min(distance, 1) }
            let id: Int64 = row["id"]
            if distance <= farthest, distance < (best[id]?.distance ?? .max) { best[id] = (distance, row) }
        }
        let nearest = best.values.sorted { ($0.distance, $0.row["handle"] as String) < ($1.distance, $1.row["handle"] as String) }.prefix(5)
        if nearest.isEmpty {
            throw SolidarityError(.notFound, "No \(noun) matches \"\(TextRules.printable(ref))\". `\(listCommand)` lists them all; `solidarity search \(TextRules.printable(ref))` searches names and notes.")
        }
        throw SolidarityError(.notFound, "No \(noun) matches \"\(TextRules.printable(ref))\". Did you mean:\n\(Self.list(nearest.map(\.row), withheld: try withheld(noun: noun)))")
    }
}
