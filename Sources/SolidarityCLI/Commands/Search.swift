import ArgumentParser
import Foundation
import SolidarityCore

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search organizations, people, employers, sites, activities and resolutions by name, title, alias or text, best first.",
        discussion: """
            Accents and case are ignored, and each word matches as a prefix.

            Examples:
              solidarity search "frente autentico"
              solidarity search confederation --format json
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: "The words to look for.")
    var text: [String]
    @Option(help: "At most this many results.")
    var limit = 50
    @OptionGroup var output: FormatOptions

    func run() throws {
        let hits = try store.open(.read).search(text.joined(separator: " "), limit: limit)
        try Output.list(hits, format: output.format)
    }
}
