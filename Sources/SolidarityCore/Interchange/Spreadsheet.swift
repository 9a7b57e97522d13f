import Foundation
import GRDB

/// What each row of a CSV spreadsheet is.
public enum SpreadsheetKind: String, CaseIterable, Sendable {
    case organizations, people, sites, activities

    /// The columns a spreadsheet of this kind may have: the interchange format's keys (and, for
    /// people, one title per row; for sites, the dates of the listed unions).
    public var columns: [String] {
        switch self {
        case .organizations:
            ["handle", "name", "acronym", "native_name", "native_name_lang", "kind", "country", "region", "city", "parent",
             "members", "members_as_of", "website", "notes", "sensitive", "aliases", "campaigns", "sources"]
        case .people:
            ["handle", "name", "email", "phone", "languages", "secure_messaging", "notes", "sensitive", "sources",
             "organization", "title", "since", "until", "as_of", "title_source"]
        case .sites:
            ["id", "employer", "name", "country", "region", "city", "sector", "notes", "unions", "since", "until", "sources"]
        case .activities:
            ["id", "kind", "title", "status", "start", "end", "countries", "cities", "hosts", "senders", "participants", "organizers",
             "met", "delegates", "speakers", "purpose", "outcomes", "notes", "employers", "sites", "campaigns", "sources", "hosted", "virtual",
             "sensitive"]
        }
    }

    /// The columns every spreadsheet of this kind must have.
    public var required: [String] {
        switch self {
        case .organizations, .people: ["name"]
        case .sites: ["employer", "name", "country"]
        case .activities: ["kind", "title"]
        }
    }
}

/// What separates the cells of a spreadsheet's rows: a comma, or what Excel writes where the
/// comma is the decimal separator (a semicolon, in French, Spanish, German… settings), or a tab.
public enum CellSeparator: String, Sendable, Codable, CaseIterable {
    case comma = ",", semicolon = ";", tab = "\t"

    /// The separator's name, as a message says it.
    public var name: String {
        switch self {
        case .comma: "commas"
        case .semicolon: "semicolons (;)"
        case .tab: "tabs"
        }
    }

    /// The separator the header row uses: the one it holds most of outside quotes (a comma when
    /// there is a tie or none, as in a file of one column).
    static func of(header scalars: ArraySlice<Unicode.Scalar>) -> CellSeparator {
        var counts: [CellSeparator: Int] = [:]
        var quoted = false
        for scalar in scalars {
            if scalar == "\"" { quoted.toggle(); continue }
            if quoted { continue }
            if scalar == "\n" || scalar == "\r" { break }
            if let separator = CellSeparator(rawValue: String(scalar)) { counts[separator, default: 0] += 1 }
        }
        return allCases.max { counts[$0, default: 0] < counts[$1, default: 0] || (counts[$0, default: 0] == counts[$1, default: 0] && $0.rank > $1.rank) }!
    }

    /// Which separator wins a tie: the comma first.
    private var rank: Int { CellSeparator.allCases.firstIndex(of: self)! }
}

/// A CSV file read per RFC 4180: a header row and data rows, each with the line it starts on.
struct CSVTable {
    let header: [String]
    let rows: [(line: Int, cells: [String])]
    /// The separator the header row showed.
    let separator: CellSeparator

    /// Parses UTF-8 CSV (a byte-order mark is skipped; cells separated by commas, semicolons or
    /// tabs, whichever the header row uses; quoted fields may hold separators, quotes and
    /// newlines; a row of empty cells is skipped like an empty line; a cell written with a `'`
    /// against formulas reads as its value: `SpreadsheetCell`). A file in another encoding, or
    /// one that was read in the wrong encoding and saved again, is refused with its line.
    init(_ data: Data, name: String) throws {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(data: bytes, encoding: .utf8) else {
            throw SolidarityError.invalid("\(name), line \(SpreadsheetEncoding.lineOfFirstInvalidByte(in: bytes)): the file is not valid UTF-8 text: it is in another encoding (Excel's plain \"CSV\" writes Windows-1252 or Latin-1). Save it as CSV UTF-8 (in Excel: Save As, \"CSV UTF-8\") and import it again; nothing was imported.")
        }
        if let mojibake = SpreadsheetEncoding.misreadText(in: text) {
            throw SolidarityError.invalid("\(name), line \(mojibake.line): \"\(TextRules.printable(mojibake.found))\" is \"\(TextRules.printable(mojibake.meant))\" garbled: the file was once read in the wrong encoding and saved again. Correct it, or export it again from the original and save it as CSV UTF-8; nothing was imported.")
        }
        var records: [(Int, [String])] = []
        var field = ""
        var fields: [String] = []
        var quoted = false
        var line = 1
        var recordLine = 1
        var iterator = Array(text.unicodeScalars)[...]
        let separator = CellSeparator.of(header: iterator)
        let separatorScalar = separator.rawValue.unicodeScalars.first!
        func endRecord() {
            fields.append(SpreadsheetCell.read(field))
            // A row of empty cells (";;;;" where Excel kept the formatting of a row) is an empty line.
            if !fields.allSatisfy({ $0.trimmingWhitespace().isEmpty }) { records.append((recordLine, fields)) }
            fields = []
            field = ""
        }
        while let scalar = iterator.popFirst() {
            if quoted {
                if scalar == "\"" {
                    if iterator.first == "\"" { iterator.removeFirst(); field.unicodeScalars.append("\"") } else { quoted = false }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty: quoted = true
            case separatorScalar:
                fields.append(SpreadsheetCell.read(field))
                field = ""
            case "\r" where iterator.first == "\n": continue
            case "\n", "\r":
                endRecord()
                line += 1
                recordLine = line
            default: field.unicodeScalars.append(scalar)
            }
        }
        if quoted { throw SolidarityError.invalid("\(name), line \(recordLine): a quoted field is never closed (a \" is missing).") }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        guard let first = records.first else { throw SolidarityError.invalid("\(name) is empty: it needs a header row naming the columns.") }
        header = first.1.map { $0.trimmingWhitespace(newlines: false).lowercased() }
        rows = records.dropFirst().map { (line: $0.0, cells: $0.1) }
        self.separator = separator
    }
}

/// One data row, read by column name, with problems located by line and column.
struct SpreadsheetRow {
    let line: Int
    let values: [String: String]
    var problems: [ImportProblem] = []
    var warnings: [String] = []

    /// The trimmed cell, nil when empty or the column is absent.
    func text(_ column: String) -> String? {
        values[column].map { $0.trimmingWhitespace() }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A multi-valued cell split on ";".
    func list(_ column: String) -> [String] {
        text(column).map { $0.split(separator: ";").map { String($0).trimmingWhitespace(newlines: false) }.filter { !$0.isEmpty } } ?? []
    }

    /// Runs a check of one cell; a failure is recorded against the column with the bad value.
    mutating func check<T>(_ column: String, reference: Bool = false, _ body: (String) throws -> T) -> T? {
        guard let value = text(column) else { return nil }
        do {
            return try body(value)
        } catch let error as SolidarityError {
            problems.append(ImportProblem(location: "line \(line), column \(column), value \"\(TextRules.printable(value))\"", message: error.message,
                                          isReference: reference || error.reason == .notFound || error.reason == .ambiguous,
                                          remedy: error.lookupAdvice))
        } catch {
            problems.append(ImportProblem(location: "line \(line), column \(column), value \"\(TextRules.printable(value))\"", message: "\(error)", isReference: false))
        }
        return nil
    }

    /// Notes the words of the row's record that mix scripts: the record is imported, and the
    /// report lists them.
    mutating func warn(about record: some NamedRecord) {
        warnings += record.mixedScriptWords.map { "line \(line): \($0)" }
    }

    mutating func fail(_ column: String, _ message: String, reference: Bool = false, remedy: SolidarityError.Remedy? = nil) {
        problems.append(ImportProblem(location: "line \(line), column \(column)", message: message, isReference: reference, remedy: remedy))
    }

    static func flag(_ text: String) throws -> Bool {
        switch text.lowercased() {
        case "true", "yes", "y", "1", "x": return true
        case "false", "no", "n", "0": return false
        default: throw SolidarityError.invalid("write true or false (or yes or no)")
        }
    }
}

extension Store {
    /// Imports a CSV spreadsheet of organizations, people or sites, all or nothing: every bad row
    /// is reported with its line, column and value, and nothing is written when any row is bad.
    ///
    /// `ignoring` names columns of the file to leave out (any other column that is not one of
    /// `kind`'s is refused: nothing the file holds is dropped unless the user says so). A new
    /// activity without a status takes the one its dates give on `today` (`StatusRule`).
    /// With `duplicateCheck`, the report lists the records added that look like records already
    /// there (`lookalikes`).
    public func importSpreadsheet(_ data: Data, name: String, as kind: SpreadsheetKind, update: Bool = false,
                                  ignoring: [String] = [], duplicateCheck: Bool = false, today: PartialDate = .today()) throws -> LoadReport {
        try importSpreadsheet(data, name: name, as: kind, update: update, ignoring: ignoring, duplicateCheck: duplicateCheck, today: today,
                              beforeWriting: {})
    }

    /// `importSpreadsheet(_:name:as:update:ignoring:today:)`, calling `beforeWriting` once every
    /// row is read and checked from the file, just before the write transaction (the tests write
    /// from another connection there).
    func importSpreadsheet(_ data: Data, name: String, as kind: SpreadsheetKind, update: Bool, ignoring: [String] = [],
                           duplicateCheck: Bool = false, today: PartialDate = .today(),
                           beforeWriting: () throws -> Void) throws -> LoadReport {
        let table = try CSVTable(data, name: name)
        // A refusal says which separator the header showed, as a successful import does.
        let described = table.separator == .comma ? name : "\(name) (read with its cells separated by \(table.separator.name))"
        var problems: [ImportProblem] = []
        let ignored = Set(ignoring.map { $0.trimmingWhitespace(newlines: false).lowercased() })
        for column in ignored.sorted() where !table.header.contains(column) {
            problems.append(ImportProblem(location: "line 1", message: "there is no column \"\(TextRules.printable(column))\" to ignore; the file's columns are: \(table.header.map(TextRules.printable).joined(separator: ", "))", isReference: false))
        }
        let unknown = table.header.enumerated().filter { !kind.columns.contains($0.element) && !ignored.contains($0.element) }
        for (index, column) in unknown {
            problems.append(ImportProblem(location: "line 1, column \(index + 1)", message: "\"\(TextRules.printable(column))\" is not a column of \(kind.rawValue); the columns are: \(kind.columns.joined(separator: ", "))", isReference: false, remedy: .ignoreColumn(column)))
        }
        for (index, column) in table.header.enumerated() where table.header.firstIndex(of: column) != index && !ignored.contains(column) {
            problems.append(ImportProblem(location: "line 1, column \(index + 1)", message: "\"\(TextRules.printable(column))\" is already column \(table.header.firstIndex(of: column)! + 1): give each column once", isReference: false))
        }
        for column in kind.required where !table.header.contains(column) || ignored.contains(column) {
            let problem = ignored.contains(column) ? "is to be ignored, but every row needs it" : "is missing"
            problems.append(ImportProblem(location: "line 1", message: "the required column \"\(TextRules.printable(column))\" \(problem)", isReference: false,
                                          remedy: ignored.contains(column) ? .keepColumn(column) : nil))
        }
        if !problems.isEmpty { throw SolidarityError.problems(problems, in: described) }
        // Every row is read and checked from the file alone before the write transaction begins,
        // so that other commands may write meanwhile; the transaction holds what needs the database.
        let rows = table.rows.map { line, cells in
            var values: [String: String] = [:]
            for (index, column) in table.header.enumerated() where index < cells.count && !ignored.contains(column) { values[column] = cells[index] }
            var row = SpreadsheetRow(line: line, values: values)
            if cells.count > table.header.count {
                row.fail("\(table.header.count + 1)", "the row has \(cells.count) cells but the header names \(table.header.count) columns")
            }
            for (index, cell) in cells.enumerated() where index >= table.header.count || !ignored.contains(table.header[index]) {
                if let message = TextRules.problem(in: cell) { row.fail(index < table.header.count ? table.header[index] : "\(index + 1)", message) }
            }
            for column in kind.required where row.text(column) == nil { row.fail(column, "is empty; every row needs a \(column)") }
            return row
        }
        try beforeWriting()
        return try write(announcing: "the import of \(name)") { db in
            var report = LoadReport()
            report.separator = table.separator
            let before = duplicateCheck ? try ImportLookalikes(before: db) : nil
            var conflicts: [String] = []
            var added = Set<String>()
            try SearchIndex.bulk(in: db) {
                for var row in rows {
                    let line = row.line
                    if row.problems.isEmpty {
                        do {
                            try db.inSavepoint {
                                let (outcome, identity) = try SpreadsheetImporter(db: db, update: update, addedByThisFile: added, rule: StatusRule(today: today)).load(&row, as: kind)
                                switch outcome {
                                case .added:
                                    report.added += 1
                                    if let identity { added.insert(identity) }
                                case .unchanged: report.unchanged += 1
                                case .updated: report.updated += 1
                                case .conflict(let label): conflicts.append("line \(line): \(label)")
                                }
                                return row.problems.isEmpty ? .commit : .rollback
                            }
                        } catch let error as SolidarityError {
                            row.fail("name", error.message, reference: error.reason == .notFound || error.reason == .ambiguous, remedy: error.lookupAdvice)
                        }
                    }
                    problems += row.problems
                    report.warnings += row.warnings
                }
            }
            if !problems.isEmpty { throw SolidarityError.problems(problems, in: described) }
            try Outbox(db: db).record(.importCompleted, ImportPayload(source: name, report))
            if !conflicts.isEmpty {
                throw SolidarityError(.conflict, "\(name): \(conflicts.count == 1 ? "1 row differs from a record" : "\(conflicts.count) rows differ from records") already recorded; nothing was imported:\n\(conflicts.map { "  \($0)" }.joined(separator: "\n"))", remedy: .update("take the spreadsheet's values"))
            }
            report.lookalikes = try before?.pairs(in: db) ?? []
            return report
        }
    }
}

/// Turns one spreadsheet row into a record, merging with the record it names when there is one.
private struct SpreadsheetImporter {
    enum Outcome { case added, unchanged, updated, conflict(String) }

    let db: Database
    let update: Bool
    /// Identities of the records earlier rows of this file added: a later row extends them
    /// (a second title on its own row) without a conflict.
    let addedByThisFile: Set<String>
    /// The status a new activity without one takes, and when a done one is too soon.
    let rule: StatusRule

    /// The outcome, and the identity (handle or id) of the record the row landed in.
    func load(_ row: inout SpreadsheetRow, as kind: SpreadsheetKind) throws -> (Outcome, String?) {
        switch kind {
        case .organizations: try organization(&row)
        case .people: try person(&row)
        case .sites: try site(&row)
        case .activities: try activity(&row)
        }
    }

    /// Adds a new record, or compares the row with the existing one: the same is unchanged, a
    /// difference a conflict unless `update`.
    private func merge<T: Equatable>(_ label: String, identity: String?, existing: T?, merged: T, insert: (T) throws -> String,
                                     replace: (T) throws -> Void) throws -> (Outcome, String?) {
        guard let existing else {
            return (.added, try insert(merged))
        }
        if existing == merged { return (.unchanged, identity) }
        if let identity, addedByThisFile.contains(identity) {
            try replace(merged)
            return (.unchanged, identity)
        }
        guard update else { return (.conflict(label), identity) }
        try replace(merged)
        return (.updated, identity)
    }

    private func organization(_ row: inout SpreadsheetRow) throws -> (Outcome, String?) {
        let organizations = Organizations(db: db)
        let handle = row.check("handle") { try Naming.checkHandle($0); return $0 }
        let name = row.text("name")!
        var existing: Organization?
        if let handle {
            existing = try organizations.existing(handle: handle)
        } else {
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM organizations WHERE name_key = ?", arguments: [Naming.key(name)])
            if ids.count > 1 {
                let handles = try organizations.fetch(ids: ids).map(\.handle).joined(separator: ", ")
                row.fail("name", "\"\(TextRules.printable(name))\" is the name of several organizations (\(handles)): add a handle column to say which", reference: true)
                return (.unchanged, nil)
            }
            existing = try organizations.fetch(ids: ids).first
        }
        var o = existing ?? Organization(handle: handle ?? "", name: name)
        o.name = name
        if let v = row.text("acronym") { o.acronym = v }
        if let v = row.text("native_name") { o.nativeName = v }
        if let v = row.check("native_name_lang", { try Naming.checkLanguage($0); return $0 }) { o.nativeNameLang = v }
        if let v = row.check("kind", { text in
            guard let kind = Organization.Kind(rawValue: text.lowercased()) else {
                throw SolidarityError.invalid("not a kind: use one of \(Organization.Kind.words)")
            }
            return kind
        }) { o.kind = v }
        if let v = row.check("country", { try Country($0).code }) { o.country = v }
        let regionCountry = row.text("country").flatMap { try? Country($0).code }
        if let v = row.check("region", { try Region.check($0, country: regionCountry) }) { o.region = v }
        if let v = row.text("city") { o.city = v }
        if let v = row.check("parent", reference: true, { try References(db: db).organization($0).handle }) { o.parent = v }
        if let v = row.check("members", { text in
            guard let n = Int(text.replacingOccurrences(of: ",", with: "")), n >= 0 else { throw SolidarityError.invalid("not a number of members") }
            return n
        }) { o.members = v }
        if let v = row.check("members_as_of", { try PartialDate($0) }) { o.membersAsOf = v }
        if let v = row.text("website") { o.website = v }
        if let v = row.text("notes") { o.notes = v }
        if let v = row.check("sensitive", SpreadsheetRow.flag) { o.sensitive = v }
        for alias in row.list("aliases") {
            let parts = alias.split(separator: "@")
            let entry = parts.count == 2 && (try? Naming.checkLanguage(String(parts[1]))) != nil
                ? Organization.Alias(name: String(parts[0]).trimmingWhitespace(newlines: false), lang: String(parts[1])) : Organization.Alias(name: alias)
            if !o.aliases.contains(where: { $0.name == entry.name }) { o.aliases.append(entry) }
        }
        for campaign in row.list("campaigns") {
            if let handle = row.check("campaigns", { _ in try Campaigns(db: db).handle(tagging: campaign) }), !o.campaigns.contains(handle) {
                o.campaigns.append(handle)
            }
        }
        o.sources = sources(&row, adding: o.sources)
        if !row.problems.isEmpty { return (.unchanged, nil) }
        row.warn(about: o)
        let label = "organization \(existing?.handle ?? name)"
        return try merge(label, identity: existing?.handle, existing: existing, merged: o, insert: { try organizations.insert($0).handle },
                         replace: { new in try organizations.update(existing!.handle) { $0 = new } })
    }

    private func person(_ row: inout SpreadsheetRow) throws -> (Outcome, String?) {
        let people = People(db: db)
        let handle = row.check("handle") { try Naming.checkHandle($0); return $0 }
        let name = row.text("name")!
        var existingID: Int64?
        if let handle {
            existingID = try Int64.fetchOne(db, sql: "SELECT id FROM people WHERE handle = ?", arguments: [handle])
        } else {
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM people WHERE name_key = ?", arguments: [Naming.key(name)])
            if ids.count > 1 {
                let handles = try people.fetch(ids: ids).map(\.handle).joined(separator: ", ")
                row.fail("name", "\"\(TextRules.printable(name))\" is the name of several people (\(handles)): add a handle column to say which", reference: true)
                return (.unchanged, nil)
            }
            existingID = ids.first
        }
        let existing = try existingID.map { try people.fetch(ids: [$0])[0] }
        var p = existing ?? Person(handle: handle ?? "", name: name)
        p.name = name
        if let v = row.text("email") { p.email = v }
        if let v = row.text("phone") { p.phone = v }
        let languages = row.list("languages")
        for lang in languages { _ = row.check("languages") { _ in try Naming.checkLanguage(lang) } }
        if !languages.isEmpty { p.languages = languages }
        if let v = row.text("secure_messaging") { p.secureMessaging = v }
        if let v = row.text("notes") { p.notes = v }
        if let v = row.check("sensitive", SpreadsheetRow.flag) { p.sensitive = v }
        let since = row.check("since") { try PartialDate($0) }
        let until = row.check("until") { try PartialDate($0) }
        let asOf = row.check("as_of") { try PartialDate($0) }
        let titleSource = row.check("title_source", reference: true) { try Sources(db: db).citedID($0) }
        let organization = row.check("organization", reference: true) { try References(db: db).organization($0).handle }
        if let organization, let title = row.text("title") {
            if let index = p.titles.firstIndex(where: { $0.organization == organization && Naming.key($0.title) == Naming.key(title) }) {
                if since != nil { p.titles[index].since = since }
                if until != nil { p.titles[index].until = until }
                if asOf != nil { p.titles[index].asOf = asOf }
                if titleSource != nil { p.titles[index].source = titleSource }
            } else {
                p.titles.append(Person.Title(organization: organization, title: title, since: since, until: until, asOf: asOf, source: titleSource))
            }
        } else if (row.text("organization") == nil) != (row.text("title") == nil) {
            row.fail(row.text("title") == nil ? "title" : "organization", "organization and title go together: give both, or neither")
        } else if row.text("organization") == nil, row.text("as_of") != nil || row.text("title_source") != nil {
            row.fail(row.text("as_of") != nil ? "as_of" : "title_source", "as_of and title_source say where a title comes from: give organization and title too")
        }
        p.sources = sources(&row, adding: p.sources)
        do { try p.validate() } catch let error as SolidarityError { row.fail("email", error.message) }
        if !row.problems.isEmpty { return (.unchanged, nil) }
        row.warn(about: p)
        return try merge("person \(existing?.handle ?? name)", identity: existing?.handle, existing: existing, merged: p,
                         insert: { try people.insert($0).handle }, replace: { new in try people.update(existing!.handle) { $0 = new } })
    }

    private func site(_ row: inout SpreadsheetRow) throws -> (Outcome, String?) {
        let sites = Sites(db: db)
        let id = row.check("id") { try Naming.checkHandle($0); return $0 }
        let employer = row.check("employer", reference: true) { try References(db: db).employer($0) }
        var existingID = try id.flatMap { try Int64.fetchOne(db, sql: "SELECT id FROM sites WHERE uid = ?", arguments: [$0]) }
        if id == nil, let employer {
            // Without an id column, a site is the one of this employer with this name.
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM sites WHERE employer_id = ? AND name_key = ?",
                                         arguments: [employer.id, Naming.key(row.text("name")!)])
            if ids.count > 1 {
                row.fail("name", "\(employer.name) has several sites named \"\(TextRules.printable(row.text("name")!))\": add an id column to say which", reference: true)
                return (.unchanged, nil)
            }
            existingID = ids.first
        }
        let existing = try existingID.map { try sites.fetch(ids: [$0])[0] }
        let country = row.check("country") { try Country($0).code }
        var s = existing ?? Site(id: id ?? "", employer: employer?.handle ?? "", name: row.text("name")!, country: country ?? "")
        s.name = row.text("name")!
        if let employer { s.employer = employer.handle }
        if let country { s.country = country }
        if let v = row.check("region", { try Region.check($0, country: country) }) { s.region = v }
        if let v = row.text("city") { s.city = v }
        if let v = row.text("sector") { s.sector = v }
        if let v = row.text("notes") { s.notes = v }
        let since = row.check("since") { try PartialDate($0) }
        let until = row.check("until") { try PartialDate($0) }
        if Period(since: since, until: until).endsBeforeStart, let since, let until {
            row.fail("until", "\(until) is before since \(since): swap them or correct one")
        }
        for union in row.list("unions") {
            if let handle = row.check("unions", reference: true, { _ in try References(db: db).organization(union).handle }),
               !s.unions.contains(where: { $0.organization == handle && $0.since == since }) {
                s.unions.append(Site.Representation(organization: handle, since: since, until: until))
            }
        }
        s.sources = sources(&row, adding: s.sources)
        if !row.problems.isEmpty { return (.unchanged, nil) }
        row.warn(about: s)
        return try merge("site \(existing?.id ?? s.name)", identity: existing?.id, existing: existing, merged: s, insert: { try sites.insert($0).id },
                         replace: { try sites.replace($0) })
    }

    private func activity(_ row: inout SpreadsheetRow) throws -> (Outcome, String?) {
        let activities = Activities(db: db)
        let id = row.check("id") { try Naming.checkHandle($0); return $0 }
        let kind = row.check("kind") { text in
            guard let kind = Activity.Kind(rawValue: text.lowercased()) else { throw SolidarityError.invalid("not a kind: use one of \(Activity.Kind.words)") }
            return kind
        }
        let title = row.text("title")!
        let start = row.check("start") { try PartialDate($0) }
        var existingID = try id.flatMap { try Int64.fetchOne(db, sql: "SELECT id FROM activities WHERE uid = ?", arguments: [$0]) }
        if id == nil, let kind {
            // Without an id column, an activity is the one of this kind, title and start.
            existingID = try Int64.fetchOne(db, sql: "SELECT id FROM activities WHERE kind = ? AND title = ? AND start IS ?",
                                            arguments: [kind.rawValue, title, start?.description])
        }
        let existing = try existingID.map { try activities.fetch(ids: [$0])[0] }
        var a = existing ?? Activity(id: id ?? "", kind: kind ?? .meeting, title: title)
        a.title = title
        if let kind { a.kind = kind }
        if let start { a.start = start }
        if let v = row.check("end", { try PartialDate($0) }) { a.end = v }
        let stated = row.check("status") { text in
            guard let status = Activity.Status(rawValue: text.lowercased()) else { throw SolidarityError.invalid("not a status: use one of \(Activity.Status.words)") }
            return status
        }
        let countries = row.list("countries"), cities = row.list("cities")
        if !countries.isEmpty || !cities.isEmpty, let stops = row.check(countries.isEmpty ? "cities" : "countries", { _ in try Activity.itinerary(countries: countries, cities: cities) }) {
            a.itinerary = stops
        }
        let organizationColumns: [(String, Activity.OrganizationRole)] = [("hosts", .host), ("senders", .sender), ("participants", .participant), ("organizers", .organizer), ("met", .met)]
        for (column, role) in organizationColumns {
            for ref in row.list(column) {
                if let handle = row.check(column, reference: true, { _ in try References(db: db).organization(ref).handle }),
                   !a.organizations.contains(.init(organization: handle, role: role)) {
                    a.organizations.append(.init(organization: handle, role: role))
                }
            }
        }
        for (column, role) in [("delegates", Activity.PersonRole.delegate), ("speakers", .speaker)] {
            for ref in row.list(column) {
                if let handle = row.check(column, reference: true, { _ in try References(db: db).person(ref).handle }),
                   !a.people.contains(.init(person: handle, role: role)) {
                    a.people.append(.init(person: handle, role: role))
                }
            }
        }
        if let v = row.text("purpose") { a.purpose = v }
        if let v = row.text("outcomes") { a.outcomes = v }
        if let v = row.text("notes") { a.notes = v }
        for ref in row.list("employers") {
            if let handle = row.check("employers", reference: true, { _ in try References(db: db).employer(ref).handle }), !a.employers.contains(handle) {
                a.employers.append(handle)
            }
        }
        for ref in row.list("sites") {
            if let id = row.check("sites", reference: true, { _ in try References(db: db).site(ref).handle }), !a.sites.contains(id) {
                a.sites.append(id)
            }
        }
        for campaign in row.list("campaigns") {
            if let handle = row.check("campaigns", { _ in try Campaigns(db: db).handle(tagging: campaign) }), !a.campaigns.contains(handle) {
                a.campaigns.append(handle)
            }
        }
        a.employers.sort()
        a.sites.sort()
        a.campaigns.sort()
        a.sources = sources(&row, adding: a.sources)
        if let v = row.check("hosted", SpreadsheetRow.flag) { a.hosted = v }
        if let v = row.check("virtual", SpreadsheetRow.flag) { a.virtual = v }
        if let v = row.check("sensitive", SpreadsheetRow.flag) { a.sensitive = v }
        // A row without a status keeps the recorded one; a new activity takes the one its dates give.
        a.status = existing == nil ? rule.status(stated: stated, for: a) : stated ?? a.status
        do { try a.validate() } catch let error as SolidarityError { row.fail(a.end != nil ? "end" : "title", error.message) }
        if !row.problems.isEmpty { return (.unchanged, nil) }
        row.warn(about: a)
        if let reason = rule.doneTooSoon(a) { row.warnings.append("line \(row.line): marked done, but \(reason); it was imported as the file states.") }
        return try merge("activity \(existing?.id ?? title)", identity: existing?.id, existing: existing, merged: a,
                         insert: { try activities.insert($0).id }, replace: { new in try activities.update(existing!.id) { $0 = new } })
    }

    /// The row's sources (URLs or recorded ids) added to those a record has.
    private func sources(_ row: inout SpreadsheetRow, adding current: [String]) -> [String] {
        var result = current
        for source in row.list("sources") {
            if let id = row.check("sources", reference: true, { _ in try Sources(db: db).citedID(source) }), !result.contains(id) {
                result.append(id)
            }
        }
        return result.sorted()
    }
}
