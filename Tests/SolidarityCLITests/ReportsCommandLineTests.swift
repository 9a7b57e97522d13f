import Foundation
import Testing

@Suite("Timelines and reports at the command line")
struct ReportsCommandLineTests {
    /// A seeded database with UE as home.
    private func seeded() throws -> CommandLine {
        let cli = try CommandLine.inProcess()
        let created = try cli.run("init", "--seed", "--home", "ue")
        #expect(created.status == 0, "\(created.stderr)")
        return cli
    }

    private func json(_ text: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
    }

    @Test("timeline of a person and of an employer, in every format the organization timeline has")
    func timelineFormats() throws {
        let cli = try seeded()
        defer { cli.cleanUp() }
        let table = try cli.run("timeline", "carl-rosen")
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") } == [
            "DATE KIND TITLE PART REF SITES",
            "2025-05 delegation Carl Rosen at the triennial convention of the CCMM-CSN delegate hpqzdty3lq",
            "2025 call Carl Rosen and Lana Payne on Trump's tariffs delegate r2mkm4zi6g",
            "undated title General President, UE recorded ue",
        ])
        let csv = try cli.run("timeline", "Carl Rosen", "--format", "csv")
        #expect(csv.stdout.components(separatedBy: "\r\n").prefix(2) == [
            "date,kind,title,detail,ref,sensitive,sites", "2025-05,delegation,Carl Rosen at the triennial convention of the CCMM-CSN,delegate,hpqzdty3lq,false,"])
        let employer = try json(try cli.run("timeline", "wabtec", "--format", "json").stdout)
        #expect(employer.first?["title"] as? String == "UE delegation to the IndustriALL Congress in Australia")
        #expect(employer.first?["detail"] as? String == "concerned (planned)")
        #expect(employer.dropFirst().allSatisfy { $0["kind"] as? String == "representation" })
        let md = try cli.run("timeline", "wabtec", "--format", "md")
        #expect(md.stdout.hasPrefix("| date | kind | title | part | ref | sites |\n| --- | --- | --- | --- | --- | --- |\n| 2025-11 | delegation |"))
    }

    @Test("an ambiguous timeline reference lists the candidates by kind and says how to pick the kind; --kind picks it")
    func ambiguousTimeline() throws {
        let cli = try seeded()
        defer { cli.cleanUp() }
        #expect(try cli.run("org", "add", "GE Workers United", "--acronym", "GE", "--country", "US").status == 0)
        let before = try cli.dump()
        let result = try cli.run("timeline", "ge")
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == """
            Error: "ge" could be any of these; use a handle, and the kind when two kinds share it:
              organization  ge  GE (GE Workers United), US
              employer      ge  General Electric, US
            --kind organization, person or employer looks for one kind only.

            """)
        #expect(try cli.dump() == before)
        let picked = try cli.run("timeline", "ge", "--kind", "employer")
        #expect(picked.status == 0 && picked.stdout == "(none)\n", "\(picked.stderr)")
        let wrongKind = try cli.run("timeline", "ge", "--kind", "site")
        #expect(wrongKind.status == 64)
    }

    @Test("shared-employers names its columns after the two organizations; CSV and JSON keep stable keys beside the handles")
    func sharedEmployersHeadings() throws {
        let cli = try seeded()
        defer { cli.cleanUp() }
        let table = try cli.run("shared-employers", "ue", "ue-local-506")
        #expect(table.status == 0, "\(table.stderr)")
        let header = table.stdout.split(separator: "\n").first.map { $0.split(separator: " ").joined(separator: " ") }
        #expect(header == "EMPLOYER NAME SITES OF UE SITES OF UE LOCAL 506")
        #expect(!table.stdout.contains("FIRST'S"))
        let md = try cli.run("shared-employers", "ue", "ue-local-506", "--format", "md")
        #expect(md.stdout.hasPrefix("| employer | name | sites of UE | sites of UE Local 506 |\n"))
        let csv = try cli.run("shared-employers", "ue", "ue-local-506", "--format", "csv")
        #expect(csv.stdout.components(separatedBy: "\r\n").prefix(2) == [
            "employer,name,first,first_sites,second,second_sites",
            "wabtec,Wabtec,ue,Wabtec shop of UE Local 506; Wabtec shop of UE Local 610; Wabtec shop of UE Local 618,ue-local-506,Wabtec shop of UE Local 506"])
        let rows = try json(try cli.run("shared-employers", "ue", "ue-local-506", "--format", "json").stdout)
        #expect(rows.count == 1 && rows[0]["first"] as? String == "ue" && rows[0]["second"] as? String == "ue-local-506")

        // A name that is markup is text in the Markdown heading; two organizations of one short name go by their handles.
        #expect(try cli.run("org", "edit", "ue-local-506", "--acronym", "<b>506</b>").status == 0)
        let marked = try cli.run("shared-employers", "ue", "ue-local-506", "--format", "md")
        #expect(marked.stdout.hasPrefix("| employer | name | sites of UE | sites of \\<b\\>506\\</b\\> |\n"), "\(marked.stdout)")
        #expect(try cli.run("org", "edit", "ue-local-506", "--acronym", "UE").status == 0)
        let same = try cli.run("shared-employers", "ue", "ue-local-506", "--format", "md")
        #expect(same.stdout.hasPrefix("| employer | name | sites of ue | sites of ue-local-506 |\n"), "\(same.stdout)")
        #expect(rows[0]["second_sites"] as? [String] == ["Wabtec shop of UE Local 506"])
    }

    @Test("allies of an employer with no site says how to add one, and the example it gives works")
    func alliesNoSite() throws {
        let cli = try seeded()
        defer { cli.cleanUp() }
        let result = try cli.run("allies", "--employer", "ge")
        #expect(result.status == 0)
        #expect(result.stdout == "(none)\n")
        #expect(result.stderr.hasPrefix("No site of General Electric is recorded, so there is no union to list. Record its workplaces with\n"))
        #expect(result.stderr.contains("  solidarity site add NAME --employer ge --country CC [--city CITY] [--union REF [--since DATE]]..."))
        #expect(result.stderr.contains("  solidarity site add \"General Electric workers, United States\" --employer ge --country US"))
        let inGermany = try cli.run("allies", "--employer", "wabtec", "--country", "DE")
        #expect(inGermany.stderr.hasPrefix("No site of Wabtec in Germany is recorded") && inGermany.stderr.contains("--employer wabtec --country DE"))
        let example = try #require(result.stderr.split(separator: "\n").first { $0.hasPrefix("  solidarity site add \"") })
        // The example, pasted into a shell that finds this `solidarity` first on its PATH.
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", example.trimmingCharacters(in: .whitespaces) + " --db '\(cli.db)'"]
        shell.environment = ["PATH": CommandLine.binary.deletingLastPathComponent().path + ":/usr/bin:/bin"]
        shell.standardOutput = FileHandle.nullDevice
        shell.standardError = FileHandle.nullDevice
        try shell.run()
        shell.waitUntilExit()
        #expect(shell.terminationStatus == 0)
        let after = try cli.run("allies", "--employer", "ge")
        #expect(after.stdout.contains("General Electric workers, United States  gap: no union recorded"), "\(after.stdout)")
        #expect(after.stderr.isEmpty)
    }

    @Test("allies shows a prospect's affiliation to one of our allies in the table, CSV and JSON")
    func alliesProspectTie() throws {
        let cli = try seeded()
        defer { cli.cleanUp() }
        #expect(try cli.run("org", "add", "Sindicato Ejemplo", "--acronym", "SE", "--country", "MX").status == 0)
        #expect(try cli.run("relate", "se", "fat", "--kind", "affiliate_of").status == 0)
        #expect(try cli.run("site", "add", "Wabtec Monterrey", "--employer", "wabtec", "--country", "MX", "--union", "se").status == 0)
        let table = try cli.run("allies", "--employer", "wabtec", "--country", "MX")
        #expect(table.stdout.contains("Wabtec Monterrey  SE     prospect: affiliate of FAT, our ally"), "\(table.stdout)")
        let csv = try cli.run("allies", "--employer", "wabtec", "--country", "MX", "--format", "csv").stdout.components(separatedBy: "\r\n")
        #expect(csv[0].hasSuffix(",federation,ally_link_kind,ally_link_organization,ally_link_our_relationship,ally_link_sensitive"))
        #expect(csv[1].hasSuffix(",affiliate_of,fat,ally,false"))
        let report = try #require(try JSONSerialization.jsonObject(with: Data(try cli.run("allies", "--employer", "wabtec", "--country", "MX", "--format", "json").stdout.utf8)) as? [String: Any])
        let union = try #require(((((report["countries"] as? [[String: Any]])?.first?["sites"] as? [[String: Any]])?.first?["unions"] as? [[String: Any]])?.first))
        let link = try #require(union["ally_link"] as? [String: Any])
        #expect(link.mapValues { "\($0)" } == ["kind": "affiliate_of", "organization": "fat", "name": "FAT", "our_relationship": "ally", "sensitive": "0"])

        // An ally withheld as sensitive is named, marked, in the user's own table, and left out of the shared formats.
        #expect(try cli.run("org", "edit", "fat", "--sensitive").status == 0)
        let marked = try cli.run("allies", "--employer", "wabtec", "--country", "MX")
        #expect(marked.stdout.contains("prospect: affiliate of FAT [sensitive], our ally"), "\(marked.stdout)")
    }

    @Test("a mistyped --host suggests the closest organization first: fta gives fat, then atm")
    func hostSuggestions() throws {
        let cli = try seeded()
        defer { cli.cleanUp() }
        let before = try cli.dump()
        let result = try cli.run("delegation", "log", "--title", "Trip", "--host", "fta")
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.first == "Error: No organization matches \"fta\". Did you mean:")
        #expect(lines.dropFirst().first?.hasPrefix("  fat  FAT (Frente Auténtico del Trabajo), MX") == true)
        #expect(lines.dropFirst(2).first?.hasPrefix("  atm ") == true)
        #expect(try cli.dump() == before)
    }
}
