import Foundation
import Testing

/// A database where a union and a person are marked sensitive with the command line, after the
/// rest of the tracker came to refer to them: an ally relationship of the home organization, a
/// public person's title at the union, a Wabtec site it represents (the allies report, the graph,
/// the appendix's employer chains), a delegation that met it with the person as a delegate (the
/// activities, the timelines, the appendix's activities), and an alias ("Ferrocarrileros") shared
/// with a public union (an ambiguous reference). Four accounts: a viewer, an editor and an admin
/// without the sensitive permission, and a viewer with it.
struct SensitiveServer {
    let server: ServerHarness
    /// A viewer, an editor and an admin without the sensitive permission; a viewer with it (ana).
    let viewer: String
    let editor: String
    let admin: String
    let trusted: String
    /// The Wabtec site the sensitive union represents, and the delegation that met it.
    let site: String
    let delegation: String

    static let organization = "sofx"
    static let person = "ximena-oculta"
    /// A reference to no record at all, for "as if it did not exist".
    static let nowhere = "zzqx-nada"

    /// What names the withheld records: none of it may reach an account without the permission.
    static let secrets = ["Sindicato Oculto", "sofx", "Ximena", "ximena-oculta"]

    /// The secrets `text` names, besides the references the request itself gave (`echoing`), which
    /// an answer may quote back ("No organization matches "sofx".").
    static func leaks(_ response: ServerHarness.Response, echoing request: String = "") -> [String] {
        var text = response.text
        // A problem document's sentences as a reader reads them (its JSON escapes the quotes).
        if response.contentType == "application/problem+json", let problem = try? response.object() {
            text = ([problem["detail"] as? String ?? ""] + (problem["problems"] as? [String] ?? [])).joined(separator: "\n")
        }
        for asked in [request, request.removingPercentEncoding ?? request] {
            for given in asked.split(whereSeparator: { "/?&=\",:[]{}".contains($0) }) {
                text = text.replacingOccurrences(of: "\"\(given)\"", with: "")
            }
        }
        return secrets.filter { text.range(of: $0, options: .caseInsensitive) != nil }
    }

    init() throws {
        server = try ServerHarness()
        let steps: [[String]] = [
            ["org", "add", "Sindicato Oculto Ferroviario", "--acronym", "SOFX", "--country", "MX", "--alias", "Ferrocarrileros"],
            ["org", "add", "Sindicato Ferrocarrilero Abierto", "--country", "PE", "--alias", "Ferrocarrileros"],
            ["person", "add", "Ximena Oculta", "--org", "ue", "--title", "Enlace internacional"],
            ["person", "add", "Tomas Publico", "--org", Self.organization, "--title", "Enlace"],
            ["relate", "ue", Self.organization, "--kind", "ally", "--status", "active", "--since", "2023"],
        ]
        for step in steps { try server.cliArray(step).expectSuccess() }
        let site = try server.cliArray(["site", "add", "Planta Monterrey", "--employer", "wabtec", "--country", "MX", "--city", "Monterrey",
                                        "--union", Self.organization]).expectSuccess()
        // "Added site Planta Monterrey of wabtec as ID."
        self.site = String(site.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").last?.dropLast() ?? "")
        let logged = try server.cliArray(["delegation", "log", "--title", "Visita publica a Monterrey", "--to", "MX", "--start", "2024-06",
                                          "--met", Self.organization, "--delegate", Self.person, "--delegate", "janet-gray",
                                          "--employer", "wabtec"]).expectSuccess()
        // "Logged delegation ID: title (start)."
        delegation = String(logged.stdout.split(separator: " ").dropFirst(2).first?.dropLast() ?? "")
        try server.cliArray(["org", "edit", Self.organization, "--sensitive"]).expectSuccess()
        try server.cliArray(["person", "edit", Self.person, "--sensitive"]).expectSuccess()
        viewer = try server.token(for: "juan", role: "viewer")
        editor = try server.token(for: "maria", role: "editor")
        admin = try server.token(for: "boss", role: "admin")
        trusted = try server.token(for: "ana", role: "viewer", sensitive: true)
        try server.start()
    }

    /// A request that reads, answered whole to every account: what the account with the
    /// permission must find in it (nothing when it is a report the withheld records may be absent from).
    struct Read {
        let path: String
        let shows: [String]
        init(_ path: String, shows: [String] = []) {
            self.path = path
            self.shows = shows
        }
    }

    /// The reads of every family of route; each may name the withheld records.
    var reads: [Read] {
        let appendix = "/api/appendix/ue-79-international-solidarity?since=2023-09"
        return [
            Read("/api/organizations", shows: ["Sindicato Oculto"]),
            Read("/api/organizations?country=MX", shows: ["Sindicato Oculto"]),
            Read("/api/organizations/ue", shows: ["sofx"]),
            Read("/api/people", shows: ["Ximena Oculta"]),
            Read("/api/people?organization=ue", shows: ["Ximena Oculta"]),
            Read("/api/people/tomas-publico", shows: ["sofx"]),
            Read("/api/people/janet-gray"),
            Read("/api/relationships", shows: ["sofx"]),
            Read("/api/relationships?organization=ue", shows: ["sofx"]),
            Read("/api/employers/wabtec"),
            Read("/api/sites", shows: ["sofx"]),
            Read("/api/sites?employer=wabtec&country=MX", shows: ["sofx"]),
            Read("/api/sites/\(site)", shows: ["sofx"]),
            Read("/api/allies?employer=wabtec", shows: ["sofx"]),
            Read("/api/allies?employer=wabtec&country=MX", shows: ["sofx"]),
            Read("/api/graph?format=dot", shows: ["sofx"]),
            Read("/api/graph?format=mermaid", shows: ["sofx"]),
            Read("/api/graph?employer=wabtec", shows: ["sofx"]),
            Read("/api/activities", shows: ["sofx", "ximena-oculta"]),
            Read("/api/activities?country=MX", shows: ["sofx", "ximena-oculta"]),
            Read("/api/delegations?employer=wabtec", shows: ["sofx", "ximena-oculta"]),
            Read("/api/delegations/\(delegation)", shows: ["sofx", "ximena-oculta"]),
            Read("/api/timeline/ue", shows: ["sofx"]),
            Read("/api/timeline/janet-gray?kind=person"),
            Read("/api/timeline/wabtec?kind=employer"),
            Read("/api/stale?months=1", shows: ["sofx"]),
            Read("/api/search?q=Oculto", shows: ["Sindicato Oculto"]),
            Read("/api/search?q=Ximena", shows: ["Ximena Oculta"]),
            Read("/api/search?q=SOFX", shows: ["sofx"]),
            Read("/api/search?q=Ferrocarrileros", shows: ["sofx"]),
            Read("/api/search?q=Monterrey"),
            Read(appendix, shows: ["sofx", "Ximena Oculta"]),
            Read(appendix + "&format=html", shows: ["sofx", "Ximena Oculta"]),
            Read("/api/export"),
            Read("/api/history?limit=500", shows: ["sofx"]),
            Read("/api/history?ref=ue&limit=500", shows: ["sofx"]),
            Read("/api/duplicates/organizations"),
            Read("/api/duplicates/people"),
        ]
    }

    /// The reads whose path names a withheld record: each must answer as it answers a reference
    /// to no record (`nowhere`), and the account with the permission gets 200.
    static let byReference = [
        "/api/organizations/sofx", "/api/organizations/SOFX", "/api/organizations/Sindicato%20Oculto%20Ferroviario",
        "/api/people/ximena-oculta", "/api/people/Ximena%20Oculta",
        "/api/people?organization=sofx", "/api/relationships?organization=sofx",
        "/api/sites?union=sofx", "/api/activities?organization=sofx", "/api/activities?person=ximena-oculta",
        "/api/graph?organization=sofx", "/api/shared-employers?first=ue&second=sofx",
        "/api/timeline/sofx", "/api/timeline/sofx?kind=organization", "/api/timeline/ximena-oculta", "/api/timeline/ximena-oculta?kind=person",
        "/api/history?ref=sofx", "/api/history?ref=ximena-oculta", "/api/conventions?organization=sofx",
    ]

    /// A path with its withheld references replaced by `nowhere`.
    static func elsewhere(_ path: String) -> String {
        var path = path
        for withheld in ["Sindicato%20Oculto%20Ferroviario", "Ximena%20Oculta", "ximena-oculta", "SOFX", "sofx"] {
            path = path.replacingOccurrences(of: withheld, with: nowhere)
        }
        return path
    }
}

@Suite("Sensitive records and the server's accounts", .serialized)
struct ServerSensitiveTests {
    @Test("an account without the permission finds no trace of a sensitive union or person in any list, profile, search, report or history")
    func absentFromReads() async throws {
        let fixture = try SensitiveServer()
        defer { fixture.server.stop() }
        for read in fixture.reads {
            let answer = try await fixture.server.get(read.path, token: fixture.viewer)
            #expect(answer.status == 200, "\(read.path): \(answer.status) \(answer.text.prefix(300))")
            let leaks = SensitiveServer.leaks(answer)
            #expect(leaks.isEmpty, "\(read.path) names \(leaks) to an account that may not see them: \(excerpt(answer.text, around: leaks))")
        }
    }

    @Test("for an account without the permission, a reference to a sensitive union or person answers as a reference to nothing, and never names it")
    func absentByReference() async throws {
        let fixture = try SensitiveServer()
        defer { fixture.server.stop() }
        for path in SensitiveServer.byReference {
            let withheld = try await fixture.server.get(path, token: fixture.viewer)
            let nothing = try await fixture.server.get(SensitiveServer.elsewhere(path), token: fixture.viewer)
            #expect(withheld.status == 404 && nothing.status == 404 && withheld.contentType == "application/problem+json",
                    "\(path): \(withheld.status) \(withheld.text.prefix(300)), where a reference to nothing is \(nothing.status)")
            let leaks = SensitiveServer.leaks(withheld, echoing: path)
            #expect(leaks.isEmpty, "\(path) names \(leaks): \(withheld.text)")
        }
    }

    @Test("a mistyped or ambiguous reference near a sensitive union is refused without naming it, and named for an account with the permission")
    func errorsNeverNameIt() async throws {
        let fixture = try SensitiveServer()
        defer { fixture.server.stop() }
        let near = ["/api/organizations/Sindicato%20Oculto%20Ferroviaro", "/api/organizations/SOFXX", "/api/people/Ximena%20Ocultaa",
                    "/api/organizations/Ferrocarrileros", "/api/timeline/Ferrocarrileros"]
        for path in near {
            let answer = try await fixture.server.get(path, token: fixture.viewer)
            #expect(answer.status < 500, "\(path): \(answer.text)")
            let leaks = SensitiveServer.leaks(answer, echoing: path)
            #expect(leaks.isEmpty, "\(path) names \(leaks): \(answer.text)")
            // Nor does it say that it left a candidate out.
            // (A reference the account may see answers the record: a timeline is a list.)
            let detail = answer.contentType == "application/problem+json" ? (try answer.object())["detail"] as? String ?? "" : ""
            #expect(!detail.hasSuffix(":"), "\(path): \(detail)")
        }
        // For this account the alias both unions share names only the public one, as if the other did
        // not exist: answered as it (a choice of one would say that another is hidden).
        let shared = try await fixture.server.get("/api/organizations/Ferrocarrileros", token: fixture.viewer)
        #expect(shared.status == 200, "\(shared.text)")
        if shared.status == 200 { #expect(try shared.object()["handle"] as? String == "sindicato-ferrocarrilero-abierto") }

        // With the permission, the same mistake is answered with the sensitive union among the candidates.
        let typo = try await fixture.server.get("/api/organizations/Sindicato%20Oculto%20Ferroviaro", token: fixture.trusted)
        #expect(typo.status == 404)
        #expect(typo.text.contains("sofx"), "\(typo.text)")
        let ambiguous = try await fixture.server.get("/api/organizations/Ferrocarrileros", token: fixture.trusted)
        #expect(ambiguous.status == 409, "\(ambiguous.text)")
        #expect(ambiguous.text.contains("sofx") && ambiguous.text.contains("sindicato-ferrocarrilero-abierto"), "\(ambiguous.text)")
    }

    @Test("an account with the permission sees the sensitive union and person everywhere they are")
    func presentWithThePermission() async throws {
        let fixture = try SensitiveServer()
        defer { fixture.server.stop() }
        for read in fixture.reads {
            let answer = try await fixture.server.get(read.path, token: fixture.trusted)
            #expect(answer.status == 200, "\(read.path): \(answer.status) \(answer.text.prefix(300))")
            for shown in read.shows {
                #expect(answer.text.range(of: shown, options: .caseInsensitive) != nil, "\(read.path) leaves out \(shown): \(answer.text.prefix(600))")
            }
        }
        for path in SensitiveServer.byReference {
            let answer = try await fixture.server.get(path, token: fixture.trusted)
            #expect(answer.status == 200, "\(path): \(answer.status) \(answer.text.prefix(300))")
        }
        let profile = try await fixture.server.get("/api/organizations/sofx", token: fixture.trusted)
        #expect(try profile.object()["name"] as? String == "Sindicato Oculto Ferroviario")
        let relationships = try await fixture.server.get("/api/relationships?organization=ue", token: fixture.trusted)
        let ally = try #require(try relationships.array().first { $0["to"] as? String == "sofx" })
        #expect(ally["sensitive"] as? Bool == true)
        let everything = try await fixture.server.get("/api/export?include_sensitive=true", token: fixture.trusted)
        #expect(everything.status == 200)
        #expect(everything.text.contains("Sindicato Oculto Ferroviario") && everything.text.contains("Ximena Oculta"))
    }

    @Test("an account without the permission may not ask for them: an export with sensitive records is 403, and writes to them answer as writes to nothing")
    func refusedWrites() async throws {
        let fixture = try SensitiveServer()
        defer { fixture.server.stop() }
        let export = try await fixture.server.get("/api/export?include_sensitive=true", token: fixture.viewer)
        #expect(export.status == 403, "\(export.text)")
        #expect(SensitiveServer.leaks(export).isEmpty)

        let writes: [(String, String, [String: Any]?)] = [
            ("PATCH", "/api/organizations/sofx", ["city": "Saltillo"]),
            ("DELETE", "/api/organizations/sofx", nil),
            ("PATCH", "/api/people/ximena-oculta", ["email": "x@example.org"]),
            ("DELETE", "/api/people/ximena-oculta", nil),
            ("POST", "/api/relationships", ["from": "ue", "to": "sofx", "kind": "partner", "status": "active"]),
            ("PATCH", "/api/relationships/ue/ally/sofx", ["status": "ended"]),
            ("POST", "/api/delegations", ["title": "Otra visita", "start": "2026-05", "itinerary": [["country": "MX"]],
                                          "organizations": [["organization": "sofx", "role": "host"]]]),
            ("POST", "/api/merge/organizations", ["from": "sofx", "into": "sindicato-ferrocarrilero-abierto"]),
        ]
        for (method, path, body) in writes {
            let withheld = try await fixture.server.request(method, path, token: fixture.editor, json: body)
            #expect(withheld.status == 404, "\(method) \(path): \(withheld.status) \(withheld.text)")
            let leaks = SensitiveServer.leaks(withheld, echoing: path + (body.flatMap { try? JSONSerialization.data(withJSONObject: $0) }
                .map { String(decoding: $0, as: UTF8.self) } ?? ""))
            #expect(leaks.isEmpty, "\(method) \(path) names \(leaks): \(withheld.text)")
        }
        let unchanged = try fixture.server.cliArray(["org", "show", "sofx", "--format", "json"]).expectSuccess()
        #expect(!unchanged.stdout.contains("Saltillo"))
        let relationships = try fixture.server.cliArray(["relationship", "list", "--org", "sofx", "--format", "json"]).expectSuccess()
        #expect(try relationships.array().map { $0["kind"] as? String } == ["ally"])
        #expect(try relationships.array().first?["status"] as? String == "active")
        #expect(try fixture.server.cliArray(["person", "show", "ximena-oculta"]).status == 0)
    }
}

extension ServerSensitiveTests {
    @Test("an admin without the permission cannot reach sensitive records through accounts: no account that sees them, no token of one")
    func adminWithoutThePermission() async throws {
        let fixture = try SensitiveServer()
        defer { fixture.server.stop() }
        let made = try await fixture.server.request("POST", "/api/accounts", token: fixture.admin,
                                                    json: ["name": "spy", "organization": "ue", "role": "viewer", "sensitive": true])
        #expect(made.status == 403, "\(made.text)")
        let issued = try await fixture.server.request("POST", "/api/accounts/ana/tokens", token: fixture.admin, json: ["label": "borrowed"])
        #expect(issued.status == 403, "\(issued.status) \(issued.text)")
        if let secret = try? issued.object()["secret"] as? String {
            let seen = try await fixture.server.get("/api/organizations/sofx", token: secret)
            #expect(seen.status == 404, "a token the admin made for ana shows the sensitive union to the admin: \(seen.text.prefix(200))")
        }
        let tokens = try fixture.server.cliArray(["account", "token", "list", "ana", "--format", "json"]).expectSuccess().array()
        #expect(tokens.count == 1, "the admin gave ana a token of its own making: \(tokens)")
        #expect(try fixture.server.cliArray(["account", "list", "--format", "json"]).expectSuccess().array().allSatisfy { $0["name"] as? String != "spy" })
    }
}

/// The text around the first of `needles` in `text`, for a failure's message.
func excerpt(_ text: String, around needles: [String]) -> String {
    guard let needle = needles.first, let range = text.range(of: needle, options: .caseInsensitive) else { return "" }
    let start = text.index(range.lowerBound, offsetBy: -120, limitedBy: text.startIndex) ?? text.startIndex
    let end = text.index(range.upperBound, offsetBy: 120, limitedBy: text.endIndex) ?? text.endIndex
    return String(text[start..<end])
}
