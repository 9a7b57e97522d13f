import Foundation
import SolidarityTestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
#if canImport(Glibc)
import Glibc
private let posixConnect = Glibc.connect, posixSend = Glibc.send, streamSocket = Int32(SOCK_STREAM.rawValue)
#elseif canImport(Darwin)
import Darwin
private let posixConnect = Darwin.connect, posixSend = Darwin.send, streamSocket = SOCK_STREAM
#endif

/// A real `solidarity serve` on a port it picks itself (`--bind 127.0.0.1:0`, the port read from the
/// line it prints on start), over a database made by the real command line, with accounts and tokens
/// made by `solidarity account`. Tests call it over HTTP and stop it with SIGTERM or SIGINT.
final class ServerHarness: @unchecked Sendable {
    let folder: URL
    var db: String { folder.appendingPathComponent("solidarity.sqlite").path }
    private(set) var process: Process?
    private(set) var port = 0
    /// "http", or "https" when the server was given a certificate.
    private(set) var scheme = "http"
    private var stderr: Drain?

    /// A database from the Seeds with UE as home.
    init(seeded: Bool = true) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("solidarity-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if seeded { try cli("init", "--seed", "--home", "ue").expectSuccess() }
    }

    /// The built binary, next to the test bundle.
    static var binary: URL { BuiltBinary.solidarity }

    struct Result: Sendable {
        let status: Int32
        let stdout: String
        let stderr: String

        @discardableResult
        func expectSuccess(sourceLocation: SourceLocation = #_sourceLocation) -> Result {
            #expect(status == 0, "exit \(status): \(stderr)", sourceLocation: sourceLocation)
            return self
        }

        /// Standard output read as a JSON array of objects (a listing's `--format json`).
        func array(sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
            try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [[String: Any]], sourceLocation: sourceLocation)
        }
    }

    /// Runs the command line on this database.
    @discardableResult
    func cli(_ arguments: String..., input: String? = nil) throws -> Result {
        try Self.run(Self.binary, arguments + ["--db", db], input: input)
    }

    /// Runs the command line on this database, its arguments as an array.
    @discardableResult
    func cliArray(_ arguments: [String]) throws -> Result {
        try Self.run(Self.binary, arguments + ["--db", db])
    }

    /// Runs a program to its end: what it printed and its exit status. Standard input is `input`, or empty.
    static func run(_ program: URL, _ arguments: [String], input: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let inPipe = input.map { _ in Pipe() }
        process.standardInput = inPipe ?? FileHandle.nullDevice
        try process.run()
        if let inPipe, let input {
            inPipe.fileHandleForWriting.write(Data(input.utf8))
            try inPipe.fileHandleForWriting.close()
        }
        let errors = Drain(err)
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self), stderr: errors.text)
    }

    /// A program found on `PATH` (curl, openssl), or a failure saying how to install it.
    static func tool(_ name: String, package: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let found = path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
        return try #require(found, "\(name) is not installed: run script/bootstrap, or `apt-get install \(package)`.", sourceLocation: sourceLocation)
    }

    /// Makes an account and returns a new token of it (the last line of `account token add`).
    func token(for name: String, role: String, org: String = "ue", sensitive: Bool = false) throws -> String {
        let added = try cliArray(["account", "add", name, "--org", org, "--role", role] + (sensitive ? ["--sensitive"] : []))
        added.expectSuccess()
        return try issueToken(to: name).secret
    }

    /// A new API token of an existing account: its number (for `account token revoke`) and its secret.
    func issueToken(to name: String) throws -> (number: String, secret: String) {
        let issued = try cliArray(["account", "token", "add", name]).expectSuccess()
        let lines = issued.stdout.split(separator: "\n")
        // "API token 3 of maria; it is not shown again:", then the token alone.
        let number = lines.first?.split(separator: " ").dropFirst(2).first.map(String.init) ?? "?"
        return (number, String(lines.last ?? ""))
    }

    /// Starts the server and waits for the line that says where it listens.
    func start(bind: String = "127.0.0.1:0", _ extra: [String] = []) throws {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["serve", "--bind", bind, "--db", db] + extra
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
        // "Serving PATH on http://127.0.0.1:PORT (the API under /api/, …)."
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: #"https?://\S+:\d+"#, options: .regularExpression),
              let port = Int(text[range].split(separator: ":").last ?? "") else {
            process.terminate()
            throw HarnessError("The server did not say where it listens: \(text) \(stderr?.text ?? "")")
        }
        self.port = port
        scheme = text[range].hasPrefix("https") ? "https" : "http"
    }

    /// Sends `signal` (SIGTERM unless told) and waits; returns the exit status and what the server
    /// wrote on stderr (its log).
    @discardableResult
    func stop(signal: Int32 = SIGTERM) -> (status: Int32, log: String) {
        guard let process else { return (0, "") }
        if process.isRunning { kill(process.processIdentifier, signal) }
        process.waitUntilExit()
        self.process = nil
        return (process.terminationStatus, stderr?.text ?? "")
    }

    /// Waits until the server accepts no more connections: it has begun to stop. Gives up after `limit`.
    func waitUntilItRefusesConnections(limit: Duration = .seconds(60)) throws {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            guard (try? Connection(port: port)) != nil else { return }
            Thread.sleep(forTimeInterval: 0.01)
        }
        throw HarnessError("The server still accepted connections \(limit) after it was told to stop.")
    }

    /// Whether the server runs, or how it ended and what it wrote, for a failure's message.
    var state: String {
        guard let process else { return "was not started, or was stopped by the test" }
        if process.isRunning { return "is running (pid \(process.processIdentifier))" }
        let how = process.terminationReason == .uncaughtSignal ? "by signal \(process.terminationStatus)" : "with status \(process.terminationStatus)"
        return "has ended \(how); its log: \(stderr?.text ?? "")"
    }

    /// Sends a signal to the server without waiting for it to end.
    func signal(_ signal: Int32) {
        if let process, process.isRunning { kill(process.processIdentifier, signal) }
    }

    /// One line of the server's request log: "2026-12-06T09:14:02Z GET /api/organizations/{ref} 200 3.1ms maria".
    struct LogLine: Equatable {
        let method: String
        let route: String
        let status: Int
        /// The account, or "-" without one.
        let account: String

        /// The line's parts, or nil when the line is not a request's (a warning).
        init?(_ line: Substring) {
            let parts = line.split(separator: " ")
            guard parts.count == 6, (try? Date.ISO8601FormatStyle().parse(String(parts[0]))) != nil,
                  let status = Int(parts[3]), parts[4].hasSuffix("ms"), Double(parts[4].dropLast(2)) != nil else { return nil }
            (method, route, self.status, account) = (String(parts[1]), String(parts[2]), status, String(parts[5]))
        }

        init(_ method: String, _ route: String, _ status: Int, _ account: String) {
            (self.method, self.route, self.status, self.account) = (method, route, status, account)
        }

        /// The request lines of a log.
        static func all(_ log: String) -> [LogLine] { log.split(separator: "\n").compactMap(LogLine.init) }
    }

    deinit {
        if let process, process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: folder)
    }

    struct Response: Sendable {
        let status: Int
        let body: Data
        /// The response's headers, their names in lowercase.
        let headers: [String: String]
        var contentType: String { headers["content-type"] ?? "" }
        var text: String { String(decoding: body, as: UTF8.self) }
        func json() throws -> Any { try JSONSerialization.jsonObject(with: body) }
        func object() throws -> [String: Any] { try #require(try json() as? [String: Any], "\(status): \(text)") }
        func array() throws -> [[String: Any]] { try #require(try json() as? [[String: Any]], "\(status): \(text)") }
    }

    /// One HTTP request to the server. `headers` are sent as given (an `Authorization` of one's own).
    func request(_ method: String, _ path: String, token: String? = nil, headers: [String: String] = [:], json: Any? = nil,
                 body: Data? = nil) async throws -> Response {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        } else if let body {
            request.httpBody = body
        }
        let data: Data, response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw HarnessError("\(method) \(path): \(error.localizedDescription) (\(error)); the server \(state)")
        }
        let http = try #require(response as? HTTPURLResponse)
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
        }
        return Response(status: http.statusCode, body: data, headers: fields)
    }

    func get(_ path: String, token: String?) async throws -> Response { try await request("GET", path, token: token) }

    /// A connection to the server of the test's own making, for a request sent a part at a time.
    func connect() throws -> Connection { try Connection(port: port) }

    /// One TCP connection to the server on 127.0.0.1, written and read byte by byte: a request can
    /// be left half sent while the server is told to stop.
    final class Connection {
        private let descriptor: Int32
        /// The connection's port on this side.
        let localPort: Int
        /// The server's port.
        let port: Int

        init(port: Int) throws {
            self.port = port
            let descriptor = socket(AF_INET, streamSocket, 0)
            guard descriptor >= 0 else { throw HarnessError("socket(): errno \(errno)") }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { posixConnect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else {
                let error = errno
                close(descriptor)
                throw HarnessError("connect() to port \(port): errno \(error)")
            }
            var local = sockaddr_in(), length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &local) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
            self.descriptor = descriptor
            localPort = Int(UInt16(bigEndian: local.sin_port))
        }

        deinit { close(descriptor) }

        /// Writes every byte of `text`.
        func send(_ text: String) throws {
            var bytes = Array(text.utf8)[...]
            while !bytes.isEmpty {
                let sent = bytes.withUnsafeBytes { posixSend(descriptor, $0.baseAddress, $0.count, 0) }
                guard sent > 0 else { throw HarnessError("send(): errno \(errno)") }
                bytes = bytes.dropFirst(sent)
            }
        }

        /// Everything the server sends until it closes the connection.
        func readToEnd() throws -> String {
            var received = [UInt8](), buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                if count < 0 { throw HarnessError("recv(): errno \(errno)") }
                if count == 0 { break }
                received += buffer[..<count]
            }
            return String(decoding: received, as: UTF8.self)
        }

        /// Waits until the server has read everything this connection sent (its socket's receive
        /// queue, as /proc/net/tcp shows it, is empty): the server holds the request as far as it
        /// was sent. Gives up after `limit`.
        func waitUntilServerHasRead(limit: Duration = .seconds(60)) throws {
            let deadline = ContinuousClock.now + limit
            // /proc/net/tcp: "sl local_address rem_address st tx_queue:rx_queue …", addresses as hex "0100007F:1F90".
            let server = String(format: ":%04X", port), client = String(format: ":%04X", localPort)
            while ContinuousClock.now < deadline {
                let table = try Self.procNetTCP()
                for line in table.split(separator: "\n").dropFirst() {
                    let fields = line.split(separator: " ")
                    guard fields.count > 4, fields[1].hasSuffix(server), fields[2].hasSuffix(client) else { continue }
                    if fields[4].split(separator: ":").last.flatMap({ Int($0, radix: 16) }) == 0 { return }
                }
                Thread.sleep(forTimeInterval: 0.01)
            }
            throw HarnessError("The server did not read the request within \(limit).")
        }

        /// /proc/net/tcp whole: the kernel writes it a page at a time, so it is read to its end (a
        /// single read, as `String(contentsOfFile:)` makes of a file whose size says 0, gets the
        /// first page only, and misses connections when the machine has many).
        static func procNetTCP() throws -> String {
            let descriptor = open("/proc/net/tcp", O_RDONLY)
            guard descriptor >= 0 else { throw HarnessError("open(/proc/net/tcp): errno \(errno)") }
            defer { close(descriptor) }
            var bytes = [UInt8](), buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(descriptor, &buffer, buffer.count)
                guard count > 0 else { break }
                bytes += buffer[0..<count]
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
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
