import Foundation
import GRDB
import Testing
@testable import SolidarityCore

/// The directory's GRDB records: each writes its row and reads it back as written, and a stored
/// word outside an enumeration is refused naming the table and row, never read as a default.
@Suite("Directory records")
struct DirectoryRecordsTests {
    /// Rows of every directory table, inserted through their records; returns what was written.
    struct Written {
        var source: SourceRecord
        var campaign: CampaignRecord
        var parent: OrganizationRecord
        var organization: OrganizationRecord
        var alias: OrganizationAliasRecord
        var person: PersonRecord
        var title: PersonTitleRecord
        var relationship: RelationshipRecord
    }

    static func write(_ db: Database) throws -> Written {
        var source = SourceRecord(Source(id: "s1", url: "https://example.org/1", title: "A text", publisher: "UE News",
                                         published: try PartialDate("2020-05"), excerpt: "An excerpt"))
        try source.insert(db)
        var campaign = CampaignRecord(Campaign(handle: "climate", name: "Climate Change", notes: "Just transition"))
        try campaign.insert(db)
        var parent = OrganizationRecord(Organization(handle: "fat", name: "Frente Auténtico del Trabajo", acronym: "FAT", kind: .confederation,
                                                     country: "MX"), parentID: nil)
        try parent.insert(db)
        var organization = OrganizationRecord(Organization(
            handle: "stimahcs", name: "Sindicato de Trabajadores", acronym: "STIMAHCS", nativeName: "Sindicato", nativeNameLang: "es",
            kind: .union, country: "MX", region: "MX-CMX", city: "Ciudad de México", members: 1200, membersAsOf: try PartialDate("2024"),
            website: "https://example.org", notes: "Notes", sensitive: true), parentID: parent.id)
        try organization.insert(db)
        let alias = OrganizationAliasRecord(organizationID: organization.id!, position: 0, alias: .init(name: "Metal Workers", lang: "en"))
        try alias.insert(db)
        try LinkRecord<OrganizationCampaigns>(owner: organization.id!, target: campaign.id!).insert(db)
        try LinkRecord<OrganizationSources>(owner: organization.id!, target: source.id!).insert(db)
        var person = PersonRecord(Person(handle: "ana", name: "Ana López", email: "ana@example.org", phone: "+52 1", secureMessaging: "signal",
                                         notes: "Met in 2023", sensitive: false))
        try person.insert(db)
        try PersonLanguageRecord(personID: person.id!, position: 0, lang: "es").insert(db)
        try LinkRecord<PersonSources>(owner: person.id!, target: source.id!).insert(db)
        var title = PersonTitleRecord(id: nil, personID: person.id!, organizationID: organization.id!, title: "Secretary", since: "2019",
                                      until: nil, asOf: "2020", sourceID: source.id!)
        try title.insert(db)
        var relationship = RelationshipRecord(Relationship(from: "stimahcs", to: "fat", kind: .memberOf, status: .close, since: try PartialDate("2001"),
                                                           notes: "Founding member"), fromID: organization.id!, toID: parent.id!)
        try relationship.insert(db)
        try LinkRecord<RelationshipSources>(owner: relationship.id!, target: source.id!).insert(db)
        try LinkRecord<CampaignSources>(owner: campaign.id!, target: source.id!).insert(db)
        try HomeRecord(organizationID: parent.id!).insert(db)
        return Written(source: source, campaign: campaign, parent: parent, organization: organization, alias: alias, person: person,
                       title: title, relationship: relationship)
    }

    @Test("every directory record reads back as it was written")
    func roundTrip() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        try store.write { db in
            let w = try Self.write(db)
            #expect(try SourceRecord.fetchOne(db, key: w.source.id) == w.source)
            #expect(try CampaignRecord.fetchOne(db, key: w.campaign.id) == w.campaign)
            #expect(try OrganizationRecord.fetchOne(db, key: w.parent.id) == w.parent)
            #expect(try OrganizationRecord.fetchOne(db, key: w.organization.id) == w.organization)
            #expect(try OrganizationAliasRecord.fetchAll(db) == [w.alias])
            #expect(try LinkRecord<OrganizationCampaigns>.fetchAll(db) == [.init(owner: w.organization.id!, target: w.campaign.id!)])
            #expect(try LinkRecord<OrganizationSources>.fetchAll(db) == [.init(owner: w.organization.id!, target: w.source.id!)])
            #expect(try PersonRecord.fetchOne(db, key: w.person.id) == w.person)
            #expect(try PersonLanguageRecord.fetchAll(db) == [.init(personID: w.person.id!, position: 0, lang: "es")])
            #expect(try LinkRecord<PersonSources>.fetchAll(db) == [.init(owner: w.person.id!, target: w.source.id!)])
            #expect(try PersonTitleRecord.fetchOne(db, key: w.title.id) == w.title)
            #expect(try RelationshipRecord.fetchOne(db, key: w.relationship.id) == w.relationship)
            #expect(try LinkRecord<RelationshipSources>.fetchAll(db) == [.init(owner: w.relationship.id!, target: w.source.id!)])
            #expect(try LinkRecord<CampaignSources>.fetchAll(db) == [.init(owner: w.campaign.id!, target: w.source.id!)])
            #expect(try HomeRecord.fetchAll(db) == [HomeRecord(organizationID: w.parent.id!)])
            // The folded keys are written by the record, as every reference finds them.
            #expect(w.organization.acronymKey == "stimahcs" && w.alias.aliasKey == "metal workers" && w.person.nameKey == "ana lopez")
        }
    }

    @Test("the domain values built from the records are the ones the store gives")
    func domainValues() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        try store.write { db in
            let w = try Self.write(db)
            let organization = try Organizations(db: db).find("stimahcs")
            #expect(try organization == Organization(record: w.organization, parent: "fat", aliases: [.init(name: "Metal Workers", lang: "en")],
                                                      campaigns: ["climate"], sources: ["s1"]))
            #expect(try Sources(db: db).all() == [Source(record: w.source)])
            #expect(try Campaigns(db: db).all() == [Campaign(record: w.campaign, sources: ["s1"])])
            let person = try People(db: db).find("ana")
            #expect(person.titles.map(\.summary) == ["Secretary, stimahcs (2019–, as of 2020, s1)"])
            #expect(try Relationships(db: db).list(organization: nil, kind: nil, status: nil)
                    == [Relationship(record: w.relationship, from: "stimahcs", to: "fat", sources: ["s1"])])
        }
    }

    /// One word outside its enumeration, written with raw SQL past the schema's CHECK.
    struct Tampering: Sendable, CustomStringConvertible {
        let table: String, column: String, value: String
        var description: String { "\(table).\(column)" }
    }

    @Test("a stored word outside its enumeration is refused, naming the table and the row", arguments: [
        Tampering(table: "organizations", column: "kind", value: "unoin"),
        Tampering(table: "relationships", column: "kind", value: "aly"),
        Tampering(table: "relationships", column: "status", value: "actve"),
    ])
    func tamperedWord(_ tampering: Tampering) throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        let id = try store.write { db -> Int64 in
            let w = try Self.write(db)
            let id = tampering.table == "organizations" ? w.organization.id! : w.relationship.id!
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            try db.execute(sql: "UPDATE \(tampering.table) SET \(tampering.column) = ? WHERE id = ?", arguments: [tampering.value, id])
            return id
        }
        #expect {
            try store.read { db in
                _ = tampering.table == "organizations"
                    ? try OrganizationRecord.fetchOne(db, key: id).map { _ in () }
                    : try RelationshipRecord.fetchOne(db, key: id).map { _ in () }
            }
        } throws: { error in
            let error = error as? SolidarityError
            return error?.reason == .database && error?.message.hasPrefix(
                "\(tampering.table) row \(id) has \(tampering.column) \"\(tampering.value)\", which this version does not know") == true
        }
    }
}
