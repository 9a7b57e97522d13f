import Foundation
import GRDB
import Testing
@testable import SolidarityCore

/// The Seeds say what the texts in the seeds folder say: titles with their basis, the funds and the
/// coalition the 79th convention's resolution names, Alstom and the IAM from the AFL-CIO's news, and
/// the trips the convention's appendix needs, each with the text it comes from.
@Suite("Seed facts")
struct SeedFactsTests {
    static let convention = "ue-79-international-solidarity"
    static let nasp = "ue-nasp-resolution"
    static let aflcio = "aflcio-worker-wins-2026-01-15"

    @Test("every title the texts give without dates says when a text shows it held and which text", arguments: [
        ("andrew-dinkelaker", "Secretary-Treasurer, ue (as of 2020, ue-nasp-resolution)"),
        ("carl-rosen", "General President, ue (as of 2025-05, ue-79-international-solidarity)"),
        ("john-miles", "Business Agent, ue-local-506 (as of 2025-08, ue-79-international-solidarity)"),
        ("janet-gray", "Business Agent, ue-local-618 (as of 2025-08, ue-79-international-solidarity)"),
        ("john-thompson", "Staff Coordinator, ue (as of 2025-08, ue-79-international-solidarity)"),
        ("lana-payne", "National President, unifor (as of 2025, ue-79-international-solidarity)"),
    ])
    func titlesShowTheirBasis(person: String, summary: String) throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        #expect(try store.person(person).titles.map(\.summary) == [summary])
    }

    @Test("no seeded title is undated without a basis")
    func noBareTitle() throws {
        let document = try Seeds.document()
        let sources = Set(document.sources.map(\.id))
        for person in document.people {
            for title in person.titles where title.since == nil {
                #expect(title.asOf != nil, "\(person.handle): \(title.title)")
                #expect(title.source.map(sources.contains) == true, "\(person.handle): \(title.title)")
            }
        }
    }

    @Test("org show's people and search give a title's basis too")
    func basisInProfileAndSearch() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let officer = try #require(try store.profile(ofOrganization: "ue").people.first { $0.person == "andrew-dinkelaker" })
        #expect(officer.basis == "as of 2020, ue-nasp-resolution")
        let hit = try #require(try store.search("Dinkelaker").first { $0.kind == .person })
        #expect(hit.detail == "Secretary-Treasurer, ue (as of 2020, ue-nasp-resolution)")
    }

    @Test("the two funds clause 5 names are campaigns with their source, the clause links to them, and search finds them", arguments: [
        ("ue-fat-solidarity-fund", "UE-FAT Solidarity Fund", "solidarity fund"),
        ("ue-research-and-education-fund", "UE Research and Education Fund", "research education fund"),
    ])
    func funds(handle: String, name: String, words: String) throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let campaign = try #require(try store.campaigns().first { $0.handle == handle })
        #expect(campaign.name == name)
        #expect(campaign.sources == [Self.convention])
        let clause = try store.resolution(Self.convention).clauses[4]
        #expect(clause.text.contains(name))
        #expect(clause.campaigns == ["ue-fat-solidarity-fund", "ue-research-and-education-fund"])
        #expect(try store.search(words).contains { $0.kind == .campaign && $0.handle == handle && $0.detail == Self.convention })
    }

    @Test("the coalition mobilizing around the USMCA review is a campaign with its source, and the opposition to NAFTA with the FAT is noted")
    func tradeCampaign() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let coalition = try #require(try store.campaigns().first { $0.handle == "usmca-review-mobilization" })
        #expect(coalition.sources == [Self.convention])
        #expect(coalition.notes?.contains("large coalition of labor, environmental, and community groups") == true)
        #expect(coalition.notes?.contains("NAFTA") == true)
        #expect(try store.organization("ue").campaigns.contains("usmca-review-mobilization"))
        #expect(try store.search("USMCA").contains { $0.kind == .campaign && $0.handle == "usmca-review-mobilization" })
        let fat = try #require(try store.relationships(of: "ue", kind: .ally).first { $0.to == "fat" })
        #expect(fat.notes?.contains("opposing the initial passage of the North American Free Trade Agreement (NAFTA)") == true)
        #expect(fat.sources.contains(Self.convention))
    }

    @Test("Alstom, its Plattsburgh site and the IAM representing it come from the AFL-CIO's page")
    func alstom() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let source = try #require(try store.sources().first { $0.id == Self.aflcio })
        #expect(source.publisher == "AFL-CIO" && source.published?.description == "2026-01-15")
        let alstom = try store.employer("Alstom Transportation")
        #expect(alstom.handle == "alstom" && alstom.sources == [Self.aflcio])
        let sites = try store.sites(SiteFilter(employer: "alstom"))
        #expect(sites.count == 1)
        let site = try #require(sites.first)
        #expect(site.city == "Plattsburgh" && site.region == "US-NY" && site.country == "US")
        #expect(site.unions.map(\.organization) == ["iam"])
        #expect(site.sources == [Self.aflcio])
        let iam = try store.organization("IAM Union")
        #expect(iam.handle == "iam" && iam.sources == [Self.aflcio])
    }

    @Test("the trips the 79th convention's appendix needs are in the Seeds, dated only as the texts date them", arguments: [
        ("ib7cv5zkij", "2025-08", Activity.Status.done, "JP"),   // John Miles to Zenroren in Japan
        ("u3oow7gspn", "2025-11", Activity.Status.planned, "AU"), // to the IndustriALL Congress in Australia
        ("rtdl4f53iu", nil, Activity.Status.done, "CU"),          // UE members' trip to Cuba: undated
        ("hpqzdty3lq", "2025-05", Activity.Status.done, "CA"),    // Carl Rosen at the CCMM-CSN's convention in Montreal
        ("n55bsrpwgl", "2024-05", Activity.Status.done, "MX"),    // the delegation to the FAT in Mexico
    ])
    func appendixTrips(id: String, start: String?, status: Activity.Status, country: String) throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let trip = try store.activity(id)
        #expect(trip.start?.description == start && trip.status == status)
        #expect(trip.itinerary.map(\.country) == [country])
        #expect(trip.sources == [Self.convention])
    }

    @Test("the NASP text's 2021 Zoom exchanges are in the Seeds, dated 2021, with the NASP resolution as source")
    func zoomExchanges() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let exchanges = try store.activity("dng3ab3nq3")
        #expect(exchanges.start?.description == "2021" && exchanges.virtual && exchanges.sources == [Self.nasp])
    }

    @Test("a title's basis, a campaign's sources and a clause's campaigns survive export and import unchanged")
    func roundTrip() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let exported = try store.export().data
        let copy = try Store(path: folder.path("copy.sqlite"), access: .create)
        _ = try copy.importDocument(exported, name: "export.json")
        #expect(try copy.export().data == exported)
        #expect(try copy.person("andrew-dinkelaker").titles.first?.source == Self.nasp)
        #expect(try copy.resolution(Self.convention).clauses[4].campaigns.count == 2)
    }

    @Test("a title citing a source that is not recorded is refused with where it is, and nothing is written")
    func unknownTitleSource() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        let file = """
            {"format": "solidarity/1", "organizations": [{"handle": "ue", "name": "UE", "kind": "union"}],
             "people": [{"handle": "a-b", "name": "A B", "titles": [{"organization": "ue", "title": "Organizer", "as_of": "2020", "source": "nowhere"}]}]}
            """
        #expect {
            try store.importDocument(Data(file.utf8), name: "people.json")
        } throws: { error in
            "\(error)".contains("$.people[0].titles[0].source")
        }
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM people") } == 0)
    }

    @Test("a people spreadsheet's as_of and title_source columns give a title its basis; without a title they are refused")
    func spreadsheetBasis() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let csv = "name,organization,title,as_of,title_source\nLucía Pérez,fat,International Secretary,2024-05,ue-79-international-solidarity\n"
        #expect(try store.importSpreadsheet(Data(csv.utf8), name: "people.csv", as: .people).added == 1)
        #expect(try store.person("lucia-perez").titles.map(\.summary) == ["International Secretary, fat (as of 2024-05, ue-79-international-solidarity)"])
        let alone = "name,as_of\nAna Gómez,2024\n"
        #expect {
            try store.importSpreadsheet(Data(alone.utf8), name: "people.csv", as: .people)
        } throws: { error in
            "\(error)".contains("as_of and title_source say where a title comes from")
        }
    }

    @Test("a database made before campaigns were searched finds its campaigns once migrated")
    func campaignsIndexedByTheMigration() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("old.sqlite")
        let before = Array(Migration.all.prefix { $0.name < "0009" })
        let old = try Store(path: path, access: .create, migrator: Migrator(migrations: before))
        try old.write { db in
            try db.execute(sql: "INSERT INTO campaigns (handle, name, name_key, notes) VALUES ('strike-fund', 'Strike Fund', 'strike fund', NULL)")
        }
        let migrated = try Store(path: path, access: .write)
        #expect(try migrated.search("strike").map(\.handle) == ["strike-fund"])
    }
}
