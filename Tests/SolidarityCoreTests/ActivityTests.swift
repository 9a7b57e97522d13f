import Foundation
import GRDB
import Testing
@testable import SolidarityCore

@Suite("Delegations and activities")
struct ActivityTests {
    func date(_ text: String) throws -> PartialDate { try PartialDate(text) }

    @Test("a delegation is logged in one record: itinerary in order, roles as handles, follow-ups with ids")
    func logging() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let logged = try store.log(Activity(
            kind: .delegation, title: "Delegation to Japan and Korea", start: try date("2026-03-02"), end: try date("2026-03-12"),
            itinerary: try Activity.itinerary(countries: ["jp", "KR"], cities: ["Tokyo", "Seoul"]),
            organizations: [.init(organization: "Zenroren", role: .host), .init(organization: "Korean Confederation of Trade Unions", role: .met)],
            people: [.init(person: "Janet Gray", role: .delegate)],
            followUps: [.init(text: "Send the report to KCTU", due: try date("2026-04")), .init(text: "Plan a return visit", due: try date("2026-02"))],
            employers: ["Westinghouse Air Brake Technologies Corporation"], campaigns: ["Green Locomotive Project"]))
        #expect(logged.id.count == 10)
        #expect(logged.itinerary == [.init(country: "JP", city: "Tokyo"), .init(country: "KR", city: "Seoul")])
        #expect(logged.organizations.map(\.organization) == ["zenroren", "kctu"])
        #expect(logged.people == [.init(person: "janet-gray", role: .delegate)])
        #expect(logged.employers == ["wabtec"] && logged.campaigns == ["green-locomotive-project"])
        #expect(logged.followUps.allSatisfy { $0.id.count == 10 })
        #expect(logged.followUpsDueBeforeStart.map(\.text) == ["Plan a return visit"])
        #expect(try store.activity(logged.id) == logged)
    }

    @Test("an itinerary pairs countries and cities, or takes City@CC")
    func itineraries() throws {
        #expect(try Activity.itinerary(countries: ["MX"], cities: ["Mexico City", "Monterrey"]).map(\.country) == ["MX", "MX"])
        #expect(try Activity.itinerary(countries: [], cities: ["Hiroshima@JP", "Nagasaki@JP"]).map(\.city) == ["Hiroshima", "Nagasaki"])
        #expect(try Activity.itinerary(countries: ["JP", "KR"], cities: []).map(\.country) == ["JP", "KR"])
        #expect(throws: SolidarityError.self) { try Activity.itinerary(countries: ["JP", "KR"], cities: ["Tokyo", "Seoul", "Busan"]) }
        #expect(throws: SolidarityError.self) { try Activity.itinerary(countries: [], cities: ["Chicago"]) }
    }

    @Test("editing replaces single values and adds to lists; clearing empties a part")
    func editing() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let trip = try store.activities(ActivityFilter(kinds: [.delegation], status: .planned))[0]
        #expect(trip.title.contains("IndustriALL"))
        let edited = try store.editActivity(trip.id) { a in
            a.status = .done
            a.outcomes = "Met Wabtec workers from Brazil and Italy."
            a.itinerary = [.init(country: "AU", city: "Sydney")]
            a.people.append(.init(person: "carl-rosen", role: .delegate))
        }.activity
        #expect(edited.status == .done && edited.itinerary.first?.city == "Sydney")
        #expect(edited.people.map(\.person) == ["janet-gray", "john-thompson", "carl-rosen"])
        #expect(try store.activity(trip.id) == edited)
    }

    @Test("a period keeps what overlaps it, whatever the precision of the dates at its edges")
    func periodEdges() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        for (title, start, end) in [("month", "2024-05", nil), ("year", "2023", nil), ("day", "2024-12-31", nil),
                                    ("span", "2023-11", "2024-01-15"), ("undated", nil, nil), ("later", "2025-01-01", nil)] as [(String, String?, String?)] {
            _ = try store.log(Activity(kind: .meeting, title: title, start: try start.map(PartialDate.init), end: try end.map(PartialDate.init)))
        }
        func titles(_ since: String?, _ until: String?) throws -> [String] {
            try store.activities(ActivityFilter(since: since.map(PartialDate.init), until: until.map(PartialDate.init))).map(\.title)
        }
        #expect(try titles("2024", "2024") == ["span", "month", "day"])
        #expect(try titles("2024-05-31", "2024-05-31") == ["month"])
        #expect(try titles("2023-12", "2023-12") == ["year", "span"])
        #expect(try titles("2025", nil) == ["later"])
        #expect(try titles(nil, "2023-01-01") == ["year"])
        #expect(try titles(nil, nil) == ["year", "span", "month", "day", "later", "undated"])
    }

    @Test("filters by organization in any role, person, country, employer, campaign, kind and status")
    func filters() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        func count(_ filter: ActivityFilter) throws -> Int { try store.activities(filter).count }
        #expect(try store.activities(ActivityFilter(kinds: [.delegation], organization: "fat")).map(\.start?.description) == ["2017", "2024-05"])
        #expect(try store.activities(ActivityFilter(organization: "atm")).map(\.start?.description) == ["2024-05"])
        #expect(try store.activities(ActivityFilter(person: "john-miles")).map(\.start?.description) == ["2025-08"])
        #expect(try store.activities(ActivityFilter(country: "JP")).map(\.start?.description) == ["2025-08"])
        #expect(try store.activities(ActivityFilter(employer: "wabtec")).map(\.status) == [.planned])
        #expect(try count(ActivityFilter(campaign: "green-locomotive-project")) == 1)
        #expect(try count(ActivityFilter(kinds: [.webinar])) == 1)
        #expect(try count(ActivityFilter(kinds: [.delegation], status: .done)) == 6)
        #expect(try count(ActivityFilter(kinds: [.delegation])) == 7)
    }

    @Test("listing a year of delegations reads the index of kinds by the day they end")
    func yearUsesIndex() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let plan = try store.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT id FROM activities WHERE kind IN (?) AND +first_day <= ? AND last_day >= ? \(Activities.chronological)",
                             arguments: ["delegation", "2024-12-31", "2024-01-01"]).map { $0["detail"] as String }.joined(separator: "; ")
        }
        #expect(plan.contains("USING INDEX activities_by_kind_and_end (kind=? AND last_day>?)"), "\(plan)")
    }

    @Test("a timeline is newest first, relationship changes and the changes recorded in the history included, undated last")
    func timeline() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        _ = try store.editRelationship("ue", "fat", kind: .ally) { $0.since = try PartialDate("1992") }
        let events = try store.timeline(of: "FAT")
        // The edit is a recorded change of today, with its author; the Seeds' bulk creation is not an event.
        let today = String(try store.history().first!.at.prefix(10))
        #expect(events.map { $0.date?.description ?? "undated" } == [today, "2024-05", "2017", "1992"])
        #expect(events.first?.kind == "recorded change" && events.first?.title == "modified relationship fat ally ue")
        #expect(events.first?.detail == "by \(ChangeContext.thisProcess().who) (\(ChangeContext.thisProcess().operation))")
        #expect(events.last?.kind == "relationship")
        let zenroren = try store.timeline(of: "zenroren")
        #expect(zenroren.first?.date?.description == "2025-08")
        #expect(zenroren.last?.date == nil)
    }

    @Test("stale allies: never contacted first, then the longest silence; recent ones left out")
    func staleness() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let today = try PartialDate("2026-11-23")
        let stale = try store.staleAllies(months: 12, today: today)
        let handles = stale.map(\.organization)
        #expect(handles.first == "cgt")
        #expect(!handles.contains("unifor"))  // the 2025 call is 11 months back
        let fat = try #require(stale.first { $0.organization == "fat" })
        #expect(fat.lastContact?.description == "2024-05" && fat.monthsSilent == 30)
        let neverIndex = try #require(handles.lastIndex { h in stale.first { $0.organization == h }?.lastContact == nil })
        #expect(handles.firstIndex(of: "fat")! > neverIndex)
        #expect(handles.firstIndex(of: "fat")! < handles.firstIndex(of: "zenroren")!)
        #expect(try store.staleAllies(months: 40, today: today).allSatisfy { $0.lastContact == nil })
    }

    @Test("follow-ups: open ones soonest first, overdue by their due date's last day, done with a date")
    func followUps() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let trip = try store.log(Activity(kind: .delegation, title: "Trip", start: try date("2026-10"),
                                          followUps: [.init(text: "Report", due: try date("2026-11")), .init(text: "Thank the hosts", due: try date("2026-10-15")),
                                                      .init(text: "Someday")]))
        let today = try date("2026-11-23")
        #expect(try store.followUps(today: today).map(\.text) == ["Thank the hosts", "Report", "Someday"])
        #expect(try store.followUps(overdueOnly: true, today: today).map(\.text) == ["Thank the hosts"])
        let done = try store.completeFollowUp(trip.followUps[1].id, on: today)
        #expect(done.done == today)
        #expect(try store.followUps(today: today).map(\.text) == ["Report", "Someday"])
        #expect(try store.activity(trip.id).followUps[1].done == today)
        #expect(throws: SolidarityError.self) { try store.completeFollowUp("nosuchid00") }
    }

    @Test("bad activities are refused and nothing is written")
    func badInput() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let before = try store.activities().count
        #expect(throws: SolidarityError.self) { try store.log(Activity(kind: .delegation, title: "Backwards", start: try date("2025-06"), end: try date("2025-05"))) }
        #expect { try store.log(Activity(kind: .delegation, title: "x", organizations: [.init(organization: "Nobody Union", role: .host)])) }
            throws: { ($0 as? SolidarityError)?.reason == .notFound }
        _ = try store.addPerson(Person(name: "Ana Pérez", email: "ana@fat.example"))
        _ = try store.addPerson(Person(name: "Ana Perez", email: "ana@ue.example"))
        #expect { try store.log(Activity(kind: .delegation, title: "x", people: [.init(person: "ana perez", role: .delegate)])) }
            throws: { ($0 as? SolidarityError)?.reason == .ambiguous }
        #expect { try store.log(Activity(kind: .delegation, title: "x", employers: ["Siemens"])) }
            throws: { ($0 as? SolidarityError)?.reason == .notFound }
        #expect(try store.activities().count == before)
        #expect { try store.activity("nosuchid00") } throws: { ($0 as? SolidarityError)?.message.contains("activity list") == true }
    }
}

@Suite("Activities in spreadsheets and search")
struct ActivitySpreadsheetTests {
    @Test("a spreadsheet of activities imports itineraries and roles, and a second import adds nothing")
    func csv() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let csv = """
            kind,title,status,start,end,countries,cities,hosts,met,delegates,purpose,campaigns,virtual
            delegation,Delegation to Brazil,done,2023-08,2023-08-20,BR,São Paulo; Contagem,CUT,,john-thompson,Meet Wabtec workers,Green Locomotive Project,no
            webinar,Tariffs webinar,planned,2026-02,,,,,,,"Trade, tariffs and solidarity",,yes
            """
        let first = try store.importSpreadsheet(Data(csv.utf8), name: "activities.csv", as: .activities)
        #expect(first.added == 2)
        let brazil = try #require(try store.activities(ActivityFilter(country: "BR")).first)
        #expect(brazil.itinerary.map(\.city) == ["São Paulo", "Contagem"])
        #expect(brazil.organizations == [.init(organization: "cut", role: .host)])
        #expect(brazil.end?.description == "2023-08-20")
        #expect(try store.activities(ActivityFilter(kinds: [.webinar], status: .planned)).first?.virtual == true)
        let second = try store.importSpreadsheet(Data(csv.utf8), name: "activities.csv", as: .activities)
        #expect(second.added == 0 && second.unchanged == 2)
        let bad = "kind,title,start,hosts\nmeeting,Good,2024,ue\nparty,Bad kind,2024,ue\nmeeting,Bad host,2024,Nobody Union\n"
        #expect {
            try store.importSpreadsheet(Data(bad.utf8), name: "bad.csv", as: .activities)
        } throws: { error in
            let message = (error as? SolidarityError)?.message ?? ""
            return message.contains("line 3, column kind, value \"party\"") && message.contains("line 4, column hosts, value \"Nobody Union\"")
        }
        #expect(try store.activities(ActivityFilter(kinds: [.meeting])).allSatisfy { $0.title != "Good" })
    }

    @Test("search finds activities by title, purpose, outcomes and follow-ups")
    func search() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        _ = try store.log(Activity(kind: .call, title: "Call", outcomes: "Agreed on a shared bargaining calendar",
                                   followUps: [.init(text: "Draft the Hiroshima statement")]))
        #expect(try store.search("locomotive").contains { $0.kind == .activity && $0.handle == "n55bsrpwgl" })
        #expect(try store.search("bargaining calendar").first?.kind == .activity)
        #expect(try store.search("hiroshima statement").first?.name == "Call")
    }
}
