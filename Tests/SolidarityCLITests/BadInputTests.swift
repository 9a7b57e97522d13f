import Foundation
import Testing

/// Each refused command: its message, its exit code, and the database left as it was.
@Suite("Bad input gets a clear error and writes nothing")
struct BadInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let arguments: [String]
        let status: Int32
        let message: String
        /// Commands run first, on the seeded database (to make a reference ambiguous, say).
        var setup: [[String]] = []
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let cases: [Case] = [
        Case(arguments: ["org", "show", "Zenrorem"], status: 1, message: "Did you mean"),
        Case(arguments: ["org", "show", "Nonexistent Federation of Nothing"], status: 1, message: "No organization matches"),
        Case(arguments: ["relate", "ue", "Frente Autentico", "--kind", "ally"], status: 1, message: "No organization matches"),
        Case(arguments: ["org", "add", "Union X", "--country", "UK"], status: 64, message: "did you mean GB"),
        Case(arguments: ["org", "add", "Union X", "--country", "ZZ"], status: 64, message: "not an ISO 3166-1 country code"),
        Case(arguments: ["relate", "ue", "atm", "--kind", "ally", "--since", "2024-13"], status: 64, message: "no month 13"),
        Case(arguments: ["person", "add", "Ana", "--org", "fat", "--title", "Secretary", "--since", "2025-02-30"], status: 64, message: "has 28 days"),
        Case(arguments: ["relate", "ue", "atm", "--kind", "ally", "--since", "2025", "--until", "2024"], status: 64, message: "before its start"),
        Case(arguments: ["relate", "fat", "FAT", "--kind", "ally"], status: 1, message: "with itself"),
        Case(arguments: ["org", "edit", "ue", "--parent", "ue-local-618"], status: 1, message: "circle"),
        Case(arguments: ["org", "add", "Another UE", "--handle", "ue"], status: 1, message: "already exists"),
        Case(arguments: ["relate", "ue", "fat", "--kind", "ally"], status: 1, message: "already recorded"),
        Case(arguments: ["relate", "ue", "atm"], status: 64, message: "--kind"),
        Case(arguments: ["org", "add"], status: 64, message: "<name>"),
        Case(arguments: ["person", "add", "Ana", "--title", "Secretary"], status: 64, message: "--org and --title go together"),
        Case(arguments: ["org", "add", "Union X", "--kind", "guild"], status: 64, message: "--kind"),
        Case(arguments: ["org", "add", "Union X", "--native-name", "Unión X"], status: 64, message: "--lang"),
        Case(arguments: ["org", "add", "Union X", "--handle", "Union X"], status: 64, message: "not a handle"),
        Case(arguments: ["org", "add", "Union X", "--country", "US", "--region", "CA-QC"], status: 64, message: "not in country US"),
        Case(arguments: ["person", "add", "Ana", "--email", "ana-at-example"], status: 64, message: "not an email address"),
        Case(arguments: ["org", "add", "Union X", "--alias", "Federation@"], status: 64, message: "must be the alias's language"),
        Case(arguments: ["site", "add", "Plattsburgh", "--employer", "Siemens", "--country", "US"], status: 1, message: "No employer matches"),
        Case(arguments: ["employer", "edit", "wabtec", "--parent", "Westinghouse Air Brake Technologies Corporation"], status: 1, message: "its own parent company"),
        Case(arguments: ["site", "add", "Wabtec UK", "--employer", "wabtec", "--country", "UK"], status: 64, message: "did you mean GB"),
        Case(arguments: ["site", "represent", "Wabtec workers in Brazil", "cut", "--since", "2025", "--until", "2024"], status: 64, message: "before its start"),
        Case(arguments: ["import"], status: 64, message: "--csv FILE --as KIND"),
        Case(arguments: ["delegation", "log", "--title", "Backwards", "--start", "2025-06", "--end", "2025-05"], status: 64, message: "is before the start"),
        Case(arguments: ["delegation", "log", "--title", "Trip", "--start", "2025-02-30"], status: 64, message: "has 28 days"),
        Case(arguments: ["delegation", "log", "--title", "Trip", "--host", "Sindicato Fantasma"], status: 1, message: "No organization matches"),
        Case(arguments: ["delegation", "log", "--title", "Trip", "--delegate", "Jon Miles"], status: 1, message: "john-miles"),
        Case(arguments: ["delegation", "log", "--title", "Trip", "--employer", "Siemens"], status: 1, message: "No employer matches"),
        Case(arguments: ["delegation", "log", "--title", "Trip", "--status", "postponed"], status: 64, message: "--status"),
        Case(arguments: ["activity", "log", "--kind", "party", "--title", "Trip"], status: 64, message: "--kind"),
        Case(arguments: ["activity", "log", "--kind", "delegation", "--title", "Trip"], status: 64, message: "--kind"),
        Case(arguments: ["delegation", "log", "--to", "MX"], status: 64, message: "--title"),
        Case(arguments: ["followup", "done", "nosuchid00"], status: 1, message: "No follow-up has the id"),
        Case(arguments: ["delegation", "show", "nosuchid00"], status: 1, message: "No activity has the id"),
        Case(arguments: ["delegation", "list", "--since", "2025", "--until", "2024"], status: 64, message: "before --since"),
        Case(arguments: ["delegation", "log", "--title", "Trip", "--to", "JP,KR", "--city", "Tokyo", "--city", "Seoul", "--city", "Busan"], status: 64, message: "cannot be paired"),
        Case(arguments: ["delegation", "log", "--title", "Trip", "--due", "2027-06", "--follow-up", "Send the report"], status: 64,
             message: "--due 2027-06 comes before any --follow-up"),
        Case(arguments: ["activity", "log", "--kind", "call", "--title", "Call", "--follow-up", "Send notes", "--due", "2027-06", "--due", "2027-07"],
             status: 64, message: "--follow-up \"Send notes\" is followed by two --due values"),
        Case(arguments: ["site", "add", "Plant Y", "--employer", "wabtec", "--country", "IT", "--since", "2020", "--union", "fiom"], status: 64,
             message: "--since 2020 comes before any --union"),
        Case(arguments: ["import", "--csv", "x.csv"], status: 64, message: "--as organizations, people, sites or activities"),
        Case(arguments: ["webhook", "add", "ftp://example.org/hooks"], status: 64, message: "http"),
        Case(arguments: ["webhook", "add", "https://"], status: 64, message: "host"),
        Case(arguments: ["webhook", "add", "https://user:secret@example.org/hooks"], status: 64, message: "credentials"),
        Case(arguments: ["webhook", "add", "https://example.org/hooks", "--event", "delegation.created"], status: 64, message: "delegation.logged"),
        Case(arguments: ["webhook", "replay", "nosuchid00"], status: 1, message: "No delivery has the id"),
        Case(arguments: ["webhook", "replay"], status: 64, message: "--failed"),
        Case(arguments: ["webhook", "test", "nosuchid00"], status: 1, message: "webhook list"),
        Case(arguments: ["delegation", "log", "--title", "Trip", "--host", "CUT"], status: 1, message: "\"CUT\" could be any of these organizations",
             setup: [["org", "add", "Central Unitaria de Trabajadores", "--acronym", "CUT", "--country", "CL"]]),
        Case(arguments: ["delegation", "log", "--title", "Trip", "--employer", "Wabtec"], status: 1, message: "\"Wabtec\" could be any of these employers",
             setup: [["employer", "add", "Wabtec", "--country", "BR"]]),
        Case(arguments: ["allies", "--employer", "wabtec", "--as-of", "soon"], status: 64, message: "\"soon\" is not a date"),
        Case(arguments: ["graph", "--employer", "wabtec", "--org", "ue"], status: 64, message: "Give --employer or --org, not both"),
        Case(arguments: ["allies", "--employer", "nosuch"], status: 1, message: "No employer matches \"nosuch\""),
    ]

    @Test("a refused command names the problem, exits 64 or 1, and leaves the database as it was", arguments: cases)
    func refused(_ c: Case) throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        try cli.run("init", "--seed", "--home", "ue")
        for command in c.setup {
            let done = try cli.run(command)
            try #require(done.status == 0, "\(done.stderr)")
        }
        let before = try cli.dump()
        let result = try cli.run(c.arguments)
        #expect(result.status == c.status, "\(result.stderr)")
        #expect(result.stderr.contains(c.message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(try cli.dump() == before)
    }

    @Test("shared-employers of two organizations with no employer in common: exit 0, a sentence saying so, nothing written")
    func noSharedEmployers() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        try cli.run("init", "--seed", "--home", "ue")
        let before = try cli.dump()
        let result = try cli.run("shared-employers", "ue", "fat")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("ue and fat represent workers of no common employer in the records"), "\(result.stdout)")
        #expect(try cli.dump() == before)
    }

    /// A file to import, and what importing it must say.
    struct FileCase: CustomTestStringConvertible, Sendable {
        let name: String
        let bytes: [UInt8]
        let arguments: [String]
        let status: Int32
        let message: String
        var testDescription: String { name }

        init(_ name: String, _ text: String, csv kind: String? = nil, status: Int32, _ message: String) {
            self.init(name, Array(text.utf8), csv: kind, status: status, message)
        }

        init(_ name: String, _ bytes: [UInt8], csv kind: String? = nil, status: Int32, _ message: String) {
            self.name = name
            self.bytes = bytes
            self.arguments = kind.map { ["import", "--csv", name, "--as", $0] } ?? ["import", name]
            self.status = status
            self.message = message
        }
    }

    static let files: [FileCase] = [
        FileCase("notes.json", "These are meeting notes, not JSON.", status: 64, "is not JSON"),
        FileCase("future.json", #"{"format": "solidarity/9", "organizations": []}"#, status: 64, #"$.format is "solidarity/9""#),
        FileCase("missing.json", #"{"format": "solidarity/1", "people": [{"handle": "ana", "name": "Ana", "titles": [{"organization": "sitrac", "title": "Delegate"}]}]}"#,
                 status: 1, #"$.people[0].titles[0].organization: no organization "sitrac""#),
        FileCase("repeated.json", #"{"format": "solidarity/1", "sources": [{"id": "s1", "title": "A"}, {"id": "s1", "title": "B"}]}"#,
                 status: 64, #"$.sources[1]: "s1" repeats $.sources[0]"#),
        FileCase("no-country.csv", "name,employer\nPlant,wabtec\n", csv: "sites", status: 64, #"the required column "country" is missing"#),
        FileCase("dates.csv", (["name,members,members_as_of"] + (2...9).map { "Local \($0),10,\($0 == 7 ? "2024-13" : "2024")" }).joined(separator: "\n"),
                 csv: "organizations", status: 64, #"line 7, column members_as_of, value "2024-13""#),
        FileCase("unknown.csv", (["name,organization,title"] + (2...13).map { "Person \($0),\($0 == 12 ? "Sindicato Fantasma" : "ue"),Steward" }).joined(separator: "\n"),
                 csv: "people", status: 1, #"line 12, column organization, value "Sindicato Fantasma""#),
        FileCase("latin1.csv", Array("name,country\nSindicato ".utf8) + [0xD1] + Array(",ES\n".utf8), csv: "organizations", status: 64,
                 "line 2: the file is not valid UTF-8"),
    ]

    @Test("a bad file to import is refused with where the problem is, and nothing is written", arguments: files)
    func badFile(_ c: FileCase) throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        try cli.run("init", "--seed", "--home", "ue")
        let path = cli.folder.appendingPathComponent(c.name).path
        FileManager.default.createFile(atPath: path, contents: Data(c.bytes))
        let before = try cli.dump()
        let arguments = c.arguments.map { $0 == c.name ? path : $0 }
        let result = try cli.run(arguments)
        #expect(result.status == c.status, "\(result.stderr)")
        #expect(result.stderr.contains(c.message), "\(result.stderr)")
        #expect(try cli.dump() == before)
    }

    @Test("an ambiguous reference lists the candidates and changes nothing")
    func ambiguous() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        try cli.run("init", "--seed")
        try cli.run("org", "add", "Confederación General del Trabajo", "--acronym", "CGT", "--country", "ES", "--kind", "confederation")
        let before = try cli.dump()
        let result = try cli.run("relate", "ue", "CGT", "--kind", "ally")
        #expect(result.status == 1)
        #expect(result.stderr.contains("cgt ") && result.stderr.contains("cgt-es") && result.stderr.contains("use a handle"))
        #expect(try cli.dump() == before)
    }

    @Test("a path that is not a SQLite database is refused and left untouched")
    func notADatabase() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        let path = cli.folder.appendingPathComponent("minutes.docx").path
        let text = String(repeating: "Minutes of the international committee, 2025. ", count: 100)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try cli.run(["org", "list"], database: path)
        #expect(result.status == 1)
        #expect(result.stderr.contains("is not a SQLite database"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    }

    @Test("a mistyped --db is an error that says how to create a database, and creates nothing")
    func missingDatabase() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        let typo = cli.folder.appendingPathComponent("typo/intl.sqlite").path
        let result = try cli.run(["org", "list"], database: typo)
        #expect(result.status == 1)
        #expect(result.stderr.contains("solidarity init --db \(typo)"))
        #expect(!FileManager.default.fileExists(atPath: cli.folder.appendingPathComponent("typo").path))
    }

    @Test("a read-only location is refused with a message saying what to do")
    func readOnlyLocation() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        // /proc refuses new files even to root, so this holds whoever runs the tests.
        let result = try cli.run(["init"], database: "/proc/solidarity-test/solidarity.sqlite")
        #expect(result.status == 1)
        #expect(result.stderr.contains("Choose a writable location with --db"))
    }
}
