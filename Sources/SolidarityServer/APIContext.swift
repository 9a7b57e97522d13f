import Foundation
import Hummingbird
import HummingbirdAuth
import NIOPosix
import SolidarityCore

/// One request to the API: Hummingbird's storage, the account its bearer token authenticated, and
/// the open database.
struct APIContext: AuthRequestContext, RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The account making the request, once its token is accepted (`TokenAuthenticator`).
    var identity: Account?
    /// The database shared by every request, and what delivers the webhooks of API writes.
    var server: ServerState?
    /// The operation the history records with a write ("POST /api/organizations").
    var operation = ""
    /// The account as the request's log line names it, filled in once the token is accepted (the
    /// log's middleware sees the context as it was before authentication).
    let logged = LoggedAccount()

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Runs Core's work for the request's account (its role already checked by `RoleMiddleware`),
    /// on the server's own threads rather than its event loops (Core's calls wait for SQLite), with
    /// the store acting in the account's name for the history. A write wakes the webhook delivery
    /// afterwards. An error never shows the database's path, nor, to an account without the
    /// sensitive permission, the name of a withheld record.
    func core<T: Sendable>(_ work: @escaping @Sendable (Store, Audience) throws -> T) async throws -> T {
        guard let account = identity, let server else { throw APIError.unauthenticated }
        let store = server.store.acting(as: ChangeContext(who: account.name, operation: operation))
        let audience = Audience(account: account)
        let result = try await server.threads.runIfActive {
            do {
                return try Disclosure.$withheldFromReferences.withValue(!audience.seesSensitive) { try work(store, audience) }
            } catch let error as SolidarityError {
                let answered = audience.seesSensitive ? error : error.withoutWithheldNames
                throw answered.hiding(path: store.path)
            }
        }
        if writes { server.delivery.wake() }
        return result
    }

    /// Whether the request may change records (any method but GET and HEAD).
    var writes: Bool { !operation.hasPrefix("GET ") && !operation.hasPrefix("HEAD ") }
}

/// What one account may see: everything with the sensitive permission; otherwise what an export
/// would carry (`Disclosure`, Core's one rule), read in the same snapshot as the answer.
struct Audience: Sendable {
    let account: Account

    /// Whether the account sees records marked sensitive.
    var seesSensitive: Bool { account.sensitive }

    /// The rule for this account, for the database as it is now.
    func rule(_ store: Store) throws -> Disclosure {
        seesSensitive ? .everything : try store.disclosure()
    }
}

/// The name of a request's account, for its log line: set once by the authenticator, read after the answer.
final class LoggedAccount: @unchecked Sendable {
    // `name` is read and set only with `lock` held.
    private let lock = NSLock()
    private var stored: String?
    var name: String? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

/// What every request shares: the open database, the threads Core's calls run on, and the webhook delivery.
struct ServerState: Sendable {
    let store: Store
    let threads: NIOThreadPool
    let delivery: WebhookDelivery
}

/// The one rule of roles: a viewer reads (GET), an editor also writes, an admin also manages
/// accounts, API tokens and webhook endpoints. 401 without an account, 403 when its role may not,
/// before the request's body is read.
struct RoleMiddleware: RouterMiddleware {
    typealias Context = APIContext

    static func role(for method: HTTPRequest.Method, route: String) -> Account.Role {
        if ["/api/accounts", "/api/tokens", "/api/webhooks"].contains(where: { route == $0 || route.hasPrefix($0 + "/") }) { return .admin }
        return method == .get || method == .head ? .viewer : .editor
    }

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        guard let account = context.identity else { throw APIError.unauthenticated }
        let role = Self.role(for: request.method, route: context.endpointPath ?? request.uri.path)
        guard account.may(role) else { throw APIError.forbidden(account, needs: role) }
        return try await next(request, context)
    }
}

/// Hands each request the server's state and the operation its writes are recorded under.
struct ServerStateMiddleware: RouterMiddleware {
    typealias Context = APIContext
    let state: ServerState

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        var context = context
        context.server = state
        context.operation = "\(request.method.rawValue) \(context.endpointPath ?? request.uri.path)"
        return try await next(request, context)
    }
}
