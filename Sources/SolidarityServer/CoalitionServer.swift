import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import SolidarityCore

/// The coalition server: the JSON API over the same database file and Core as the command line.
///
/// It opens the database once; each request acts in its account's name (`Store.acting(as:)`), so
/// the history records the account as the author of every change made through it. SIGTERM and
/// SIGINT stop it gracefully: requests in flight finish, then `run` returns.
public struct CoalitionServer: Sendable {
    /// Where and how the server listens.
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        /// The certificate chain and private key (PEM files) for HTTPS; nil for plain HTTP.
        public var tls: (certificate: String, key: String)?

        public init(host: String = "127.0.0.1", port: Int = 8080, tls: (certificate: String, key: String)? = nil) {
            self.host = host
            self.port = port
            self.tls = tls
        }

        /// Whether the address is the machine's own (127.0.0.0/8, ::1, localhost), reachable by no other machine.
        public var isLoopback: Bool {
            host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
        }
    }

    let store: Store
    let configuration: Configuration
    /// Where the line saying where the server listens goes (stdout).
    let announce: @Sendable (String) -> Void
    /// Where the one line per request goes (stderr).
    let log: @Sendable (String) -> Void

    public init(store: Store, configuration: Configuration, announce: @escaping @Sendable (String) -> Void,
                log: @escaping @Sendable (String) -> Void) {
        self.store = store
        self.configuration = configuration
        self.announce = announce
        self.log = log
    }

    /// Serves until SIGTERM or SIGINT, then lets the requests in flight finish and returns.
    /// How many of Core's calls run at once: each waits for SQLite, reads beside each other (the
    /// store's pool of readers), writes one at a time; a long write (an import) holds one thread.
    static let threadCount = 8

    public func run() async throws {
        let threads = NIOThreadPool(numberOfThreads: Self.threadCount)
        threads.start()
        defer { threads.shutdownGracefully { _ in } }
        let delivery = WebhookDelivery(store: store, threads: threads)
        let router = APIRouter.build(store: store, threads: threads, delivery: delivery, log: log)
        let scheme = configuration.tls == nil ? "http" : "https"
        var logger = Logger(label: "solidarity-serve")
        logger.logLevel = .warning
        let announce = self.announce
        let app = Application(
            router: router,
            server: try serverBuilder(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "solidarity"),
            services: [delivery],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                announce("Serving \(store.path) on \(scheme)://\(Self.hostInURL(channel.localAddress?.ipAddress ?? "127.0.0.1")):\(port) (the API under /api/, its description at /openapi.json). Ctrl-C stops it.")
            },
            logger: logger)
        try await app.runService()
    }

    private func serverBuilder() throws -> HTTPServerBuilder {
        guard let tls = configuration.tls else { return .http1() }
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(tls.certificate).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: tls.key, format: .pem)
            return try .tls(.http1(), tlsConfiguration: .makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key)))
        } catch {
            throw SolidarityError.invalid("Cannot use the certificate \(tls.certificate) with the key \(tls.key) for HTTPS: \(error). Both must be PEM files, the key unencrypted.")
        }
    }

    private static func hostInURL(_ address: String) -> String {
        address.contains(":") ? "[\(address)]" : address
    }
}
