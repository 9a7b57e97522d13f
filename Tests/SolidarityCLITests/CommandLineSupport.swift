import Foundation
import SolidarityTestSupport
import Testing

/// Runs the built `solidarity` binary, as a user or a script would; or, made with `inProcess()`,
/// runs `Solidarity` in this process with the same arguments and captures the same result (InProcess.swift).
struct CommandLine {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
        /// Whether a signal ended the process (a crash, or a kill) rather than an exit.
        var signaled = false
    }

    /// The built binary, next to the test bundle.
    static var binary: URL { BuiltBinary.solidarity }

    let folder: URL
    var db: String { folder.appendingPathComponent("solidarity.sqlite").path }
    /// Whether `run` calls `Solidarity` in this process rather than starting the binary.
    let runsInProcess: Bool

    init() throws {
        try self.init(runsInProcess: false)
    }

    init(runsInProcess: Bool) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("solidarity-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        self.runsInProcess = runsInProcess
    }

    func cleanUp() { try? FileManager.default.removeItem(at: folder) }

    /// Runs `solidarity ARGS --db <this test's database>` with no terminal.
    @discardableResult
    func run(_ arguments: String..., database: String? = nil, environment: [String: String] = [:]) throws -> Result {
        try run(arguments, database: database, environment: environment)
    }

    /// `umask` (e.g. 0o000) runs it under that file-creation mask instead of the test's.
    @discardableResult
    func run(_ arguments: [String], database: String? = nil, environment: [String: String] = [:], umask: mode_t? = nil) throws -> Result {
        if runsInProcess {
            if umask != nil { Issue.record("A file-creation mask is the process's: run this test on the binary (CommandLine()).") }
            return InProcess.execute(arguments + ["--db", database ?? db], environment: environment)
        }
        return try Self.execute(arguments + ["--db", database ?? db], environment: environment, umask: umask)
    }

    static func execute(_ arguments: [String], environment: [String: String] = [:], umask: mode_t? = nil) throws -> Result {
        let process = Self.process(arguments, environment: environment, umask: umask)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Both pipes drain at once: a process blocked on a full stderr pipe would never close stdout.
        let stderr = Drained(err)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr.data, as: UTF8.self), signaled: process.terminationReason == .uncaughtSignal)
    }

    /// A pipe read to its end on another thread.
    final class Drained: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var bytes = Data()

        init(_ pipe: Pipe) {
            Thread {
                self.bytes = pipe.fileHandleForReading.readDataToEndOfFile()
                self.done.signal()
            }.start()
        }

        var data: Data {
            done.wait()
            done.signal()
            return bytes
        }
    }

    /// The binary with `arguments`, not started: no terminal, no `SOLIDARITY_DB`, `environment` on top,
    /// and with `umask`, started by a shell that sets that mask first.
    static func process(_ arguments: [String], environment: [String: String] = [:], umask: mode_t? = nil) -> Process {
        let process = Process()
        if let umask {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "umask \(String(umask, radix: 8)) && exec \"$0\" \"$@\"", binary.path] + arguments
        } else {
            process.executableURL = binary
            process.arguments = arguments
        }
        process.environment = Self.environment(environment)
        process.standardInput = FileHandle.nullDevice
        return process
    }

    /// The environment a run sees: this process's without `SOLIDARITY_DB`, `environment` on top.
    static func environment(_ environment: [String: String]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "SOLIDARITY_DB")
        env.merge(environment) { $1 }
        return env
    }

    /// The database's whole content as SQL text, from the independent `sqlite3` shell.
    func dump(_ path: String? = nil) throws -> String {
        try sqlite3(".dump", database: path)
    }

    /// Runs `commands` (SQL or dot-commands) in the independent `sqlite3` shell on the database
    /// (or `path`) and returns what it printed; anything it says on stderr is a test failure.
    @discardableResult
    func sqlite3(_ commands: String..., database path: String? = nil) throws -> String {
        guard let sqlite3 = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].first(where: FileManager.default.isExecutableFile) else {
            Issue.record("The sqlite3 shell is missing: run script/bootstrap (apt-get install sqlite3).")
            return ""
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sqlite3)
        process.arguments = ["-bail", path ?? db] + commands
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let error = Drained(err)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus != 0 || !error.data.isEmpty {
            Issue.record("sqlite3 \(commands.joined(separator: " ")) failed: \(String(decoding: error.data, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
