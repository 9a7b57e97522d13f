import Foundation
import Testing

/// Each refused command: its message, its exit code, and the database left as it was.
@Suite("Bad input gets a clear error and writes nothing")
struct BadInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let arguments: [String]
        let status: Int32
        let message: String
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
    ]

    @Test("a refused command names the problem, exits 64 or 1, and leaves the database as it was", arguments: cases)
    func refused(_ c: Case) throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        try cli.run("init", "--seed", "--home", "ue")
        let before = try cli.dump()
        let result = try cli.run(c.arguments)
        #expect(result.status == c.status, "\(result.stderr)")
        #expect(result.stderr.contains(c.message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(try cli.dump() == before)
    }

    @Test("an ambiguous reference lists the candidates and changes nothing")
    func ambiguous() throws {
        let cli = try CommandLine()
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
        let cli = try CommandLine()
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
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        let typo = cli.folder.appendingPathComponent("typo/intl.sqlite").path
        let result = try cli.run(["org", "list"], database: typo)
        #expect(result.status == 1)
        #expect(result.stderr.contains("solidarity init --db \(typo)"))
        #expect(!FileManager.default.fileExists(atPath: cli.folder.appendingPathComponent("typo").path))
    }

    @Test("a read-only location is refused with a message saying what to do")
    func readOnlyLocation() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        // /proc refuses new files even to root, so this holds whoever runs the tests.
        let result = try cli.run(["init"], database: "/proc/solidarity-test/solidarity.sqlite")
        #expect(result.status == 1)
        #expect(result.stderr.contains("Choose a writable location with --db"))
    }
}
