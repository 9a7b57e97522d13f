import ArgumentParser
import Foundation
import SolidarityCore

struct Relate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relate",
        abstract: "Record a relationship between two organizations.",
        discussion: """
            Kinds: ally and partner read both ways; member_of, affiliate_of and founder_of read \
            "first is … of second". Statuses: close, active, dormant, ended.

            Examples:
              solidarity relate ue fat --kind ally --status close
              solidarity relate ue industriall --kind member_of --since 2012 --source https://www.industriall-union.org/
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var pair: OrganizationPair
    @Option(help: "ally, partner, member_of, affiliate_of or founder_of.")
    var kind: Relationship.Kind
    @Option(help: "close, active, dormant or ended.")
    var status: Relationship.Status = .active
    @Option(help: ArgumentHelp("Since when (a partial date: 2019, 2019-11, 2019-11-02).", valueName: "date"), transform: Parse.date)
    var since: PartialDate?
    @Option(help: ArgumentHelp("Until when (a partial date).", valueName: "date"), transform: Parse.date)
    var until: PartialDate?
    @Option(help: "Free-text notes.")
    var notes: String?
    @Option(help: ArgumentHelp("A source URL (or a recorded source's id) backing it (repeatable).", valueName: "url"))
    var source: [String] = []

    func run() throws {
        let relationship = try store.open(.write).relate(Relationship(
            from: pair.first, to: pair.second, kind: kind, status: status, since: since, until: until, notes: notes, sources: source))
        Terminal.say("Recorded: \(relationship.phrase) (\(relationship.status.rawValue)).")
    }
}
