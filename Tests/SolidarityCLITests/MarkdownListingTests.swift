import Foundation
import SolidarityTestSupport
import Testing

/// `--format md` listings escape names as the appendix does, so a reader of the Markdown sees them as text.
@Suite("Markdown listings escape HTML and Markdown")
struct MarkdownListingTests {
    @Test("an organization named <b>Union</b> is text in `org list --format md`, not a tag, as markdown-it-py reads it")
    func htmlIsText() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        try cli.run("init", "--seed", "--home", "ue")
        let names = ["<b>Union</b>", "*Local* 506", "[Click](http://example.org)", "Union &amp; Guild", "~~Old~~ Union"]
        for (n, name) in names.enumerated() {
            let added = try cli.run("org", "add", name, "--handle", "awkward-\(n)", "--country", "US")
            #expect(added.status == 0, "\(added.stderr)")
        }
        let listed = try cli.run("org", "list", "--format", "md")
        #expect(listed.status == 0)
        let file = cli.folder.appendingPathComponent("list.md").path
        try listed.stdout.write(toFile: file, atomically: true, encoding: .utf8)
        let output = try PythonChecker.run("""
            import sys, json
            from markdown_it import MarkdownIt
            md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
            text = open(sys.argv[1], encoding="utf-8").read()
            tokens = md.parse(text)
            cells = [token for token in tokens if token.type == "inline"]
            markup = sorted({child.type for token in cells for child in token.children if child.type not in ("text", "softbreak")})
            print(json.dumps({"html": md.render(text), "cells": [token.content and "".join(c.content for c in token.children) for token in cells],
                              "markup": markup}))
            """, arguments: [file])
        let result = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let cells = result["cells"] as? [String] ?? []
        for name in names { #expect(cells.contains(name), "\(name) not shown as text") }
        #expect(result["markup"] as? [String] == [], "read as markup: \(result["markup"] ?? "")")
        let html = result["html"] as? String ?? ""
        #expect(html.contains("&lt;b&gt;Union&lt;/b&gt;") && !html.contains("<b>"))
    }
}
