import Foundation
import GRDB

extension PartialDate {
    /// The next interval of the same precision: "2021" → "2022", "2025-07" → "2025-08", "2025-12-31" → "2026-01-01".
    public var next: PartialDate {
        switch precision {
        case .year: return try! PartialDate(String(format: "%04d", year + 1))
        case .month: return try! PartialDate(month == 12 ? String(format: "%04d-01", year + 1) : String(format: "%04d-%02d", year, month! + 1))
        case .day:
            let last = PartialDate.daysIn(month: month!, year: year)
            if day! < last { return try! PartialDate(String(format: "%04d-%02d-%02d", year, month!, day! + 1)) }
            return month == 12 ? try! PartialDate(String(format: "%04d-01-01", year + 1)) : try! PartialDate(String(format: "%04d-%02d-01", year, month! + 1))
        }
    }

    /// The previous interval of the same precision: "2025-08" → "2025-07".
    public var previous: PartialDate {
        switch precision {
        case .year: return try! PartialDate(String(format: "%04d", year - 1))
        case .month: return try! PartialDate(month == 1 ? String(format: "%04d-12", year - 1) : String(format: "%04d-%02d", year, month! - 1))
        case .day:
            if day! > 1 { return try! PartialDate(String(format: "%04d-%02d-%02d", year, month!, day! - 1)) }
            let (y, m) = month == 1 ? (year - 1, 12) : (year, month! - 1)
            return try! PartialDate(String(format: "%04d-%02d-%02d", y, m, PartialDate.daysIn(month: m, year: y)))
        }
    }
}

/// The appendix to a convention resolution, compiled from the log: A. the organizations the
/// resolution names; B. the activities of the period; C. the employer chains concerned; D. sources.
public struct Appendix: Sendable {
    /// An organization the resolution names, as part A lists it.
    public struct NamedOrganization: Sendable {
        public let organization: Organization
        public let relationship: Relationship?
        /// Whether it is part of the home organization's own structure.
        public let ours: Bool
        /// Our last contact with it up to the period's end (the rule of `LastContact`); nil without a home organization.
        public let lastContact: LastContact?
        public let activities: [Activity]
        public let notes: [Int]
    }

    /// An activity as part B lists it, with the names of who took part.
    public struct Entry: Sendable {
        public let activity: Activity
        public let hosts: [String]
        /// Who sent the delegation we hosted.
        public let senders: [String]
        /// The other organizations that took part (never the home organization, whose appendix it is).
        public let organizations: [String]
        /// The people who took part, under the word that fits the activity ("delegates", "participants", "speakers").
        public let people: [People]
        public let notes: [Int]
        /// The sites it concerns, each with where it is ("Example Wabtec plant, Contagem, Brazil").
        public var sites: [String] = []
    }

    /// People of an activity under one word: "delegates: Carl Rosen".
    public struct People: Sendable, Equatable {
        public let word: String
        public let names: [String]
    }

    /// The period an appendix covers, and the conventions it rests on when it was not given.
    public struct Period: Sendable {
        public let since: PartialDate
        public let until: PartialDate
        /// The previous convention of the same organization, when the period starts just after it (no `since` given).
        public let after: Convention?
        /// The appendix's own convention, when the period ends with its end (no `until` given).
        public let through: Convention?

        /// The span from `since` to `until`, as every period is reckoned.
        public var span: SolidarityCore.Period { .init(since: since, until: until) }
    }

    public let resolution: Resolution
    public let convention: Convention
    public let home: Organization?
    public let period: Period
    public var since: PartialDate { period.since }
    public var until: PartialDate { period.until }
    public let includesSensitive: Bool
    public let organizations: [NamedOrganization]
    /// Done (and cancelled) activities of the period: delegations first, then the other kinds, each by date.
    public let activities: [Entry]
    /// Planned activities that end after the period starts, those after its end included (the plans
    /// known when the appendix is compiled): delegations first, each by date.
    public let planned: [Entry]
    /// Undated activities of any status, which no period can place: listed apart, never dropped.
    public let undated: [Entry]
    public let chains: [AlliesReport]
    /// The sources the entries cite, numbered from 1 in order of first citation.
    public let sources: [Source]
    /// Notes citing the resolution itself.
    public let resolutionNotes: [Int]
    /// Withheld records left out (organizations, activities, people named in activities, unions of the chains).
    public let leftOut: Int

    /// With no home organization, what the appendix cannot show and how to set one; nil otherwise.
    public var note: String? { Self.note(home: home) }

    static func note(home: Organization?) -> String? {
        home == nil ? MissingHome.note("part A gives no relationship and no last contact, and part C marks no union ours, ally or prospect") : nil
    }

    /// The part of part B an activity is listed in.
    enum Group: CaseIterable {
        /// Done and cancelled delegations.
        case delegations
        /// Done and cancelled exchanges, meetings, conferences, webinars and calls.
        case others
        /// Planned activities of every kind, delegations first, those after the period included.
        case planned
        /// Undated activities of every kind and status.
        case undated
    }

    /// What the appendix says before its parts.
    struct Head {
        let resolution: Resolution
        let convention: Convention
        let home: Organization?
        let period: Period
        let includesSensitive: Bool
        let resolutionNotes: [Int]
    }
}

/// What the appendix is made of, handed over in the order it is written: the head, part A, part B
/// group by group and entry by entry, part C chain by chain, and the sources of part D, numbered
/// in order of first citation. A writer renders it as it comes; a collector keeps it (`Appendix`).
protocol AppendixSink {
    mutating func head(_ head: Appendix.Head) throws
    mutating func organizations(_ named: [Appendix.NamedOrganization]) throws
    mutating func begin(_ group: Appendix.Group) throws
    mutating func entry(_ entry: Appendix.Entry) throws
    mutating func end(_ group: Appendix.Group) throws
    mutating func beginChains() throws
    mutating func chain(_ chain: AlliesReport) throws
    mutating func end(sources: [Source]) throws
}

/// An appendix's output format.
public enum AppendixFormat: Sendable {
    /// CommonMark with GitHub tables.
    case markdown
    /// One standalone printable page.
    case html
}

/// What writing an appendix found besides its text.
public struct AppendixSummary: Sendable {
    /// Sensitive records left out (organizations, activities, people named in activities, unions of the chains).
    public let leftOut: Int
    /// With no home organization, what the appendix cannot show and how to set one; nil otherwise.
    public let note: String?
    /// The period the appendix covers and what it rests on.
    public let period: Appendix.Period
    /// Undated activities listed apart from the period.
    public let undated: Int
}

extension Store {
    /// Compiles the appendix of a resolution (or of the one resolution of a convention) for a
    /// period (by default from just after the organization's previous convention to the end of
    /// this one), in memory.
    public func appendix(for ref: String, since: PartialDate? = nil, until: PartialDate? = nil, includeSensitive: Bool = false) throws -> Appendix {
        var collector = AppendixCollector()
        let compiled = try compileAppendix(for: ref, since: since, until: until, includeSensitive: includeSensitive, into: &collector)
        return collector.appendix(leftOut: compiled.leftOut)
    }

    /// Writes the appendix of a resolution as it is compiled, a page of activities at a time, to
    /// `output` (so memory stays bounded however busy the period). `note` hears, before anything
    /// is written, what the appendix cannot show without a home organization.
    public func appendix(for ref: String, since: PartialDate? = nil, until: PartialDate? = nil, includeSensitive: Bool = false,
                         format: AppendixFormat, note: (String) -> Void = { _ in }, to output: (Data) throws -> Void) throws -> AppendixSummary {
        try withoutActuallyEscaping(note) { note in try withoutActuallyEscaping(output) { output in
            var sink = AppendixTextSink(format: format, note: note, output: output)
            let compiled = try compileAppendix(for: ref, since: since, until: until, includeSensitive: includeSensitive, into: &sink)
            try sink.flush()
            return AppendixSummary(leftOut: compiled.leftOut, note: sink.note, period: compiled.period, undated: compiled.undated)
        } }
    }

    private func compileAppendix(for ref: String, since: PartialDate?, until: PartialDate?, includeSensitive: Bool,
                                 into sink: inout some AppendixSink) throws -> (leftOut: Int, period: Appendix.Period, undated: Int) {
        try read { db in
            let (_, resolution) = try Resolutions(db: db).match(ref)
            let conventions = Conventions(db: db)
            let (conventionID, convention) = try conventions.match(resolution.convention)
            let period = try conventions.appendixPeriod(of: conventionID, convention, since: since, until: until)
            let built = try AppendixBuilder(db: db, includeSensitive: includeSensitive, period: period)
                .build(resolution: resolution, convention: convention, into: &sink)
            return (built.leftOut, period, built.undated)
        }
    }
}

extension Conventions {
    /// The period of an appendix to one of this convention's resolutions: from `since`, else just
    /// after the organization's previous convention (the day, month or year after its end, at the
    /// precision known); to `until`, else the end of this convention itself (its last day, or the
    /// end of its month or year when that is all that is known).
    func appendixPeriod(of id: Int64, _ convention: Convention, since: PartialDate?, until: PartialDate?) throws -> Appendix.Period {
        var after: Convention?
        var through: Convention?
        var since = since
        var until = until
        if since == nil {
            guard let previous = try previous(id), let end = previous.end ?? previous.start else {
                let undated = convention.start == nil ? " (which has no date itself)" : ""
                throw SolidarityError(.notFound, "The period's start is unknown: no convention of \(convention.organization) with a date is recorded before \(convention.name)\(undated).",
                                      remedy: .periodStartOrEarlierConvention(organization: convention.organization))
            }
            after = previous
            since = end.next
        }
        if until == nil {
            guard let end = convention.end ?? convention.start else {
                throw SolidarityError(.notFound, "\(convention.name) has no date, so the period's end is unknown.", remedy: .giveWith(.until, "the last month of the period"))
            }
            through = convention
            until = end
        }
        if SolidarityCore.Period(since: since, until: until).endsBeforeStart, let since, let until {
            throw SolidarityError.invalid("The period would end (\(until)) before it starts (\(since)).", remedy: .earlierStartOrLaterEnd)
        }
        return Appendix.Period(since: since!, until: until!, after: after, through: through)
    }
}

/// Keeps what the builder hands over, as an `Appendix`.
private struct AppendixCollector: AppendixSink {
    var head: Appendix.Head?
    var organizations: [Appendix.NamedOrganization] = []
    var activities: [Appendix.Entry] = []
    var planned: [Appendix.Entry] = []
    var undated: [Appendix.Entry] = []
    var group = Appendix.Group.delegations
    var chains: [AlliesReport] = []
    var sources: [Source] = []

    mutating func head(_ head: Appendix.Head) { self.head = head }
    mutating func organizations(_ named: [Appendix.NamedOrganization]) { organizations = named }
    mutating func begin(_ group: Appendix.Group) { self.group = group }
    mutating func entry(_ entry: Appendix.Entry) {
        switch group {
        case .delegations, .others: activities.append(entry)
        case .planned: planned.append(entry)
        case .undated: undated.append(entry)
        }
    }
    mutating func end(_ group: Appendix.Group) {}
    mutating func beginChains() {}
    mutating func chain(_ chain: AlliesReport) { chains.append(chain) }
    mutating func end(sources: [Source]) { self.sources = sources }

    func appendix(leftOut: Int) -> Appendix {
        let head = head!
        return Appendix(resolution: head.resolution, convention: head.convention, home: head.home, period: head.period,
                        includesSensitive: head.includesSensitive, organizations: organizations, activities: activities, planned: planned,
                        undated: undated, chains: chains, sources: sources, resolutionNotes: head.resolutionNotes, leftOut: leftOut)
    }
}

/// Gathers the appendix's records part by part, in the order they are written, and numbers its
/// sources as they are first cited. It reads the period's activities a page at a time, with the
/// names of only the organizations and people they name, and the sources only as they are cited.
/// What it leaves out is what the rule of `Disclosure` withholds.
private struct AppendixBuilder {
    let db: Database
    let includeSensitive: Bool
    let period: Appendix.Period
    var since: PartialDate { period.since }
    var until: PartialDate { period.until }
    let rule: Disclosure

    init(db: Database, includeSensitive: Bool, period: Appendix.Period) throws {
        self.db = db
        self.includeSensitive = includeSensitive
        self.period = period
        rule = try Disclosure(db: db, includeSensitive: includeSensitive)
    }

    static let pageSize = 500

    /// The period's activities (overlapping it; undated ones overlap none), without sensitive ones unless included.
    /// The activities overlapping the period, searched by the day they end (`+first_day`: see
    /// migration 0008); `inPeriod` those of them the appendix may show.
    var overlap: SQL { "+first_day <= \(period.span.lastDay) AND last_day >= \(period.span.firstDay)" }
    /// The planned activities that end after the period starts, those after its end included
    /// (the plans known when the appendix is compiled), searched by the day they end too.
    var plans: SQL { "status = 'planned' AND last_day >= \(period.span.firstDay)" }
    /// Activities with no date, which no period can place.
    static let undated: SQL = "first_day IS NULL"
    /// The activities the appendix may show: sensitive ones only when included.
    var shown: SQL { "(\(includeSensitive) OR sensitive = 0)" }
    var inPeriod: SQL { "\(overlap) AND \(shown)" }
    /// `Activities.chronological` without its ORDER BY, to follow another key.
    static let chronology = SQL(sql: Activities.chronological.replacingOccurrences(of: "ORDER BY ", with: ""))

    func build(resolution: Resolution, convention: Convention, into sink: inout some AppendixSink) throws -> (leftOut: Int, undated: Int) {
        let homeID = try Int64.fetchOne(db, sql: "SELECT organization_id FROM home")
        let home = try homeID.map { try Organizations(db: db).fetch(ids: [$0])[0] }
        var leftOut = 0
        if !includeSensitive {
            // Those of the period, the plans after its end, and the undated ones, each counted once.
            for filter: SQL in [overlap, "\(plans) AND +first_day > \(period.span.lastDay)", Self.undated] {
                leftOut += try Int.fetchOne(db, SQLRequest(literal: "SELECT count(*) FROM activities WHERE \(filter) AND sensitive = 1")) ?? 0
            }
        }

        // Sources are read as they are cited, one at a time: only those the appendix numbers.
        var sources: [Source] = []
        var numbers: [String: Int] = [:]
        func cite(_ ids: [String]) throws -> [Int] {
            var seen = Set<String>()
            return try ids.filter { seen.insert($0).inserted }.compactMap { id -> Int? in
                if let number = numbers[id] { return number }
                guard let row = try Row.fetchOne(db, cached: "SELECT * FROM sources WHERE uid = ?", arguments: [id]) else { return nil }
                sources.append(try Source(row: row))
                numbers[id] = sources.count
                return sources.count
            }.sorted()
        }
        try sink.head(Appendix.Head(resolution: resolution, convention: convention, home: home, period: period,
                                    includesSensitive: includeSensitive, resolutionNotes: try cite(resolution.sources)))

        // A. The organizations named, in the order the clauses first name them.
        var named: [Appendix.NamedOrganization] = []
        let contacts = try homeID.map { home in
            try LastContacts(db: db, home: home, horizon: until, rule: rule, countsWithheld: includeSensitive)
                .of(resolution.namedOrganizations.map { try References(db: db).organization($0).id })
        } ?? [:]
        for handle in resolution.namedOrganizations {
            let organization = try Organizations(db: db).find(handle)
            if !rule.shows(organization) { leftOut += 1; continue }
            let id = try References(db: db).organization(handle).id
            var relationship: Relationship?
            var ours = false
            if let home, let homeID {
                ours = try Int64.fetchAll(db, sql: """
                    WITH RECURSIVE up(id) AS (SELECT ? UNION SELECT o.parent_id FROM organizations o JOIN up ON o.id = up.id WHERE o.parent_id IS NOT NULL) SELECT id FROM up
                    """, arguments: [id]).contains(homeID)
                // The relationships between home and this one only, in the order the home's listing gives them.
                relationship = try Relationships(db: db).fetch(where: "(r.from_id = \(homeID) AND r.to_id = \(id)) OR (r.from_id = \(id) AND r.to_id = \(homeID))")
                    .map { $0.oriented(from: home.handle) }
                    .filter { ($0.from == home.handle && $0.to == handle) || ($0.to == home.handle && $0.from == handle) }
                    .sorted { Self.rank($0.status) < Self.rank($1.status) }.first
            }
            // The period's activities it took part in, delegations first, each by date.
            let withIt = try Activities(db: db).fetch(ids: Int64.fetchAll(db, SQLRequest(literal: """
                SELECT id FROM activities WHERE id IN (SELECT activity_id FROM activity_organizations WHERE organization_id = \(id)) AND \(inPeriod)
                ORDER BY kind <> 'delegation', \(Self.chronology)
                """)))
            named.append(Appendix.NamedOrganization(organization: organization, relationship: relationship, ours: ours, lastContact: contacts[id],
                                                    activities: withIt, notes: try cite(organization.sources + (relationship?.sources ?? []))))
        }
        try sink.organizations(named)

        // B. The period's activities: done and cancelled delegations, the other kinds, the planned
        // ones (those after the period included), then the undated ones.
        var undated = 0
        for group in Appendix.Group.allCases {
            let request: SQL = switch group {
            case .delegations: "\(inPeriod) AND kind = 'delegation' AND status <> 'planned' ORDER BY \(Self.chronology)"
            case .others: "\(inPeriod) AND kind <> 'delegation' AND status <> 'planned' ORDER BY \(Self.chronology)"
            case .planned: "\(plans) AND \(shown) ORDER BY kind <> 'delegation', \(Self.chronology)"
            case .undated: "\(Self.undated) AND \(shown) ORDER BY kind <> 'delegation', \(Self.chronology)"
            }
            try sink.begin(group)
            let ids = try Int64.fetchCursor(db, SQLRequest(literal: "SELECT id FROM activities WHERE \(request)"))
            var page: [Int64] = []
            func flush(_ sink: inout some AppendixSink) throws {
                for entry in try entries(Activities(db: db).fetch(ids: page), home: home?.handle, cite: cite) { try sink.entry(entry) }
                page.removeAll(keepingCapacity: true)
            }
            while let id = try ids.next() {
                page.append(id)
                if group == .undated { undated += 1 }
                if page.count == Self.pageSize { try flush(&sink) }
            }
            if !page.isEmpty { try flush(&sink) }
            try sink.end(group)
        }

        // C. The employer chains the resolution or the period's activities concern: the resolution's,
        // then each activity's (by handle) in the order delegations first, each by date.
        var employers = resolution.employers
        var seen = Set(employers)
        // (Unqualified columns are the activity's: activity_employers and employers have none of these names.)
        let concerned = try String.fetchCursor(db, SQLRequest(literal: """
            SELECT e.handle FROM activities JOIN activity_employers ae ON ae.activity_id = activities.id JOIN employers e ON e.id = ae.employer_id
            WHERE \(inPeriod) ORDER BY kind <> 'delegation', \(Self.chronology), e.handle
            """))
        while let handle = try concerned.next() {
            if seen.insert(handle).inserted { employers.append(handle) }
        }
        try sink.beginChains()
        let allies = try AlliesQuery(db: db, asOf: until, today: until)
        for employer in employers {
            let chain = try allies.report(employer: employer, country: nil)
            leftOut += chain.countries.flatMap(\.sites).flatMap(\.unions).filter { !rule.shows(organization: $0.organization) }.count
            try sink.chain(rule.shown(chain))
        }

        // D. The sources, numbered in order of first citation.
        try sink.end(sources: sources)
        return (leftOut, undated)
    }

    /// Part B's entries for a page of activities, with the names of those they name.
    func entries(_ activities: [Activity], home: String?, cite: ([String]) throws -> [Int]) throws -> [Appendix.Entry] {
        var names: [String: String] = [:]
        for row in try Row.fetchAll(db, cached: """
            SELECT handle, coalesce(acronym, name) AS short FROM organizations WHERE handle IN (SELECT value FROM json_each(?))
            """, arguments: [JSONList.of(activities.flatMap { $0.organizations.map(\.organization) })]) {
            names[row["handle"]] = row["short"]
        }
        var personNames: [String: String] = [:]
        for row in try Row.fetchAll(db, cached: "SELECT handle, name FROM people WHERE handle IN (SELECT value FROM json_each(?))",
                                    arguments: [JSONList.of(activities.flatMap { $0.people.map(\.person) })]) {
            personNames[row["handle"]] = row["name"]
        }
        let sites = try Sites(db: db).named(activities.flatMap(\.sites))
        return try activities.map { a in
            let visible = a.organizations.filter { rule.shows(organization: $0.organization) }
            let people = a.people.filter { rule.shows(person: $0.person) }
            return Appendix.Entry(
                activity: a, hosts: visible.filter { $0.role == .host }.map { names[$0.organization] ?? $0.organization },
                senders: a.hosted ? visible.filter { $0.role == .sender }.map { names[$0.organization] ?? $0.organization } : [],
                organizations: visible.filter { $0.role != .host && $0.role != .sender && $0.organization != home }.map { names[$0.organization] ?? $0.organization },
                people: Appendix.people(of: a.kind, people) { personNames[$0] ?? $0 }, notes: try cite(a.sources),
                sites: a.sites.compactMap { sites[$0]?.location })
        }
    }

    static func rank(_ status: Relationship.Status) -> Int {
        switch status {
        case .close: 0
        case .active: 1
        case .dormant: 2
        case .ended: 3
        }
    }
}
