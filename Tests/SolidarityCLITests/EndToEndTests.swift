import Foundation
import Testing

@Suite("The command line, end to end")
struct EndToEndTests {
    @Test("init --seed --home ue gives the demo database, and a native name without accents finds FAT")
    func demoDatabase() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        let created = try cli.run("init", "--seed", "--home", "ue")
        #expect(created.status == 0)
        #expect(created.stdout.contains("Home organization: UE (ue)."))
        let permissions = try FileManager.default.attributesOfItem(atPath: cli.db)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        let fat = try cli.run("org", "show", "Frente Autentico del Trabajo")
        #expect(fat.status == 0)
        #expect(fat.stdout.contains("Frente Auténtico del Trabajo (es)"))
        #expect(fat.stdout.contains("ally of ue (close)"))
        #expect(try cli.run("home").stdout == "ue\tUnited Electrical, Radio and Machine Workers of America\n")
        let again = try cli.run("seed")
        #expect(again.stdout.contains("0 records added"))
    }

    @Test("every listing prints table, json, csv and md")
    func formats() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        try cli.run("init", "--seed")
        let json = try cli.run("org", "list", "--country", "ca", "--format", "json")
        let array = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(array.map { $0["handle"] as? String } == ["ccmm-csn", "csn", "unifor"])
        #expect(array[0]["parent"] as? String == "csn")
        #expect(array[0]["website"] is NSNull)

        let csv = try cli.run("org", "list", "--country", "CA", "--format", "csv")
        let lines = csv.stdout.components(separatedBy: "\r\n")
        #expect(lines[0].hasPrefix("handle,name,acronym,native_name,native_name_lang,kind,country,region"))
        #expect(lines.count == 5 && lines[4].isEmpty)

        let md = try cli.run("relationship", "list", "--org", "ue", "--kind", "member_of", "--format", "md")
        #expect(md.stdout == "| from | kind | to | status | since | until |\n| --- | --- | --- | --- | --- | --- |\n| ue | member_of | industriall | active |  |  |\n")

        let table = try cli.run("person", "list", "--org", "unifor", environment: ["NO_COLOR": "1"])
        #expect(table.stdout.hasPrefix("HANDLE"))
        #expect(table.stdout.contains("lana-payne") && !table.stdout.contains("\u{1B}["))
    }

    @Test("org add, edit and remove work end to end, and text comes back verbatim")
    func organizationLifecycle() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        try cli.run("init", "--seed")
        let tricky = #"Sindicato "Obrero" d'Acero; DROP TABLE people; --"#
        let added = try cli.run("org", "add", tricky, "--acronym", "SOA", "--country", "mx", "--native-name", "Sindicato Obrero", "--lang", "es",
                                "--alias", "Steelworkers' Union@en", "--notes", "It's \"ours\"; 1=1 --")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout == "Added SOA as soa.\n")
        let shown = try cli.run("org", "show", "steelworkers union", "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        #expect(object["name"] as? String == tricky)
        #expect(object["notes"] as? String == "It's \"ours\"; 1=1 --")
        #expect(object["country"] as? String == "MX")
        #expect(try cli.run("org", "edit", "soa", "--city", "Monterrey", "--clear", "notes").status == 0)
        #expect(try cli.run("org", "show", "soa").stdout.contains("Monterrey, MX"))
        #expect(try cli.run("search", "wabtec").stdout.split(separator: "\n")[1].hasPrefix("employer      wabtec"))
        let refused = try cli.run("org", "remove", "soa")
        #expect(refused.status == 64 && refused.stderr.contains("--yes"))
        #expect(try cli.run("org", "remove", "soa", "--yes").status == 0)
        #expect(try cli.run("org", "show", "soa").status == 1)
    }

    @Test("person and relationship commands record, list and end")
    func peopleAndRelationships() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        try cli.run("init", "--seed")
        let person = try cli.run("person", "add", "María López", "--org", "FAT", "--title", "International Secretary", "--since", "2023", "--lang", "es", "--sensitive")
        #expect(person.stdout == "Added María López as maria-lopez.\n")
        #expect(try cli.run("person", "list", "--org", "fat").stdout.contains("María López [sensitive]"))
        #expect(try cli.run("relate", "ue", "atm", "--kind", "ally", "--since", "2024-05").status == 0)
        #expect(try cli.run("relationship", "end", "atm", "ue", "--kind", "ally", "--on", "2026-01").stdout == "Ended: atm ally of ue in 2026-01.\n")
        let listed = try cli.run("relationship", "list", "--org", "atm", "--format", "csv")
        #expect(listed.stdout.contains("atm,ue,ally,ended,2024-05,2026-01,,"))
        #expect(try cli.run("search", "lopez").stdout.contains("maria-lopez"))
    }

    @Test("every command explains itself with an example")
    func helpTexts() throws {
        let commands = [["init"], ["home"], ["migrate"], ["seed"], ["search"], ["relate"], ["import"], ["export"],
                        ["employer", "add"], ["employer", "list"], ["employer", "show"], ["employer", "edit"],
                        ["site", "add"], ["site", "list"], ["site", "show"], ["site", "represent"],
                        ["org", "add"], ["org", "list"], ["org", "show"], ["org", "edit"], ["org", "remove"],
                        ["person", "add"], ["person", "list"], ["person", "show"], ["person", "edit"], ["person", "remove"],
                        ["relationship", "list"], ["relationship", "edit"], ["relationship", "end"]]
        for command in commands {
            let help = try CommandLine.execute(command + ["--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("Example"), "\(command.joined(separator: " ")) --help has no example")
            #expect(help.stdout.contains("--db"), "\(command.joined(separator: " ")) --help has no --db")
        }
    }

    @Test("migrate --status lists the applied migrations")
    func migrateStatus() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        try cli.run("init")
        let status = try cli.run("migrate", "--status", "--format", "csv")
        #expect(status.stdout.hasPrefix("migration,state,applied_at\r\n0001_initial.sql,applied,"))
        #expect(try cli.run("migrate").stdout.contains("up to date"))
    }
}

@Suite("Employers, sites, export and import, end to end")
struct ChainEndToEndTests {
    @Test("the seeded Wabtec chain lists its sites, and a new site and representation are recorded")
    func wabtecChain() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        try cli.run("init", "--seed", "--home", "ue")
        let sites = try cli.run("site", "list", "--employer", "wabtec", "--format", "json")
        let array = try #require(try JSONSerialization.jsonObject(with: Data(sites.stdout.utf8)) as? [[String: Any]])
        #expect(array.map { $0["country"] as? String } == ["BR", "GB", "IT", "US", "US", "US"])
        let added = try cli.run("site", "add", "Wabtec Contagem", "--employer", "wabtec", "--country", "BR", "--city", "Contagem", "--union", "CUT", "--since", "2015")
        #expect(added.status == 0, "\(added.stderr)")
        let ended = try cli.run("site", "represent", "Wabtec Contagem", "cut", "--since", "2015", "--until", "2024-06")
        #expect(ended.stdout == "Wabtec Contagem: represented by cut (2015–2024-06).\n")
        #expect(try cli.run("employer", "show", "wabtec").stdout.contains("BR 2, GB 1, IT 1, US 3"))
        #expect(try cli.run("search", "contagem").stdout.contains("Wabtec Contagem"))
    }

    @Test("export to a file is owner-only and imports into an empty database byte for byte")
    func exportImport() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        try cli.run("init", "--seed", "--home", "ue")
        try cli.run("person", "add", "Hidden Contact", "--org", "kmu", "--title", "Organizer", "--sensitive")
        let first = cli.folder.appendingPathComponent("first.json").path
        let exported = try cli.run("export", "--output", first)
        #expect(exported.stderr.contains("Left out 1 sensitive record; --include-sensitive includes them."))
        #expect(try FileManager.default.attributesOfItem(atPath: first)[.posixPermissions] as? Int == 0o600)
        let shared = cli.folder.appendingPathComponent("shared.json").path
        FileManager.default.createFile(atPath: shared, contents: Data("old".utf8), attributes: [.posixPermissions: 0o644])
        try cli.run("export", "--output", shared)
        #expect(try FileManager.default.attributesOfItem(atPath: shared)[.posixPermissions] as? Int == 0o600)
        let other = cli.folder.appendingPathComponent("other.sqlite").path
        try cli.run(["init"], database: other)
        let imported = try cli.run(["import", first], database: other)
        #expect(imported.status == 0 && imported.stdout.contains("already present"))
        let second = try cli.run(["export"], database: other)
        #expect(second.stdout == (try String(contentsOfFile: first, encoding: .utf8)))
        #expect(!second.stdout.contains("Hidden Contact"))
        let everything = try cli.run("export", "--include-sensitive")
        #expect(everything.stdout.contains("Hidden Contact") && everything.stdout.contains("\"includes_sensitive\" : true"))
    }

    @Test("a spreadsheet of organizations imports, and importing it again changes nothing")
    func spreadsheet() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        try cli.run("init", "--seed")
        let path = cli.folder.appendingPathComponent("allies.csv").path
        try "name,acronym,kind,country,aliases\r\n\"Sindicato Mexicano de Electricistas\",SME,union,MX,Electricistas@es\r\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try cli.run("import", "--csv", path, "--as", "organizations").stdout.contains("1 added"))
        #expect(try cli.run("import", "--csv", path, "--as", "organizations").stdout.contains("0 added, 0 updated, 1 already present"))
        #expect(try cli.run("org", "show", "electricistas").stdout.contains("Sindicato Mexicano de Electricistas"))
    }
}

@Suite("Delegations and activities, end to end")
struct LogEndToEndTests {
    @Test("a delegation is logged in one command; a follow-up due before the trip warns and still records")
    func logDelegation() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        try cli.run("init", "--seed", "--home", "ue")
        let logged = try cli.run("delegation", "log", "--title", "Delegation to Korea", "--to", "KR", "--city", "Seoul", "--start", "2026-05",
                                 "--host", "KCTU", "--delegate", "janet-gray", "--follow-up", "Book flights", "--due", "2026-03",
                                 "--follow-up", "Report to members", "--due", "2026-06", "--status", "planned")
        #expect(logged.status == 0, "\(logged.stderr)")
        #expect(logged.stderr.contains("Warning: follow-up") && logged.stderr.contains("due 2026-03, before the delegation begins (2026-05)"))
        let id = try #require(logged.stdout.split(separator: " ").dropFirst(2).first.map { String($0.dropLast()) })
        let shown = try cli.run("delegation", "show", id, "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "planned")
        #expect((object["follow_ups"] as? [[String: Any]])?.count == 2)
        let listed = try cli.run("delegation", "list", "--since", "2026", "--org", "kctu", "--format", "csv")
        #expect(listed.stdout.contains("\(id),delegation,Delegation to Korea,planned,2026-05,,KR,Seoul@KR,kctu"))
        let edited = try cli.run("delegation", "edit", id, "--status", "done", "--outcome", "Agreed a joint statement", "--clear", "follow-ups")
        #expect(edited.status == 0)
        #expect(try cli.run("followup", "list", "--format", "csv").stdout.contains("Book flights") == false)
        #expect(try cli.run("timeline", "kctu").stdout.contains("Delegation to Korea"))
        #expect(try cli.run("delegation", "remove", id, "--yes").stdout == "Removed delegation \(id).\n")
    }

    @Test("a CSV field holding a CR LF line break is quoted, as one holding a comma, a quote or a bare line break")
    func csvQuotesLineBreaks() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        try cli.run("init")
        for (name, notes) in [("Union One", "first line\r\nsecond line"), ("Union Two", "a, b"), ("Union Three", "say \"no\""), ("Union Four", "x\ny")] {
            #expect(try cli.run("org", "add", name, "--country", "US", "--notes", notes).status == 0)
        }
        let listed = try cli.run("org", "list", "--format", "csv").stdout
        #expect(listed.contains("\"first line\r\nsecond line\""), "\(listed)")
        #expect(listed.contains("\"a, b\"") && listed.contains("\"say \"\"no\"\"\"") && listed.contains("\"x\ny\""), "\(listed)")
    }

    @Test("stale, follow-ups and the calendar work on the seeded database")
    func reports() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        try cli.run("init", "--seed", "--home", "ue")
        let stale = try cli.run("stale", "--months", "12", "--format", "csv")
        #expect(stale.stdout.hasPrefix("organization,name,relationship,last_contact,last_contact_via,months_silent,last_activity,sensitive\r\n"))
        #expect(stale.stdout.contains("fat,Frente Auténtico del Trabajo,ally (close),2024-05,"))
        let logged = try cli.run("activity", "log", "--kind", "call", "--title", "Call with the FAT", "--start", "2025-01", "--participant", "fat",
                                 "--follow-up", "Send minutes", "--due", "2025-02")
        #expect(logged.status == 0)
        let overdue = try cli.run("followup", "list", "--overdue", "--format", "json")
        let items = try #require(try JSONSerialization.jsonObject(with: Data(overdue.stdout.utf8)) as? [[String: Any]])
        #expect(items.map { $0["text"] as? String } == ["Send minutes"])
        let followUp = try #require(items.first?["id"] as? String)
        #expect(try cli.run("followup", "done", followUp, "--on", "2025-03-01").stdout.hasPrefix("Done 2025-03-01: Send minutes"))
        let ics = cli.folder.appendingPathComponent("feed.ics").path
        let calendar = try cli.run("calendar", "--output", ics)
        #expect(calendar.status == 0 && calendar.stderr.contains("1 undated activity is not in the calendar"))
        #expect(try String(contentsOfFile: ics, encoding: .utf8).hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        let none = try cli.run(["stale"], database: { () -> String in
            let other = cli.folder.appendingPathComponent("nohome.sqlite").path
            _ = try? cli.run(["init"], database: other)
            return other
        }())
        #expect(none.status == 1 && none.stderr.contains("solidarity home"))
    }
}

@Suite("Conventions, resolutions and appendices, end to end")
struct AppendixEndToEndTests {
    @Test("the appendix of the seeded resolution as Markdown, HTML, docx and odt")
    func formats() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        try cli.run("init", "--seed", "--home", "ue")
        let markdown = try cli.run("appendix", "ue-79-international-solidarity", "--since", "2023-09")
        #expect(markdown.status == 0)
        #expect(markdown.stdout.contains("## A. Organizations named in the resolution") && markdown.stdout.contains("| 12 | IndustriALL Global Union"))
        let html = cli.folder.appendingPathComponent("appendix.html").path
        #expect(try cli.run("appendix", "ue-79-international-solidarity", "--since", "2023-09", "--format", "html", "--output", html).status == 0)
        #expect(try String(contentsOfFile: html, encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
        for format in ["docx", "odt"] {
            let file = cli.folder.appendingPathComponent("appendix.\(format)").path
            let result = try cli.run("appendix", "ue-79-international-solidarity", "--since", "2023-09", "--format", format, "--output", file)
            #expect(result.status == 0, "\(result.stderr)")
            let data = try #require(FileManager.default.contents(atPath: file))
            #expect(data.starts(with: Array("PK".utf8)), "\(format) is a zip package")
            let inner = format == "docx" ? "word/document.xml" : "content.xml"
            #expect(data.range(of: Data(inner.utf8)) != nil, "\(format) has \(inner)")
        }
    }

    @Test("with no home organization, appendix says on stderr how to set one, in the words allies uses; with one it says nothing")
    func noHome() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        try cli.run("init", "--seed")
        let appendix = try cli.run("appendix", "ue-79-international-solidarity", "--since", "2023-09")
        #expect(appendix.status == 0, "\(appendix.stderr)")
        #expect(appendix.stdout.contains("## A. Organizations named in the resolution"))
        #expect(appendix.stderr.contains("No home organization is set, so part A gives no relationship") &&
                appendix.stderr.contains("set it with `solidarity home REF`."), "\(appendix.stderr)")
        let allies = try cli.run("allies", "--employer", "wabtec")
        #expect(allies.stderr.contains("No home organization is set, so no union is marked ours, ally or prospect, and no last contact is shown: set it with `solidarity home REF`."))
        try cli.run("home", "ue")
        let withHome = try cli.run("appendix", "ue-79-international-solidarity", "--since", "2023-09")
        #expect(withHome.status == 0 && !withHome.stderr.contains("home"), "\(withHome.stderr)")
    }

    @Test("a resolution from a file: what it names is printed per clause, and link corrects it")
    func addResolution() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        try cli.run("init", "--seed", "--home", "ue")
        #expect(try cli.run("convention", "add", "--org", "ue", "--name", "80th UE Convention", "--number", "80", "--start", "2027-08").stdout == "Added convention 80th UE Convention as ue-80.\n")
        let file = cli.folder.appendingPathComponent("wabtec.md").path
        try "Wabtec workers share one employer.\n\nTHEREFORE, BE IT RESOLVED:\n\n1. Builds links with the CUT of Brazil;\n2. Greets the SINTRAINAL.\n".write(toFile: file, atomically: true, encoding: .utf8)
        let added = try cli.run("resolution", "add", "--convention", "ue-80", "--title", "Wabtec Workers", "--file", file)
        #expect(added.stdout.contains("clause 1: names cut") && added.stdout.contains("not matched: SINTRAINAL"))
        #expect(try cli.run("resolution", "link", "ue-80-wabtec-workers", "cgt", "--clause", "2").stdout == "ue-80-wabtec-workers now names: cut, cgt.\n")
        #expect(try cli.run("resolution", "edit", "ue-80-wabtec-workers", "--status", "adopted").stdout == "ue-80-wabtec-workers is now adopted.\n")
        #expect(try cli.run("convention", "show", "ue-80").stdout.contains("ue-80-wabtec-workers  Wabtec Workers (adopted)"))
    }

    @Test("bad resolutions and appendices are refused with a message, and nothing is written")
    func badInput() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        try cli.run("init", "--seed", "--home", "ue")
        let before = try cli.dump()
        let prose = cli.folder.appendingPathComponent("prose.txt").path
        try "We support our allies.\nWe always will.\n".write(toFile: prose, atomically: true, encoding: .utf8)
        let noClauses = try cli.run("resolution", "add", "--convention", "ue-79", "--title", "Prose", "--file", prose)
        #expect(noClauses.status == 64 && noClauses.stderr.contains("BE IT RESOLVED"))
        let unknown = try cli.run("resolution", "add", "--convention", "ue-99", "--title", "X", "--file", prose)
        #expect(unknown.status == 1 && unknown.stderr.contains("No single convention matches \"ue-99\""))
        let status = try cli.run("resolution", "edit", "ue-79-international-solidarity", "--status", "passed")
        #expect(status.status == 64 && status.stderr.contains("--status"))
        let period = try cli.run("appendix", "ue-79-international-solidarity", "--since", "2025", "--until", "2024")
        #expect(period.status == 64 && period.stderr.contains("before --since"))
        let folder = try cli.run("appendix", "ue-79-international-solidarity", "--output", cli.folder.appendingPathComponent("missing/appendix.md").path)
        #expect(folder.status == 1 && folder.stderr.contains("does not exist"))
        let noPandoc = try cli.run(["appendix", "ue-79-international-solidarity", "--format", "docx", "--output", cli.folder.appendingPathComponent("a.docx").path],
                                   environment: ["PATH": "/nonexistent"])
        #expect(noPandoc.status == 1 && noPandoc.stderr.contains("apt-get install pandoc"))
        #expect(!FileManager.default.fileExists(atPath: cli.folder.appendingPathComponent("a.docx").path))
        #expect(try cli.dump() == before)
    }
}
