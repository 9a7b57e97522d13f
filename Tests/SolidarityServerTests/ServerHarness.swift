import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// A real `solidarity serve` on a loopback port it picks itself (`--bind 127.0.0.1:0`, the port read
/// from the line it prints on start), over a database made by the real command line, with accounts
/// and tokens made by `solidarity account`. Tests call it over HTTP and stop it with SIGTERM.
final class ServerHarness: @unchecked Sendable {
    let folder: URL
    var db: String { folder.appendingPathComponent("solidarity.sqlite").path }
    private(set) var process: Process?
    private(set) var port = 0
    private var stderr: Drain?

    /// A database from the Seeds with UE as home.
    init(seeded: Bool = true) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("solidarity-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if seeded { try cli("init", "--seed", "--home", "ue").expectSuccess() }
    }

    /// The built binary, next to the test bundle.
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

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String

        @discardableResult
        func expectSuccess(sourceLocation: SourceLocation = #_sourceLocation) -> Result {
            #expect(status == 0, "exit \(status): \(stderr)", sourceLocation: sourceLocation)
            return self
        }
    }

    /// Runs the command line on this database.
    @discardableResult
    func cli(_ arguments: String..., input: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments + ["--db", db]
        let out = Pipe(), err = Pipe(), inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try inPipe.fileHandleForWriting.close()
        let errors = Drain(err)
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self), stderr: errors.text)
    }

    /// Makes an account and returns a new token of it (the last line of `account token add`).
    func token(for name: String, role: String, org: String = "ue", sensitive: Bool = false) throws -> String {
        let added = try cliArray(["account", "add", name, "--org", org, "--role", role] + (sensitive ? ["--sensitive"] : []))
        added.expectSuccess()
        let issued = try cliArray(["account", "token", "add", name]).expectSuccess()
        return String(issued.stdout.split(separator: "\n").last ?? "")
    }

    func cliArray(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments + ["--db", db]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let errors = Drain(err)
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self), stderr: errors.text)
    }

    /// Starts the server and waits for the line that says its port.
    func start(_ extra: [String] = []) throws {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["serve", "--bind", "127.0.0.1:0", "--db", db] + extra
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        self.process = process
        stderr = Drain(err)
        var line = Data()
        let reader = out.fileHandleForReading
        while !line.contains(0x0A) {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression),
              let port = Int(text[range].split(separator: ":").last ?? "") else {
            process.terminate()
            throw HarnessError("The server did not say where it listens: \(text) \(stderr?.text ?? "")")
        }
        self.port = port
    }

    /// Sends SIGTERM and waits; returns the exit status and what the server wrote on stderr.
    @discardableResult
    func stop() -> (status: Int32, log: String) {
        guard let process else { return (0, "") }
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        process.waitUntilExit()
        self.process = nil
        return (process.terminationStatus, stderr?.text ?? "")
    }

    deinit {
        if let process, process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: folder)
    }

    struct Response {
        let status: Int
        let body: Data
        let contentType: String
        var text: String { String(decoding: body, as: UTF8.self) }
        func json() throws -> Any { try JSONSerialization.jsonObject(with: body) }
        func object() throws -> [String: Any] { try #require(try json() as? [String: Any]) }
        func array() throws -> [[String: Any]] { try #require(try json() as? [[String: Any]]) }
    }

    /// One HTTP request to the server.
    func request(_ method: String, _ path: String, token: String? = nil, json: Any? = nil, body: Data? = nil) async throws -> Response {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        } else if let body {
            request.httpBody = body
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        return Response(status: http.statusCode, body: data, contentType: http.value(forHTTPHeaderField: "Content-Type") ?? "")
    }

    func get(_ path: String, token: String?) async throws -> Response { try await request("GET", path, token: token) }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A pipe read to its end on a thread of its own.
final class Drain: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var bytes = Data()

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            let data = handle.readDataToEndOfFile()
            lock.withLock { bytes = data }
            done.signal()
        }
    }

    /// Everything, once the writer has closed the pipe.
    var text: String {
        done.wait()
        done.signal()
        return lock.withLock { String(decoding: bytes, as: UTF8.self) }
    }
}
