import ArgumentParser
import Foundation
import SolidarityCore

struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw the network: organizations, employers and sites, with relationships and representation, clustered by country.",
        discussion: """
            DOT renders with Graphviz (`dot -Tsvg network.dot > network.svg`); Mermaid pastes into \
            GitHub, GitLab or a Markdown editor. Sensitive organizations stay out unless --include-sensitive.

            Examples:
              solidarity graph --employer wabtec > wabtec.dot && dot -Tsvg wabtec.dot > wabtec.svg
              solidarity graph --org ue --format mermaid
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case dot, mermaid }

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("Only this employer's chain, its unions and our links to them.", valueName: "ref"))
    var employer: String?
    @Option(help: ArgumentHelp("Only this organization, its parts, relationships and sites.", valueName: "ref"))
    var org: String?
    @Option(help: "dot (Graphviz) or mermaid (a flowchart).")
    var format: Format = .dot
    @Flag(name: .customLong("include-sensitive"), help: "Include organizations marked sensitive.")
    var includeSensitive = false

    func validate() throws {
        if employer != nil, org != nil { throw ValidationError("Give --employer or --org, not both: the graph centres on one of them.") }
    }

    func run() throws {
        let scope: NetworkGraph.Scope = employer.map { .employer($0) } ?? org.map { .organization($0) } ?? .everything
        let graph = try store.open(.read).graph(scope, includeSensitive: includeSensitive)
        Terminal.write(format == .dot ? graph.dot : graph.mermaid)
        if includeSensitive {
            Terminal.noteIncludesSensitive("This graph", records: "organizations")
        } else if graph.leftOut > 0 {
            Terminal.note(graph.leftOut == 1 ? "Left out 1 sensitive organization and its links; --include-sensitive includes it."
                          : "Left out \(graph.leftOut) sensitive organizations and their links; --include-sensitive includes them.")
        }
    }
}
