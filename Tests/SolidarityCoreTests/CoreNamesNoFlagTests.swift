import Foundation
import Testing

@Suite("Core's sentences name no command-line flag")
struct CoreNamesNoFlagTests {
    /// Core's messages say what is wrong in the domain's words; the command line adds its flags
    /// (SolidarityCLI/Support/FlagHints.swift), another front end its own words. A string literal
    /// of Core naming a flag ("--since") would reach a JSON import or a web page that has none.
    @Test("no string literal in Sources/SolidarityCore contains a --flag")
    func noFlags() throws {
        let core = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/SolidarityCore")
        let files = try #require(FileManager.default.enumerator(at: core, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        #expect(files.count > 50, "the Core sources are where this test expects them")
        let flag = try Regex(#"(^|[\s(`\[])--[a-z][a-z-]+"#)
        var found: [String] = []
        for file in files {
            for (number, line) in try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                // Comments may speak of the command line; only what Core says to a user counts.
                guard !code.isEmpty, !code.hasPrefix("//") else { continue }
                let literal = code.split(separator: "//").first.map(String.init) ?? code
                if literal.contains(flag) { found.append("\(file.lastPathComponent):\(number + 1): \(code)") }
            }
        }
        #expect(found.isEmpty, "Core names flags:\n\(found.joined(separator: "\n"))")
    }
}
