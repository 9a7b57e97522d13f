import Foundation
import Hummingbird
import SolidarityCore

/// The interchange file: `export` and `import` of the command line.
enum InterchangeRoutes {
    /// The most bytes an imported document may have.
    static let importLimit = 256 << 20

    static func add(to api: RouterGroup<APIContext>) {
        api.get("export") { request, context in
            let includeSensitive = try request.flag("include_sensitive")
            return try await context.core { store, audience in
                if includeSensitive, !audience.seesSensitive {
                    throw APIError.notSensitive(audience.account)
                }
                var data = Data()
                _ = try store.export(includeSensitive: includeSensitive) { data.append($0) }
                return DocumentAnswer(bytes: data, contentType: "application/json; charset=utf-8", filename: "solidarity-export.json")
            }
        }
        api.post("import") { request, context in
            let update = try request.flag("update")
            let document = try await request.bytes(upTo: importLimit)
            return JSONAnswer(try await context.core { store, _ in
                try store.importDocument(document, name: "the request's body", update: update, keepingHistory: false)
            })
        }
    }
}
