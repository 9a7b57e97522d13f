import Foundation
import GRDB
import Testing
@testable import SolidarityCore

@Suite("Finding duplicates")
struct DuplicatesTests {
    /// The pairs found, as "first second" handle pairs in either order.
    private func pairs(_ store: Store, _ kind: TimelineKind, all: Bool = false) throws -> Set<Set<String>> {
        Set(try store.duplicates(of: kind, includeMarked: all).map { [$0.first.handle, $0.second.handle] })
    }

    @Test("the shipped Seeds hold no pair of duplicates of any kind")
    func seedsHaveNone() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        for kind in TimelineKind.allCases {
            let found = try store.duplicates(of: kind)
            #expect(found.isEmpty, "\(kind): \(found)")
        }
    }

    @Test("pairs made for the test are found: accents and case, an acronym, an alias in another script, a transliteration, an email and a website")
    func seededPairs() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        // Accents and case.
        let csn = try store.addOrganization(Organization(name: "CONFEDERATION DES SYNDICATS NATIONAUX", kind: .confederation, country: "CA"))
        // The same acronym in the same country.
        let fat = try store.addOrganization(Organization(name: "Frente Autentico", acronym: "FAT", kind: .confederation, country: "MX"))
        // Another script through an alias: Zenroren's native name is 全国労働組合総連合.
        let zen = try store.addOrganization(Organization(handle: "zenroren-jp", name: "Zenroren Japan", kind: .confederation, country: "JP",
                                                         aliases: [.init(name: "全国労働組合総連合", lang: "ja")]))
        // A transliterated name: Cyrillic and its Latin letters.
        _ = try store.addOrganization(Organization(handle: "sila-truda-ru", name: "Сила Труда", kind: .union, country: "RU"))
        _ = try store.addOrganization(Organization(name: "Sila Truda", kind: .union, country: "RU"))
        // People: the same name in other case, and the same email under another name.
        _ = try store.addPerson(Person(name: "LANA PAYNE"))
        _ = try store.editPerson("carl-rosen") { $0.email = "carl@ue.org" }
        _ = try store.addPerson(Person(handle: "c-rosen", name: "C. Rosen", email: "Carl@UE.org"))
        // Employers: an alias that is the other's name, and the same website.
        _ = try store.addEmployer(Employer(name: "Westinghouse Air Brake Technologies", aliases: ["WABTEC"]))
        _ = try store.editEmployer("ge") { $0.website = "https://www.ge.com/" }
        _ = try store.addEmployer(Employer(handle: "general-electric-2", name: "G.E. Company", website: "ge.com"))

        let organizations = try pairs(store, .organization)
        #expect(organizations.contains([csn.handle, "csn"]))
        #expect(organizations.contains([fat.handle, "fat"]))
        #expect(organizations.contains([zen.handle, "zenroren"]))
        #expect(organizations.contains(["sila-truda-ru", "sila-truda"]))
        #expect(organizations.count == 4, "\(organizations)")
        let people = try pairs(store, .person)
        #expect(people == [["lana-payne", "lana-payne-2"], ["c-rosen", "carl-rosen"]])
        let employers = try pairs(store, .employer)
        #expect(employers.contains(["wabtec", "westinghouse-air-brake-technologies"]))
        #expect(employers.contains(["ge", "general-electric-2"]))

        let best = try store.duplicates(of: .organization)
        #expect(best.map(\.score) == best.map(\.score).sorted(by: >))
        let accents = try #require(best.first { $0.first.handle == csn.handle })
        #expect(accents.reasons == ["same name", "same country"])
        #expect(accents.second.handle == "csn", "the record recorded first is the one to keep")
    }

    @Test("the same acronym in two countries, or locals of one union, are not proposed")
    func notDuplicates() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        _ = try store.addOrganization(Organization(name: "Central Unitaria de Trabajadores", acronym: "CUT", kind: .confederation, country: "CL"))
        _ = try store.addOrganization(Organization(name: "UE Local 1111", kind: .local, country: "US", parent: "ue"))
        #expect(try pairs(store, .organization).isEmpty)
    }

    @Test("a pair marked as not duplicates is no longer proposed, unless every pair is asked for")
    func marking() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        _ = try store.addPerson(Person(name: "Lana Payne", email: "lana@example.org"))
        #expect(try pairs(store, .person) == [["lana-payne", "lana-payne-2"]])
        #expect(try store.markNotDuplicates(.person, "lana-payne-2", "lana-payne") == ("lana-payne-2", "lana-payne"))
        #expect(try pairs(store, .person).isEmpty)
        let all = try store.duplicates(of: .person, includeMarked: true)
        #expect(all.count == 1 && all[0].markedDifferent)
        #expect(throws: SolidarityError.self) { try store.markNotDuplicates(.person, "lana-payne", "lana-payne") }
    }

    @Test("thousands of records are grouped, not compared pair by pair, and their pairs found")
    func scale() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        try store.write { db in
            for i in 0..<5000 {
                let name = "Union number \(i)"
                try db.execute(sql: "INSERT INTO organizations (handle, name, name_key, kind, country) VALUES (?, ?, ?, 'union', 'US')",
                               arguments: ["u\(i)", name, Naming.key(name)])
            }
            try db.execute(sql: "INSERT INTO organizations (handle, name, name_key, kind, country) VALUES ('dup', 'UNION NUMBER 42', 'union number 42', 'union', 'US')")
        }
        #expect(try pairs(store, .organization) == [["u42", "dup"]])
    }
}

@Suite("Imports warn about lookalikes")
struct ImportLookalikeTests {
    private let spreadsheet = Data("""
        name,acronym,kind,country
        Authentic Labor Front,,confederation,MX
        Frente Autentico,FAT,confederation,MX
        Brand New Union,,union,US
        Central Unitaria de Trabajadores,CUT,confederation,CL

        """.utf8)

    @Test("a CSV import lists the rows that look like records already there, with the record to merge into")
    func spreadsheetImport() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let report = try store.importSpreadsheet(spreadsheet, name: "orgs.csv", as: .organizations, duplicateCheck: true)
        #expect(report.added == 4)
        #expect(Set(report.lookalikes.map { "\($0.first.handle) \($0.second.handle)" }) == ["authentic-labor-front fat", "fat-mx fat"])
    }

    @Test("--no-duplicate-check, and a load into an empty database, look for nothing")
    func skipped() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        #expect(try store.importSpreadsheet(spreadsheet, name: "orgs.csv", as: .organizations, duplicateCheck: false).lookalikes.isEmpty)
        let (empty, emptyFolder) = try makeStore()
        defer { emptyFolder.remove() }
        #expect(try empty.importSpreadsheet(spreadsheet, name: "orgs.csv", as: .organizations, duplicateCheck: true).lookalikes.isEmpty)
    }

    @Test("a JSON import of thousands of records finds the one lookalike among them, and none among records already there")
    func documentImport() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        _ = try store.addPerson(Person(handle: "lana-p", name: "LANA PAYNE"))  // already there: not the import's
        var organizations = (0..<3000).map { ["handle": "local-\($0)", "name": "Local number \($0)", "kind": "local", "country": "US"] }
        organizations.append(["handle": "kctu-2", "name": "전국민주노동조합총연맹", "kind": "confederation", "country": "KR"])
        let document: [String: Any] = ["format": "solidarity/1", "organizations": organizations]
        let report = try store.importDocument(try JSONSerialization.data(withJSONObject: document), name: "big.json", duplicateCheck: true)
        #expect(report.added == 3001)
        #expect(report.lookalikes.map { "\($0.first.handle) \($0.second.handle) \($0.reasons)" } == ["kctu-2 kctu [\"same name\", \"same country\"]"])
    }
}
