import Foundation
import Hummingbird
import SolidarityCore

/// Conventions, resolutions and the convention appendix: `convention`, `resolution` and
/// `appendix` of the command line.
enum ConventionRoutes {
    /// A resolution as `POST /api/resolutions` reads it: its text is read into clauses as
    /// `resolution add --text` reads it.
    struct NewResolution: Decodable, Sendable {
        let convention: String
        let title: String
        let text: String
        var status: Resolution.Status?
        var handle: String?
        var sources: [String]?
    }

    /// A convention with its resolutions.
    struct ConventionAnswer: Encodable, Sendable {
        let convention: Convention
        let resolutions: [Resolution]

        enum CodingKeys: String, CodingKey { case resolutions }

        func encode(to encoder: any Encoder) throws {
            try convention.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(resolutions, forKey: .resolutions)
        }
    }

    static func add(to api: RouterGroup<APIContext>) {
        api.get("conventions") { request, context in
            let organization = request.query("organization")
            return JSONAnswer(try await context.core { store, audience in
                if let organization { try audience.maySee(organization, kind: .organization, in: store) }
                let rule = try audience.rule(store)
                return try store.conventions(of: organization).compactMap(rule.shown)
            })
        }
        api.get("conventions/{ref}") { _, context in
            let ref = try context.parameters.ref()
            return JSONAnswer(try await context.core { store, audience in
                let rule = try audience.rule(store)
                let (convention, resolutions) = try store.convention(ref)
                return ConventionAnswer(convention: try Audience.found(rule.shown(convention), "convention", ref),
                                        resolutions: resolutions.compactMap { rule.shown($0, conventionOf: convention.organization) })
            })
        }
        api.post("conventions") { request, context in
            let convention = try await request.decoded(Convention.self)
            return JSONAnswer(try await context.core { store, audience in
                try audience.maySee(convention.organization, kind: .organization, in: store)
                return try store.addConvention(convention)
            }, status: .created)
        }
        api.get("resolutions") { request, context in
            let convention = request.query("convention")
            return JSONAnswer(try await context.core { store, audience in
                let rule = try audience.rule(store), owners = try Self.owners(store)
                return try store.resolutions(of: convention).compactMap { rule.shown($0, conventionOf: owners[$0.convention] ?? "") }
            })
        }
        api.get("resolutions/{ref}") { _, context in
            let ref = try context.parameters.ref()
            return JSONAnswer(try await context.core { store, audience in
                try Self.shown(store.resolution(ref), store, audience, ref)
            })
        }
        api.post("resolutions") { request, context in
            let new = try await request.decoded(NewResolution.self)
            return JSONAnswer(try await context.core { store, audience in
                if !audience.seesSensitive { _ = try Audience.found(audience.rule(store).shown(store.convention(new.convention).convention), "convention", new.convention) }
                let reading = try store.addResolution(convention: new.convention, title: new.title, text: new.text, status: new.status ?? .draft,
                                                      handle: new.handle, sources: new.sources ?? [])
                return try Self.shown(reading.resolution, store, audience, new.title)
            }, status: .created)
        }
        api.patch("resolutions/{ref}") { request, context in
            struct StatusChange: Decodable { let status: Resolution.Status }
            let ref = try context.parameters.ref(), change = try await request.decoded(StatusChange.self)
            return JSONAnswer(try await context.core { store, audience in
                _ = try Self.shown(store.resolution(ref), store, audience, ref)
                return try Self.shown(store.setResolutionStatus(ref, change.status), store, audience, ref)
            })
        }
        api.get("appendix/{resolution}") { request, context in
            let ref = try context.parameters.ref("resolution")
            let since = try request.query("since") { try PartialDate($0) }, until = try request.query("until") { try PartialDate($0) }
            let format = try request.query("format", as: AppendixDocument.self) ?? .md
            return try await context.core { store, audience in
                if !audience.seesSensitive {
                    // The appendix of a resolution, or of a convention's only one: neither may be a withheld organization's.
                    if let resolution = try? store.resolution(ref) { _ = try Self.shown(resolution, store, audience, ref) }
                    if let convention = try? store.convention(ref).convention {
                        _ = try Audience.found(audience.rule(store).shown(convention), "resolution", ref)
                    }
                }
                var markdown = Data()
                _ = try store.appendix(for: ref, since: since, until: until, includeSensitive: audience.seesSensitive,
                                       format: format == .html ? .html : .markdown) { markdown.append($0) }
                switch format {
                case .md, .html: return DocumentAnswer(bytes: markdown, contentType: format.mediaType)
                case .docx, .odt:
                    var document = Data()
                    try Pandoc.convert(markdown, to: format.rawValue, pandoc: Pandoc.locate(searchPath: ProcessInfo.processInfo.environment["PATH"])) {
                        document.append($0)
                    }
                    return DocumentAnswer(bytes: document, contentType: format.mediaType, filename: "appendix.\(format.rawValue)")
                }
            }
        }
    }

    /// The organization each convention (by handle) belongs to.
    static func owners(_ store: Store) throws -> [String: String] {
        Dictionary(try store.conventions().map { ($0.handle, $0.organization) }, uniquingKeysWith: { first, _ in first })
    }

    static func shown(_ resolution: Resolution, _ store: Store, _ audience: Audience, _ ref: String) throws -> Resolution {
        try Audience.found(audience.rule(store).shown(resolution, conventionOf: owners(store)[resolution.convention] ?? ""), "resolution", ref)
    }
}

/// The formats of the appendix, as `appendix --format` names them.
enum AppendixDocument: String, CaseIterable, Sendable {
    case md, html, docx, odt

    var mediaType: String {
        switch self {
        case .md: "text/markdown; charset=utf-8"
        case .html: "text/html; charset=utf-8"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .odt: "application/vnd.oasis.opendocument.text"
        }
    }
}
