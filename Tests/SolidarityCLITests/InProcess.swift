import Foundation
import SolidarityCLI

extension CommandLine {
    /// A temporary folder and database whose commands run in this process: the same results as the
    /// binary's (stdout, stderr, exit status), without starting a process for each. Tests of what only
    /// a process has (signals, a file-creation mask, a working folder, the bytes of argv) use `CommandLine()`.
    static func inProcess() throws -> CommandLine {
        try CommandLine(runsInProcess: true)
    }
}

/// Runs `Solidarity` in this process as the binary would run: no terminal, no `SOLIDARITY_DB`.
enum InProcess {
    /// Runs `solidarity ARGUMENTS` with `environment` on top of this process's, capturing what it writes.
    static func execute(_ arguments: [String], environment: [String: String] = [:]) -> CommandLine.Result {
        let environment = CommandLine.environment(environment)
        let stdout = Captured(), stderr = Captured()
        // As the binary's output is a pipe: no bold, help wrapped at $COLUMNS or 80, nobody to ask.
        let console = Console(standardOutput: stdout, standardError: stderr, styled: false,
                              columns: environment["COLUMNS"].flatMap { Int($0) } ?? 80)
        let status = Solidarity.run(arguments, environment: environment, console: console)
        return CommandLine.Result(status: status, stdout: stdout.text, stderr: stderr.text)
    }

    /// The bytes written to one of the console's streams.
    final class Captured: ConsoleOutput, @unchecked Sendable {
        // `bytes` is read and written only with `lock` held: that is why the class is Sendable.
        private let lock = NSLock()
        private var bytes = Data()

        func write(_ data: Data) { lock.withLock { bytes.append(data) } }
        func write(contentsOf data: Data) throws { write(data) }

        var text: String { lock.withLock { String(decoding: bytes, as: UTF8.self) } }
    }
}
