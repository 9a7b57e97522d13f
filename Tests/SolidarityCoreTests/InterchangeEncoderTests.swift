import Foundation
import Testing
@testable import SolidarityCore

/// `InterchangeEncoder` writes the bytes Foundation's `JSONEncoder` writes for the same record.
@Suite("Interchange encoder")
struct InterchangeEncoderTests {
    static func foundation(_ value: some Encodable) throws -> String {
        String(decoding: try InterchangeDocument.encoder().encode(value), as: UTF8.self)
    }

    static func ours(_ value: some Encodable, depth: Int = 0) throws -> String {
        var encoder = InterchangeEncoder()
        var bytes: [UInt8] = []
        try encoder.encode(value, depth: depth, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("every record of the seeded export, of every kind, is written byte for byte as Foundation writes it")
    func seededRecords() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let document = try store.export(includeSensitive: true).document
        var checked = 0
        func check(_ records: [some Encodable]) throws {
            for record in records {
                #expect(try Self.ours(record) == Self.foundation(record))
                checked += 1
            }
        }
        try check(document.activities)
        try check(document.campaigns)
        try check(document.conventions)
        try check(document.employers)
        try check(document.organizations)
        try check(document.people)
        try check(document.relationships)
        try check(document.resolutions)
        try check(document.sites)
        try check(document.sources)
        #expect(checked > 80)
        #expect(!document.activities.isEmpty && !document.resolutions.isEmpty && !document.sites.isEmpty)
    }

    @Test("strings with every control character, quotes, backslashes, slashes and non-ASCII text; empty and nested lists")
    func awkwardValues() throws {
        let controls = String(decoding: (0x00...0x1F).map { UInt8($0) } + [0x7F], as: UTF8.self)
        let organization = Organization(
            handle: "x", name: "Ana \"Nena\" O'Brien \\ a/b </script> " + controls, acronym: "ÑÜ✊🏽", nativeName: "日本労働組合総連合会",
            country: "JP", members: 1_234_567, notes: "line one\nline two\r\n\ttabbed",
            aliases: [.init(name: "a"), .init(name: "b", lang: "en")], campaigns: [], sources: ["s1", "s2"])
        #expect(try Self.ours(organization) == Self.foundation(organization))
        let nested: [[String: [Int?]]] = [["b": [1, nil], "a": [], "a_b": [2], "aB": [], "a1": [3], "a10": [], "a2": []], [:]]
        #expect(try Self.ours(nested) == Self.foundation(nested))
    }

    /// A value with the parts of Codable the interchange records do not use today.
    struct Unusual: Encodable {
        enum CodingKeys: String, CodingKey { case small, unsigned, list, parent }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(Int32(-7), forKey: .small)
            try c.encode(UInt8(200), forKey: .unsigned)
            var list = c.nestedUnkeyedContainer(forKey: .list)
            try list.encode(Int16(3))
            try list.encode(UInt64.max)
            var parent = c.superEncoder(forKey: .parent).container(keyedBy: CodingKeys.self)
            try parent.encode(Int8(1), forKey: .small)
            var base = c.superEncoder().singleValueContainer()
            try base.encode("base")
        }
    }

    @Test("keys holding JSON's punctuation, other integer types and super-encoders are written as Foundation writes them")
    func unusualShapes() throws {
        let keys: [String: Int] = ["a:1,b": 1, "x\"y": 2, "": 3, "back\\slash": 4, "z": 5, "a": 6]
        #expect(try Self.ours(keys) == Self.foundation(keys))
        #expect(try Self.ours(Unusual()) == Self.foundation(Unusual()))
    }

    @Test("at a depth, every line after the first is indented by two spaces a level, as the whole document indents it")
    func depth() throws {
        let person = Person(name: "Ana", titles: [.init(organization: "fat", title: "Organizer")])
        let flat = try Self.foundation(person)
        let indented = flat.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { $0.offset == 0 || $0.element.isEmpty ? String($0.element) : "    " + $0.element }.joined(separator: "\n")
        #expect(try Self.ours(person, depth: 2) == indented)
    }

    @Test("a value an interchange record never holds is refused, not written differently")
    func unsupported() {
        #expect(throws: EncodingError.self) { try Self.ours(["ratio": 1.5]) }
    }
}
