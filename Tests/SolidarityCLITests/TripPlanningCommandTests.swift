import Foundation
import Testing

/// Trips that plan themselves, through the binary: dates far in the future (2099) and in the past
/// (2020) stand for "after today" and "passed" whatever day the tests run.
@Suite("Trips that plan themselves, on the command line")
struct TripPlanningCommandTests {
    /// The id in "Logged delegation ID: …".
    func loggedID(_ result: CommandLine.Result) throws -> String {
        let words = result.stdout.split(separator: " ")
        #expect(result.status == 0, "\(result.stderr)")
        return String(try #require(words.count > 2 ? words[2] : nil).dropLast())
    }

    /// The status line of `show ID` under `family` (delegation or activity).
    func status(_ cli: CommandLine, _ family: String, _ id: String) throws -> String? {
        try cli.run(family, "show", id).stdout.split(separator: "\n").first { $0.hasPrefix("status ") }
            .map { $0.dropFirst("status".count).trimmingCharacters(in: .whitespaces) }
    }

    @Test("delegation log and activity log of something after today default to planned; a past one to done")
    func logDefaults() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        try cli.run("init", "--seed", "--home", "ue")
        let ahead = try loggedID(try cli.run("delegation", "log", "--title", "Delegation to Brazil", "--to", "BR", "--start", "2099-05"))
        #expect(try status(cli, "delegation", ahead) == "planned")
        let call = try loggedID(try cli.run("activity", "log", "--kind", "call", "--title", "Call with Unifor", "--start", "2099"))
        #expect(try status(cli, "activity", call) == "planned")
        let behind = try loggedID(try cli.run("activity", "log", "--kind", "meeting", "--title", "Meeting in Chicago", "--start", "2020-03"))
        #expect(try status(cli, "activity", behind) == "done")
    }

    @Test("--status done for an activity that has not started is refused with the reason (exit 64), nothing written")
    func doneTooSoon() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        try cli.run("init", "--seed", "--home", "ue")
        let before = try cli.dump()
        for kind in [["delegation", "log"], ["activity", "log", "--kind", "webinar"]] {
            let refused = try cli.run(kind + ["--title", "Too soon", "--start", "2099-05", "--status", "done"])
            #expect(refused.status == 64)
            #expect(refused.stderr.contains("cannot be logged as done: it starts 2099-05, after today"), "\(refused.stderr)")
        }
        #expect(try cli.dump() == before)
    }

    @Test("followup list and stale name the planned activities whose dates have passed")
    func pastPlansListed() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        try cli.run("init", "--seed", "--home", "ue")
        let id = try loggedID(try cli.run("delegation", "log", "--title", "Trip to Korea", "--start", "2020-11", "--status", "planned"))
        for command in [["followup", "list"], ["stale"], ["followup", "list", "--format", "json"]] {
            let result = try cli.run(command)
            #expect(result.status == 0)
            #expect(result.stderr.contains("\(id)  Trip to Korea (delegation): planned for 2020-11, now past: mark it done or cancelled"), "\(command): \(result.stderr)")
        }
        #expect(try cli.run("followup", "list", "--format", "json").stdout == "[]\n", "the listing itself keeps to follow-ups")
        try cli.run("delegation", "edit", id, "--status", "done")
        #expect(!(try cli.run("stale").stderr.contains("Trip to Korea")))
    }

    @Test("cancelling a delegation closes its open follow-ups, says how many, and followup list --all still shows them")
    func cancelClosesFollowUps() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        try cli.run("init", "--seed", "--home", "ue")
        let logged = try cli.run("delegation", "log", "--title", "Trip to Japan", "--start", "2099-08",
                                 "--follow-up", "Book flights", "--due", "2099-06", "--follow-up", "Ask for visas")
        let id = try loggedID(logged)
        #expect(logged.stderr.contains("Recorded as planned: it starts after today. Once it has happened: solidarity delegation edit \(id) --status done"), "\(logged.stderr)")
        #expect(try cli.run("followup", "list").stdout.contains("Book flights"))
        let cancelled = try cli.run("delegation", "edit", id, "--status", "cancelled")
        #expect(cancelled.status == 0, "\(cancelled.stderr)")
        #expect(cancelled.stdout.contains("Cancelled with it: 2 open follow-ups"), "\(cancelled.stdout)")
        let shown = try cli.run("delegation", "show", id).stdout
        #expect(shown.contains("(due 2099-06) cancelled ") && shown.contains("Ask for visas cancelled "), "\(shown)")
        let open = try cli.run("followup", "list")
        #expect(!open.stdout.contains("Book flights") && !open.stdout.contains("Ask for visas"))
        let all = try cli.run("followup", "list", "--all", "--format", "json")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["text"] as? String } == ["Book flights", "Ask for visas"])
        #expect(rows.allSatisfy { $0["cancelled"] is String && $0["done"] is NSNull })
        // The DUE column reads "2099-06 cancelled DAY", or "cancelled DAY" alone when none was due.
        let table = try cli.run("followup", "list", "--all").stdout
        #expect(table.contains("  2099-06 cancelled "), "\(table)")
        #expect(table.contains("  cancelled ") && !table.contains("   cancelled"), "\(table)")
    }

    @Test("init --home with an organization found nowhere says so, points to --seed or org add, and creates no file")
    func initUnknownHome() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        let plain = try cli.run("init", "--home", "ue")
        #expect(plain.status == 1)
        #expect(plain.stderr.contains("--seed") && plain.stderr.contains("org add"), "\(plain.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cli.db))
        let seeded = try cli.run("init", "--seed", "--home", "no-such-union")
        #expect(seeded.status == 1)
        #expect(seeded.stderr.contains("No organization \"no-such-union\" in the Seeds"), "\(seeded.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.folder.path).isEmpty, "no database nor companion file")

        try cli.run("init")
        let before = try cli.dump()
        let existing = try cli.run("init", "--home", "ue")
        #expect(existing.status == 1 && existing.stderr.contains("in the database"))
        #expect(try cli.dump() == before)
        #expect(try cli.run("init", "--seed", "--home", "ue").status == 0, "the Seeds have UE")
    }
}
