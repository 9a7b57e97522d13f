import Foundation
@testable import SolidarityCore
import Testing

// Sites that can be edited, removed and replaced: a gap recorded only as a country ("Wabtec
// workers in Brazil") becomes the real workplace, and what names a site is never lost silently.

@Suite("Editing, removing and replacing sites")
struct SiteEditingTests {
    /// The Seeds' gap for Wabtec in Brazil.
    static let brazilGap = "ef476nplyb"

    @Test("a country gap becomes a real site by editing it: same id, its activity still names it")
    func gapBecomesSite() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let trip = try store.log(Activity(kind: .delegation, title: "Visit to Contagem", start: try PartialDate("2024-03"), sites: ["Wabtec workers in Brazil"]))
        #expect(trip.sites == [Self.brazilGap])
        let site = try store.editSite("Wabtec workers in Brazil") { s in
            s.name = "Example Wabtec plant"
            s.city = "Contagem"
            s.sector = "rail equipment"
        }
        #expect(site.id == Self.brazilGap && site.name == "Example Wabtec plant" && site.city == "Contagem" && site.country == "BR")
        #expect(try store.site(Self.brazilGap).sector == "rail equipment")
        #expect(try store.activity(trip.id).sites == [Self.brazilGap])
        #expect(site.location == "Example Wabtec plant, Contagem, Brazil")
    }

    @Test("moving a site or an organization to another country drops a region that is not in it")
    func countryClearsRegion() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let site = try store.addSite(Site(employer: "wabtec", name: "Example Quebec shop", country: "CA", region: "CA-QC"))
        let moved = try store.editSite(site.id) { $0.move(to: "US") }
        #expect(moved.country == "US" && moved.region == nil)
        let kept = try store.editSite(site.id) { s in
            s.move(to: "CA")
            s.region = "CA-ON"
        }
        #expect(kept.region == "CA-ON")
        let same = try store.editSite(site.id) { $0.move(to: "CA") }
        #expect(same.region == "CA-ON")
        let organization = try store.editOrganization("ccmm-csn") { $0.move(to: "FR") }
        #expect(organization.country == "FR" && organization.region == nil)
    }

    @Test("a site named by unions or activities is kept, with their list, unless forced; nothing is written")
    func removeRefused() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let shop = "tprryivbde"
        let trip = try store.log(Activity(kind: .meeting, title: "Shop floor meeting", start: try PartialDate("2024-06"), sites: [shop]))
        let before = contents(folder.path("test.sqlite"))
        #expect {
            try store.removeSite(shop)
        } throws: { error in
            guard let error = error as? SolidarityError, error.reason == .conflict else { return false }
            return error.message.contains("union ue-local-506") && error.message.contains("meeting \(trip.id) \"Shop floor meeting\"")
                // The command line words this remedy "Give --force … or … `solidarity site replace SHOP --by SITE`" (FlagHintsTests).
                && error.remedy == .removeAnywayOrReplaceSite(shop)
        }
        #expect(contents(folder.path("test.sqlite")) == before)
        #expect(try store.site(shop).unions.count == 1)

        let removed = try store.removeSite(shop, force: true)
        #expect(removed.links.count == 2)
        #expect(throws: SolidarityError.self) { try store.site(shop) }
        #expect(try store.activity(trip.id).sites.isEmpty)
        #expect(try store.organization("ue-local-506").handle == "ue-local-506")

        // A site nothing names goes without --force.
        #expect(try store.removeSite("Wabtec workers in Italy").links.isEmpty)
    }

    @Test("replacing a gap by a real site moves its unions, activities and sources, then removes the gap")
    func replaceGap() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        _ = try store.addOrganization(Organization(name: "Example Metalworkers of Contagem", acronym: "EMC", country: "BR"))
        _ = try store.represent(site: Self.brazilGap, Site.Representation(organization: "emc", since: try PartialDate("2015")))
        let trip = try store.log(Activity(kind: .delegation, title: "Visit to Brazil", start: try PartialDate("2024-03"), sites: [Self.brazilGap]))
        let plant = try store.addSite(Site(employer: "wabtec", name: "Example Wabtec plant", country: "BR", city: "Contagem"))

        let result = try store.replaceSite("Wabtec workers in Brazil", by: "Example Wabtec plant")
        #expect(result.replaced.id == Self.brazilGap && result.by.id == plant.id && result.moved.count == 2)
        #expect(throws: SolidarityError.self) { try store.site(Self.brazilGap) }
        let now = try store.site(plant.id)
        #expect(now.unions.map(\.organization) == ["emc"] && now.unions[0].since?.description == "2015")
        #expect(now.sources == ["ue-79-international-solidarity"])
        #expect(try store.activity(trip.id).sites == [plant.id])
    }

    @Test("a site is replaced only by one of the same employer (or a subsidiary) in the same country")
    func replaceRefused() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let before = contents(folder.path("test.sqlite"))
        #expect {
            try store.replaceSite(Self.brazilGap, by: "Wabtec workers in Italy")
        } throws: { ($0 as? SolidarityError)?.message.contains("same country") == true }
        #expect(contents(folder.path("test.sqlite")) == before, "a refused replacement writes nothing")
        _ = try store.addEmployer(Employer(name: "Example Other Company"))
        let other = try store.addSite(Site(employer: "example-other-company", name: "Example other plant", country: "BR"))
        let beforeSecond = contents(folder.path("test.sqlite"))
        #expect {
            try store.replaceSite(Self.brazilGap, by: other.id)
        } throws: { ($0 as? SolidarityError)?.message.contains("same employer") == true }
        #expect(contents(folder.path("test.sqlite")) == beforeSecond, "a refused replacement writes nothing")
        _ = try store.addEmployer(Employer(name: "Example Wabtec Brasil", parent: "wabtec"))
        let subsidiary = try store.addSite(Site(employer: "example-wabtec-brasil", name: "Example subsidiary plant", country: "BR"))
        #expect(try store.replaceSite(Self.brazilGap, by: subsidiary.id).by.id == subsidiary.id)
    }
}

@Suite("Activities that name sites")
struct ActivitySiteTests {
    @Test("an activity's sites are kept by id, edited, cleared, and their links removed with the activity")
    func storeAndEdit() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let trip = try store.log(Activity(kind: .delegation, title: "Visit", start: try PartialDate("2024-03"),
                                          sites: ["Wabtec workers in Brazil", "ef476nplyb", "tprryivbde"]))
        #expect(trip.sites == ["ef476nplyb", "tprryivbde"])
        let edited = try store.editActivity(trip.id) { $0.sites = ["zkxzommbxv"] }
        #expect(edited.activity.sites == ["zkxzommbxv"])
        #expect {
            try store.log(Activity(kind: .meeting, title: "Nowhere", sites: ["No such plant"]))
        } throws: { ($0 as? SolidarityError)?.reason == .notFound }
        _ = try store.removeActivity(trip.id)
        #expect(try store.removeSite("zkxzommbxv").links.isEmpty)
    }

    @Test("export writes an activity's sites and import reads them back, refusing an unknown site by its JSON path")
    func interchange() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let trip = try store.log(Activity(kind: .delegation, title: "Visit", start: try PartialDate("2024-03"), sites: ["ef476nplyb"]))
        let exported = try store.export()
        #expect(exported.document.activities.first { $0.id == trip.id }?.sites == ["ef476nplyb"])

        let (empty, other) = try makeStore()
        defer { other.remove() }
        _ = try empty.importDocument(exported.data, name: "export.json")
        #expect(try empty.activity(trip.id).sites == ["ef476nplyb"])
        #expect(try empty.export().data == exported.data)

        var document = exported.document
        document.sites.removeAll { $0.id == "ef476nplyb" }
        let data = try JSONEncoder().encode(document)
        let (third, thirdFolder) = try makeStore()
        defer { thirdFolder.remove() }
        #expect {
            try third.importDocument(data, name: "broken.json")
        } throws: { error in
            let message = (error as? SolidarityError)?.message ?? ""
            return message.contains(".sites[0]: no site \"ef476nplyb\" in the file or the database")
        }
    }

    @Test("a spreadsheet of activities may name sites in a sites column")
    func spreadsheet() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let csv = "id,kind,title,start,sites\nexamplecsv1,meeting,Shop meeting,2024-06,\"Wabtec workers in Brazil; tprryivbde\"\n"
        _ = try store.importSpreadsheet(Data(csv.utf8), name: "activities.csv", as: .activities)
        #expect(try store.activity("examplecsv1").sites == ["ef476nplyb", "tprryivbde"])
        let bad = "id,kind,title,start,sites\nexamplecsv2,meeting,Other meeting,2024-06,No such plant\n"
        #expect {
            try store.importSpreadsheet(Data(bad.utf8), name: "activities.csv", as: .activities)
        } throws: { ($0 as? SolidarityError)?.message.contains("column sites") == true }
    }

    @Test("the calendar's LOCATION, the timeline and the appendix name the sites")
    func outputs() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        _ = try store.editSite("ef476nplyb") { s in
            s.name = "Example Wabtec plant"
            s.city = "Contagem"
        }
        let trip = try store.log(Activity(kind: .delegation, title: "Visit to the Contagem plant", start: try PartialDate("2024-03-10"),
                                          itinerary: [.init(country: "BR", city: "Contagem"), .init(country: "BR", city: "Sao Paulo")],
                                          organizations: [.init(organization: "ue", role: .sender), .init(organization: "cut", role: .met)],
                                          sites: ["ef476nplyb"]))
        let calendar = try store.calendar().text
        #expect(calendar.contains("LOCATION:Example Wabtec plant\\, Contagem\\, Brazil\\; Sao Paulo\\, Brazil"))

        let timeline = try store.timeline(of: "cut")
        #expect(timeline.first { $0.ref == trip.id }?.sites == ["Example Wabtec plant, Contagem, Brazil"])

        let appendix = try store.appendix(for: "ue-79-international-solidarity", since: try PartialDate("2023-09"))
        #expect(appendix.activities.first { $0.activity.id == trip.id }?.sites == ["Example Wabtec plant, Contagem, Brazil"])
        #expect(appendix.markdown.contains("at Example Wabtec plant, Contagem, Brazil"))
    }
}
