import Foundation
import GRDB

/// An employer at whose sites two organizations (with their locals and councils) both represent workers.
public struct SharedEmployer: Encodable, Sendable {
    public let employer: String
    public let name: String
    /// The first organization's handle: a row read alone says whose sites `firstSites` are.
    public let first: String
    /// The first organization's sites of this employer (and of the companies it owns).
    public let firstSites: [String]
    /// The second organization's handle.
    public let second: String
    /// The second organization's sites.
    public let secondSites: [String]

    enum CodingKeys: String, CodingKey { case employer, name, first, second, firstSites = "first_sites", secondSites = "second_sites" }
}

/// The employers two organizations share, with the names a report gives the two.
public struct SharedEmployers: Sendable {
    /// The two organizations' handles, in the order they were named.
    public let first: String, second: String
    /// Their short names (acronym, else name), as column headings name them: "sites of UE".
    public let firstName: String, secondName: String
    public let employers: [SharedEmployer]
}

extension Store {
    /// The employers at whose sites both organizations (or their parts) currently represent
    /// workers, counting a company with the ones that own it.
    public func sharedEmployers(_ first: String, _ second: String) throws -> SharedEmployers {
        try read { db in
            let references = References(db: db)
            let a = try references.organization(first)
            let b = try references.organization(second)
            guard a.id != b.id else {
                throw SolidarityError(.conflict, "Both names are \(a.name): name two different organizations.")
            }
            func sites(of organization: Int64) throws -> [(employer: Int64, site: String)] {
                try Row.fetchAll(db, sql: """
                    WITH RECURSIVE parts(id) AS (SELECT ? UNION SELECT o.id FROM organizations o JOIN parts ON o.parent_id = parts.id),
                    owned(site, employer) AS (
                        SELECT s.name, s.employer_id FROM parts JOIN representations r ON r.organization_id = parts.id AND r.until IS NULL
                            JOIN sites s ON s.id = r.site_id
                        UNION SELECT owned.site, e.parent_id FROM owned JOIN employers e ON e.id = owned.employer WHERE e.parent_id IS NOT NULL)
                    SELECT DISTINCT employer, site FROM owned
                    """, arguments: [organization]).map { ($0["employer"], $0["site"]) }
            }
            let mine = try sites(of: a.id), theirs = try sites(of: b.id)
            let shared = Set(mine.map(\.employer)).intersection(theirs.map(\.employer))
            let employers = try shared.map { id -> SharedEmployer in
                let row = try Row.fetchOne(db, sql: "SELECT handle, name FROM employers WHERE id = ?", arguments: [id])!
                return SharedEmployer(employer: row["handle"], name: row["name"],
                                      first: a.handle, firstSites: mine.filter { $0.employer == id }.map(\.site).sorted(),
                                      second: b.handle, secondSites: theirs.filter { $0.employer == id }.map(\.site).sorted())
            }.sorted { $0.employer < $1.employer }
            let both = try Organizations(db: db).fetch(ids: [a.id, b.id])
            // Two organizations of the same short name (a CGT of France and one of Argentina) are told apart by their handles.
            let names = both[0].shortName == both[1].shortName ? (a.handle, b.handle) : (both[0].shortName, both[1].shortName)
            return SharedEmployers(first: a.handle, second: b.handle, firstName: names.0, secondName: names.1, employers: employers)
        }
    }
}
