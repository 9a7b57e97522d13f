import Foundation
import GRDB

// One GRDB record per table of conventions and resolutions: the rows as stored, snake_case
// columns through `Columns`. A resolution's status outside its enumeration is an error naming
// the table and row (`RawRepresentable.stored(_:column:table:row:)`), never a default.

/// A row of `conventions`; dates as stored text.
struct ConventionRecord: Codable, Equatable, FetchableRecord, RowIDRecord {
    static let databaseTableName = "conventions"
    var id: Int64?
    var handle: String
    var organizationID: Int64
    var name: String
    var number: Int?
    var start: String?
    var end: String?
    /// The first and last day of the interval the dates denote (the last of `end`, else of `start`).
    var firstDay: String?
    var lastDay: String?
    var city: String?
    var country: String?
    var notes: String?

    enum Columns: String, CodingKey, ColumnExpression {
        case id, handle, organizationID = "organization_id", name, number, start, end
        case firstDay = "first_day", lastDay = "last_day", city, country, notes
    }
    typealias CodingKeys = Columns

    /// The row of a convention held by the organization of row id `organizationID`.
    init(_ convention: Convention, organizationID: Int64, id: Int64? = nil) {
        self.id = id
        handle = convention.handle
        self.organizationID = organizationID
        name = convention.name
        number = convention.number
        city = convention.city
        country = convention.country
        notes = convention.notes
        start = convention.start?.description
        end = convention.end?.description
        firstDay = convention.start?.start
        lastDay = (convention.end ?? convention.start)?.end
    }
}

extension Convention {
    /// The convention a row holds, `organization` the handle of its organization.
    init(record: ConventionRecord, organization: String) throws {
        self.init(handle: record.handle, organization: organization, name: record.name, number: record.number,
                  start: try record.start.map(PartialDate.init), end: try record.end.map(PartialDate.init),
                  city: record.city, country: record.country, notes: record.notes)
    }
}

/// A row of `resolutions`: a resolution without its clauses and what they name.
struct ResolutionRecord: Codable, Equatable, RowIDRecord {
    static let databaseTableName = "resolutions"
    var id: Int64?
    var handle: String
    var conventionID: Int64
    var title: String
    var preamble: String
    var status: Resolution.Status
    var notes: String?

    enum Columns: String, CodingKey, ColumnExpression {
        case id, handle, conventionID = "convention_id", title, preamble, status, notes
    }
    typealias CodingKeys = Columns

    /// The row of a resolution of the convention of row id `conventionID`.
    init(_ resolution: Resolution, conventionID: Int64, id: Int64? = nil) {
        self.id = id
        handle = resolution.handle
        self.conventionID = conventionID
        title = resolution.title
        preamble = resolution.preamble
        status = resolution.status
        notes = resolution.notes
    }
}

extension ResolutionRecord: FetchableRecord {
    init(row: Row) throws {
        self = try Self.decoded(from: row)
    }
}

extension Resolution {
    /// The resolution a row holds (without clauses, employers or sources), `convention` the handle of its convention.
    init(record: ResolutionRecord, convention: String) {
        self.init(handle: record.handle, convention: convention, title: record.title, status: record.status,
                  preamble: record.preamble, notes: record.notes)
    }
}

/// A row of `resolution_clauses`: a resolved clause, numbered from 1.
struct ResolutionClauseRecord: Codable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "resolution_clauses"
    var resolutionID: Int64
    var position: Int
    var text: String

    enum Columns: String, CodingKey, ColumnExpression {
        case resolutionID = "resolution_id", position, text
    }
    typealias CodingKeys = Columns
}

/// A row of `resolution_organizations`: an organization a clause names, found by the matcher or
/// linked by hand; `offset` orders the mentions within a clause.
struct ResolutionOrganizationRecord: Codable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "resolution_organizations"
    var resolutionID: Int64
    var clause: Int
    var organizationID: Int64
    var offset: Int
    var linked: Bool

    enum Columns: String, CodingKey, ColumnExpression {
        case resolutionID = "resolution_id", clause, organizationID = "organization_id", offset, linked
    }
    typealias CodingKeys = Columns
}

/// A row of `resolution_campaigns`: a campaign a clause names; `position` orders them within the clause.
struct ResolutionCampaignRecord: Codable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "resolution_campaigns"
    var resolutionID: Int64
    var clause: Int
    var campaignID: Int64
    var position: Int

    enum Columns: String, CodingKey, ColumnExpression {
        case resolutionID = "resolution_id", clause, campaignID = "campaign_id", position
    }
    typealias CodingKeys = Columns
}

/// `resolution_employers`: an employer a resolution names.
enum ResolutionEmployers: LinkTable { static let name = "resolution_employers", owner = "resolution_id", target = "employer_id" }

/// `resolution_sources`: a source a resolution cites.
enum ResolutionSources: LinkTable { static let name = "resolution_sources", owner = "resolution_id", target = "source_id" }
