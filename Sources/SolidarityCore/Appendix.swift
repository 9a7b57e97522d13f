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
        public let lastContact: Activity?
        public let activities: [Activity]
        public let notes: [Int]
    }

    /// An activity as part B lists it, with the names of who took part.
    public struct Entry: Sendable {
        public let activity: Activity
        public let hosts: [String]
        /// Who sent the delegation we hosted.
        public let senders: [String]
        public let organizations: [String]
        public let delegates: [String]
        public let notes: [Int]
    }

    public let resolution: Resolution
    public let convention: Convention
    public let home: Organization?
    public let since: PartialDate
    public let until: PartialDate
    public let includesSensitive: Bool
    public let organizations: [NamedOrganization]
    /// Done (and cancelled) activities of the period: delegations first, then the other kinds, each by date.
    public let activities: [Entry]
    /// Planned activities of the period.
    public let planned: [Entry]
    public let chains: [AlliesReport]
    /// The sources the entries cite, numbered from 1 in order of first citation.
    public let sources: [Source]
    /// Notes citing the resolution itself.
    public let resolutionNotes: [Int]
    /// Sensitive records left out (organizations, activities, people named in activities).
    public let leftOut: Int

    /// With no home organization, what the appendix cannot show and how to set one; nil otherwise.
    public var note: String? {
        home == nil ? MissingHome.note("part A gives no relationship and part C marks no union ours, ally or prospect") : nil
    }
}

extension Store {
    /// Compiles the appendix of a resolution for a period (by default from the end of the
    /// organization's previous convention to the start of this one).
    public func appendix(for ref: String, since: PartialDate? = nil, until: PartialDate? = nil, includeSensitive: Bool = false) throws -> Appendix {
        try read { db in
            let (_, resolution) = try Resolutions(db: db).match(ref)
            let conventions = Conventions(db: db)
            let (conventionID, convention) = try conventions.match(resolution.convention)
            var since = since
            var until = until
            if since == nil {
                guard let previous = try conventions.previous(conventionID), let end = previous.end ?? previous.start else {
                    throw SolidarityError(.notFound, "The period's start is unknown: no convention of \(convention.organization) with a date is recorded before \(convention.name)\(convention.start == nil ? " (which has no date itself)" : ""). Give --since with the first month of the period, for example --since YYYY-MM.")
                }
                since = end.next
            }
            if until == nil {
                guard let start = convention.start else {
                    throw SolidarityError(.notFound, "\(convention.name) has no start date, so the period's end is unknown: give --until with the last month of the period.")
                }
                until = start.previous
            }
            if let since, let until, until.isWhollyBefore(since) {
                throw SolidarityError.invalid("The period would end (\(until)) before it starts (\(since)): give an earlier --since or a later --until.")
            }
            return try AppendixBuilder(db: db, includeSensitive: includeSensitive)
                .build(resolution: resolution, convention: convention, since: since!, until: until!)
        }
    }
}

/// Gathers the appendix's records and numbers its sources.
private struct AppendixBuilder {
    let db: Database
    let includeSensitive: Bool

    func build(resolution: Resolution, convention: Convention, since: PartialDate, until: PartialDate) throws -> Appendix {
        let homeID = try Int64.fetchOne(db, sql: "SELECT organization_id FROM home")
        let home = try homeID.map { try Organizations(db: db).fetch(ids: [$0])[0] }
        var leftOut = 0
        let hiddenOrganizations = includeSensitive ? Set<String>() : Set(try String.fetchAll(db, sql: "SELECT handle FROM organizations WHERE sensitive = 1"))
        let hiddenPeople = includeSensitive ? Set<String>() : Set(try String.fetchAll(db, sql: "SELECT handle FROM people WHERE sensitive = 1"))
        let names = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT handle, coalesce(acronym, name) AS short FROM organizations")
            .map { ($0["handle"] as String, $0["short"] as String) })
        let personNames = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT handle, name FROM people").map { ($0["handle"] as String, $0["name"] as String) })

        var sources: [Source] = []
        var numbers: [String: Int] = [:]
        let allSources = Dictionary(uniqueKeysWithValues: try Sources(db: db).all().map { ($0.id, $0) })
        func cite(_ ids: [String]) -> [Int] {
            var seen = Set<String>()
            return ids.filter { seen.insert($0).inserted }.compactMap { id -> Int? in
                if let number = numbers[id] { return number }
                guard let source = allSources[id] else { return nil }
                sources.append(source)
                numbers[id] = sources.count
                return sources.count
            }.sorted()
        }
        let resolutionNotes = cite(resolution.sources)

        // B. The period's activities.
        var activities = try Activities(db: db).list(ActivityFilter(since: since, until: until))
        if !includeSensitive {
            leftOut += activities.filter(\.sensitive).count
            activities.removeAll(where: \.sensitive)
        }
        func entry(_ a: Activity) -> Appendix.Entry {
            let visible = a.organizations.filter { !hiddenOrganizations.contains($0.organization) }
            let people = a.people.filter { !hiddenPeople.contains($0.person) }
            return Appendix.Entry(
                activity: a, hosts: visible.filter { $0.role == .host }.map { names[$0.organization] ?? $0.organization },
                senders: a.hosted ? visible.filter { $0.role == .sender }.map { names[$0.organization] ?? $0.organization } : [],
                organizations: visible.filter { $0.role != .host && $0.role != .sender }.map { names[$0.organization] ?? $0.organization },
                delegates: people.filter { $0.role == .delegate }.map { personNames[$0.person] ?? $0.person }, notes: cite(a.sources))
        }
        let ordered = activities.filter { $0.kind == .delegation } + activities.filter { $0.kind != .delegation }

        // A. The organizations named, in the order the clauses first name them.
        var named: [Appendix.NamedOrganization] = []
        for handle in resolution.namedOrganizations {
            let organization = try Organizations(db: db).find(handle)
            if organization.sensitive && !includeSensitive { leftOut += 1; continue }
            var relationship: Relationship?
            var ours = false
            if let home, let homeID {
                let id = try References(db: db).organization(handle).id
                ours = try Int64.fetchAll(db, sql: """
                    WITH RECURSIVE up(id) AS (SELECT ? UNION SELECT o.parent_id FROM organizations o JOIN up ON o.id = up.id WHERE o.parent_id IS NOT NULL) SELECT id FROM up
                    """, arguments: [id]).contains(homeID)
                relationship = try Relationships(db: db).list(organization: homeID, kind: nil, status: nil)
                    .filter { ($0.from == home.handle && $0.to == handle) || ($0.to == home.handle && $0.from == handle) }
                    .sorted { Self.rank($0.status) < Self.rank($1.status) }.first
            }
            let withIt = ordered.filter { a in a.organizations.contains { $0.organization == handle } }
            let last = try Activities(db: db).list(ActivityFilter(until: until, organization: handle, status: .done))
                .filter { includeSensitive || !$0.sensitive }.last
            named.append(Appendix.NamedOrganization(organization: organization, relationship: relationship, ours: ours, lastContact: last,
                                                    activities: withIt, notes: cite(organization.sources + (relationship?.sources ?? []))))
        }
        let entries = ordered.filter { $0.status != .planned }.map(entry)
        let planned = ordered.filter { $0.status == .planned }.map(entry)

        // C. The employer chains the resolution or the period's activities concern.
        var employers = resolution.employers
        for a in ordered { employers += a.employers.filter { !employers.contains($0) } }
        let chains = try employers.map { try AlliesQuery(db: db).report(employer: $0, country: nil, asOf: until, today: until) }
        leftOut += hiddenOrganizations.count == 0 ? 0 : chains.flatMap(\.countries).flatMap(\.sites).flatMap(\.unions).filter(\.sensitive).count
        let visibleChains = includeSensitive ? chains : chains.map(Self.withoutSensitive)

        return Appendix(resolution: resolution, convention: try Conventions(db: db).match(resolution.convention).convention, home: home,
                        since: since, until: until, includesSensitive: includeSensitive, organizations: named, activities: entries, planned: planned,
                        chains: visibleChains, sources: sources, resolutionNotes: resolutionNotes, leftOut: leftOut)
    }

    static func rank(_ status: Relationship.Status) -> Int {
        switch status {
        case .close: 0
        case .active: 1
        case .dormant: 2
        case .ended: 3
        }
    }

    /// The chain with sensitive unions left out (a site left with none is shown as a gap).
    static func withoutSensitive(_ report: AlliesReport) -> AlliesReport {
        AlliesReport(employer: report.employer, name: report.name, employers: report.employers, home: report.home, asOf: report.asOf,
                     countries: report.countries.map { group in
                         AlliesReport.CountryGroup(country: group.country, name: group.name, sites: group.sites.map { site in
                             let unions = site.unions.filter { !$0.sensitive }
                             return AlliesReport.SiteEntry(id: site.id, name: site.name, employer: site.employer, city: site.city,
                                                           gap: unions.isEmpty, unions: unions)
                         })
                     }, note: report.note)
    }
}
