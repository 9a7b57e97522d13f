import Foundation
import GRDB

extension RawRepresentable where RawValue == String {
    /// The case of this enumeration that `value`, read from `column` of `table`'s row `row`, names.
    ///
    /// A word outside the enumeration (a database changed by hand, or by a newer version that knows
    /// more kinds) is an error naming the table and row, never a silent default such as "meeting".
    public static func stored(_ value: String, column: String, table: String, row: some CustomStringConvertible) throws -> Self {
        guard let known = Self(rawValue: value) else { throw SolidarityError.unknownStored(value, column: column, table: table, row: row) }
        return known
    }
}

extension SolidarityError {
    /// A stored word outside its enumeration: `value` in `column` of `table`'s row `row`.
    static func unknownStored(_ value: String, column: String, table: String, row: some CustomStringConvertible) -> SolidarityError {
        SolidarityError(.database, "\(table) row \(row) has \(column) \"\(value)\", which this version does not know: was the database changed by a newer version of solidarity, or outside it?")
    }
}

extension FetchableRecord where Self: Decodable & TableRecord {
    /// The record `row` holds, decoded as its `Decodable` conformance reads it. A word outside an
    /// enumeration is an error naming the table and the row (by its `id`, unless `name` says how), as `stored` says it.
    public static func decoded(from row: Row, name: (Row) -> String = { "\($0["id"] as Int64)" }) throws -> Self {
        do {
            return try FetchableRecordDecoder().decode(Self.self, from: row)
        } catch let DecodingError.dataCorrupted(context) {
            guard let column = context.codingPath.last?.stringValue, let value = row[column] as String? else { throw DecodingError.dataCorrupted(context) }
            throw SolidarityError.unknownStored(value, column: column, table: databaseTableName, row: name(row))
        }
    }
}
