import Foundation
import SolidarityTestSupport
import Testing

@Suite("solidarity appendix on the seeded database: true to its own resolution")
struct AppendixCommandTests {
    /// The seeded database with UE as home.
    static func seeded() throws -> CommandLine {
        let cli = try CommandLine.inProcess()
        try cli.run("init", "--seed", "--home", "ue")
        return cli
    }

    /// The lines of a Markdown appendix between two headings.
    static func section(_ text: String, from start: String, to end: String) -> String {
        guard let from = text.range(of: start), let to = text.range(of: end, range: from.upperBound..<text.endIndex) else { return "" }
        return String(text[from.upperBound..<to.lowerBound])
    }

    @Test("`appendix ue-79` alone: the trips to Mexico, Montreal and Japan in the period, Australia under Planned, the undated trip to Cuba named")
    func seventyNinth() throws {
        let cli = try Self.seeded()
        defer { cli.cleanUp() }
        let result = try cli.run("appendix", "ue-79")
        #expect(result.status == 0, "\(result.stderr)")
        let text = result.stdout
        let delegations = Self.section(text, from: "### Delegations", to: "### Exchanges")
        for trip in ["UE delegation to the FAT in Mexico", "Carl Rosen at the triennial convention of the CCMM-CSN", "John Miles to Zenroren in Japan"] {
            #expect(delegations.contains(trip), "\(trip) in the period:\n\(delegations)")
        }
        let planned = Self.section(text, from: "### Planned", to: "## C.")
        #expect(planned.contains("UE delegation to the IndustriALL Congress in Australia"), "\(planned)")
        #expect(planned.contains("Not dated, so not placed in the period: UE members' trip to Cuba"), "\(planned)")
        #expect(text.contains("Activities from 2022 to the end of August 2025, from after the previous convention (UE Convention, 2021) to the end of this one."))
        #expect(!text.contains("--since"))
        #expect(result.stderr.contains("Period: from after ue-2021 (2021) to the end of ue-79 (2025-08); --since and --until change it."), "\(result.stderr)")
        #expect(result.stderr.contains("1 undated activity is named apart, not placed in the period: give it a --start to place it."), "\(result.stderr)")
        // A call's people are participants; UE is not "with UE" in its own appendix.
        #expect(text.contains("with Unifor; participants: Carl Rosen, Lana Payne."), "\(text)")
        #expect(text.contains("Conference; Chicago, United States; with Labor Notes, Zenroren."), "\(text)")
    }

    @Test("the period is stated in the docx and odt too")
    func periodInDocuments() throws {
        let cli = try Self.seeded()
        defer { cli.cleanUp() }
        for (format, inner) in [("docx", "word/document.xml"), ("odt", "content.xml")] {
            let file = cli.folder.appendingPathComponent("appendix.\(format)").path
            let result = try cli.run("appendix", "ue-79", "--format", format, "--output", file)
            #expect(result.status == 0, "\(result.stderr)")
            let text = try PythonChecker.run("""
                import re, sys, zipfile
                print(re.sub(r"<[^>]+>", "", zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode("utf-8")))
                """, arguments: [file, inner])
            #expect(text.contains("Activities from 2022 to the end of August 2025, from after the previous convention (UE Convention, 2021) to the end of this one."),
                    "\(format)")
        }
    }

    @Test("the NASP resolution's appendix (convention of 2021) includes the 2021 Zoom exchanges its text describes")
    func nasp() throws {
        let cli = try Self.seeded()
        defer { cli.cleanUp() }
        let refused = try cli.run("appendix", "ue-2021")
        #expect(refused.status == 1 && refused.stderr.contains("Give --since") && refused.stderr.contains("record the earlier convention"), "\(refused.stderr)")
        let result = try cli.run("appendix", "ue-2021", "--since", "2019")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("NASP Zoom exchanges of 2021"), "\(result.stdout)")
        #expect(result.stdout.contains("Activities from 2019 to the end of 2021, the end of this convention."))
        #expect(result.stderr.contains("Period: from 2019 to the end of ue-2021 (2021)"), "\(result.stderr)")
    }

    @Test("a convention with several resolutions is refused, the message listing them; calendar words its undated note as before")
    func severalResolutions() throws {
        let cli = try Self.seeded()
        defer { cli.cleanUp() }
        let text = cli.folder.appendingPathComponent("trade.txt").path
        try "Trade matters.\nBE IT RESOLVED:\n- We study the USMCA review.\n".write(toFile: text, atomically: true, encoding: .utf8)
        #expect(try cli.run("resolution", "add", "--convention", "ue-79", "--title", "Trade", "--file", text).status == 0)
        let before = try cli.dump()
        let result = try cli.run("appendix", "ue-79")
        #expect(result.status == 1)
        #expect(result.stderr.contains("ue-79-international-solidarity (“International Solidarity”)") && result.stderr.contains("ue-79-trade (“Trade”)"),
                "\(result.stderr)")
        let after = try cli.dump()
        #expect(result.stdout.isEmpty && after == before)
        let calendar = try cli.run("calendar")
        #expect(calendar.stderr.contains("1 undated activity is not in the calendar: give it a --start to place it."), "\(calendar.stderr)")
    }
}
