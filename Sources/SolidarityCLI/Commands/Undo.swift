import ArgumentParser
import Foundation
import SolidarityCore

struct UndoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Revert a change of the history: the latest by default, or the one numbered.",
        discussion: """
            Undoing a change applies its inverse in one transaction: what it created is removed, \
            what it removed is restored (with its links and the same ids), what it modified is \
            set back; an import, seed or CSV import loses what it created and gets back what it \
            modified. The undo is itself a change of the history, so undoing it applies the change \
            again. Webhook events go out for what the undo changes, as for any write.

            A change that later changes built on (a field edited since, a record since removed, a \
            record it created that another now refers to) is not undone alone: the command lists \
            those changes and exits 1, writing nothing. --cascade undoes them too, newest first, \
            each as its own undo change.

            Examples:
              solidarity undo
              solidarity undo 12
              solidarity undo 12 --cascade
              solidarity history show 13
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The change's number (from `solidarity history`); the latest change when left out.", valueName: "change"))
    var change: Int64?
    @Flag(help: "Undo the later changes that build on it too, newest first.")
    var cascade = false

    func run() throws {
        let report = try store.open(.write).undo(change, cascade: cascade)
        if report.steps.count > 1 {
            Terminal.say("Undoing the later changes that build on change \(report.steps.last!.undone.id) first, newest first:")
            for step in report.steps.dropLast() {
                Terminal.say("  \(step.undone.id)  \(step.undone.at)  \(step.undone.who)  \(step.undone.operation)  \(step.undone.summary)")
            }
        }
        for step in report.steps {
            var done: [String] = []
            if step.restored > 0 { done.append("\(step.restored) restored") }
            if step.removed > 0 { done.append("\(step.removed) removed") }
            if step.setBack > 0 { done.append("\(step.setBack) set back") }
            // "1 record set back", "3 records restored, 1 removed": the noun after the first count.
            if !done.isEmpty, let space = done[0].firstIndex(of: " ") {
                done[0].insert(contentsOf: done[0][..<space] == "1" ? " record" : " records", at: space)
            }
            let records = done.isEmpty ? "nothing to change" : done.joined(separator: ", ")
            let recorded = step.change.map { " as change \($0)" } ?? ""
            Terminal.say("Undid change \(step.undone.id) (\(step.undone.operation): \(step.undone.summary))\(recorded): \(records).")
        }
    }
}
