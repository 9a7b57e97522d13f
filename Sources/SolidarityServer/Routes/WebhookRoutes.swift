import Foundation
import Hummingbird
import SolidarityCore
import SolidarityNotify

/// Webhook endpoints, for admins: `webhook add|list|remove|enable|disable` of the command line.
enum WebhookRoutes {
    struct NewEndpoint: Decodable, Sendable {
        let url: String
        let events: [String]
        var description: String?
    }

    /// An endpoint just registered: its secret, shown once.
    struct Registered: Encodable, Sendable {
        let endpoint: WebhookEndpoint
        let secret: String
    }

    static func add(to api: RouterGroup<APIContext>) {
        api.get("webhooks") { _, context in
            JSONAnswer(try await context.core { store, _ in try WebhookEndpoints(store: store).all() })
        }
        api.post("webhooks") { request, context in
            let new = try await request.decoded(NewEndpoint.self)
            return JSONAnswer(try await context.core { store, _ in
                let (endpoint, secret) = try WebhookEndpoints(store: store).add(url: new.url, events: new.events, description: new.description)
                return Registered(endpoint: endpoint, secret: secret)
            }, status: .created)
        }
        api.delete("webhooks/{ref}") { _, context in
            let ref = try context.parameters.ref()
            return JSONAnswer(try await context.core { store, _ in Removed(removed: try WebhookEndpoints(store: store).remove(ref)) })
        }
        for (action, enabled) in [("enable", true), ("disable", false)] {
            api.post(RouterPath("webhooks/{ref}/\(action)")) { _, context in
                let ref = try context.parameters.ref()
                return JSONAnswer(try await context.core { store, _ in try WebhookEndpoints(store: store).setEnabled(ref, enabled) })
            }
        }
    }
}
