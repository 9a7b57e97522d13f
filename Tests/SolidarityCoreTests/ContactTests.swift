import Foundation
import GRDB
import Testing
@testable import SolidarityCore

@Suite("Last contact is contact with us")
struct ContactTests {
    let today = try! PartialDate("2026-11-23")

    /// The CSN's (or another ally's) last contact as part A of the seeded appendix gives it.
    func partA(_ store: Store, _ handle: String, since: String = "2023-09", until: String? = nil,
               includeSensitive: Bool = false) throws -> LastContact? {
        let appendix = try store.appendix(for: "ue-79-international-solidarity", since: try PartialDate(since),
                                          until: try until.map(PartialDate.init), includeSensitive: includeSensitive)
        return try #require(appendix.organizations.first { $0.organization.handle == handle }).lastContact
    }

    func stale(_ store: Store, _ handle: String, today: PartialDate? = nil) throws -> StaleAlly {
        try #require(try store.staleAllies(months: 0, today: today ?? self.today).first { $0.organization == handle })
    }

    @Test("Zenroren meeting the Chicago Teachers Union is not contact with us: the last contact stays our own with Zenroren")
    func someoneElsesMeeting() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        _ = try store.log(Activity(kind: .meeting, title: "Zenroren and the CTU meet again", start: try PartialDate("2024-10"),
                                   organizations: [.init(organization: "zenroren", role: .participant), .init(organization: "ctu", role: .participant)]))
        let horizon = try PartialDate("2024-12")
        let zenroren = try stale(store, "zenroren", today: horizon)
        #expect(zenroren.lastContact?.description == "2024-04" && zenroren.lastActivity == "Zenroren delegation hosted in Chicago after Labor Notes")
        #expect(zenroren.lastContactVia == nil)
        let appendix = try partA(store, "zenroren", until: "2024-12")
        #expect(appendix?.title == "Zenroren delegation hosted in Chicago after Labor Notes", "\(String(describing: appendix))")
        // With the seeded database alone, part A no longer shows the CTU meeting of 2024-04.
        #expect(try partA(store, "zenroren", until: "2025-07")?.title == "Zenroren delegation hosted in Chicago after Labor Notes")
    }

    @Test("the shipped Seeds: the CSN's last contact is the 2025-05 delegation to the CCMM-CSN, via the CCMM-CSN")
    func seededCSN() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let appendix = try store.appendix(for: "ue-79-international-solidarity")
        let csn = try #require(appendix.organizations.first { $0.organization.handle == "csn" })
        #expect(csn.lastContact?.description == "2025-05 via CCMM-CSN")
        #expect(csn.lastContact?.title == "Carl Rosen at the triennial convention of the CCMM-CSN")
        #expect(appendix.markdown.contains("| 2025-05 via CCMM-CSN: Carl Rosen at the triennial convention of the CCMM-CSN |"))
        #expect(appendix.html.contains("<td>2025-05 via CCMM-CSN: Carl Rosen at the triennial convention of the CCMM-CSN</td>"))
        let stale = try stale(store, "csn")
        #expect(stale.lastContact?.description == "2025-05" && stale.lastContactVia == "CCMM-CSN")
    }

    @Test("a home local's delegation to the CCMM-CSN is contact with the CSN, via both units")
    func localToUnit() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        _ = try store.log(Activity(kind: .delegation, title: "Local 506 at the CCMM-CSN", start: try PartialDate("2025-09-12"),
                                   organizations: [.init(organization: "ccmm-csn", role: .host), .init(organization: "ue-local-506", role: .sender)]))
        let csn = try stale(store, "csn")
        #expect(csn.lastContact?.description == "2025-09-12" && csn.lastContactVia == "UE Local 506 and CCMM-CSN")
        #expect(csn.lastActivity == "Local 506 at the CCMM-CSN")
    }

    @Test("a call of one of our people counts, while the title is held; a former officer's call does not")
    func ourPeople() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        _ = try store.log(Activity(kind: .call, title: "John Miles calls the CSN", start: try PartialDate("2025-10"),
                                   organizations: [.init(organization: "csn", role: .participant)],
                                   people: [.init(person: "john-miles", role: .delegate)]))
        let csn = try stale(store, "csn")
        #expect(csn.lastContact?.description == "2025-10" && csn.lastContactVia == "John Miles" && csn.lastActivity == "John Miles calls the CSN")

        _ = try store.addPerson(Person(name: "Former Officer", titles: [.init(organization: "ue", title: "Organizer", until: try PartialDate("2019"))]))
        _ = try store.log(Activity(kind: .call, title: "A former officer calls the CSN", start: try PartialDate("2025-11"),
                                   organizations: [.init(organization: "csn", role: .participant)],
                                   people: [.init(person: "former-officer", role: .delegate)]))
        #expect(try stale(store, "csn").lastActivity == "John Miles calls the CSN")
    }

    @Test("allies, stale and the appendix give the same last contact")
    func sameEverywhere() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        _ = try store.addSite(Site(employer: "wabtec", name: "Wabtec Saint-Laurent", country: "CA", unions: [.init(organization: "csn")]))
        _ = try store.log(Activity(kind: .meeting, title: "Zenroren and the CSN", start: try PartialDate("2025-06"),
                                   organizations: [.init(organization: "csn", role: .participant), .init(organization: "zenroren", role: .participant)]))
        let allies = try store.allies(employer: "wabtec", today: today)
        let union = try #require(allies.countries.flatMap(\.sites).flatMap(\.unions).first { $0.organization == "csn" })
        let stale = try stale(store, "csn")
        let appendix = try #require(try partA(store, "csn", until: "2026-11"))
        #expect(union.lastContact?.activity == appendix.activity && union.lastContact?.via == appendix.viaText)
        #expect(union.lastContact?.date == stale.lastContact && union.lastContact?.via == stale.lastContactVia)
        #expect(union.lastContact?.title == stale.lastActivity && stale.lastActivity == appendix.title)
        #expect(appendix.description == "2025-05 via CCMM-CSN")
        let json = String(decoding: try JSONEncoder().encode(union), as: UTF8.self)
        #expect(json.contains("\"via\":\"CCMM-CSN\""), "\(json)")
    }

    @Test("a contact through a sensitive local of ours is left out of the appendix unless included, and marked in the views")
    func throughWithheldUnit() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        _ = try store.addOrganization(Organization(handle: "ue-local-999", name: "UE Local 999", kind: .local, country: "US", parent: "ue", sensitive: true))
        _ = try store.log(Activity(kind: .delegation, title: "Local 999 in Montreal", start: try PartialDate("2025-06"),
                                   organizations: [.init(organization: "csn", role: .host), .init(organization: "ue-local-999", role: .sender)]))
        #expect(try partA(store, "csn", until: "2025-07")?.description == "2025-05 via CCMM-CSN")
        #expect(try partA(store, "csn", until: "2025-07", includeSensitive: true)?.description == "2025-06 via UE Local 999")
        let stale = try stale(store, "csn")
        #expect(stale.lastContactVia == "UE Local 999" && stale.sensitive)
    }

    @Test("without a home organization no last contact is reckoned, and the note says so")
    func noHome() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let allies = try store.allies(employer: "wabtec", today: today)
        #expect(allies.note?.contains("no last contact") == true)
        _ = try store.log(Activity(kind: .meeting, title: "Local 506 meets itself", start: try PartialDate("2025-06"),
                                   organizations: [.init(organization: "ue-local-506", role: .participant)]))
        #expect(try store.allies(employer: "wabtec", today: today).countries.flatMap(\.sites).flatMap(\.unions).allSatisfy { $0.lastContact == nil })
        let appendix = try store.appendix(for: "ue-79-international-solidarity")
        #expect(appendix.organizations.allSatisfy { $0.lastContact == nil })
        #expect(appendix.note?.contains("no last contact") == true)
    }

    @Test("the last contacts of a report are read through the parent, activity and role indexes, scanning no table of activities")
    func queryPlan() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        try store.write { try $0.execute(sql: "ANALYZE") }
        let plan = try store.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + LastContacts.sql, arguments: [1, "[2,3]", "2026-12-31", false, false])
                .map { $0["detail"] as String }
        }
        let text = plan.joined(separator: "; ")
        #expect(plan.contains { $0.contains("USING INDEX organizations_by_parent (parent_id=?)") }, "\(text)")
        #expect(plan.contains { $0.contains("USING COVERING INDEX activity_organizations_by_organization (organization_id=?)") }, "\(text)")
        #expect(plan.contains { $0.contains("SEARCH us USING PRIMARY KEY (activity_id=?)") }, "\(text)")
        #expect(plan.contains { $0.contains("SEARCH ap USING PRIMARY KEY (activity_id=?)") }, "\(text)")
        #expect(plan.contains { $0.contains("USING INDEX person_titles_by_person (person_id=?)") }, "\(text)")
        // No table is read whole: neither the organizations (100,000 in the benchmark) nor any of activities.
        #expect(!plan.contains { $0.hasPrefix("SCAN") && !$0.hasPrefix("SCAN ours") && !$0.hasPrefix("SCAN theirs")
                                   && !$0.hasPrefix("SCAN json_each") && !$0.hasPrefix("SCAN CONSTANT") && $0 != "SCAN r" && $0 != "SCAN met"
                                   && !$0.hasPrefix("SCAN (subquery") }, "\(text)")
    }
}
