import ArgumentParser
import Foundation
import SolidarityCore

struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "Write an iCalendar (RFC 5545) feed of the dated activities, for a calendar app.",
        discussion: """
            A full date is an all-day event; a month-only or year-only date spans that whole month or \
            year, and the description says so. Undated activities are left out. Each event's UID is \
            the activity id, so importing the feed again updates events instead of duplicating them. \
            Cancelled ones carry STATUS:CANCELLED, planned ones TENTATIVE.

            \(OutputFile.promise)

            Examples:
              solidarity calendar --output solidarity.ics
              solidarity calendar --include-sensitive > private.ics
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file"))
    var output: String?
    @Flag(name: .customLong("include-sensitive"), help: "Include activities, organizations and people marked sensitive.")
    var includeSensitive = false

    func run() throws {
        let file = try output.map { try OutputFile($0, database: store.path) }
        let feed = try store.open(.read).calendar(includeSensitive: includeSensitive)
        try OutputFile.write(to: file) { try $0(Data(feed.text.utf8)) }
        if includeSensitive {
            Terminal.noteIncludesSensitive("This calendar")
        } else if feed.leftOut > 0 {
            Terminal.note("Left out \(feed.leftOut) sensitive activit\(feed.leftOut == 1 ? "y" : "ies"); --include-sensitive includes them.")
        }
        Terminal.noteUndated(feed.undated, "not in the calendar")
    }
}
