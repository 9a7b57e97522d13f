import Foundation

/// What one pass over an interchange file's bytes finds out without building it: whether the file
/// is one the careful reading would find nothing wrong with in its shape and text, and if so the
/// handle or id of each record and where its bytes are, section by section.
///
/// `DocumentReader` reads a clean file by decoding its records one at a time from where the outline
/// found them, so that the file is never held decoded whole; anything out of the ordinary (JSON that
/// is not an object of lists of objects, a key that is not the format's, a text `TextRules` refuses
/// or might, a key given twice) makes the outline nil, and the reader then takes the file apart
/// value by value to say what is wrong and where. The outline therefore only has to be sure when it
/// says "clean"; when unsure it says nothing.
struct InterchangeOutline {
    /// The identity of each record (its "handle", else its "id"), in the file's order, per section.
    let identities: [String: [String?]]
    /// Where each record's bytes are (offsets from the file's first byte), in the file's order, per
    /// section: a record can be decoded on its own, so the file need never be decoded whole.
    let ranges: [String: [Range<Int>]]
    /// Where the value of each other top-level key ("format", "home", …) is.
    let values: [String: Range<Int>]

    /// The outline of `data`, or nil if the file needs the careful reading. `sections` are the
    /// keys of the top-level lists with the keys their records may have; `others` the other
    /// top-level keys of the format.
    init?(of data: Data, sections: [String: Set<String>], others: Set<String>) {
        let found: Scanner.Found? = data.withUnsafeBytes { bytes in
            var scanner = Scanner(bytes: bytes.bindMemory(to: UInt8.self))
            return scanner.document(sections: sections, others: others)
        }
        guard let found else { return nil }
        identities = found.identities
        ranges = found.ranges
        values = found.values
    }

    /// Reads the bytes; every method returns nil (or false) at the first thing it is not sure of.
    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        /// What the pass found: the outline's parts.
        struct Found {
            var identities: [String: [String?]] = [:]
            var ranges: [String: [Range<Int>]] = [:]
            var values: [String: Range<Int>] = [:]
        }

        mutating func document(sections: [String: Set<String>], others: Set<String>) -> Found? {
            var found = Found()
            var seen = Set<String>()
            guard take(UInt8(ascii: "{")) else { return nil }
            if !take(UInt8(ascii: "}")) {
                repeat {
                    guard let key = string(), seen.insert(key).inserted, take(UInt8(ascii: ":")) else { return nil }
                    if let keys = sections[key] {
                        if literal("null") { continue }
                        guard let list = records(keys: keys) else { return nil }
                        found.identities[key] = list.identities
                        found.ranges[key] = list.ranges
                    } else {
                        skipSpace()
                        let start = at
                        guard others.contains(key), value(depth: 1) else { return nil }
                        found.values[key] = start..<at
                    }
                } while take(UInt8(ascii: ","))
                guard take(UInt8(ascii: "}")) else { return nil }
            }
            skipSpace()
            return at == bytes.count ? found : nil
        }

        /// A list of records, each an object with only `keys`; their identities and ranges.
        private mutating func records(keys: Set<String>) -> (identities: [String?], ranges: [Range<Int>])? {
            var identities: [String?] = []
            var ranges: [Range<Int>] = []
            guard take(UInt8(ascii: "[")) else { return nil }
            if take(UInt8(ascii: "]")) { return (identities, ranges) }
            repeat {
                guard take(UInt8(ascii: "{")) else { return nil }
                let start = at - 1
                var seen: [String] = []
                var handle: String?, id: String?
                if !take(UInt8(ascii: "}")) {
                    repeat {
                        guard let key = string(), keys.contains(key), !seen.contains(key), take(UInt8(ascii: ":")) else { return nil }
                        seen.append(key)
                        if key == "handle" || key == "id", peek() == UInt8(ascii: "\"") {
                            guard let text = string() else { return nil }
                            if key == "handle" { handle = text } else { id = text }
                        } else {
                            guard value(depth: 2) else { return nil }
                        }
                    } while take(UInt8(ascii: ","))
                    guard take(UInt8(ascii: "}")) else { return nil }
                }
                identities.append(handle ?? id)
                ranges.append(start..<at)
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "]")) ? (identities, ranges) : nil
        }

        /// Any JSON value, skipped; its texts checked.
        private mutating func value(depth: Int) -> Bool {
            guard depth < 64 else { return false }
            skipSpace()
            guard at < bytes.count else { return false }
            switch bytes[at] {
            case UInt8(ascii: "\""):
                return skipString()
            case UInt8(ascii: "{"):
                at += 1
                if take(UInt8(ascii: "}")) { return true }
                var seen: [String] = []
                repeat {
                    guard let key = string(), !seen.contains(key), take(UInt8(ascii: ":")), value(depth: depth + 1) else { return false }
                    seen.append(key)
                } while take(UInt8(ascii: ","))
                return take(UInt8(ascii: "}"))
            case UInt8(ascii: "["):
                at += 1
                if take(UInt8(ascii: "]")) { return true }
                repeat {
                    guard value(depth: depth + 1) else { return false }
                } while take(UInt8(ascii: ","))
                return take(UInt8(ascii: "]"))
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            default:
                // A number: its exact form is JSONDecoder's to judge.
                let start = at
                while at < bytes.count, Self.isNumberByte(bytes[at]) { at += 1 }
                return at > start
            }
        }

        /// A string without escapes, as a String (keys and identities are plain in any file
        /// solidarity writes); nil for anything else.
        private mutating func string() -> String? {
            skipSpace()
            let start = at + 1
            guard skipString(plain: true) else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<(at - 1)]), as: UTF8.self)
        }

        /// Passes over a string whose text `TextRules` surely accepts: no control character, raw
        /// or escaped, and no more bytes than a field's characters (more bytes than that may
        /// still be fewer characters: the careful reading decides). With `plain`, no escapes.
        private mutating func skipString(plain: Bool = false) -> Bool {
            guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { return false }
            at += 1
            let start = at
            var previous: UInt8 = 0
            while at < bytes.count {
                let byte = bytes[at]
                switch byte {
                case UInt8(ascii: "\""):
                    at += 1
                    return at - start <= TextRules.maximumLength
                case UInt8(ascii: "\\"):
                    guard !plain, at + 1 < bytes.count else { return false }
                    switch bytes[at + 1] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        at += 2
                    case UInt8(ascii: "u"):
                        guard at + 5 < bytes.count, let code = Self.hex(bytes[(at + 2)...(at + 5)]),
                              let scalar = Unicode.Scalar(code) ?? Unicode.Scalar(0xFFFD), !TextRules.isControl(scalar) else { return false }
                        at += 6
                    default:
                        return false  // \b, \f (controls) or not an escape at all
                    }
                    previous = 0
                    continue
                case 0x00..<0x20, 0x7F:
                    return false
                case 0x80...0x9F where previous == 0xC2:
                    return false
                default:
                    break
                }
                previous = byte
                at += 1
            }
            return false
        }

        private mutating func literal(_ word: StaticString) -> Bool {
            skipSpace()
            let count = word.utf8CodeUnitCount
            guard at + count <= bytes.count else { return false }
            for offset in 0..<count where bytes[at + offset] != word.utf8Start[offset] { return false }
            at += count
            return true
        }

        private mutating func take(_ byte: UInt8) -> Bool {
            skipSpace()
            guard at < bytes.count, bytes[at] == byte else { return false }
            at += 1
            return true
        }

        private mutating func peek() -> UInt8? {
            skipSpace()
            return at < bytes.count ? bytes[at] : nil
        }

        private mutating func skipSpace() {
            while at < bytes.count {
                switch bytes[at] {
                case 0x20, 0x0A, 0x0D, 0x09: at += 1
                default: return
                }
            }
        }

        private static func isNumberByte(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): true
            default: false
            }
        }

        private static func hex(_ digits: Slice<UnsafeBufferPointer<UInt8>>) -> UInt32? {
            var value: UInt32 = 0
            for digit in digits {
                let nibble: UInt8
                switch digit {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = digit - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = digit - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = digit - UInt8(ascii: "A") + 10
                default: return nil
                }
                value = value << 4 | UInt32(nibble)
            }
            return value
        }
    }
}
