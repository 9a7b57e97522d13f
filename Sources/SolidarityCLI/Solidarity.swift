import ArgumentParser
import Foundation
import SolidarityCore

/// The `solidarity` command: the root of the command tree.
public struct Solidarity: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "solidarity",
        abstract: "A CRM for a union's international work: allies abroad, shared employers, delegations and resolutions.",
        discussion: """
            One SQLite file holds it all: --db PATH, else $SOLIDARITY_DB, else \
            $XDG_DATA_HOME/solidarity/solidarity.sqlite (~/.local/share/solidarity/solidarity.sqlite).

            Start with:
              solidarity init --seed --home ue
              solidarity relationship list --org ue
              solidarity search "frente autentico"
            """,
        version: Solidarity.version,
        subcommands: [
            Init.self, Home.self, Migrate.self, Seed.self,
            Org.self, PersonCommand.self, Relate.self, RelationshipCommand.self,
            EmployerCommand.self, SiteCommand.self, Allies.self, SharedEmployers.self, Graph.self, DelegationCommand.self, ActivityCommand.self, Timeline.self,
            FollowUpCommand.self, Stale.self, CalendarCommand.self, ConventionCommand.self, ResolutionCommand.self, AppendixCommand.self, WebhookCommand.self, SearchCommand.self, Import.self, Export.self,
        ]
    )

    /// The tool's version, shown by `--version`.
    public static let version = SolidarityVersion.current

    public init() {}

    /// Runs the command line, printing errors on stderr with exit 64 for usage errors and 1 for
    /// requests the data cannot satisfy.
    public static func runMain(_ arguments: [String]? = nil) -> Never {
        do {
            try ArgumentText.check(arguments)
            FlagPair.arguments = arguments ?? Array(Swift.CommandLine.arguments.dropFirst())
            var command = try parseAsRoot(arguments)
            try command.run()
            ImmediateDelivery.run()
            Foundation.exit(0)
        } catch let error as SolidarityError {
            Terminal.error(error.commandLineMessage)
            Foundation.exit(error.isUsageError ? ExitCode.validationFailure.rawValue : ExitCode.failure.rawValue)
        } catch {
            let code = exitCode(for: error)
            // Help and --version go to stdout as the parser prints them.
            guard code != .success else { exit(withError: error) }
            let message = fullMessage(for: error)
            if !message.isEmpty { FileHandle.standardError.write(Data((TextRules.boundedLines(message) + "\n").utf8)) }
            Foundation.exit(code.rawValue)
        }
    }
}
