import Foundation
import Testing
@testable import SolidarityCLI

/// The in-process runner stands in for the binary only if both give the same bytes and statuses.
@Suite("A command run in-process prints and exits as the binary does")
struct InProcessTests {
    @Test("a listing, a usage error, a refused request and --help: the same stdout, stderr and status in-process and from the binary")
    func sameAsTheBinary() throws {
        let binary = try CommandLine(), inProcess = try CommandLine.inProcess()
        defer { binary.cleanUp(); inProcess.cleanUp() }
        for cli in [binary, inProcess] { try #require(try cli.run("init", "--seed", "--home", "ue").status == 0) }
        let cases: [[String]] = [
            ["org", "list", "--country", "MX"], ["org", "list", "--format", "csv"], ["relationship", "list", "--org", "ue", "--format", "json"],
            ["org", "list", "--format", "yaml"], ["org", "show", "no-such-union"], ["person", "add"],
            ["delegation", "log", "--title", "T", "--due", "2027-06", "--follow-up", "A"],
            ["org", "--help"], ["--version"],
        ]
        for arguments in cases {
            let expected = try binary.run(arguments), got = try inProcess.run(arguments)
            #expect(got.status == expected.status, "\(arguments)")
            #expect(got.stdout == expected.stdout.replacingOccurrences(of: binary.db, with: inProcess.db), "\(arguments)")
            #expect(got.stderr == expected.stderr.replacingOccurrences(of: binary.db, with: inProcess.db), "\(arguments)")
        }
    }

    @Test("runs side by side each read their own arguments: every --due dates its own run's follow-up")
    func runsSideBySide() async throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        try #require(try cli.run("init", "--seed", "--home", "ue").status == 0)
        let results = await withTaskGroup(of: (Int, CommandLine.Result).self) { group in
            for month in 1...8 {
                group.addTask {
                    (month, InProcess.execute(["activity", "log", "--kind", "call", "--title", "Call \(month)", "--start", "2027-01",
                                                "--follow-up", "Notes \(month)", "--due", "2027-0\(month)", "--no-notify", "--db", cli.db]))
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        for (month, result) in results {
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains(": Notes \(month) (due 2027-0\(month))\n"), "\(result.stdout)")
        }
    }
}
