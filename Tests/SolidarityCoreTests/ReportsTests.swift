import Foundation
import GRDB
import Testing
@testable import SolidarityCore

@Suite("Timelines of people and employers")
struct TimelineKindsTests {
    @Test("a person's timeline: the activities they took part in, with their roles, and their titles beginning and ending")
    func person() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        _ = try store.addPerson(Person(name: "Ana Ejemplo", titles: [
            .init(organization: "ue", title: "Organizer", since: try PartialDate("2019"), until: try PartialDate("2022-03")),
            .init(organization: "fat", title: "Liaison", since: try PartialDate("2022-04")),
        ]))
        let trip = try store.log(Activity(kind: .delegation, title: "Visit to the FAT", start: try PartialDate("2023-02"),
                                          people: [.init(person: "ana-ejemplo", role: .delegate), .init(person: "ana-ejemplo", role: .interpreter)]))
        let events = try store.timeline(of: "Ana Ejemplo")
        #expect(events.map(\.title) == ["Visit to the FAT", "Liaison, FAT", "Organizer, UE", "Organizer, UE"])
        #expect(events.map(\.detail) == ["delegate, interpreter", "began", "ended", "began"])
        #expect(events.map { $0.date?.description } == ["2023-02", "2022-04", "2022-03", "2019"])
        #expect(events[0].ref == trip.id && events[1].ref == "fat" && events[1].kind == "title")
        #expect(events.allSatisfy { !$0.sensitive })

        let carl = try store.timeline(of: "carl-rosen")
        #expect(carl.map(\.ref) == ["hpqzdty3lq", "r2mkm4zi6g", "ue"])
        #expect(carl.last?.detail == "recorded" && carl.last?.date == nil)
    }

    @Test("a sensitive person's timeline marks every row, as the organization timeline does for a withheld organization")
    func sensitivePerson() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        _ = try store.addPerson(Person(name: "María López", sensitive: true, titles: [.init(organization: "cut", title: "Delegate")]))
        let events = try store.timeline(of: "maria-lopez")
        #expect(!events.isEmpty && events.allSatisfy(\.sensitive))
    }

    @Test("a row of a person's, an employer's or an organization's timeline is marked when the activity names a withheld organization or person")
    func activityNamingWithheld() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        _ = try store.addOrganization(Organization(handle: "su", name: "Sindicato Uno", country: "BR", sensitive: true))
        let meeting = try store.log(Activity(kind: .meeting, title: "Meeting in Brazil", start: try PartialDate("2024-05"),
                                             organizations: [.init(organization: "su", role: .met)],
                                             people: [.init(person: "carl-rosen", role: .delegate)], employers: ["wabtec"]))
        for ref in ["carl-rosen", "wabtec"] {
            let row = try #require(try store.timeline(of: ref).first { $0.ref == meeting.id }, "\(ref)")
            #expect(row.sensitive, "\(ref)")
        }
        #expect(try store.timeline(of: "carl-rosen").filter { $0.ref != meeting.id }.allSatisfy { !$0.sensitive })
    }

    @Test("an employer's timeline: activities concerning it or a company it owns, and representation at their sites")
    func employer() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        _ = try store.addEmployer(Employer(handle: "faiveley", name: "Wabtec Faiveley", country: "FR", parent: "wabtec"))
        let site = try store.addSite(Site(employer: "faiveley", name: "Faiveley Tours", country: "FR",
                                          unions: [.init(organization: "cgt", since: try PartialDate("2012"))]))
        _ = try store.represent(site: site.id, .init(organization: "cgt", since: try PartialDate("2012"), until: try PartialDate("2020-06")))
        let meeting = try store.log(Activity(kind: .meeting, title: "Meeting on Faiveley", start: try PartialDate("2024-03"), employers: ["faiveley"]))
        let events = try store.timeline(of: "Westinghouse Air Brake Technologies Corporation")
        let rows = events.map { "\($0.date?.description ?? "undated")|\($0.kind)|\($0.title)|\($0.detail)" }
        #expect(rows.prefix(4) == [
            "2025-11|delegation|UE delegation to the IndustriALL Congress in Australia|concerned (planned)",
            "2024-03|meeting|Meeting on Faiveley|concerned (faiveley)",
            "2020-06|representation|CGT represents workers at Faiveley Tours|ended",
            "2012|representation|CGT represents workers at Faiveley Tours|began",
        ])
        #expect(events[1].ref == meeting.id && events[2].ref == site.id)
        #expect(events.filter { $0.kind == "representation" && $0.date == nil }.map(\.title).sorted() == [
            "UE Local 506 represents workers at Wabtec shop of UE Local 506", "UE Local 610 represents workers at Wabtec shop of UE Local 610",
            "UE Local 618 represents workers at Wabtec shop of UE Local 618"])
        // The company it owns has its own timeline, without its parent's.
        #expect(try store.timeline(of: "faiveley").map(\.detail) == ["concerned", "ended", "began"])
    }

    @Test("a reference that fits records of two kinds lists them by kind; a kind picks one")
    func ambiguousAcrossKinds() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        _ = try store.addOrganization(Organization(name: "GE Workers United", acronym: "GE", country: "US"))
        #expect {
            try store.timeline(of: "ge")
        } throws: { error in
            guard let error = error as? SolidarityError, error.reason == .ambiguous else { return false }
            let lines = error.message.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
            return lines.contains("organization ge GE (GE Workers United), US") && lines.contains("employer ge General Electric, US")
        }
        #expect(try store.timeline(of: "ge", kind: .employer).isEmpty)
        #expect(try store.timeline(of: "ge", kind: .organization).map(\.title) == ["created organization ge"])
        // A name that fits one kind only is not ambiguous.
        #expect(try store.timeline(of: "General Electric").isEmpty)
    }

    @Test("an unknown reference suggests the nearest organizations, people and employers, each with its kind")
    func unknownAcrossKinds() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        #expect {
            try store.timeline(of: "Carl Rosne")
        } throws: { error in
            guard let error = error as? SolidarityError, error.reason == .notFound else { return false }
            return error.message.hasPrefix("No organization, person or employer matches \"Carl Rosne\". Did you mean:\n  person  carl-rosen")
        }
        #expect {
            try store.timeline(of: "wabtek")
        } throws: { error in
            (error as? SolidarityError)?.message.contains("employer  wabtec") == true
        }
    }
}

@Suite("Suggestions for a mistyped reference, closest first")
struct SuggestionOrderTests {
    @Test("the edit distance counts a transposition as one edit (Damerau–Levenshtein)")
    func distance() {
        #expect(Naming.distance("fta", "fat") == 1)
        #expect(Naming.distance("zenrorne", "zenroren") == 1)
        #expect(Naming.distance("kitten", "sitting") == 3)
        #expect(Naming.distance("fta", "atm") == 2)
        #expect(Naming.distance("", "ue") == 2 && Naming.distance("ue", "ue") == 0)
    }

    @Test("--host fta suggests fat first, before atm (two edits)")
    func hostFta() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        #expect {
            _ = try store.log(Activity(kind: .delegation, title: "Trip", organizations: [.init(organization: "fta", role: .host)]))
        } throws: { error in
            let lines = (error as? SolidarityError)?.message.split(separator: "\n").map(String.init) ?? []
            return lines.count >= 3 && lines[1].hasPrefix("  fat ") && lines[2].hasPrefix("  atm ")
        }
    }

    @Test("suggestions at the same distance come in the order of the names compared, not of handles")
    func tiesByName() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        _ = try store.addOrganization(Organization(handle: "a-union", name: "Alpha Union", acronym: "QBT"))
        _ = try store.addOrganization(Organization(handle: "b-union", name: "Beta Union", acronym: "QAT"))
        #expect {
            _ = try store.timeline(of: "qct", kind: .organization)
        } throws: { error in
            let lines = (error as? SolidarityError)?.message.split(separator: "\n").map(String.init) ?? []
            return lines.count == 3 && lines[1].hasPrefix("  b-union ") && lines[2].hasPrefix("  a-union ")
        }
    }
}

@Suite("Allies and shared employers as users read them")
struct ReportWordingTests {
    let today = try! PartialDate("2026-11-23")

    @Test("a prospect that is an affiliate or member of one of our allies shows that tie")
    func prospectTiedToAlly() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        _ = try store.addOrganization(Organization(name: "Sindicato Ejemplo", acronym: "SE", country: "MX"))
        _ = try store.addOrganization(Organization(name: "Sindicato Otro", acronym: "SO", country: "MX"))
        _ = try store.relate(Relationship(from: "se", to: "fat", kind: .affiliateOf, since: try PartialDate("2020")))
        _ = try store.relate(Relationship(from: "so", to: "industriall", kind: .memberOf))
        _ = try store.addSite(Site(employer: "wabtec", name: "Wabtec Monterrey", country: "MX", unions: [.init(organization: "se"), .init(organization: "so")]))
        let unions = Dictionary(uniqueKeysWithValues: try store.allies(employer: "wabtec", country: "MX", today: today)
            .countries.flatMap(\.sites).flatMap(\.unions).map { ($0.organization, $0) })
        let se = try #require(unions["se"])
        #expect(se.prospect && se.allyLink?.kind == .affiliateOf && se.allyLink?.organization == "fat" && se.allyLink?.ours == .ally)
        #expect(se.allyLink?.phrase == "affiliate of FAT, our ally")
        // IndustriALL is a body UE is a member of, not an ally: no tie to show.
        #expect(unions["so"]?.prospect == true && unions["so"]?.allyLink == nil)
        // Before the affiliation began, there was none.
        let then = try store.allies(employer: "wabtec", country: "MX", asOf: try PartialDate("2015"), today: today)
        #expect(then.countries.flatMap(\.sites).flatMap(\.unions).allSatisfy { $0.allyLink == nil })
        // In JSON, under a stable key.
        let json = try #require(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(se)) as? [String: Any])
        let link = try #require(json["ally_link"] as? [String: Any])
        #expect(link.mapValues { "\($0)" } == ["kind": "affiliate_of", "organization": "fat", "name": "FAT", "our_relationship": "ally", "sensitive": "0"])
        #expect(try #require(JSONSerialization.jsonObject(with: try JSONEncoder().encode(unions["so"]!)) as? [String: Any])["ally_link"] is NSNull)
    }

    @Test("allies of an employer with no site says how to record one, with the real command")
    func noSite() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let report = try store.allies(employer: "ge", today: today)
        #expect(report.countries.isEmpty)
        let note = try #require(report.note)
        #expect(note.hasPrefix("No site of General Electric is recorded, so there is no union to list."))
        // The command line words the commands (ReportsCommandLineTests.alliesNoSite).
        let noSite = try #require(report.noSite)
        #expect(noSite.employer == "ge" && noSite.exampleName == "General Electric workers, United States" && noSite.exampleCountry == "US")
        let inGermany = try #require(try store.allies(employer: "wabtec", country: "DE", today: today).noSite)
        #expect(inGermany.sentence.hasPrefix("No site of Wabtec in Germany is recorded") && inGermany.employer == "wabtec" && inGermany.exampleCountry == "DE")
        #expect(try store.allies(employer: "wabtec", today: today).note == nil)
    }

    @Test("shared-employers names the two organizations as columns would: acronym, else name")
    func sharedEmployerNames() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let shared = try store.sharedEmployers("ue", "UE Local 506")
        #expect(shared.firstName == "UE" && shared.secondName == "UE Local 506")
        #expect(shared.employers.map(\.employer) == ["wabtec"])
        #expect(shared.employers[0].first == "ue" && shared.employers[0].second == "ue-local-506")
    }
}
