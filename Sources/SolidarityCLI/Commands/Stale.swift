import ArgumentParser
import Foundation
import SolidarityCore

struct Stale: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stale",
        abstract: "Allies of the home organization with no contact with us in N months, longest silence first.",
        discussion: """
            Allies never contacted come first. "Allies" are the home organization's ally and partner \
            relationships that have not ended. A contact is a done activity in which both took part: \
            the home organization, one of its locals, councils or divisions, or one of its people, and \
            the ally or one of its units ("2025-05 via CCMM-CSN"). After the list, stderr names the \
            activities still planned whose dates have passed: mark each done or cancelled.

            Examples:
              solidarity stale
              solidarity stale --months 24 --format csv
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "How many months of silence make an ally stale.")
    var months = 12
    @OptionGroup var output: FormatOptions

    func validate() throws {
        if months < 0 { throw ValidationError("--months must be 0 or more.") }
    }

    func run() throws {
        let db = try store.open(.read)
        try Output.list(try db.staleAllies(months: months), format: output.format)
        PastPlans.note(try db.pastPlans())
    }
}

extension StaleAlly: Listable {
    static let tableColumns = ["organization", "name", "relationship", "last contact", "months", "last activity"]
    var tableRow: [String] {
        [organization, Disclosure.mark(name, sensitive), relationship, lastContact.map { "\($0)" + (lastContactVia.map { " via \($0)" } ?? "") } ?? "never",
         monthsSilent.map(String.init) ?? "",
         lastActivity ?? ""]
    }
    static let csvColumns = ["organization", "name", "relationship", "last_contact", "last_contact_via", "months_silent", "last_activity", "sensitive"]
    var csvRow: [String] {
        [organization, name, relationship, lastContact.text, lastContactVia ?? "", monthsSilent.text, lastActivity ?? "", String(sensitive)]
    }
}
