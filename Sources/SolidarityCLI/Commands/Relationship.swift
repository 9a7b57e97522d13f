import ArgumentParser
import Foundation
import SolidarityCore

struct RelationshipCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relationship",
        abstract: "List, change and end relationships between organizations.",
        subcommands: [List.self, Edit.self, End.self])
}

extension RelationshipCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List relationships, optionally of one organization, kind or status.",
            discussion: """
                Examples:
                  solidarity relationship list --org ue --kind ally
                  solidarity relationship list --status close --format md
                """)

        @OptionGroup var store: StoreOptions
        @Option(help: ArgumentHelp("Only this organization's relationships (an ally or partner link names it first).", valueName: "ref"))
        var org: String?
        @Option(help: "Only this kind.")
        var kind: Relationship.Kind?
        @Option(help: "Only this status.")
        var status: Relationship.Status?
        @OptionGroup var output: FormatOptions

        func run() throws {
            let directory = try store.open(.read)
            let rule = try directory.disclosure()
            try Output.list(format: output.format) { (row: (SensitiveRow<Relationship>) throws -> Void) in
                try directory.relationships(of: org, kind: kind, status: status) { try row(SensitiveRow(record: $0, sensitive: !rule.shows($0))) }
            }
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Change a relationship's status, dates, notes or sources.",
            discussion: """
                Example:
                  solidarity relationship edit ue kctu --kind ally --status close --since 2024-12
                """)

        @OptionGroup var store: StoreOptions
        @OptionGroup var which: WhichRelationship
        @Option(help: "close, active, dormant or ended.")
        var status: Relationship.Status?
        @Option(help: ArgumentHelp("Since when (a partial date).", valueName: "date"), transform: Parse.date)
        var since: PartialDate?
        @Option(help: ArgumentHelp("Until when (a partial date).", valueName: "date"), transform: Parse.date)
        var until: PartialDate?
        @Option(help: "Free-text notes (replaces the notes).")
        var notes: String?
        @Option(help: ArgumentHelp("A source URL (or id) to add (repeatable).", valueName: "url"))
        var source: [String] = []

        func run() throws {
            let r = try store.open(.write).editRelationship(which.pair.first, which.pair.second, kind: which.kind) { r in
                if let status { r.status = status }
                if let since { r.since = since }
                if let until { r.until = until }
                if let notes { r.notes = notes }
                r.sources += source
            }
            Terminal.say("Updated: \(r.phrase) (\(r.status.rawValue)).")
        }
    }

    struct End: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "end",
            abstract: "End a relationship: its status becomes ended, with the date it ended.",
            discussion: """
                Example:
                  solidarity relationship end ue cgt --kind ally --on 2026-01
                """)

        @OptionGroup var store: StoreOptions
        @OptionGroup var which: WhichRelationship
        @Option(help: ArgumentHelp("When it ended (a partial date); kept empty when unknown.", valueName: "date"), transform: Parse.date)
        var on: PartialDate?

        func run() throws {
            let r = try store.open(.write).editRelationship(which.pair.first, which.pair.second, kind: which.kind) { r in
                r.status = .ended
                if let on { r.until = on }
            }
            Terminal.say("Ended: \(r.phrase)\(r.until.map { " in \($0)" } ?? "").")
        }
    }
}

/// The two organizations a relationship is between, as `relate`, `relationship edit` and `end` name them.
struct OrganizationPair: ParsableArguments {
    @Argument(help: ArgumentHelp("The first organization.", valueName: "ref"))
    var first: String
    @Argument(help: ArgumentHelp("The second organization.", valueName: "ref"))
    var second: String
}

/// The relationship an `edit` or `end` changes: two organizations and which of their relationships.
struct WhichRelationship: ParsableArguments {
    @OptionGroup var pair: OrganizationPair
    @Option(help: "Which of their relationships: ally, partner, member_of, affiliate_of or founder_of.")
    var kind: Relationship.Kind
}
