import Foundation
import Testing

/// What the command line's processes did while the API was written to, gathered across threads.
final class CommandRuns: @unchecked Sendable {
    // `runs` and `failures` are read and changed only with `lock` held.
    private let lock = NSLock()
    private var runs: [(String, ServerHarness.Result)] = []
    private var failures: [String] = []

    func record(_ label: String, _ result: ServerHarness.Result) { lock.withLock { runs.append((label, result)) } }
    func fail(_ message: String) { lock.withLock { failures.append(message) } }
    var results: [(label: String, result: ServerHarness.Result)] { lock.withLock { runs } }
    var errors: [String] { lock.withLock { failures } }
}

/// The command line and the API writing the same database file at the same time.
@Suite("The server beside the command line", .serialized)
struct ServerConcurrencyTests {
    /// Organizations each writer adds.
    static let writes = 25

    @Test("four API clients and two command-line writers adding organizations at once: every write is there, none answered 5xx, no command failed, no lock error reached anyone",
          .timeLimit(.minutes(10)))
    func commandLineAndAPIAtOnce() async throws {
        let server = try ServerHarness()
        let token = try server.token(for: "maria", role: "editor")
        try server.start()

        let commands = CommandRuns()
        let finished = DispatchGroup()
        for writer in ["cli-a", "cli-b"] {
            finished.enter()
            Thread {
                defer { finished.leave() }
                for i in 0..<Self.writes {
                    let name = "Union \(writer) \(i)"
                    do { commands.record(name, try server.cliArray(["org", "add", name, "--country", "MX", "--parent", "ue"])) } catch { commands.fail("\(name): \(error)") }
                }
            }.start()
        }
        let answers = try await withThrowingTaskGroup(of: [(String, ServerHarness.Response)].self) { group in
            for client in ["api-a", "api-b", "api-c", "api-d"] {
                group.addTask {
                    var answers: [(String, ServerHarness.Response)] = []
                    for i in 0..<Self.writes {
                        let name = "Union \(client) \(i)"
                        answers.append((name, try await server.request("POST", "/api/organizations", token: token,
                                                                       json: ["name": name, "kind": "union", "country": "BR", "parent": "ue"])))
                    }
                    return answers
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        await withCheckedContinuation { continuation in finished.notify(queue: .global()) { continuation.resume() } }
        let (status, log) = server.stop()

        #expect(answers.count == 4 * Self.writes)
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
        #expect(lines.count == 4 * Self.writes)
        #expect(lines.allSatisfy { $0.status == 201 }, "\(lines.filter { $0.status != 201 })")

        let organizations = try server.cliArray(["org", "list", "--parent", "ue", "--format", "json"]).expectSuccess().array()
        let names = Set(organizations.compactMap { $0["name"] as? String }.filter { $0.hasPrefix("Union ") })
        let expected = Set(["cli-a", "cli-b", "api-a", "api-b", "api-c", "api-d"].flatMap { writer in (0..<Self.writes).map { "Union \(writer) \($0)" } })
        #expect(names == expected, "missing: \(expected.subtracting(names).sorted())")
        // The history has one change per write, each with its author.
        let history = try server.cliArray(["history", "--by", "maria", "--format", "json"]).expectSuccess().array()
        #expect(history.count == 4 * Self.writes)
        // The two front ends wrote at the same time: their changes interleave in the history.
        let writes = try server.cliArray(["history", "--format", "json"]).expectSuccess().array()
            .filter { ["org add", "POST /api/organizations"].contains($0["operation"] as? String) }.reversed().map { $0["operation"] as? String }
        let turns = zip(writes, writes.dropFirst()).filter { $0 != $1 }.count
        #expect(writes.count == 6 * Self.writes)
        #expect(turns >= 2, "the command line and the API took turns \(turns) times")
        let verified = try server.cliArray(["history", "verify"])
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
    }
}
