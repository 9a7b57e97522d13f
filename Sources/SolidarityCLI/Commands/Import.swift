import ArgumentParser
import Foundation
import SolidarityCore

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Read an export (JSON) or a spreadsheet (CSV) into the database, all or nothing.",
        discussion: """
            The whole file is checked first and every problem is listed with its place in the file; \
            nothing is written unless all of it can be. A record already present with the same \
            content is skipped; with other content it is a conflict, listed, unless --update. \
            Records added that look like ones already recorded (as `org duplicates` finds them) are \
            listed with the command that merges them; --no-duplicate-check skips that for bulk loads.

            A file written by `solidarity export --with-history` carries the history of changes: \
            it is kept, as it was recorded, by a database that has no history of its own (a new \
            one made with `solidarity init`), and the import is recorded after it. A database \
            with a history refuses such a file; --without-history imports its records alone.

            CSV: the header row names the columns with the interchange keys (see the README); \
            --as says what each row is: organizations, people, sites or activities. Cells may be \
            separated by commas, semicolons (Excel in much of Europe) or tabs, as the header row \
            shows; the file must be UTF-8 ("CSV UTF-8" in Excel). A column that is not one of \
            the kind's is refused unless --ignore-column names it.

            Examples:
              solidarity import backup.json
              solidarity import --csv allies.csv --as organizations
              solidarity import --csv contacts.csv --as people --ignore-column country
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("A JSON file written by `solidarity export`.", valueName: "file"))
    var file: String?
    @Option(help: ArgumentHelp("A CSV spreadsheet to import instead (needs --as).", valueName: "file"))
    var csv: String?
    @Option(name: .customLong("as"), help: ArgumentHelp("What each CSV row is: organizations, people, sites or activities.", valueName: "kind"))
    var kind: SpreadsheetKind?
    @Flag(help: "Replace records that exist with other content by the file's version.")
    var update = false
    @Option(name: .customLong("ignore-column"), help: ArgumentHelp("A column of the CSV file to leave out (repeatable).", valueName: "name"))
    var ignoreColumn: [String] = []
    @Flag(name: .customLong("no-duplicate-check"), help: "Do not look for records added that look like ones already recorded (for bulk loads).")
    var noDuplicateCheck = false
    @Flag(name: .customLong("without-history"), help: "Import the records of a file that carries a history, without the history.")
    var withoutHistory = false

    func validate() throws {
        switch (file, csv) {
        case (nil, nil): throw ValidationError("Give a JSON FILE to import, or --csv FILE --as KIND.")
        case (.some, .some): throw ValidationError("Give either a JSON FILE or --csv FILE, not both.")
        default: break
        }
        if csv != nil, kind == nil { throw ValidationError("--csv needs --as organizations, people, sites or activities.") }
        if csv == nil, kind != nil { throw ValidationError("--as goes with --csv FILE.") }
        if csv == nil, !ignoreColumn.isEmpty { throw ValidationError("--ignore-column goes with --csv FILE.") }
        if csv != nil, withoutHistory { throw ValidationError("--without-history goes with a JSON FILE: a spreadsheet carries no history.") }
    }

    func run() throws {
        let path = file ?? csv!
        // Mapped, not read: the file's bytes stay the page cache's, and a clean file is decoded a record at a time.
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else {
            throw SolidarityError(.notFound, "Cannot read \(path): check the path and that you may read it.")
        }
        let db = try store.open(.write)
        let report: LoadReport
        if let kind {
            report = try db.importSpreadsheet(data, name: path, as: kind, update: update, ignoring: ignoreColumn, duplicateCheck: !noDuplicateCheck)
            if let separator = report.separator, separator != .comma {
                Terminal.note("Read \(path) with its cells separated by \(separator.name), as its header row shows.")
            }
            if !ignoreColumn.isEmpty {
                Terminal.note("Left out the column\(ignoreColumn.count == 1 ? "" : "s") \(ignoreColumn.joined(separator: ", ")), as --ignore-column asked.")
            }
        } else {
            report = try db.importDocument(data, name: path, update: update, duplicateCheck: !noDuplicateCheck, keepingHistory: !withoutHistory)
        }
        Terminal.say("Imported \(path): \(report.added) added, \(report.updated) updated, \(report.unchanged) already present.")
        if let kept = report.keptHistory {
            Terminal.say("Kept the history it carries: \(kept.changes) change\(kept.changes == 1 ? "" : "s"), then this import as change \(kept.importChange).")
        }
        Terminal.warn(report.warnings)
        Deduplication.warn(report.lookalikes)
    }
}

extension SpreadsheetKind: ExpressibleByArgument {}
