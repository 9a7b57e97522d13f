import Foundation
import GRDB

extension SolidarityError {
    /// The advice of a reference that names nothing (list the records, search for the words), which
    /// a spreadsheet's problem keeps beside the cell's message; nil for any other remedy.
    var lookupAdvice: Remedy? {
        switch remedy {
        case .listOrSearch?, .search?: remedy
        default: nil
        }
    }
}

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
        if let exact = try Row.fetchOne(db, cached: "SELECT id, handle, name, acronym FROM organizations WHERE handle = ?", arguments: [ref]),
           try !Disclosure.withheldFromReferences || !withheld(noun: "organization")(exact) {
            return Match(id: exact[0], handle: exact[1], name: Self.displayName(name: exact[2], acronym: exact[3]))
        }
        return try pick(try organizationMatches(ref), ref: ref, noun: "organization", listCommand: "solidarity org list",
                        candidates: organizationCandidates)
    }

    /// The organizations nearest to a reference that names none, listed as "Did you mean" lists
    /// them after a mistyped reference; nil when none is near.
    func organizationSuggestions(_ ref: String) throws -> String? {
        let nearest = Self.nearest(ref, among: try organizationCandidates()).prefix(5)
        guard !nearest.isEmpty else { return nil }
        let withheld = try withheld(noun: "organization")
        return Self.list(nearest.map(\.row), withheld: { withheld($1) })
    }

    /// The organizations whose handle, acronym, name, native name or alias `ref` folds to.
    private func organizationMatches(_ ref: String) throws -> [Row] {
        try Row.fetchAll(db, cached: """
            SELECT id, handle, name, acronym, country FROM organizations WHERE handle = ?1
            UNION SELECT id, handle, name, acronym, country FROM organizations WHERE acronym_key = ?2
            UNION SELECT id, handle, name, acronym, country FROM organizations WHERE name_key = ?2
            UNION SELECT id, handle, name, acronym, country FROM organizations WHERE native_name_key = ?2
            UNION SELECT o.id, o.handle, o.name, o.acronym, o.country FROM organization_aliases a
                JOIN organizations o ON o.id = a.organization_id WHERE a.alias_key = ?2
            """, arguments: [ref.lowercased(), Naming.key(ref)])
    }

    /// Every name an organization answers to (column `k`), for suggestions.
    private func organizationCandidates() throws -> [Row] {
        try Row.fetchAll(db, cached: """
            SELECT id, handle, name, acronym, country, name_key AS k FROM organizations
            UNION ALL SELECT id, handle, name, acronym, country, acronym_key FROM organizations WHERE acronym_key IS NOT NULL
            UNION ALL SELECT id, handle, name, acronym, country, native_name_key FROM organizations WHERE native_name_key IS NOT NULL
            UNION ALL SELECT o.id, o.handle, o.name, o.acronym, o.country, a.alias_key FROM organization_aliases a JOIN organizations o ON o.id = a.organization_id
            """)
    }

    /// The person `ref` names.
    func person(_ ref: String) throws -> Match {
        if let exact = try Row.fetchOne(db, cached: "SELECT id, handle, name FROM people WHERE handle = ?", arguments: [ref]),
           try !Disclosure.withheldFromReferences || !withheld(noun: "person")(exact) {
            return Match(id: exact[0], handle: exact[1], name: exact[2])
        }
        return try pick(try personMatches(ref), ref: ref, noun: "person", listCommand: "solidarity person list", candidates: personCandidates)
    }

    /// The people whose handle, name or email `ref` is.
    private func personMatches(_ ref: String) throws -> [Row] {
        try Row.fetchAll(db, cached: """
            SELECT id, handle, name FROM people WHERE handle = ?1
            UNION SELECT id, handle, name FROM people WHERE name_key = ?2
            UNION SELECT id, handle, name FROM people WHERE ?3 LIKE '%@%' AND email = ?3 COLLATE NOCASE
            """, arguments: [ref.lowercased(), Naming.key(ref), ref])
    }

    private func personCandidates() throws -> [Row] {
        try Row.fetchAll(db, cached: "SELECT id, handle, name, name_key AS k FROM people")
    }

    /// The employer `ref` names: a handle, a name or an alias.
    func employer(_ ref: String) throws -> Match {
        if let exact = try Row.fetchOne(db, cached: "SELECT id, handle, name FROM employers WHERE handle = ?", arguments: [ref]) {
            return Match(id: exact["id"], handle: exact["handle"], name: exact["name"])
        }
        return try pick(try employerMatches(ref), ref: ref, noun: "employer", listCommand: "solidarity employer list", candidates: employerCandidates)
    }

    /// The employers whose handle, name or alias `ref` folds to.
    private func employerMatches(_ ref: String) throws -> [Row] {
        try Row.fetchAll(db, cached: """
            SELECT id, handle, name, country FROM employers WHERE handle = ?1
            UNION SELECT id, handle, name, country FROM employers WHERE name_key = ?2
            UNION SELECT e.id, e.handle, e.name, e.country FROM employer_aliases a JOIN employers e ON e.id = a.employer_id WHERE a.alias_key = ?2
            """, arguments: [ref.lowercased(), Naming.key(ref)])
    }

    private func employerCandidates() throws -> [Row] {
        try Row.fetchAll(db, cached: """
            SELECT id, handle, name, country, name_key AS k FROM employers
            UNION ALL SELECT e.id, e.handle, e.name, e.country, a.alias_key FROM employer_aliases a JOIN employers e ON e.id = a.employer_id
            """)
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

    /// Candidates one per line, handles aligned (after their kind, when `kinds` names one per row),
    /// those `withheld` marks marked as every view marks them.
    private static func list(_ rows: [Row], kinds: [String]? = nil, withheld: (Int, Row) -> Bool) -> String {
        let width = rows.map { ($0["handle"] as String).count }.max() ?? 0
        let kindWidth = kinds?.map(\.count).max() ?? 0
        return rows.enumerated().map { index, row in
            "  " + (kinds.map { $0[index].padding(toLength: kindWidth, withPad: " ", startingAt: 0) + "  " } ?? "")
                + (row["handle"] as String).padding(toLength: width, withPad: " ", startingAt: 0) + "  " + Disclosure.mark(label(row), withheld(index, row))
        }.joined(separator: "\n")
    }

    /// Whether a candidate of this noun is withheld by the rule of `Disclosure` (an organization
    /// marked sensitive or part of one, a person marked sensitive); employers and sites never are.
    private func withheld(noun: String) throws -> (Row) -> Bool {
        guard noun == "organization" || noun == "person" else { return { _ in false } }
        let rule = try Disclosure(db: db)
        return noun == "organization" ? { !rule.shows(organizationID: $0["id"]) } : { !rule.shows(person: $0["handle"]) }
    }

    private static func plural(_ noun: String) -> String {
        ["person": "people", "organization": "organizations", "employer": "employers", "site": "sites"][noun] ?? noun
    }

    private static func article(_ noun: String) -> String {
        noun == "organization" || noun == "employer" ? "an" : "a"
    }

    /// The rows with one row per record, in the order given.
    private static func unique(_ rows: [Row]) -> [Row] {
        var seen = Set<Int64>()
        return rows.filter { seen.insert($0["id"]).inserted }
    }

    private func pick(_ rows: [Row], ref: String, noun: String, listCommand: String, candidates: () throws -> [Row]) throws -> Match {
        // Answering someone who may not see sensitive records, a withheld record is neither found nor named.
        let hidden = Disclosure.withheldFromReferences ? try withheld(noun: noun) : { _ in false }
        let unique = Self.unique(rows).filter { !hidden($0) }
        // A merged record's old handle names the record it became, before any name that folds alike.
        if let kind = TimelineKind(rawValue: noun), let merged = try mergedHandle(ref, of: kind) { return merged }
        if unique.count == 1, let row = unique.first {
            return Match(id: row["id"], handle: row["handle"], name: Self.displayName(row))
        }
        if unique.count > 1 {
            let identity = noun == "site" ? "an id" : "a handle"
            let withheld = try withheld(noun: noun)
            throw SolidarityError(.ambiguous, "\"\(TextRules.printable(ref))\" could be any of these \(Self.plural(noun)); use \(identity):\n\(Self.list(unique, withheld: { withheld($1) }))")
        }
        if Naming.key(ref).isEmpty {
            throw SolidarityError.invalid("\"\(TextRules.printable(ref))\" cannot name \(Self.article(noun)) \(noun): a reference needs a letter or digit (a handle or a name, as `\(listCommand)` shows them).")
        }
        let nearest = Self.nearest(ref, among: try candidates().filter { !hidden($0) }).prefix(5)
        if nearest.isEmpty {
            throw SolidarityError(.notFound, "No \(noun) matches \"\(TextRules.printable(ref))\".", remedy: .listOrSearch(noun: noun, ref: TextRules.printable(ref)))
        }
        let withheld = try withheld(noun: noun)
        throw SolidarityError(.notFound, "No \(noun) matches \"\(TextRules.printable(ref))\". Did you mean:\n\(Self.list(nearest.map(\.row), withheld: { withheld($1) }))")
    }

    /// A record near what the user typed: how many edits away, and the name that was compared.
    private struct Suggestion {
        let distance: Int
        /// The folded name, acronym or alias the distance was measured to.
        let name: String
        let row: Row
        /// Its place in the order of `kinds` (0 for a single kind).
        var kind = 0

        /// Closest first; at equal distance by the name compared, then by kind and handle.
        static func closerFirst(_ a: Suggestion, _ b: Suggestion) -> Bool {
            (a.distance, a.name, a.kind, a.row["handle"] as String) < (b.distance, b.name, b.kind, b.row["handle"] as String)
        }
    }

    /// The candidates near `ref` (rows naming in `k` a name they answer to), one per record,
    /// closest first: by Damerau–Levenshtein distance ("fta" is one edit from "fat"), ties by the
    /// name compared. A name containing what was typed counts one edit away.
    private static func nearest(_ ref: String, among candidates: [Row]) -> [Suggestion] {
        let key = Naming.key(ref)
        var best: [Int64: Suggestion] = [:]
        let (length, farthest) = (key.count, max(2, key.count / 3))
        for row in candidates {
            guard let candidate: String = row["k"] else { continue }
            let contained = candidate.contains(key)
            // The distance is at least the difference in length: a pasted paragraph is near no name,
            // and measuring it against every name would take seconds.
            guard contained || abs(candidate.count - length) <= farthest else { continue }
            var distance = Naming.distance(key, candidate)
            if contained { distance = min(distance, 1) }
            guard distance <= farthest else { continue }
            let suggestion = Suggestion(distance: distance, name: candidate, row: row)
            let id: Int64 = row["id"]
            if let known = best[id], !Suggestion.closerFirst(suggestion, known) { continue }
            best[id] = suggestion
        }
        return best.values.sorted(by: Suggestion.closerFirst)
    }

    /// The record a merged record's old handle now names, told once per command (`MergeNotices`);
    /// nil when `ref` is no such handle.
    private func mergedHandle(_ ref: String, of kind: TimelineKind) throws -> Match? {
        let table = DuplicateFinder.table(of: kind)
        guard let row = try Row.fetchOne(db, cached: """
            SELECT t.id, t.handle, t.name FROM merged_handles m JOIN \(table) t ON t.id = m.into_id WHERE m.kind = ? AND m.handle = ?
            """, arguments: [kind.rawValue, ref.lowercased()]) else { return nil }
        let match = Match(id: row["id"], handle: row["handle"], name: row["name"])
        MergeNotices.current?.tell(old: ref.lowercased(), kind: kind, now: match)
        return match
    }

    // MARK: A reference to any of several kinds

    /// The record `ref` names among the organizations, people and employers (`kinds`), for a
    /// command that follows any of them (`timeline`). A handle typed exactly wins, as it does for
    /// each kind alone; when more than one record answers, of one kind or several, the error lists
    /// them by kind; an unknown reference suggests the nearest of every kind.
    func record(_ ref: String, among kinds: [TimelineKind]) throws -> (kind: TimelineKind, match: Match) {
        if kinds.count == 1, let kind = kinds.first { return (kind, try record(ref, of: kind)) }
        var exact: [(kind: TimelineKind, row: Row)] = []
        var found: [(kind: TimelineKind, row: Row)] = []
        // Answering someone who may not see sensitive records, a withheld record is neither found nor named.
        var hidden: [TimelineKind: (Row) -> Bool] = [:]
        for kind in kinds { hidden[kind] = Disclosure.withheldFromReferences ? try withheld(noun: kind.rawValue) : { _ in false } }
        for kind in kinds {
            let rows = Self.unique(try matches(ref, of: kind)).filter { !hidden[kind]!($0) }
            exact += rows.filter { ($0["handle"] as String) == ref }.map { (kind, $0) }
            found += rows.map { (kind, $0) }
        }
        // A handle typed exactly wins over names of other kinds too; two kinds sharing it are listed.
        if !exact.isEmpty { found = exact }
        if exact.isEmpty {
            for kind in kinds { if let merged = try mergedHandle(ref, of: kind) { return (kind, merged) } }
        }
        if found.count == 1, let (kind, row) = found.first {
            return (kind, Match(id: row["id"], handle: row["handle"], name: Self.displayName(row)))
        }
        let nouns = Self.either(kinds)
        if found.count > 1 {
            throw SolidarityError(.ambiguous, "\"\(TextRules.printable(ref))\" could be any of these; use a handle, and the kind when two kinds share it:\n\(try list(found))")
        }
        if Naming.key(ref).isEmpty {
            throw SolidarityError.invalid("\"\(TextRules.printable(ref))\" names no \(nouns): a reference needs a letter or digit (a handle or a name, as `solidarity search` shows them).")
        }
        var suggestions: [(kind: TimelineKind, suggestion: Suggestion)] = []
        for (index, kind) in kinds.enumerated() {
            suggestions += Self.nearest(ref, among: try candidates(of: kind).filter { !hidden[kind]!($0) }).map { suggestion in
                var suggestion = suggestion
                suggestion.kind = index
                return (kind, suggestion)
            }
        }
        let nearest = suggestions.sorted { Suggestion.closerFirst($0.suggestion, $1.suggestion) }.prefix(5)
        if nearest.isEmpty {
            throw SolidarityError(.notFound, "No \(nouns) matches \"\(TextRules.printable(ref))\".", remedy: .search(ref: TextRules.printable(ref)))
        }
        throw SolidarityError(.notFound, "No \(nouns) matches \"\(TextRules.printable(ref))\". Did you mean:\n\(try list(nearest.map { ($0.kind, $0.suggestion.row) }))")
    }

    /// The record of one kind `ref` names, as that kind's own lookup finds it.
    private func record(_ ref: String, of kind: TimelineKind) throws -> Match {
        switch kind {
        case .organization: try organization(ref)
        case .person: try person(ref)
        case .employer: try employer(ref)
        }
    }

    private func matches(_ ref: String, of kind: TimelineKind) throws -> [Row] {
        switch kind {
        case .organization: try organizationMatches(ref)
        case .person: try personMatches(ref)
        case .employer: try employerMatches(ref)
        }
    }

    private func candidates(of kind: TimelineKind) throws -> [Row] {
        switch kind {
        case .organization: try organizationCandidates()
        case .person: try personCandidates()
        case .employer: try employerCandidates()
        }
    }

    /// Candidates of several kinds, one per line: kind, handle, label.
    private func list(_ found: [(kind: TimelineKind, row: Row)]) throws -> String {
        var rules: [TimelineKind: (Row) -> Bool] = [:]
        for kind in Set(found.map(\.kind)) { rules[kind] = try withheld(noun: kind.rawValue) }
        return Self.list(found.map(\.row), kinds: found.map(\.kind.rawValue), withheld: { index, row in rules[found[index].kind]!(row) })
    }

    /// "organization, person or employer" and the like, for messages.
    private static func either(_ kinds: [TimelineKind]) -> String {
        let names = kinds.map(\.rawValue)
        return names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " or " + names.last!
    }
}
