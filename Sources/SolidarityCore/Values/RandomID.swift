import Foundation

/// Short random identifiers for records without a handle (sources now; activities and sites later).
public enum RandomID {
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")

    /// 10 characters of lowercase base32: 50 random bits.
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<10).map { _ in alphabet[Int(generator.next() % 32)] })
    }
}
