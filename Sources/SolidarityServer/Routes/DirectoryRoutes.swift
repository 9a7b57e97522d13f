import Foundation
import Hummingbird
import SolidarityCore

/// Organizations, people and relationships: `org`, `person`, `relate` and `relationship` of the
/// command line.
enum DirectoryRoutes {
    static func add(to api: RouterGroup<APIContext>) {
        // MARK: Organizations
        api.get("organizations") { request, context in
            let filter = OrganizationFilter(country: try request.query("country") { try Country($0).code }, kind: try request.query("kind", as: Organization.Kind.self),
                                            parent: request.query("parent"), campaign: request.query("campaign"))
            return JSONAnswer(try await context.core { store, audience in
                let rule = try audience.rule(store)
                var shown: [Organization] = []
                try store.organizations(filter) { if rule.shows($0) { shown.append($0) } }
                return shown
            })
        }
        api.get("organizations/{ref}") { _, context in
            let ref = try context.parameters.ref()
            return JSONAnswer(try await context.core { store, audience in
                try Audience.found(audience.rule(store).shown(store.profile(ofOrganization: ref)), "organization", ref)
            })
        }
        api.post("organizations") { request, context in
            let organization = try await request.decoded(Organization.self)
            return JSONAnswer(try await context.core { store, _ in try store.addOrganization(organization) }, status: .created)
        }
        api.patch("organizations/{ref}") { request, context in
            let ref = try context.parameters.ref(), patch = try await request.patch()
            return JSONAnswer(try await context.core { store, audience in
                try audience.maySee(ref, kind: .organization, in: store)
                return try store.editOrganization(ref) { try patch.apply(to: &$0) }
            })
        }
        api.delete("organizations/{ref}") { _, context in
            let ref = try context.parameters.ref()
            return JSONAnswer(try await context.core { store, audience in
                try audience.maySee(ref, kind: .organization, in: store)
                let removal = try store.removeOrganization(ref)
                return Removed(removed: removal.organization, withIt: ["relationships": removal.relationships, "titles": removal.titles, "activity_roles": removal.roles])
            })
        }

        // MARK: People
        api.get("people") { request, context in
            let organization = request.query("organization")
            return JSONAnswer(try await context.core { store, audience in
                if let organization { try audience.maySee(organization, kind: .organization, in: store) }
                let rule = try audience.rule(store)
                var shown: [Person] = []
                try store.people(at: organization) { if let person = rule.shown($0) { shown.append(person) } }
                return shown
            })
        }
        api.get("people/{ref}") { _, context in
            let ref = try context.parameters.ref()
            return JSONAnswer(try await context.core { store, audience in
                try Audience.found(audience.rule(store).shown(store.person(ref)), "person", ref)
            })
        }
        api.post("people") { request, context in
            let person = try await request.decoded(Person.self)
            return JSONAnswer(try await context.core { store, _ in try store.addPerson(person) }, status: .created)
        }
        api.patch("people/{ref}") { request, context in
            let ref = try context.parameters.ref(), patch = try await request.patch()
            return JSONAnswer(try await context.core { store, audience in
                try audience.maySee(ref, kind: .person, in: store)
                return try store.editPerson(ref) { try patch.apply(to: &$0) }
            })
        }
        api.delete("people/{ref}") { _, context in
            let ref = try context.parameters.ref()
            return JSONAnswer(try await context.core { store, audience in
                try audience.maySee(ref, kind: .person, in: store)
                let removed = try store.removePerson(ref)
                return Removed(removed: try audience.rule(store).shown(removed) ?? removed)
            })
        }

        // MARK: Relationships
        api.get("relationships") { request, context in
            let organization = request.query("organization")
            let kind = try request.query("kind", as: Relationship.Kind.self), status = try request.query("status", as: Relationship.Status.self)
            return JSONAnswer(try await context.core { store, audience in
                if let organization { try audience.maySee(organization, kind: .organization, in: store) }
                let rule = try audience.rule(store), marks = try store.disclosure()
                var shown: [Marked<Relationship>] = []
                try store.relationships(of: organization, kind: kind, status: status) {
                    if rule.shows($0) { shown.append(Marked($0, sensitive: !marks.shows($0))) }
                }
                return shown
            })
        }
        api.post("relationships") { request, context in
            let relationship = try await request.decoded(Relationship.self)
            return JSONAnswer(try await context.core { store, audience in
                try audience.maySee(relationship.from, kind: .organization, in: store)
                try audience.maySee(relationship.to, kind: .organization, in: store)
                return try store.relate(relationship)
            }, status: .created)
        }
        api.patch("relationships/{from}/{kind}/{to}") { request, context in
            let from = try context.parameters.ref("from"), to = try context.parameters.ref("to")
            let kind = try Relationship.Kind.parsed(context.parameters.ref("kind"))
            let patch = try await request.patch()
            return JSONAnswer(try await context.core { store, audience in
                try audience.maySee(from, kind: .organization, in: store)
                try audience.maySee(to, kind: .organization, in: store)
                return try store.editRelationship(from, to, kind: kind) { try patch.apply(to: &$0) }
            })
        }
    }
}

/// A record of a listing with whether it names a withheld record, as the command line's JSON
/// listing adds `sensitive` (shown only to accounts that may see sensitive records).
struct Marked<Record: Encodable & Sendable>: Encodable, Sendable {
    let record: Record
    let sensitive: Bool

    init(_ record: Record, sensitive: Bool) {
        self.record = record
        self.sensitive = sensitive
    }

    private enum CodingKeys: String, CodingKey { case sensitive }

    func encode(to encoder: any Encoder) throws {
        try record.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sensitive, forKey: .sensitive)
    }
}

extension RawRepresentable where Self: CaseIterable, RawValue == String {
    /// The case a path segment names, or 400 listing the cases.
    static func parsed(_ text: String) throws -> Self {
        guard let value = Self(rawValue: text) else {
            throw APIError.badRequest("\"\(TextRules.printable(text))\" is not one of \(allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return value
    }
}

extension Audience {
    /// The record an answer may show, or 404 as if it did not exist (a withheld record is never named).
    static func found<T>(_ record: T?, _ noun: String, _ ref: String) throws -> T {
        guard let record else { throw APIError.notFound("No \(noun) matches \"\(TextRules.printable(ref))\".") }
        return record
    }
}
