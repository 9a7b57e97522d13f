import Hummingbird
import HummingbirdAuth
import NIOPosix
import SolidarityCore

/// Accepts `Authorization: Bearer TOKEN` when the token is known, not revoked, and its account not
/// disabled (looked up by the token's SHA-256 digest on every request, so a revocation or a
/// disablement takes effect at once). Without one the request goes on unauthenticated, and the
/// routes answer 401.
struct TokenAuthenticator: AuthenticatorMiddleware {
    typealias Context = APIContext
    let store: Store
    let threads: NIOThreadPool

    func authenticate(request: Request, context: APIContext) async throws -> Account? {
        guard let bearer = request.headers.bearer else { return nil }
        let store = self.store
        let account = try await threads.runIfActive { try store.account(bearing: bearer.token) }
        context.logged.name = account?.name
        return account
    }
}
