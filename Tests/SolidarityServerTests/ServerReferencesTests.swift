import Foundation
import Testing

/// References in the API's paths and queries are read as the command line reads them: a handle, an
/// acronym, an alias or a name, percent-encoded as any URL is.
@Suite("The server's references", .serialized)
struct ServerReferencesTests {
    @Test("a name with spaces and accents, percent-encoded in the path, finds its record as the command line finds it")
    func namesInPaths() async throws {
        let server = try ServerHarness()
        let token = try server.token(for: "juan", role: "viewer")
        try server.start()
        defer { server.stop() }
        let found: [(String, String)] = [
            ("/api/organizations/Frente%20Aut%C3%A9ntico%20del%20Trabajo", "fat"),
            ("/api/organizations/FAT", "fat"),
            ("/api/people/Carl%20Rosen", "carl-rosen"),
            ("/api/timeline/Frente%20Aut%C3%A9ntico%20del%20Trabajo?kind=organization", ""),
            ("/api/organizations?parent=United%20Electrical%2C%20Radio%20and%20Machine%20Workers%20of%20America", ""),
        ]
        for (path, handle) in found {
            let answer = try await server.get(path, token: token)
            #expect(answer.status == 200, "\(path): \(answer.status) \(answer.text.prefix(300))")
            if answer.status == 200, !handle.isEmpty {
                let record = try answer.object()
                #expect((record["handle"] ?? (record["organization"] as? [String: Any])?["handle"]) as? String == handle, "\(path)")
            }
        }
    }
}
