import Foundation
import Testing

@Suite("The coalition server", .serialized)
struct ServerTests {
    @Test("serves its OpenAPI document without credentials, answers 401 without a token, and stops on SIGTERM with status 0")
    func startsAndStops() async throws {
        let server = try ServerHarness()
        try server.start()
        let document = try await server.get("/openapi.json", token: nil)
        #expect(document.status == 200)
        #expect(try document.object()["openapi"] as? String == "3.1.0")
        let refused = try await server.get("/api/organizations", token: nil)
        #expect(refused.status == 401)
        #expect(refused.contentType == "application/problem+json")
        #expect(try refused.object()["status"] as? Int == 401)
        let (status, log) = server.stop()
        #expect(status == 0)
        #expect(log.contains("GET /api/organizations 401"))
    }
}
