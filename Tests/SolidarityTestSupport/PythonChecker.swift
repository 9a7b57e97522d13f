import Foundation

/// The independent checkers written in Python (icalendar, markdown-it-py, standardwebhooks,
/// schemathesis) that `script/test` installs into the project's `.venv`: a test hands one a script
/// and reads what it prints, or runs one of their commands (`tool`).
public enum PythonChecker {
    /// The project's folder, where `.venv` is.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The virtual environment's interpreter.
    static var python: String { root.appendingPathComponent(".venv/bin/python").path }

    /// Why a checker could not say anything: it is missing, or it failed.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The command `name` that a checker installs in `.venv/bin` (`schemathesis`); throws, saying
    /// how to install it, when it is missing.
    public static func tool(_ name: String, package: String) throws -> URL {
        let tool = root.appendingPathComponent(".venv/bin/\(name)")
        guard FileManager.default.isExecutableFile(atPath: tool.path) else {
            throw Failure(description: "\(name) is missing from .venv: run script/test, which installs it (or `.venv/bin/pip install \(package)`).")
        }
        return tool
    }

    /// Runs `script` with `arguments` (`sys.argv[1…]`) and returns what it printed; throws, saying
    /// how to install the checkers, when they are missing, and with its stderr when it fails.
    public static func run(_ script: String, arguments: [String]) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw Failure(description: "The Python checkers are missing: run script/test, which installs icalendar, markdown-it-py and standardwebhooks into .venv.")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // stderr is drained beside stdout: a checker blocked on a full stderr pipe would never end.
        let errors = Drain(err.fileHandleForReading)
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "The checker failed: \(String(decoding: errors.data, as: UTF8.self))")
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// A pipe read to its end on a thread of its own.
    private final class Drain: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var bytes = Data()

        init(_ handle: FileHandle) {
            Thread.detachNewThread { [self] in
                bytes = handle.readDataToEndOfFile()
                done.signal()
            }
        }

        /// Everything read, once the pipe is closed.
        var data: Data {
            done.wait()
            return bytes
        }
    }
}
