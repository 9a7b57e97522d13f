import Foundation
import SolidarityTestSupport
import SolidarityCore
import Testing

// What the rule of `Disclosure` gives a user: a sensitive union's locals (and their parts, people
// and roles) never leave the machine without --include-sensitive, whatever the output; the views
// mark every row that is, or names, a withheld record; a file made with --include-sensitive says so
// inside itself.

/// A database with a sensitive union ("Sindicato Secreto", SSX), its local "SSX Seccional Uno" and
/// the local's own part, a sensitive person at the local, a public delegation that met the local
/// and its part (with that person as a delegate) and concerns the Wabtec chain, where the local
/// represents a site; a public delegation hosted by SSX itself; a sensitive call with the local and
/// a follow-up; an ally relationship of the home organization with the local.
struct SensitiveFixture {
    let cli: CommandLine
    /// The local's handle, and its part's.
    let local: String
    let division: String
    /// The public delegation that met the local; the one SSX hosted; the sensitive call.
    let metLocal: String
    let hostedBySSX: String
    let call: String

    /// What names the withheld records: none of it may leave the machine without --include-sensitive.
    var secrets: [String] {
        ["Sindicato Secreto", "SSX Seccional Uno", "Comite de Base SSX", "Lucia Reservada", "lucia-reservada", local, division, call,
         "Llamada con la seccional"]
    }

    init() throws {
        cli = try CommandLine.inProcess()
        try Self.run(cli, "init", "--seed", "--home", "ue")
        try Self.run(cli, "org", "add", "Sindicato Secreto", "--acronym", "SSX", "--country", "CO", "--sensitive")
        try Self.run(cli, "org", "add", "SSX Seccional Uno", "--kind", "local", "--parent", "ssx", "--country", "CO", "--alias", "Seccional Gemela")
        try Self.run(cli, "org", "add", "Comite de Base SSX", "--kind", "local", "--parent", "SSX Seccional Uno", "--country", "CO")
        try Self.run(cli, "org", "add", "Sindicato Abierto", "--country", "PE", "--alias", "Seccional Gemela")
        local = try Self.handle(cli, "SSX Seccional Uno")
        division = try Self.handle(cli, "Comite de Base SSX")
        try Self.run(cli, "person", "add", "Lucia Reservada", "--org", local, "--title", "Secretaria", "--sensitive")
        try Self.run(cli, "person", "add", "Tomas Publico", "--org", local, "--title", "Enlace")
        try Self.run(cli, "site", "add", "Planta Yumbo", "--employer", "wabtec", "--country", "CO", "--city", "Yumbo", "--union", local)
        try Self.run(cli, "relate", "ue", local, "--kind", "ally", "--status", "active", "--since", "2023")
        metLocal = Self.id(try Self.run(cli, "delegation", "log", "--title", "Visita publica a Colombia", "--to", "CO", "--city", "Bogota",
                                        "--start", "2024-07", "--met", local, "--met", division, "--delegate", "lucia-reservada",
                                        "--delegate", "janet-gray", "--employer", "wabtec",
                                        "--follow-up", "Escribir el informe", "--due", "2024-08"))
        hostedBySSX = Self.id(try Self.run(cli, "delegation", "log", "--title", "Delegacion recibida en Cali", "--to", "CO", "--city", "Cali",
                                           "--start", "2024-08", "--host", "ssx"))
        call = Self.id(try Self.run(cli, "activity", "log", "--kind", "call", "--title", "Llamada con la seccional", "--start", "2024-09-03",
                                    "--participant", local, "--sensitive", "--follow-up", "Enviar el acta", "--due", "2024-10"))
    }

    @discardableResult
    static func run(_ cli: CommandLine, _ arguments: String...) throws -> CommandLine.Result {
        let result = try cli.run(arguments)
        try #require(result.status == 0, "\(arguments.joined(separator: " ")): \(result.stderr)")
        return result
    }

    /// The id in "Logged delegation ID: title".
    static func id(_ result: CommandLine.Result) -> String {
        result.stdout.split(separator: " ").dropFirst(2).first.map { String($0.dropLast()) } ?? "?"
    }

    /// The handle of the organization with this name, from `org list --format json`.
    static func handle(_ cli: CommandLine, _ name: String) throws -> String {
        let list = try JSONSerialization.jsonObject(with: Data(try cli.run("org", "list", "--format", "json").stdout.utf8)) as? [[String: Any]]
        return try #require(list?.first { $0["name"] as? String == name }?["handle"] as? String)
    }

    /// The secrets that `text` names (a calendar's folded lines unfolded first).
    func leaks(_ text: String) -> [String] {
        let text = text.replacingOccurrences(of: "\r\n ", with: "")
        return secrets.filter { text.range(of: $0, options: .caseInsensitive) != nil }
    }

    /// The lines of `text` that contain `needle`.
    static func lines(_ text: String, containing needle: String) -> [Substring] {
        text.split(whereSeparator: \.isNewline).filter { $0.contains(needle) }
    }
}

@Suite("A sensitive union's locals stay with it; views mark what is sensitive; shared files say what they hold")
struct SensitiveRecordsTests {
    static let appendix = ["appendix", "ue-79-international-solidarity", "--since", "2023-09"]

    @Test("calendar, graph and appendix leave out a sensitive union's local, its part, people and roles unless --include-sensitive",
          .timeLimit(.minutes(3)))
    func localsLeftOut() throws {
        let fixture = try SensitiveFixture()
        defer { fixture.cli.cleanUp() }
        let outbound: [[String]] = [
            ["export"], ["calendar"], ["graph"], ["graph", "--format", "mermaid"],
            ["graph", "--employer", "wabtec"], ["graph", "--employer", "wabtec", "--format", "mermaid"],
            ["graph", "--org", "ue"], ["graph", "--org", "ue", "--format", "mermaid"],
            Self.appendix, Self.appendix + ["--format", "html"],
        ]
        for arguments in outbound {
            let plain = try fixture.cli.run(arguments)
            #expect(plain.status == 0, "\(arguments): \(plain.stderr)")
            #expect(plain.stdout.count > 200, "\(arguments) printed its document")
            #expect(fixture.leaks(plain.stdout).isEmpty, "\(arguments.joined(separator: " ")) names \(fixture.leaks(plain.stdout))")
        }
        // The public delegation that met them is still there, without them; the site is a gap in part C.
        #expect(try fixture.cli.run("calendar").stdout.contains("Visita publica a Colombia"))
        let appendix = try fixture.cli.run(Self.appendix).stdout
        #expect(appendix.contains("Visita publica a Colombia") && appendix.contains("| Colombia | Planta Yumbo | gap: no union recorded |"),
                "\(appendix)")

        // With the flag, the local and its part are named where they belong.
        for arguments in [["calendar"], ["graph"], ["graph", "--format", "mermaid"], ["graph", "--employer", "wabtec"],
                          Self.appendix, Self.appendix + ["--format", "html"]] {
            let flagged = try fixture.cli.run(arguments + ["--include-sensitive"])
            #expect(flagged.status == 0, "\(arguments) --include-sensitive: \(flagged.stderr)")
            #expect(flagged.stdout.contains("SSX Seccional Uno"), "\(arguments) --include-sensitive names the local")
        }
        // (Unfolded: a long line of a calendar goes on in the next one, which begins with a space.)
        let calendar = try fixture.cli.run("calendar", "--include-sensitive").stdout.replacingOccurrences(of: "\r\n ", with: "")
        #expect(calendar.contains("Comite de Base SSX") && calendar.contains("Lucia Reservada"))
        let dot = try fixture.cli.run("graph", "--include-sensitive").stdout
        #expect(dot.contains("\"org:\(fixture.local)\" -> \"org:ssx\" [label=\"part of\"]"), "\(dot)")
        #expect(!SensitiveFixture.lines(dot, containing: "\"org:\(fixture.local)\" -> \"site:").filter { $0.contains("represents") }.isEmpty)
    }

    @Test("graph --org of a sensitive union, or of its local, is refused with the reason (exit 1), and drawn with --include-sensitive")
    func centreRefused() throws {
        let fixture = try SensitiveFixture()
        defer { fixture.cli.cleanUp() }
        for (centre, reason) in [("ssx", "is marked sensitive"), (fixture.local, "is part of ssx, which is marked sensitive"),
                                 (fixture.division, "which is marked sensitive")] {
            for format in ["dot", "mermaid"] {
                let refused = try fixture.cli.run("graph", "--org", centre, "--format", format)
                #expect(refused.status == 1, "graph --org \(centre): \(refused.stderr)")
                #expect(refused.stdout.isEmpty)
                #expect(refused.stderr.contains(reason) && refused.stderr.contains("--include-sensitive"), "\(refused.stderr)")
                let drawn = try fixture.cli.run("graph", "--org", centre, "--format", format, "--include-sensitive")
                #expect(drawn.status == 0 && drawn.stdout.contains("SSX Seccional Uno"), "\(drawn.stderr)")
            }
        }
    }

    @Test("relationship list, timeline, stale, site list, delegation list and show, activity show, followup list and candidates mark them")
    func viewsMark() throws {
        let fixture = try SensitiveFixture()
        defer { fixture.cli.cleanUp() }
        let cli = fixture.cli
        let local = fixture.local
        func marked(_ arguments: [String], _ needle: String) throws {
            let result = try cli.run(arguments)
            let lines = SensitiveFixture.lines(result.stdout + result.stderr, containing: needle)
            #expect(!lines.isEmpty && lines.allSatisfy { $0.contains("[sensitive]") },
                    "\(arguments.joined(separator: " ")) marks \(needle): \(result.stdout)\(result.stderr)")
        }
        try marked(["relationship", "list", "--org", "ue"], local)
        try marked(["timeline", "ue"], local)
        try marked(["stale"], "SSX Seccional Uno")
        try marked(["site", "list", "--employer", "wabtec"], local)
        try marked(["delegation", "list"], "Delegacion recibida en Cali")
        try marked(["delegation", "show", fixture.hostedBySSX], "ssx")
        try marked(["activity", "show", fixture.metLocal], local)
        try marked(["activity", "show", fixture.metLocal], "lucia-reservada")
        try marked(["followup", "list"], "Enviar el acta")
        // An ambiguous reference lists its candidates: the local is marked, the public one is not.
        let ambiguous = try cli.run("org", "show", "Seccional Gemela")
        #expect(ambiguous.status == 1)
        #expect(SensitiveFixture.lines(ambiguous.stderr, containing: local).allSatisfy { $0.contains("[sensitive]") })
        #expect(SensitiveFixture.lines(ambiguous.stderr, containing: "Sindicato Abierto").allSatisfy { !$0.contains("[sensitive]") })
        #expect(!SensitiveFixture.lines(ambiguous.stderr, containing: local).isEmpty, "\(ambiguous.stderr)")
        // Public rows stay unmarked.
        #expect(SensitiveFixture.lines(try cli.run("delegation", "list").stdout, containing: "Visita publica").allSatisfy { $0.contains("[sensitive]") },
                "a delegation that met the local and a sensitive delegate names them")
        let publicRelationship = SensitiveFixture.lines(try cli.run("relationship", "list", "--org", "ue").stdout, containing: "kctu")
        #expect(!publicRelationship.isEmpty && publicRelationship.allSatisfy { !$0.contains("[sensitive]") })
    }

    @Test("the CSV and JSON of relationship list, stale and followup list carry a sensitive column")
    func filesCarryTheColumn() throws {
        let fixture = try SensitiveFixture()
        defer { fixture.cli.cleanUp() }
        let cli = fixture.cli
        for (arguments, needle) in [(["relationship", "list", "--org", "ue"], fixture.local), (["stale"], fixture.local),
                                    (["followup", "list"], "Enviar el acta")] {
            let csv = try cli.run(arguments + ["--format", "csv"]).stdout
            let rows = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(rows.first?.hasSuffix(",sensitive") == true, "\(arguments): \(rows.first ?? "")")
            #expect(rows.filter { $0.contains(needle) }.allSatisfy { $0.hasSuffix(",true") } && rows.contains { $0.contains(needle) }, "\(csv)")
            #expect(rows.dropFirst().contains { $0.hasSuffix(",false") }, "\(arguments): a public row says false: \(csv)")
            let json = try JSONSerialization.jsonObject(with: Data(try cli.run(arguments + ["--format", "json"]).stdout.utf8)) as? [[String: Any]] ?? []
            let row = json.first { $0.values.contains { "\($0)".contains(needle) } }
            #expect(row?["sensitive"] as? Bool == true, "\(arguments) JSON: \(json)")
        }
    }

    @Test("a calendar or graph made with --include-sensitive says so inside the file; the calendar still parses with icalendar")
    func filesSaySo() throws {
        let fixture = try SensitiveFixture()
        defer { fixture.cli.cleanUp() }
        let cli = fixture.cli
        let file = cli.folder.appendingPathComponent("private.ics").path
        try SensitiveFixture.run(cli, "calendar", "--include-sensitive", "--output", file)
        let calendar = try String(contentsOfFile: file, encoding: .utf8)
        let head = calendar.components(separatedBy: "\r\n").prefix { $0 != "BEGIN:VEVENT" }
        #expect(head.contains("X-SOLIDARITY-INCLUDES-SENSITIVE:TRUE"), "\(head)")
        #expect(!(try cli.run("calendar").stdout.contains("X-SOLIDARITY-INCLUDES-SENSITIVE")))
        #expect(try Self.icalendarProperty(file, "X-SOLIDARITY-INCLUDES-SENSITIVE") == "TRUE")

        let dot = try cli.run("graph", "--include-sensitive").stdout.split(separator: "\n")
        #expect(dot.first?.hasPrefix("// This drawing includes records marked sensitive") == true, "\(dot.prefix(2))")
        let mermaid = try cli.run("graph", "--format", "mermaid", "--include-sensitive").stdout.split(separator: "\n")
        #expect(mermaid.prefix(2).contains { $0.hasPrefix("%% This drawing includes records marked sensitive") }, "\(mermaid.prefix(2))")
        #expect(mermaid.first == "flowchart LR")
        #expect(!(try cli.run("graph").stdout.contains("marked sensitive")))
        #expect(!(try cli.run("graph", "--format", "mermaid").stdout.contains("marked sensitive")))
    }

    /// The value of a calendar property as Python's icalendar reads the file (the independent checker).
    static func icalendarProperty(_ file: String, _ name: String) throws -> String {
        let script = """
            import sys, icalendar
            cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
            assert len(cal.walk('VEVENT')) > 0
            print(cal.get(sys.argv[2]))
            """
        return try PythonChecker.run(script, arguments: [file, name]).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
