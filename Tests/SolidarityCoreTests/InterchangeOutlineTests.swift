import Foundation
import GRDB
import Testing
@testable import SolidarityCore

/// `InterchangeOutline` says "clean" only of a file the careful reading finds nothing wrong with
/// in its shape and text, and `DocumentReader` reads such a file to the same document, or the same
/// problems, as the careful reading.
@Suite("Interchange outline")
struct InterchangeOutlineTests {
    static let sections: [String: Set<String>] = ["organizations": Organization.keys, "activities": Activity.keys, "sources": Source.keys]
    static let others: Set<String> = ["format", "home", "includes_sensitive"]

    static func outline(_ text: String) -> InterchangeOutline? {
        InterchangeOutline(of: Data(text.utf8), sections: sections, others: others)
    }

    @Test("a clean file's identities, section by section, in order: the handle, else the id")
    func identities() throws {
        let outline = try #require(Self.outline("""
            { "format": "solidarity/1", "home": null, "includes_sensitive": false,
              "organizations": [ {"handle": "ue", "name": "UE", "aliases": [{"alias": "Électriciens\\n\\t\\"unis\\" \\u00e9 \\ud83d\\ude00"}]},
                                 {"name": "no handle"} , {"handle": "fat", "notes": null, "members": -12.5e3} ],
              "activities": [ {"id": "a1", "itinerary": [[], {}, [{"city": "Ōsaka"}]]} ],
              "sources": null }
            """))
        #expect(outline.identities["organizations"] == ["ue", nil, "fat"])
        #expect(outline.identities["activities"] == ["a1"])
        #expect(outline.identities["sources"] == nil)
    }

    @Test("whatever the careful reading would have something to say about makes the outline nil", arguments: [
        #"[]"#,
        #"{"format": "solidarity/1", "organizations": []} trailing"#,
        #"{"format": "solidarity/1", "format": "solidarity/1"}"#,
        #"{"format": "solidarity/1", "newer": 1}"#,
        #"{"format": "solidarity/1", "organizations": {}}"#,
        #"{"format": "solidarity/1", "organizations": ["ue"]}"#,
        #"{"format": "solidarity/1", "organizations": [{"handle": "ue", "nmae": "UE"}]}"#,
        #"{"format": "solidarity/1", "organizations": [{"handle": "ue", "handle": "fat"}]}"#,
        #"{"format": "solidarity/1", "organizations": [{"handle": "ue", "aliases": [{"alias": "a", "alias": "b"}]}]}"#,
        #"{"format": "solidarity/1", "organizations": [{"handle": "ue", "name": "bell \u0007"}]}"#,
        #"{"format": "solidarity/1", "organizations": [{"handle": "ue", "name": "escape \u001B[31m"}]}"#,
        #"{"format": "solidarity/1", "organizations": [{"handle": "ue", "name": "next line \u0085"}]}"#,
        #"{"format": "solidarity/1", "organizations": [{"handle": "ue", "name": "backspace \b"}]}"#,
        #"{"format": "solidarity/1", "organizations": [{"handle": "ue", "name": "not an escape \q"}]}"#,
        #"{"format": "solidarity/1", "organizations": [{"handle": "ue", "name": "short \u00"}]}"#,
        #"{"format": "solidarity/1", "home": "ue\u0000"}"#,
        #"{"format": "solidarity/1", "organizations": [{"handle": "ue", "name": "unterminated}]}"#,
        #"{"format": "solidarity/1", "organizations": [{"handle": "ue",}]}"#,
        #"{"format": "solidarity/1", "organizations": [{"handle": "ue"} {"handle": "fat"}]}"#,
        #"{"format": "solidarity/1", "organizations": [{"handle": "ue", "sensitive": tru}]}"#,
        #"{"format": "solidarity/1", "organizations": [{"handle": "ue", "notes": }]}"#,
        #"{"format": "solidarity/1", "organizations": [{"handle": "u\u0065"}]}"#,
    ])
    func notClean(text: String) {
        #expect(Self.outline(text) == nil)
    }

    @Test("raw control bytes, a raw C1 control and a field longer than any text may be make the outline nil")
    func rawBytes() {
        func file(_ name: [UInt8]) -> Data {
            Data(#"{"format": "solidarity/1", "organizations": [{"handle": "ue", "name": ""#.utf8) + Data(name) + Data(#""}]}"#.utf8)
        }
        for bytes: [UInt8] in [[0x41, 0x0A], [0x41, 0x7F], [0x41, 0xC2, 0x85], Array(repeating: 0x41, count: TextRules.maximumLength + 1)] {
            #expect(InterchangeOutline(of: file(bytes), sections: Self.sections, others: Self.others) == nil)
        }
        let fine: [UInt8] = Array("Électriciens ".utf8) + [0xC2, 0xA0] + Array(repeating: 0x41, count: 1000)
        #expect(InterchangeOutline(of: file(fine), sections: Self.sections, others: Self.others) != nil)
    }

    /// Both readings of `text` in the seeded database: the document, or the error's message.
    static func readings(_ text: String, in store: Store) throws -> (String, String) {
        try store.read { db in
            func reading(carefully: Bool) -> String {
                var reader = DocumentReader(name: "file.json", carefully: carefully)
                do {
                    let read = try reader.read(Data(text.utf8))
                    try read.check(in: db)
                    return String(decoding: try read.document().encoded(), as: UTF8.self)
                } catch {
                    return "\(error)"
                }
            }
            return (reading(carefully: false), reading(carefully: true))
        }
    }

    @Test("the seeded export, and files whose records are wrong in ways only their checks find, read alike both ways")
    func sameAsCareful() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let export = String(decoding: try store.export(includeSensitive: true).document.encoded(), as: UTF8.self)
        let (quick, careful) = try Self.readings(export, in: store)
        #expect(quick == careful)
        #expect(quick.contains("\"handle\" : \"ue\""))
        let organization = #"{"handle": "x-%@", "name": "%@", "kind": "union", "country": %@, "parent": %@, "sources": [%@]}"#
        func file(_ organizations: [(String, String, String, String, String)], relationships: String = "") -> String {
            let records = organizations.map { String(format: organization, $0.0, $0.1, $0.2, $0.3, $0.4) }
            return #"{"format": "solidarity/1", "organizations": [\#(records.joined(separator: ","))], "relationships": [\#(relationships)]}"#
        }
        let files = [
            file([("one", "One", "\"US\"", "null", ""), ("two", "Two", "null", "\"x-one\"", "")]),
            file([("one", "One", "\"USA\"", "null", "")]),
            file([("one", "", "null", "null", "")]),
            file([("one", "One", "null", "null", ""), ("one", "Again", "null", "null", "")]),
            file([("one", "One", "null", "\"nowhere\"", "\"s-missing\"")]),
            file([("One Two", "One", "null", "null", "")]),
            file([("one", "One", "null", "null", "")], relationships: #"{"from": "x-one", "to": "x-one", "kind": "partner"}"#),
            file([("one", "One", "null", "null", "")], relationships: #"{"from": "x-one", "to": "ue", "kind": "partner", "since": "2025-13"}"#),
        ]
        for text in files {
            let (quick, careful) = try Self.readings(text, in: store)
            #expect(quick == careful, "\(text)")
        }
        // Every one of them is clean in outline: what is wrong with them is for the decoding and
        // the records' checks to find, on the quick way as on the careful one.
        let clean = files.filter { InterchangeOutline(of: Data($0.utf8), sections: DocumentReader.sections, others: DocumentReader.otherKeys) != nil }
        #expect(clean.count == files.count)
    }
}
