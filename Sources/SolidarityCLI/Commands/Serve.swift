import ArgumentParser
import Foundation
import SolidarityCore
import SolidarityServer

struct Serve: ParsableCommand, SendsItsOwnWebhooks {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the coalition server: the JSON API for accounts, over the same database as the command line.",
        discussion: """
            The API is under /api/ (an account's token as `Authorization: Bearer TOKEN`: see \
            `solidarity account`); its OpenAPI description is at /openapi.json. The command line \
            keeps working beside the server on the same file. One line per request goes to stderr \
            (method, route, status, time, account; never bodies, queries or tokens). SIGTERM or \
            Ctrl-C stops it once the requests in flight are answered. Webhooks of API writes are \
            sent as they are made.

            It listens on 127.0.0.1:8080, this machine only. To serve other machines, give a \
            certificate and key (--tls-cert, --tls-key) or put it behind a reverse proxy that \
            terminates TLS (docs/sharing.md); a bind beyond this machine without TLS needs \
            --insecure-http, since tokens and contacts would cross the network in clear text.

            Examples:
              solidarity serve
              solidarity serve --bind 0.0.0.0:8443 --tls-cert cert.pem --tls-key key.pem
              solidarity serve --bind 127.0.0.1:0        (a free port, printed on start)
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("The address and port to listen on (port 0: a free one).", valueName: "host:port"))
    var bind = "127.0.0.1:8080"
    @Option(name: .customLong("tls-cert"), help: ArgumentHelp("The certificate chain (PEM) for HTTPS; needs --tls-key.", valueName: "file"))
    var tlsCert: String?
    @Option(name: .customLong("tls-key"), help: ArgumentHelp("The certificate's private key (PEM, unencrypted) for HTTPS.", valueName: "file"))
    var tlsKey: String?
    @Flag(name: .customLong("insecure-http"), help: "Serve plain HTTP on an address other machines can reach (tokens and contacts cross the network unencrypted).")
    var insecureHTTP = false

    func run() throws {
        var configuration = try Self.address(bind)
        switch (tlsCert, tlsKey) {
        case let (certificate?, key?): configuration.tls = (certificate, key)
        case (nil, nil): break
        default: throw ValidationError("--tls-cert and --tls-key go together: give both, or neither for plain HTTP.")
        }
        if configuration.tls == nil, !configuration.isLoopback {
            guard insecureHTTP else {
                throw ValidationError("""
                    \(bind) can be reached from other machines, and without TLS every API token, password and \
                    contact would cross the network in clear text. Give --tls-cert and --tls-key, or serve on \
                    127.0.0.1 behind a reverse proxy that terminates TLS (docs/sharing.md); --insecure-http \
                    serves plain HTTP anyway.
                    """)
            }
            Terminal.note("Warning: serving plain HTTP on \(bind): API tokens, passwords and the contacts of the people in this database cross the network unencrypted, readable by anyone on the way. Use it only on a network you trust entirely.")
        }
        let database = try store.open(.write, concurrentReads: true)
        let console = Invocation.current.console
        let listening = Shared(false)
        let server = CoalitionServer(
            store: database, configuration: configuration,
            announce: {
                listening.value = true
                console.standardOutput.write(Data(($0 + "\n").utf8))
            },
            log: { console.standardError.write(Data(($0 + "\n").utf8)) })
        do {
            try Self.wait { try await server.run() }
        } catch let error as SolidarityError {
            throw error
        } catch where !listening.value {
            // Before it listens, the server can fail only to take its address: in use, or not this machine's.
            throw SolidarityError(.conflict, """
                Cannot listen on \(bind): \(error). Another program (another solidarity serve?) may be listening \
                there, or the address is not one of this machine's: stop that program, or give another --bind.
                """)
        }
    }

    /// "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:443": the host and the port.
    static func address(_ text: String) throws -> CoalitionServer.Configuration {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("--bind takes HOST:PORT, such as 127.0.0.1:8080 or [::1]:8080; \"\(TextRules.printable(text))\" is not one.")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ValidationError("--bind needs a host before the port, such as 127.0.0.1:\(port).") }
        return CoalitionServer.Configuration(host: host, port: port)
    }

    /// Runs the server's asynchronous work to its end from this synchronous command.
    private static func wait(_ work: @escaping @Sendable () async throws -> Void) throws {
        let outcome = Shared<(any Error)?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            do { try await work() } catch { outcome.value = error }
            done.signal()
        }
        done.wait()
        if let error = outcome.value { throw error }
    }

    /// A value one task sets and another reads: the error the server's work ended with, whether it
    /// said where it listens.
    private final class Shared<Value>: @unchecked Sendable {
        // `stored` is read and set only with `lock` held.
        private let lock = NSLock()
        private var stored: Value
        init(_ value: Value) { stored = value }
        var value: Value {
            get { lock.withLock { stored } }
            set { lock.withLock { stored = newValue } }
        }
    }
}
