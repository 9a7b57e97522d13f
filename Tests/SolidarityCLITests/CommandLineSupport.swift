import Foundation
import Testing

/// Runs the built `solidarity` binary, as a user or a script would.
struct CommandLine {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The built binary: next to the test bundle in SwiftPM's bin folder.
    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["SOLIDARITY_BIN"] { return URL(fileURLWithPath: path) }
        var folder = Bundle.main.bundleURL
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("solidarity")
            if FileManager.default.isExecutableFile(atPath: candidate.path), !candidate.hasDirectoryPath { return candidate }
            folder.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/solidarity")
    }()

    let folder: URL
    var db: String { folder.appendingPathComponent("solidarity.sqlite").path }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("solidarity-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func cleanUp() { try? FileManager.default.removeItem(at: folder) }

    /// Runs `solidarity ARGS --db <this test's database>` with no terminal.
    @discardableResult
    func run(_ arguments: String..., database: String? = nil, environment: [String: String] = [:]) throws -> Result {
        try run(arguments, database: database, environment: environment)
    }

    @discardableResult
    func run(_ arguments: [String], database: String? = nil, environment: [String: String] = [:]) throws -> Result {
        try Self.execute(arguments + ["--db", database ?? db], environment: environment)
    }

    static func execute(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "SOLIDARITY_DB")
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// The database's whole content as SQL text, from the independent `sqlite3` shell.
    func dump(_ path: String? = nil) throws -> String {
        guard let sqlite3 = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].first(where: FileManager.default.isExecutableFile) else {
            Issue.record("The sqlite3 shell is missing: run script/bootstrap (apt-get install sqlite3).")
            return ""
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sqlite3)
        process.arguments = [path ?? db, ".dump"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
