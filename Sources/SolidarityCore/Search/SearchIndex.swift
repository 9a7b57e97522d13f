import GRDB

/// The full-text search tables (`organization_search`, `person_search`, …), which the migrations'
/// triggers keep in step with their records row by row.
///
/// Row by row is right for one edit and ruinous for an import: every statement that fires a
/// trigger writing to an FTS5 table opens a statement savepoint, and FTS5 flushes its pending
/// index at each one, so a large import builds its index out of thousands of tiny segments
/// (30,000 organizations: 5.2 s with the triggers, 1.6 s in one statement). `bulk(in:_:)` runs a
/// bulk write with the search triggers set aside: cheap temporary triggers note which records the
/// write touched, and when it ends their search rows are rebuilt, one statement per table, and the
/// triggers put back, all in the caller's transaction.
///
/// The rows built here are the rows the triggers build (`SearchIndexTests` compares them table by
/// table); a migration that changes a search table's triggers changes `tables` with it.
enum SearchIndex {
    /// A search table: how its row for a record is built, and which tables' changes touch it.
    struct Table {
        let name: String
        let columns: [String]
        /// Selects `rowid` then `columns`, from the record table aliased `r`.
        let rows: String
        /// Each table whose inserts, updates and deletes change the search row, with the
        /// expression (on `new`/`old`) giving the record's id.
        let touchedBy: [(table: String, id: String)]
    }

    static let tables: [Table] = [
        Table(name: "organization_search", columns: ["name", "acronym", "native_name", "aliases", "city", "notes"],
              rows: """
              SELECT r.id, r.name, r.acronym, r.native_name,
                     coalesce((SELECT group_concat(alias, ' ') FROM organization_aliases WHERE organization_id = r.id), ''),
                     r.city, r.notes
              FROM organizations r
              """,
              touchedBy: [("organizations", "id"), ("organization_aliases", "organization_id")]),
        Table(name: "person_search", columns: ["name", "notes"],
              rows: "SELECT r.id, r.name, r.notes FROM people r",
              touchedBy: [("people", "id")]),
        Table(name: "employer_search", columns: ["name", "aliases", "notes"],
              rows: """
              SELECT r.id, r.name, coalesce((SELECT group_concat(alias, ' ') FROM employer_aliases WHERE employer_id = r.id), ''), r.notes
              FROM employers r
              """,
              touchedBy: [("employers", "id"), ("employer_aliases", "employer_id")]),
        Table(name: "site_search", columns: ["name", "city", "sector", "notes"],
              rows: "SELECT r.id, r.name, r.city, r.sector, r.notes FROM sites r",
              touchedBy: [("sites", "id")]),
        Table(name: "activity_search", columns: ["title", "purpose", "outcomes", "notes", "follow_ups"],
              rows: """
              SELECT r.id, r.title, r.purpose, r.outcomes, r.notes,
                     coalesce((SELECT group_concat(text, ' ') FROM follow_ups WHERE activity_id = r.id), '')
              FROM activities r
              """,
              touchedBy: [("activities", "id"), ("follow_ups", "activity_id")]),
        Table(name: "resolution_search", columns: ["title", "preamble", "clauses"],
              rows: """
              SELECT r.id, r.title, r.preamble,
                     coalesce((SELECT group_concat(text, ' ') FROM resolution_clauses WHERE resolution_id = r.id), '')
              FROM resolutions r
              """,
              touchedBy: [("resolutions", "id"), ("resolution_clauses", "resolution_id")]),
        Table(name: "campaign_search", columns: ["name", "notes"],
              rows: "SELECT r.id, r.name, r.notes FROM campaigns r",
              touchedBy: [("campaigns", "id")]),
    ]

    /// Runs `body`, a bulk write inside the current transaction, with the search rows of what it
    /// touched rebuilt at its end rather than row by row. On error the transaction's rollback
    /// undoes all of it, the triggers' removal included.
    static func bulk<T>(in db: Database, _ body: () throws -> T) throws -> T {
        precondition(db.isInsideTransaction, "a bulk write runs inside the write's transaction")
        // A bulk write inserts into every index of its tables at scattered places; with the
        // page cache of a lookup (16 MiB) an import of a large file re-reads the same index
        // pages from the file over and over. Its cache is larger while it lasts.
        let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -16384
        try db.execute(sql: "PRAGMA cache_size = -262144")
        defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
        let sources = Set(tables.flatMap { $0.touchedBy.map(\.table) })
        let triggers = try Row.fetchAll(db, sql: "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
            .filter { trigger in
                sources.contains(trigger["tbl_name"]) && tables.contains { (trigger["sql"] as String).contains($0.name) }
            }
        for trigger in triggers {
            try db.execute(sql: "DROP TRIGGER main.\((trigger["name"] as String).quotedDatabaseIdentifier)")
        }
        try db.execute(sql: "CREATE TEMP TABLE search_touched (search TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (search, id)) WITHOUT ROWID")
        for table in tables {
            for (source, id) in table.touchedBy {
                for (event, row) in [("INSERT", "new"), ("UPDATE", "new"), ("DELETE", "old")] {
                    try db.execute(sql: """
                        CREATE TEMP TRIGGER \(touchTrigger(table, source, event)) AFTER \(event) ON main.\(source.quotedDatabaseIdentifier) BEGIN
                            INSERT OR IGNORE INTO search_touched (search, id) VALUES ('\(table.name)', \(row).\(id));
                        END
                        """)
                }
            }
        }
        let result = try body()
        for table in tables {
            for (source, _) in table.touchedBy {
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    try db.execute(sql: "DROP TRIGGER temp.\(touchTrigger(table, source, event))")
                }
            }
            let touched = "SELECT id FROM search_touched WHERE search = '\(table.name)'"
            try db.execute(sql: "DELETE FROM \(table.name) WHERE rowid IN (\(touched))")
            try db.execute(sql: """
                INSERT INTO \(table.name) (rowid, \(table.columns.joined(separator: ", ")))
                \(table.rows) WHERE r.id IN (\(touched)) ORDER BY r.id
                """)
        }
        try db.execute(sql: "DROP TABLE temp.search_touched")
        for trigger in triggers {
            try db.execute(sql: trigger["sql"])
        }
        return result
    }

    /// The temporary trigger that notes the records an `event` on `source` touches in `table`.
    private static func touchTrigger(_ table: Table, _ source: String, _ event: String) -> String {
        "\(table.name)_touched_by_\(source)_\(event.lowercased())".quotedDatabaseIdentifier
    }
}
