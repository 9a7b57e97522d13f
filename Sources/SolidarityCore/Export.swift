import Foundation
import GRDB

/// An export, and what was left out: records marked sensitive, and records that refer to them.
public struct ExportResult: Sendable {
    public let document: InterchangeDocument
    /// People and organizations marked sensitive, left out.
    public let sensitive: Int
    /// Records left out because they refer to a left-out one (parts, titles, relationships, representation, sources).
    public let referring: Int

    /// Everything left out.
    public var leftOut: Int { sensitive + referring }
}

extension Store {
    /// Everything in the database as an interchange document, in a stable order. Without
    /// `includeSensitive`, sensitive people and organizations stay out, with what refers to them
    /// (parts of a left-out organization, titles, relationships, representation, sources cited only by them).
    public func export(includeSensitive: Bool = false) throws -> ExportResult {
        try read { db in
            var sensitive = 0
            var referring = 0
            var organizations = try Organizations(db: db).fetch(ids: Int64.fetchAll(db, sql: "SELECT id FROM organizations ORDER BY handle"))
            if !includeSensitive {
                var excluded = Set(organizations.filter(\.sensitive).map(\.handle))
                sensitive += excluded.count
                var grew = true
                while grew {
                    let parts = organizations.filter { !excluded.contains($0.handle) && $0.parent.map(excluded.contains) == true }
                    excluded.formUnion(parts.map(\.handle))
                    grew = !parts.isEmpty
                }
                referring += excluded.count - sensitive
                organizations.removeAll { excluded.contains($0.handle) }
            }
            let kept = Set(organizations.map(\.handle))

            var people = try People(db: db).fetch(ids: Int64.fetchAll(db, sql: "SELECT id FROM people ORDER BY handle"))
            if !includeSensitive {
                sensitive += people.filter(\.sensitive).count
                people.removeAll(where: \.sensitive)
            }
            for index in people.indices {
                let before = people[index].titles.count
                people[index].titles.removeAll { !kept.contains($0.organization) }
                referring += before - people[index].titles.count
            }

            let all = try Relationships(db: db).fetch(where: "1", [])
            let relationships = all.filter { kept.contains($0.from) && kept.contains($0.to) }
                .map { $0.oriented(from: min($0.from, $0.to)) }
                .sorted { ($0.from, $0.kind.rawValue, $0.to) < ($1.from, $1.kind.rawValue, $1.to) }
            referring += all.count - relationships.count

            let employers = try Employers(db: db).list()
            var sites = try Sites(db: db).list(SiteFilter())
                .sorted { ($0.employer, $0.country, $0.name, $0.id) < ($1.employer, $1.country, $1.name, $1.id) }
            for index in sites.indices {
                let before = sites[index].unions.count
                sites[index].unions.removeAll { !kept.contains($0.organization) }
                referring += before - sites[index].unions.count
            }

            let keptPeople = Set(people.map(\.handle))
            var activities = try Activities(db: db).list(ActivityFilter())
            if !includeSensitive {
                sensitive += activities.filter(\.sensitive).count
                activities.removeAll(where: \.sensitive)
            }
            for index in activities.indices {
                let before = activities[index].organizations.count + activities[index].people.count
                activities[index].organizations.removeAll { !kept.contains($0.organization) }
                activities[index].people.removeAll { !keptPeople.contains($0.person) }
                referring += before - activities[index].organizations.count - activities[index].people.count
            }
            activities.sort { $0.id < $1.id }

            let conventions = try Conventions(db: db).fetch(ids: Int64.fetchAll(db, sql: "SELECT id FROM conventions ORDER BY handle"))
                .filter { kept.contains($0.organization) }
            let keptConventions = Set(conventions.map(\.handle))
            var resolutions = try Resolutions(db: db).fetch(ids: Int64.fetchAll(db, sql: "SELECT id FROM resolutions ORDER BY handle"))
                .filter { keptConventions.contains($0.convention) }
            for index in resolutions.indices {
                for clause in resolutions[index].clauses.indices {
                    let before = resolutions[index].clauses[clause].organizations.count
                    resolutions[index].clauses[clause].organizations.removeAll { !kept.contains($0) }
                    referring += before - resolutions[index].clauses[clause].organizations.count
                }
            }
            // A source cited only by left-out records leaves with them; one cited by nothing stays.
            var cited = Set<String>()
            organizations.forEach { cited.formUnion($0.sources) }
            people.forEach { cited.formUnion($0.sources) }
            relationships.forEach { cited.formUnion($0.sources) }
            employers.forEach { cited.formUnion($0.sources) }
            sites.forEach { cited.formUnion($0.sources) }
            activities.forEach { cited.formUnion($0.sources) }
            resolutions.forEach { cited.formUnion($0.sources) }
            let citedAnywhere = Set(try String.fetchAll(db, sql: """
                SELECT s.uid FROM sources s WHERE EXISTS (SELECT 1 FROM organization_sources WHERE source_id = s.id)
                    OR EXISTS (SELECT 1 FROM person_sources WHERE source_id = s.id) OR EXISTS (SELECT 1 FROM relationship_sources WHERE source_id = s.id)
                    OR EXISTS (SELECT 1 FROM employer_sources WHERE source_id = s.id) OR EXISTS (SELECT 1 FROM site_sources WHERE source_id = s.id)
                    OR EXISTS (SELECT 1 FROM activity_sources WHERE source_id = s.id) OR EXISTS (SELECT 1 FROM resolution_sources WHERE source_id = s.id)
                """))
            let allSources = try Sources(db: db).all()
            let sources = allSources.filter { cited.contains($0.id) || !citedAnywhere.contains($0.id) }
            referring += allSources.count - sources.count

            let home = try String.fetchOne(db, sql: "SELECT o.handle FROM home h JOIN organizations o ON o.id = h.organization_id")
            let document = InterchangeDocument(
                home: home.flatMap { kept.contains($0) ? $0 : nil }, sources: sources, campaigns: try Campaigns(db: db).all(),
                organizations: organizations, people: people, relationships: relationships, employers: employers, sites: sites,
                activities: activities, conventions: conventions, resolutions: resolutions, includesSensitive: includeSensitive)
            return ExportResult(document: document, sensitive: sensitive, referring: referring)
        }
    }

    /// Imports an interchange file: checks it whole, then writes it in one transaction. Records
    /// already present with the same content are skipped; with other content they are conflicts,
    /// listed, unless `update` replaces them.
    public func importDocument(_ data: Data, name: String, update: Bool = false) throws -> LoadReport {
        try write { db in
            var reader = DocumentReader(db: db, name: name)
            let document = try reader.read(data)
            var loader = Loader(db: db, mode: update ? .update : .strict)
            try loader.load(document)
            try Outbox(db: db).record(.importCompleted, ["source": name, "added": loader.report.added, "updated": loader.report.updated,
                                                         "unchanged": loader.report.present])
            return loader.report
        }
    }
}
