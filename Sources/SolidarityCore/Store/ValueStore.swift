import GRDB

/// A domain value that checks every field that can be wrong on its face before it is written,
/// normalizing what it can (a trimmed name, an upper-case country code).
protocol Validating {
    mutating func validate() throws
}

extension Organization: Validating {}
extension Person: Validating {}
extension Employer: Validating {}
extension Site: Validating {}
extension Activity: Validating {}
extension Convention: Validating {}
extension Resolution: Validating {}

/// A feature's store of one kind of domain value, which a new value enters by `insert`: checked
/// first, whatever the front end (a command, an import, a spreadsheet), then written.
///
/// Rows are written by prepared statements kept in the connection's cache, not by the records'
/// `insert`, which prepares one per call: an import writes every row this way (base.json at bench
/// scale 0.1: 4.1 s of CPU this way, 12.4 s through GRDB's `insert`; BENCHMARKS.md, "Issue 17").
protocol ValueStore {
    associatedtype Value: Validating
    /// Writes a value `insert` has checked, completing it as stored: the handle or id it was
    /// given, the records it names by their handles.
    func write(_ value: inout Value) throws
}

extension ValueStore {
    /// Checks `value` and writes it; returns it as stored.
    @discardableResult
    func insert(_ value: Value) throws -> Value {
        var value = value
        try value.validate()
        try write(&value)
        return value
    }
}
