import Foundation

/// A closed set of words stored as text (kinds, statuses). Reading an unknown word from a file
/// says which words are allowed, rather than Swift's own message.
public protocol Vocabulary: RawRepresentable, CaseIterable, Decodable where RawValue == String {}

extension Vocabulary {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let word = try container.decode(String.self)
        guard let value = Self(rawValue: word) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(word)\" is not one of: \(Self.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = value
    }

    /// The allowed words, for messages.
    public static var words: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// A record of the interchange format: the keys it may have, so that a misspelt key is reported.
protocol InterchangeRecord: Decodable {
    static var keys: Set<String> { get }
}

extension Organization.Kind: Vocabulary {}
extension Relationship.Kind: Vocabulary {}
extension Relationship.Status: Vocabulary {}

extension Organization: InterchangeRecord { static var keys: Set<String> { Set(CodingKeys.allCases.map(\.stringValue)) } }
extension Person: InterchangeRecord { static var keys: Set<String> { Set(CodingKeys.allCases.map(\.stringValue)) } }
extension Relationship: InterchangeRecord { static var keys: Set<String> { Set(CodingKeys.allCases.map(\.stringValue)) } }
extension Campaign: InterchangeRecord { static var keys: Set<String> { Set(CodingKeys.allCases.map(\.stringValue)) } }
extension Source: InterchangeRecord { static var keys: Set<String> { Set(CodingKeys.allCases.map(\.stringValue)) } }
extension Employer: InterchangeRecord { static var keys: Set<String> { Set(CodingKeys.allCases.map(\.stringValue)) } }
extension Activity: InterchangeRecord { static var keys: Set<String> { Set(CodingKeys.allCases.map(\.stringValue)) } }
extension Convention: InterchangeRecord { static var keys: Set<String> { Set(CodingKeys.allCases.map(\.stringValue)) } }
extension Resolution: InterchangeRecord { static var keys: Set<String> { Set(CodingKeys.allCases.map(\.stringValue)) } }
extension Site: InterchangeRecord { static var keys: Set<String> { Set(CodingKeys.allCases.map(\.stringValue)) } }
