import Foundation
import Testing

/// Who may do what: a request without valid credentials is 401, a role that may not is 403, and
/// each role may what its role allows, on a read, an editor's write and an admin's route.
@Suite("The server's roles", .serialized)
struct ServerRolesTests {
    /// A route and a body it takes.
    struct Route: Sendable {
        let method: String
        let path: String
        var body: [String: String]?
    }

    /// A read, an editor's write and an admin's route.
    static let read = Route(method: "GET", path: "/api/organizations")
    static let write = Route(method: "POST", path: "/api/organizations", body: ["name": "Sindicato de Prueba", "kind": "union", "country": "MX"])
    static let manage = Route(method: "POST", path: "/api/accounts", body: ["name": "nadia", "organization": "ue", "role": "viewer"])

    /// Checks a refusal's problem document: its status, its title, and a detail that says what to do.
    static func expectProblem(_ response: ServerHarness.Response, _ status: Int, title: String, saying advice: [String],
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
        guard response.status == status else {
            Issue.record("\(response.status), not \(status): \(response.text)", sourceLocation: sourceLocation)
            return
        }
        #expect(response.contentType == "application/problem+json", sourceLocation: sourceLocation)
        let problem = try response.object()
        #expect(problem["status"] as? Int == status, sourceLocation: sourceLocation)
        #expect(problem["title"] as? String == title, sourceLocation: sourceLocation)
        #expect(problem["type"] as? String == "about:blank", sourceLocation: sourceLocation)
        let detail = problem["detail"] as? String ?? ""
        for words in advice { #expect(detail.contains(words), "\(detail)", sourceLocation: sourceLocation) }
    }

    @Test("without credentials, or with a malformed, unknown or foreign token, every family of route is 401 with WWW-Authenticate, and nothing is written")
    func unauthenticated() async throws {
        let server = try ServerHarness()
        try server.start()
        defer { server.stop() }
        let unknown = "sol_" + String(repeating: "A", count: 43)
        let credentials: [(String, [String: String])] = [
            ("none", [:]),
            ("a Bearer without a token", ["Authorization": "Bearer"]),
            ("a token of another form", ["Authorization": "Bearer not-a-solidarity-token"]),
            ("a well-formed token nobody was given", ["Authorization": "Bearer \(unknown)"]),
            ("a password in place of a token", ["Authorization": "Basic bWFyaWE6cGFzc3dvcmQxMjM0NQ=="]),
        ]
        for route in [Self.read, Self.write, Self.manage] {
            for (what, headers) in credentials {
                let refused = try await server.request(route.method, route.path, headers: headers, json: route.body)
                try Self.expectProblem(refused, 401, title: "Unauthorized", saying: ["Authorization: Bearer", "solidarity account token add"])
                #expect(refused.headers["www-authenticate"] == "Bearer realm=\"solidarity\"", "\(route.method) \(route.path) with \(what)")
            }
        }
        let organizations = try server.cliArray(["org", "list", "--format", "json"]).expectSuccess().array()
        #expect(!organizations.contains { $0["name"] as? String == "Sindicato de Prueba" })
        #expect(try server.cliArray(["account", "list", "--format", "json"]).expectSuccess().array().isEmpty)
    }

    @Test("a request without credentials is 401 whatever its body: an unauthenticated client learns nothing of what the route reads")
    func unauthenticatedBeforeTheBody() async throws {
        let server = try ServerHarness()
        let viewer = try server.token(for: "juan", role: "viewer")
        try server.start()
        defer { server.stop() }
        for body in [Data(), Data("not json".utf8), Data(#"{"name": 12}"#.utf8)] {
            let anonymous = try await server.request("POST", "/api/organizations", body: body)
            try Self.expectProblem(anonymous, 401, title: "Unauthorized", saying: ["Authorization: Bearer"])
            let viewing = try await server.request("POST", "/api/organizations", token: viewer, body: body)
            try Self.expectProblem(viewing, 403, title: "Forbidden", saying: ["juan", "viewer", "editor"])
        }
    }

    @Test("a viewer writing and an editor managing accounts are 403 saying which role is needed, and nothing is written")
    func forbidden() async throws {
        let server = try ServerHarness()
        let viewer = try server.token(for: "juan", role: "viewer")
        let editor = try server.token(for: "maria", role: "editor")
        try server.start()
        defer { server.stop() }

        let written = try await server.request(Self.write.method, Self.write.path, token: viewer, json: Self.write.body)
        try Self.expectProblem(written, 403, title: "Forbidden", saying: ["juan", "viewer", "needs the role editor", "admin"])
        #expect(written.headers["www-authenticate"] == nil)
        let edited = try await server.request("PATCH", "/api/organizations/fat", token: viewer, json: ["city": "Puebla"])
        try Self.expectProblem(edited, 403, title: "Forbidden", saying: ["needs the role editor"])
        let removed = try await server.request("DELETE", "/api/organizations/fat", token: viewer)
        try Self.expectProblem(removed, 403, title: "Forbidden", saying: ["needs the role editor"])

        for token in [viewer, editor] {
            let managed = try await server.request(Self.manage.method, Self.manage.path, token: token, json: Self.manage.body)
            try Self.expectProblem(managed, 403, title: "Forbidden", saying: ["needs the role admin", "admin"])
            let listed = try await server.get("/api/accounts", token: token)
            try Self.expectProblem(listed, 403, title: "Forbidden", saying: ["needs the role admin"])
            let issued = try await server.request("POST", "/api/accounts/juan/tokens", token: token, json: ["label": "stolen"])
            try Self.expectProblem(issued, 403, title: "Forbidden", saying: ["needs the role admin"])
            let disabled = try await server.request("POST", "/api/accounts/maria/disable", token: token)
            try Self.expectProblem(disabled, 403, title: "Forbidden", saying: ["needs the role admin"])
            let webhooks = try await server.get("/api/webhooks", token: token)
            try Self.expectProblem(webhooks, 403, title: "Forbidden", saying: ["needs the role admin"])
        }

        let organizations = try server.cliArray(["org", "list", "--format", "json"]).expectSuccess().array()
        #expect(!organizations.contains { $0["name"] as? String == "Sindicato de Prueba" })
        let fat = try server.cliArray(["org", "show", "fat", "--format", "json"]).expectSuccess()
        #expect(!fat.stdout.contains("Puebla"))
        let accounts = try server.cliArray(["account", "list", "--format", "json"]).expectSuccess().array()
        #expect(accounts.map { $0["name"] as? String } == ["juan", "maria"])
        #expect(accounts.allSatisfy { $0["disabled"] is NSNull })
        #expect(try server.cliArray(["account", "token", "list", "--format", "json"]).expectSuccess().array().count == 2)
    }

    @Test("each role may what it allows: a viewer reads, an editor also writes, an admin also manages accounts")
    func allowed() async throws {
        let server = try ServerHarness()
        let viewer = try server.token(for: "juan", role: "viewer")
        let editor = try server.token(for: "maria", role: "editor")
        let admin = try server.token(for: "ana", role: "admin")
        try server.start()
        defer { server.stop() }

        for token in [viewer, editor, admin] {
            let read = try await server.get(Self.read.path, token: token)
            #expect(read.status == 200, "\(read.text)")
            #expect(read.contentType.hasPrefix("application/json"))
            #expect(try read.array().contains { $0["handle"] as? String == "fat" })
        }
        for (token, name) in [(editor, "Sindicato de Prueba"), (admin, "Sindicato de Ensayo")] {
            let written = try await server.request("POST", "/api/organizations", token: token, json: ["name": name, "kind": "union", "country": "MX"])
            #expect(written.status == 201, "\(written.text)")
            #expect(try written.object()["name"] as? String == name)
        }
        let managed = try await server.request(Self.manage.method, Self.manage.path, token: admin, json: Self.manage.body)
        #expect(managed.status == 201, "\(managed.text)")
        #expect(try managed.object()["role"] as? String == "viewer")
        let issued = try await server.request("POST", "/api/accounts/nadia/tokens", token: admin, json: ["label": "phone"])
        #expect(issued.status == 201, "\(issued.text)")
        let secret = try #require(try issued.object()["secret"] as? String)
        let listed = try await server.get("/api/accounts", token: admin)
        #expect(try listed.array().map { $0["name"] as? String } == ["ana", "juan", "maria", "nadia"])

        // The account the admin made reads with the token the admin gave it.
        let nadia = try await server.get(Self.read.path, token: secret)
        #expect(nadia.status == 200)
        let names = Set(try server.cliArray(["org", "list", "--format", "json"]).expectSuccess().array().compactMap { $0["name"] as? String })
        #expect(names.isSuperset(of: ["Sindicato de Prueba", "Sindicato de Ensayo"]))
    }
}
