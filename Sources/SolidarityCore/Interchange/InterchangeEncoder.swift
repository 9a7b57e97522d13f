import Foundation

/// Writes an interchange record as the bytes `InterchangeDocument.encoder()` (Foundation's
/// `JSONEncoder`, pretty-printed, keys sorted, slashes unescaped) gives it, indented to a depth,
/// about three times faster: Foundation's encoder asks of every value whether it is one of its
/// special types (dates, data, URLs, dictionaries), which is most of an export's time.
///
/// It knows what the interchange records hold — strings, whole numbers, booleans, nulls, arrays
/// and keyed objects — and refuses anything else. Keys are ordered as Foundation orders them:
/// each distinct set of keys is sorted once by Foundation itself. `StreamedExportTests` and
/// `InterchangeEncoderTests` hold the bytes to Foundation's.
struct InterchangeEncoder {
    /// For each record shape (its keys in encoding order), the order Foundation writes them in.
    private var orders: [[String]: [Int]] = [:]

    /// Appends `value` to `output`, as it would stand at `depth` levels of indentation.
    mutating func encode(_ value: some Encodable, depth: Int, into output: inout [UInt8]) throws {
        let encoder = NodeEncoder()
        try value.encode(to: encoder)
        write(encoder.node, depth: depth, into: &output)
    }

    private mutating func write(_ node: Node, depth: Int, into output: inout [UInt8]) {
        switch node {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let text): output.append(contentsOf: text.utf8)
        case .string(let text): Self.write(string: text, into: &output)
        case .array(let array):
            output.append(UInt8(ascii: "["))
            output.append(0x0A)
            for (index, item) in array.items.enumerated() {
                if index > 0 { output.append(contentsOf: ",\n".utf8) }
                Self.indent(depth + 1, into: &output)
                write(item, depth: depth + 1, into: &output)
            }
            output.append(0x0A)
            Self.indent(depth, into: &output)
            output.append(UInt8(ascii: "]"))
        case .deferred(let encoder):
            write(encoder.node, depth: depth, into: &output)
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            output.append(0x0A)
            for (position, index) in order(of: object.keys).enumerated() {
                if position > 0 { output.append(contentsOf: ",\n".utf8) }
                Self.indent(depth + 1, into: &output)
                Self.write(string: object.keys[index], into: &output)
                output.append(contentsOf: " : ".utf8)
                write(object.values[index], depth: depth + 1, into: &output)
            }
            output.append(0x0A)
            Self.indent(depth, into: &output)
            output.append(UInt8(ascii: "}"))
        }
    }

    private static func indent(_ depth: Int, into output: inout [UInt8]) {
        for _ in 0..<(depth * 2) { output.append(UInt8(ascii: " ")) }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A JSON string as Foundation writes it with `.withoutEscapingSlashes`.
    static func write(string: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): output.append(contentsOf: "\\\\".utf8)
            case 0x08: output.append(contentsOf: "\\b".utf8)
            case 0x0C: output.append(contentsOf: "\\f".utf8)
            case 0x0A: output.append(contentsOf: "\\n".utf8)
            case 0x0D: output.append(contentsOf: "\\r".utf8)
            case 0x09: output.append(contentsOf: "\\t".utf8)
            case 0x00...0x1F:
                output.append(contentsOf: "\\u00".utf8)
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// The order Foundation's sorted-keys output gives these keys, found once per set of keys by
    /// asking Foundation.
    private mutating func order(of keys: [String]) -> [Int] {
        if let known = orders[keys] { return known }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let sample = Dictionary(keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let json = Array((try? encoder.encode(sample)) ?? Data())
        // `{"a":0,"b":1}`: the values, in the order written, are the keys' positions. Each key is
        // skipped escape by escape, so that a key may hold any character.
        var order: [Int] = []
        var index = 1
        while index < json.count - 1 {
            index += 1
            while json[index] != UInt8(ascii: "\"") { index += json[index] == UInt8(ascii: "\\") ? 2 : 1 }
            index += 2
            var position = 0
            while index < json.count, (0x30...0x39).contains(json[index]) {
                position = position * 10 + Int(json[index] - 0x30)
                index += 1
            }
            order.append(position)
            index += 1
        }
        precondition(order.count == keys.count && Set(order).count == keys.count, "Foundation wrote the keys \(keys) as \(order)")
        orders[keys] = order
        return order
    }
}

/// A JSON value being built by `NodeEncoder`; lists and objects are references, so that a
/// container handed out can fill them in.
private enum Node {
    case null, bool(Bool), number(String), string(String)
    case array(ArrayBox), object(ObjectBox)
    /// What a super-encoder handed out writes, read when the record is written.
    case deferred(NodeEncoder)
}

private final class ArrayBox {
    var items: [Node] = []
}

private final class ObjectBox {
    var keys: [String] = []
    var values: [Node] = []
}

private final class NodeEncoder: Encoder {
    var node: Node = .null
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init() {}

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object(let existing) = node { return KeyedEncodingContainer(KeyedContainer(object: existing)) }
        let object = ObjectBox()
        node = .object(object)
        return KeyedEncodingContainer(KeyedContainer(object: object))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array(let existing) = node { return UnkeyedContainer(array: existing) }
        let array = ArrayBox()
        node = .array(array)
        return UnkeyedContainer(array: array)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleValueContainer(encoder: self) }

    /// The node of any value, with the common leaves taken without a nested encoder.
    /// The common value types, by identity: computed once, since naming `String?.self` asks the
    /// runtime for the metadata each time.
    private static let string = ObjectIdentifier(String.self), optionalString = ObjectIdentifier(String?.self)
    private static let date = ObjectIdentifier(PartialDate.self), optionalDate = ObjectIdentifier(PartialDate?.self)
    private static let bool = ObjectIdentifier(Bool.self), int = ObjectIdentifier(Int.self), optionalInt = ObjectIdentifier(Int?.self)
    /// The same optionals as `@Nullable` fields, laid out as the optional they wrap.
    private static let nullableString = ObjectIdentifier(Nullable<String>.self), nullableDate = ObjectIdentifier(Nullable<PartialDate>.self)
    private static let nullableInt = ObjectIdentifier(Nullable<Int>.self)

    /// The node of any value, with the common leaves taken without a nested encoder. (Types are
    /// told apart by identity, a pointer comparison, where a failed `as?` cast walks the runtime's
    /// type metadata: this runs for every value exported.)
    static func node<T: Encodable>(of value: T) throws -> Node {
        switch ObjectIdentifier(T.self) {
        case string: return .string(unsafeBitCast(value, to: String.self))
        case optionalString: return unsafeBitCast(value, to: String?.self).map(Node.string) ?? .null
        // A partial date encodes itself as its text (PartialDate.encode(to:)).
        case date: return .string(unsafeBitCast(value, to: PartialDate.self).description)
        case optionalDate: return unsafeBitCast(value, to: PartialDate?.self).map { .string($0.description) } ?? .null
        case bool: return .bool(unsafeBitCast(value, to: Bool.self))
        case int: return .number(String(unsafeBitCast(value, to: Int.self)))
        case optionalInt: return unsafeBitCast(value, to: Int?.self).map { .number(String($0)) } ?? .null
        case nullableString: return unsafeBitCast(value, to: Nullable<String>.self).wrappedValue.map(Node.string) ?? .null
        case nullableDate: return unsafeBitCast(value, to: Nullable<PartialDate>.self).wrappedValue.map { .string($0.description) } ?? .null
        case nullableInt: return unsafeBitCast(value, to: Nullable<Int>.self).wrappedValue.map { .number(String($0)) } ?? .null
        default:
            let encoder = NodeEncoder()
            try value.encode(to: encoder)
            return encoder.node
        }
    }

    static func unsupported(_ value: Any) -> EncodingError {
        EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "an interchange record holds no \(type(of: value))"))
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let object: ObjectBox
    var codingPath: [any CodingKey] { [] }

    /// Sets a key's value; a key encoded twice keeps its last value, as with Foundation.
    private func set(_ node: Node, for key: Key) {
        let name = key.stringValue
        if let index = object.keys.firstIndex(of: name) {
            object.values[index] = node
        } else {
            object.keys.append(name)
            object.values.append(node)
        }
    }

    mutating func encodeNil(forKey key: Key) throws { set(.null, for: key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), for: key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), for: key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(.number(String(value)), for: key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { set(.number(String(value)), for: key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { throw NodeEncoder.unsupported(value) }
    mutating func encode(_ value: Float, forKey key: Key) throws { throw NodeEncoder.unsupported(value) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { set(try NodeEncoder.node(of: value), for: key) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = ObjectBox()
        set(.object(nested), for: key)
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(object: nested))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = ArrayBox()
        set(.array(nested), for: key)
        return UnkeyedContainer(array: nested)
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }
    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }

    private func superEncoder(named name: String) -> any Encoder {
        let encoder = NodeEncoder()
        object.keys.append(name)
        object.values.append(.deferred(encoder))
        return encoder
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let array: ArrayBox
    var codingPath: [any CodingKey] { [] }
    var count: Int { array.items.count }

    mutating func encodeNil() throws { array.items.append(.null) }
    mutating func encode(_ value: Bool) throws { array.items.append(.bool(value)) }
    mutating func encode(_ value: String) throws { array.items.append(.string(value)) }
    mutating func encode(_ value: Int) throws { array.items.append(.number(String(value))) }
    mutating func encode(_ value: Int64) throws { array.items.append(.number(String(value))) }
    mutating func encode(_ value: Double) throws { throw NodeEncoder.unsupported(value) }
    mutating func encode(_ value: Float) throws { throw NodeEncoder.unsupported(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { array.items.append(try NodeEncoder.node(of: value)) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = ObjectBox()
        array.items.append(.object(nested))
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(object: nested))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = ArrayBox()
        array.items.append(.array(nested))
        return UnkeyedContainer(array: nested)
    }

    mutating func superEncoder() -> any Encoder {
        let encoder = NodeEncoder()
        array.items.append(.deferred(encoder))
        return encoder
    }
}

private struct SingleValueContainer: SingleValueEncodingContainer {
    let encoder: NodeEncoder
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { encoder.node = .null }
    mutating func encode(_ value: Bool) throws { encoder.node = .bool(value) }
    mutating func encode(_ value: String) throws { encoder.node = .string(value) }
    mutating func encode(_ value: Int) throws { encoder.node = .number(String(value)) }
    mutating func encode(_ value: Int64) throws { encoder.node = .number(String(value)) }
    mutating func encode(_ value: Double) throws { throw NodeEncoder.unsupported(value) }
    mutating func encode(_ value: Float) throws { throw NodeEncoder.unsupported(value) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        // The integer types without an overload here (Int8, UInt32, …) arrive as T and encode
        // themselves through this very container: written here, or they would recurse.
        if let integer = value as? any FixedWidthInteger {
            encoder.node = .number(String(describing: integer))
            return
        }
        encoder.node = try NodeEncoder.node(of: value)
    }
}
