import Foundation
import GRDB
import Testing
@testable import SolidarityCore

@Suite("Seeds")
struct SeedTests {
    @Test("seeding twice changes nothing, and a deleted seed record comes back")
    func idempotent() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        let first = try store.seed(home: "ue")
        #expect(first.added > 50 && first.present == 0)
        let snapshot = try dump(store)
        let second = try store.seed()
        #expect(second.added == 0 && second.present == first.added)
        #expect(try dump(store) == snapshot)

        _ = try store.removePerson("john-miles")
        #expect(try store.seed().added == 1)
        #expect(try store.person("john-miles").titles.first?.organization == "ue-local-506")
    }

    @Test("seeding keeps a record the user changed as the user left it")
    func keepsUserEdits() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        _ = try store.editOrganization("fat") { $0.notes = "Our notes." }
        _ = try store.seed()
        #expect(try store.organization("fat").notes == "Our notes.")
    }

    @Test("every organization the seed texts name is in the Seeds", arguments: [
        "ue", "ue-local-506", "ue-local-610", "ue-local-618", "unifor", "fat", "atm", "csn", "ccmm-csn", "zenroren", "kctu",
        "industriall", "fiom", "cut", "cgt", "ntui", "kmu", "unite", "nnu", "uwua", "ilwu", "ibu", "ctu", "nasp", "labor-notes",
        "national-labor-network-for-ceasefire", "workers-in-palestine",
    ])
    func organizationsPresent(handle: String) throws {
        let document = try Seeds.document()
        #expect(document.organizations.contains { $0.handle == handle })
    }

    @Test("the Seeds state the texts' relationships and structure")
    func relationships() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let allies = try store.relationships(of: "ue", kind: .ally)
        #expect(Set(allies.filter { $0.status == .close }.map(\.to)) == ["fat", "unifor", "csn", "zenroren"])
        #expect(Set(allies.map(\.to)).isSuperset(of: ["fiom", "cut", "cgt", "ntui", "kmu", "unite", "kctu"]))
        #expect(try store.relationships(of: "ue", kind: .memberOf).map(\.to) == ["industriall"])
        #expect(try store.organization("ccmm-csn").parent == "csn")
        #expect(try store.organization("ibu").parent == "ilwu")
        #expect(try store.home()?.handle == "ue")
        #expect(try store.person("Carl Rosen").titles.map(\.title) == ["General President"])
    }

    @Test("an organization's name is its official name, and the texts' spellings and English renderings find it", arguments: [
        ("kmu", "Kilusang Mayo Uno", "May First Movement"), ("fiom", "Federazione Impiegati Operai Metallurgici", "FIOM"),
        ("atm", "Alianza de Tranviarios de México", "Tram Workers Alliance of Mexico"), ("fat", "Frente Auténtico del Trabajo", "Authentic Labor Front"),
        ("csn", "Confédération des syndicats nationaux", "Confederation of National Trade Unions"),
        ("ccmm-csn", "Conseil central du Montréal métropolitain–CSN", "Conseil central du Montréal métropolitain"),
        ("cut", "Central Única dos Trabalhadores", "Central Union of Workers"), ("cgt", "Confédération générale du travail", "CGT"),
        ("ibu", "Inlandboatmen's Union of the Pacific", "Inland Boatman’s Union"), ("ilwu", "International Longshore and Warehouse Union", "International Longshore Workers Union"),
        ("unite", "Unite the Union", "Unite"), ("zenroren", "National Confederation of Trade Unions", "Zenroren"),
    ])
    func officialNames(handle: String, name: String, spelling: String) throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let organization = try store.organization(handle)
        #expect(organization.name == name)
        #expect(try store.organization(spelling).handle == handle)
    }

    @Test("every seeded handle follows the rule: the acronym, else the name")
    func handlesFollowTheRule() throws {
        for organization in try Seeds.document().organizations {
            #expect(organization.handle == organization.proposedHandle, "\(organization.name)")
        }
    }

    @Test("an activity gives an organization a part only where the texts state it")
    func statedRolesOnly() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        // The texts name no union taking part in these NASP activities, and no host of the Zenroren–CTU meeting.
        for id in ["fgy356o7og", "422opxnyft", "dng3ab3nq3"] {
            #expect(try store.activity(id).organizations == [.init(organization: "nasp", role: .organizer)], "\(id)")
        }
        let meeting = try store.activity("d5inouxjug")
        #expect(!meeting.organizations.contains { $0.role == .host })
        #expect(Set(meeting.organizations.map(\.organization)) == ["zenroren", "ctu"])
    }

    @Test("the Seeds file is in the interchange format with every key present")
    func everyKeyPresent() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Seeds/seeds.json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        #expect(json["format"] as? String == "solidarity/1")
        let organizations = try #require(json["organizations"] as? [[String: Any]])
        let keys = ["handle", "name", "acronym", "native_name", "native_name_lang", "kind", "country", "region", "city", "parent",
                    "members", "members_as_of", "website", "notes", "sensitive", "aliases", "campaigns", "sources"]
        for organization in organizations {
            #expect(Set(organization.keys) == Set(keys), "\(organization["handle"] ?? "?")")
        }
    }

    /// Every row of the tables the Seeds fill, as text.
    private func dump(_ store: Store) throws -> [String] {
        try store.read { db in
            var lines: [String] = []
            for table in ["organizations", "organization_aliases", "people", "person_titles", "relationships", "sources", "campaigns", "home"] {
                lines += try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1, 2").map { "\(table) \($0)" }
            }
            return lines
        }
    }
}

@Suite("Query plans")
struct QueryPlanTests {
    @Test("lookups by handle, name, acronym, alias and country use indexes", arguments: [
        ("SELECT id FROM organizations WHERE handle = 'fat'", "sqlite_autoindex_organizations"),
        ("SELECT id FROM organizations WHERE name_key = 'frente autentico del trabajo'", "organizations_by_name_key"),
        ("SELECT id FROM organizations WHERE acronym_key = 'fat'", "organizations_by_acronym_key"),
        ("SELECT id FROM organizations WHERE native_name_key = 'frente autentico del trabajo'", "organizations_by_native_name_key"),
        ("SELECT organization_id FROM organization_aliases WHERE alias_key = 'central union of workers'", "organization_aliases_by_key"),
        ("SELECT id FROM organizations WHERE country = 'MX' ORDER BY handle", "organizations_by_country"),
        ("SELECT id FROM people WHERE name_key = 'carl rosen'", "people_by_name_key"),
        ("SELECT id FROM relationships WHERE to_id = 3", "relationships_by_to"),
        ("SELECT id FROM relationships WHERE from_id = 3", "sqlite_autoindex_relationships"),
        ("SELECT id FROM relationships r WHERE r.kind = 'ally'", "relationships_by_kind"),
        ("SELECT id FROM relationships r WHERE r.kind = 'ally' AND r.status = 'close'", "relationships_by_kind"),
        ("SELECT id FROM relationships r WHERE r.status = 'close'", "relationships_by_status"),
        ("SELECT person_id FROM person_titles WHERE organization_id = 3", "person_titles_by_organization"),
    ])
    func usesIndex(sql: String, index: String) throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let plan = try store.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }.joined(separator: "; ")
        }
        #expect(plan.contains(index), "\(plan)")
        #expect(!plan.contains("SCAN organizations") && !plan.contains("SCAN people"), "\(plan)")
    }

    /// The SQL statements a piece of work runs, expanded with their arguments.
    final class Statements: @unchecked Sendable {
        var sql: [String] = []
    }

    @Test("a period's activities (appendix, delegation list --since) are searched by the day they end, never by reading every earlier activity")
    func periodsUseEnd() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let statements = Statements()
        // A command's store: one connection, which every read below goes through.
        let queue = try #require(store.queue as? DatabaseQueue)
        queue.inDatabase { db in
            db.trace { event in
                if case .statement(let statement) = event { statements.sql.append(statement.expandedSQL) }
            }
        }
        _ = try store.appendix(for: "ue-79-international-solidarity", since: try PartialDate("2023-09"))
        _ = try store.activities(ActivityFilter(kinds: [.delegation], since: try PartialDate("2024")))
        _ = try store.activities(ActivityFilter(since: try PartialDate("2023"), until: try PartialDate("2025")))
        queue.inDatabase { $0.trace(options: [], nil) }
        let periods = statements.sql.filter { $0.contains("last_day >=") && !$0.hasPrefix("EXPLAIN") }
        #expect(periods.count >= 7, "\(statements.sql)")
        for sql in periods {
            let plan = try store.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }.joined(separator: "; ")
            }
            #expect(!plan.contains("activities_by_start") && !plan.contains("SCAN activities"), "\(sql)\n\(plan)")
            #expect(plan.contains("activities_by_end") || plan.contains("activities_by_kind_and_end") || plan.contains("INTEGER PRIMARY KEY"),
                    "\(sql)\n\(plan)")
        }
    }
}
