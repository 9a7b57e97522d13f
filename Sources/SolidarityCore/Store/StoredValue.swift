import Foundation

extension RawRepresentable where RawValue == String {
    /// The case of this enumeration that `value`, read from `column` of `table`'s row `row`, names.
    ///
    /// A word outside the enumeration (a database changed by hand, or by a newer version that knows
    /// more kinds) is an error naming the table and row, never a silent default such as "meeting".
    public static func stored(_ value: String, column: String, table: String, row: some CustomStringConvertible) throws -> Self {
        guard let known = Self(rawValue: value) else {
            throw SolidarityError(.database, "\(table) row \(row) has \(column) \"\(value)\", which this version does not know: was the database changed by a newer version of solidarity, or outside it?")
        }
        return known
    }
}
