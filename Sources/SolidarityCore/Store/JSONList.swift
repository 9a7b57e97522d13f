import Foundation

/// A list of row ids or handles bound as one argument: a JSON array that SQL reads with
/// `IN (SELECT value FROM json_each(?))`. One cached statement then serves lists of any length,
/// where `IN (?, ?, …)` would compile a statement for each length.
enum JSONList {
    /// The ids as a JSON array, in the order given.
    static func of(_ ids: some Sequence<Int64>) -> String {
        "[" + ids.map(String.init).joined(separator: ",") + "]"
    }

    /// The texts (handles, uids) as a JSON array, each once, in ascending order.
    static func of(_ texts: some Sequence<String>) -> String {
        // Encoding an array of strings cannot fail.
        let data = try? JSONEncoder().encode(Set(texts).sorted())
        return data.map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }
}
