import Foundation
import GRDB
import Testing
@testable import SolidarityCore

@Suite("Export and import")
struct ExchangeTests {
    @Test("export, import into an empty database, export again: byte-identical")
    func roundTrip() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        _ = try store.addPerson(Person(name: "Ana \"Nena\" O'Brien", email: "ana@example.org", languages: ["es", "en"],
                                       titles: [.init(organization: "fat", title: "Organizer", since: try PartialDate("2024-05"), until: try PartialDate("2025"))]))
        _ = try store.relate(Relationship(from: "zenroren", to: "ctu", kind: .partner, since: try PartialDate("2024-04")))
        _ = try store.log(Activity(kind: .delegation, title: "Delegation to Korea", status: .planned, start: try PartialDate("2026-05-01"),
                                   end: try PartialDate("2026-05-09"), itinerary: [.init(country: "KR", city: "Seoul")],
                                   organizations: [.init(organization: "kctu", role: .host)], people: [.init(person: "ana-nena-obrien", role: .delegate)],
                                   followUps: [.init(text: "Report to the GEB", due: try PartialDate("2026-06"))], employers: ["ge"]))
        let first = try store.export(includeSensitive: true).document.encoded()
        let copy = try Store(path: folder.path("copy.sqlite"), access: .create)
        let report = try copy.importDocument(first, name: "export.json")
        #expect(report.added > 60 && report.present == 0)
        let second = try copy.export(includeSensitive: true).document.encoded()
        #expect(first == second)
        let again = try copy.importDocument(first, name: "export.json")
        #expect(again.added == 0 && again.unchanged == report.added)
    }

    @Test("sensitive records stay out of an export with what refers to them, unless asked")
    func sensitiveLeftOut() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        _ = try store.addOrganization(Organization(name: "Sindicato Clandestino", acronym: "SC", country: "CO", sensitive: true))
        _ = try store.addOrganization(Organization(name: "SC Seccional Cali", parent: "sc"))
        _ = try store.relate(Relationship(from: "ue", to: "sc", kind: .ally))
        _ = try store.addPerson(Person(name: "Contact Person", titles: [.init(organization: "sc", title: "Secretary")]))
        _ = try store.addPerson(Person(name: "Hidden Person", sensitive: true))
        let result = try store.export()
        let document = result.document
        #expect(!document.organizations.contains { $0.handle == "sc" || $0.handle == "sc-seccional-cali" })
        #expect(!document.relationships.contains { $0.to == "sc" || $0.from == "sc" })
        #expect(document.people.first { $0.handle == "contact-person" }?.titles.isEmpty == true)
        #expect(!document.people.contains { $0.handle == "hidden-person" })
        #expect(result.leftOut == 5)
        #expect(!document.includesSensitive)
        let everything = try store.export(includeSensitive: true)
        #expect(everything.leftOut == 0 && everything.document.includesSensitive)
        #expect(everything.document.organizations.contains { $0.handle == "sc" })
    }

    @Test("a file that is not JSON, or of another format, is refused before anything is written", arguments: [
        ("{ \"format\": ", "is not JSON"), ("[1, 2]", "not a solidarity export"), ("{\"format\": \"solidarity/2\"}", "reads \"solidarity/1\""),
        ("{\"organizations\": []}", "$.format is missing"),
    ])
    func notAnExport(text: String, message: String) throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        #expect {
            try store.importDocument(Data(text.utf8), name: "file.json")
        } throws: { ($0 as? SolidarityError)?.message.contains(message) == true }
    }

    @Test("every problem of a file is listed with its JSON path, and nothing is written")
    func everyProblemListed() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let before = try store.export(includeSensitive: true).document.encoded()
        let file = """
            {"format": "solidarity/1",
             "organizations": [
               {"handle": "sitrac", "name": "SITRAC", "kind": "union", "country": "UK"},
               {"handle": "sitrac", "name": "SITRAC again", "parent": "no-such-union"},
               {"handle": "smata", "name": "SMATA", "members_as_of": "2024-13", "members": 1}
             ],
             "sites": [{"id": "abc", "employer": "alstom", "name": "Plant", "country": "FR"}]
            }
            """
        #expect {
            try store.importDocument(Data(file.utf8), name: "allies.json")
        } throws: { error in
            guard let message = (error as? SolidarityError)?.message else { return false }
            return message.contains("5 problems")
                && message.contains("$.organizations[1].parent: no organization \"no-such-union\"")
                && message.contains("$.organizations[0]: \"UK\" is not an ISO 3166-1 country code: did you mean GB")
                && message.contains("$.organizations[1]: \"sitrac\" repeats $.organizations[0]")
                && message.contains("$.organizations[2].members_as_of: \"2024-13\" has no month 13")
                && message.contains("$.sites[0].employer: no employer \"alstom\"")
        }
        #expect(try store.export(includeSensitive: true).document.encoded() == before)
    }

    @Test("a misspelt key and an unknown kind are reported in words, with their paths")
    func keysAndWords() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        let file = #"{"format": "solidarity/1", "organizations": [{"handle": "x", "name": "X", "kind": "guild", "countri": "GB"}]}"#
        #expect {
            try store.importDocument(Data(file.utf8), name: "x.json")
        } throws: { error in
            let message = (error as? SolidarityError)?.message ?? ""
            return message.contains("$.organizations[0].countri: is not a key of organizations")
                && message.contains("$.organizations[0].kind: \"guild\" is not one of: union, local, council")
        }
    }

    @Test("a reference to a missing handle is refused with its path")
    func missingReference() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        let file = #"{"format": "solidarity/1", "relationships": [{"from": "ue", "to": "fat", "kind": "ally"}]}"#
        #expect {
            try store.importDocument(Data(file.utf8), name: "r.json")
        } throws: { error in
            let error = error as? SolidarityError
            return error?.reason == .notFound && error?.message.contains("$.relationships[0].from: no organization \"ue\"") == true
        }
    }

    @Test("a record present with other content is a listed conflict, replaced only with --update")
    func conflicts() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        var document = try store.export().document
        let index = try #require(document.organizations.firstIndex { $0.handle == "fat" })
        document.organizations[index].notes = "Changed elsewhere."
        let data = try document.encoded()
        #expect {
            try store.importDocument(data, name: "theirs.json")
        } throws: { error in
            let message = (error as? SolidarityError)?.message ?? ""
            return message.contains("organization fat") && message.contains("--update")
        }
        #expect(try store.organization("fat").notes == nil)
        let report = try store.importDocument(data, name: "theirs.json", update: true)
        #expect(report.updated == 1 && report.added == 0)
        #expect(try store.organization("fat").notes == "Changed elsewhere.")
    }
}
