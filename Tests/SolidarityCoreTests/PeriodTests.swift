import Foundation
import Testing
@testable import SolidarityCore

@Suite("A period: from since to until, either end open")
struct PeriodTests {
    func date(_ text: String) throws -> PartialDate { try PartialDate(text) }

    @Test("a period ending wholly before it starts is refused, naming what it is; one ending within its start's year is not")
    func endsBeforeStart() throws {
        let backwards = Period(since: try date("2025"), until: try date("2024-12"))
        #expect(backwards.endsBeforeStart)
        #expect {
            try backwards.check("the relationship")
        } throws: { ($0 as? SolidarityError)?.message == "The end of the relationship (2024-12) is before its start (2025): swap them or correct one." }
        #expect(!Period(since: try date("2025-03"), until: try date("2025")).endsBeforeStart)
        #expect(try !Period(since: try date("2025")).endsBeforeStart && !Period().endsBeforeStart)
    }

    @Test("overlap is by the dates' intervals: a year overlaps a month within it, an open end overlaps everything on that side")
    func overlap() throws {
        let period = Period(since: try date("2024-03"), until: try date("2024-06-15"))
        #expect(period.overlaps(try date("2024")))
        #expect(try period.overlaps(try date("2024-06-15")) && !period.overlaps(try date("2024-06-16")))
        #expect(!period.overlaps(try date("2024-02-29")))
        #expect(try Period(until: try date("2024")).overlaps(try date("1990")) && Period().overlaps(try date("2030")))
        #expect(period.firstDay == "2024-03-01" && period.lastDay == "2024-06-15")
        #expect(try Period(since: try date("2024-02")).lastDay == nil && Period(until: try date("2024-02")).lastDay == "2024-02-29")
    }

    @Test("records and filters give their period: a relationship, a title held, a representation, an activity filter")
    func recordsHavePeriods() throws {
        let (since, until) = (try date("2020"), try date("2023-05"))
        #expect(Relationship(from: "ue", to: "fat", kind: .ally, since: since, until: until).period == Period(since: since, until: until))
        #expect(Person.Title(organization: "ue", title: "President", since: since).period == Period(since: since))
        #expect(Site.Representation(organization: "ue", until: until).period == Period(until: until))
        #expect(ActivityFilter(since: since, until: until).period == Period(since: since, until: until))
    }

    @Test("whole months from the end of a date to a day, at any precision, never negative")
    func monthsBefore() throws {
        #expect(try date("2024").monthsBefore(try date("2025-03-10")) == 3)
        #expect(try date("2024-11-30").monthsBefore(try date("2025")) == 2)
        #expect(try date("2025-06").monthsBefore(try date("2025-06-30")) == 0)
        #expect(try date("2026").monthsBefore(try date("2025-01")) == 0)
    }
}
