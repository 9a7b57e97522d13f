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
             "sites": [{"id": "abc", "employer": "siemens", "name": "Plant", "country": "FR"}]
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
                && message.contains("$.sites[0].employer: no employer \"siemens\"")
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
            // The command line words this remedy "Run again with --update …" (FlagHintsTests).
            let message = (error as? SolidarityError)?.message ?? ""
            return message.contains("organization fat") && (error as? SolidarityError)?.remedy == .update("replace them with the file's version")
        }
        #expect(try store.organization("fat").notes == nil)
        let report = try store.importDocument(data, name: "theirs.json", update: true)
        #expect(report.updated == 1 && report.added == 0)
        #expect(try store.organization("fat").notes == "Changed elsewhere.")
    }
}

@Suite("Streamed export")
struct StreamedExportTests {
    /// Sensitive records with everything that can refer to them, sites whose order depends on how
    /// strings compare (accents, a decomposed é and ä), and sources cited by left-out records only,
    /// by both kinds, and by nothing.
    static let sensitiveData = #"""
        {"format": "solidarity/1",
         "sources": [
           {"id": "secret-only", "title": "Cited only by left-out records"},
           {"id": "shared-source", "title": "Cited by left-out and kept records"},
           {"id": "uncited", "title": "Cited by nothing"}
         ],
         "campaigns": [{"handle": "zz-campaign", "name": "ZZ campaign"}],
         "organizations": [
           {"handle": "sc", "name": "Sindicato Clandestino", "acronym": "SC", "country": "CO", "sensitive": true, "sources": ["secret-only", "shared-source"]},
           {"handle": "sc-cali", "name": "SC Seccional Cali", "parent": "sc", "country": "CO"},
           {"handle": "sc-cali-barrio", "name": "SC Barrio", "parent": "sc-cali", "country": "CO", "sources": ["secret-only"]},
           {"handle": "sc-secret-part", "name": "SC Secret Part", "parent": "sc", "country": "CO", "sensitive": true}
         ],
         "people": [
           {"handle": "contact-person", "name": "Contact Person", "sources": ["shared-source"],
            "titles": [{"organization": "sc-cali", "title": "Secretary"}, {"organization": "fat", "title": "Adviser"}]},
           {"handle": "hidden-person", "name": "Hidden Person", "sensitive": true, "sources": ["secret-only"],
            "titles": [{"organization": "sc", "title": "President"}]}
         ],
         "relationships": [
           {"from": "ue", "to": "sc", "kind": "ally", "sources": ["secret-only"]},
           {"from": "sc-cali", "to": "fat", "kind": "partner"},
           {"from": "zenroren", "to": "fat", "kind": "ally"}
         ],
         "employers": [{"handle": "acme", "name": "Acme", "country": "CO"}],
         "sites": [
           {"id": "site-b", "employer": "acme", "name": "Éclair plant", "country": "CO", "unions": [{"organization": "sc-cali"}, {"organization": "fat"}]},
           {"id": "site-a", "employer": "acme", "name": "Eclair plant", "country": "CO"},
           {"id": "site-c", "employer": "acme", "name": "E\u0301clair plant", "country": "CO"},
           {"id": "site-d", "employer": "acme", "name": "Zeta", "country": "CO"},
           {"id": "site-e", "employer": "acme", "name": "Ångström", "country": "CO"},
           {"id": "site-f", "employer": "acme", "name": "Fa\u0308rberei", "country": "CO"},
           {"id": "site-g", "employer": "acme", "name": "Fb", "country": "CO"}
         ],
         "activities": [
           {"id": "secret-meeting", "kind": "meeting", "title": "Secret meeting", "start": "2024-03", "sensitive": true,
            "organizations": [{"organization": "fat", "role": "host"}], "sources": ["secret-only"]},
           {"id": "visit-cali", "kind": "delegation", "title": "Visit to Cali", "start": "2024-04", "itinerary": [{"country": "CO", "city": "Cali"}],
            "organizations": [{"organization": "sc-cali", "role": "host"}, {"organization": "fat", "role": "participant"}],
            "people": [{"person": "hidden-person", "role": "delegate"}, {"person": "contact-person", "role": "contact"}],
            "follow_ups": [{"id": "follow-cali", "text": "Write up", "due": "2024-05"}], "employers": ["acme"], "campaigns": ["zz-campaign"]},
           {"id": "zz-c", "kind": "call", "title": "Another call", "sources": ["shared-source"]},
           {"id": "zz-b", "kind": "call", "title": "A call"}
         ],
         "conventions": [{"handle": "sc-1", "organization": "sc", "name": "SC First Congress", "number": 1, "start": "2024-06"}],
         "resolutions": [
           {"handle": "sc-1-secret", "convention": "sc-1", "title": "Secret", "status": "adopted", "clauses": [{"text": "We organise.", "organizations": []}], "sources": ["secret-only"]},
           {"handle": "ue-79-zz-greeting", "convention": "ue-79", "title": "Greeting", "status": "draft",
            "clauses": [{"text": "We greet the Cali local and the FAT.", "organizations": ["sc-cali", "fat"]}]}
         ]
        }
        """#

    /// The document as the export built it in memory before it streamed: the oracle the streamed bytes are held to.
    static func inMemory(_ store: Store, includeSensitive: Bool) throws -> (document: InterchangeDocument, sensitive: Int, referring: Int) {
        try store.read { db in
            var sensitive = 0
            var referring = 0
            var organizations = try Organizations(db: db).fetch(ids: Int64.fetchAll(db, sql: "SELECT id FROM organizations ORDER BY handle"))
            if !includeSensitive {
                var excluded = Set(organizations.filter(\.sensitive).map(\.handle))
                sensitive += excluded.count
                var grew = true
                while grew {
                    let parts = organizations.filter { !excluded.contains($0.handle) && $0.parent.map(excluded.contains) == true }
                    excluded.formUnion(parts.map(\.handle))
                    grew = !parts.isEmpty
                }
                referring += excluded.count - sensitive
                organizations.removeAll { excluded.contains($0.handle) }
            }
            let kept = Set(organizations.map(\.handle))
            var people = try People(db: db).fetch(ids: Int64.fetchAll(db, sql: "SELECT id FROM people ORDER BY handle"))
            if !includeSensitive {
                sensitive += people.filter(\.sensitive).count
                people.removeAll(where: \.sensitive)
            }
            for index in people.indices {
                let before = people[index].titles.count
                people[index].titles.removeAll { !kept.contains($0.organization) }
                referring += before - people[index].titles.count
            }
            let all = try Relationships(db: db).fetch(where: "1")
            let relationships = all.filter { kept.contains($0.from) && kept.contains($0.to) }
                .map { $0.oriented(from: min($0.from, $0.to)) }
                .sorted { ($0.from, $0.kind.rawValue, $0.to) < ($1.from, $1.kind.rawValue, $1.to) }
            referring += all.count - relationships.count
            let employers = try Employers(db: db).list()
            var sites = try Sites(db: db).list(SiteFilter())
                .sorted { ($0.employer, $0.country, $0.name, $0.id) < ($1.employer, $1.country, $1.name, $1.id) }
            for index in sites.indices {
                let before = sites[index].unions.count
                sites[index].unions.removeAll { !kept.contains($0.organization) }
                referring += before - sites[index].unions.count
            }
            let keptPeople = Set(people.map(\.handle))
            var activities = try Activities(db: db).list(ActivityFilter())
            if !includeSensitive {
                sensitive += activities.filter(\.sensitive).count
                activities.removeAll(where: \.sensitive)
            }
            for index in activities.indices {
                let before = activities[index].organizations.count + activities[index].people.count
                activities[index].organizations.removeAll { !kept.contains($0.organization) }
                activities[index].people.removeAll { !keptPeople.contains($0.person) }
                referring += before - activities[index].organizations.count - activities[index].people.count
            }
            activities.sort { $0.id < $1.id }
            let conventions = try Conventions(db: db).fetch(ids: Int64.fetchAll(db, sql: "SELECT id FROM conventions ORDER BY handle"))
                .filter { kept.contains($0.organization) }
            let keptConventions = Set(conventions.map(\.handle))
            var resolutions = try Resolutions(db: db).fetch(ids: Int64.fetchAll(db, sql: "SELECT id FROM resolutions ORDER BY handle"))
                .filter { keptConventions.contains($0.convention) }
            for index in resolutions.indices {
                for clause in resolutions[index].clauses.indices {
                    let before = resolutions[index].clauses[clause].organizations.count
                    resolutions[index].clauses[clause].organizations.removeAll { !kept.contains($0) }
                    referring += before - resolutions[index].clauses[clause].organizations.count
                }
            }
            var cited = Set<String>()
            organizations.forEach { cited.formUnion($0.sources) }
            people.forEach { cited.formUnion($0.sources) }
            relationships.forEach { cited.formUnion($0.sources) }
            employers.forEach { cited.formUnion($0.sources) }
            sites.forEach { cited.formUnion($0.sources) }
            activities.forEach { cited.formUnion($0.sources) }
            resolutions.forEach { cited.formUnion($0.sources) }
            let citedAnywhere = Set(try String.fetchAll(db, sql: """
                SELECT s.uid FROM sources s WHERE EXISTS (SELECT 1 FROM organization_sources WHERE source_id = s.id)
                    OR EXISTS (SELECT 1 FROM person_sources WHERE source_id = s.id) OR EXISTS (SELECT 1 FROM relationship_sources WHERE source_id = s.id)
                    OR EXISTS (SELECT 1 FROM employer_sources WHERE source_id = s.id) OR EXISTS (SELECT 1 FROM site_sources WHERE source_id = s.id)
                    OR EXISTS (SELECT 1 FROM activity_sources WHERE source_id = s.id) OR EXISTS (SELECT 1 FROM resolution_sources WHERE source_id = s.id)
                """))
            let allSources = try Sources(db: db).all()
            let sources = allSources.filter { cited.contains($0.id) || !citedAnywhere.contains($0.id) }
            referring += allSources.count - sources.count
            let home = try String.fetchOne(db, sql: "SELECT o.handle FROM home h JOIN organizations o ON o.id = h.organization_id")
            let document = InterchangeDocument(
                home: home.flatMap { kept.contains($0) ? $0 : nil }, sources: sources, campaigns: try Campaigns(db: db).all(),
                organizations: organizations, people: people, relationships: relationships, employers: employers, sites: sites,
                activities: activities, conventions: conventions, resolutions: resolutions, includesSensitive: includeSensitive)
            return (document, sensitive, referring)
        }
    }

    @Test("the streamed bytes are those of the whole document encoded at once, with and without sensitive records", arguments: [false, true])
    func sameBytes(includeSensitive: Bool) throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        _ = try store.importDocument(Data(Self.sensitiveData.utf8), name: "sensitive.json")
        var chunks: [Data] = []
        let report = try store.export(includeSensitive: includeSensitive) { chunks.append($0) }
        let streamed = chunks.reduce(Data(), +)
        let expected = try Self.inMemory(store, includeSensitive: includeSensitive)
        let encoded = try expected.document.encoded()
        #expect(streamed == encoded)
        if streamed != encoded {
            let a = String(decoding: streamed, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let b = String(decoding: encoded, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            if let line = zip(a, b).enumerated().first(where: { $0.element.0 != $0.element.1 }) {
                Issue.record("line \(line.offset + 1): streamed \"\(line.element.0)\", expected \"\(line.element.1)\"")
            }
        }
        #expect(report.sensitive == expected.sensitive && report.referring == expected.referring)
        if includeSensitive {
            #expect(report.leftOut == 0)
        } else {
            // SC, its secret part, the hidden person, the secret meeting; the Cali local and its barrio; SC's convention is left out uncounted.
            #expect(report.sensitive == 4)
            #expect(report.referring > 8)
            #expect(!expected.document.sources.contains { $0.id == "secret-only" })
            #expect(expected.document.sources.contains { $0.id == "shared-source" } && expected.document.sources.contains { $0.id == "uncited" })
        }
        #expect(try store.export(includeSensitive: includeSensitive).data == encoded)
    }

    @Test("an empty database streams the empty document byte for byte")
    func emptyDatabase() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        #expect(try store.export().data == InterchangeDocument().encoded())
        #expect(try store.export(includeSensitive: true).data == InterchangeDocument(includesSensitive: true).encoded())
    }

    @Test("pages join up: more records than one page, in order")
    func manyPages() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let organizations = (0..<1234).map { #"{"handle": "org-\#($0)", "name": "Organization \#($0)", "country": "FR"}"# }
        let activities = (0..<1100).map { #"{"id": "act-\#($0)", "kind": "call", "title": "Call \#($0)", "organizations": [{"organization": "org-\#($0)", "role": "met"}]}"# }
        let file = #"{"format": "solidarity/1", "organizations": [\#(organizations.joined(separator: ","))], "activities": [\#(activities.joined(separator: ","))]}"#
        _ = try store.importDocument(Data(file.utf8), name: "many.json")
        var chunks = 0
        let report = try store.export(includeSensitive: true) { _ in chunks += 1 }
        #expect(report.leftOut == 0 && chunks > 1)
        #expect(try store.export(includeSensitive: true).data == Self.inMemory(store, includeSensitive: true).document.encoded())
    }
}
