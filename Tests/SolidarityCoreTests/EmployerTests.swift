import Foundation
import GRDB
import Testing
@testable import SolidarityCore

@Suite("Employers, sites and representation")
struct EmployerTests {
    @Test("a corporate tree shows owners and subsidiaries at their depth, and refuses a cycle")
    func corporateTree() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        _ = try store.addEmployer(Employer(name: "Wabtec Faiveley", country: "FR", parent: "wabtec"))
        _ = try store.addEmployer(Employer(handle: "faiveley-brazil", name: "Faiveley Transport do Brasil", country: "BR", parent: "Wabtec Faiveley"))
        let wabtec = try store.profile(ofEmployer: "Westinghouse Air Brake Technologies Corporation")
        #expect(wabtec.subsidiaries.map(\.handle) == ["wabtec-faiveley", "faiveley-brazil"])
        #expect(wabtec.subsidiaries.map(\.depth) == [1, 2])
        #expect(try store.profile(ofEmployer: "faiveley-brazil").ancestors == ["wabtec-faiveley", "wabtec"])
        #expect {
            try store.editEmployer("wabtec") { $0.parent = "faiveley-brazil" }
        } throws: { error in
            let error = error as? SolidarityError
            return error?.reason == .conflict && error?.message.contains("circle") == true
        }
        #expect(try store.employer("wabtec").parent == nil)
    }

    @Test("the seeded Wabtec chain has the three UE locals' shops and three sites with no union recorded")
    func seededChain() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let sites = try store.sites(SiteFilter(employer: "wabtec"))
        #expect(sites.count == 6)
        #expect(Set(sites.filter { $0.unions.isEmpty }.map(\.country)) == ["GB", "BR", "IT"])
        #expect(Set(sites.flatMap(\.unions).map(\.organization)) == ["ue-local-506", "ue-local-610", "ue-local-618"])
        #expect(try store.profile(ofEmployer: "wabtec").sitesByCountry.map(\.country) == ["BR", "GB", "IT", "US"])
        #expect(try store.relationships(of: "industriall", kind: .founderOf).map(\.to) == ["global-alliance-of-general-electric-workers"])
    }

    @Test("representation is kept over time: a union's since and until, and who represents a site on a date")
    func representationOverTime() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let site = try store.addSite(Site(employer: "wabtec", name: "Wabtec Contagem", country: "BR", city: "Contagem",
                                          unions: [.init(organization: "CUT", since: try PartialDate("2015"))]))
        _ = try store.represent(site: site.id, .init(organization: "cut", since: try PartialDate("2015"), until: try PartialDate("2022-06")))
        let after = try store.represent(site: "Wabtec Contagem", .init(organization: "fat", since: try PartialDate("2022-07")))
        #expect(after.unions.count == 2)
        let cut = try #require(after.unions.first { $0.organization == "cut" })
        #expect(cut.until?.description == "2022-06")
        #expect(cut.isCurrent(on: try PartialDate("2020")))
        #expect(!cut.isCurrent(on: try PartialDate("2023")))
        #expect(!cut.isCurrent())
        #expect(try store.sites(SiteFilter(union: "cut")).map(\.id) == [site.id])
        #expect {
            try store.represent(site: site.id, .init(organization: "fat", since: try PartialDate("2024"), until: try PartialDate("2023")))
        } throws: { ($0 as? SolidarityError)?.reason == .invalidInput }
    }

    @Test("an unknown employer and a site in an invalid country are refused, and nothing is written")
    func badSites() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        #expect {
            try store.addSite(Site(employer: "Siemens", name: "Plattsburgh", country: "US"))
        } throws: { ($0 as? SolidarityError)?.reason == .notFound }
        #expect {
            try store.addSite(Site(employer: "wabtec", name: "Wabtec UK", country: "UK"))
        } throws: { ($0 as? SolidarityError)?.message.contains("GB") == true }
        #expect(try store.sites().count == 7)
    }

    @Test("one employer's sites are read through an index, not a scan")
    func siteListingUsesIndex() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let plan = try store.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT id FROM sites WHERE employer_id = ? ORDER BY employer_id, country, name_key, uid", arguments: [1])
                .map { $0["detail"] as String }.joined(separator: "; ")
        }
        #expect(plan.contains("USING INDEX sites_by_employer"), "\(plan)")
        #expect(!plan.contains("SCAN sites "), "\(plan)")
    }

    @Test("search finds employers and sites")
    func search() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        #expect(try store.search("westinghouse").first?.handle == "wabtec")
        #expect(try store.search("Italy").contains { $0.kind == .site })
    }
}
