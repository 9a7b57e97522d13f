import Foundation
import Hummingbird
import SolidarityCore

/// The network graph and search: `graph` and `search` of the command line.
enum ReportRoutes {
    /// The graph's formats, as `graph --format` names them, and JSON (its nodes and edges).
    enum GraphFormat: String, CaseIterable, Sendable { case dot, mermaid }

    static func add(to api: RouterGroup<APIContext>) {
        api.get("graph") { request, context in
            let employer = request.query("employer"), organization = request.query("organization")
            if employer != nil, organization != nil {
                throw APIError.badRequest("Give \"employer\" or \"organization\", not both: the graph centres on one of them.")
            }
            let scope: NetworkGraph.Scope = employer.map { .employer($0) } ?? organization.map { .organization($0) } ?? .everything
            let format = try request.query("format", as: GraphFormat.self) ?? .dot
            return try await context.core { store, audience in
                if let organization { try audience.maySee(organization, kind: .organization, in: store) }
                let graph = try store.graph(scope, includeSensitive: audience.seesSensitive)
                return format == .dot ? DocumentAnswer(bytes: Data(graph.dot.utf8), contentType: "text/vnd.graphviz; charset=utf-8")
                    : DocumentAnswer(bytes: Data(graph.mermaid.utf8), contentType: "text/plain; charset=utf-8")
            }
        }
        api.get("search") { request, context in
            let text = try request.requiredQuery("q", "the words to look for")
            let limit = try request.number("limit") ?? 50
            return JSONAnswer(try await context.core { store, audience in
                let hits = try store.search(text, limit: limit)
                return audience.seesSensitive ? hits : hits.filter { !$0.sensitive }
            })
        }
    }
}
