import Foundation
import GRDB

/// Two records of one kind that look like the same organization, person or employer: both
/// handles and names, a score out of 100 and the reasons for it.
public struct DuplicatePair: Encodable, Equatable, Sendable {
    /// One side of a pair.
    public struct Side: Encodable, Equatable, Sendable {
        public let handle: String
        public let name: String
    }

    public let kind: TimelineKind
    public let first: Side
    public let second: Side
    /// 1 to 100: how alike the two look (a name alone 50 to 60, with the same country or parent more).
    public let score: Int
    /// Why they look alike, each in a few words ("same name", "same country").
    public let reasons: [String]
    /// Whether the pair was marked as not duplicates (listed only when asked for every pair).
    public let markedDifferent: Bool
    /// Whether either record is withheld by the rule of `Disclosure` (marked in every view).
    public internal(set) var sensitive = false

    enum CodingKeys: String, CodingKey {
        case kind, first, second, score, reasons, sensitive
        case markedDifferent = "marked_not_duplicates"
    }
}

/// Finds records that look like duplicates of each other, by the rule of issue 18.
///
/// A pair needs a name match: the same folded name ("Confédération des syndicats nationaux" and
/// "Confederation des Syndicats Nationaux"), the same acronym, an alias equal to the other's name,
/// the same name once transliterated to Latin letters; or the same email (people) or website. The
/// same country or parent only strengthens a name match: UE's locals share both, and differ by name.
/// Records are grouped by their folded keys in a dictionary, never compared pair by pair, so that
/// the cost grows with the number of records and not with its square.
struct DuplicateFinder {
    let db: Database
    let kind: TimelineKind

    /// Which of a record's names a key comes from: what a match between two says.
    enum NameField: Int, Comparable {
        case name, nativeName, acronym, alias, transliteration

        static func < (a: NameField, b: NameField) -> Bool { a.rawValue < b.rawValue }
    }

    /// A record as the finder compares it.
    struct Likeness {
        let id: Int64
        let handle: String
        let name: String
        var names: [(key: String, field: NameField)] = []
        var country: String?
        var parent: Int64?
        /// A folded email or website: the same one is a match on its own.
        var contacts: [(key: String, label: String)] = []

        /// Adds a name by its folded key as stored beside it (`name_key`, `alias_key`), and its
        /// transliteration when it is written in another script.
        mutating func addName(_ text: String?, key: String?, _ field: NameField) {
            guard let text, let key, !key.isEmpty else { return }
            if !names.contains(where: { $0.key == key }) { names.append((key, field)) }
            // Another script: the same name in Latin letters (Cyrillic, Greek, Hangul; Han becomes
            // pinyin, so Japanese and Chinese names match through their aliases instead).
            if text.unicodeScalars.contains(where: DuplicateFinder.isOtherScript), let latin = text.applyingTransform(.toLatin, reverse: false) {
                let latinKey = Naming.key(latin)
                if !latinKey.isEmpty, !names.contains(where: { $0.key == latinKey }) { names.append((latinKey, .transliteration)) }
            }
        }
    }

    /// The table of a kind's records.
    static func table(of kind: TimelineKind) -> String {
        switch kind {
        case .organization: "organizations"
        case .person: "people"
        case .employer: "employers"
        }
    }

    /// A letter of a script other than Latin (Greek onward; Latin Extended Additional excepted):
    /// accented Latin names fold alike without transliterating, which is slow.
    fileprivate static func isOtherScript(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x370 && !(0x1E00...0x1EFF).contains(scalar.value) && scalar.properties.isAlphabetic
    }

    // MARK: Loading

    /// Every record of the kind, as the finder compares them, keyed by row id.
    func likenesses(from firstID: Int64 = 0) throws -> [Int64: Likeness] {
        var all: [Int64: Likeness] = [:]
        switch kind {
        case .organization:
            try each("""
                SELECT id, handle, name, name_key, acronym, acronym_key, native_name, native_name_key, country, parent_id, website
                FROM organizations WHERE id >= ?
                """, from: firstID) { row in
                var l = Likeness(id: row[0], handle: row[1], name: row[2], country: row[8], parent: row[9])
                l.addName(row[2], key: row[3], .name)
                l.addName(row[6], key: row[7], .nativeName)
                l.addName(row[4], key: row[5], .acronym)
                if let website: String = row[10], let key = Self.websiteKey(website) { l.contacts.append((key, "same website")) }
                all[l.id] = l
            }
            try each("SELECT organization_id, alias, alias_key FROM organization_aliases WHERE organization_id >= ?", from: firstID) { row in
                all[row[0]]?.addName(row[1], key: row[2], .alias)
            }
        case .person:
            try each("SELECT id, handle, name, name_key, email FROM people WHERE id >= ?", from: firstID) { row in
                var l = Likeness(id: row[0], handle: row[1], name: row[2])
                l.addName(row[2], key: row[3], .name)
                if let email: String = row[4] { l.contacts.append((email.lowercased(), "same email")) }
                all[l.id] = l
            }
        case .employer:
            try each("SELECT id, handle, name, name_key, country, parent_id, website FROM employers WHERE id >= ?", from: firstID) { row in
                var l = Likeness(id: row[0], handle: row[1], name: row[2], country: row[4], parent: row[5])
                l.addName(row[2], key: row[3], .name)
                if let website: String = row[6], let key = Self.websiteKey(website) { l.contacts.append((key, "same website")) }
                all[l.id] = l
            }
            try each("SELECT employer_id, alias, alias_key FROM employer_aliases WHERE employer_id >= ?", from: firstID) { row in
                all[row[0]]?.addName(row[1], key: row[2], .alias)
            }
        }
        return all
    }

    /// Hands `body` each row of `sql` (whose one argument is `firstID`) as the cursor reads it.
    private func each(_ sql: String, from firstID: Int64, _ body: (Row) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: sql, arguments: [firstID])
        while let row = try rows.next() { try body(row) }
    }

    /// "https://www.UE.org/" and "ue.org" are the same website.
    static func websiteKey(_ website: String) -> String? {
        var text = website.lowercased().trimmingCharacters(in: .whitespaces)
        for prefix in ["https://", "http://"] where text.hasPrefix(prefix) { text.removeFirst(prefix.count) }
        if text.hasPrefix("www.") { text.removeFirst(4) }
        while text.hasSuffix("/") { text.removeLast() }
        return text.isEmpty ? nil : text
    }

    // MARK: Matching

    /// What two records share, gathered key by key before it is scored.
    private struct Evidence {
        var names: [(NameField, NameField)] = []
        var contacts: [String] = []
    }

    private struct PairID: Hashable {
        let low: Int64, high: Int64
        init(_ a: Int64, _ b: Int64) { (low, high) = a < b ? (a, b) : (b, a) }
    }

    /// The candidate pairs among `records`, best first; with `newFrom`, only pairs of a record
    /// with id at or above it (an import's) and one below (already there). Pairs marked as not
    /// duplicates are left out unless `includeMarked`.
    func pairs(among records: [Int64: Likeness], newFrom: Int64? = nil, includeMarked: Bool = false) throws -> [DuplicatePair] {
        var byName: [String: [(id: Int64, field: NameField)]] = [:]
        var byContact: [String: [(id: Int64, label: String)]] = [:]
        byName.reserveCapacity(records.count * 3)
        for record in records.values {
            for (key, field) in record.names { byName[key, default: []].append((record.id, field)) }
            for (key, label) in record.contacts { byContact[key, default: []].append((record.id, label)) }
        }
        var evidence: [PairID: Evidence] = [:]
        func wanted(_ a: Int64, _ b: Int64) -> Bool {
            guard a != b else { return false }
            guard let newFrom else { return true }
            return (a >= newFrom) != (b >= newFrom)
        }
        for group in byName.values where group.count > 1 {
            for i in group.indices {
                for j in group.indices where j > i && wanted(group[i].id, group[j].id) {
                    let (a, b) = (group[i], group[j])
                    let pair = PairID(a.id, b.id)
                    evidence[pair, default: Evidence()].names.append(a.id == pair.low ? (a.field, b.field) : (b.field, a.field))
                }
            }
        }
        for group in byContact.values where group.count > 1 {
            for i in group.indices {
                for j in group.indices where j > i && wanted(group[i].id, group[j].id) {
                    evidence[PairID(group[i].id, group[j].id), default: Evidence()].contacts.append(group[i].label)
                }
            }
        }
        let marked = try markedPairs()
        var found: [DuplicatePair] = []
        for (pair, seen) in evidence {
            guard let a = records[pair.low], let b = records[pair.high] else { continue }
            let isMarked = marked.contains(pair)
            if isMarked, !includeMarked { continue }
            guard let (score, reasons) = Self.score(a, b, seen) else { continue }
            // The record recorded first second: "merge the newer one into the one you had".
            let (first, second) = (b, a)
            found.append(DuplicatePair(kind: kind, first: .init(handle: first.handle, name: first.name),
                                       second: .init(handle: second.handle, name: second.name), score: score, reasons: reasons,
                                       markedDifferent: isMarked))
        }
        return found.sorted { ($0.score, $1.first.handle, $1.second.handle) > ($1.score, $0.first.handle, $0.second.handle) }
    }

    /// The score of a pair and its reasons; nil when what they share is not enough.
    private static func score(_ a: Likeness, _ b: Likeness, _ seen: Evidence) -> (Int, [String])? {
        // One is part of the other (a council of its confederation): structure, not a duplicate.
        if a.parent == b.id || b.parent == a.id { return nil }
        var best = 0
        var weighed: [(weight: Int, reason: String)] = []
        var strongName = false
        // Two transliterations alike say something only when the names themselves do not match.
        let direct = seen.names.contains { $0.0 != .transliteration && $0.1 != .transliteration }
        for (fieldA, fieldB) in seen.names where !(direct && fieldA == .transliteration && fieldB == .transliteration) {
            let (weight, reason, strong) = nameWeight(fieldA, fieldB)
            if weight > best { best = weight }
            strongName = strongName || strong
            if !weighed.contains(where: { $0.reason == reason }) { weighed.append((weight, reason)) }
        }
        // Strongest first, whatever order the keys were met in.
        var reasons = weighed.sorted { ($1.weight, $0.reason) < ($0.weight, $1.reason) }.map(\.reason)
        let named = best > 0
        let differentCountry = a.country != nil && b.country != nil && a.country != b.country
        let differentParent = a.parent != nil && b.parent != nil && a.parent != b.parent
        // A shared acronym or alias alone, across countries or parents, is a coincidence (CUT of
        // Brazil and CUT of Chile).
        if named, !strongName, seen.contacts.isEmpty, differentCountry || differentParent { return nil }
        var score = best
        if !seen.contacts.isEmpty {
            score = max(score, 50) + (named ? 20 : 0)
            for contact in Set(seen.contacts).sorted() { reasons.append(contact) }
        }
        if named {
            if let country = a.country, country == b.country {
                score += 20
                reasons.append("same country")
            }
            if let parent = a.parent, parent == b.parent {
                score += 20
                reasons.append("same parent")
            }
        }
        if differentCountry {
            score -= 30
            reasons.append("different countries")
        }
        if differentParent {
            score -= 20
            reasons.append("different parents")
        }
        guard score > 0 else { return nil }
        return (min(score, 100), reasons)
    }

    /// How much a shared key says, what to call it, and whether it stands across countries.
    private static func nameWeight(_ a: NameField, _ b: NameField) -> (Int, String, Bool) {
        switch (min(a, b), max(a, b)) {
        case (.name, .name), (.name, .nativeName), (.nativeName, .nativeName): (60, "same name", true)
        case (.name, .alias), (.nativeName, .alias): (50, "an alias is the other's name", true)
        case (_, .transliteration): (50, "same name in another script", true)
        case (.acronym, .acronym): (40, "same acronym", false)
        case (.name, .acronym), (.nativeName, .acronym): (40, "an acronym is the other's name", false)
        default: (30, "same alias", false)
        }
    }

    // MARK: Marked pairs

    /// The pairs marked as not duplicates, by row id.
    private func markedPairs() throws -> Set<PairID> {
        var pairs = Set<PairID>()
        for row in try Row.fetchAll(db, sql: "SELECT first_id, second_id FROM not_duplicates WHERE kind = ?", arguments: [kind.rawValue]) {
            pairs.insert(PairID(row[0], row[1]))
        }
        return pairs
    }

    /// Marks the records `a` and `b` name as clearly not duplicates; returns their handles.
    func markDifferent(_ a: String, _ b: String) throws -> (String, String) {
        let references = References(db: db)
        let first = try references.record(a, among: [kind]).match
        let second = try references.record(b, among: [kind]).match
        guard first.id != second.id else {
            throw SolidarityError(.conflict, "\"\(TextRules.printable(a))\" and \"\(TextRules.printable(b))\" are the same \(kind.rawValue) (\(first.handle)).")
        }
        let pair = PairID(first.id, second.id)
        try db.execute(sql: """
            INSERT INTO not_duplicates (kind, first_id, second_id, marked_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (kind, first_id, second_id) DO NOTHING
            """, arguments: [kind.rawValue, pair.low, pair.high, Store.timestamp()])
        return (first.handle, second.handle)
    }
}

extension DuplicatePair {
    /// The pair marked sensitive when the rule withholds either record.
    func disclosed(by rule: Disclosure) -> DuplicatePair {
        var pair = self
        switch kind {
        case .organization: pair.sensitive = !rule.shows(organization: first.handle) || !rule.shows(organization: second.handle)
        case .person: pair.sensitive = !rule.shows(person: first.handle) || !rule.shows(person: second.handle)
        case .employer: break
        }
        return pair
    }
}

/// The records an import adds that look like records already there: the kinds' row ids before the
/// import, then the pairs of one new and one old record.
struct ImportLookalikes {
    /// The first row id an import's record of each kind will have; nil when there was none before
    /// (nothing to look like: a bulk load into an empty database costs nothing).
    private let firstNew: [TimelineKind: Int64]

    init(before db: Database) throws {
        var firstNew: [TimelineKind: Int64] = [:]
        for kind in TimelineKind.allCases {
            if let last = try Int64.fetchOne(db, sql: "SELECT max(id) FROM \(DuplicateFinder.table(of: kind))") { firstNew[kind] = last + 1 }
        }
        self.firstNew = firstNew
    }

    /// The pairs of a record added since `init` and one there before, best first.
    func pairs(in db: Database) throws -> [DuplicatePair] {
        var pairs: [DuplicatePair] = []
        for kind in TimelineKind.allCases {
            guard let first = firstNew[kind],
                  try db.exists(cached: "SELECT 1 FROM \(DuplicateFinder.table(of: kind)) WHERE id >= ?", arguments: [first])
            else { continue }
            let finder = DuplicateFinder(db: db, kind: kind)
            pairs += try finder.pairs(among: try finder.likenesses(), newFrom: first)
        }
        let rule = try Disclosure(db: db)
        return pairs.map { $0.disclosed(by: rule) }.sorted { $0.score > $1.score }
    }
}

extension Store {
    /// The records of one kind that look like duplicates, best first (pairs marked as not
    /// duplicates too when `includeMarked`).
    public func duplicates(of kind: TimelineKind, includeMarked: Bool = false) throws -> [DuplicatePair] {
        try read { db in
            let finder = DuplicateFinder(db: db, kind: kind)
            let rule = try Disclosure(db: db)
            return try finder.pairs(among: try finder.likenesses(), includeMarked: includeMarked).map { $0.disclosed(by: rule) }
        }
    }

    /// Marks two records of one kind as clearly different, so that `duplicates` no longer proposes them.
    @discardableResult
    public func markNotDuplicates(_ kind: TimelineKind, _ a: String, _ b: String) throws -> (String, String) {
        try write { try DuplicateFinder(db: $0, kind: kind).markDifferent(a, b) }
    }
}

/// A kind of record, as a listing of duplicates or a merge plan names it.
extension TimelineKind: Encodable {}
