import GRDB

/// How a listing reads the database: row ids from a cursor, full records a page at a time.
///
/// A listing of millions of records (`org list` of a large directory) holds one page in memory,
/// never the whole result: the ids come one by one from SQLite, and each page of them is fetched
/// with its aliases, titles and sources in a few queries, as a single record would be.
enum ListingPages {
    /// How many records are fetched together.
    static let size = 500

    /// Hands `body` the records of the row ids `sql` selects, one at a time, in the query's order;
    /// `fetch` makes full records of a page of ids, in the order given.
    static func each<Record>(_ db: Database, ids sql: String, arguments: StatementArguments = StatementArguments(),
                             fetch: ([Int64]) throws -> [Record], _ body: (Record) throws -> Void) throws {
        try each(db, ids: SQL(sql: sql, arguments: arguments), fetch: fetch, body)
    }

    /// As above, for a request built with SQL interpolation (its values bound, never spliced in).
    static func each<Record>(_ db: Database, ids request: SQL,
                             fetch: ([Int64]) throws -> [Record], _ body: (Record) throws -> Void) throws {
        var page: [Int64] = []
        page.reserveCapacity(size)
        let ids = try Int64.fetchCursor(db, SQLRequest(literal: request))
        while let id = try ids.next() {
            page.append(id)
            if page.count == size {
                try fetch(page).forEach(body)
                page.removeAll(keepingCapacity: true)
            }
        }
        if !page.isEmpty { try fetch(page).forEach(body) }
    }

    /// The records a listing that hands them one at a time (`each`) gives, gathered in its order.
    static func all<Record>(_ each: ((Record) throws -> Void) throws -> Void) throws -> [Record] {
        var records: [Record] = []
        try each { records.append($0) }
        return records
    }

    /// Appends to the records of `byID` the texts (handles, uids, aliases) `request` gives, in its
    /// order: each of its rows is a record's row id, then one text for the list `list`.
    static func append<Record>(_ request: SQLRequest<Row>, in db: Database, to list: WritableKeyPath<Record, [String]>,
                               of byID: inout [Int64: Record]) throws {
        for row in try Row.fetchAll(db, request) { byID[row[0]]?[keyPath: list].append(row[1]) }
    }

    /// Appends to the records of `byID`, whose row ids the JSON list `ids` holds, the `name`s (handles
    /// or uids) of the records of `targets` the link table `link` links each to, in the order of the names.
    static func appendLinked<Record>(_ link: (some LinkTable).Type, _ targets: String, _ name: String, ids: String, in db: Database,
                                     to list: WritableKeyPath<Record, [String]>, of byID: inout [Int64: Record]) throws {
        func names<Link: LinkTable>(_: Link.Type) -> String {
            """
            SELECT x.\(Link.owner), t.\(name) FROM \(Link.name) x JOIN \(targets) t ON t.id = x.\(Link.target)
            WHERE x.\(Link.owner) IN (SELECT value FROM json_each(?)) ORDER BY t.\(name)
            """
        }
        try append(SQLRequest(sql: names(link), arguments: [ids], cached: true), in: db, to: list, of: &byID)
    }
}

