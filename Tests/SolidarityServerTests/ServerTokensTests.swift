import Foundation
import Testing

/// Tokens end at once: revoked, or their account disabled, by the command line or by an admin
/// through the API while the server runs, they are refused from the next request on, and no other
/// token is touched.
@Suite("The server's tokens", .serialized)
struct ServerTokensTests {
    /// The status of one read with `token`.
    static func status(_ server: ServerHarness, _ token: String) async throws -> Int {
        try await server.get("/api/organizations/ue", token: token).status
    }

    @Test("revoked with the command line while the server runs, a token is refused at the next request; the account's other tokens and other accounts are not")
    func revokedByTheCommandLine() async throws {
        let server = try ServerHarness()
        let laptop = try server.token(for: "maria", role: "editor")
        let phone = try server.issueToken(to: "maria")
        let other = try server.token(for: "juan", role: "viewer")
        try server.start()
        defer { server.stop() }
        for token in [laptop, phone.secret, other] { #expect(try await Self.status(server, token) == 200) }

        try server.cliArray(["account", "token", "revoke", phone.number]).expectSuccess()
        let refused = try await server.get("/api/organizations/ue", token: phone.secret)
        #expect(refused.status == 401)
        #expect(refused.headers["www-authenticate"] == "Bearer realm=\"solidarity\"")
        #expect(try refused.object()["detail"] as? String ?? "" != "")
        #expect(try await Self.status(server, laptop) == 200)
        #expect(try await Self.status(server, other) == 200)
        // A write with the revoked token is refused too, and writes nothing.
        let written = try await server.request("POST", "/api/organizations", token: phone.secret, json: ["name": "Sindicato Revocado", "kind": "union", "country": "MX"])
        #expect(written.status == 401)
        #expect(try !server.cliArray(["org", "list", "--format", "json"]).stdout.contains("Sindicato Revocado"))
    }

    @Test("disabled with the command line while the server runs, an account's every token is refused at the next request; other accounts go on")
    func disabledByTheCommandLine() async throws {
        let server = try ServerHarness()
        let laptop = try server.token(for: "maria", role: "editor")
        let phone = try server.issueToken(to: "maria").secret
        let other = try server.token(for: "juan", role: "viewer")
        try server.start()
        defer { server.stop() }
        for token in [laptop, phone, other] { #expect(try await Self.status(server, token) == 200) }

        let disabled = try server.cliArray(["account", "disable", "maria"]).expectSuccess()
        #expect(disabled.stdout.contains("2 API tokens revoked"), "\(disabled.stdout)")
        #expect(try await Self.status(server, laptop) == 401)
        #expect(try await Self.status(server, phone) == 401)
        #expect(try await Self.status(server, other) == 200)
        // A disabled account gets no new token either.
        let refused = try server.cliArray(["account", "token", "add", "maria"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("disabled"), "\(refused.stderr)")
    }

    @Test("an admin revoking a token or disabling an account through the API ends it at the next request, and leaves the admin's own token working")
    func endedThroughTheAPI() async throws {
        let server = try ServerHarness()
        let admin = try server.token(for: "ana", role: "admin")
        let laptop = try server.token(for: "maria", role: "editor")
        let phone = try server.issueToken(to: "maria")
        let other = try server.token(for: "juan", role: "viewer")
        try server.start()
        defer { server.stop() }

        let revoked = try await server.request("DELETE", "/api/tokens/\(phone.number)", token: admin)
        #expect(revoked.status == 200, "\(revoked.text)")
        #expect(try revoked.object()["revoked"] as? String != nil)
        #expect(try await Self.status(server, phone.secret) == 401)
        #expect(try await Self.status(server, laptop) == 200)

        let disabled = try await server.request("POST", "/api/accounts/juan/disable", token: admin)
        #expect(disabled.status == 200, "\(disabled.text)")
        #expect(try disabled.object()["revoked_tokens"] as? Int == 1)
        #expect(try await Self.status(server, other) == 401)
        #expect(try await Self.status(server, laptop) == 200)
        #expect(try await Self.status(server, admin) == 200)

        let tokens = try server.cliArray(["account", "token", "list", "--format", "json"]).expectSuccess().array()
        #expect(tokens.filter { !($0["revoked"] is NSNull) }.compactMap { $0["account"] as? String }.sorted() == ["juan", "maria"])
    }
}
