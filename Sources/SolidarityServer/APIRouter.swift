import Foundation
import Hummingbird
import NIOPosix
import SolidarityCore

/// The routes of the coalition server, and the middleware every request passes through, outermost
/// first: the log line, the problem documents, the server's state, the bearer token.
enum APIRouter {
    static func build(store: Store, threads: NIOThreadPool, delivery: WebhookDelivery, log: @escaping @Sendable (String) -> Void) -> Router<APIContext> {
        let router = Router(context: APIContext.self)
        router.add(middleware: RequestLog(write: log))
        router.add(middleware: ProblemMiddleware())
        router.get("openapi.json") { _, _ in OpenAPIDocument.response() }
        let api = router.group("api")
            .add(middleware: ServerStateMiddleware(state: ServerState(store: store, threads: threads, delivery: delivery)))
            .add(middleware: TokenAuthenticator(store: store, threads: threads))
            .add(middleware: RoleMiddleware())
        DirectoryRoutes.add(to: api)
        EmployerRoutes.add(to: api)
        ActivityRoutes.add(to: api)
        ConventionRoutes.add(to: api)
        ReportRoutes.add(to: api)
        HistoryRoutes.add(to: api)
        InterchangeRoutes.add(to: api)
        AccountRoutes.add(to: api)
        WebhookRoutes.add(to: api)
        return router
    }
}

/// The OpenAPI 3.1 document of the API (Sources/SolidarityServer/openapi.json), served as it is.
enum OpenAPIDocument {
    static let bytes = PackageResources.openapi_json

    static func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
