import Foundation
import GRDB
import Testing
@testable import SolidarityCore

/// The exact text of what the outbox holds for each kind of event: receivers verify the signature
/// over these bytes and parse them, so a change of a key, an order, an escape or a null is a change
/// they see. Timestamps and generated ids are replaced by placeholders; every other byte is compared.
@Suite("Event payloads: the exact JSON receivers get")
struct EventPayloadTests {
    @Test("every event kind is written as the same JSON text, with escapes, nulls and sorted keys")
    func exactText() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        try subscribeToEverything(store)
        _ = try store.seed()
        let union = try store.addOrganization(Organization(name: "Sindicato \"Único\" / Ñandú \\ 労働 🚂", acronym: "SUÑ", country: "MX"))
        _ = try store.editOrganization(union.handle) { $0.country = nil; $0.acronym = nil }
        _ = try store.addPerson(Person(name: "Zoë O'Neil", titles: [.init(organization: union.handle, title: "Secretary </general>")]))
        _ = try store.editPerson("zoe-oneil") { $0.email = "zoe@example.org" }
        _ = try store.relate(Relationship(from: "ue", to: union.handle, kind: .ally, since: try PartialDate("2020-03")))
        let site = try store.addSite(Site(employer: "wabtec", name: "Plant «Z»", country: "MX", city: "San Luis Potosí",
                                          unions: [.init(organization: union.handle, since: try PartialDate("2019"))]))
        _ = try store.represent(site: site.id, .init(organization: "fat", until: try PartialDate("2024-06-30")))
        let trip = try store.log(Activity(kind: .delegation, title: "Visit to \"the\" plant", start: try PartialDate("2025-10"),
                                          itinerary: [.init(country: "MX", city: "Monterrey")], organizations: [.init(organization: "fat", role: .host)],
                                          followUps: [.init(text: "Send the report \\ notes", due: try PartialDate("2025-12"))]))
        _ = try store.announceOverdueFollowUps(today: try PartialDate("2026-03-01"))
        _ = try store.editActivity(trip.id) { $0.status = .cancelled }
        let call = try store.log(Activity(kind: .delegation, title: "Zoë’s visit", hosted: true, start: try PartialDate("2026-01-15"),
                                          people: [.init(person: "zoe-oneil", role: .contact)], sites: [site.id]))
        _ = try store.addConvention(Convention(organization: "ue", name: "80th UE Convention", number: 80))
        _ = try store.addResolution(convention: "ue-80", title: "Solidarity/Ñ", text: "Whereas.\nBE IT RESOLVED:\n1. Supports the FAT;\n", status: .adopted)
        _ = try store.removeOrganization(union.handle)

        var text = try store.read { db in
            try String.fetchAll(db, sql: "SELECT type || ' ' || payload FROM outbox_events ORDER BY id").joined(separator: "\n")
        }
        text = text.replacingOccurrences(of: #""timestamp":"[^"]*""#, with: #""timestamp":"T""#, options: .regularExpression)
        for (id, placeholder) in [(site.id, "SITE"), (trip.id, "TRIP"), (trip.followUps[0].id, "FOLLOWUP"), (call.id, "CALL")] {
            text = text.replacingOccurrences(of: id, with: placeholder)
        }
        let expected = #"""
            import.completed {"data":{"added":0,"source":"seeds","unchanged":100,"updated":0},"timestamp":"T","type":"import.completed"}
            organization.created {"data":{"acronym":"SUÑ","country":"MX","handle":"sun","kind":"union","name":"Sindicato \"Único\" / Ñandú \\ 労働 🚂","parent":null},"timestamp":"T","type":"organization.created"}
            organization.updated {"data":{"acronym":null,"country":null,"handle":"sun","kind":"union","name":"Sindicato \"Único\" / Ñandú \\ 労働 🚂","parent":null},"timestamp":"T","type":"organization.updated"}
            person.created {"data":{"handle":"zoe-oneil","name":"Zoë O'Neil","titles":[{"organization":"sun","title":"Secretary </general>"}]},"timestamp":"T","type":"person.created"}
            person.updated {"data":{"handle":"zoe-oneil","name":"Zoë O'Neil","titles":[{"organization":"sun","title":"Secretary </general>"}]},"timestamp":"T","type":"person.updated"}
            relationship.changed {"data":{"from":"ue","kind":"ally","since":"2020-03","status":"active","to":"sun","until":null},"timestamp":"T","type":"relationship.changed"}
            site.created {"data":{"city":"San Luis Potosí","country":"MX","employer":"wabtec","id":"SITE","name":"Plant «Z»","unions":[{"organization":"sun","since":"2019","until":null}]},"timestamp":"T","type":"site.created"}
            representation.changed {"data":{"city":"San Luis Potosí","country":"MX","employer":"wabtec","id":"SITE","name":"Plant «Z»","unions":[{"organization":"fat","since":null,"until":"2024-06-30"},{"organization":"sun","since":"2019","until":null}]},"timestamp":"T","type":"representation.changed"}
            delegation.logged {"data":{"countries":["MX"],"end":null,"hosted":false,"id":"TRIP","kind":"delegation","organizations":[{"organization":"fat","role":"host"}],"people":[],"sites":[],"start":"2025-10","status":"done","title":"Visit to \"the\" plant"},"timestamp":"T","type":"delegation.logged"}
            followup.overdue {"data":{"activity":"TRIP","activity_title":"Visit to \"the\" plant","due":"2025-12","id":"FOLLOWUP","text":"Send the report \\ notes"},"timestamp":"T","type":"followup.overdue"}
            delegation.cancelled {"data":{"countries":["MX"],"end":null,"hosted":false,"id":"TRIP","kind":"delegation","organizations":[{"organization":"fat","role":"host"}],"people":[],"sites":[],"start":"2025-10","status":"cancelled","title":"Visit to \"the\" plant"},"timestamp":"T","type":"delegation.cancelled"}
            delegation.logged {"data":{"countries":[],"end":null,"hosted":true,"id":"CALL","kind":"delegation","organizations":[],"people":[{"person":"zoe-oneil","role":"contact"}],"sites":["SITE"],"start":"2026-01-15","status":"done","title":"Zoë’s visit"},"timestamp":"T","type":"delegation.logged"}
            resolution.added {"data":{"convention":"ue-80","handle":"ue-80-solidarity-n","organizations":["fat"],"status":"adopted","title":"Solidarity/Ñ"},"timestamp":"T","type":"resolution.added"}
            resolution.adopted {"data":{"convention":"ue-80","handle":"ue-80-solidarity-n","organizations":["fat"],"status":"adopted","title":"Solidarity/Ñ"},"timestamp":"T","type":"resolution.adopted"}
            organization.removed {"data":{"handle":"sun","name":"Sindicato \"Único\" / Ñandú \\ 労働 🚂"},"timestamp":"T","type":"organization.removed"}
            """#
        #expect(text == expected, "\n\(text)")
    }
}

/// Subscribes an endpoint to every event, so that the outbox records what a receiver would get.
func subscribeToEverything(_ store: Store) throws {
    try store.write { db in
        try db.execute(sql: """
            INSERT INTO webhook_endpoints (uid, url, events, secret, created_at)
            VALUES ('testendpoint', 'https://example.org/hooks', '*', 'whsec_AAAA', '2026-01-01T00:00:00Z')
            """)
    }
}
