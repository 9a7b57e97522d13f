import Foundation
import Testing

/// Every change made through the server names the account that made it, beside the changes the
/// command line makes in its user's name, in `solidarity history --by NAME` and in `GET /api/history`.
@Suite("The server's authors", .serialized)
struct ServerAuthorshipTests {
    @Test("two accounts and the command line writing the same tracker: each change is its author's, in the command line's history and the API's alike")
    func eachChangeItsAuthor() async throws {
        let server = try ServerHarness()
        let maria = try server.token(for: "maria", role: "editor")
        let juan = try server.token(for: "juan", role: "editor")
        let viewer = try server.token(for: "lee", role: "viewer")
        try server.start()
        defer { server.stop() }

        let added = try await server.request("POST", "/api/people", token: maria, json: ["name": "Rosa Autora", "titles": [["organization": "fat", "title": "Enlace"]]])
        #expect(added.status == 201, "\(added.text)")
        try server.cliArray(["org", "edit", "fat", "--city", "Puebla"]).expectSuccess()
        let edited = try await server.request("PATCH", "/api/people/rosa-autora", token: juan, json: ["email": "rosa@example.org"])
        #expect(edited.status == 200, "\(edited.text)")
        let refused = try await server.request("DELETE", "/api/people/rosa-autora", token: viewer)
        #expect(refused.status == 403)

        func history(_ arguments: String...) throws -> [[String: Any]] {
            try server.cliArray(["history"] + arguments + ["--format", "json"]).expectSuccess().array()
        }
        let byMaria = try history("--by", "maria"), byJuan = try history("--by", "juan")
        #expect(byMaria.map { $0["operation"] as? String } == ["POST /api/people"])
        #expect(byJuan.map { $0["operation"] as? String } == ["PATCH /api/people/{ref}"])
        #expect((byMaria + byJuan).allSatisfy { ($0["records"] as? [[String: Any]])?.contains { $0["label"] as? String == "rosa-autora" } == true })
        #expect(try history("--by", "lee").isEmpty, "a refused write is no change")
        // The command line's change is its user's, not an account's.
        let latest = try history("--limit", "3")
        #expect(latest.map { $0["who"] as? String } == ["juan", latest.dropFirst().first?["who"] as? String, "maria"])
        #expect(latest.dropFirst().first?["operation"] as? String == "org edit")
        #expect(!["maria", "juan", "lee"].contains(latest.dropFirst().first?["who"] as? String ?? "maria"))

        // The API's history is the command line's: the same changes, the same authors.
        for (name, expected) in [("maria", byMaria), ("juan", byJuan)] {
            let answered = try await server.get("/api/history?by=\(name)", token: viewer)
            #expect(answered.status == 200)
            let changes = try answered.array()
            #expect(changes.map { $0["id"] as? Int } == expected.map { $0["id"] as? Int })
            #expect(changes.map { $0["who"] as? String } == [name])
        }
        let ofRosa = try await server.get("/api/history?ref=rosa-autora", token: viewer)
        #expect(try ofRosa.array().map { $0["who"] as? String } == ["juan", "maria"])
    }
}
