import Foundation
import Testing
@testable import SolidarityCLI

@Suite("A qualifier goes with the flag written before it: --follow-up TEXT [--due D], --union REF [--since D]")
struct FlagPairTests {
    let due = FlagPair(flag: "follow-up", qualifier: "due", example: "--follow-up X --due 2027")

    @Test("each --due dates the --follow-up before it; a follow-up without one has none, whatever other flags come between")
    func pairsByPosition() throws {
        let arguments = ["delegation", "log", "--title", "T", "--follow-up", "No due", "--follow-up=Due June", "--host", "fat",
                         "--due", "2027-06", "--follow-up", "Due July", "--due=2027-07", "--db", "x.sqlite"]
        #expect(try due.pairs(flags: ["No due", "Due June", "Due July"], qualifiers: 2, in: arguments) == [nil, 0, 1])
        #expect(try due.pairs(flags: [], qualifiers: 0, in: ["delegation", "log", "--title", "T"]) == [])
    }

    @Test("a --due before any --follow-up, or two after one, is refused as unclear")
    func ambiguous() {
        #expect {
            try due.pairs(flags: ["A"], qualifiers: 1, in: ["--due", "2027-06", "--follow-up", "A"])
        } throws: { "\($0)".contains("--due 2027-06 comes before any --follow-up") }
        #expect {
            try due.pairs(flags: ["A"], qualifiers: 2, in: ["--follow-up", "A", "--due", "2027-06", "--due", "2027-07"])
        } throws: { "\($0)".contains("--follow-up \"A\" is followed by two --due values (2027-06 and 2027-07)") }
    }

    @Test("after --, nothing is a flag")
    func terminator() throws {
        #expect(try due.pairs(flags: ["A"], qualifiers: 0, in: ["--follow-up", "A", "--", "--due"]) == [nil])
    }

    @Test("delegation log: \"No due\" stays undated and \"Due June\" gets June, as written")
    func delegationLog() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        try cli.run("init", "--seed", "--home", "ue")
        let logged = try cli.run("delegation", "log", "--title", "Trip", "--start", "2027-03",
                                 "--follow-up", "No due", "--follow-up", "Due June", "--due", "2027-06")
        #expect(logged.status == 0, "\(logged.stderr)")
        #expect(logged.stdout.contains(": No due\n") && logged.stdout.contains(": Due June (due 2027-06)\n"), "\(logged.stdout)")
        let id = try #require(logged.stdout.split(separator: " ").dropFirst(2).first).dropLast()
        let edited = try cli.run("delegation", "edit", String(id), "--follow-up", "Due August", "--due", "2027-08", "--follow-up", "Undated")
        #expect(edited.status == 0, "\(edited.stderr)")
        let shown = try cli.run("delegation", "show", String(id), "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        let followUps = try #require(object["follow_ups"] as? [[String: Any]])
        #expect(followUps.map { $0["text"] as? String } == ["No due", "Due June", "Due August", "Undated"])
        #expect(followUps.map { $0["due"] as? String } == [nil, "2027-06", "2027-08", nil])
    }

    @Test("activity log pairs the same way")
    func activityLog() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        try cli.run("init", "--seed", "--home", "ue")
        let logged = try cli.run("activity", "log", "--kind", "call", "--title", "Call", "--start", "2027-01",
                                 "--follow-up", "Send notes", "--due", "2027-02", "--follow-up", "Someday")
        #expect(logged.status == 0, "\(logged.stderr)")
        #expect(logged.stdout.contains(": Send notes (due 2027-02)\n") && logged.stdout.contains(": Someday\n"), "\(logged.stdout)")
    }

    @Test("site add: each --since dates the --union before it")
    func siteUnions() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        try cli.run("init", "--seed", "--home", "ue")
        let added = try cli.run("site", "add", "Plant Y", "--employer", "wabtec", "--country", "IT",
                                "--union", "fiom", "--since", "2020", "--union", "cgt", "--since", "2021", "--union", "unite")
        #expect(added.status == 0, "\(added.stderr)")
        let id = try #require(added.stdout.split(separator: " ").last).dropLast(2)
        let shown = try cli.run("site", "show", String(id), "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        let unions = try #require(object["unions"] as? [[String: Any]])
        let since = Dictionary(uniqueKeysWithValues: unions.map { ($0["organization"] as? String ?? "", $0["since"] as? String) })
        #expect(since == ["fiom": "2020", "cgt": "2021", "unite": nil], "\(shown.stdout)")
    }
}
