import GRDB

/// A table that links a record to another by their row ids and holds nothing else, such as
/// `organization_sources` (an organization and a source it cites): the tables differ only in
/// their names, so one record type (`LinkRecord`) serves them all.
protocol LinkTable {
    /// The table's name.
    static var name: String { get }
    /// The column of the record that links (`organization_id`).
    static var owner: String { get }
    /// The column of the record it links to (`source_id`).
    static var target: String { get }
}

/// A row of a link table: the record with row id `owner` linked to the one with row id `target`.
struct LinkRecord<Table: LinkTable>: Equatable, FetchableRecord, PersistableRecord {
    static var databaseTableName: String { Table.name }

    var owner: Int64
    var target: Int64

    init(owner: Int64, target: Int64) {
        self.owner = owner
        self.target = target
    }

    init(row: Row) {
        owner = row[Table.owner]
        target = row[Table.target]
    }

    func encode(to container: inout PersistenceContainer) {
        container[Table.owner] = owner
        container[Table.target] = target
    }

    /// The links of the record with row id `owner`.
    static func owned(by owner: Int64) -> QueryInterfaceRequest<Self> {
        filter(Column(Table.owner) == owner)
    }

    /// The row ids of the records linked to the one with row id `target`, for `contains`.
    static func owners(of target: Int64) -> QueryInterfaceRequest<Self> {
        select(Column(Table.owner)).filter(Column(Table.target) == target)
    }
}

/// A record of a table whose primary key is the integer `id`, nil until the row is inserted.
public protocol RowIDRecord: MutablePersistableRecord {
    var id: Int64? { get set }
}

extension RowIDRecord {
    /// Takes the id SQLite gave the new row.
    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
