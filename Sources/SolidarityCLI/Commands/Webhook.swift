import ArgumentParser
import Dispatch
import Foundation
import SolidarityCore
import SolidarityNotify

struct WebhookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook",
        abstract: "Tell other systems what changed, over signed webhooks (Standard Webhooks). Inert until an endpoint is added.",
        subcommands: [Add.self, List.self, Remove.self, Disable.self, Enable.self, RotateSecret.self, Test.self, Deliver.self,
                      Deliveries.self, Replay.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Register an endpoint and the event types it receives; prints its secret once.",
            discussion: """
                Event types: \(EventType.allCases.map(\.rawValue).joined(separator: ", ")); * for all (the default).

                Examples:
                  solidarity webhook add https://chat.example.org/hooks/intl --event delegation.logged --event resolution.adopted
                  solidarity webhook add https://tracker.example.org/solidarity --description "Partner union's tracker"
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("The receiver's URL (http or https).", valueName: "url"))
        var url: String
        @Option(help: ArgumentHelp("An event type it receives (repeatable; default: all).", valueName: "type"), transform: EventType.check)
        var event: [String] = []
        @Option(help: "What the endpoint is, for people reading `webhook list`.")
        var description: String?

        func run() throws {
            let (endpoint, secret) = try WebhookEndpoints(store: store.open(.write)).add(url: url, events: event, description: description)
            Terminal.say("Added endpoint \(endpoint.id) for \(endpoint.events.joined(separator: ", ")).")
            Terminal.say("Secret (shown only now; keep it with the receiver): \(secret)")
            Terminal.say("Verify on the receiving side, e.g. in Python: standardwebhooks.Webhook(\"\(secret)\").verify(body, headers)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List endpoints (never their secrets).",
            discussion: "Example:\n  solidarity webhook list")

        @OptionGroup var store: StoreOptions
        @OptionGroup var output: FormatOptions

        func run() throws { try Output.list(try WebhookEndpoints(store: store.open(.read)).all(), format: output.format) }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove an endpoint and its queued deliveries.",
            discussion: "Example:\n  solidarity webhook remove 7gq2mx4kpa")

        @OptionGroup var target: EndpointOptions

        func run() throws {
            let endpoint = try target.endpoints().remove(target.ref)
            Terminal.say("Removed endpoint \(endpoint.id) (\(endpoint.url)).")
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disable",
            abstract: "Stop sending to an endpoint (its queued deliveries wait).",
            discussion: "Example:\n  solidarity webhook disable 7gq2mx4kpa")

        @OptionGroup var target: EndpointOptions

        func run() throws {
            let endpoint = try target.endpoints().setEnabled(target.ref, false, reason: "disabled by hand")
            Terminal.say("Disabled endpoint \(endpoint.id).")
        }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "enable",
            abstract: "Send to an endpoint again.",
            discussion: "Example:\n  solidarity webhook enable 7gq2mx4kpa")

        @OptionGroup var target: EndpointOptions

        func run() throws {
            let endpoint = try target.endpoints().setEnabled(target.ref, true)
            Terminal.say("Enabled endpoint \(endpoint.id).")
        }
    }

    struct RotateSecret: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-secret",
            abstract: "Give an endpoint a new secret; the old one also signs for 24 hours while the receiver switches.",
            discussion: "Example:\n  solidarity webhook rotate-secret 7gq2mx4kpa")

        @OptionGroup var target: EndpointOptions

        func run() throws {
            let (endpoint, secret) = try target.endpoints().rotateSecret(target.ref)
            Terminal.say("New secret for \(endpoint.id) (shown only now): \(secret)")
            Terminal.say("For 24 hours each delivery carries two signatures, the old secret's and the new one's.")
        }
    }

    struct Test: ParsableCommand, SendsItsOwnWebhooks {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Send a webhook.test event to one endpoint now and print the outcome.",
            discussion: """
                Only the test event is sent; other queued deliveries wait for `solidarity webhook deliver`.

                Example:
                  solidarity webhook test 7gq2mx4kpa
                """)

        @OptionGroup var target: EndpointOptions

        func run() throws {
            let db = try target.store.open(.write)
            let id = try DeliveryQueue(store: db).queueTest(target.ref)
            let pass = try Notifier(store: db).deliver(id)
            let endpoint = try WebhookEndpoints(store: db).endpoint(target.ref)
            let delivery = try DeliveryQueue(store: db).deliveries(endpoint: endpoint.id).first { $0.id == id }
            switch delivery?.status {
            case .delivered:
                Terminal.say("Delivered: the receiver answered \(delivery?.lastStatus ?? 200).")
            case .dead where delivery?.lastStatus == 410:
                throw SolidarityError(.conflict, "Not delivered: the receiver answered 410 Gone (it wants no more webhooks at this URL). The test delivery is dead and endpoint \(endpoint.id) is disabled: it receives nothing until `solidarity webhook enable \(endpoint.id)`.")
            case .dead:
                throw SolidarityError(.conflict, "Not delivered: \(delivery?.lastError ?? "no answer"). The delivery is dead; `solidarity webhook replay \(id)` queues it again.")
            default:
                throw SolidarityError(.conflict, "Not delivered: \(delivery?.lastError ?? pass.failures.first ?? "no answer"). It stays queued; `solidarity webhook deliver` retries it.")
            }
        }
    }

    struct Deliver: ParsableCommand, SendsItsOwnWebhooks {
        static let configuration = CommandConfiguration(
            commandName: "deliver",
            abstract: "Send what is due (for cron or a systemd timer); with --watch, keep sending until stopped.",
            discussion: """
                --watch runs until SIGINT or SIGTERM and stops after the attempt in progress.

                Examples:
                  solidarity webhook deliver
                  */5 * * * * solidarity webhook deliver --db /srv/union/intl.sqlite   (crontab)
                  solidarity webhook deliver --watch
                """)

        @OptionGroup var store: StoreOptions
        @Flag(help: "Keep running, sending each delivery when it falls due.")
        var watch = false

        func run() throws {
            let db = try store.open(.write)
            let notifier = Notifier(store: db)
            guard watch else {
                let pass = try notifier.deliverDue()
                pass.sayCounts()
                for failure in pass.failures { Terminal.note("Failed: \(failure)") }
                pass.noteDisabledEndpoints()
                return
            }
            let stop = StopSignal()
            Terminal.note("Delivering until stopped (Ctrl-C or SIGTERM)…")
            while !stop.requested {
                let pass = try notifier.deliverDue(shouldStop: { stop.requested })
                if pass.delivered + pass.retrying + pass.dead > 0 { pass.sayCounts() }
                pass.noteDisabledEndpoints()
                stop.wait(seconds: 1)
            }
            Terminal.note("Stopped.")
        }
    }

    struct Deliveries: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "deliveries",
            abstract: "Show deliveries with their status, attempts and last error, newest first.",
            discussion: "Examples:\n  solidarity webhook deliveries --failed\n  solidarity webhook deliveries --endpoint 7gq2mx4kpa --format csv")

        @OptionGroup var store: StoreOptions
        @Flag(help: "Only dead deliveries and those whose last attempt failed.")
        var failed = false
        @Option(help: ArgumentHelp("Only this endpoint's.", valueName: "ref"))
        var endpoint: String?
        @OptionGroup var output: FormatOptions

        func run() throws { try Output.list(try DeliveryQueue(store: store.open(.read)).deliveries(failedOnly: failed, endpoint: endpoint), format: output.format) }
    }

    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "replay",
            abstract: "Queue deliveries again: one by id, or every failed one since a date.",
            discussion: "Examples:\n  solidarity webhook replay 3mx7qk2pza\n  solidarity webhook replay --failed --since 2026-11")

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("The delivery's id.", valueName: "id"))
        var id: String?
        @Flag(help: "Every dead or failing delivery (with --since, only those attempted since then).")
        var failed = false
        @Option(help: ArgumentHelp("With --failed: only deliveries last attempted since this date.", valueName: "date"), transform: Parse.date)
        var since: PartialDate?

        func validate() throws {
            if (id == nil) == !failed { throw ValidationError("Give a delivery ID, or --failed [--since D], not both.") }
            if since != nil, !failed { throw ValidationError("--since goes with --failed.") }
        }

        func run() throws {
            let count = try DeliveryQueue(store: store.open(.write)).replay(id: id, failedSince: since)
            Terminal.say("Queued \(count) deliver\(count == 1 ? "y again; it goes" : "ies again; they go") out with the next delivery.")
        }
    }
}

extension WebhookEndpoint: Listable {
    static let tableColumns = ["id", "url", "events", "enabled", "description"]
    var tableRow: [String] { [id, url, events.joined(separator: " "), enabled ? "yes" : "no (\(disabledReason ?? ""))", description ?? ""] }
    static let csvColumns = ["id", "url", "events", "enabled", "disabled_reason", "description", "created_at"]
    var csvRow: [String] { [id, url, events.joinedForCSV, String(enabled), disabledReason ?? "", description ?? "", createdAt] }
}

extension Delivery: Listable {
    static let tableColumns = ["id", "type", "endpoint", "status", "attempts", "last", "error"]
    var tableRow: [String] {
        [id, type, endpoint, status.rawValue, String(attempts), lastAttemptAt ?? "", status == .delivered ? "" : lastError ?? (lastStatus.map { "HTTP \($0)" } ?? "")]
    }
    static let csvColumns = ["id", "event", "type", "endpoint", "status", "attempts", "last_attempt_at", "last_status", "last_error", "delivered_at"]
    var csvRow: [String] {
        [id, event, type, endpoint, status.rawValue, String(attempts), lastAttemptAt ?? "", lastStatus.map(String.init) ?? "", lastError ?? "", deliveredAt ?? ""]
    }
}

/// SIGINT and SIGTERM ask `deliver --watch` to stop after the attempt in progress.
final class StopSignal: @unchecked Sendable {
    private let lock = NSCondition()
    private var stop = false
    private var sources: [any DispatchSourceSignal] = []

    init() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.request() }
            source.resume()
            sources.append(source)
        }
    }

    var requested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stop
    }

    private func request() {
        lock.lock()
        stop = true
        lock.broadcast()
        lock.unlock()
    }

    /// Waits up to `seconds`, returning early when a stop is requested.
    func wait(seconds: TimeInterval) {
        lock.lock()
        if !stop { _ = lock.wait(until: Date().addingTimeInterval(seconds)) }
        lock.unlock()
    }
}

/// A command that sends webhooks itself (`webhook test`, `webhook deliver`): the root sends none after it.
protocol SendsItsOwnWebhooks {}

/// After a command that wrote events: one immediate, best-effort delivery with a short timeout, which
/// the root command runs on the database the command wrote.
enum ImmediateDelivery {
    /// The most seconds the attempt takes, however many deliveries are due.
    static let budget: TimeInterval = 5

    static func run(path: String) {
        guard let store = try? Store(path: path, access: .write), (try? DeliveryQueue(store: store).pendingCount()) ?? 0 > 0 else { return }
        guard let pass = try? Notifier(store: store).deliverDue(timeout: budget, connectTimeout: 2, budget: budget) else { return }
        let queued = pass.failures.filter { failure in !pass.disabled.contains { failure.hasPrefix($0 + ": ") } }
        if let first = queued.first {
            // "did not go through" rather than "failed": a receiver still answering when the
            // command's seconds ran out may have got it (it is sent again, at least once).
            Terminal.note("\(queued.count) webhook deliver\(queued.count == 1 ? "y" : "ies") did not go through (\(first)); queued for `solidarity webhook deliver`.")
        }
        pass.noteDisabledEndpoints()
        if pass.outOfTime, let waiting = try? DeliveryQueue(store: store).pendingCount() {
            Terminal.note("\(waiting) webhook deliver\(waiting == 1 ? "y waits" : "ies wait") for `solidarity webhook deliver` (a command sends for \(Int(budget)) seconds at most).")
        }
    }
}

extension Notifier.Pass {
    /// Says how many deliveries of this pass were delivered, are to be retried and are dead.
    func sayCounts() {
        Terminal.say("Delivered \(delivered), retrying \(retrying), dead \(dead).")
    }

    /// Says, for each endpoint that answered 410 Gone in this pass, that its delivery is dead and the endpoint disabled.
    func noteDisabledEndpoints() {
        for url in disabled {
            Terminal.note("The webhook receiver \(url) answered 410 Gone: its delivery is dead and the endpoint is disabled (`solidarity webhook list` shows it; `solidarity webhook enable REF` turns it back on).")
        }
    }
}

/// The database and the endpoint a `webhook` command acts on.
struct EndpointOptions: ParsableArguments {
    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The endpoint's id or URL.", valueName: "ref"))
    var ref: String

    /// The endpoints of the database, opened for writing.
    func endpoints() throws -> WebhookEndpoints { WebhookEndpoints(store: try store.open(.write)) }
}
