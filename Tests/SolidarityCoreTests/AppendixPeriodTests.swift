import Foundation
import SolidarityCore
import Testing

/// A small union of its own, two conventions and the activities around them, so that these tests
/// do not hang on the shipped Seeds: a trip in the convention's own month, a plan after it, a trip
/// with no date, a call, a conference we attended with an ally.
private func makeUnionStore(conventions: String = #"""
    {"handle": "hu-2021", "organization": "hu", "name": "Home Union Convention, 2021", "start": "2021"},
    {"handle": "hu-79", "organization": "hu", "name": "79th Home Union Convention", "number": 79, "start": "2025-08"}
    """#) throws -> (Store, TemporaryFolder) {
    let (store, folder) = try makeStore()
    let document = #"""
        {"format": "solidarity/1",
         "organizations": [
           {"handle": "hu", "name": "Home Union", "acronym": "HU", "kind": "union", "country": "US"},
           {"handle": "far", "name": "Far Union", "acronym": "FAR", "kind": "union", "country": "JP"},
           {"handle": "near", "name": "Near Federation", "acronym": "NEAR", "kind": "union", "country": "CA"}],
         "people": [{"handle": "ana-delegada", "name": "Ana Delegada"}, {"handle": "bo-contact", "name": "Bo Contact"},
                    {"handle": "cy-speaker", "name": "Cy Speaker"}, {"handle": "di-hidden", "name": "Di Hidden"}],
         "conventions": [\#(conventions)],
         "resolutions": [{"handle": "hu-79-solidarity", "convention": "hu-79", "title": "Solidarity", "status": "adopted",
                          "clauses": [{"text": "Reaffirms our solidarity with FAR and NEAR.", "organizations": ["far", "near"]}]}],
         "activities": [
           {"id": "trip-august", "kind": "delegation", "title": "Trip to the Far Union in August", "start": "2025-08",
            "organizations": [{"organization": "far", "role": "host"}, {"organization": "hu", "role": "sender"}],
            "people": [{"person": "ana-delegada", "role": "delegate"}]},
           {"id": "trip-2024", "kind": "delegation", "title": "Trip to the Near Federation", "start": "2024-05",
            "organizations": [{"organization": "near", "role": "host"}, {"organization": "hu", "role": "sender"}]},
           {"id": "plan-november", "kind": "delegation", "title": "Planned congress trip in November", "status": "planned", "start": "2025-11",
            "organizations": [{"organization": "far", "role": "host"}, {"organization": "hu", "role": "sender"}]},
           {"id": "plan-old", "kind": "meeting", "title": "Old plan never held", "status": "planned", "start": "2020-03"},
           {"id": "plan-secret", "kind": "delegation", "title": "Secret plan in December", "status": "planned", "start": "2025-12", "sensitive": true},
           {"id": "trip-undated", "kind": "delegation", "title": "Members' trip to Cuba",
            "organizations": [{"organization": "hu", "role": "sender"}]},
           {"id": "undated-secret", "kind": "meeting", "title": "Undated secret meeting", "sensitive": true},
           {"id": "call-2025", "kind": "call", "title": "Call on tariffs", "start": "2025",
            "organizations": [{"organization": "hu", "role": "participant"}, {"organization": "near", "role": "participant"}],
            "people": [{"person": "ana-delegada", "role": "delegate"}, {"person": "bo-contact", "role": "contact"},
                       {"person": "di-hidden", "role": "interpreter"}]},
           {"id": "conference-2024", "kind": "conference", "title": "Labor conference", "start": "2024-04",
            "organizations": [{"organization": "hu", "role": "participant"}, {"organization": "far", "role": "participant"}],
            "people": [{"person": "ana-delegada", "role": "delegate"}, {"person": "cy-speaker", "role": "speaker"}]}]}
        """#
    _ = try store.importDocument(Data(document.utf8), name: "union.json")
    _ = try store.setHome("hu")
    return (store, folder)
}

@Suite("The appendix's period: from after the previous convention to the end of this one, stated in the document")
struct AppendixPeriodTests {
    @Test("by default the period ends with the convention itself (the end of its month when only the month is known), so its own month's trip is in")
    func endsWithTheConvention() throws {
        let (store, folder) = try makeUnionStore()
        defer { folder.remove() }
        let appendix = try store.appendix(for: "hu-79-solidarity")
        #expect(appendix.since.description == "2022" && appendix.until.description == "2025-08")
        #expect(appendix.activities.map(\.activity.id).contains("trip-august"))
        #expect(appendix.organizations.first { $0.organization.handle == "far" }?.activities.map(\.id).contains("trip-august") == true)
    }

    @Test("a convention with its last day ends the period on that day; one known only by its year, at the end of the year")
    func endsAtThePrecisionKnown() throws {
        for (dates, until) in [(#""start": "2025-08-11", "end": "2025-08-14""#, "2025-08-14"), (#""start": "2025""#, "2025")] {
            let (store, folder) = try makeUnionStore(conventions: #"""
                {"handle": "hu-2021", "organization": "hu", "name": "Home Union Convention, 2021", "start": "2021"},
                {"handle": "hu-79", "organization": "hu", "name": "79th Home Union Convention", "number": 79, \#(dates)}
                """#)
            defer { folder.remove() }
            #expect(try store.appendix(for: "hu-79-solidarity").until.description == until)
        }
    }

    @Test("the document states its period and the conventions it rests on, in words, in Markdown and HTML, with no command-line hint")
    func periodInWords() throws {
        let (store, folder) = try makeUnionStore()
        defer { folder.remove() }
        let appendix = try store.appendix(for: "hu-79-solidarity")
        let words = "Activities from 2022 to the end of August 2025, from after the previous convention (Home Union Convention, 2021) to the end of this one."
        #expect(appendix.period.words == words)
        #expect(appendix.period.basis == "from after hu-2021 (2021) to the end of hu-79 (2025-08)")
        #expect(appendix.markdown.contains(words), "\(appendix.markdown)")
        #expect(appendix.html.contains("<p>\(words)</p>"))
        for text in [appendix.markdown, appendix.html] { #expect(!text.contains("--since") && !text.contains("--until")) }

        let given = try store.appendix(for: "hu-79-solidarity", since: try PartialDate("2023-09"), until: try PartialDate("2025-07-31"))
        #expect(given.period.words == "Activities from September 2023 to 31 July 2025.")
        #expect(given.markdown.contains("Activities from September 2023 to 31 July 2025.") && !given.markdown.contains("previous convention"))
        #expect(given.period.basis == "from 2023-09 to 2025-07-31")
    }

    @Test("with no earlier convention recorded, the appendix is refused and the message says to give --since or record that convention")
    func noPreviousConvention() throws {
        let (store, folder) = try makeUnionStore(conventions: #"""
            {"handle": "hu-79", "organization": "hu", "name": "79th Home Union Convention", "number": 79, "start": "2025-08"}
            """#)
        defer { folder.remove() }
        #expect {
            try store.appendix(for: "hu-79-solidarity")
        } throws: { error in
            // The command line words it "Give --since … or record the earlier convention (solidarity convention add --org hu …)" (FlagHintsTests).
            (error as? SolidarityError)?.remedy == .periodStartOrEarlierConvention(organization: "hu")
        }
        #expect(try store.appendix(for: "hu-79-solidarity", since: try PartialDate("2024")).period.through?.handle == "hu-79")
    }
}

@Suite("The appendix's planned and undated activities")
struct AppendixPlansTests {
    @Test("Planned lists the plans after the period's end too, not those before its start; sensitive plans are left out and counted")
    func plansAfterThePeriod() throws {
        let (store, folder) = try makeUnionStore()
        defer { folder.remove() }
        let appendix = try store.appendix(for: "hu-79-solidarity")
        #expect(appendix.planned.map(\.activity.id) == ["plan-november"])
        let planned = try #require(appendix.markdown.components(separatedBy: "### Planned").last)
        #expect(planned.contains("Planned congress trip in November"))
        #expect(!appendix.markdown.contains("Old plan never held") && !appendix.markdown.contains("Secret plan"))
        #expect(appendix.leftOut == 2)
        let full = try store.appendix(for: "hu-79-solidarity", includeSensitive: true)
        #expect(full.planned.map(\.activity.id) == ["plan-november", "plan-secret"] && full.leftOut == 0)
    }

    @Test("undated activities are named on a line of their own, in Markdown, HTML and the streamed text, and counted")
    func undatedNamed() throws {
        let (store, folder) = try makeUnionStore()
        defer { folder.remove() }
        let appendix = try store.appendix(for: "hu-79-solidarity")
        #expect(appendix.undated.map(\.activity.id) == ["trip-undated"])
        #expect(appendix.markdown.contains("\nNot dated, so not placed in the period: Members' trip to Cuba.\n"), "\(appendix.markdown)")
        #expect(appendix.html.contains("<p>Not dated, so not placed in the period: Members&#39; trip to Cuba.</p>"), "\(appendix.html)")
        #expect(!appendix.markdown.contains("Undated secret meeting"))
        var text = Data()
        let summary = try store.appendix(for: "hu-79-solidarity", format: .markdown) { text.append($0) }
        #expect(summary.undated == 1 && String(decoding: text, as: UTF8.self) == appendix.markdown)
        #expect(summary.period.after?.handle == "hu-2021")
    }
}

@Suite("The appendix's references and role words")
struct AppendixWordsTests {
    @Test("a convention with one resolution stands for it; with several, the message lists their handles and titles")
    func conventionForResolution() throws {
        let (store, folder) = try makeUnionStore()
        defer { folder.remove() }
        #expect(try store.appendix(for: "hu-79").resolution.handle == "hu-79-solidarity")
        #expect(try store.resolution("79th Home Union Convention").handle == "hu-79-solidarity")
        _ = try store.addResolution(convention: "hu-79", title: "Trade", text: "Trade matters.\nBE IT RESOLVED:\n- We study trade.")
        #expect {
            try store.appendix(for: "hu-79")
        } throws: { error in
            let message = (error as? SolidarityError)?.message ?? ""
            return message.contains("hu-79-solidarity (“Solidarity”)") && message.contains("hu-79-trade (“Trade”)")
        }
        #expect {
            try store.appendix(for: "hu-2021")
        } throws: { ($0 as? SolidarityError)?.message.contains("has no resolution recorded") == true }
    }

    @Test("a call's people are participants, a delegation's and a conference's delegates; the home union is never 'with' itself")
    func roleWords() throws {
        let (store, folder) = try makeUnionStore()
        defer { folder.remove() }
        let markdown = try store.appendix(for: "hu-79-solidarity").markdown
        let line = { (title: String) in markdown.split(separator: "\n").first { $0.hasPrefix("- **") && $0.contains(title) }.map(String.init) ?? "" }
        #expect(line("Call on tariffs").contains("with NEAR; participants: Ana Delegada, Bo Contact."), "\(line("Call on tariffs"))")
        #expect(!line("Call on tariffs").contains("Di Hidden"))
        #expect(line("Trip to the Far Union in August").contains("hosted by FAR; delegates: Ana Delegada."))
        #expect(line("Labor conference").contains("with FAR; delegates: Ana Delegada; speakers: Cy Speaker."), "\(line("Labor conference"))")
        #expect(!markdown.contains("with HU"))
    }
}
