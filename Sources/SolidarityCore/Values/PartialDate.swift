import Foundation

/// A date known to a year, a month or a day ("2025", "2025-05", "2025-05-14").
///
/// It denotes an interval: "2025" is all of 2025. Records kept from texts often know only the
/// month or the year of an event, so every date in the tool is partial.
public struct PartialDate: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// How much of the date is known.
    public enum Precision: Int, Sendable, Comparable {
        case year, month, day
        public static func < (a: Precision, b: Precision) -> Bool { a.rawValue < b.rawValue }
    }

    public let year: Int
    public let month: Int?
    public let day: Int?

    public var precision: Precision { day != nil ? .day : month != nil ? .month : .year }

    /// Parses ISO-8601 text of a year, a year-month or a full date, refusing impossible dates.
    public init(_ text: String) throws {
        let trimmed = text.trimmingWhitespace(newlines: false)
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        func number(_ part: Substring, digits: Int) -> Int? {
            guard part.utf8.count == digits, part.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            return Int(part)
        }
        let hint = "Write a year (2025), a year and month (2025-05) or a full date (2025-05-14)."
        if let order = Self.otherOrder(trimmed) {
            throw SolidarityError.invalid("\"\(TextRules.printable(text))\" \(order) (year-month-day).")
        }
        guard (1...3).contains(parts.count), let year = number(parts[0], digits: 4), year >= 1000 else {
            throw SolidarityError.invalid("\"\(TextRules.printable(text))\" is not a date. \(hint)")
        }
        var month: Int?
        var day: Int?
        if parts.count >= 2 {
            guard let m = number(parts[1], digits: 2) else {
                throw SolidarityError.invalid("\"\(TextRules.printable(text))\" is not a date. \(hint)")
            }
            guard (1...12).contains(m) else {
                throw SolidarityError.invalid("\"\(TextRules.printable(text))\" has no month \(m): months run from 01 to 12. \(hint)")
            }
            month = m
        }
        if parts.count == 3, let m = month {
            guard let d = number(parts[2], digits: 2) else {
                throw SolidarityError.invalid("\"\(TextRules.printable(text))\" is not a date. \(hint)")
            }
            let last = PartialDate.daysIn(month: m, year: year)
            guard (1...last).contains(d) else {
                throw SolidarityError.invalid("\"\(TextRules.printable(text))\" is not a day of the calendar: \(String(format: "%04d-%02d", year, m)) has \(last) days.")
            }
            day = d
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// What to write instead of a date in another order: day/month/year as in French and
    /// Spanish (`14/05/2024`), month/day/year as in the US (`05/14/2024`), year/month/day with
    /// slashes or dots, or month/year. Both readings are given when the first two numbers could
    /// each be the month (`05/04/2024`): the orders collide, so a date is never guessed.
    /// Nil for text that is not a date in one of those orders.
    static func otherOrder(_ text: String) -> String? {
        let separators: Set<Character> = ["/", ".", "-"]
        guard let separator = text.first(where: { separators.contains($0) }), !(separator == "-" && text.first?.isNumber == true && text.prefix(4).allSatisfy(\.isNumber)) else { return nil }
        let parts = text.split(separator: separator, omittingEmptySubsequences: false)
        guard parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
        let numbers = parts.compactMap { Int($0) }
        func iso(_ year: Int, _ month: Int, _ day: Int?) -> String? {
            let written = String(format: "%04d-%02d", year, month) + (day.map { String(format: "-%02d", $0) } ?? "")
            return (try? PartialDate(written))?.description
        }
        switch (parts.count, parts.first?.count, parts.last?.count) {
        case (3, 4, _):
            return iso(numbers[0], numbers[1], numbers[2]).map { "is year/month/day: write \($0)" }
        case (2, _, 4) where parts[0].count <= 2:
            return iso(numbers[1], numbers[0], nil).map { "is month/year: write \($0)" }
        case (3, _, 4) where parts[0].count <= 2 && parts[1].count <= 2:
            let dayFirst = iso(numbers[2], numbers[1], numbers[0]), monthFirst = iso(numbers[2], numbers[0], numbers[1])
            switch (dayFirst, monthFirst) {
            case let (day?, month?) where day == month: return "is a date in another order: write \(day)"
            case let (day?, month?): return "could be day/month/year or month/day/year, and a date is never guessed: write \(day) if it is day/month, or \(month) if it is month/day"
            case let (day?, nil): return "is day/month/year: write \(day)"
            case let (nil, month?): return "is month/day/year: write \(month)"
            case (nil, nil): return nil
            }
        default: return nil
        }
    }

    /// The ISO-8601 text, as stored and exported.
    public var description: String {
        switch (month, day) {
        case let (m?, d?): Self.iso(year, m, d)
        case let (m?, nil): Self.padded(year, 4) + "-" + Self.padded(m, 2)
        default: Self.padded(year, 4)
        }
    }

    /// "YYYY-MM-DD" (as `String(format: "%04d-%02d-%02d")` writes it, without its cost: an export
    /// writes millions of dates).
    private static func iso(_ year: Int, _ month: Int, _ day: Int) -> String {
        padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2)
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.utf8.count >= width ? digits : String(repeating: "0", count: width - digits.utf8.count) + digits
    }

    /// The first day of the interval, as "YYYY-MM-DD".
    public var start: String { Self.iso(year, month ?? 1, day ?? 1) }

    /// The last day of the interval, as "YYYY-MM-DD".
    public var end: String {
        let m = month ?? 12
        return Self.iso(year, m, day ?? PartialDate.daysIn(month: m, year: year))
    }

    /// Whether this date's interval overlaps the interval from the start of `since` to the end of `until`.
    public func overlaps(since: PartialDate?, until: PartialDate?) -> Bool {
        Period(since: since, until: until).overlaps(self)
    }

    /// Whether the interval of `self` ends strictly before `other` begins.
    public func isWhollyBefore(_ other: PartialDate) -> Bool { end < other.start }

    /// Ordered by interval start, then the less precise first ("2025" before "2025-01-05").
    public static func < (a: PartialDate, b: PartialDate) -> Bool {
        // The same order as comparing `start` texts, without formatting them: a sort of a long
        // timeline makes hundreds of thousands of comparisons.
        let (x, y) = ((a.year, a.month ?? 1, a.day ?? 1), (b.year, b.month ?? 1, b.day ?? 1))
        if x != y { return x < y }
        return a.precision < b.precision
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        do {
            try self.init(try container.decode(String.self))
        } catch let error as SolidarityError {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension PartialDate {
    private static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                                     "October", "November", "December"]

    /// The date in English words, at its precision: "2025", "August 2025", "14 August 2025".
    public var words: String {
        guard let month else { return description }
        let monthYear = "\(Self.monthNames[month - 1]) \(Self.padded(year, 4))"
        return day.map { "\($0) \(monthYear)" } ?? monthYear
    }

    /// The end of the interval in words: "the end of August 2025", "the end of 2025", "14 August 2025".
    public var endWords: String { precision == .day ? words : "the end of \(words)" }
}

extension PartialDate {
    /// Today's date (UTC), as follow-ups and staleness reckon it.
    public static func today(_ now: Date = Date()) -> PartialDate {
        let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: now)
        return try! PartialDate(String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!))
    }

    /// Whole months from the end of this date's interval to `day` (0 when `day` is within it or before).
    public func monthsBefore(_ day: PartialDate) -> Int {
        // The interval ends in its own month, else December; `day` begins in its month, else January.
        let (y1, m1) = (year, month ?? 12)
        let (y2, m2) = (day.year, day.month ?? 1)
        return max(0, (y2 - y1) * 12 + (m2 - m1))
    }
}
