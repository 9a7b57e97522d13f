import Foundation
import GRDB

/// An iCalendar (RFC 5545) feed of the dated activities.
///
/// A full date is an all-day event from start to end; a month-only or year-only date is an
/// all-day event spanning that whole month or year, and the description says so. UIDs are the
/// activity ids, so a calendar app updates rather than duplicates an event on re-import.
public struct CalendarFeed: Sendable {
    /// The feed text, lines ending in CRLF.
    public let text: String
    /// Sensitive activities left out.
    public let leftOut: Int
    /// Undated activities, which a calendar cannot show.
    public let undated: Int
}

extension Store {
    /// The feed of every dated activity; withheld ones (and withheld organizations and people in
    /// the others), by the rule of `Disclosure`, only with `includeSensitive`, which the feed then says
    /// in its `X-SOLIDARITY-INCLUDES-SENSITIVE` property.
    public func calendar(includeSensitive: Bool = false, now: Date = Date()) throws -> CalendarFeed {
        try read { db in
            let activities = try Activities(db: db).list(ActivityFilter())
            let rule = try Disclosure(db: db, includeSensitive: includeSensitive)
            let names = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT handle, coalesce(acronym, name) AS short FROM organizations")
                .map { ($0["handle"] as String, $0["short"] as String) })
            let personNames = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT handle, name FROM people")
                .map { ($0["handle"] as String, $0["name"] as String) })
            let sitesByID = try Sites(db: db).named(activities.flatMap(\.sites))
            var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//solidarity//solidarity \(SolidarityVersion.current)//EN",
                         "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:International solidarity"]
            // The file itself says it holds sensitive records, wherever it is copied to.
            if includeSensitive { lines.append("\(ICalendar.includesSensitive):TRUE") }
            var leftOut = 0
            var undated = 0
            let stamp = ICalendar.timestamp(now)
            for activity in activities {
                if !rule.shows(activity) { leftOut += 1; continue }
                guard let start = activity.start, let first = activity.firstDay, let last = activity.lastDay else { undated += 1; continue }
                var description: [String] = []
                if start.precision != .day || (activity.end.map { $0.precision != .day } ?? false) {
                    let span = activity.end.map { "\(start) to \($0)" } ?? "\(start)"
                    description.append("Date known only to the \(start.precision == .year ? "year" : "month"): \(span). The event spans the whole \(start.precision == .year ? "year" : "month").")
                }
                description.append("\(activity.hosted ? "Hosted delegation" : activity.kind.rawValue.capitalized), \(activity.status.rawValue)\(activity.virtual ? ", online" : "").")
                for role in Activity.OrganizationRole.allCases {
                    let who = activity.organizations.filter { $0.role == role && rule.shows(organization: $0.organization) }
                        .map { names[$0.organization] ?? $0.organization }
                    if !who.isEmpty { description.append("\(role.rawValue.capitalized)\(who.count > 1 ? "s" : ""): \(who.joined(separator: ", ")).") }
                }
                for role in Activity.PersonRole.allCases {
                    let who = activity.people.filter { $0.role == role && rule.shows(person: $0.person) }
                        .map { personNames[$0.person] ?? $0.person }
                    if !who.isEmpty { description.append("\(role.rawValue.capitalized)\(who.count > 1 ? "s" : ""): \(who.joined(separator: ", ")).") }
                }
                if let purpose = activity.purpose { description.append("Purpose: \(purpose)") }
                if let outcomes = activity.outcomes { description.append("Outcomes: \(outcomes)") }
                // The sites it names, then the stops of the itinerary no site already places.
                let sites = activity.sites.compactMap { sitesByID[$0] }
                let location = sites.map(\.location) + activity.itinerary.filter { stop in
                    !sites.contains { $0.country == stop.country && (stop.city == nil || $0.city == stop.city) }
                }.map { stop in [stop.city, Country.name(stop.country)].compactMap { $0 }.joined(separator: ", ") }
                lines += ["BEGIN:VEVENT",
                          "UID:\(activity.id)@solidarity",
                          "DTSTAMP:\(stamp)",
                          "DTSTART;VALUE=DATE:\(ICalendar.date(first))",
                          ICalendar.end(first: first, last: last),
                          "SUMMARY:\(ICalendar.escape(activity.title))",
                          "STATUS:\(activity.status == .cancelled ? "CANCELLED" : activity.status == .planned ? "TENTATIVE" : "CONFIRMED")",
                          "TRANSP:TRANSPARENT"]
                if !location.isEmpty { lines.append("LOCATION:\(ICalendar.escape(location.joined(separator: "; ")))") }
                lines.append("DESCRIPTION:\(ICalendar.escape(description.joined(separator: "\n")))")
                if !activity.campaigns.isEmpty { lines.append("CATEGORIES:\(activity.campaigns.map(ICalendar.escape).joined(separator: ","))") }
                lines.append("END:VEVENT")
            }
            lines.append("END:VCALENDAR")
            return CalendarFeed(text: lines.map(ICalendar.fold).joined(separator: "\r\n") + "\r\n", leftOut: leftOut, undated: undated)
        }
    }
}

/// The text rules of RFC 5545.
enum ICalendar {
    /// The calendar property that marks a feed made with `--include-sensitive` (an `X-` name, which
    /// RFC 5545 lets a producer add and a calendar app ignore).
    static let includesSensitive = "X-SOLIDARITY-INCLUDES-SENSITIVE"

    /// "2024-05-01" → "20240501".
    static func date(_ day: String) -> String { day.replacingOccurrences(of: "-", with: "") }

    /// The day after a "YYYY-MM-DD" day, as DTEND of an all-day event is exclusive.
    static func dayAfter(_ day: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = day.split(separator: "-").compactMap { Int($0) }
        let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))!
        let next = calendar.dateComponents([.year, .month, .day], from: calendar.date(byAdding: .day, value: 1, to: date)!)
        return String(format: "%04d%02d%02d", next.year!, next.month!, next.day!)
    }

    /// The end of an all-day event from `first` to `last` ("YYYY-MM-DD"): DTEND, the day after
    /// the last, or, when that day would be in year 10000, which an iCalendar date cannot write,
    /// DURATION in days.
    static func end(first: String, last: String) -> String {
        let after = dayAfter(last)
        guard after.count > 8 else { return "DTEND;VALUE=DATE:\(after)" }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        func day(_ text: String) -> DateComponents {
            let parts = text.split(separator: "-").compactMap { Int($0) }
            return DateComponents(year: parts[0], month: parts[1], day: parts[2])
        }
        return "DURATION:P\(calendar.dateComponents([.day], from: day(first), to: day(last)).day! + 1)D"
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    /// Escapes TEXT values: backslash, semicolon, comma and newline.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
            .replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "\r\n", with: "\\n").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Folds a content line at 75 octets, never inside a UTF-8 sequence.
    static func fold(_ line: String) -> String {
        var result = ""
        var count = 0
        for character in line {
            let size = String(character).utf8.count
            if count + size > 75 {
                result += "\r\n "
                count = 1
            }
            result.append(character)
            count += size
        }
        return result
    }
}
