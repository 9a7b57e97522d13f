import Foundation
import Hummingbird
import SolidarityCore

/// Activities and delegations, follow-ups, timelines and stale allies: `activity`, `delegation`,
/// `follow-up`, `timeline` and `stale` of the command line.
enum ActivityRoutes {
    static func add(to api: RouterGroup<APIContext>) {
        for (path, kind) in [("activities", Activity.Kind?.none), ("delegations", .delegation)] {
            api.get(RouterPath(path)) { request, context in
                var asked = try ActivityFilter(request)
                if let kind { asked.kinds = [kind] }
                let filter = asked
                return JSONAnswer(try await context.core { store, audience in
                    if let organization = filter.organization { try audience.maySee(organization, kind: .organization, in: store) }
                    if let person = filter.person { try audience.maySee(person, kind: .person, in: store) }
                    let rule = try audience.rule(store)
                    var shown: [Activity] = []
                    try store.activities(filter) { if let activity = rule.shown($0) { shown.append(activity) } }
                    return shown
                })
            }
            api.get(RouterPath("\(path)/{id}")) { _, context in
                let id = try context.parameters.ref("id")
                return JSONAnswer(try await context.core { store, audience in
                    let activity = try kind.map { try store.activity(id, kind: $0) } ?? store.activity(id)
                    return try Audience.found(audience.rule(store).shown(activity), kind?.rawValue ?? "activity", id)
                })
            }
            api.post(RouterPath(path)) { request, context in
                var body = try await request.bytes()
                guard var fields = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
                    throw APIError.badRequest("This route reads a JSON object, the activity, as the request's body.")
                }
                // A delegation's route gives its kind.
                if let kind {
                    fields["kind"] = kind.rawValue
                    body = try JSONSerialization.data(withJSONObject: fields)
                }
                let activity = try JSONDecoder().decode(Activity.self, from: body)
                // A status the request states is kept; without one, a trip that starts after today is planned.
                let stated = fields["status"] != nil ? activity.status : nil
                return JSONAnswer(try await context.core { store, audience in
                    try audience.mayName(activity, in: store)
                    return try store.log(activity, status: stated)
                }, status: .created)
            }
            api.patch(RouterPath("\(path)/{id}")) { request, context in
                let id = try context.parameters.ref("id"), patch = try await request.patch()
                return JSONAnswer(try await context.core { store, audience in
                    try audience.mayChange(activity: id, in: store)
                    return try store.editActivity(id, kind: kind) { activity in
                        try patch.apply(to: &activity)
                        try audience.mayName(activity, in: store)
                    }.activity
                })
            }
            api.delete(RouterPath("\(path)/{id}")) { _, context in
                let id = try context.parameters.ref("id")
                return JSONAnswer(try await context.core { store, audience in
                    try audience.mayChange(activity: id, in: store)
                    let removed = try store.removeActivity(id, kind: kind)
                    return Removed(removed: try audience.rule(store).shown(removed) ?? removed)
                })
            }
        }

        api.get("follow-ups") { request, context in
            let overdue = try request.flag("overdue"), all = try request.flag("all")
            return JSONAnswer(try await context.core { store, audience in
                let rule = try audience.rule(store)
                return try store.followUps(overdueOnly: overdue, includeDone: all).filter { rule.includesSensitive || !$0.sensitive }
            })
        }
        api.post("follow-ups/{id}/done") { request, context in
            let id = try context.parameters.ref("id"), on = try request.query("on") { try PartialDate($0) }
            return JSONAnswer(try await context.core { store, audience in
                let item = try store.followUps(includeDone: true).first { $0.id == id.lowercased() }
                if let item, item.sensitive, !audience.seesSensitive { throw APIError.notFound("No follow-up has the id \"\(TextRules.printable(id))\".") }
                return try on.map { try store.completeFollowUp(id, on: $0) } ?? store.completeFollowUp(id)
            })
        }
        api.get("timeline/{ref}") { request, context in
            let ref = try context.parameters.ref(), kind = try request.query("kind", as: TimelineKind.self)
            return JSONAnswer(try await context.core { store, audience in
                try audience.maySee(ref, kind: kind, in: store)
                let events = try store.timeline(of: ref, kind: kind)
                return audience.seesSensitive ? events : events.filter { !$0.sensitive }
            })
        }
        api.get("stale") { request, context in
            let months = try request.number("months") ?? 12
            return JSONAnswer(try await context.core { store, audience in
                let allies = try store.staleAllies(months: months)
                return audience.seesSensitive ? allies : allies.filter { !$0.sensitive }
            })
        }
    }
}

extension ActivityFilter {
    /// The filter of `activity list` from a request's query: kind, since, until, organization,
    /// person, country, employer, campaign, status.
    init(_ request: Request) throws {
        let since = try request.query("since") { try PartialDate($0) }, until = try request.query("until") { try PartialDate($0) }
        try Period(since: since, until: until).check()
        self.init(kinds: try request.query("kind", as: Activity.Kind.self).map { [$0] } ?? [], since: since, until: until,
                  organization: request.query("organization"), person: request.query("person"),
                  country: try request.query("country") { try Country($0).code }, employer: request.query("employer"),
                  campaign: request.query("campaign"), status: try request.query("status", as: Activity.Status.self))
    }
}

extension Audience {
    /// Refuses, as not found, a change to an activity this account may not see.
    func mayChange(activity id: String, in store: Store) throws {
        guard !seesSensitive else { return }
        _ = try Self.found(rule(store).shown(store.activity(id)), "activity", id)
    }

    /// Refuses, as not found, a reference to an organization or a person this account may not see,
    /// whichever `kind` it names (both when it names none): the one guard every route uses before
    /// Core (whose references already leave withheld records out) reads or writes.
    func maySee(_ ref: String, kind: TimelineKind?, in store: Store) throws {
        guard !seesSensitive else { return }
        if kind == .organization || kind == nil, let organization = try? store.organization(ref) {
            _ = try Self.found(rule(store).shows(organization) ? organization : nil, "organization", ref)
        }
        if kind == .person || kind == nil, let person = try? store.person(ref) {
            _ = try Self.found(rule(store).shown(person), "person", ref)
        }
    }

    /// Refuses, as not found, an activity that names an organization or a person this account may not see.
    func mayName(_ activity: Activity, in store: Store) throws {
        guard !seesSensitive else { return }
        for part in activity.organizations { try maySee(part.organization, kind: .organization, in: store) }
        for part in activity.people { try maySee(part.person, kind: .person, in: store) }
    }
}
