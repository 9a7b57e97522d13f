import Foundation
import Testing

@Suite("Last contact through a unit, end to end")
struct ContactEndToEndTests {
    @Test("appendix, stale and allies show the CSN's last contact via the CCMM-CSN, in text, CSV and JSON")
    func viaInEveryReport() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        try cli.run("init", "--seed", "--home", "ue")

        let appendix = try cli.run("appendix", "ue-79-international-solidarity")
        #expect(appendix.status == 0, "\(appendix.stderr)")
        let csnRow = appendix.stdout.split(separator: "\n").first { $0.contains("| CSN |") }
        #expect(csnRow?.contains("| 2025-05 via CCMM-CSN: Carl Rosen at the triennial convention of the CCMM-CSN |") == true, "\(csnRow ?? "")")
        let html = try cli.run("appendix", "ue-79-international-solidarity", "--format", "html")
        #expect(html.stdout.contains("<td>2025-05 via CCMM-CSN: Carl Rosen at the triennial convention of the CCMM-CSN</td>"))

        let stale = try cli.run("stale", "--months", "0")
        #expect(stale.stdout.split(separator: "\n").contains { $0.hasPrefix("csn ") && $0.contains("2025-05 via CCMM-CSN") }, "\(stale.stdout)")
        let staleCSV = try cli.run("stale", "--months", "0", "--format", "csv").stdout
        #expect(staleCSV.contains("\r\ncsn,Confédération des syndicats nationaux,ally (close),2025-05,CCMM-CSN,"), "\(staleCSV)")
        let staleJSON = try #require(try JSONSerialization.jsonObject(with: Data(try cli.run("stale", "--months", "0", "--format", "json").stdout.utf8)) as? [[String: Any]])
        #expect(staleJSON.first { $0["organization"] as? String == "csn" }?["last_contact_via"] as? String == "CCMM-CSN")
        #expect(staleJSON.first { $0["organization"] as? String == "fat" }?["last_contact_via"] is NSNull)

        try cli.run("site", "add", "Wabtec Saint-Laurent", "--employer", "wabtec", "--country", "CA", "--union", "csn")
        let allies = try cli.run("allies", "--employer", "wabtec", "--country", "CA")
        #expect(allies.stdout.contains("2025-05 via CCMM-CSN: Carl Rosen at the triennial convention of the CCMM-CSN"), "\(allies.stdout)")
        let alliesCSV = try cli.run("allies", "--employer", "wabtec", "--country", "CA", "--format", "csv").stdout
        let lines = alliesCSV.components(separatedBy: "\r\n")
        let header = lines[0].components(separatedBy: ",")
        let row = try #require(lines.first { $0.contains("Wabtec Saint-Laurent") }).components(separatedBy: ",")
        let via = try #require(header.firstIndex(of: "last_contact_via"))
        #expect(row[via] == "CCMM-CSN" && row[via - 1] == "2025-05", "\(alliesCSV)")
        let alliesJSON = try cli.run("allies", "--employer", "wabtec", "--country", "CA", "--format", "json").stdout
        #expect(alliesJSON.contains("\"via\" : \"CCMM-CSN\""), "\(alliesJSON)")
    }
}
