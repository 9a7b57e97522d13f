/// A stretch of time from the start of `since` to the end of `until`, either end open: the period
/// of a filter (`--since`, `--until`), an appendix, a relationship, a title held, a representation.
///
/// The one place for its rules: it cannot end before it begins, what overlaps it, and the days
/// that bound it in SQL (`first_day <= lastDay AND last_day >= firstDay`).
public struct Period: Equatable, Sendable {
    public var since: PartialDate?
    public var until: PartialDate?

    public init(since: PartialDate? = nil, until: PartialDate? = nil) {
        self.since = since
        self.until = until
    }

    /// Whether it ends wholly before it begins ("2025" to "2024-12"); "2025-03" to "2025" does not.
    public var endsBeforeStart: Bool {
        guard let since, let until else { return false }
        return until.isWhollyBefore(since)
    }

    /// Refuses a period that ends before it begins, naming it (`what`: "the relationship").
    public func check(_ what: String = "the period") throws {
        if endsBeforeStart, let since, let until {
            throw SolidarityError.invalid("The end of \(what) (\(until)) is before its start (\(since)): swap them or correct one.")
        }
    }

    /// The first day it covers ("YYYY-MM-DD"), nil when open at the start: the SQL bound for `last_day >= ?`.
    public var firstDay: String? { since?.start }
    /// The last day it covers ("YYYY-MM-DD"), nil when open at the end: the SQL bound for `first_day <= ?`.
    public var lastDay: String? { until?.end }

    /// Whether the days from `first` to `last` ("YYYY-MM-DD") overlap it.
    public func overlaps(first: String, last: String) -> Bool {
        if let firstDay, last < firstDay { return false }
        if let lastDay, first > lastDay { return false }
        return true
    }

    /// Whether a date's interval overlaps it.
    public func overlaps(_ date: PartialDate) -> Bool {
        overlaps(first: date.start, last: date.end)
    }
}
