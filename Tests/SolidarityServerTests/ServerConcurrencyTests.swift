import Foundation
import Testing

/// What the command line's processes did while the API was written to, gathered across threads.
final class CommandRuns: @unchecked Sendable {
    // `runs`, `failures` and `over` are read and changed only with `lock` held.
    private let lock = NSLock()
    private var runs: [(String, ServerHarness.Result)] = []
    private var failures: [String] = []
    private var over = false

    func record(_ label: String, _ result: ServerHarness.Result) { lock.withLock { runs.append((label, result)) } }
    func fail(_ message: String) { lock.withLock { failures.append(message) } }
    /// Says that every command has run.
    func finish() { lock.withLock { over = true } }
    var finished: Bool { lock.withLock { over } }
    var results: [(label: String, result: ServerHarness.Result)] { lock.withLock { runs } }
    var errors: [String] { lock.withLock { failures } }
}

/// The command line and the API writing the same database file at the same time.
@Suite("The server beside the command line", .serialized)
struct ServerConcurrencyTests {
    /// Organizations each command-line writer adds, and the fewest each API client adds.
    static let writes = 25

    @Test("four API clients and two command-line writers adding organizations at once: every write is there, none answered 5xx, no command failed, no lock error reached anyone",
          .timeLimit(.minutes(10)))
    func commandLineAndAPIAtOnce() async throws {
        let server = try ServerHarness()
        let token = try server.token(for: "maria", role: "editor")
        try server.start()
        @Sendable func post(_ name: String) async throws -> (String, ServerHarness.Response) {
            (name, try await server.request("POST", "/api/organizations", token: token, json: ["name": name, "kind": "union", "country": "BR", "parent": "ue"]))
        }

        // The API writes first, then goes on writing until every command has run (past its share, one
        // write per command), and once more after: each command's write falls among the API's.
        var answers = [try await post("Union api-first")]
        let commands = CommandRuns()
        let running = DispatchGroup()
        for writer in ["cli-a", "cli-b"] {
            running.enter()
            Thread {
                defer { running.leave() }
                for i in 0..<Self.writes {
                    let name = "Union \(writer) \(i)"
                    do { commands.record(name, try server.cliArray(["org", "add", name, "--country", "MX", "--parent", "ue"])) } catch { commands.fail("\(name): \(error)") }
                }
            }.start()
        }
        running.notify(queue: .global()) { commands.finish() }
        answers += try await withThrowingTaskGroup(of: [(String, ServerHarness.Response)].self) { group in
            for client in ["api-a", "api-b", "api-c", "api-d"] {
                group.addTask {
                    var answers: [(String, ServerHarness.Response)] = []
                    while answers.count < Self.writes || !commands.finished {
                        answers.append(try await post("Union \(client) \(answers.count)"))
                        // Past its share, one write per command that ends, until the last has.
                        let ended = commands.results.count
                        while answers.count >= Self.writes, !commands.finished, commands.results.count == ended {
                            try await Task.sleep(for: .milliseconds(20))
                        }
                    }
                    answers.append(try await post("Union \(client) \(answers.count)"))
                    return answers
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let (status, log) = server.stop()

        #expect(answers.count > 4 * Self.writes)
        for (name, answer) in answers {
            #expect(answer.status == 201, "\(name): \(answer.status) \(answer.text)")
            #expect(!answer.text.lowercased().contains("locked") && !answer.text.lowercased().contains("busy"), "\(name): \(answer.text)")
        }
        #expect(commands.errors.isEmpty, "\(commands.errors)")
        #expect(commands.results.count == 2 * Self.writes)
        for (name, result) in commands.results {
            #expect(result.status == 0, "\(name): exit \(result.status): \(result.stderr)")
            let said = result.stderr.lowercased()
            #expect(!said.contains("locked") && !said.contains("busy"), "\(name): \(result.stderr)")
        }
        #expect(status == 0)
        #expect(!log.lowercased().contains("locked"), "\(log)")
        let lines = ServerHarness.LogLine.all(log)
        #expect(lines.count == answers.count)
        #expect(lines.allSatisfy { $0.status == 201 }, "\(lines.filter { $0.status != 201 })")

        let organizations = try server.cliArray(["org", "list", "--parent", "ue", "--format", "json"]).expectSuccess().array()
        let names = Set(organizations.compactMap { $0["name"] as? String }.filter { $0.hasPrefix("Union ") })
        let expected = Set(answers.map(\.0) + commands.results.map(\.label))
        #expect(names == expected, "missing: \(expected.subtracting(names).sorted())")
        #expect(expected.count == answers.count + 2 * Self.writes)
        // The history has one change per write, each with its author, the command line's among the API's.
        let byTheAPI = try server.cliArray(["history", "--format", "json"]).expectSuccess().array()
            .filter { ["org add", "POST /api/organizations"].contains($0["operation"] as? String) }.reversed().map { $0["who"] as? String == "maria" }
        #expect(byTheAPI.filter { $0 }.count == answers.count)
        #expect(byTheAPI.filter { !$0 }.count == 2 * Self.writes)
        #expect(byTheAPI.first == true && byTheAPI.last == true, "the API wrote before the first command and after the last")
        let verified = try server.cliArray(["history", "verify"])
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
    }
}
