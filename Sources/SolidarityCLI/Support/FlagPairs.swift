import ArgumentParser
import Foundation
import SolidarityCore

/// A repeatable flag with a qualifier that belongs to it: `--follow-up TEXT [--due D]`,
/// `--union REF [--since D]`. Each qualifier goes with the flag written before it on the command
/// line; a flag without one has none.
///
/// The argument parser keeps the order of each repeated flag's values but not how two flags
/// interleave, so the pairing is read from the raw arguments of this run, which the root command
/// hands down (`Invocation.current.arguments`).
struct FlagPair {
    /// The repeatable flag, without dashes ("follow-up").
    let flag: String
    /// The flag that qualifies it ("due").
    let qualifier: String
    /// A command-line fragment showing the right order, for the error message.
    let example: String

    /// For each value of the flag, in order, the index of its qualifier's value, or nil.
    ///
    /// `flags` and `qualifiers` are the values the parser read; they check the reading of the raw
    /// arguments. A qualifier written before any occurrence of the flag, or a second one after the
    /// same occurrence, is a usage error: it is not clear what the user meant.
    func pairs(flags: [String], qualifiers: Int, in arguments: [String] = Invocation.current.arguments) throws -> [Int?] {
        var pairs: [Int?] = []
        var values: [String] = []
        var qualifierValues: [String] = []
        var index = 0
        while index < arguments.count {
            let token = arguments[index]
            if token == "--" { break }
            let (name, inline) = Self.split(token)
            guard name == flag || name == qualifier else {
                index += 1
                continue
            }
            let value = inline ?? (index + 1 < arguments.count ? arguments[index + 1] : "")
            index += inline == nil ? 2 : 1
            if name == flag {
                pairs.append(nil)
                values.append(value)
                continue
            }
            guard let last = pairs.indices.last else {
                throw ValidationError("--\(qualifier) \(value) comes before any --\(flag): write each --\(qualifier) right after the --\(flag) it belongs to, as in \(example).")
            }
            if let earlier = pairs[last] {
                throw ValidationError("--\(flag) \"\(TextRules.printable(values[last]))\" is followed by two --\(qualifier) values (\(qualifierValues[earlier]) and \(value)): each --\(qualifier) goes with the --\(flag) written before it, as in \(example).")
            }
            pairs[last] = qualifierValues.count
            qualifierValues.append(value)
        }
        guard values == flags, qualifierValues.count == qualifiers else {
            // Not this run's arguments (the command was parsed from elsewhere): pair in order.
            return flags.indices.map { $0 < qualifiers ? $0 : nil }
        }
        return pairs
    }

    /// "--due=2027-06" is ("due", "2027-06"); "--due" is ("due", nil); anything else has no flag name.
    private static func split(_ token: String) -> (name: String?, value: String?) {
        guard token.hasPrefix("--"), token.count > 2 else { return (nil, nil) }
        let body = token.dropFirst(2)
        guard let equals = body.firstIndex(of: "=") else { return (String(body), nil) }
        return (String(body[..<equals]), String(body[body.index(after: equals)...]))
    }
}
