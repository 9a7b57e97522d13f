import Foundation
import Testing

@Suite("Listings streamed as the database yields them")
struct ListingStreamTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/listings.txt")

    /// The listings that stream, each with a filter that takes another path through Core.
    static let listings: [[String]] = [
        ["org", "list"], ["org", "list", "--country", "BR"], ["person", "list"], ["person", "list", "--org", "ue"],
        ["relationship", "list"], ["relationship", "list", "--org", "ue"], ["site", "list"], ["delegation", "list"],
        ["activity", "list"], ["activity", "list", "--org", "nobody-has-this-handle-xyz"], ["org", "list", "--country", "AQ"],
        ["search", "solidarity"], ["employer", "list"],
    ]

    @Test("every streamed listing prints, in every format, the bytes the whole listing printed at once did")
    func sameBytes() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        try #require(try cli.run("init", "--seed", "--home", "ue").status == 0)
        // Cells that CSV quotes and Markdown escapes, and a line break the table folds.
        try #require(try cli.run("org", "add", "Sindicato \"Uno\", Dos | Tres", "--country", "BR",
                                 "--notes", "first line\nsecond, \"quoted\" line | piped \\ backslash").status == 0)
        var text = ""
        for listing in Self.listings {
            for format in ["table", "json", "csv", "md"] {
                let result = try cli.run(listing + ["--format", format])
                text += "$ \((listing + ["--format", format]).joined(separator: " ")) → exit \(result.status)\n\(result.stdout)\(result.stderr)\n"
            }
        }
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" { try text.write(to: Self.golden, atomically: true, encoding: .utf8) }
        let expected = try String(contentsOf: Self.golden, encoding: .utf8)
        #expect(text == expected, "listings differ from Golden/listings.txt (recorded from the listings before they streamed)")
    }
}
