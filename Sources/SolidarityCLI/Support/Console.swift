import Foundation
import SolidarityCore

/// Somewhere a run of the command line writes: the process's stdout or stderr, or a test's buffer.
public protocol ConsoleOutput: Sendable {
    /// Writes `data` whole; a failure to write is not reported (a message on stderr, a line of a table).
    func write(_ data: Data)
    /// Writes `data` whole, throwing when it cannot (a document whose reader went away).
    func write(contentsOf data: Data) throws
}

/// The process's stdout or stderr.
struct StandardStream: ConsoleOutput {
    let handle: FileHandle

    func write(_ data: Data) { handle.write(data) }
    func write(contentsOf data: Data) throws { try handle.write(contentsOf: data) }
}

/// Where a run of the command line writes and what it may ask: results on `standardOutput`, notes and
/// errors on `standardError`. The process's own (`Console.process`) in the binary; a test's buffers
/// when a test runs a command in-process.
public struct Console: Sendable {
    /// Where results go.
    public let standardOutput: any ConsoleOutput
    /// Where notes, warnings and errors go.
    public let standardError: any ConsoleOutput
    /// Whether stdout is a terminal that may show bold text.
    public let styled: Bool
    /// How wide help and usage messages are wrapped; nil for the terminal's width.
    public let columns: Int?
    /// Reads the answer to a question from the person at the terminal; nil when there is no terminal
    /// to ask on.
    public let answer: (@Sendable () -> String?)?

    public init(standardOutput: any ConsoleOutput, standardError: any ConsoleOutput, styled: Bool = false, columns: Int? = 80,
                answer: (@Sendable () -> String?)? = nil) {
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.styled = styled
        self.columns = columns
        self.answer = answer
    }

    /// The process's stdout and stderr; bold only on a terminal and never with NO_COLOR set or TERM=dumb in
    /// `environment`; questions only when stdin is a terminal.
    public static func process(environment: [String: String] = ProcessInfo.processInfo.environment) -> Console {
        let styled = isatty(STDOUT_FILENO) != 0 && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
        let answer: (@Sendable () -> String?)? = isatty(STDIN_FILENO) != 0 ? { @Sendable in readLine() } : nil
        return Console(standardOutput: StandardStream(handle: .standardOutput), standardError: StandardStream(handle: .standardError),
                       styled: styled, columns: nil, answer: answer)
    }
}

/// One run of the command line, set by `Solidarity.run` around the parsing and the command: the raw
/// arguments (for `FlagPair`), the environment, the console, and the database the command wrote (for
/// the webhooks the root sends after it).
struct Invocation: Sendable {
    /// The arguments, without the program's name.
    let arguments: [String]
    /// The environment variables the run sees ($SOLIDARITY_DB, $XDG_DATA_HOME, $PATH …).
    let environment: [String: String]
    let console: Console
    /// The database a writing command opened, filled in by `StoreOptions.open`.
    let written = WrittenDatabase()

    /// The run in progress. Outside one (a unit test calling a helper), the process's own.
    @TaskLocal static var current = Invocation(
        arguments: Array(Swift.CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment,
        console: .process())
}

/// The database a command opened for writing, if it did: after the command, the root sends its webhooks.
final class WrittenDatabase: @unchecked Sendable {
    // `written` is read and set only with `lock` held: that is why the class is Sendable.
    private let lock = NSLock()
    private var written: String?

    /// The path of the database written, or nil when the command wrote none or asked for no webhooks.
    var path: String? { lock.withLock { written } }

    /// Records that the command opened the database at `path` for writing.
    func record(_ path: String) { lock.withLock { written = path } }
}
