import Foundation
import Testing

@Suite("Messages quote an excerpt of what they were given")
struct MessageExcerptTests {
    /// Longer than any message needs; far shorter than the input quoted.
    static let longest = 2_000

    @Test("huge arguments, a 5 MB CSV header and a 5 MB unknown JSON key are refused in a few lines", .timeLimit(.minutes(3)))
    func shortMessages() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        try #require(try cli.run("init", "--seed", "--home", "ue").status == 0)
        // Just under the 100,000 characters an argument may hold (longer ones are refused, quoted in
        // an excerpt, before any command looks at them).
        let huge = String(repeating: "Solidaridad", count: 9_000)
        let word = String(repeating: "x", count: 99_000)
        let header = String(repeating: "n", count: 5 << 20) + ",name\n"
        let csv = cli.folder.appendingPathComponent("wide.csv").path
        try Data((header + "Sindicato Uno\n").utf8).write(to: URL(fileURLWithPath: csv))
        let key = String(repeating: "k", count: 5 << 20)
        let json = cli.folder.appendingPathComponent("key.json").path
        try Data(#"{"format": "solidarity/1", "\#(key)": 1, "organizations": [{"name": "Uno", "\#(key)": 2}]}"#.utf8)
            .write(to: URL(fileURLWithPath: json))
        let cases: [[String]] = [
            ["org", "show", huge], ["org", "show", word], ["person", "show", huge], ["org", "edit", huge, "--city", "Lyon"],
            ["org", "add", "Uno", "--country", word], ["org", "add", "Uno", "--region", word],
             ["org", "add", "Uno", "--members", word], ["org", "add", "Uno", "--alias", "Uno@" + word],
            ["org", "add", "Uno", "--native-name", word], ["org", "add", "Uno", "--handle", word], ["org", "list", "--campaign", word],
            ["person", "add", "Ana", "--email", word], ["person", "add", "Ana", "--lang", word], ["person", "add", "Ana", "--title", word, "--at", "ue"],
            ["relate", word, "ally", "ue"], ["relate", "ue", word, "fat"], ["site", "list", "--employer", word], ["employer", "show", word],
            ["activity", "list", "--since", word], ["delegation", "show", word], ["activity", "show", word],
            ["followup", "done", word], ["convention", "show", word], ["resolution", "show", huge], 
            ["webhook", "add", word], ["webhook", "add", "https://example.org/h", "--events", word],
            ["webhook", "replay", word], ["org", "add", "Uno", "--source", word], 
            ["import", "--csv", csv, "--as", "organizations"], ["import", json], ["timeline", word], ["graph", "--org", "nobody-" + word],
        ]
        for arguments in cases {
            let result = try cli.run(arguments + ["--no-notify"])
            let label = arguments.map { $0.count > 40 ? String($0.prefix(20)) + "…(\($0.count))" : $0 }.joined(separator: " ")
            #expect(result.status != 0, "\(label) was not refused")
            #expect(result.stderr.utf8.count <= Self.longest, "\(label): \(result.stderr.utf8.count) bytes on stderr: \(result.stderr.prefix(300))")
        }
    }
}
