import Foundation
import Hummingbird
import SolidarityCore

/// The history of changes, undo, duplicates and merging: `history`, `undo`, `org|person|employer
/// duplicates` and `merge` of the command line.
enum HistoryRoutes {
    /// What `POST /api/undo` did, change by change.
    struct UndoAnswer: Encodable, Sendable {
        struct Step: Encodable, Sendable {
            let undone: Int64
            let change: Int64?
            let restored: Int
            let removed: Int
            let setBack: Int

            enum CodingKeys: String, CodingKey { case undone, change, restored, removed, setBack = "set_back" }
        }
        let steps: [Step]
    }

    /// The two records of `POST /api/merge/{kind}`.
    struct MergeRequest: Decodable, Sendable {
        let from: String
        let into: String
        var dryRun: Bool?

        enum CodingKeys: String, CodingKey { case from, into, dryRun = "dry_run" }
    }

    static func add(to api: RouterGroup<APIContext>) {
        api.get("history") { request, context in
            let since = try request.query("since") { try PartialDate($0) }, until = try request.query("until") { try PartialDate($0) }
            try Period(since: since, until: until).check()
            let filter = HistoryFilter(record: request.query("ref"), since: since, until: until, by: request.query("by"),
                                       limit: try request.number("limit") ?? 50)
            return JSONAnswer(try await context.core { store, audience in
                if let ref = filter.record { try audience.maySee(ref, kind: nil, in: store) }
                let changes = try store.history(filter)
                guard !audience.seesSensitive else { return changes }
                // A change that touched a sensitive record is left out whole: its summary and its
                // arguments name the record. One record's history lists only that record's part of a
                // change, so the change is judged whole.
                return try changes.filter { change in
                    filter.record == nil ? !change.sensitive : !(try store.historyChange(change.id).sensitive)
                }
            })
        }
        api.get("history/{change}") { _, context in
            let text = try context.parameters.ref("change")
            guard let id = Int64(text) else { throw APIError.badRequest("A change is named by its number, such as 12; \"\(TextRules.printable(text))\" is not one.") }
            return JSONAnswer(try await context.core { store, audience in
                let change = try store.historyChange(id)
                return try Audience.found(audience.seesSensitive || !change.sensitive ? change : nil, "change", text)
            })
        }
        api.post("undo") { request, context in
            let change = try request.number("change").map(Int64.init), cascade = try request.flag("cascade")
            return JSONAnswer(try await context.core { store, audience in
                if !audience.seesSensitive {
                    let target = try change.map { try store.historyChange($0) } ?? store.history(HistoryFilter(limit: 1)).first
                    if let target, target.sensitive {
                        throw APIError.notSensitive(audience.account)
                    }
                }
                let report = try store.undo(change, cascade: cascade)
                return UndoAnswer(steps: report.steps.map {
                    .init(undone: $0.undone.id, change: $0.change, restored: $0.restored, removed: $0.removed, setBack: $0.setBack)
                })
            })
        }
        api.get("duplicates/{kind}") { request, context in
            let kind = try Self.kind(context.parameters.ref("kind")), marked = try request.flag("include_marked")
            return JSONAnswer(try await context.core { store, audience in
                let pairs = try store.duplicates(of: kind, includeMarked: marked)
                return audience.seesSensitive ? pairs : pairs.filter { !$0.sensitive }
            })
        }
        api.post("merge/{kind}") { request, context in
            let kind = try Self.kind(context.parameters.ref("kind")), merge = try await request.decoded(MergeRequest.self)
            return JSONAnswer(try await context.core { store, audience in
                if kind == .organization {
                    try audience.mayChange(organization: merge.from, in: store)
                    try audience.mayChange(organization: merge.into, in: store)
                } else if kind == .person {
                    try audience.mayChange(person: merge.from, in: store)
                    try audience.mayChange(person: merge.into, in: store)
                }
                return try store.merge(kind, merge.from, into: merge.into, dryRun: merge.dryRun ?? false)
            })
        }
    }

    /// `organizations`, `people` or `employers`, as the route names the kind.
    static func kind(_ text: String) throws -> TimelineKind {
        switch text {
        case "organizations": .organization
        case "people": .person
        case "employers": .employer
        default: throw APIError.badRequest("Duplicates are of organizations, people or employers; \"\(TextRules.printable(text))\" is none of them.")
        }
    }
}
