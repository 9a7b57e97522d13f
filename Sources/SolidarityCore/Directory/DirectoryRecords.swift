import Foundation
import GRDB

// One GRDB record per table of the directory, as the rows are stored: internal ids, folded name
// keys, partial dates as their text. The domain values (`Organization`, `Person`, …) are built from
// them and name other records by handle.
//
// Organizations and people, the directory's large tables (100,000 and 300,000 rows at bench
// scale 1), decode their rows by hand, by column name: export is 4.18× sqlite3 with reading
// records 27 % of its time, and GRDB's `Decodable` row decoder took 2.9× as long as these reads
// for the same organization rows (415 against 145 ms per 100,000; BENCHMARKS.md, "Issue 17").
// The small tables (about 14,000 relationships, 2,000 sources, 40 campaigns at scale 1) decode
// through `Decodable`. Enumerations decode through `stored(_:column:table:row:)` or
// `decoded(from:)`, so a word outside them names the row.

/// A row of `organizations`.
struct OrganizationRecord: Codable, Equatable, FetchableRecord, RowIDRecord {
    static let databaseTableName = "organizations"

    var id: Int64?
    var handle: String
    var name: String
    var nameKey: String
    var acronym: String?
    var acronymKey: String?
    var nativeName: String?
    var nativeNameKey: String?
    var nativeNameLang: String?
    var kind: Organization.Kind
    var country: String?
    var region: String?
    var city: String?
    var parentID: Int64?
    var members: Int?
    var membersAsOf: String?
    var website: String?
    var notes: String?
    var sensitive: Bool

    enum Columns: String, CodingKey, ColumnExpression {
        case id, handle, name, acronym, kind, country, region, city, members, website, notes, sensitive
        case nameKey = "name_key", acronymKey = "acronym_key", nativeName = "native_name", nativeNameKey = "native_name_key"
        case nativeNameLang = "native_name_lang", parentID = "parent_id", membersAsOf = "members_as_of"
    }
    typealias CodingKeys = Columns

    /// The row of an organization as validated, its parent already found (`parentID`).
    init(_ o: Organization, id: Int64? = nil, parentID: Int64?) {
        self.id = id
        handle = o.handle
        name = o.name
        nameKey = Naming.key(o.name)
        acronym = o.acronym
        acronymKey = o.acronym.map(Naming.key)
        nativeName = o.nativeName
        nativeNameKey = o.nativeName.map(Naming.key)
        nativeNameLang = o.nativeNameLang
        kind = o.kind
        country = o.country
        region = o.region
        city = o.city
        self.parentID = parentID
        members = o.members
        membersAsOf = o.membersAsOf?.description
        website = o.website
        notes = o.notes
        sensitive = o.sensitive
    }

    init(row: Row) throws {
        let id: Int64 = row[CodingKeys.id.rawValue]
        self.id = id
        handle = row[CodingKeys.handle.rawValue]
        name = row[CodingKeys.name.rawValue]
        nameKey = row[CodingKeys.nameKey.rawValue]
        acronym = row[CodingKeys.acronym.rawValue]
        acronymKey = row[CodingKeys.acronymKey.rawValue]
        nativeName = row[CodingKeys.nativeName.rawValue]
        nativeNameKey = row[CodingKeys.nativeNameKey.rawValue]
        nativeNameLang = row[CodingKeys.nativeNameLang.rawValue]
        kind = try .stored(row[CodingKeys.kind.rawValue], column: CodingKeys.kind.rawValue, table: Self.databaseTableName, row: id)
        country = row[CodingKeys.country.rawValue]
        region = row[CodingKeys.region.rawValue]
        city = row[CodingKeys.city.rawValue]
        parentID = row[CodingKeys.parentID.rawValue]
        members = row[CodingKeys.members.rawValue]
        membersAsOf = row[CodingKeys.membersAsOf.rawValue]
        website = row[CodingKeys.website.rawValue]
        notes = row[CodingKeys.notes.rawValue]
        sensitive = row[CodingKeys.sensitive.rawValue]
    }
}

extension Organization {
    /// The organization a row holds, with what hangs on it (its parent by handle).
    init(record r: OrganizationRecord, parent: String?, aliases: [Alias] = [], campaigns: [String] = [], sources: [String] = []) throws {
        self.init(handle: r.handle, name: r.name, acronym: r.acronym, nativeName: r.nativeName, nativeNameLang: r.nativeNameLang,
                  kind: r.kind, country: r.country, region: r.region, city: r.city, parent: parent, members: r.members,
                  membersAsOf: try r.membersAsOf.map(PartialDate.init), website: r.website, notes: r.notes, sensitive: r.sensitive,
                  aliases: aliases, campaigns: campaigns, sources: sources)
    }
}

/// A row of `organization_aliases`: another name, in its place among the organization's aliases.
struct OrganizationAliasRecord: Codable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "organization_aliases"

    var organizationID: Int64
    var position: Int
    var alias: String
    var aliasKey: String
    var lang: String?

    enum Columns: String, CodingKey, ColumnExpression {
        case position, alias, lang
        case organizationID = "organization_id", aliasKey = "alias_key"
    }
    typealias CodingKeys = Columns

    init(organizationID: Int64, position: Int, alias: Organization.Alias) {
        self.organizationID = organizationID
        self.position = position
        self.alias = alias.name
        aliasKey = Naming.key(alias.name)
        lang = alias.lang
    }
}

/// `organization_campaigns`: an organization tagged with a campaign.
enum OrganizationCampaigns: LinkTable { static let name = "organization_campaigns", owner = "organization_id", target = "campaign_id" }

/// `organization_sources`: a source an organization cites.
enum OrganizationSources: LinkTable { static let name = "organization_sources", owner = "organization_id", target = "source_id" }

/// A row of `people`.
struct PersonRecord: Codable, Equatable, FetchableRecord, RowIDRecord {
    static let databaseTableName = "people"

    var id: Int64?
    var handle: String
    var name: String
    var nameKey: String
    var email: String?
    var phone: String?
    var secureMessaging: String?
    var notes: String?
    var sensitive: Bool

    enum Columns: String, CodingKey, ColumnExpression {
        case id, handle, name, email, phone, notes, sensitive
        case nameKey = "name_key", secureMessaging = "secure_messaging"
    }
    typealias CodingKeys = Columns

    /// The row of a person as validated.
    init(_ p: Person, id: Int64? = nil) {
        self.id = id
        handle = p.handle
        name = p.name
        nameKey = Naming.key(p.name)
        email = p.email
        phone = p.phone
        secureMessaging = p.secureMessaging
        notes = p.notes
        sensitive = p.sensitive
    }

    init(row: Row) {
        id = row[CodingKeys.id.rawValue]
        handle = row[CodingKeys.handle.rawValue]
        name = row[CodingKeys.name.rawValue]
        nameKey = row[CodingKeys.nameKey.rawValue]
        email = row[CodingKeys.email.rawValue]
        phone = row[CodingKeys.phone.rawValue]
        secureMessaging = row[CodingKeys.secureMessaging.rawValue]
        notes = row[CodingKeys.notes.rawValue]
        sensitive = row[CodingKeys.sensitive.rawValue]
    }
}

extension Person {
    /// The person a row holds, with what hangs on them.
    init(record r: PersonRecord, languages: [String] = [], titles: [Title] = [], sources: [String] = []) {
        self.init(handle: r.handle, name: r.name, email: r.email, phone: r.phone, languages: languages,
                  secureMessaging: r.secureMessaging, notes: r.notes, sensitive: r.sensitive, titles: titles, sources: sources)
    }
}

/// A row of `person_titles`: a title a person holds or held at an organization, with its basis.
struct PersonTitleRecord: Codable, Equatable, FetchableRecord, RowIDRecord {
    static let databaseTableName = "person_titles"

    var id: Int64?
    var personID: Int64
    var organizationID: Int64
    var title: String
    var since: String?
    var until: String?
    var asOf: String?
    var sourceID: Int64?

    enum Columns: String, CodingKey, ColumnExpression {
        case id, title, since, until
        case personID = "person_id", organizationID = "organization_id", asOf = "as_of", sourceID = "source_id"
    }
    typealias CodingKeys = Columns
}

/// A row of `person_languages`: a language a person speaks, in its place among theirs.
struct PersonLanguageRecord: Codable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "person_languages"

    var personID: Int64
    var position: Int
    var lang: String

    enum Columns: String, CodingKey, ColumnExpression {
        case position, lang
        case personID = "person_id"
    }
    typealias CodingKeys = Columns
}

/// `person_sources`: a source a person's record cites.
enum PersonSources: LinkTable { static let name = "person_sources", owner = "person_id", target = "source_id" }

/// A row of `relationships`: symmetric kinds stored once per pair, the lower id first.
struct RelationshipRecord: Codable, Equatable, FetchableRecord, RowIDRecord {
    static let databaseTableName = "relationships"

    var id: Int64?
    var fromID: Int64
    var toID: Int64
    var kind: Relationship.Kind
    var status: Relationship.Status
    var since: String?
    var until: String?
    var notes: String?

    enum Columns: String, CodingKey, ColumnExpression {
        case id, kind, status, since, until, notes
        case fromID = "from_id", toID = "to_id"
    }
    typealias CodingKeys = Columns

    /// The row of a relationship between the organizations with row ids `fromID` and `toID`.
    init(_ r: Relationship, id: Int64? = nil, fromID: Int64, toID: Int64) {
        self.id = id
        self.fromID = fromID
        self.toID = toID
        kind = r.kind
        status = r.status
        since = r.since?.description
        until = r.until?.description
        notes = r.notes
    }

    init(row: Row) throws {
        self = try Self.decoded(from: row)
    }
}

extension Relationship {
    /// The relationship a row holds, its ends named by handle.
    init(record r: RelationshipRecord, from: String, to: String, sources: [String]) throws {
        self.init(from: from, to: to, kind: r.kind, status: r.status, since: try r.since.map(PartialDate.init),
                  until: try r.until.map(PartialDate.init), notes: r.notes, sources: sources)
    }
}

/// `relationship_sources`: a source a relationship cites.
enum RelationshipSources: LinkTable { static let name = "relationship_sources", owner = "relationship_id", target = "source_id" }

/// A row of `sources`: `uid` is the id users and files see, `id` the row id that joins.
struct SourceRecord: Codable, Equatable, FetchableRecord, RowIDRecord {
    static let databaseTableName = "sources"

    var id: Int64?
    var uid: String
    var url: String?
    var title: String?
    var publisher: String?
    var published: String?
    var excerpt: String?

    enum Columns: String, CodingKey, ColumnExpression { case id, uid, url, title, publisher, published, excerpt }
    typealias CodingKeys = Columns

    /// The row of a source.
    init(_ s: Source, id: Int64? = nil) {
        self.id = id
        uid = s.id
        url = s.url
        title = s.title
        publisher = s.publisher
        published = s.published?.description
        excerpt = s.excerpt
    }
}

extension Source {
    /// The source a row holds.
    init(record r: SourceRecord) throws {
        self.init(id: r.uid, url: r.url, title: r.title, publisher: r.publisher, published: try r.published.map(PartialDate.init), excerpt: r.excerpt)
    }
}

/// A row of `campaigns`.
struct CampaignRecord: Codable, Equatable, FetchableRecord, RowIDRecord {
    static let databaseTableName = "campaigns"

    var id: Int64?
    var handle: String
    var name: String
    var nameKey: String
    var notes: String?

    enum Columns: String, CodingKey, ColumnExpression {
        case id, handle, name, notes
        case nameKey = "name_key"
    }
    typealias CodingKeys = Columns

    /// The row of a campaign.
    init(_ c: Campaign, id: Int64? = nil) {
        self.id = id
        handle = c.handle
        name = c.name
        nameKey = Naming.key(c.name)
        notes = c.notes
    }
}

extension Campaign {
    /// The campaign a row holds, with its sources.
    init(record r: CampaignRecord, sources: [String] = []) {
        self.init(handle: r.handle, name: r.name, notes: r.notes, sources: sources)
    }
}

/// `campaign_sources`: a source that says a campaign exists.
enum CampaignSources: LinkTable { static let name = "campaign_sources", owner = "campaign_id", target = "source_id" }

/// The one row of `home`: the organization this database belongs to.
struct HomeRecord: Codable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "home"

    /// Always 1: the table holds at most one row.
    var singleton = 1
    var organizationID: Int64

    enum Columns: String, CodingKey, ColumnExpression {
        case singleton
        case organizationID = "organization_id"
    }
    typealias CodingKeys = Columns
}
