import Foundation
import Testing
@testable import SolidarityCore

/// Spreadsheets as Excel and other programs save them: other separators, other encodings,
/// rows of empty cells, extra columns, dates in other orders.
@Suite("CSV import: spreadsheets as they are saved")
struct SpreadsheetAsSavedTests {
    /// The message of the error `body` throws, or "" when it throws none.
    func message(_ body: () throws -> Any) -> String {
        do {
            _ = try body()
            return ""
        } catch {
            return (error as? SolidarityError)?.message ?? "\(error)"
        }
    }

    @Test("a file saved by Excel in French or Spanish (cells separated by ;) is read, and says so")
    func semicolons() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let csv = "name;country;aliases\r\nSindicato Uno;MX;\"Uno; SU\"\r\nSyndicat Deux;FR;\r\n"
        let report = try store.importSpreadsheet(Data(csv.utf8), name: "orgs.csv", as: .organizations)
        #expect(report.added == 2 && report.separator == .semicolon)
        let uno = try #require(try store.organizations().first { $0.name == "Sindicato Uno" })
        #expect(uno.country == "MX" && uno.aliases.map(\.name) == ["Uno", "SU"])
    }

    @Test("a file with tabs between its cells is read, and says so; a comma in a cell stays in it")
    func tabs() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let report = try store.importSpreadsheet(Data("name\tcountry\nSindicato Uno, Sección 5\tMX\n".utf8), name: "orgs.tsv", as: .organizations)
        #expect(report.added == 1 && report.separator == .tab)
        #expect(try store.organizations().contains { $0.name == "Sindicato Uno, Sección 5" && $0.country == "MX" })
    }

    @Test("a comma file is read as before, its separator reported as commas")
    func commas() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let report = try store.importSpreadsheet(Data("name,country\nSindicato Uno,MX\n".utf8), name: "orgs.csv", as: .organizations)
        #expect(report.added == 1 && report.separator == .comma)
    }

    @Test("a row whose cells are all empty (;;;; from Excel) is skipped like an empty line")
    func emptyRows() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let csv = "name;country;city\nSindicato Uno;MX;Puebla\n;;\n  ; ;\nSyndicat Deux;FR;\n;;\n"
        let report = try store.importSpreadsheet(Data(csv.utf8), name: "orgs.csv", as: .organizations)
        #expect(report.added == 2)
        let commas = "name,country\n,\nSindicato Tres,MX\n"
        #expect(try store.importSpreadsheet(Data(commas.utf8), name: "more.csv", as: .organizations).added == 1)
    }

    @Test("a Windows-1252 file is refused: save it as CSV UTF-8, with the line of the first bad byte; nothing is stored")
    func windows1252() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let before = try store.organizations().count
        // Excel for Mac's "CSV" ends lines with CR alone; "é" is 0xE9 in Windows-1252.
        var data = Data("name;country\rSindicato Uno;MX\rSyndicat G".utf8)
        data.append(0xE9)
        data.append(contentsOf: Array("n\u{E9}ral;FR\r".utf8))
        let refused = message { try store.importSpreadsheet(data, name: "orgs.csv", as: .organizations) }
        #expect(refused.contains("orgs.csv, line 3: the file is not valid UTF-8"), "\(refused)")
        #expect(refused.contains("Save it as CSV UTF-8"), "\(refused)")
        #expect(try store.organizations().count == before)
    }

    @Test("text that was read in the wrong encoding and saved again (SÃ£o Paulo) is refused with its line; nothing is stored")
    func mojibake() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let before = try store.organizations().count
        let csv = "name,country,city\nSindicato Uno,MX,Puebla\nSindicato dos Metalúrgicos,BR,SÃ£o Paulo\n"
        let refused = message { try store.importSpreadsheet(Data(csv.utf8), name: "orgs.csv", as: .organizations) }
        #expect(refused.contains("orgs.csv, line 3: \"Ã£\" is \"ã\" garbled"), "\(refused)")
        #expect(refused.contains("CSV UTF-8"))
        #expect(try store.organizations().count == before)
        // "’" read as Windows-1252 ("â€™") is caught too; real accents and a UTF-8 byte-order mark are fine.
        #expect(message { try store.importSpreadsheet(Data("name\nWorkers\u{E2}\u{20AC}\u{2122} Union\n".utf8), name: "q.csv", as: .organizations) }
            .contains("line 2: \"â€™\" is \"’\" garbled"))
        let fine = Data([0xEF, 0xBB, 0xBF]) + Data("name,city\nConfédération Générale,Besançon\nSindicato Ñandú,São Paulo\nZENROREN 全労連,東京\n".utf8)
        #expect(try store.importSpreadsheet(fine, name: "fine.csv", as: .organizations).added == 3)
        // French puts a no-break space before "»": "é »" would read as a garbled "頻" alone, but the
        // cell's "«" was never garbled, so the cell is text as written; its garbled form is refused.
        let french = "name,notes\nSyndicat Exemple,Campagne «\u{A0}Solidarité\u{A0}» en 2024 ; «\u{A0}Unité\u{A0}» et voilà\n"
        #expect(try store.importSpreadsheet(Data(french.utf8), name: "fr.csv", as: .organizations).added == 1)
        let garbled = "name,notes\nSyndicat Exemple Deux,Campagne Â« SolidaritÃ©Â\u{A0}Â» en 2024\n"
        #expect(message { try store.importSpreadsheet(Data(garbled.utf8), name: "fr2.csv", as: .organizations) }.contains("fr2.csv, line 2:"))
    }

    @Test("an unknown column is refused with the flag that leaves it out; with it, the column is left out and the rest imported")
    func ignoredColumns() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let csv = Data("name,colour,country\nSindicato Uno,red,MX\n".utf8)
        // The command line words the remedy as its flag, "add --ignore-column colour" (FlagHintsTests).
        func remedies(_ body: () throws -> Any) -> [SolidarityError.Remedy] {
            do { _ = try body() } catch { return (error as? SolidarityError)?.problemList?.problems.compactMap(\.remedy) ?? [] }
            return []
        }
        let refused = message { try store.importSpreadsheet(csv, name: "x.csv", as: .organizations) }
        #expect(refused.contains("\"colour\" is not a column of organizations"), "\(refused)")
        #expect(remedies { try store.importSpreadsheet(csv, name: "x.csv", as: .organizations) } == [.ignoreColumn("colour")])
        #expect(try store.importSpreadsheet(csv, name: "x.csv", as: .organizations, ignoring: ["colour"]).added == 1)
        // A column the kind has can be left out too; the record is imported without it.
        let people = Data("name,country,email\nAna Ruiz,MX,ana@example.org\n".utf8)
        #expect(remedies { try store.importSpreadsheet(people, name: "p.csv", as: .people) } == [.ignoreColumn("country")])
        #expect(try store.importSpreadsheet(people, name: "p.csv", as: .people, ignoring: ["Country"]).added == 1)
        #expect(try store.people().first { $0.name == "Ana Ruiz" }?.email == "ana@example.org")
        let plain = Data("name,country\nSindicato Dos,MX\n".utf8)
        #expect(try store.importSpreadsheet(plain, name: "c.csv", as: .organizations, ignoring: ["country"]).added == 1)
        #expect(try store.organizations().first { $0.name == "Sindicato Dos" }?.country == nil)
    }

    @Test("a column to ignore that the file lacks, or a required one, is refused and nothing is written")
    func ignoringWhatIsNotThere() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let csv = Data("name,country\nSindicato Uno,MX\n".utf8)
        #expect(message { try store.importSpreadsheet(csv, name: "x.csv", as: .organizations, ignoring: ["colour"]) }
            .contains("there is no column \"colour\" to ignore; the file's columns are: name, country"))
        #expect(message { try store.importSpreadsheet(csv, name: "x.csv", as: .organizations, ignoring: ["name"]) }
            .contains("the required column \"name\" is to be ignored"))
        #expect(try !store.organizations().contains { $0.name == "Sindicato Uno" })
    }

    @Test("dates written 14/05/2024 or 05/14/2024 are refused with the ISO date to write; an ambiguous one gives both readings")
    func dateOrders() throws {
        func refusal(_ text: String) -> String { message { try PartialDate(text) } }
        #expect(refusal("14/05/2024").contains("\"14/05/2024\" is day/month/year: write 2024-05-14"))
        #expect(refusal("14.05.2024").contains("write 2024-05-14"))
        #expect(refusal("14-05-2024").contains("write 2024-05-14"))
        #expect(refusal("05/14/2024").contains("\"05/14/2024\" is month/day/year: write 2024-05-14"))
        let ambiguous = refusal("05/04/2024")
        #expect(ambiguous.contains("never guessed") && ambiguous.contains("write 2024-04-05 if it is day/month, or 2024-05-04 if it is month/day"), "\(ambiguous)")
        #expect(refusal("5/2024").contains("write 2024-05"))
        #expect(refusal("2024/05/14").contains("write 2024-05-14"))
        #expect(refusal("31/02/2024").contains("Write a year (2025)"))
        #expect(try PartialDate("2024-05-14").description == "2024-05-14")
    }

    @Test("a spreadsheet's date in another order is refused at its line and column; nothing is written")
    func dateInSpreadsheet() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let before = try store.organizations().count
        let csv = "name;country;members;members_as_of\nSindicato Uno;MX;100;14/05/2024\n"
        let refused = message { try store.importSpreadsheet(Data(csv.utf8), name: "orgs.csv", as: .organizations) }
        #expect(refused.contains("line 2, column members_as_of, value \"14/05/2024\"") && refused.contains("write 2024-05-14"), "\(refused)")
        #expect(try store.organizations().count == before)
    }
}
