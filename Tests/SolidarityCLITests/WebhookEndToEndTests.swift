import Foundation
import SolidarityTestSupport
import Testing

/// `solidarity webhook …` run as a user runs it, against a real receiver on loopback.
@Suite("Webhooks, end to end", .serialized)
struct WebhookEndToEndTests {
    /// A seeded database with one endpoint for `receiver`, whose printed secret the receiver trusts.
    func seeded(for receiver: Receiver, events: [String] = []) throws -> (cli: CommandLine, secret: String) {
        let cli = try CommandLine()
        try cli.run("init", "--seed", "--home", "ue")
        let added = try cli.run(["webhook", "add", receiver.url, "--description", "test receiver"] + events.flatMap { ["--event", $0] })
        #expect(added.status == 0, "\(added.stderr)")
        let secret = try #require(added.stdout.split(whereSeparator: \.isWhitespace).map(String.init).first { $0.hasPrefix("whsec_") })
        try receiver.trust([secret])
        return (cli, secret)
    }

    /// The deliveries as `webhook deliveries --format json` prints them.
    func deliveries(_ cli: CommandLine) throws -> [[String: Any]] {
        let listed = try cli.run("webhook", "deliveries", "--format", "json")
        #expect(listed.status == 0, "\(listed.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
    }

    @Test("a logged delegation goes out right after the command, signed; the secret is printed once and never listed")
    func immediateDelivery() throws {
        let receiver = try Receiver()
        defer { receiver.stop() }
        let (cli, secret) = try seeded(for: receiver, events: ["delegation.logged"])
        defer { cli.cleanUp() }
        let listed = try cli.run("webhook", "list", "--format", "json")
        #expect(listed.stdout.contains(receiver.url) && !listed.stdout.contains(secret) && !listed.stdout.contains("whsec_"))

        let logged = try cli.run("delegation", "log", "--title", "Delegation to the KCTU", "--to", "KR", "--host", "kctu", "--start", "2026-05")
        #expect(logged.status == 0 && logged.stderr.isEmpty, "\(logged.stderr)")
        let requests = try receiver.requests()
        #expect(requests.count == 1)
        #expect(requests.first?.type == "delegation.logged" && requests.first?.verified == [true])
        #expect(try deliveries(cli).map { $0["status"] as? String } == ["delivered"])
    }

    @Test("a receiver that is down leaves the event queued: the command succeeds and says so in one line")
    func receiverDown() throws {
        let receiver = try Receiver()
        let (cli, _) = try seeded(for: receiver)
        defer { cli.cleanUp() }
        receiver.stop()
        let logged = try cli.run("delegation", "log", "--title", "Delegation to the KCTU", "--to", "KR")
        #expect(logged.status == 0)
        let lines = logged.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("queued for `solidarity webhook deliver`"), "\(logged.stderr)")
        let queued = try deliveries(cli)
        #expect(queued.count == 1 && queued[0]["status"] as? String == "pending" && queued[0]["attempts"] as? Int == 1)
    }

    @Test("deliver killed with SIGKILL in the middle of an attempt loses nothing: the next deliver sends it")
    func killedMidRun() throws {
        let receiver = try Receiver(plan: [.init(status: 200, delay: 30), .init(status: 200)])
        defer { receiver.stop() }
        let (cli, _) = try seeded(for: receiver)
        defer { cli.cleanUp() }
        #expect(try cli.run("delegation", "log", "--title", "Delegation to Zenroren", "--to", "JP", "--no-notify").status == 0)
        #expect(try receiver.requests().isEmpty, "--no-notify sends nothing")

        let deliver = Process()
        deliver.executableURL = CommandLine.binary
        deliver.arguments = ["webhook", "deliver", "--db", cli.db]
        deliver.standardOutput = FileHandle.nullDevice
        deliver.standardError = FileHandle.nullDevice
        try deliver.run()
        let deadline = Date().addingTimeInterval(20)
        while try receiver.requests().isEmpty, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        try #require(try receiver.requests().count == 1, "the receiver got the first attempt")
        kill(deliver.processIdentifier, SIGKILL)
        deliver.waitUntilExit()
        #expect(deliver.terminationReason == .uncaughtSignal)

        let queued = try deliveries(cli)
        #expect(queued.count == 1 && queued[0]["status"] as? String == "pending")
        let again = try cli.run("webhook", "deliver")
        #expect(again.status == 0 && again.stdout.contains("Delivered 1"), "\(again.stdout)\(again.stderr)")
        let requests = try receiver.requests()
        #expect(requests.count == 2 && requests[0].id == requests[1].id, "at least once, under one webhook-id")
        #expect(requests.allSatisfy { $0.verified == [true] })
        #expect(try deliveries(cli).map { $0["status"] as? String } == ["delivered"])
        #expect(try cli.run("webhook", "deliver").stdout.contains("Delivered 0"), "nothing is sent twice once delivered")
    }

    @Test("webhook test sends webhook.test now; disable, enable, rotate-secret and remove work by id")
    func endpointLifecycle() throws {
        let receiver = try Receiver()
        defer { receiver.stop() }
        let (cli, old) = try seeded(for: receiver)
        defer { cli.cleanUp() }
        let listed = try cli.run("webhook", "list", "--format", "csv")
        let id = try #require(listed.stdout.split(separator: "\r\n").dropFirst().first?.split(separator: ",").first.map(String.init))

        let tested = try cli.run("webhook", "test", id)
        #expect(tested.status == 0 && tested.stdout.contains("Delivered"), "\(tested.stderr)")
        #expect(try receiver.requests().last?.type == "webhook.test")

        #expect(try cli.run("webhook", "disable", id).status == 0)
        #expect(try cli.run("org", "add", "Korean Metal Workers' Union", "--acronym", "KMWU", "--country", "KR").status == 0)
        #expect(try receiver.requests().count == 1, "a disabled endpoint receives nothing")
        #expect(try cli.run("webhook", "enable", id).status == 0)

        let rotated = try cli.run("webhook", "rotate-secret", id)
        let new = try #require(rotated.stdout.split(whereSeparator: \.isWhitespace).map(String.init).first { $0.hasPrefix("whsec_") })
        #expect(new != old)
        try receiver.trust([old, new])
        #expect(try cli.run("webhook", "test", id).status == 0)
        #expect(try receiver.requests().last?.verified == [true, true])

        #expect(try cli.run("webhook", "remove", id).status == 0)
        #expect(try cli.run("webhook", "list", "--format", "json").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
    }
}
