import ArgumentParser
import Foundation
import SolidarityCore

/// `duplicates`, `not-duplicates` and `merge`, the same for organizations, people and employers:
/// each kind's command (`org duplicates`) states its kind and calls these.
enum Deduplication {
    /// The command group of a kind, as examples and hints name it.
    static func group(_ kind: TimelineKind) -> String {
        switch kind {
        case .organization: "org"
        case .person: "person"
        case .employer: "employer"
        }
    }

    static func plural(_ kind: TimelineKind) -> String { kind == .person ? "people" : kind.rawValue + "s" }

    static func list(_ kind: TimelineKind, store: StoreOptions, all: Bool, format: OutputFormat) throws {
        let pairs = try store.open(.read).duplicates(of: kind, includeMarked: all)
        if pairs.isEmpty, format == .table {
            return Terminal.say("No \(plural(kind)) look like duplicates.")
        }
        try Output.list(pairs.map(ListedDuplicate.init), format: format)
        if format == .table, let best = pairs.first(where: { !$0.markedDifferent }) {
            Terminal.note("Merge one into the other with `solidarity \(group(kind)) merge \(best.first.handle) --into \(best.second.handle)` (a dry run first); if they differ, `solidarity \(group(kind)) not-duplicates \(best.first.handle) \(best.second.handle)`.")
        }
    }

    /// After an import: each record added that looks like one already there, with the command
    /// that merges it (the first twenty; `duplicates` lists them all).
    static func warn(_ lookalikes: [DuplicatePair]) {
        let shown = 20
        for pair in lookalikes.prefix(shown) {
            Terminal.note("Warning: \(pair.kind.rawValue) \(pair.first.handle) looks like \(pair.second.handle) (\(pair.reasons.joined(separator: ", "))): solidarity \(group(pair.kind)) merge \(pair.first.handle) --into \(pair.second.handle)")
        }
        if lookalikes.count > shown {
            let kinds = Set(lookalikes.map(\.kind)).sorted { $0.rawValue < $1.rawValue }
            Terminal.note("… and \(lookalikes.count - shown) more: \(kinds.map { "`solidarity \(group($0)) duplicates`" }.joined(separator: ", ")) list\(kinds.count == 1 ? "s" : "") them all.")
        }
    }

    static func markDifferent(_ kind: TimelineKind, store: StoreOptions, _ a: String, _ b: String) throws {
        let (first, second) = try store.open(.write).markNotDuplicates(kind, a, b)
        Terminal.say("Marked \(first) and \(second) as different \(plural(kind)): `\(group(kind)) duplicates` no longer proposes them.")
    }

    static func merge(_ kind: TimelineKind, store: StoreOptions, from: String, into: String, keep: [FieldChoice], yes: Bool) throws {
        var choices: [String: MergeSide] = [:]
        for choice in keep { choices[choice.field] = choice.side }
        let plan = try store.open(.write).merge(kind, from, into: into, keep: choices, dryRun: !yes)
        Terminal.say(describe(plan))
        if !yes {
            Terminal.say("Nothing was changed (a dry run). To merge: solidarity \(group(kind)) merge \(plan.from.handle) --into \(plan.into.handle) --yes"
                         + keep.map { " --keep \($0.field)=\($0.side.rawValue)" }.joined())
        }
    }

    /// The plan in lines: what moves, what folds, which value each field keeps.
    static func describe(_ plan: MergePlan) -> String {
        let a = plan.from.handle, b = plan.into.handle
        var lines = [plan.done ? "Merged \(a) into \(b):" : "Merging \(a) into \(b) would:"]
        if plan.moves.isEmpty { lines.append("  move no links") }
        for move in plan.moves {
            var line = "  \(move.what): \(move.moved) \(plan.done ? "moved" : "to move")"
            if move.folded > 0 { line += ", \(move.folded) \(plan.done ? "folded" : "to fold") (already on \(b), or between the two)" }
            lines.append(line)
        }
        for field in plan.fields {
            let (kept, other) = field.kept == .a ? (field.a, field.b) : (field.b, field.a)
            let (keptOwner, otherOwner, otherSide) = field.kept == .a ? (a, b, "b") : (b, a, "a")
            var line = "  \(field.field): "
            if let kept {
                line += "\(plan.done ? "kept" : "keep") \(keptOwner)'s \(quoted(kept))"
            } else {
                line += "\(plan.done ? "left" : "leave") empty"
            }
            if let other, field.conflict || kept == nil {
                line += ", not \(otherOwner)'s \(quoted(other)) (--keep \(field.field)=\(otherSide) for that one)"
            }
            lines.append(line)
        }
        lines.append("  \(a) \(plan.done ? "now finds" : "will find") \(b).")
        return lines.joined(separator: "\n")
    }

    private static func quoted(_ value: String) -> String { "\"\(value)\"" }
}

/// `--keep FIELD=a|b`: which record's value a field keeps in a merge.
struct FieldChoice: ExpressibleByArgument {
    let field: String
    let side: MergeSide

    init?(argument: String) {
        let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let side = MergeSide(rawValue: parts[1].lowercased()), !parts[0].isEmpty else { return nil }
        (field, self.side) = (parts[0], side)
    }
}

/// A pair as `duplicates` lists it.
struct ListedDuplicate: Listable {
    let pair: DuplicatePair

    static let tableColumns = ["score", "handle", "name", "duplicate of", "name", "reasons"]
    var tableRow: [String] {
        let first = Disclosure.mark(pair.first.name, pair.sensitive)
        return ["\(pair.score)", pair.first.handle, first, pair.second.handle, pair.second.name,
                ((pair.markedDifferent ? ["marked not duplicates"] : []) + pair.reasons).joined(separator: ", ")]
    }
    static let csvColumns = ["score", "first", "first_name", "second", "second_name", "reasons", "marked_not_duplicates", "sensitive"]
    var csvRow: [String] {
        ["\(pair.score)", pair.first.handle, pair.first.name, pair.second.handle, pair.second.name, pair.reasons.joined(separator: "; "),
         String(pair.markedDifferent), String(pair.sensitive)]
    }

    func encode(to encoder: any Encoder) throws { try pair.encode(to: encoder) }
}

/// The options of `duplicates`, shared by the three kinds.
struct DuplicatesOptions: ParsableArguments {
    @OptionGroup var store: StoreOptions
    @Flag(help: "List the pairs marked as not duplicates too.")
    var all = false
    @OptionGroup var output: FormatOptions
}

/// The arguments of `merge`, shared by the three kinds.
struct MergeOptions: ParsableArguments {
    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The record merged away (A): a handle, name or alias.", valueName: "ref"))
    var from: String
    @Option(help: ArgumentHelp("The record kept (B), which takes A's links.", valueName: "ref"))
    var into: String
    @Option(help: ArgumentHelp("Which value a field keeps when A and B differ (repeatable): a (the record merged away) or b (the record kept, the default).",
                               valueName: "field=a|b"))
    var keep: [FieldChoice] = []
    @Flag(help: "Merge; without it, only say what would move and what conflicts.")
    var yes = false
}

/// The arguments of `not-duplicates`.
struct NotDuplicatesOptions: ParsableArguments {
    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("One record of the pair.", valueName: "ref"))
    var first: String
    @Argument(help: ArgumentHelp("The other.", valueName: "ref"))
    var second: String
}

extension Org {
    struct Duplicates: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "duplicates",
            abstract: "List organizations that look like duplicates: same name or acronym across accents and scripts, an alias that is the other's name, the same website.",
            discussion: """
                Each pair has a score out of 100, best first, and its reasons; the same country or parent only \
                strengthens a name match.

                Examples:
                  solidarity org duplicates
                  solidarity org duplicates --format csv > pairs.csv
                """)
        @OptionGroup var options: DuplicatesOptions
        func run() throws { try Deduplication.list(.organization, store: options.store, all: options.all, format: options.output.format) }
    }

    struct NotDuplicates: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "not-duplicates",
            abstract: "Mark two organizations as different, so that `org duplicates` no longer proposes them.",
            discussion: """
                Example:
                  solidarity org not-duplicates cut cut-cl
                """)
        @OptionGroup var options: NotDuplicatesOptions
        func run() throws { try Deduplication.markDifferent(.organization, store: options.store, options.first, options.second) }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge",
            abstract: "Merge an organization (A) into another (B): its relationships, titles, activity roles, representation, resolution mentions, sources, aliases and campaigns move to B.",
            discussion: """
                A dry run by default: it lists what moves and which value each differing field keeps (B's \
                unless --keep FIELD=a). --yes merges, in one transaction. A's name becomes an alias of B, and \
                A's handle keeps finding B.

                Examples:
                  solidarity org merge csn-2 --into csn
                  solidarity org merge csn-2 --into csn --keep website=a --yes
                """)
        @OptionGroup var options: MergeOptions
        func run() throws {
            try Deduplication.merge(.organization, store: options.store, from: options.from, into: options.into, keep: options.keep, yes: options.yes)
        }
    }
}

extension PersonCommand {
    struct Duplicates: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "duplicates",
            abstract: "List people who look like duplicates: the same name across case, accents and scripts, or the same email.",
            discussion: """
                Examples:
                  solidarity person duplicates
                  solidarity person duplicates --format json
                """)
        @OptionGroup var options: DuplicatesOptions
        func run() throws { try Deduplication.list(.person, store: options.store, all: options.all, format: options.output.format) }
    }

    struct NotDuplicates: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "not-duplicates",
            abstract: "Mark two people as different, so that `person duplicates` no longer proposes them.",
            discussion: """
                Example:
                  solidarity person not-duplicates maria-lopez maria-lopez-2
                """)
        @OptionGroup var options: NotDuplicatesOptions
        func run() throws { try Deduplication.markDifferent(.person, store: options.store, options.first, options.second) }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge",
            abstract: "Merge a person (A) into another (B): titles, activity roles, languages and sources move to B.",
            discussion: """
                A dry run by default; --yes merges, in one transaction. A's handle keeps finding B.

                Examples:
                  solidarity person merge carl-r --into carl-rosen
                  solidarity person merge carl-r --into carl-rosen --keep email=a --yes
                """)
        @OptionGroup var options: MergeOptions
        func run() throws {
            try Deduplication.merge(.person, store: options.store, from: options.from, into: options.into, keep: options.keep, yes: options.yes)
        }
    }
}

extension EmployerCommand {
    struct Duplicates: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "duplicates",
            abstract: "List employers that look like duplicates: same name across case, accents and scripts, an alias that is the other's name, the same website.",
            discussion: """
                Examples:
                  solidarity employer duplicates
                  solidarity employer duplicates --format md
                """)
        @OptionGroup var options: DuplicatesOptions
        func run() throws { try Deduplication.list(.employer, store: options.store, all: options.all, format: options.output.format) }
    }

    struct NotDuplicates: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "not-duplicates",
            abstract: "Mark two employers as different, so that `employer duplicates` no longer proposes them.",
            discussion: """
                Example:
                  solidarity employer not-duplicates ge ge-vernova
                """)
        @OptionGroup var options: NotDuplicatesOptions
        func run() throws { try Deduplication.markDifferent(.employer, store: options.store, options.first, options.second) }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge",
            abstract: "Merge an employer (A) into another (B): sites, subsidiaries, activities, resolution mentions, aliases and sources move to B.",
            discussion: """
                A dry run by default; --yes merges, in one transaction. A's name becomes an alias of B, and \
                A's handle keeps finding B.

                Examples:
                  solidarity employer merge wabtec-corp --into wabtec
                  solidarity employer merge wabtec-corp --into wabtec --yes
                """)
        @OptionGroup var options: MergeOptions
        func run() throws {
            try Deduplication.merge(.employer, store: options.store, from: options.from, into: options.into, keep: options.keep, yes: options.yes)
        }
    }
}
