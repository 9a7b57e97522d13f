import Foundation
import Testing

/// The server as a process: how it stops, where it may listen, HTTPS, and what its log says.
@Suite("The server's process", .serialized, .timeLimit(.minutes(10)))
struct ServerProcessTests {
    @Test("SIGTERM and SIGINT stop it with status 0", arguments: [SIGTERM, SIGINT])
    func stopsOnSignal(signal: Int32) async throws {
        let server = try ServerHarness()
        let token = try server.token(for: "maria", role: "viewer")
        try server.start()
        #expect(try await server.get("/api/organizations/ue", token: token).status == 200)
        let (status, log) = server.stop(signal: signal)
        #expect(status == 0, "\(log)")
        #expect(server.process == nil)
    }

    @Test("a request in flight when SIGTERM arrives is still answered and written, then the server exits 0")
    func finishesTheRequestInFlight() async throws {
        let server = try ServerHarness()
        let token = try server.token(for: "maria", role: "editor")
        try server.start()
        let body = #"{"name": "Sindicato en Vuelo", "kind": "union", "country": "MX"}"#
        let connection = try server.connect()
        try connection.send("""
            POST /api/organizations HTTP/1.1\r
            Host: 127.0.0.1:\(server.port)\r
            Authorization: Bearer \(token)\r
            Content-Type: application/json\r
            Content-Length: \(body.utf8.count)\r
            \r
            \(body.prefix(12))
            """)
        // The server holds the request's head and part of its body when it is told to stop.
        try connection.waitUntilServerHasRead()
        server.signal(SIGTERM)
        try server.waitUntilItRefusesConnections()
        try connection.send(String(body.dropFirst(12)))
        let response = try connection.readToEnd()
        #expect(response.hasPrefix("HTTP/1.1 201"), "\(response)")
        #expect(response.contains("Sindicato en Vuelo"))
        let (status, log) = server.stop()
        #expect(status == 0, "\(log)")
        #expect(ServerHarness.LogLine.all(log) == [.init("POST", "/api/organizations", 201, "maria")])
        let organizations = try server.cliArray(["org", "list", "--format", "json"]).expectSuccess().array()
        #expect(organizations.contains { $0["name"] as? String == "Sindicato en Vuelo" })
    }

    @Test("an address other machines can reach without TLS is refused (exit 64) naming TLS and --insecure-http; with --insecure-http it serves and warns")
    func plainHTTPBeyondThisMachine() async throws {
        let server = try ServerHarness()
        let token = try server.token(for: "maria", role: "viewer")
        for bind in ["0.0.0.0:0", "[::]:0"] {
            let refused = try server.cliArray(["serve", "--bind", bind])
            #expect(refused.status == 64, "\(bind): \(refused.stderr)")
            #expect(refused.stderr.contains("--insecure-http") && refused.stderr.contains("TLS") && refused.stderr.contains("--tls-cert"), "\(refused.stderr)")
            #expect(refused.stdout.isEmpty)
        }

        try server.start(bind: "0.0.0.0:0", ["--insecure-http"])
        #expect(try await server.get("/api/organizations/ue", token: token).status == 200)
        let (status, log) = server.stop()
        #expect(status == 0)
        let warning = log.split(separator: "\n").first { $0.contains("Warning") } ?? ""
        #expect(warning.contains("plain HTTP") && warning.contains("0.0.0.0:0") && warning.contains("unencrypted"), "\(log)")
    }

    @Test("an address another server holds is refused (exit 1) with a message naming it and what to do")
    func addressInUse() throws {
        let server = try ServerHarness()
        try server.start()
        defer { server.stop() }
        let second = try server.cliArray(["serve", "--bind", "127.0.0.1:\(server.port)"])
        #expect(second.status == 1, "\(second.stderr)")
        #expect(second.stdout.isEmpty, "it did not start: \(second.stdout)")
        #expect(second.stderr.hasPrefix("Error: Cannot listen on 127.0.0.1:\(server.port):"), "\(second.stderr)")
        #expect(second.stderr.contains("Address already in use") && second.stderr.contains("another --bind"), "\(second.stderr)")
    }

    @Test("with a certificate and its key it serves HTTPS that a client trusting the certificate reads; plain HTTP and an untrusted client get nothing")
    func servesHTTPS() async throws {
        let openssl = try ServerHarness.tool("openssl", package: "openssl")
        let curl = try ServerHarness.tool("curl", package: "curl")
        let server = try ServerHarness()
        let token = try server.token(for: "maria", role: "viewer")
        let (certificate, key) = try Self.selfSigned(in: server.folder, openssl: openssl)
        try server.start(["--tls-cert", certificate, "--tls-key", key])
        defer { server.stop() }
        #expect(server.scheme == "https")

        let url = "https://127.0.0.1:\(server.port)/api/organizations/ue"
        let trusted = try ServerHarness.run(curl, ["--silent", "--show-error", "--cacert", certificate, "--header", "Authorization: Bearer \(token)",
                                                   "--write-out", "\n%{http_code}", url])
        #expect(trusted.status == 0, "\(trusted.stderr)")
        let (body, code) = (trusted.stdout.split(separator: "\n").dropLast().joined(separator: "\n"), trusted.stdout.split(separator: "\n").last)
        #expect(code == "200", "\(trusted.stdout)")
        let profile = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        #expect(profile?["handle"] as? String == "ue", "\(body)")
        let untrusted = try ServerHarness.run(curl, ["--silent", "--show-error", url])
        #expect(untrusted.status == 60, "curl verifies the certificate: \(untrusted.stderr)")
        let plain = try ServerHarness.run(curl, ["--silent", "--max-time", "20", "http://127.0.0.1:\(server.port)/openapi.json"])
        #expect(plain.status != 0)
        #expect(!plain.stdout.contains("openapi"))
    }

    @Test("a key that is not a PEM private key, a missing file, or a certificate without its key is refused with a message saying what to give")
    func badCertificateOrKey() throws {
        let openssl = try ServerHarness.tool("openssl", package: "openssl")
        let server = try ServerHarness()
        let (certificate, _) = try Self.selfSigned(in: server.folder, openssl: openssl)
        let bad = server.folder.appendingPathComponent("bad-key.pem").path
        try Data("-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n".utf8).write(to: URL(fileURLWithPath: bad))
        let missing = server.folder.appendingPathComponent("missing.pem").path

        for key in [bad, missing, certificate] {
            let refused = try server.cliArray(["serve", "--tls-cert", certificate, "--tls-key", key])
            #expect(refused.status != 0, "--tls-key \(key) was accepted")
            #expect(refused.stderr.contains(key) && refused.stderr.contains("PEM"), "\(refused.stderr)")
            #expect(refused.stdout.isEmpty, "it did not start: \(refused.stdout)")
        }
        let alone = try server.cliArray(["serve", "--tls-cert", certificate])
        #expect(alone.status == 64)
        #expect(alone.stderr.contains("--tls-key"), "\(alone.stderr)")
    }

    @Test("the log has one line per request: method, route pattern, status, time and account; never a body, a query, a path as sent or a token")
    func logLines() async throws {
        let server = try ServerHarness()
        let token = try server.token(for: "maria", role: "editor")
        try server.start()
        let searched = try await server.get("/api/search?q=Lana%20Payne&limit=5", token: token)
        #expect(searched.status == 200)
        let added = try await server.request("POST", "/api/organizations", token: token,
                                             json: ["name": "Sindicato Bitacora", "kind": "union", "country": "MX", "notes": "Contacto: Marisol Quintero"])
        #expect(added.status == 201)
        #expect(try await server.get("/api/people/carl-rosen", token: token).status == 200)
        #expect(try await server.get("/api/people/nobody-here", token: token).status == 404)
        #expect(try await server.get("/api/organizations", token: nil).status == 401)
        #expect(try await server.get("/api/organizations", token: "sol_" + String(repeating: "B", count: 43)).status == 401)
        let (status, log) = server.stop()
        #expect(status == 0)

        #expect(ServerHarness.LogLine.all(log) == [
            .init("GET", "/api/search", 200, "maria"),
            .init("POST", "/api/organizations", 201, "maria"),
            .init("GET", "/api/people/{ref}", 200, "maria"),
            .init("GET", "/api/people/{ref}", 404, "maria"),
            .init("GET", "/api/organizations", 401, "-"),
            .init("GET", "/api/organizations", 401, "-"),
        ], "\(log)")
        #expect(log.split(separator: "\n").count == 6, "one line per request and nothing else: \(log)")
        for secret in ["Lana", "Payne", "q=", "limit", "Bitacora", "Marisol", "carl-rosen", "nobody-here", token, "sol_", "Bearer"] {
            #expect(!log.contains(secret), "the log holds \(secret): \(log)")
        }
    }

    /// A self-signed certificate for 127.0.0.1 and its unencrypted key, made by openssl.
    static func selfSigned(in folder: URL, openssl: URL) throws -> (certificate: String, key: String) {
        let certificate = folder.appendingPathComponent("cert.pem").path, key = folder.appendingPathComponent("key.pem").path
        let made = try ServerHarness.run(openssl, ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                                   "-keyout", key, "-out", certificate, "-days", "2", "-subj", "/CN=localhost",
                                                   "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"])
        try #require(made.status == 0, "openssl: \(made.stderr)")
        return (certificate, key)
    }
}
