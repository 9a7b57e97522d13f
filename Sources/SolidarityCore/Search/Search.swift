import Foundation
import GRDB

/// One result of `solidarity search`.
public struct SearchHit: Encodable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable { case organization, person, employer, site, activity, resolution, campaign }
    public let kind: Kind
    public let handle: String
    public let name: String
    /// Country and acronym for an organization, titles for a person, the employer and place of a site,
    /// the sources of a campaign.
    public let detail: String
    public let sensitive: Bool
    /// FTS5's bm25 score: lower is a better match. Orders the hits; not part of the output.
    public let rank: Double

    enum CodingKeys: String, CodingKey { case kind, handle, name, detail, sensitive }
}

/// Full-text search over organizations, people, employers, sites, activities, resolutions and
/// campaigns, ranked with FTS5's bm25.
struct Search {
    let db: Database

    /// The most words a search takes: each is one more prefix match over every index, and a
    /// search of thousands of words (a file pasted by mistake) would run for seconds to find nothing.
    static let maximumWords = 32

    /// Hits for the words of `text`, each matched as a prefix, accents and case ignored, best first.
    func run(_ text: String, limit: Int = 50) throws -> [SearchHit] {
        let words = Naming.key(text).split(separator: " ")
        guard !words.isEmpty else {
            throw SolidarityError.invalid("Search for at least one word, for example `solidarity search frente` or `solidarity search wabtec`.")
        }
        guard words.count <= Self.maximumWords else {
            throw SolidarityError.invalid("A search takes at most \(Self.maximumWords) words and \(words.count) were given: search for the few words that matter most.")
        }
        // Each word is quoted so that FTS5 operators typed by the user are plain text.
        let query = words.map { "\"\($0)\"*" }.joined(separator: " ")
        /// The best `limit` rows of the full-text `index` that match: `select`'s columns of the rows `join` finds, with their bm25 `rank` under `weights`.
        func matching(_ index: String, weights: String, select: String, join: String) throws -> [Row] {
            try Row.fetchAll(db, sql: """
                SELECT \(select), bm25(\(index), \(weights)) AS rank
                FROM \(index) JOIN \(join)
                WHERE \(index) MATCH ? ORDER BY rank LIMIT ?
                """, arguments: [query, limit])
        }
        /// The hits of `rows`: `handle` and `name` the columns naming each, `detail` those that describe it; sensitive when its `sensitive` column says so.
        func hits(_ kind: SearchHit.Kind, _ rows: [Row], handle: String = "handle", name: String = "name", detail: String...) -> [SearchHit] {
            rows.map { row in
                SearchHit(kind: kind, handle: row[handle], name: row[name], detail: detail.compactMap { row[$0] as String? }.joined(separator: ", "),
                          sensitive: row["sensitive"] ?? false, rank: row["rank"])
            }
        }
        let organizations = hits(.organization, try matching("organization_search", weights: "10.0, 10.0, 8.0, 8.0, 2.0, 1.0",
                                                              select: "o.handle, o.name, o.acronym, o.country, o.sensitive",
                                                              join: "organizations o ON o.id = organization_search.rowid"),
                                 detail: "acronym", "country")
        let personRows = try matching("person_search", weights: "10.0, 1.0", select: "p.id", join: "people p ON p.id = person_search.rowid")
        // A person's detail is the titles they hold now, each with its basis, as `person list` shows them.
        let people = zip(personRows, try People(db: db).fetch(ids: personRows.map { $0["id"] })).map { row, person in
            SearchHit(kind: .person, handle: person.handle, name: person.name,
                      detail: person.titles.filter { $0.until == nil }.map(\.summary).joined(separator: "; "),
                      sensitive: person.sensitive, rank: row["rank"])
        }
        let employers = hits(.employer, try matching("employer_search", weights: "10.0, 8.0, 1.0", select: "e.handle, e.name, e.country",
                                                     join: "employers e ON e.id = employer_search.rowid"),
                             detail: "country")
        let sites = hits(.site, try matching("site_search", weights: "10.0, 4.0, 2.0, 1.0", select: "s.uid, s.name, s.city, s.country, e.name AS employer",
                                             join: "sites s ON s.id = site_search.rowid JOIN employers e ON e.id = s.employer_id"),
                         handle: "uid", detail: "employer", "city", "country")
        let activities = hits(.activity, try matching("activity_search", weights: "10.0, 4.0, 4.0, 1.0, 2.0",
                                                      select: "a.uid, a.title, a.kind, a.start, a.sensitive",
                                                      join: "activities a ON a.id = activity_search.rowid"),
                              handle: "uid", name: "title", detail: "kind", "start")
        let resolutions = hits(.resolution, try matching("resolution_search", weights: "10.0, 2.0, 4.0", select: "r.handle, r.title, r.status",
                                                         join: "resolutions r ON r.id = resolution_search.rowid"),
                               name: "title", detail: "status")
        let campaigns = hits(.campaign, try matching("campaign_search", weights: "10.0, 1.0", select: """
            c.handle, c.name,
            (SELECT group_concat(s.uid, ', ') FROM campaign_sources cs JOIN sources s ON s.id = cs.source_id WHERE cs.campaign_id = c.id) AS sources
            """, join: "campaigns c ON c.id = campaign_search.rowid"), detail: "sources")
        // Scores of different tables do not compare well: a record named exactly as searched comes first.
        // (Each hit's name is folded once, not at every comparison of the sort.)
        let key = Naming.key(text)
        let ranked = (organizations + people + employers + sites + activities + resolutions + campaigns).map { hit in
            (exact: Naming.key(hit.name) == key || hit.handle == key ? 0 : 1, hit: hit)
        }
        return ranked.sorted { ($0.exact, $0.hit.rank, $0.hit.handle) < ($1.exact, $1.hit.rank, $1.hit.handle) }.prefix(limit).map(\.hit)
    }
}

extension Store {
    /// Organizations and people whose names, aliases or notes match `text`, best first.
    public func search(_ text: String, limit: Int = 50) throws -> [SearchHit] {
        try read { try Search(db: $0).run(text, limit: limit) }
    }
}
