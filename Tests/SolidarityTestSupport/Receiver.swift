import Foundation

/// A real HTTP receiver on 127.0.0.1, in Python, answering from a plan and verifying each
/// signature with the independent `standardwebhooks` package.
///
/// Shared by the notifier's tests and the end-to-end tests of `solidarity webhook`.
public final class Receiver {
    /// One planned answer: status, delay before answering, Retry-After, body size.
    public struct Answer: Encodable {
        public var status = 200
        public var delay = 0.0
        public var retryAfter: String?
        public var bodyBytes = 0
        public init(status: Int = 200, delay: Double = 0, retryAfter: String? = nil, bodyBytes: Int = 0) {
            self.status = status
            self.delay = delay
            self.retryAfter = retryAfter
            self.bodyBytes = bodyBytes
        }
        enum CodingKeys: String, CodingKey { case status, delay, retryAfter = "retry_after", bodyBytes = "body_bytes" }
    }

    /// What the receiver got.
    public struct Request: Decodable {
        public let id: String?
        public let timestamp: String?
        public let signature: String?
        public let type: String
        public let body: String
        /// For each secret given, whether `standardwebhooks` verified the request with it.
        public let verified: [Bool]
        public let expect: String?
        public let userAgent: String?
        enum CodingKeys: String, CodingKey { case id, timestamp, signature, type, body, verified, expect, userAgent = "user_agent" }
    }

    static let script = """
        import http.server, json, sys, time, threading
        from standardwebhooks import Webhook
        plan_path, log_path, port, secrets_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
        lock = threading.Lock()
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                verified = []
                for secret in open(secrets_path).read().split():
                    try:
                        Webhook(secret).verify(body, headers); verified.append(True)
                    except Exception:
                        verified.append(False)
                with lock:
                    plan = json.load(open(plan_path))
                    answer = plan.pop(0) if len(plan) > 1 else plan[0]
                    json.dump(plan, open(plan_path, "w"))
                    with open(log_path, "a") as log:
                        log.write(json.dumps({"id": headers.get("webhook-id"), "timestamp": headers.get("webhook-timestamp"),
                            "signature": headers.get("webhook-signature"), "type": json.loads(body)["type"], "body": body.decode(),
                            "verified": verified, "expect": headers.get("expect"), "user_agent": headers.get("user-agent")}) + "\\n")
                time.sleep(answer.get("delay", 0))
                payload = b"x" * answer.get("body_bytes", 0)
                try:
                    self.send_response(answer["status"])
                    if answer.get("retry_after"): self.send_header("Retry-After", answer["retry_after"])
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass
            def log_message(self, *args): pass
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """

    let folder: URL
    public let port: Int
    private let process: Process
    private let planFile: URL
    private let logFile: URL
    private let secretsFile: URL

    public var url: String { "http://127.0.0.1:\(port)/hooks" }

    /// Starts a receiver (on `port`, or any free one) answering `plan` in order, the last answer repeating.
    public init(plan: [Answer] = [Answer()], port: Int = 0) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("receiver-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        planFile = folder.appendingPathComponent("plan.json")
        logFile = folder.appendingPathComponent("log.jsonl")
        try JSONEncoder().encode(plan).write(to: planFile)
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        secretsFile = folder.appendingPathComponent("secrets")
        FileManager.default.createFile(atPath: secretsFile.path, contents: nil)
        let python = PythonChecker.python
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw ReceiverError("The Python checkers are missing: run script/test, which installs standardwebhooks into .venv.")
        }
        let scriptFile = folder.appendingPathComponent("receiver.py")
        try Self.script.write(to: scriptFile, atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [scriptFile.path, planFile.path, logFile.path, String(port), secretsFile.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        var line = Data()
        while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line.append(byte) }
        guard let bound = Int(String(decoding: line, as: UTF8.self)) else {
            kill(process.processIdentifier, SIGKILL)
            throw ReceiverError("The receiver did not start.")
        }
        self.port = bound
    }

    /// The secrets each request is verified with, in order (`verified` has one entry per secret).
    public func trust(_ secrets: [String]) throws {
        try secrets.joined(separator: "\n").write(to: secretsFile, atomically: true, encoding: .utf8)
    }

    /// Every request received so far.
    public func requests() throws -> [Request] {
        let text = try String(contentsOf: logFile, encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(Request.self, from: Data($0.utf8)) }
    }

    public func stop() {
        // SIGKILL: the test process's blocked signals (SIGTERM among them) are inherited by children.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: folder)
    }
}

public struct ReceiverError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// A clock the tests move by hand.
public final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    public init(_ start: Date = Date()) { current = start }
    public var now: Date {
        lock.lock(); defer { lock.unlock() }
        return current
    }
    public func advance(_ seconds: TimeInterval) {
        lock.lock(); current.addTimeInterval(seconds); lock.unlock()
    }
}
