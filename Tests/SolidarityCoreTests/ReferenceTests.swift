import Foundation
import GRDB
import Testing
@testable import SolidarityCore

@Suite("Handles and references")
struct ReferenceTests {
    @Test("handles come from the acronym, else the name", arguments: [
        ("UE Local 506", nil, "ue-local-506"), ("Conseil central", "CCMM-CSN", "ccmm-csn"),
        ("Frente Auténtico del Trabajo", nil, "frente-autentico-del-trabajo"), ("Unifor", nil, "unifor"),
    ] as [(String, String?, String)])
    func handleRule(name: String, acronym: String?, handle: String) {
        #expect(Organization(name: name, acronym: acronym).proposedHandle == handle)
    }

    @Test("a second organization with the same acronym takes its country in the handle")
    func clashTakesCountry() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        let brazil = try store.addOrganization(Organization(name: "Central Única dos Trabalhadores", acronym: "CUT", kind: .confederation, country: "BR"))
        let chile = try store.addOrganization(Organization(name: "Central Unitaria de Trabajadores", acronym: "CUT", kind: .confederation, country: "CL"))
        #expect(brazil.handle == "cut")
        #expect(chile.handle == "cut-cl")
    }

    @Test("a name is found without regard to case, accents or apostrophes", arguments: [
        "Confederation des syndicats nationaux", "CONFÉDÉRATION DES SYNDICATS NATIONAUX", "csn", "CSN", "Confederation of National Trade Unions",
    ])
    func foldedMatching(ref: String) throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        #expect(try store.organization(ref).handle == "csn")
    }

    @Test("an alias the texts use finds the organization")
    func aliases() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        #expect(try store.organization("Central Union of Workers").handle == "cut")
        #expect(try store.organization("chicago teachers union").handle == "ctu")
        #expect(try store.organization("Inland Boatman's Union").handle == "ibu")
    }

    @Test("an ambiguous reference lists every candidate with its handle")
    func ambiguous() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        _ = try store.addOrganization(Organization(name: "Confédération générale du travail", acronym: "CGT", kind: .confederation, country: "FR"))
        _ = try store.addOrganization(Organization(name: "Confederación General del Trabajo", acronym: "CGT", kind: .confederation, country: "ES"))
        #expect(try store.organization("cgt-es").country == "ES")
        #expect {
            try store.organization("CGT")
        } throws: { error in
            guard let error = error as? SolidarityError else { return false }
            return error.reason == .ambiguous && error.message.contains("cgt ") && error.message.contains("cgt-es")
        }
    }

    @Test("an unknown reference suggests the nearest names")
    func unknownSuggests() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        #expect {
            try store.organization("Zenrorem")
        } throws: { error in
            guard let error = error as? SolidarityError else { return false }
            return error.reason == .notFound && error.message.contains("Did you mean") && error.message.contains("zenroren")
        }
        #expect {
            try store.person("Carl Rossen")
        } throws: { error in
            (error as? SolidarityError)?.message.contains("carl-rosen") == true
        }
    }
}

@Suite("Organizations, people and relationships")
struct ModelTests {
    @Test("text with quotes, apostrophes and SQL is stored verbatim and read back identical")
    func verbatimText() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        let tricky = #"Workers' "Voice"; DROP TABLE organizations; -- ' OR 1=1 --"#
        let added = try store.addOrganization(Organization(name: tricky, notes: "Robert'); DELETE FROM people;--", aliases: [.init(name: "l'Union \"libre\"", lang: "fr")]))
        let read = try store.organization(added.handle)
        #expect(read.name == tricky)
        #expect(read.notes == "Robert'); DELETE FROM people;--")
        #expect(read.aliases == [.init(name: "l'Union \"libre\"", lang: "fr")])
        #expect(try store.organizations().count == 1)
        #expect(try store.organization(tricky).handle == added.handle)
    }

    @Test("a duplicate handle is refused and nothing is written")
    func duplicateHandle() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        _ = try store.addOrganization(Organization(handle: "ue", name: "United Electrical, Radio and Machine Workers of America", acronym: "UE"))
        #expect {
            try store.addOrganization(Organization(handle: "ue", name: "Another Union"))
        } throws: { ($0 as? SolidarityError)?.reason == .duplicate }
        #expect(try store.organizations().map(\.name) == ["United Electrical, Radio and Machine Workers of America"])
    }

    @Test("a parent cycle is refused")
    func parentCycle() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        #expect {
            try store.editOrganization("ue") { $0.parent = "ue-local-506" }
        } throws: { error in
            let error = error as? SolidarityError
            return error?.reason == .conflict && error?.message.contains("circle") == true
        }
        #expect {
            try store.editOrganization("ue-local-506") { $0.parent = "ue-local-506" }
        } throws: { ($0 as? SolidarityError)?.reason == .conflict }
        #expect(try store.organization("ue-local-506").parent == "ue")
    }

    @Test("a relationship of an organization with itself is refused")
    func selfRelationship() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        #expect {
            try store.relate(Relationship(from: "fat", to: "Frente Autentico del Trabajo", kind: .ally))
        } throws: { ($0 as? SolidarityError)?.reason == .conflict }
    }

    @Test("a symmetric relationship is recorded once whichever way it is given")
    func symmetricOnce() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        #expect {
            try store.relate(Relationship(from: "fat", to: "ue", kind: .ally))
        } throws: { ($0 as? SolidarityError)?.reason == .duplicate }
        let atm = try store.relate(Relationship(from: "atm", to: "fat", kind: .partner, since: try PartialDate("2024-05")))
        #expect(try store.relationships(of: "fat", kind: .partner).map(\.to) == [atm.from == "fat" ? atm.to : atm.from])
    }

    @Test("an until before a since is refused")
    func invertedDates() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        #expect {
            try store.relate(Relationship(from: "ue", to: "atm", kind: .ally, since: try PartialDate("2025"), until: try PartialDate("2024")))
        } throws: { ($0 as? SolidarityError)?.reason == .invalidInput }
        #expect(try store.relationships(of: "atm").isEmpty)
    }

    @Test("invalid country codes are refused, and UK suggests GB")
    func countries() throws {
        #expect {
            try Country("UK")
        } throws: { ($0 as? SolidarityError)?.message.contains("GB") == true }
        #expect(throws: SolidarityError.self) { try Country("ZZ") }
        #expect(try Country("mx").code == "MX")
        var quebec = Organization(name: "Syndicat", country: "US", region: "CA-QC")
        #expect(throws: SolidarityError.self) { try quebec.validate() }
    }

    @Test("a person's titles resolve their organizations to handles")
    func titles() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let person = try store.addPerson(Person(name: "María López", languages: ["es"], titles: [.init(organization: "Frente Autentico del Trabajo", title: "International Secretary", since: try PartialDate("2023"))]))
        #expect(person.handle == "maria-lopez")
        #expect(try store.person("maria lopez").titles == [.init(organization: "fat", title: "International Secretary", since: try PartialDate("2023"))])
        #expect(try store.people(at: "fat").map(\.handle) == ["maria-lopez"])
    }

    @Test("removing an organization takes its relationships and titles, never its parts")
    func removal() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        #expect {
            try store.removeOrganization("ilwu")
        } throws: { ($0 as? SolidarityError)?.message.contains("ibu") == true }
        let removed = try store.removeOrganization("unifor")
        #expect(removed.relationships == 2 && removed.titles == 1 && removed.roles > 0)
        #expect(try store.relationships(of: "ue").allSatisfy { $0.to != "unifor" && $0.from != "unifor" })
    }

    @Test("search ranks organizations and people, ignoring accents")
    func search() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        #expect(try store.search("frente autentico").first?.handle == "fat")
        #expect(try store.search("Confédération").contains { $0.handle == "csn" })
        #expect(try store.search("rosen").first { $0.kind == .person }?.handle == "carl-rosen")
        #expect(try store.search("tram").first?.handle == "atm")
        #expect(try store.search("\"OR* NEAR(").isEmpty)
    }
}

@Suite("Name keys")
struct NameKeyTests {
    @Test("the ASCII fast path folds exactly as Foundation's folding does")
    func asciiKeysMatchFolding() {
        let printable = (32...126).map { String(UnicodeScalar(UInt8($0))) }
        var samples = printable + ["UE Local 506", "Chicago Teachers' Union", "CCMM-CSN", "  IndustriALL  Global Union ", "A.F.L.-C.I.O.", ""]
        var state: UInt64 = 20261202  // a fixed linear congruential sequence: the same strings every run
        for _ in 0..<2000 {
            var text = ""
            state = state &* 6364136223846793005 &+ 1442695040888963407
            for _ in 0..<Int(state >> 59) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                text += printable[Int(state >> 33) % printable.count]
            }
            samples.append(text)
        }
        for text in samples {
            #expect(Naming.asciiKey(text) == Naming.foldedKey(text), "\(text)")
        }
        #expect(Naming.key("Frente Auténtico del Trabajo") == "frente autentico del trabajo")
    }
}
