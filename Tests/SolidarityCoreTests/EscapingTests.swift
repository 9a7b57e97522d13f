import Foundation
import SolidarityTestSupport
import Testing
@testable import SolidarityCore

/// Names and notes that look like markup are shown as text in every output that is read by
/// another program: Mermaid diagrams and Markdown.
@Suite("Outputs that escape: Mermaid labels and Markdown text")
struct EscapingTests {
    /// Text that Mermaid or Markdown would otherwise take for markup.
    static let awkward = [
        "<b>Union</b>", "Union <east>", "Local #2; of the union", "\"Quoted\" Workers", "A | B", "*Local* 506", "_under_ score", "member_of snake_case_name", "a_b_",
        "[link](http://example.org)", "`code`", "&lt; is not <", "AT&T & R&D", "~~struck~~", "# heading", "back\\slash",
        "100% union", "$$x^2$$", "Sindicato Ñandú 全労連",
    ]

    @Test("a Mermaid label writes <, >, #, ;, \", | and the other characters Mermaid reads as entity codes")
    func mermaidEntityCodes() {
        #expect(NetworkGraph.mermaidText("Union <east>") == "Union #lt;east#gt;")
        #expect(NetworkGraph.mermaidText("Local #2; of the union") == "Local #35;2#59; of the union")
        #expect(NetworkGraph.mermaidText("\"Quoted\" A | B & C") == "#quot;Quoted#quot; A #124; B #amp; C")
        #expect(NetworkGraph.mermaidText("`x` 100% $$y$$ a\\b") == "#96;x#96; 100#37; #36;#36;y#36;#36; a#92;b")
        #expect(NetworkGraph.mermaidText("line\nbreak") == "line break")
        for text in Self.awkward {
            let written = NetworkGraph.mermaidText(text)
            // What is left of '#' is only the entity codes' own: every '#' begins one, every code ends in ';'.
            #expect(!written.contains { "<>\"|`%\\$&\n".contains($0) }, "\(written)")
            #expect(Self.decodeMermaid(written) == text.replacingOccurrences(of: "\n", with: " "), "\(written)")
        }
    }

    /// What Mermaid shows for a label: each `#name;` or `#number;` as its character.
    static func decodeMermaid(_ text: String) -> String {
        let names = ["quot": "\"", "lt": "<", "gt": ">", "amp": "&"]
        var shown = ""
        var rest = text[...]
        while let hash = rest.firstIndex(of: "#") {
            shown += rest[..<hash]
            let code = rest[rest.index(after: hash)...].prefix { $0 != ";" }
            shown += names[String(code)] ?? Int(code).flatMap(Unicode.Scalar.init).map { String(Character($0)) } ?? "?"
            rest = rest[rest.index(hash, offsetBy: code.count + 2)...]
        }
        return shown + rest
    }

    @Test("the flowchart of an organization named <east> #2; shows the name, not a tag or a control character")
    func mermaidGraph() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        _ = try store.addOrganization(Organization(handle: "east", name: "Workers' Union <east> #2;", country: "MX"))
        _ = try store.relate(Relationship(from: "ue", to: "east", kind: .ally, status: .active))
        let lines = try store.graph(.organization("east")).mermaid.split(separator: "\n")
        #expect(lines.contains("    org_east(\"Workers' Union #lt;east#gt; #35;2#59;\")"), "\(lines)")
    }

    @Test("Markdown text escapes markup: markdown-it-py shows every awkward name as the text it is")
    func markdownReadsAsText() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let table = (["| name |", "| --- |"] + Self.awkward.map { "| " + MarkdownText.escaped($0, lineBreak: "<br>") + " |" }).joined(separator: "\n")
        let paragraphs = Self.awkward.map { MarkdownText.escaped($0) }.joined(separator: "\n\n")
        let file = folder.path("input.json")
        try JSONSerialization.data(withJSONObject: ["table": table, "paragraphs": paragraphs]).write(to: URL(fileURLWithPath: file))
        let output = try PythonChecker.run("""
            import sys, json
            from markdown_it import MarkdownIt
            given = json.load(open(sys.argv[1], encoding="utf-8"))
            md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
            def texts(source):
                tokens = md.parse(source)
                found, kinds = [], set()
                for token in tokens:
                    if token.type == "inline":
                        found.append("".join(child.content for child in token.children if child.type in ("text", "code_inline")))
                        kinds.update(child.type for child in token.children)
                    else:
                        kinds.add(token.type)
                return found, sorted(kinds)
            cells, cell_kinds = texts(given["table"])
            paragraphs, paragraph_kinds = texts(given["paragraphs"])
            print(json.dumps({"cells": cells[1:], "cell_kinds": cell_kinds, "paragraphs": paragraphs, "paragraph_kinds": paragraph_kinds}))
            """, arguments: [file])
        let result = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(result["cells"] as? [String] == Self.awkward)
        #expect(result["paragraphs"] as? [String] == Self.awkward)
        let allowed: Set = ["text", "table_open", "thead_open", "tr_open", "th_open", "th_close", "tr_close", "thead_close", "tbody_open", "td_open",
                            "td_close", "tbody_close", "table_close", "paragraph_open", "paragraph_close", "inline"]
        for key in ["cell_kinds", "paragraph_kinds"] {
            let kinds = Set(result[key] as? [String] ?? ["missing"])
            #expect(kinds.isSubset(of: allowed), "markup read in \(key): \(kinds.subtracting(allowed).sorted())")
        }
    }

    @Test("a line break in Markdown is a space in running text and <br> in a table cell")
    func lineBreaks() {
        #expect(MarkdownText.escaped("one\ntwo\r\nthree\rfour") == "one two three four")
        #expect(MarkdownText.escaped("one\ntwo", lineBreak: "<br>") == "one<br>two")
        #expect(MarkdownText.escaped("Plain words, stay as they are.") == "Plain words, stay as they are.")
    }
}
