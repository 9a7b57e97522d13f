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
                    // Without the permission: a change named by its number, alone, and not one that
                    // touched a sensitive record (a cascade could undo later changes that did, and
                    // the refusal that lists them would name them).
                    guard let change else {
                        throw APIError.badRequest("Name the change to undo with \"change\" (its number in GET /api/history).")
                    }
                    if cascade { throw APIError.notSensitive(audience.account) }
                    _ = try Audience.found(try store.historyChange(change).sensitive ? nil : change, "change", String(change))
                    do {
                        return try Self.answer(store.undo(change, cascade: false))
                    } catch let error as SolidarityError where error.remedy == .undoLaterChangesToo(change) {
                        throw APIError.conflict("Change \(change) cannot be undone alone: later changes build on it (GET /api/history lists them). An account that may see sensitive records can undo them too, newest first, with cascade=true.")
                    }
                }
                return Self.answer(try store.undo(change, cascade: cascade))
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
                    try audience.maySee(merge.from, kind: .organization, in: store)
                    try audience.maySee(merge.into, kind: .organization, in: store)
                } else if kind == .person {
                    try audience.maySee(merge.from, kind: .person, in: store)
                    try audience.maySee(merge.into, kind: .person, in: store)
                }
                return try store.merge(kind, merge.from, into: merge.into, dryRun: merge.dryRun ?? false)
            })
        }
    }

    static func answer(_ report: UndoReport) -> UndoAnswer {
        UndoAnswer(steps: report.steps.map {
            .init(undone: $0.undone.id, change: $0.change, restored: $0.restored, removed: $0.removed, setBack: $0.setBack)
        })
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
