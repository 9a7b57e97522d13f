import Foundation
import Hummingbird
import NIOCore
import SolidarityCore

/// A JSON answer, encoded as the command line's `--format json` encodes (Core's encoder: the same
/// field names, keys sorted).
struct JSONAnswer<Value: Encodable & Sendable>: ResponseGenerator, Sendable {
    let value: Value
    var status: HTTPResponse.Status = .ok

    init(_ value: Value, status: HTTPResponse.Status = .ok) {
        self.value = value
        self.status = status
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var data = try InterchangeDocument.encoder().encode(value)
        data.append(0x0A)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// A document in another format (Markdown, HTML, DOT, a docx), as bytes with its media type.
struct DocumentAnswer: ResponseGenerator, Sendable {
    let bytes: Data
    let contentType: String
    var filename: String?

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        if let filename { headers[.contentDisposition] = "attachment; filename=\"\(filename)\"" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// What a removal answers: what went, and what went with it.
struct Removed<Value: Encodable & Sendable>: Encodable, Sendable {
    let removed: Value
    var withIt: [String: Int] = [:]

    enum CodingKeys: String, CodingKey { case removed, withIt = "with_it" }
}

/// Reading a request: its JSON body, its query parameters, checked as the command line checks its flags.
extension Request {
    /// The most bytes a JSON body may have (an import file comes through `POST /api/import`, which reads more).
    static let bodyLimit = 1 << 20

    /// The body as bytes, at most `limit`.
    func bytes(upTo limit: Int = Request.bodyLimit) async throws -> Data {
        do {
            return Data(try await body.collect(upTo: limit).readableBytesView)
        } catch is NIOTooManyBytesError {
            throw APIError.tooLarge("The request's body is larger than \(limit / 1024) KiB.")
        }
    }

    /// The body decoded as `T` (a domain value, with the field names of its JSON).
    func decoded<T: Decodable>(_ type: T.Type) async throws -> T {
        let data = try await bytes()
        guard !data.isEmpty else { throw APIError.badRequest("This route reads a JSON object as the request's body; the body is empty.") }
        return try JSONDecoder().decode(T.self, from: data)
    }

    /// The body as the fields to change (PATCH), a JSON object.
    func patch() async throws -> Patch {
        let data = try await bytes()
        guard (try? JSONSerialization.jsonObject(with: data)) is [String: Any] else {
            throw APIError.badRequest("This route reads a JSON object of the fields to change as the request's body.")
        }
        return Patch(body: data)
    }

    /// A query parameter, or nil when absent or empty.
    func query(_ name: String) -> String? {
        uri.queryParameters.get(name).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A query parameter that must be given.
    func requiredQuery(_ name: String, _ what: String) throws -> String {
        guard let value = query(name) else { throw APIError.badRequest("Give \(what) as the query parameter \"\(name)\".") }
        return value
    }

    /// A query parameter read by `parse` (a country, a partial date), refused as the command line refuses the flag.
    func query<T>(_ name: String, _ parse: (String) throws -> T) throws -> T? {
        try query(name).map(parse)
    }

    /// A query parameter naming a case of an enumeration (a kind, a status).
    func query<T: RawRepresentable & CaseIterable>(_ name: String, as type: T.Type) throws -> T? where T.RawValue == String {
        guard let text = query(name) else { return nil }
        guard let value = T(rawValue: text) else {
            throw APIError.badRequest("\"\(TextRules.printable(text))\" is not a value of \"\(name)\": use one of \(T.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return value
    }

    /// A yes/no query parameter: true, 1 or yes; false, 0 or no; absent is no. Any other value is
    /// refused, as the command line refuses a misspelt flag ("ture" is not taken for no).
    func flag(_ name: String) throws -> Bool {
        guard let text = query(name)?.lowercased() else { return false }
        if ["true", "1", "yes"].contains(text) { return true }
        if ["false", "0", "no"].contains(text) { return false }
        throw APIError.badRequest("\"\(name)\" is true or false; \"\(TextRules.printable(text))\" is neither.")
    }

    /// A whole-number query parameter.
    func number(_ name: String) throws -> Int? {
        guard let text = query(name) else { return nil }
        guard let number = Int(text), number >= 0 else { throw APIError.badRequest("\"\(name)\" is a whole number, such as 12; \"\(TextRules.printable(text))\" is not.") }
        return number
    }
}

extension Parameters {
    /// The reference in the route (`{ref}`), percent-decoded ("Frente%20Aut%C3%A9ntico" is "Frente Auténtico").
    func ref(_ name: String = "ref") throws -> String {
        let raw = try require(name)
        guard let decoded = raw.removingPercentEncoding else {
            throw APIError.badRequest("The path's \(name) is not percent-encoded UTF-8: \"\(TextRules.printable(raw))\".")
        }
        return decoded
    }
}

/// PATCH: the fields of a JSON object laid over a record's JSON, read back as the record, so that
/// Core's edit checks the result as it checks the command line's.
struct Patch: Sendable {
    /// The JSON object of the fields to change, as sent.
    let body: Data

    func apply<T: Codable>(to value: inout T) throws {
        let fields = try JSONSerialization.jsonObject(with: body) as? [String: Any] ?? [:]
        var object = try JSONSerialization.jsonObject(with: InterchangeDocument.encoder().encode(value)) as? [String: Any] ?? [:]
        for (key, field) in fields { object[key] = field }
        value = try JSONDecoder().decode(T.self, from: JSONSerialization.data(withJSONObject: object))
    }
}
