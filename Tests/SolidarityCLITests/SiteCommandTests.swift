import Foundation
import Testing

// `site edit`, `site remove`, `site replace` and `--site` on the log commands, as a staffer types them.

@Suite("Site commands and activities that name sites, end to end")
struct SiteCommandTests {
    @discardableResult
    static func run(_ cli: CommandLine, _ arguments: String...) throws -> CommandLine.Result {
        let result = try cli.run(arguments)
        try #require(result.status == 0, "\(arguments.joined(separator: " ")): \(result.stderr)")
        return result
    }

    @Test("site edit turns the Brazil gap into a real site, and its help says how")
    func editGap() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        try Self.run(cli, "init", "--seed", "--home", "ue")
        let help = try cli.run("site", "edit", "--help").stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("country gap") && help.contains("site replace GAP --by SITE"))
        let edited = try Self.run(cli, "site", "edit", "Wabtec workers in Brazil", "--name", "Example Wabtec plant", "--city", "Contagem")
        #expect(edited.stdout == "Updated site ef476nplyb: Example Wabtec plant, Contagem, Brazil (wabtec).\n")
        let shown = try Self.run(cli, "site", "show", "ef476nplyb", "--format", "json")
        #expect(shown.stdout.contains("\"city\" : \"Contagem\"") || shown.stdout.contains("\"city\": \"Contagem\""))

        let quebec = try Self.run(cli, "site", "add", "Example Quebec shop", "--employer", "wabtec", "--country", "CA", "--region", "CA-QC")
        let id = String(quebec.stdout.split(separator: " ").last!.dropLast(2))
        try Self.run(cli, "site", "edit", id, "--country", "US")
        #expect(try Self.run(cli, "site", "show", id, "--format", "json").stdout.contains("\"region\" : null"))
        let wrong = try cli.run("site", "edit", id, "--region", "CA-QC")
        #expect(wrong.status == 64 && wrong.stderr.contains("not in country US"))
    }

    @Test("site remove lists what names the site and keeps it (exit 1); --force removes it with the links")
    func remove() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        try Self.run(cli, "init", "--seed", "--home", "ue")
        let logged = try Self.run(cli, "delegation", "log", "--title", "Visit to the Erie shop", "--to", "US", "--start", "2024-06",
                                  "--site", "Wabtec shop of UE Local 506")
        let trip = String(logged.stdout.split(separator: " ")[2].dropLast())
        let refused = try cli.run("site", "remove", "tprryivbde")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("union ue-local-506") && refused.stderr.contains("delegation \(trip) \"Visit to the Erie shop\""))
        #expect(refused.stderr.contains("--force"))
        try Self.run(cli, "site", "show", "tprryivbde")
        let unasked = try cli.run("site", "remove", "tprryivbde", "--force")
        #expect(unasked.status == 64 && unasked.stderr.contains("add --yes"), "asks first, as every removal: \(unasked.stderr)")
        try Self.run(cli, "site", "show", "tprryivbde")
        let forced = try Self.run(cli, "site", "remove", "tprryivbde", "--force", "--yes")
        #expect(forced.stdout.contains("Removed with it 2 links"))
        #expect(try cli.run("site", "show", "tprryivbde").status == 1)
        #expect(!(try Self.run(cli, "delegation", "show", trip, "--format", "json").stdout.contains("tprryivbde")))
    }

    @Test("site replace moves the gap's activities to the real site and removes the gap")
    func replace() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        try Self.run(cli, "init", "--seed", "--home", "ue")
        let logged = try Self.run(cli, "delegation", "log", "--title", "Visit to Brazil", "--to", "BR", "--start", "2024-03",
                                  "--site", "Wabtec workers in Brazil")
        let trip = String(logged.stdout.split(separator: " ")[2].dropLast())
        try Self.run(cli, "site", "add", "Example Wabtec plant", "--employer", "wabtec", "--country", "BR", "--city", "Contagem")
        let replaced = try Self.run(cli, "site", "replace", "Wabtec workers in Brazil", "--by", "Example Wabtec plant")
        #expect(replaced.stdout.contains("Replaced site ef476nplyb (Wabtec workers in Brazil) by "))
        #expect(replaced.stdout.contains("delegation \(trip) \"Visit to Brazil\""))
        #expect(try cli.run("site", "show", "ef476nplyb").status == 1)
        let shown = try Self.run(cli, "delegation", "show", trip)
        #expect(shown.stdout.contains("Example Wabtec plant, Contagem, Brazil"))
        let help = try cli.run("site", "replace", "--help").stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("--by") && help.contains("site edit GAP"))
    }

    @Test("delegation log and activity edit take --site; show names the site; --clear sites empties them")
    func activitySites() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        try Self.run(cli, "init", "--seed", "--home", "ue")
        let logged = try Self.run(cli, "activity", "log", "--kind", "meeting", "--title", "Shop floor meeting", "--start", "2024-06",
                                  "--site", "tprryivbde", "--site", "Wabtec shop of UE Local 610")
        let id = String(logged.stdout.split(separator: " ")[2].dropLast())
        let shown = try Self.run(cli, "activity", "show", id)
        #expect(shown.stdout.contains("Wabtec shop of UE Local 506, United States (tprryivbde)"))
        #expect(shown.stdout.contains("Wabtec shop of UE Local 610, United States (ff5uk5sype)"))
        try Self.run(cli, "activity", "edit", id, "--clear", "sites", "--site", "dnoj4yoen7")
        let json = try Self.run(cli, "activity", "show", id, "--format", "json").stdout
        #expect(json.contains("dnoj4yoen7") && !json.contains("tprryivbde"))
        let csv = try Self.run(cli, "activity", "list", "--format", "csv").stdout
        #expect(csv.split(separator: "\n").first?.contains("employers,sites,campaigns") == true)
        let unknown = try cli.run("delegation", "log", "--title", "Nowhere", "--site", "No such plant")
        #expect(unknown.status == 1 && unknown.stderr.contains("site"))
        let timeline = try Self.run(cli, "timeline", "ue", "--format", "csv").stdout
        #expect(timeline.split(whereSeparator: \.isNewline).first == "date,kind,title,detail,ref,sensitive,sites")
    }
}
