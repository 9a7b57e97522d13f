import Foundation
import Hummingbird
import SolidarityCore

/// One line per request: when, the method, the route (its pattern, such as
/// `/api/organizations/{ref}`, never the path as sent, which may name a person), the status, the
/// time taken and the account. Never a body, a query, a token or a header.
struct RequestLog: RouterMiddleware {
    typealias Context = APIContext
    let write: @Sendable (String) -> Void

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            line(request, context, status: Problem(error).status, since: start)
            throw error
        }
        line(request, context, status: response.status.code, since: start)
        return response
    }

    private func line(_ request: Request, _ context: APIContext, status: Int, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let route = context.endpointPath ?? "(no route)"
        let who = context.logged.name ?? "-"
        write("\(Self.timestamp()) \(request.method.rawValue) \(route) \(status) \(String(format: "%.1f", milliseconds))ms \(who)")
    }

    private static func timestamp() -> String {
        Date().formatted(.iso8601)
    }
}
