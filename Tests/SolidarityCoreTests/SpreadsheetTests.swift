import Foundation
import Testing
@testable import SolidarityCore

@Suite("CSV import")
struct SpreadsheetTests {
    @Test("organizations import with quoted cells, multi-valued aliases and references by name")
    func organizations() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let csv = """
            name,acronym,kind,country,parent,aliases,notes,members
            "Sindicato Nacional de Trabajadores Mineros, Metalúrgicos",SNTMMSSRM,union,MX,,"Los Mineros@es; Mineros",\"\"\"Los Mineros\"\" to friends\",
            Sección 65,,local,MX,SNTMMSSRM,,"Cananea, Sonora
            (two lines)","1,200"
            """
        let report = try store.importSpreadsheet(Data(csv.utf8), name: "mx.csv", as: .organizations)
        #expect(report.added == 2)
        let mineros = try store.organization("los mineros")
        #expect(mineros.handle == "sntmmssrm")
        #expect(mineros.aliases == [.init(name: "Los Mineros", lang: "es"), .init(name: "Mineros")])
        #expect(mineros.notes == "\"Los Mineros\" to friends")
        let section = try store.organization("Seccion 65")
        #expect(section.parent == "sntmmssrm" && section.members == 1200)
        #expect(section.notes == "Cananea, Sonora\n(two lines)")
        let again = try store.importSpreadsheet(Data(csv.utf8), name: "mx.csv", as: .organizations)
        #expect(again.added == 0 && again.unchanged == 2)
    }

    @Test("people import with one title per row, and sites with their unions")
    func peopleAndSites() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let people = "name,email,languages,organization,title,since\r\nMaría López,maria@example.org,es; en,FAT,International Secretary,2023\r\n"
        #expect(try store.importSpreadsheet(Data(people.utf8), name: "people.csv", as: .people).added == 1)
        #expect(try store.person("maria lopez").titles == [.init(organization: "fat", title: "International Secretary", since: try PartialDate("2023"))])
        let sites = "employer,name,country,city,unions,since\nWestinghouse Air Brake Technologies Corporation,Wabtec Contagem,br,Contagem,CUT,2015\n"
        #expect(try store.importSpreadsheet(Data(sites.utf8), name: "sites.csv", as: .sites).added == 1)
        let site = try store.site("Wabtec Contagem")
        let since2015 = try PartialDate("2015")
        #expect(site.employer == "wabtec" && site.country == "BR" && site.unions == [.init(organization: "cut", since: since2015)])
    }

    @Test("a missing required column is refused before any row is read")
    func missingColumn() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        #expect {
            try store.importSpreadsheet(Data("name,employer\nPlant,wabtec\n".utf8), name: "sites.csv", as: .sites)
        } throws: { ($0 as? SolidarityError)?.message.contains("line 1: the required column \"country\" is missing") == true }
    }

    @Test("a bad date in row 7 and an unknown organization in row 12 are both reported, and nothing is imported")
    func badRows() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        var lines = ["name,country,parent,members,members_as_of"]
        for n in 2...13 {
            let date = n == 7 ? "2024-13" : "2024"
            let parent = n == 12 ? "Sindicato Inexistente" : "ue"
            lines.append("Local \(900 + n),US,\(parent),100,\(date)")
        }
        let before = try store.organizations().count
        #expect {
            try store.importSpreadsheet(Data(lines.joined(separator: "\n").utf8), name: "locals.csv", as: .organizations)
        } throws: { error in
            let message = (error as? SolidarityError)?.message ?? ""
            return message.contains("2 problems")
                && message.contains("line 7, column members_as_of, value \"2024-13\"")
                && message.contains("line 12, column parent, value \"Sindicato Inexistente\"")
        }
        #expect(try store.organizations().count == before)
    }

    @Test("a file that is not UTF-8 is refused with the line of the first bad byte")
    func invalidUTF8() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        var data = Data("name,country\nSindicato A,MX\nSindicato ".utf8)
        data.append(contentsOf: [0xD1, 0x41])  // "Ñ" in Latin-1, not UTF-8
        data.append(contentsOf: Array(",ES\n".utf8))
        #expect {
            try store.importSpreadsheet(data, name: "latin1.csv", as: .organizations)
        } throws: { ($0 as? SolidarityError)?.message.contains("latin1.csv, line 3: the file is not valid UTF-8") == true }
    }

    @Test("an unknown column is refused and names the columns there are")
    func unknownColumn() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        #expect {
            try store.importSpreadsheet(Data("name,colour\nX,red\n".utf8), name: "x.csv", as: .organizations)
        } throws: { ($0 as? SolidarityError)?.message.contains("\"colour\" is not a column of organizations") == true }
    }
}

@Suite("CSV import: identity of rows")
struct SpreadsheetIdentityTests {
    @Test("a new person's second title on a second row extends the same person")
    func secondTitle() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let csv = "handle,name,organization,title\ndana-sample,Dana Sample,ue,Steward\ndana-sample,Dana Sample,ue-local-506,Chief Steward\n"
        let report = try store.importSpreadsheet(Data(csv.utf8), name: "two.csv", as: .people)
        #expect(report.added == 1)
        #expect(try store.person("dana-sample").titles.map(\.title).sorted() == ["Chief Steward", "Steward"])
    }

    @Test("sites without an id column are the employer's sites of that name: a second import adds nothing")
    func sitesByName() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let csv = "employer,name,country\nwabtec,Wabtec workers in Brazil,BR\nwabtec,Wabtec Contagem,BR\n"
        let first = try store.importSpreadsheet(Data(csv.utf8), name: "sites.csv", as: .sites)
        #expect(first.added == 1 && first.unchanged == 1)
        let second = try store.importSpreadsheet(Data(csv.utf8), name: "sites.csv", as: .sites)
        #expect(second.added == 0 && second.unchanged == 2)
        #expect(try store.sites(SiteFilter(employer: "wabtec")).count == 7)
    }

    @Test("a name shared by two organizations is reported, not imported as a third")
    func ambiguousName() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        _ = try store.addOrganization(Organization(name: "Twin Union", country: "US"))
        _ = try store.addOrganization(Organization(name: "Twin Union", country: "CA"))
        #expect {
            try store.importSpreadsheet(Data("name,city\nTwin Union,Toronto\n".utf8), name: "twins.csv", as: .organizations)
        } throws: { ($0 as? SolidarityError)?.message.contains("line 2, column name: \"Twin Union\" is the name of several organizations (twin-union, twin-union-ca)") == true }
        #expect(try store.organizations().count == 2)
    }
}
