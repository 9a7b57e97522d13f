import ArgumentParser
import Foundation
import SolidarityCore

struct Seed: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Load the shipped Seeds: adds the seed records that are missing, changes nothing else.",
        discussion: """
            Running it twice changes nothing; a seed record you deleted comes back.

            Example:
              solidarity seed --db demo.sqlite
            """)

    @OptionGroup var store: StoreOptions

    func run() throws {
        let report = try store.open(.write).seed()
        Terminal.say("Seeds: \(report.added) records added, \(report.present) already present.")
    }
}
