import Foundation
import GRDB
import Testing
@testable import SolidarityCore

@Suite("Merging duplicates")
struct MergeTests {
    /// For every table that refers to `table` by a foreign key, how many of its rows refer to any of `ids`.
    private func links(_ store: Store, _ table: String, _ ids: [Int64]) throws -> [String: Int] {
        try store.read { db in
            var counts: [String: Int] = [:]
            let list = ids.map(String.init).joined(separator: ",")
            for linking in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") {
                let columns = try Row.fetchAll(db, sql: "SELECT \"table\", \"from\" FROM pragma_foreign_key_list(?)", arguments: [linking])
                    .filter { ($0["table"] as String) == table }.map { $0["from"] as String }
                guard !columns.isEmpty else { continue }
                let condition = columns.map { "\($0) IN (\(list))" }.joined(separator: " OR ")
                counts[linking] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(linking) WHERE \(condition)")!
            }
            return counts
        }
    }

    private func id(_ store: Store, _ table: String, _ handle: String) throws -> Int64 {
        try store.read { try Int64.fetchOne($0, sql: "SELECT id FROM \(table) WHERE handle = ?", arguments: [handle])! }
    }

    /// A second CSN with a link of every kind: relationships (one with CSN itself, one CSN also has,
    /// one new), a title, activity roles, representation, a resolution mention, a part, an alias, a
    /// campaign and a source.
    private func duplicateOfCSN(_ store: Store) throws {
        _ = try store.addOrganization(Organization(
            handle: "csn-2", name: "Confederation des Syndicats Nationaux", kind: .confederation, country: "CA", city: "Montréal",
            members: 300_000, website: "https://www.csn.qc.ca", aliases: [.init(name: "CSN Québec", lang: "fr"), .init(name: "Confederation of National Trade Unions")],
            campaigns: ["trade-and-migration"], sources: ["ue-nasp-resolution"]))
        _ = try store.addOrganization(Organization(name: "Conseil central de Québec", kind: .council, country: "CA", parent: "csn-2"))
        _ = try store.relate(Relationship(from: "csn-2", to: "ue", kind: .ally, status: .close))
        _ = try store.relate(Relationship(from: "csn-2", to: "csn", kind: .partner))
        _ = try store.relate(Relationship(from: "csn-2", to: "fat", kind: .partner, sources: ["ue-nasp-resolution"]))
        _ = try store.editPerson("lana-payne") { $0.titles.append(.init(organization: "csn-2", title: "Observer")) }
        _ = try store.log(Activity(kind: .meeting, title: "Meeting in Montreal", start: try PartialDate("2025-03-01"),
                                   organizations: [.init(organization: "csn-2", role: .host), .init(organization: "csn", role: .participant)]))
        _ = try store.addSite(Site(employer: "alstom", name: "Alstom La Pocatière", country: "CA", unions: [.init(organization: "csn-2")]))
        try store.write { db in
            try db.execute(sql: """
                INSERT INTO resolution_organizations (resolution_id, clause, organization_id)
                SELECT r.id, 1, o.id FROM resolutions r, organizations o WHERE r.handle = 'ue-79-international-solidarity' AND o.handle = 'csn-2'
                """)
        }
    }

    @Test("a merge keeps every link: each moves to the record kept or folds into one it already had")
    func keepsEveryLink() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        try duplicateOfCSN(store)
        let (a, b) = (try id(store, "organizations", "csn-2"), try id(store, "organizations", "csn"))
        let before = try links(store, "organizations", [a, b])
        let plan = try store.merge(.organization, "csn-2", into: "csn", dryRun: false)
        let after = try links(store, "organizations", [b])
        let folded = plan.moves.reduce(0) { $0 + $1.folded }
        #expect(after.values.reduce(0, +) == before.values.reduce(0, +) - folded, "\(before) \(after) \(plan.moves)")
        #expect(try links(store, "organizations", [a]).values.reduce(0, +) == 0)
        // Folded: the partnership with CSN itself, the alliance with UE that CSN has, the alias CSN
        // already had; the meeting CSN was in keeps both roles (host and participant).
        let moves = Dictionary(uniqueKeysWithValues: plan.moves.map { ($0.what, $0) })
        #expect(moves["relationships"] == .init(what: "relationships", moved: 1, folded: 2))
        #expect(moves["aliases"] == .init(what: "aliases", moved: 1, folded: 1))
        #expect(moves["titles"]?.moved == 1)
        #expect(moves["activity roles"]?.moved == 1)
        #expect(moves["representation"]?.moved == 1)
        #expect(moves["resolution mentions"].map { $0.moved + $0.folded } == 1)
        #expect(moves["parts"]?.moved == 1)
        #expect(moves["campaigns"]?.moved == 1)
        #expect(moves["sources"]?.moved == 1 || moves["sources"]?.folded == 1)

        let csn = try store.organization("csn")
        #expect(csn.name == "Confédération des syndicats nationaux")
        #expect(csn.members == 300_000 && csn.city == "Montréal", "B had none: A's values")
        #expect(csn.aliases.map(\.name).contains("CSN Québec"))
        #expect(try store.relationships(of: "csn").contains { $0.to == "fat" && $0.kind == .partner && $0.sources == ["ue-nasp-resolution"] })
        #expect(try store.relationships(of: "csn").allSatisfy { $0.from != $0.to })
        #expect(try store.organization("Conseil central de Québec").parent == "csn")
    }

    @Test("the old handle finds the record kept, and says so once")
    func oldHandleResolves() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        try duplicateOfCSN(store)
        _ = try store.merge(.organization, "csn-2", into: "csn", dryRun: false)
        let told = Told()
        try MergeNotices.$current.withValue(MergeNotices(say: { told.append($0) })) {
            #expect(try store.organization("csn-2").handle == "csn")
            #expect(try store.timeline(of: "csn-2").isEmpty == false)
            _ = try store.relate(Relationship(from: "csn-2", to: "kmu", kind: .ally))
        }
        #expect(told.lines == ["csn-2 was merged into csn (Confédération des syndicats nationaux); using csn."])
        // A later merge of CSN carries its old handles along.
        _ = try store.addOrganization(Organization(handle: "csn-3", name: "CSN Canada", kind: .confederation, country: "CA"))
        _ = try store.merge(.organization, "csn", into: "csn-3", dryRun: false)
        #expect(try store.organization("csn-2").handle == "csn-3")
    }

    @Test("a dry run, and a refused merge, write nothing")
    func dryRunWritesNothing() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        try duplicateOfCSN(store)
        let path = folder.path("test.sqlite")
        try store.queue.writeWithoutTransaction { _ = try $0.checkpoint(.truncate) }
        let bytes = contents(path)
        let wal = contents(path + "-wal")
        let plan = try store.merge(.organization, "csn-2", into: "csn", dryRun: true)
        #expect(!plan.done)
        #expect(plan.moves.contains { $0.what == "relationships" })
        #expect(plan.fields.contains { $0.field == "name" && $0.conflict && $0.kept == .b })
        #expect(throws: SolidarityError.self) { try store.merge(.organization, "csn", into: "CSN", dryRun: false) }
        #expect(throws: SolidarityError.self) { try store.merge(.organization, "csn-2", into: "csn", keep: ["colour": .a], dryRun: false) }
        #expect(throws: SolidarityError.self) { try store.merge(.organization, "ue", into: "ue-local-506", dryRun: false) }
        #expect(contents(path) == bytes)
        #expect(contents(path + "-wal") == wal)
        #expect(try store.organization("csn-2").handle == "csn-2")
    }

    @Test("--keep chooses A's value of a field both have")
    func keepChooses() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        try duplicateOfCSN(store)
        _ = try store.editOrganization("csn") { $0.website = "https://csn.qc.ca" }
        _ = try store.merge(.organization, "csn-2", into: "csn", keep: ["website": .a, "name": .a], dryRun: false)
        let csn = try store.organization("csn")
        #expect(csn.website == "https://www.csn.qc.ca")
        #expect(csn.name == "Confederation des Syndicats Nationaux")
        #expect(try store.organization("Confédération des syndicats nationaux").handle == "csn")
    }

    @Test("people and employers merge too, with their links")
    func peopleAndEmployers() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        _ = try store.addPerson(Person(name: "Lana Payne", email: "lana@unifor.org", languages: ["en", "fr"],
                                       titles: [.init(organization: "unifor", title: "National President")]))
        let person = try store.merge(.person, "lana-payne-2", into: "lana-payne", dryRun: false)
        #expect(person.moves.contains { $0.what == "languages" && $0.moved == 2 })
        let lana = try store.person("lana-payne-2")
        #expect(lana.handle == "lana-payne" && lana.email == "lana@unifor.org" && lana.languages == ["en", "fr"])

        _ = try store.addEmployer(Employer(handle: "wabtec-corp", name: "Westinghouse Air Brake Technologies", aliases: ["Wabtec Corporation"]))
        _ = try store.addSite(Site(employer: "wabtec-corp", name: "Wabtec Erie", country: "US"))
        let (a, b) = (try id(store, "employers", "wabtec-corp"), try id(store, "employers", "wabtec"))
        let before = try links(store, "employers", [a, b]).values.reduce(0, +)
        _ = try store.merge(.employer, "wabtec-corp", into: "wabtec", dryRun: false)
        // Every link, and A's name as an alias of B.
        #expect(try links(store, "employers", [b]).values.reduce(0, +) == before + 1)
        #expect(try store.employer("Westinghouse Air Brake Technologies").handle == "wabtec")
        #expect(try store.site("Wabtec Erie").employer == "wabtec")
    }
}

/// Lines told, collected from any thread.
private final class Told: @unchecked Sendable {
    private let lock = NSLock()
    private var told: [String] = []
    func append(_ line: String) { lock.withLock { told.append(line) } }
    var lines: [String] { lock.withLock { told } }
}
