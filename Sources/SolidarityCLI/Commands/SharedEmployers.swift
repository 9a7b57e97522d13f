import ArgumentParser
import Foundation
import SolidarityCore

struct SharedEmployers: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shared-employers",
        abstract: "The employers at whose sites both organizations (or their locals) represent workers: sister shops.",
        discussion: """
            A company counts with the companies that own it, so two unions at different subsidiaries \
            share the parent.

            Example:
              solidarity shared-employers ue cut
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The first organization.", valueName: "ref"))
    var first: String
    @Argument(help: ArgumentHelp("The second organization.", valueName: "ref"))
    var second: String
    @OptionGroup var output: FormatOptions

    func run() throws {
        let result = try store.open(.read).sharedEmployers(first, second)
        if result.employers.isEmpty {
            let sentence = "\(result.first) and \(result.second) represent workers of no common employer in the records (a site each organization or its locals represents, of the same company or its owners)."
            if output.format == .table { Terminal.say(sentence) } else { Terminal.note(sentence) }
            if output.format == .table { return }
        }
        try Output.list(result.employers, format: output.format,
                        headings: ["employer", "name", "sites of \(result.firstName)", "sites of \(result.secondName)"])
    }
}

/// The table and Markdown name the site columns after the two organizations (`shared-employers`
/// passes the headings); CSV and JSON keep stable keys, `first_sites` and `second_sites`, beside
/// `first` and `second`, the organizations' handles, so a script reads every file alike and a row
/// read alone says whose sites it lists.
extension SharedEmployer: Listable {
    static let tableColumns = ["employer", "name", "sites of the first", "sites of the second"]
    var tableRow: [String] { [employer, name, firstSites.joined(separator: "; "), secondSites.joined(separator: "; ")] }
    static let csvColumns = ["employer", "name", "first", "first_sites", "second", "second_sites"]
    var csvRow: [String] { [employer, name, first, firstSites.joinedForCSV, second, secondSites.joinedForCSV] }
}
