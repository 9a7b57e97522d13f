// Statements prepared once and kept in the connection's cache, for the writes and checks an
// import repeats for every record.

import GRDB

extension EncodableRecord where Self: TableRecord {
    /// Inserts this record as a new row through a statement prepared once per table and column
    /// set, kept in the connection's statement cache; `db.lastInsertedRowID` is its rowid after.
    ///
    /// GRDB's `insert` builds and prepares its statement on every call, which an import pays per
    /// row: base.json at bench scale 0.1 took 4.4 s of CPU with prepared statements and 12.4 s
    /// with `insert` (BENCHMARKS.md, "Issue 17"). Only the table's and columns' names enter the
    /// statement's text; every value is an argument.
    func insertRow(_ db: Database, ignoringConflicts: Bool = false) throws {
        let values = try databaseDictionary.sorted { $0.key < $1.key }
        let columns = values.map(\.key.quotedDatabaseIdentifier).joined(separator: ", ")
        let placeholders = databaseQuestionMarks(count: values.count)
        let sql = "INSERT \(ignoringConflicts ? "OR IGNORE " : "")INTO \(Self.databaseTableName.quotedDatabaseIdentifier) (\(columns)) VALUES (\(placeholders))"
        try db.cachedStatement(sql: sql).execute(arguments: StatementArguments(values.map(\.value)))
    }
}

extension Database {
    /// Whether `sql` selects a row, through a statement kept in the connection's cache: the one
    /// existence check. A request of GRDB's query interface (`isEmpty`) is prepared again on each
    /// call, which an import pays for each record it checks (see `insertRow`); a check written with
    /// SQL interpolation renders its text on each call, 1.5 µs more than this (BENCHMARKS.md, "Issue 17").
    func exists(cached sql: String, arguments: StatementArguments = StatementArguments()) throws -> Bool {
        try Int.fetchOne(cachedStatement(sql: sql), arguments: arguments) != nil
    }
}
