import Foundation
import SolidarityTestSupport
import Testing

/// Writes through the API: recorded in the history with the account as author, and announced by
/// webhook as any write is.
@Suite("The server's writes", .serialized)
struct ServerWritesTests {
    @Test("a delegation logged through the API goes out as a signed webhook, as one logged on the command line does")
    func webhookForAnAPIWrite() async throws {
        let receiver = try Receiver()
        defer { receiver.stop() }
        let server = try ServerHarness()
        let added = try server.cliArray(["webhook", "add", receiver.url, "--event", "delegation.logged"]).expectSuccess()
        let secret = try #require(added.stdout.split(whereSeparator: \.isWhitespace).map(String.init).first { $0.hasPrefix("whsec_") })
        try receiver.trust([secret])
        let token = try server.token(for: "maria", role: "editor")
        try server.start()
        defer { server.stop() }

        let logged = try await server.request("POST", "/api/delegations", token: token, json: [
            "title": "Delegation to the KCTU", "start": "2026-05", "itinerary": [["country": "KR"]],
            "organizations": [["organization": "kctu", "role": "host"]],
        ])
        #expect(logged.status == 201, "\(logged.text)")
        var requests: [Receiver.Request] = []
        let deadline = Date().addingTimeInterval(20)
        while requests.isEmpty, Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
            requests = try receiver.requests()
        }
        #expect(requests.map(\.type) == ["delegation.logged"])
        #expect(requests.first?.verified == [true])
        #expect(requests.first?.body.contains("Delegation to the KCTU") == true)
    }

    @Test("each write through the API is a change of the history whose author is the account, with the route as its operation")
    func authorIsTheAccount() async throws {
        let server = try ServerHarness()
        let token = try server.token(for: "maria", role: "editor")
        try server.start()
        defer { server.stop() }

        let added = try await server.request("POST", "/api/organizations", token: token, json: ["name": "Sindicato Minero", "kind": "union", "country": "MX"])
        #expect(added.status == 201, "\(added.text)")
        let edited = try await server.request("PATCH", "/api/organizations/sindicato-minero", token: token, json: ["city": "Mexico City"])
        #expect(edited.status == 200, "\(edited.text)")
        #expect(try edited.object()["city"] as? String == "Mexico City")

        let listed = try server.cliArray(["history", "--by", "maria", "--format", "json"]).expectSuccess()
        let changes = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(changes.map { $0["operation"] as? String } == ["PATCH /api/organizations/{ref}", "POST /api/organizations"])
        #expect(changes.allSatisfy { $0["who"] as? String == "maria" })

        let answered = try await server.get("/api/history?by=maria", token: token)
        #expect(try answered.array().count == 2)
    }

    @Test("a PATCH goes through Core's rules: a field invalid on its face is a 400 naming it, and nothing is changed")
    func patchIsChecked() async throws {
        let server = try ServerHarness()
        let token = try server.token(for: "maria", role: "editor")
        try server.start()
        defer { server.stop() }

        let refused = try await server.request("PATCH", "/api/organizations/fat", token: token, json: ["country": "Mexico"])
        #expect(refused.status == 400, "\(refused.text)")
        #expect(refused.contentType == "application/problem+json")
        let detail = try #require(try refused.object()["detail"] as? String)
        #expect(detail.contains("Mexico"), "\(detail)")
        let fat = try await server.get("/api/organizations/fat", token: token)
        #expect(try fat.object()["country"] as? String == "MX")
    }
}
