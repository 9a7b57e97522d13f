import Foundation
import Testing
@testable import SolidarityCore

@Suite("Partial dates")
struct PartialDateTests {
    @Test("a year, a month and a day parse and print as given")
    func parsesThreePrecisions() throws {
        #expect(try PartialDate("2025").description == "2025")
        #expect(try PartialDate("2025-05").description == "2025-05")
        #expect(try PartialDate("2025-05-14").description == "2025-05-14")
        #expect(try PartialDate("2025-05").precision == .month)
    }

    @Test("impossible months and days are refused with a message saying why", arguments: [
        ("2024-13", "no month 13"), ("2025-02-30", "has 28 days"), ("2025-02-29", "has 28 days"),
        ("2025-5", "not a date"), ("May 2025", "not a date"), ("", "not a date"), ("2025-04-31", "has 30 days"),
    ])
    func refusesImpossibleDates(text: String, reason: String) {
        #expect {
            try PartialDate(text)
        } throws: { error in
            let error = error as? SolidarityError
            return error?.reason == .invalidInput && error?.message.contains(reason) == true
        }
    }

    @Test("a leap day exists only in leap years")
    func leapDays() throws {
        #expect(try PartialDate("2024-02-29").end == "2024-02-29")
        #expect(try PartialDate("2000-02-29").day == 29)
        #expect(throws: SolidarityError.self) { try PartialDate("1900-02-29") }
    }

    @Test("a date denotes an interval from its first to its last day")
    func intervals() throws {
        let year = try PartialDate("2025")
        #expect(year.start == "2025-01-01" && year.end == "2025-12-31")
        let february = try PartialDate("2024-02")
        #expect(february.start == "2024-02-01" && february.end == "2024-02-29")
    }

    @Test("a filter keeps dates whose interval overlaps the period")
    func overlap() throws {
        let may = try PartialDate("2024-05")
        #expect(may.overlaps(since: try PartialDate("2024-05-31"), until: nil))
        #expect(may.overlaps(since: nil, until: try PartialDate("2024-05-01")))
        #expect(!may.overlaps(since: try PartialDate("2024-06"), until: nil))
        #expect(try PartialDate("2024").overlaps(since: try PartialDate("2024-12-31"), until: try PartialDate("2025")))
        let earlier = try PartialDate("2023")
        #expect(!earlier.overlaps(since: try PartialDate("2024"), until: try PartialDate("2025")))
    }

    @Test("sorting is by interval start, the less precise first")
    func ordering() throws {
        let dates = try ["2025-01-05", "2025", "2024-12", "2025-01"].map(PartialDate.init)
        #expect(dates.sorted().map(\.description) == ["2024-12", "2025", "2025-01", "2025-01-05"])
    }

    @Test("the order is that of interval starts as text, then precision, for every pair")
    func orderMatchesStartText() throws {
        var dates: [PartialDate] = []
        for year in [1999, 2024, 2025] {
            dates.append(try PartialDate("\(year)"))
            for month in [1, 2, 12] {
                dates.append(try PartialDate(String(format: "%04d-%02d", year, month)))
                for day in [1, 2, 28] { dates.append(try PartialDate(String(format: "%04d-%02d-%02d", year, month, day))) }
            }
        }
        for a in dates {
            for b in dates {
                #expect((a < b) == ((a.start, a.precision.rawValue) < (b.start, b.precision.rawValue)), "\(a) < \(b)")
            }
        }
    }

    @Test("a period that ends before it begins is refused")
    func invertedPeriod() throws {
        #expect(throws: SolidarityError.self) {
            try Period(since: try PartialDate("2025"), until: try PartialDate("2024-12")).check()
        }
        try Period(since: try PartialDate("2025-03"), until: try PartialDate("2025")).check()
    }
}

@Suite("Trimming")
struct TrimmingTests {
    @Test("trimmingWhitespace gives Foundation's trimmingCharacters(in:) for every kind of edge", arguments: [
        "", " ", "plain", " padded ", "\tTabbed\t", "line\n", "\r\nCRLF\r\n", "\u{00A0}NBSP\u{00A0}", "\u{3000}全角\u{3000}",
        "\u{2028}separator\u{2029}", "\u{0085}NEL", "✊🏽", "é", "a b", "-dash-", "x\u{000B}", "\u{000C}y", "\u{200B}zero-width",
    ])
    func trimming(text: String) {
        #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(text.trimmingWhitespace(newlines: false) == text.trimmingCharacters(in: .whitespaces))
    }
}
