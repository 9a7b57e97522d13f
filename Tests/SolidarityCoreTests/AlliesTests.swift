import Foundation
import GRDB
import Testing
@testable import SolidarityCore

@Suite("Allies per employer chain")
struct AlliesTests {
    let today = try! PartialDate("2026-11-23")

    @Test("the seeded Wabtec chain: the three UE locals as ours, gaps in Great Britain, Brazil and Italy")
    func seededWabtec() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let report = try store.allies(employer: "wabtec", today: today)
        #expect(report.countries.map(\.country) == ["BR", "GB", "IT", "US"])
        let gaps = report.countries.flatMap(\.sites).filter(\.gap)
        #expect(Set(gaps.map(\.name)) == ["Wabtec workers in Brazil", "Wabtec workers in Great Britain", "Wabtec workers in Italy"])
        let unions = report.countries.flatMap(\.sites).flatMap(\.unions)
        #expect(unions.map(\.organization).sorted() == ["ue-local-506", "ue-local-610", "ue-local-618"])
        #expect(unions.allSatisfy { $0.ours && !$0.prospect && $0.federation == "industriall" })
        #expect(unions.first { $0.organization == "ue-local-506" }?.contacts.map(\.person) == ["john-miles"])
        #expect(report.note == nil)
    }

    @Test("a chain runs through parent companies; allies, prospects and last contacts are told apart")
    func chainThroughParents() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        _ = try store.addEmployer(Employer(name: "Wabtec Faiveley", country: "FR", parent: "wabtec"))
        _ = try store.addEmployer(Employer(handle: "faiveley-brasil", name: "Faiveley Transport do Brasil", country: "BR", parent: "wabtec-faiveley"))
        _ = try store.addOrganization(Organization(name: "Sindicato dos Metalúrgicos de Exemplo", acronym: "SME", country: "BR"))
        _ = try store.addSite(Site(employer: "faiveley-brasil", name: "Faiveley Sorocaba", country: "BR", unions: [.init(organization: "cut"), .init(organization: "SME")]))
        _ = try store.addSite(Site(employer: "wabtec-faiveley", name: "Faiveley Tours", country: "FR", unions: [.init(organization: "cgt")]))
        _ = try store.log(Activity(kind: .meeting, title: "Meeting with CUT metalworkers", start: try PartialDate("2025-09"),
                                   organizations: [.init(organization: "cut", role: .participant), .init(organization: "ue", role: .participant)]))
        let report = try store.allies(employer: "Westinghouse Air Brake Technologies Corporation", today: today)
        #expect(report.employers == ["wabtec", "wabtec-faiveley", "wabtec-faiveley/faiveley-brasil"].map { $0.split(separator: "/").last.map(String.init)! })
        let unions = Dictionary(report.countries.flatMap(\.sites).flatMap(\.unions).map { ($0.organization, $0) }, uniquingKeysWith: { a, _ in a })
        let cut = try #require(unions["cut"])
        #expect(cut.relationship?.kind == .ally && cut.relationship?.status == .active && !cut.prospect)
        #expect(cut.lastContact?.title == "Meeting with CUT metalworkers" && cut.lastContact?.date?.description == "2025-09")
        #expect(unions["sme"]?.prospect == true && unions["sme"]?.relationship == nil)
        #expect(unions["cgt"]?.relationship?.kind == .ally)
        #expect(try store.allies(employer: "wabtec-faiveley", today: today).countries.map(\.country) == ["BR", "FR"])
        #expect(try store.allies(employer: "wabtec", country: "FR", today: today).countries.flatMap(\.sites).map(\.name) == ["Faiveley Tours"])
    }

    @Test("--as-of gives the state on a date from representation and relationship dates")
    func asOf() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let site = try store.addSite(Site(employer: "ge", name: "GE Contagem", country: "BR", unions: [.init(organization: "cut", since: try PartialDate("2010"))]))
        _ = try store.represent(site: site.id, .init(organization: "cut", since: try PartialDate("2010"), until: try PartialDate("2019-06")))
        _ = try store.addOrganization(Organization(name: "Sindicato dos Metalúrgicos", acronym: "SINDIMETAL", country: "BR"))
        _ = try store.represent(site: site.id, .init(organization: "SINDIMETAL", since: try PartialDate("2019-07")))
        func union(on date: String?) throws -> [String] {
            try store.allies(employer: "ge", asOf: date.map(PartialDate.init), today: today).countries.flatMap(\.sites).flatMap(\.unions).map(\.organization)
        }
        #expect(try union(on: "2015") == ["cut"])
        #expect(try union(on: "2019") == ["cut", "sindimetal"])
        #expect(try union(on: nil) == ["sindimetal"])
        #expect(try union(on: "2005").isEmpty)
        _ = try store.editRelationship("ue", "cut", kind: .ally) { r in
            r.since = try PartialDate("2012")
            r.until = try PartialDate("2016")
            r.status = .ended
        }
        let in2015 = try store.allies(employer: "ge", asOf: try PartialDate("2015"), today: today).countries[0].sites[0].unions[0]
        #expect(in2015.relationship?.kind == .ally && !in2015.prospect)
        let in2011 = try store.allies(employer: "ge", asOf: try PartialDate("2011"), today: today).countries[0].sites[0].unions[0]
        #expect(in2011.relationship == nil && in2011.prospect)
    }

    @Test("without a home organization the chain is still listed, with a note saying why relationships are empty")
    func noHome() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let report = try store.allies(employer: "wabtec", today: today)
        #expect(report.note?.contains("solidarity home") == true)
        #expect(report.countries.flatMap(\.sites).flatMap(\.unions).allSatisfy { !$0.ours && !$0.prospect })
    }

    @Test("an unknown employer is refused")
    func unknownEmployer() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        #expect { try store.allies(employer: "Siemens") } throws: { ($0 as? SolidarityError)?.reason == .notFound }
    }

    @Test("shared employers: sister shops through locals and parent companies; none is an empty answer")
    func shared() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        _ = try store.addEmployer(Employer(name: "Wabtec Brasil", country: "BR", parent: "wabtec"))
        _ = try store.addSite(Site(employer: "wabtec-brasil", name: "Wabtec Contagem", country: "BR", unions: [.init(organization: "cut")]))
        let result = try store.sharedEmployers("ue", "CUT")
        #expect(result.employers.map(\.employer) == ["wabtec"])
        #expect(result.employers[0].firstSites.count == 3 && result.employers[0].secondSites == ["Wabtec Contagem"])
        #expect(try store.sharedEmployers("ue", "fat").employers.isEmpty)
    }

    @Test("on a database with 200,000 sites, allies for one employer reads only that employer's rows")
    func queryPlanAtScale() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        try store.write { db in
            try db.execute(sql: """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
                INSERT INTO employers (handle, name, name_key, country) SELECT 'employer-' || i, 'Employer ' || i, 'employer ' || i, 'US' FROM n
                """)
            try db.execute(sql: """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
                INSERT INTO sites (uid, employer_id, name, name_key, country)
                SELECT 'site-' || i, (SELECT id FROM employers WHERE handle = 'employer-' || (1 + i % 2000)), 'Site ' || i, 'site ' || i,
                       CASE i % 3 WHEN 0 THEN 'US' WHEN 1 THEN 'BR' ELSE 'IT' END FROM n
                """)
            try db.execute(sql: "INSERT INTO representations (site_id, organization_id) SELECT id, 1 FROM sites WHERE id % 2 = 0")
            try db.execute(sql: "ANALYZE")
        }
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sites") } == 200_007)
        let plan = try store.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + AlliesQuery.chainSQL, arguments: [42]).map { $0["detail"] as String }
        }
        let text = plan.joined(separator: "; ")
        #expect(plan.contains { $0.hasPrefix("SEARCH s USING") && $0.contains("INDEX sites_by_employer (employer_id=?)") }, "\(text)")
        #expect(plan.contains { $0.hasPrefix("SEARCH e USING") && $0.contains("INDEX employers_by_parent (parent_id=?)") }, "\(text)")
        #expect(plan.contains { $0.hasPrefix("SEARCH r USING") && $0.contains("INDEX sqlite_autoindex_representations_1 (site_id=?)") }, "\(text)")
        #expect(!plan.contains { $0.contains("SCAN s") || $0.contains("SCAN r") || $0.contains("SCAN sites") }, "\(text)")
        let report = try store.allies(employer: "employer-42", today: today)
        #expect(report.countries.flatMap(\.sites).count == 100)
    }
}

@Suite("Network graph")
struct GraphTests {
    @Test("Graphviz renders the DOT of the Wabtec chain with every node and edge")
    func renderedByDot() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let graph = try store.graph(.employer("wabtec"))
        guard let dot = ["/usr/bin/dot", "/usr/local/bin/dot"].first(where: FileManager.default.isExecutableFile) else {
            Issue.record("Graphviz is missing: run script/bootstrap (apt-get install graphviz).")
            return
        }
        let file = folder.path("wabtec.dot")
        try graph.dot.write(toFile: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: dot)
        process.arguments = ["-Tsvg", file]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let svg = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "dot refused the graph: \(errors)")
        // Graphviz titles each node with its id and each edge "from&#45;&gt;to".
        for node in ["org:ue-local-506", "org:ue", "employer:wabtec", "site:ef476nplyb"] {
            #expect(svg.contains("<title>\(node.replacingOccurrences(of: "-", with: "&#45;"))</title>"), "node \(node) missing")
        }
        #expect(svg.contains("<title>org:ue&#45;local&#45;506&#45;&gt;site:tprryivbde</title>"))
        #expect(svg.contains("<title>site:tprryivbde&#45;&gt;employer:wabtec</title>"))
        #expect(svg.contains("<title>cluster_BR</title>") && svg.contains(">Brazil</text>"))
        #expect(svg.contains(">represents</text>") && svg.contains(">part of</text>"))
        #expect(graph.nodes.count == 11)
    }

    @Test("the Mermaid flowchart has a subgraph per country and labelled edges")
    func mermaid() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let text = try store.graph(.organization("fat")).mermaid
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "flowchart LR")
        #expect(lines.contains("  subgraph country_MX[\"Mexico\"]"))
        #expect(lines.contains("    org_fat(\"FAT\")"))
        #expect(lines.contains("  org_fat ---|\"ally (close)\"| org_ue"))
        #expect(lines.filter { $0.trimmingCharacters(in: .whitespaces) == "end" }.count == lines.filter { $0.contains("subgraph") }.count)
    }

    @Test("sensitive organizations stay out of the graph with their edges unless asked")
    func sensitive() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        _ = try store.editOrganization("kmu") { $0.sensitive = true }
        let graph = try store.graph(.organization("ue"))
        #expect(graph.leftOut == 1 && !graph.dot.contains("org:kmu"))
        let everything = try store.graph(.organization("ue"), includeSensitive: true).dot
        #expect(everything.contains("\"org:kmu\" [label=\"KMU\"") && everything.contains("\"org:kmu\" -> \"org:ue\" [label=\"ally (active)\", dir=none]"))
    }
}
