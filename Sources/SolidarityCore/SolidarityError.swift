/// An error a union staffer can act on: what was wrong and what to do.
///
/// `reason` lets callers match; `description` is the sentence printed on stderr. Usage errors
/// (a value invalid on its face) exit 64, the others 1.
public struct SolidarityError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What kind of failure this is.
    public enum Reason: Equatable, Sendable {
        /// A value invalid on its face: a malformed date, an unknown country code, a bad flag value.
        case invalidInput
        /// A reference that matches nothing.
        case notFound
        /// A reference that matches more than one record.
        case ambiguous
        /// A record that already exists (a duplicate handle, a relationship recorded twice).
        case duplicate
        /// A request that contradicts the data: a cycle, an organization related to itself.
        case conflict
        /// The database file cannot be used: not a database, unwritable, made by a newer version.
        case database
    }

    public var reason: Reason
    public var message: String

    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    public var description: String { message }

    /// Whether this is a usage error (exit 64) rather than a failure against the data (exit 1).
    public var isUsageError: Bool { reason == .invalidInput }

    public static func invalid(_ message: String) -> SolidarityError { .init(.invalidInput, message) }
}
