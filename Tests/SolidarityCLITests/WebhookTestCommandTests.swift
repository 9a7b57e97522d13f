import Foundation
import SolidarityTestSupport
import Testing

/// `webhook test` and the quick attempt after a command, as the documentation describes them.
@Suite("Webhooks as documented, end to end", .serialized)
struct WebhookTestCommandTests {
    /// A seeded database with one endpoint for `receiver` (which trusts its secret), and the endpoint's id.
    func seeded(for receiver: Receiver) throws -> (cli: CommandLine, endpoint: String) {
        let cli = try CommandLine.inProcess()
        try cli.run("init", "--seed", "--home", "ue")
        let added = try cli.run("webhook", "add", receiver.url)
        #expect(added.status == 0, "\(added.stderr)")
        let secret = try #require(added.stdout.split(whereSeparator: \.isWhitespace).map(String.init).first { $0.hasPrefix("whsec_") })
        try receiver.trust([secret])
        let listed = try cli.run("webhook", "list", "--format", "csv")
        let id = try #require(listed.stdout.split(separator: "\r\n").dropFirst().first?.split(separator: ",").first.map(String.init))
        return (cli, id)
    }

    /// The deliveries as `webhook deliveries --format json` prints them.
    func deliveries(_ cli: CommandLine) throws -> [[String: Any]] {
        let listed = try cli.run("webhook", "deliveries", "--format", "json")
        return try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
    }

    @Test("webhook test sends only the test event, with or without --no-notify; the queued deliveries wait")
    func onlyTheTestEvent() throws {
        let receiver = try Receiver()
        defer { receiver.stop() }
        let (cli, endpoint) = try seeded(for: receiver)
        defer { cli.cleanUp() }
        #expect(try cli.run("org", "add", "Korean Metal Workers' Union", "--acronym", "KMWU", "--country", "KR", "--no-notify").status == 0)
        #expect(try cli.run("org", "add", "Sindicato Uno", "--country", "MX", "--no-notify").status == 0)
        for extra in [[], ["--no-notify"]] {
            let tested = try cli.run(["webhook", "test", endpoint] + extra)
            #expect(tested.status == 0 && tested.stdout.contains("Delivered"), "\(tested.stderr)")
        }
        #expect(try receiver.requests().map(\.type) == ["webhook.test", "webhook.test"])
        let waiting = try deliveries(cli).filter { $0["type"] as? String == "organization.created" }
        #expect(waiting.count == 2 && waiting.allSatisfy { $0["status"] as? String == "pending" && $0["attempts"] as? Int == 0 })
    }

    @Test("after a 410 the message says the delivery is dead and the endpoint disabled, not that it stays queued")
    func gone() throws {
        let receiver = try Receiver(plan: [.init(status: 410)])
        defer { receiver.stop() }
        let (cli, endpoint) = try seeded(for: receiver)
        defer { cli.cleanUp() }
        let tested = try cli.run("webhook", "test", endpoint)
        #expect(tested.status == 1)
        #expect(tested.stderr.contains("410 Gone") && tested.stderr.contains("dead") && tested.stderr.contains("endpoint \(endpoint) is disabled"), "\(tested.stderr)")
        #expect(!tested.stderr.contains("stays queued"))
        #expect(try cli.run("webhook", "list", "--format", "csv").stdout.contains(",false,"))

        let again = try cli.run("webhook", "test", endpoint)
        #expect(again.status == 1 && again.stderr.contains("Endpoint \(endpoint) is disabled") && again.stderr.contains("webhook enable \(endpoint)"), "\(again.stderr)")
        #expect(try deliveries(cli).count == 1, "nothing more queued for a disabled endpoint")
    }

    @Test("webhook deliver after a 410 says the delivery is dead and the endpoint disabled, and how to turn it back on")
    func goneOnDeliver() throws {
        let receiver = try Receiver(plan: [.init(status: 410)])
        defer { receiver.stop() }
        let (cli, _) = try seeded(for: receiver)
        defer { cli.cleanUp() }
        #expect(try cli.run("org", "add", "Sindicato Uno", "--country", "MX", "--no-notify").status == 0)
        let delivered = try cli.run("webhook", "deliver")
        #expect(delivered.status == 0, "\(delivered.stderr)")
        #expect(delivered.stdout.contains("dead 1"), "\(delivered.stdout)")
        #expect(delivered.stderr.contains("answered 410 Gone: its delivery is dead and the endpoint is disabled")
                    && delivered.stderr.contains("solidarity webhook enable REF"), "\(delivered.stderr)")
        let replayed = try cli.run("webhook", "replay", "--failed", "--no-notify")
        #expect(replayed.stdout.contains("Queued 1 delivery again; it goes out"), "\(replayed.stdout)")
    }

    @Test("the quick attempt after a command stops at its budget: with deliveries queued to a receiver that never answers, one is attempted")
    func quickAttempt() throws {
        let receiver = try Receiver(plan: [.init(status: 200, delay: 3600)])
        defer { receiver.stop() }
        let (cli, _) = try seeded(for: receiver)
        defer { cli.cleanUp() }
        for n in 1...3 { #expect(try cli.run("org", "add", "Sindicato \(n)", "--country", "MX", "--no-notify").status == 0) }
        let added = try cli.run("org", "add", "Sindicato 4", "--country", "MX")
        #expect(added.status == 0)
        #expect(added.stderr.contains("wait for `solidarity webhook deliver`"), "\(added.stderr)")
        let attempted = try deliveries(cli).filter { ($0["attempts"] as? Int ?? 0) > 0 }
        #expect(attempted.count == 1, "one attempt uses the whole budget; the others wait untouched")
    }
}
