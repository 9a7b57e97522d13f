import Foundation
import Hummingbird
import SolidarityCore

/// A refusal of the API's own: no credentials, a role that may not, a request the API cannot read.
enum APIError: Error {
    case unauthenticated
    case forbidden(Account, needs: Account.Role)
    /// A request that would show or change records marked sensitive, by an account that may not see them.
    case notSensitive(Account)
    /// A request the API cannot read (a body that is not JSON, a query parameter missing).
    case badRequest(String)
    /// A record the account may not see is answered as one that does not exist.
    case notFound(String)
    case tooLarge(String)
}

/// An error as RFC 9457's `application/problem+json`: the status, a title, and the command line's
/// sentence (Core's message, its remedy worded for the API) as `detail`.
struct Problem: Encodable, Sendable {
    var type = "about:blank"
    let title: String
    let status: Int
    let detail: String
    /// The problems of a file refused whole (an import), one sentence each.
    var problems: [String]?

    init(status: HTTPResponse.Status, detail: String, problems: [String]? = nil) {
        self.title = status.reasonPhrase
        self.status = status.code
        self.detail = detail
        self.problems = problems
    }

    init(_ error: any Error) {
        switch error {
        case let error as SolidarityError:
            let status: HTTPResponse.Status = switch error.reason {
            case .invalidInput: .badRequest
            case .notFound: .notFound
            case .ambiguous, .duplicate, .conflict: .conflict
            case .database: .serviceUnavailable
            }
            self.init(status: status, detail: error.apiMessage, problems: error.problemList.map { $0.problems.map(\.description) })
        case let error as APIError:
            switch error {
            case .unauthenticated:
                self.init(status: .unauthorized, detail: "This request needs an API token: send it as Authorization: Bearer TOKEN (`solidarity account token add NAME` makes one). A revoked token, or one of a disabled account, is refused.")
            case let .forbidden(account, role):
                self.init(status: .forbidden, detail: "The account \(account.name) is a \(account.role.rawValue), which \(account.role.may); this needs the role \(role.rawValue) (an admin can change it).")
            case let .notSensitive(account):
                self.init(status: .forbidden, detail: "The account \(account.name) may not see records marked sensitive, and this request would show or change them (`solidarity account add NAME --sensitive` makes an account that may).")
            case let .badRequest(detail): self.init(status: .badRequest, detail: detail)
            case let .notFound(detail): self.init(status: .notFound, detail: detail)
            case let .tooLarge(detail): self.init(status: .contentTooLarge, detail: detail)
            }
        case let error as HTTPError:
            self.init(status: error.status, detail: error.body ?? Self.sentence(for: error.status))
        case is DecodingError:
            self.init(status: .badRequest, detail: "The request's body is not the JSON this route reads: \(Self.describe(error as! DecodingError))")
        default:
            self.init(status: .internalServerError, detail: "The server could not answer: \(error). Nothing was changed.")
        }
    }

    private static func sentence(for status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "No such route: /openapi.json lists them."
        case .methodNotAllowed: "This route does not take that method: /openapi.json lists those it takes."
        default: status.reasonPhrase
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the body" : "\"\(keys.joined(separator: "."))\""
        }
        switch error {
        case let .keyNotFound(key, context): return "\(path(context)) needs the field \"\(key.stringValue)\"."
        case let .typeMismatch(_, context), let .valueNotFound(_, context): return "\(path(context)): \(context.debugDescription)"
        case let .dataCorrupted(context): return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    /// The response: the problem as JSON with its status (and, for 401, how to authenticate).
    func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        if status == 401 { headers[.wwwAuthenticate] = "Bearer realm=\"solidarity\"" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(self)) ?? Data()
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension SolidarityError {
    /// The error without the database's path on the server (a client has no use for it, and should
    /// not learn where the data is kept).
    func hiding(path: String) -> SolidarityError {
        guard message.contains(path) else { return self }
        var hidden = self
        hidden.message = message.replacingOccurrences(of: path, with: "the server's database")
        return hidden
    }

    /// Core's message with its remedy in the API's words: a field of the request's JSON where the
    /// remedy names one; otherwise the message alone.
    var apiMessage: String {
        guard let remedy, let advice = remedy.apiWords else { return message }
        let sentence = message.hasSuffix(".") ? String(message.dropLast()) : message
        return "\(sentence): \(advice)."
    }
}

extension SolidarityError.Remedy {
    /// The remedy worded for a request's JSON fields, when it names a field.
    var apiWords: String? {
        switch self {
        case let .give(field, example): "give \"\(field.jsonKey)\"" + (example.map { ", for example \($0)" } ?? "")
        case let .giveWith(field, what): "give \"\(field.jsonKey)\" with \(what)"
        case let .giveToo(field): "give \"\(field.jsonKey)\" too"
        case let .giveOne(field, example): "give one as \"\(field.jsonKey)\"" + (example.map { ", for example \($0)" } ?? "")
        case let .add(field, example): "add \"\(field.jsonKey)\"" + (example.map { ", for example \($0)" } ?? "")
        case let .chooseAnother(field), let .chooseAnotherOrChange(field, _): "choose another \"\(field.jsonKey)\""
        case .earlierStartOrLaterEnd: "give an earlier \"since\" or a later \"until\""
        case .search: "GET /api/search?q=TEXT searches names and notes"
        case let .listOrSearch(noun, _):
            "GET /api/\(["organization": "organizations", "person": "people", "employer": "employers", "site": "sites"][noun] ?? noun) lists them; GET /api/search?q=TEXT searches names and notes"
        case .appendixAsMarkdownOrHTML: "ask for format=md or format=html instead"
        case .listAccounts: "GET /api/accounts lists them"
        case .listTokens: "GET /api/tokens lists them with their numbers"
        default: nil
        }
    }
}

extension SolidarityError.Field {
    /// The field's key in the JSON the API reads and writes (the interchange format's).
    var jsonKey: String { rawValue.replacingOccurrences(of: "-", with: "_") }
}

/// Answers every error with its problem document, and lets nothing else through as an error.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = APIContext

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return Problem(error).response()
        }
    }
}
