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

    /// The account, which must be allowed what `role` may do: 401 without one, 403 when its role may not.
    func account(_ role: Account.Role) throws -> Account {
        guard let account = identity else { throw APIError.unauthenticated }
        guard account.may(role) else { throw APIError.forbidden(account, needs: role) }
        return account
    }

    /// Runs Core's work for an account allowed `role`, off the server's event loops (Core's calls
    /// wait for SQLite), with the store acting in the account's name for the history. A write
    /// (`role` editor or admin) wakes the webhook delivery afterwards.
    func core<T: Sendable>(_ role: Account.Role, _ work: @escaping @Sendable (Store, Audience) throws -> T) async throws -> T {
        let account = try account(role)
        guard let server else { throw APIError.unauthenticated }
        let store = server.store.acting(as: ChangeContext(who: account.name, operation: operation))
        let audience = Audience(account: account)
        let result = try await NIOThreadPool.singleton.runIfActive {
            do {
                return try work(store, audience)
            } catch let error as SolidarityError where !audience.seesSensitive {
                throw error.withoutWithheldNames
            }
        }
        if role >= .editor { server.delivery.wake() }
        return result
    }
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

/// What every request shares: the open database and the webhook delivery.
struct ServerState: Sendable {
    let store: Store
    let delivery: WebhookDelivery
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
