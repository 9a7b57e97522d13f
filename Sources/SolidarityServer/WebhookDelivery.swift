import Foundation
import NIOPosix
import ServiceLifecycle
import SolidarityCore
import SolidarityNotify

/// Sends the webhooks that API writes queued, as the command line does after a command: woken
/// after each write, and every minute for the retries that fall due. Runs beside the server and
/// stops with it.
final class WebhookDelivery: Service, Sendable {
    private let store: Store
    private let threads: NIOThreadPool
    private let wakeUps: AsyncStream<Void>
    private let waker: AsyncStream<Void>.Continuation

    init(store: Store, threads: NIOThreadPool) {
        self.store = store
        self.threads = threads
        (wakeUps, waker) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a delivery pass soon (an API write recorded events).
    func wake() { waker.yield() }

    func run() async throws {
        let store = self.store, threads = self.threads
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(60))
                waker.yield()
            }
        }
        defer { ticker.cancel() }
        await withGracefulShutdownHandler {
            for await _ in wakeUps.cancelOnGracefulShutdown() {
                _ = try? await threads.runIfActive {
                    guard try DeliveryQueue(store: store).pendingCount() > 0 else { return }
                    _ = try Notifier(store: store).deliverDue(timeout: 10, connectTimeout: 2, budget: 20)
                }
            }
        } onGracefulShutdown: {
            self.waker.finish()
        }
    }
}
