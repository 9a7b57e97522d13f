import Foundation
import Testing

/// `import --csv` with spreadsheets as users' programs save them.
@Suite("Spreadsheets as they come, end to end")
struct SpreadsheetImportCLITests {
    /// A seeded database and a CSV file holding `text`, by path.
    func seeded(_ text: String, name: String = "sheet.csv") throws -> (cli: CommandLine, file: String) {
        let cli = try CommandLine.inProcess()
        try cli.run("init", "--seed", "--home", "ue")
        let file = cli.folder.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return (cli, file)
    }

    @Test("a ;-separated file is imported and stderr says which separator was read")
    func semicolons() throws {
        let (cli, file) = try seeded("name;country\nSindicato Uno;MX\n;\n")
        defer { cli.cleanUp() }
        let imported = try cli.run("import", "--csv", file, "--as", "organizations")
        #expect(imported.status == 0 && imported.stdout.contains("1 added"), "\(imported.stderr)")
        #expect(imported.stderr.contains("cells separated by semicolons (;)"), "\(imported.stderr)")
    }

    @Test("a refused ;-separated file says which separator was read too")
    func semicolonsRefused() throws {
        let (cli, file) = try seeded("name;colour\nSindicato Uno;red\n")
        defer { cli.cleanUp() }
        let refused = try cli.run("import", "--csv", file, "--as", "organizations")
        #expect(refused.status == 64, "\(refused.stderr)")
        #expect(refused.stderr.contains("(read with its cells separated by semicolons (;)) has 1 problem"), "\(refused.stderr)")
    }

    @Test("an unknown column is refused naming --ignore-column; with the flag it is left out, and stderr says so")
    func ignoreColumn() throws {
        let (cli, file) = try seeded("name,colour,country\nSindicato Uno,red,MX\n")
        defer { cli.cleanUp() }
        let refused = try cli.run("import", "--csv", file, "--as", "organizations")
        #expect(refused.status == 64 && refused.stderr.contains("add --ignore-column colour"), "\(refused.stderr)")
        let imported = try cli.run("import", "--csv", file, "--as", "organizations", "--ignore-column", "colour", "--ignore-column", "country")
        #expect(imported.status == 0 && imported.stdout.contains("1 added"), "\(imported.stderr)")
        #expect(imported.stderr.contains("Left out the columns colour, country"), "\(imported.stderr)")
        let shown = try cli.run("org", "show", "Sindicato Uno", "--format", "json").stdout
        let organization = try #require(try JSONSerialization.jsonObject(with: Data(shown.utf8)) as? [String: Any])
        #expect(organization["name"] as? String == "Sindicato Uno" && organization["country"] is NSNull)
        #expect(try cli.run("import", "backup.json", "--ignore-column", "x").status == 64)
    }

    @Test("a date written 14/05/2024 is refused with the date to write, exit 64, nothing written")
    func dates() throws {
        let (cli, file) = try seeded("name,members,members_as_of\nSindicato Uno,10,14/05/2024\n")
        defer { cli.cleanUp() }
        let refused = try cli.run("import", "--csv", file, "--as", "organizations")
        #expect(refused.status == 64 && refused.stderr.contains("write 2024-05-14"), "\(refused.stderr)")
        #expect(try cli.run("org", "show", "Sindicato Uno").status == 1)
        let flag = try cli.run("delegation", "log", "--title", "Trip", "--start", "05/14/2024")
        #expect(flag.status == 64 && flag.stderr.contains("is month/day/year: write 2024-05-14"), "\(flag.stderr)")
    }
}
