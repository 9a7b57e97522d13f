import Foundation
import GRDB

/// A row of `employers`: a company, under its parent company when it has one.
struct EmployerRecord: Codable, Equatable, FetchableRecord, RowIDRecord {
    static let databaseTableName = "employers"

    var id: Int64?
    var handle: String
    var name: String
    /// The name folded for lookups (`Naming.key`).
    var nameKey: String
    var country: String?
    var parentID: Int64?
    var website: String?
    var notes: String?

    enum Columns: String, CodingKey, ColumnExpression {
        case id, handle, name, nameKey = "name_key", country, parentID = "parent_id", website, notes
    }
    typealias CodingKeys = Columns
}

extension EmployerRecord {
    /// The row of `employer`, under the parent company with row id `parentID`.
    init(_ employer: Employer, id: Int64? = nil, parentID: Int64?) {
        self.init(id: id, handle: employer.handle, name: employer.name, nameKey: Naming.key(employer.name), country: employer.country,
                  parentID: parentID, website: employer.website, notes: employer.notes)
    }
}

extension Employer {
    /// The employer of a row, its parent company named by `parent` (a handle); aliases and sources are added by the caller.
    init(record: EmployerRecord, parent: String?) {
        self.init(handle: record.handle, name: record.name, country: record.country, parent: parent, website: record.website, notes: record.notes)
    }
}

/// A row of `employer_aliases`: another name of an employer, in the order given.
struct EmployerAliasRecord: Codable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "employer_aliases"

    var employerID: Int64
    var position: Int
    var alias: String
    var aliasKey: String

    enum Columns: String, CodingKey, ColumnExpression {
        case employerID = "employer_id", position, alias, aliasKey = "alias_key"
    }
    typealias CodingKeys = Columns
}

/// `employer_sources`: a source cited for an employer.
enum EmployerSources: LinkTable { static let name = "employer_sources", owner = "employer_id", target = "source_id" }

/// A row of `sites`: a workplace of an employer. `uid` is the id users and the interchange file see.
struct SiteRecord: Codable, Equatable, FetchableRecord, RowIDRecord {
    static let databaseTableName = "sites"

    var id: Int64?
    var uid: String
    var employerID: Int64
    var name: String
    /// The name folded for lookups (`Naming.key`).
    var nameKey: String
    var country: String
    var region: String?
    var city: String?
    var sector: String?
    var notes: String?

    enum Columns: String, CodingKey, ColumnExpression {
        case id, uid, employerID = "employer_id", name, nameKey = "name_key", country, region, city, sector, notes
    }
    typealias CodingKeys = Columns
}

extension SiteRecord {
    /// The row of `site`, of the employer with row id `employerID`.
    init(_ site: Site, id: Int64? = nil, employerID: Int64) {
        self.init(id: id, uid: site.id, employerID: employerID, name: site.name, nameKey: Naming.key(site.name), country: site.country,
                  region: site.region, city: site.city, sector: site.sector, notes: site.notes)
    }
}

extension Site {
    /// The site of a row, of the employer with handle `employer`; unions and sources are added by the caller.
    init(record: SiteRecord, employer: String) {
        self.init(id: record.uid, employer: employer, name: record.name, country: record.country, region: record.region,
                  city: record.city, sector: record.sector, notes: record.notes)
    }
}

/// `site_sources`: a source cited for a site.
enum SiteSources: LinkTable { static let name = "site_sources", owner = "site_id", target = "source_id" }

/// A row of `representations`: a union representing a site's workers from `since` until `until`
/// (partial dates as text, as `PartialDate` writes them).
struct RepresentationRecord: Codable, Equatable, FetchableRecord, RowIDRecord {
    static let databaseTableName = "representations"

    var id: Int64?
    var siteID: Int64
    var organizationID: Int64
    var since: String?
    var until: String?

    enum Columns: String, CodingKey, ColumnExpression {
        case id, siteID = "site_id", organizationID = "organization_id", since, until
    }
    typealias CodingKeys = Columns
}

extension Site.Representation {
    /// The representation of a row, by the union with handle `organization`.
    init(record: RepresentationRecord, organization: String) throws {
        self.init(organization: organization, since: try record.since.map(PartialDate.init), until: try record.until.map(PartialDate.init))
    }
}
