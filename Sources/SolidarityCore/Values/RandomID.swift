import Foundation

/// Short random identifiers for records without a handle (sources now; activities and sites later).
public enum RandomID {
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")

    /// 10 characters of lowercase base32: 50 random bits.
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<10).map { _ in alphabet[Int(generator.next() % 32)] })
    }

    /// The id a new record is stored under: `given` when no record has it (refused naming `what`,
    /// "A site", when one does), or a new one when none is given.
    static func claim(_ given: String, for what: String, isTaken: (String) throws -> Bool) throws -> String {
        if given.isEmpty { return make() }
        if try isTaken(given) { throw SolidarityError(.duplicate, "\(what) with id \"\(given)\" already exists.") }
        return given
    }
}
