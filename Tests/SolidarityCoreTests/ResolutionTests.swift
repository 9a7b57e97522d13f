import Foundation
import SolidarityTestSupport
import GRDB
import Testing
@testable import SolidarityCore

@Suite("Resolution clauses")
struct ResolutionTextTests {
    @Test("bulleted clauses after a BE IT RESOLVED line; the preamble keeps that line")
    func bulleted() throws {
        let (preamble, clauses) = try ResolutionText.parse("""
            Workers around the world face the same conditions.
            THEREFORE, BE IT RESOLVED THAT THIS CONVENTION:
            - Reaffirms our solidarity with the FAT of Mexico;
            * Encourages locals to give
              to the Solidarity Fund;
            • Commits to exchanges.
            """)
        #expect(preamble.hasSuffix("THEREFORE, BE IT RESOLVED THAT THIS CONVENTION:"))
        #expect(clauses == ["Reaffirms our solidarity with the FAT of Mexico;", "Encourages locals to give to the Solidarity Fund;", "Commits to exchanges."])
    }

    @Test("a numbered list that ends the text, with no resolved line, blank lines between items")
    func numberedWithoutResolvedLine() throws {
        let (preamble, clauses) = try ResolutionText.parse("""
            The collective work continues.

              1. Commits to continuing our work with Unifor;

              2) Endorses joint study
                 and action with NASP partners;
              3. Calls upon the union at all levels.
            """)
        #expect(preamble == "The collective work continues.")
        #expect(clauses == ["Commits to continuing our work with Unifor;", "Endorses joint study and action with NASP partners;", "Calls upon the union at all levels."])
    }

    @Test("a clause over several unindented lines after the resolved line is one clause")
    func multiLine() throws {
        let (_, clauses) = try ResolutionText.parse("Whereas.\nBe it resolved that:\n1. Supports the strike\nat the Erie plant\nuntil it is won;\n2. Sends greetings.\n")
        #expect(clauses == ["Supports the strike at the Erie plant until it is won;", "Sends greetings."])
    }

    @Test("a text with no clauses says what the tool looks for")
    func noClauses() {
        #expect {
            try ResolutionText.parse("We support our allies everywhere.\nWe will keep doing so.")
        } throws: { ($0 as? SolidarityError)?.message.contains("BE IT RESOLVED") == true }
    }
}

@Suite("What resolutions name")
struct MentionTests {
    func names(_ clause: String, in store: Store) throws -> (named: [String], unmatched: [String]) {
        try store.read { db in
            let found = try MentionMatcher(db: db).organizations(in: clause)
            let handles = try found.mentions.map { try String.fetchOne(db, sql: "SELECT handle FROM organizations WHERE id = ?", arguments: [$0.id])! }
            return (handles, found.unmatched)
        }
    }

    @Test("acronyms are whole words in capitals; names fold case and accents; the home organization is not listed")
    func rules() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        #expect(try names("We must not cut wages or grow fat on profits; UE stands firm", in: store).named.isEmpty)
        #expect(try names("Greetings to the CUT and the FAT", in: store).named == ["cut", "fat"])
        #expect(try names("Greetings to the confederation des syndicats nationaux", in: store).named == ["csn"])
        #expect(try names("Unite the Union of the United Kingdom and the UE-FAT fund", in: store).named == ["unite", "fat"])
        #expect(try names("the FAT, then the FAT again, then Zenroren", in: store).named == ["fat", "zenroren"])
    }

    @Test("\"of Brazil\" decides between organizations sharing an acronym; an undecided one is reported")
    func ofCountry() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        _ = try store.addOrganization(Organization(name: "Central Unitaria de Trabajadores", acronym: "CUT", kind: .confederation, country: "CL"))
        #expect(try names("Solidarity with the CUT of Brazil", in: store).named == ["cut"])
        #expect(try names("Solidarity with the CUT of Chile", in: store).named == ["cut-cl"])
        let undecided = try names("Solidarity with the CUT", in: store)
        #expect(undecided.named.isEmpty && undecided.unmatched.first?.contains("more than one") == true)
    }

    @Test("names that match nothing are reported: capitals and the phrase before \"of <country>\"")
    func unmatched() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let found = try names("Reaffirms our solidarity with the SINTRAINAL of Colombia and the Mine Workers Union of South Africa", in: store)
        #expect(found.named.isEmpty)
        #expect(found.unmatched.contains("SINTRAINAL"))
        #expect(found.unmatched.contains("Mine Workers Union"))
    }

    @Test("the seeded 79th Convention resolution names the eleven allies in order, then IndustriALL")
    func seededResolution() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let resolution = try store.resolution("ue-79-international-solidarity")
        #expect(resolution.clauses.count == 7)
        #expect(resolution.namedOrganizations == ["fat", "zenroren", "unifor", "csn", "fiom", "cut", "cgt", "ntui", "kmu", "unite", "kctu", "industriall"])
        #expect(resolution.employers == ["ge", "wabtec"])
        #expect(try store.search("Hiroshima Nagasaki").contains { $0.kind == .resolution && $0.handle == "ue-79-international-solidarity" })
        let nasp = try store.resolution("ue-2021-the-north-american-solidarity-project")
        #expect(nasp.clauses.count == 3 && nasp.namedOrganizations == ["unifor", "nasp"])
    }

    @Test("adding a resolution from its text, then linking and unlinking")
    func addLinkUnlink() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let convention = try store.addConvention(Convention(organization: "ue", name: "80th UE Convention", number: 80, start: try PartialDate("2027-08")))
        #expect(convention.handle == "ue-80")
        let reading = try store.addResolution(convention: "ue-80", title: "Wabtec Workers", text: """
            Wabtec workers share one employer.
            BE IT RESOLVED:
            - Builds links with the CUT of Brazil and the FIOM of Italy;
            - Asks IndustriALL and the SINTRAINAL to help.
            """, status: .submitted)
        #expect(reading.resolution.handle == "ue-80-wabtec-workers")
        #expect(reading.resolution.clauses.map(\.organizations) == [["cut", "fiom"], ["industriall"]])
        #expect(reading.unmatched[2] == ["SINTRAINAL"])
        #expect(reading.resolution.employers == ["wabtec"])
        _ = try store.linkResolution("ue-80-wabtec-workers", organization: "cgt", clause: 2)
        #expect(try store.resolution("Wabtec Workers").namedOrganizations == ["cut", "fiom", "industriall", "cgt"])
        _ = try store.linkResolution("ue-80-wabtec-workers", organization: "fiom", clause: nil, remove: true)
        #expect(try store.resolution("ue-80-wabtec-workers").namedOrganizations == ["cut", "industriall", "cgt"])
        #expect(try store.setResolutionStatus("ue-80-wabtec-workers", .adopted).status == .adopted)
        #expect(throws: SolidarityError.self) { try store.addResolution(convention: "ue-99", title: "X", text: "- a clause") }
    }
}

@Suite("The convention resolution appendix")
struct AppendixTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("part A lists the organizations in the order the clauses name them; part B the period's delegations")
    func contents() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let appendix = try store.appendix(for: "ue-79-international-solidarity", since: try PartialDate("2023-09"))
        #expect(appendix.organizations.map(\.organization.handle) == ["fat", "zenroren", "unifor", "csn", "fiom", "cut", "cgt", "ntui", "kmu", "unite", "kctu", "industriall"])
        #expect(appendix.until.description == "2025-08")
        let delegations = appendix.activities.filter { $0.activity.kind == .delegation }.map { $0.activity.start?.description }
        #expect(delegations == ["2024-04", "2024-05", "2025-05", "2025-08"])
        #expect(appendix.organizations[0].relationship?.status == .close)
        #expect(appendix.chains.map(\.employer) == ["ge", "wabtec"])
        #expect(appendix.sources.first?.id == "ue-79-international-solidarity")
    }

    @Test("the period defaults from the previous convention to the end of this one, at the dates' precision")
    func periodDefaults() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let appendix = try store.appendix(for: "ue-79-international-solidarity")
        #expect(appendix.since.description == "2022" && appendix.until.description == "2025-08")
        #expect(try PartialDate("2025-12-31").next.description == "2026-01-01")
        #expect(try PartialDate("2024-03-01").previous.description == "2024-02-29")
        #expect {
            try store.appendix(for: "ue-2021-the-north-american-solidarity-project")
        } throws: { ($0 as? SolidarityError)?.remedy == .periodStartOrEarlierConvention(organization: "ue") }
    }

    @Test("sensitive records stay out unless asked, and the appendix says so when they are in")
    func redaction() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        _ = try store.editOrganization("kmu") { $0.sensitive = true }
        _ = try store.log(Activity(kind: .meeting, title: "Quiet meeting in Manila", start: try PartialDate("2024-09"),
                                   organizations: [.init(organization: "kmu", role: .participant)], sensitive: true))
        let redacted = try store.appendix(for: "ue-79-international-solidarity", since: try PartialDate("2023-09"))
        #expect(!redacted.organizations.contains { $0.organization.handle == "kmu" })
        #expect(!redacted.markdown.contains("Quiet meeting") && !redacted.markdown.contains("Kilusang"))
        #expect(redacted.leftOut == 2)
        let full = try store.appendix(for: "ue-79-international-solidarity", since: try PartialDate("2023-09"), includeSensitive: true)
        #expect(full.markdown.contains("Quiet meeting") && full.markdown.contains("includes records marked sensitive"))
    }

    @Test("Markdown and HTML match their golden files: same database, same bytes")
    func golden() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let appendix = try store.appendix(for: "ue-79-international-solidarity", since: try PartialDate("2023-09"))
        for (name, text) in [("appendix-ue-79.md", appendix.markdown), ("appendix-ue-79.html", appendix.html)] {
            let url = Self.root.appendingPathComponent("Tests/SolidarityCoreTests/Golden/\(name)")
            if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" { try text.write(to: url, atomically: true, encoding: .utf8) }
            let expected = try String(contentsOf: url, encoding: .utf8)
            #expect(text == expected, "\(name) differs from its golden file; if the change is intended, run UPDATE_GOLDEN=1 swift test and review the diff")
        }
    }

    /// Runs a Python checker from the test script's virtual environment and returns its output.
    func python(_ script: String, _ input: String, folder: TemporaryFolder) throws -> String {
        let file = folder.path("input")
        try input.write(toFile: file, atomically: true, encoding: .utf8)
        return try PythonChecker.run(script, arguments: [file])
    }

    @Test("markdown-it-py reads parts A to D and one table row per named organization")
    func markdownStructure() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let markdown = try store.appendix(for: "ue-79-international-solidarity", since: try PartialDate("2023-09")).markdown
        let output = try python("""
            import sys, json
            from markdown_it import MarkdownIt
            tokens = MarkdownIt("commonmark").enable("table").parse(open(sys.argv[1], encoding="utf-8").read())
            headings, rows, section = [], {}, None
            for i, t in enumerate(tokens):
                if t.type == "heading_open" and t.tag == "h2":
                    section = tokens[i + 1].content
                    headings.append(section)
                if t.type == "tr_open" and tokens[i - 1].type == "tbody_open" or t.type == "tr_open" and tokens[i - 1].type == "tr_close":
                    rows[section] = rows.get(section, 0) + 1
            print(json.dumps({"headings": headings, "rows": rows}))
            """, markdown, folder: folder)
        let result = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(result["headings"] as? [String] == ["A. Organizations named in the resolution", "B. Activities, 2023-09 to 2025-08", "C. Employer chains", "D. Sources"])
        #expect((result["rows"] as? [String: Int])?["A. Organizations named in the resolution"] == 12)
    }

    @Test("Python's html.parser reads the HTML: parts A to D, one row per named organization, no external assets")
    func htmlStructure() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let html = try store.appendix(for: "ue-79-international-solidarity", since: try PartialDate("2023-09")).html
        let output = try python("""
            import sys, json
            from html.parser import HTMLParser
            class Reader(HTMLParser):
                def __init__(self):
                    super().__init__(); self.h2 = []; self.rows = {}; self.section = None; self.in_h2 = False; self.in_body = False; self.links = []
                def handle_starttag(self, tag, attrs):
                    attrs = dict(attrs)
                    if tag == "section": self.section = attrs.get("id")
                    if tag == "h2": self.in_h2 = True; self.h2.append("")
                    if tag == "tbody": self.in_body = True
                    if tag == "tr" and self.in_body: self.rows[self.section] = self.rows.get(self.section, 0) + 1
                    for key in ("src", "href"):
                        if key in attrs and not attrs[key].startswith("#"): self.links.append(attrs[key])
                def handle_endtag(self, tag):
                    if tag == "h2": self.in_h2 = False
                    if tag == "tbody": self.in_body = False
                def handle_data(self, data):
                    if self.in_h2: self.h2[-1] += data
            r = Reader(); r.feed(open(sys.argv[1], encoding="utf-8").read())
            print(json.dumps({"h2": r.h2, "rows": r.rows, "links": r.links}))
            """, html, folder: folder)
        let result = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(result["h2"] as? [String] == ["A. Organizations named in the resolution", "B. Activities, 2023-09 to 2025-08", "C. Employer chains", "D. Sources"])
        #expect((result["rows"] as? [String: Int])?["organizations"] == 12)
        #expect((result["links"] as? [String])?.isEmpty == true)
        #expect(html.contains("@media print"))
    }
}

@Suite("The appendix written as it is compiled")
struct StreamedAppendixTests {
    /// The appendix streamed in chunks, as one text.
    static func streamed(_ store: Store, _ ref: String, since: PartialDate, until: PartialDate? = nil, includeSensitive: Bool = false,
                         format: AppendixFormat) throws -> (text: String, summary: AppendixSummary, chunks: Int) {
        var chunks: [Data] = []
        let summary = try store.appendix(for: ref, since: since, until: until, includeSensitive: includeSensitive, format: format) { chunks.append($0) }
        return (String(decoding: chunks.reduce(Data(), +), as: UTF8.self), summary, chunks.count)
    }

    @Test("the streamed Markdown and HTML are the golden files, byte for byte")
    func golden() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        for (name, format) in [("appendix-ue-79.md", AppendixFormat.markdown), ("appendix-ue-79.html", .html)] {
            let expected = try String(contentsOf: AppendixTests.root.appendingPathComponent("Tests/SolidarityCoreTests/Golden/\(name)"), encoding: .utf8)
            let written = try Self.streamed(store, "ue-79-international-solidarity", since: try PartialDate("2023-09"), format: format)
            #expect(written.text == expected, "\(name)")
            #expect(written.summary.leftOut == 0 && written.summary.note == nil)
        }
    }

    @Test("a busy period over many pages: the streamed text is the in-memory appendix's, with sensitive records left out and counted alike",
          arguments: [false, true])
    func busyPeriod(includeSensitive: Bool) throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let allies = ["fat", "zenroren", "unifor", "csn", "kmu", "kctu"]
        var activities: [String] = []
        for index in 0..<1300 {
            let month = String(format: "2024-%02d-%02d", index % 12 + 1, index % 28 + 1)
            let kind = index % 3 == 0 ? "delegation" : index % 3 == 1 ? "meeting" : "call"
            let status = index % 7 == 0 ? "planned" : index % 11 == 0 ? "cancelled" : "done"
            let org = allies[index % allies.count]
            let source = index % 4 == 0 ? "busy-source-\(index % 9)" : "ue-79-international-solidarity"
            activities.append(#"""
                {"id": "busy-\#(index)", "kind": "\#(kind)", "title": "Busy \#(kind) \#(index)", "status": "\#(status)", "start": "\#(month)",
                 "organizations": [{"organization": "\#(org)", "role": "host"}, {"organization": "ue", "role": "sender"}],
                 "people": [{"person": "\#(index % 5 == 0 ? "quiet-person" : "busy-person")", "role": "delegate"}],
                 "employers": ["\#(index % 2 == 0 ? "wabtec" : "ge")"], "sources": ["\#(source)"],
                 "sensitive": \#(index % 13 == 0)}
                """#)
        }
        let file = #"""
            {"format": "solidarity/1",
             "sources": [\#((0..<9).map { #"{"id": "busy-source-\#($0)", "title": "Busy source \#($0)"}"# }.joined(separator: ", "))],
             "people": [{"handle": "busy-person", "name": "Busy Person"}, {"handle": "quiet-person", "name": "Quiet Person", "sensitive": true}],
             "activities": [\#(activities.joined(separator: ",\n"))]}
            """#
        _ = try store.importDocument(Data(file.utf8), name: "busy.json")
        _ = try store.editOrganization("kmu") { $0.sensitive = true }
        let since = try PartialDate("2024-01")
        let appendix = try store.appendix(for: "ue-79-international-solidarity", since: since, includeSensitive: includeSensitive)
        #expect(appendix.activities.count + appendix.planned.count > 1000)
        for (format, text) in [(AppendixFormat.markdown, appendix.markdown), (.html, appendix.html)] {
            let written = try Self.streamed(store, "ue-79-international-solidarity", since: since, includeSensitive: includeSensitive, format: format)
            #expect(written.text == text)
            #expect(written.summary.leftOut == appendix.leftOut)
            #expect(written.chunks > 1)
        }
        #expect(includeSensitive ? appendix.leftOut == 0 : appendix.leftOut > 100)
        #expect(includeSensitive == appendix.markdown.contains("Quiet Person"))
        #expect(includeSensitive == appendix.markdown.contains("Busy delegation 0**"))
    }
}
