import Foundation
import GRDB
import Testing
@testable import SolidarityCore

/// A seeded database with one endpoint subscribed to every event, so that the outbox records
/// what a receiver would get (nothing is sent: these tests read the outbox table).
private func announcingStore() throws -> (Store, TemporaryFolder) {
    let (store, folder) = try makeStore(seeded: true, home: "ue")
    try subscribeToEverything(store)
    return (store, folder)
}

/// One event as the outbox holds it.
private struct Event {
    let type: String
    let body: String
    let data: [String: Any]
}

/// The events written after row `after` of the outbox, oldest first.
private func events(_ store: Store, after: Int64 = 0) throws -> [Event] {
    try store.read { db in
        try Row.fetchAll(db, sql: "SELECT type, payload FROM outbox_events WHERE id > ? ORDER BY id", arguments: [after]).map { row in
            let body: String = row["payload"]
            let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
            return Event(type: row["type"], body: body, data: object?["data"] as? [String: Any] ?? [:])
        }
    }
}

/// The id of the newest outbox event, to read only what a step adds.
private func mark(_ store: Store) throws -> Int64 {
    try store.read { try Int64.fetchOne($0, sql: "SELECT coalesce(max(id), 0) FROM outbox_events") ?? 0 }
}

@Suite("Webhook payloads never carry a sensitive record")
struct SensitivePayloadTests {
    /// SECU is sensitive; its local is left out with it, as export leaves it out.
    private func storeWithSecretUnion() throws -> (Store, TemporaryFolder) {
        let (store, folder) = try announcingStore()
        _ = try store.addOrganization(Organization(name: "Secret Union", acronym: "SECU", country: "CO", sensitive: true))
        _ = try store.addOrganization(Organization(name: "Secret Local", parent: "secu"))
        return (store, folder)
    }

    /// Whether a payload names the secret union or its local in any way.
    private func namesSecrets(_ event: Event) -> Bool {
        ["secu", "SECU", "Secret", "secret-local"].contains { event.body.contains($0) }
    }

    @Test("a sensitive organization, and an organization added or moved under it, fire no organization event")
    func organizations() throws {
        let (store, folder) = try announcingStore()
        defer { folder.remove() }
        _ = try store.addOrganization(Organization(name: "Secret Union", acronym: "SECU", country: "CO", sensitive: true))
        _ = try store.addOrganization(Organization(name: "Secret Local", parent: "secu"))
        _ = try store.addOrganization(Organization(name: "Deeper Local", parent: "secret-local"))
        _ = try store.editOrganization("fat") { $0.parent = "secu" }
        let quiet = try events(store)
        #expect(quiet.isEmpty, "\(quiet.map(\.body))")
        _ = try store.removeOrganization("deeper-local")
        #expect(try events(store).isEmpty)
        // A public organization under a public parent is announced with its parent.
        _ = try store.addOrganization(Organization(name: "UE Local 999", parent: "ue"))
        let created = try #require(try events(store).first)
        #expect(created.type == "organization.created" && created.data["parent"] as? String == "ue")
    }

    @Test("a person's titles at a left-out organization are left out of person.created and person.updated")
    func titles() throws {
        let (store, folder) = try storeWithSecretUnion()
        defer { folder.remove() }
        _ = try store.addPerson(Person(name: "Open Person", titles: [.init(organization: "secu", title: "Organizer")]))
        _ = try store.editPerson("open-person") {
            $0.titles += [.init(organization: "secret-local", title: "Steward"), .init(organization: "fat", title: "Adviser")]
        }
        let sent = try events(store)
        #expect(sent.map(\.type) == ["person.created", "person.updated"])
        #expect(sent.allSatisfy { !namesSecrets($0) && $0.body.contains("open-person") }, "\(sent.map(\.body))")
        let titles = try #require(sent.last?.data["titles"] as? [[String: Any]])
        #expect(titles.map { $0["organization"] as? String } == ["fat"])
    }

    @Test("a relationship with a left-out end fires nothing")
    func relationships() throws {
        let (store, folder) = try storeWithSecretUnion()
        defer { folder.remove() }
        _ = try store.relate(Relationship(from: "ue", to: "secu", kind: .ally))
        _ = try store.relate(Relationship(from: "secret-local", to: "ue", kind: .ally))
        _ = try store.editRelationship("ue", "secu", kind: .ally) { $0.status = .close }
        #expect(try events(store).isEmpty)
        _ = try store.relate(Relationship(from: "ue", to: "atm", kind: .ally))
        #expect(try events(store).map(\.type) == ["relationship.changed"])
    }

    @Test("a site leaves out a left-out union; its representation changing fires nothing")
    func representation() throws {
        let (store, folder) = try storeWithSecretUnion()
        defer { folder.remove() }
        let site = try store.addSite(Site(employer: "wabtec", name: "Plant Z", country: "CO",
                                          unions: [.init(organization: "secu"), .init(organization: "cut")]))
        let created = try #require(try events(store).first)
        #expect(created.type == "site.created" && !namesSecrets(created))
        #expect((created.data["unions"] as? [[String: Any]])?.map { $0["organization"] as? String } == ["cut"])
        let before = try mark(store)
        _ = try store.represent(site: site.id, .init(organization: "secret-local", since: try PartialDate("2020")))
        _ = try store.represent(site: site.id, .init(organization: "secu", until: try PartialDate("2024")))
        #expect(try events(store, after: before).isEmpty)
        _ = try store.represent(site: site.id, .init(organization: "fat", since: try PartialDate("2021")))
        let changed = try events(store, after: before)
        #expect(changed.map(\.type) == ["representation.changed"] && changed.allSatisfy { !namesSecrets($0) })
    }

    @Test("an activity's roles of left-out organizations and people are left out of its payload")
    func activityRoles() throws {
        let (store, folder) = try storeWithSecretUnion()
        defer { folder.remove() }
        _ = try store.addPerson(Person(name: "Hidden Contact", sensitive: true))
        let trip = try store.log(Activity(kind: .delegation, title: "Delegation to Colombia", start: try PartialDate("2026-05"),
                                          organizations: [.init(organization: "secu", role: .host), .init(organization: "secret-local", role: .met),
                                                          .init(organization: "cut", role: .met)],
                                          people: [.init(person: "hidden-contact", role: .contact)]))
        _ = try store.editActivity(trip.id) { $0.status = .cancelled }
        let sent = try events(store)
        #expect(sent.map(\.type) == ["delegation.logged", "delegation.cancelled"])
        #expect(sent.allSatisfy { !namesSecrets($0) && !$0.body.contains("hidden-contact") }, "\(sent.map(\.body))")
        #expect((sent[0].data["organizations"] as? [[String: Any]])?.map { $0["organization"] as? String } == ["cut"])
    }

    @Test("a resolution leaves out the left-out organizations it names; one of a left-out organization's convention fires nothing")
    func resolutions() throws {
        let (store, folder) = try storeWithSecretUnion()
        defer { folder.remove() }
        _ = try store.addConvention(Convention(organization: "ue", name: "80th UE Convention", number: 80))
        _ = try store.addResolution(convention: "ue-80", title: "Colombia", text: """
            Our allies are persecuted.
            BE IT RESOLVED:
            1. Supports the Secret Union and the FAT;
            2. Sends greetings to the Secret Local.
            """, status: .adopted)
        let sent = try events(store)
        #expect(sent.map(\.type) == ["resolution.added", "resolution.adopted"])
        #expect(sent.allSatisfy { !namesSecrets($0) }, "\(sent.map(\.body))")
        #expect(sent[0].data["organizations"] as? [String] == ["fat"])

        let before = try mark(store)
        _ = try store.addConvention(Convention(organization: "secu", name: "SECU Congress", number: 3))
        _ = try store.addResolution(convention: "secu-3", title: "Our demands", text: "Whereas.\nBE IT RESOLVED:\n1. Demands safety;\n", status: .adopted)
        _ = try store.setResolutionStatus("secu-3-our-demands", .amended)
        _ = try store.setResolutionStatus("secu-3-our-demands", .adopted)
        #expect(try events(store, after: before).isEmpty)
    }
}

@Suite("Outbox events: what is announced, and how often")
struct OutboxEventTests {
    @Test("organization and person events carry handles and public fields")
    func organizationsAndPeople() throws {
        let (store, folder) = try announcingStore()
        defer { folder.remove() }
        _ = try store.addOrganization(Organization(name: "Sindicato Minero", acronym: "SM", country: "MX"))
        _ = try store.editOrganization("sm") { $0.country = "CL" }
        _ = try store.addPerson(Person(name: "Ana Pérez", titles: [.init(organization: "sm", title: "Secretary")]))
        _ = try store.editPerson("ana-perez") { $0.email = "ana@example.org" }
        _ = try store.removeOrganization("sm")
        let sent = try events(store)
        #expect(sent.map(\.type) == ["organization.created", "organization.updated", "person.created", "person.updated", "organization.removed"])
        #expect(sent[0].data["handle"] as? String == "sm" && sent[0].data["acronym"] as? String == "SM")
        #expect(sent[1].data["country"] as? String == "CL")
        #expect((sent[2].data["titles"] as? [[String: Any]])?.first?["organization"] as? String == "sm")
        #expect(sent[4].data["handle"] as? String == "sm" && sent[4].data["name"] as? String == "Sindicato Minero")
        #expect(!sent[3].body.contains("ana@example.org"), "an email is not a public field of the payload")
    }

    @Test("import, CSV import and seed fire one import.completed each, never one event per record")
    func importCompleted() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        try subscribeToEverything(store)
        _ = try store.seed(home: "ue")
        _ = try store.seed()
        let csv = "name,acronym,country\nSindicato Uno,SU,MX\nSindicato Dos,SD,MX\n"
        _ = try store.importSpreadsheet(Data(csv.utf8), name: "unions.csv", as: .organizations)
        let exported = try store.export().document
        let (copy, copyFolder) = try makeStore()
        defer { copyFolder.remove() }
        try subscribeToEverything(copy)
        _ = try copy.importDocument(try exported.encoded(), name: "export.json")

        let sent = try events(store)
        #expect(sent.map(\.type) == ["import.completed", "import.completed", "import.completed"])
        #expect(sent[0].data["source"] as? String == "seeds" && (sent[0].data["added"] as? Int ?? 0) > 0)
        #expect(sent[1].data["added"] as? Int == 0, "seeding twice adds nothing")
        #expect(sent[2].data["source"] as? String == "unions.csv" && sent[2].data["added"] as? Int == 2)
        let imported = try events(copy)
        #expect(imported.map(\.type) == ["import.completed"] && imported[0].data["source"] as? String == "export.json")
    }

    @Test("resolution.adopted fires once, when the resolution becomes adopted")
    func adoptedOnce() throws {
        let (store, folder) = try announcingStore()
        defer { folder.remove() }
        _ = try store.addConvention(Convention(organization: "ue", name: "80th UE Convention", number: 80))
        _ = try store.addResolution(convention: "ue-80", title: "Green locomotives", text: "Whereas.\nBE IT RESOLVED:\n1. Supports the FAT;\n")
        _ = try store.setResolutionStatus("ue-80-green-locomotives", .submitted)
        _ = try store.setResolutionStatus("ue-80-green-locomotives", .adopted)
        _ = try store.setResolutionStatus("ue-80-green-locomotives", .adopted)
        let sent = try events(store)
        #expect(sent.map(\.type) == ["resolution.added", "resolution.adopted"])
        #expect(sent[1].data["handle"] as? String == "ue-80-green-locomotives" && sent[1].data["status"] as? String == "adopted")
    }

    @Test("followup.overdue fires once per follow-up, also after the activity is edited; a done one keeps its date")
    func overdueOnce() throws {
        let (store, folder) = try announcingStore()
        defer { folder.remove() }
        let today = try PartialDate("2026-03-01")
        let trip = try store.log(Activity(kind: .delegation, title: "Delegation to the FAT", start: try PartialDate("2025-10"),
                                          organizations: [.init(organization: "fat", role: .host)],
                                          followUps: [.init(text: "Send the report", due: try PartialDate("2025-12")),
                                                      .init(text: "Thank the hosts", due: try PartialDate("2025-11"), done: try PartialDate("2025-11-05")),
                                                      .init(text: "Plan the return visit", due: try PartialDate("2026-06"))]))
        #expect(try store.announceOverdueFollowUps(today: today) == 1)
        #expect(try store.announceOverdueFollowUps(today: today) == 0)
        for title in ["Delegation to the FAT in Mexico", "Delegation to the FAT, Mexico City"] {
            _ = try store.editDelegationTitle(trip.id, title)
            #expect(try store.announceOverdueFollowUps(today: today) == 0, "an edit does not announce it again")
        }
        let activity = try store.activity(trip.id)
        #expect(activity.followUps.map(\.id) == trip.followUps.map(\.id))
        #expect(activity.followUps[1].done?.description == "2025-11-05")
        let overdue = try events(store).filter { $0.type == "followup.overdue" }
        #expect(overdue.count == 1 && overdue[0].data["id"] as? String == trip.followUps[0].id)
        #expect(overdue[0].data["activity"] as? String == trip.id)
        // The later follow-up is announced once, when its own date has passed.
        #expect(try store.announceOverdueFollowUps(today: try PartialDate("2026-07-01")) == 1)
        #expect(try events(store).filter { $0.type == "followup.overdue" }.count == 2)
    }
}

private extension Store {
    func editDelegationTitle(_ id: String, _ title: String) throws -> Activity {
        try editActivity(id) { $0.title = title }.activity
    }
}
