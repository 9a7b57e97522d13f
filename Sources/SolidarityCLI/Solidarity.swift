import ArgumentParser
import Foundation
import SolidarityCore

/// The `solidarity` command: the root of the command tree.
///
/// Every command states its `commandName`, even where it equals the derived one: without it,
/// swift-argument-parser derives each name with `String(describing:)`, a scan of every protocol
/// conformance in the binary, some 70 times per start (BENCHMARKS.md, "Start-up": with libcurl's
/// `dlopen`, `--version` went from 20.2 to 6.4 ms of CPU).
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
            FollowUpCommand.self, Stale.self, CalendarCommand.self, ConventionCommand.self, ResolutionCommand.self, AppendixCommand.self, WebhookCommand.self, SearchCommand.self, Import.self, Export.self, HistoryCommand.self, UndoCommand.self,
            AccountCommand.self, Serve.self,
        ]
    )

    /// The tool's version, shown by `--version`.
    public static let version = SolidarityVersion.current

    public init() {}

    /// Runs the command line with `arguments` (without the program's name; nil: the process's own,
    /// checked byte for byte) and returns the exit status: 0 success, 64 for usage errors, 1 for
    /// requests the data cannot satisfy. Results and help go to the console's stdout, errors to its
    /// stderr. After a command that wrote, the webhooks it queued are sent (unless `--no-notify`).
    ///
    /// This is the one place where errors become exit statuses; only `main` exits the process.
    public static func run(_ arguments: [String]? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
                           console: Console? = nil) -> Int32 {
        let console = console ?? .process(environment: environment)
        let invocation = Invocation(arguments: arguments ?? Array(Swift.CommandLine.arguments.dropFirst()), environment: environment,
                                    console: console)
        // A merged record's old handle finds the record it became, and says so once on stderr.
        let notices = MergeNotices(say: { Terminal.note($0) })
        return Invocation.$current.withValue(invocation) { MergeNotices.$current.withValue(notices) {
            do {
                try ArgumentText.check(arguments)
                var command = try parseAsRoot(invocation.arguments)
                try command.run()
                if !(command is any SendsItsOwnWebhooks), let path = invocation.written.path { ImmediateDelivery.run(path: path) }
                return ExitCode.success.rawValue
            } catch let error as SolidarityError {
                Terminal.error(error.commandLineMessage)
                return error.isUsageError ? ExitCode.validationFailure.rawValue : ExitCode.failure.rawValue
            } catch {
                let code = exitCode(for: error)
                let message = fullMessage(for: error, columns: console.columns)
                // Help and --version go to stdout as the parser prints them.
                if code == .success {
                    if !message.isEmpty { console.standardOutput.write(Data((message + "\n").utf8)) }
                } else if !message.isEmpty {
                    console.standardError.write(Data((TextRules.boundedLines(message) + "\n").utf8))
                }
                return code.rawValue
            }
        } }
    }
}
