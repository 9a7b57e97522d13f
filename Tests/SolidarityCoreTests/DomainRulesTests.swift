import Foundation
import Testing
@testable import SolidarityCore

/// The rules every front end gets from Core: the home organization as a delegation's default
/// sender, a region dropped when the country changes, and writes that check what they were asked
/// about in their own transaction.
@Suite("Domain rules applied by Core, whatever the front end")
struct DomainRulesTests {
    func date(_ text: String) throws -> PartialDate { try PartialDate(text) }

    @Test("a delegation logged without a sender is sent by the home organization; a hosted one without a host is hosted by it")
    func homeAsDefaultSender() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let trip = try store.log(Activity(kind: .delegation, title: "Delegation to the FAT", start: try date("2024-05"),
                                          organizations: [.init(organization: "fat", role: .host)]), status: nil)
        #expect(trip.organizations.map(\.organization) == ["ue", "fat"])
        #expect(trip.organizations.first?.role == .sender)
        let visit = try store.log(Activity(kind: .delegation, title: "The FAT visits us", hosted: true, start: try date("2024-06"),
                                           organizations: [.init(organization: "fat", role: .sender)]), status: nil)
        #expect(visit.organizations.first == .init(organization: "ue", role: .host))
        #expect(try store.activity(visit.id).organizations.first == .init(organization: "ue", role: .host))
    }

    @Test("a sender given, a meeting, or no home organization: nothing is added")
    func noDefaultSender() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let sent = try store.log(Activity(kind: .delegation, title: "Sent by the FAT", start: try date("2024-05"),
                                          organizations: [.init(organization: "fat", role: .sender)]), status: nil)
        #expect(sent.organizations.map(\.organization) == ["fat"])
        let meeting = try store.log(Activity(kind: .meeting, title: "A meeting", start: try date("2024-05")), status: nil)
        #expect(meeting.organizations.isEmpty)

        let (homeless, other) = try makeStore(seeded: true)
        defer { other.remove() }
        #expect(try homeless.log(Activity(kind: .delegation, title: "Trip", start: try date("2024-05")), status: nil).organizations.isEmpty)
    }

    @Test("the rule is applied in the log's transaction: a refused log adds nothing, not even the sender")
    func refusedLogWritesNothing() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let before = try store.activities().count
        #expect(throws: SolidarityError.self) {
            try store.log(Activity(kind: .delegation, title: "Future", start: try date("2099-01")), status: .done, today: try date("2026-01-01"))
        }
        #expect(try store.activities().count == before)
    }

    @Test("an organization moved to another country drops a region not in it, keeps one that is")
    func regionFollowsCountry() throws {
        var organization = Organization(name: "Sindicato", kind: .union, country: "CA", region: "CA-QC")
        organization.move(to: "MX")
        #expect(try organization.region == nil && organization.country == "MX")
        var kept = Organization(name: "Sindicato", kind: .union, country: "CA", region: "CA-QC")
        kept.move(to: "CA")
        #expect(kept.region == "CA-QC")
    }

    @Test("a delegation's edit and removal refuse another kind in their own transaction, naming the kind in domain words")
    func kindCheckedInTheWrite() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let meeting = try store.log(Activity(kind: .meeting, title: "A meeting", start: try date("2024-05")), status: nil)
        for attempt in [{ _ = try store.editActivity(meeting.id, kind: .delegation) { $0.title = "Changed" } },
                        { _ = try store.removeActivity(meeting.id, kind: .delegation) }] {
            #expect {
                try attempt()
            } throws: { error in
                let error = error as? SolidarityError
                return error?.message == "\(meeting.id) is a meeting, not a delegation." && error?.remedy == .asActivity && error?.reason == .notFound
            }
        }
        #expect(try store.activity(meeting.id) == meeting)
        #expect(throws: SolidarityError.self) { try store.activity(meeting.id, kind: .delegation) }
    }

    @Test("a removal confirmed for a record that changed since is refused, and nothing is removed")
    func removalOfAChangedRecord() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let shown = try store.log(Activity(kind: .delegation, title: "Trip", start: try date("2024-05")), status: nil)
        try store.editActivity(shown.id) { $0.notes = "Added after the removal was asked" }
        #expect {
            try store.removeActivity(shown.id, kind: .delegation, confirmed: shown)
        } throws: { ($0 as? SolidarityError)?.reason == .conflict }
        #expect(try store.activity(shown.id).notes == "Added after the removal was asked")
        let current = try store.activity(shown.id)
        #expect(try store.removeActivity(shown.id, kind: .delegation, confirmed: current) == current)
        #expect(throws: SolidarityError.self) { try store.activity(shown.id) }
    }

    @Test("Core's errors say what is wrong in domain words; the remedy names the field, not a flag")
    func domainWords() throws {
        #expect {
            var convention = Convention(organization: "ue", name: "  ")
            try convention.validate()
        } throws: { error in
            let error = error as? SolidarityError
            return error?.message == "A convention needs a name." && error?.remedy == .give(.name, example: "\"79th UE Convention\"")
                && !(error?.message.contains("--") ?? true)
        }
        #expect {
            var activity = Activity(kind: .meeting, title: "")
            try activity.validate()
        } throws: { ($0 as? SolidarityError)?.message == "An activity needs a title." }
    }
}
