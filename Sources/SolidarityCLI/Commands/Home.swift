import ArgumentParser
import Foundation
import SolidarityCore

struct Home: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "home",
        abstract: "Show or set the home organization: the union this database belongs to.",
        discussion: """
            "Our allies", staleness and appendices are reckoned from the home organization.

            Examples:
              solidarity home
              solidarity home ue
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The organization to make home (handle, acronym or name).", valueName: "ref"))
    var ref: String?

    func run() throws {
        if let ref {
            let organization = try store.open(.write).setHome(ref)
            Terminal.say("Home organization: \(organization.shortName) (\(organization.handle)).")
        } else if let organization = try store.open(.read).home() {
            Terminal.say("\(organization.handle)\t\(organization.name)")
        } else {
            Terminal.note("No home organization is set. Set it with `solidarity home REF`, for example `solidarity home ue`.")
        }
    }
}
