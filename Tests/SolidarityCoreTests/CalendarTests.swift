import Foundation
import SolidarityTestSupport
import Testing
@testable import SolidarityCore

@Suite("Calendar feed")
struct CalendarTests {
    /// Parses a feed with Python's icalendar package, the independent checker the test script installs.
    func parse(_ feed: String, in folder: TemporaryFolder) throws -> [[String: String]] {
        let file = folder.path("feed.ics")
        try feed.write(toFile: file, atomically: true, encoding: .utf8)
        let script = """
            import json, sys, icalendar
            cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
            events = []
            for e in cal.walk('VEVENT'):
                events.append({k: str(e.decoded(k)) if k in ('DTSTART', 'DTEND') else str(e.get(k)) for k in ('UID', 'DTSTART', 'DTEND', 'STATUS', 'SUMMARY', 'DESCRIPTION', 'LOCATION') if e.get(k) is not None})
            print(json.dumps(events))
            """
        let output = try PythonChecker.run(script, arguments: [file])
        return (try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: String]]) ?? []
    }

    @Test("icalendar reads every dated activity as an all-day event spanning its known precision")
    func parsedByIcalendar() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        let exact = try store.log(Activity(kind: .meeting, title: "Meeting; with, punctuation \\ and a long title that needs folding over seventy-five octets — with accents: Montréal",
                                           status: .cancelled, start: try PartialDate("2026-02-27"), end: try PartialDate("2026-03-01"),
                                           itinerary: [.init(country: "CA", city: "Montréal")]))
        let feed = try store.calendar()
        #expect(feed.undated == 1)
        #expect(feed.text.split(separator: "\r\n", omittingEmptySubsequences: false).allSatisfy { $0.utf8.count <= 75 })
        let events = try parse(feed.text, in: folder)
        #expect(events.count == 18)
        let byUID = Dictionary(uniqueKeysWithValues: events.map { ($0["UID"] ?? "", $0) })
        let meeting = try #require(byUID["\(exact.id)@solidarity"])
        #expect(meeting["DTSTART"] == "2026-02-27" && meeting["DTEND"] == "2026-03-02")
        #expect(meeting["STATUS"] == "CANCELLED")
        #expect(meeting["SUMMARY"] == exact.title)
        #expect(meeting["LOCATION"] == "Montréal, Canada")
        let fat = try #require(byUID["n55bsrpwgl@solidarity"])
        #expect(fat["DTSTART"] == "2024-05-01" && fat["DTEND"] == "2024-06-01")
        #expect(fat["DESCRIPTION"]?.contains("Date known only to the month: 2024-05") == true)
        let year = try #require(byUID["2ibyyurl7b@solidarity"])
        #expect(year["DTSTART"] == "2017-01-01" && year["DTEND"] == "2018-01-01")
        #expect(year["DESCRIPTION"]?.contains("known only to the year") == true)
        #expect(byUID["u3oow7gspn@solidarity"]?["STATUS"] == "TENTATIVE")
        #expect(byUID["rtdl4f53iu@solidarity"] == nil)
    }

    @Test("sensitive activities and people stay out unless asked")
    func sensitive() throws {
        let (store, folder) = try makeStore(seeded: true)
        defer { folder.remove() }
        _ = try store.addPerson(Person(name: "Hidden Organizer", sensitive: true))
        _ = try store.log(Activity(kind: .meeting, title: "Secret meeting", start: try PartialDate("2026-01"), sensitive: true))
        _ = try store.log(Activity(kind: .meeting, title: "Open meeting", start: try PartialDate("2026-02"), people: [.init(person: "hidden-organizer", role: .contact)]))
        let feed = try store.calendar()
        #expect(!feed.text.contains("Secret meeting") && !feed.text.contains("Hidden Organizer") && feed.text.contains("Open meeting"))
        #expect(feed.leftOut == 1)
        let everything = try store.calendar(includeSensitive: true)
        #expect(everything.text.contains("Secret meeting") && everything.text.contains("Hidden Organizer"))
    }
}
