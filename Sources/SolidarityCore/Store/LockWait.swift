import Foundation
import GRDB
import Synchronization

/// How a command waits for another writer to release the database's write lock.
///
/// It says once, after a second, what it waits for, and gives up after 10 seconds unless the other
/// writer is an announced bulk write (`BulkWriter`) whose process is alive: an import of a large
/// file may hold the lock for minutes, and a command queued behind it should run after it rather
/// than fail. Installed as the connection's SQLite busy handler, which sleeps between tries.
final class LockWait: Sendable {
    /// How long to wait before saying what the command waits for (for a migration's lock too).
    static let notice: Duration = .seconds(1)
    /// How long to wait for a writer that is not an announced bulk write.
    static let limit: Duration = .seconds(10)

    /// The database as the user named it, for messages.
    private let path: String
    /// The database's real path, beside which a bulk writer announces itself.
    private let realPath: String
    /// Where the one waiting line goes.
    private let waiting: @Sendable (String) -> Void
    /// When the current wait began, and whether this store already said it waits.
    private let state = Mutex<(began: ContinuousClock.Instant, told: Bool)>((ContinuousClock.now, false))

    init(path: String, realPath: String, waiting: @escaping @Sendable (String) -> Void) {
        self.path = path
        self.realPath = realPath
        self.waiting = waiting
    }

    /// The busy mode to put in a connection's configuration.
    var busyMode: Database.BusyMode {
        .callback { [self] tries in self.tryAgain(after: tries) }
    }

    /// Whether SQLite should try again to take the lock, after sleeping a little; `tries` is 0 at
    /// the start of each wait.
    private func tryAgain(after tries: Int) -> Bool {
        let now = ContinuousClock.now
        let (waited, tell) = state.withLock { state -> (Duration, Bool) in
            if tries == 0 { state.began = now }
            let waited = now - state.began
            let tell = !state.told && waited >= LockWait.notice
            if tell { state.told = true }
            return (waited, tell)
        }
        if tell {
            let holder = BulkWriter.current(for: realPath)?.description ?? "another program"
            waiting("Waiting for \(holder) to finish writing to \(path)…")
        }
        if waited >= LockWait.limit, BulkWriter.current(for: realPath) == nil { return false }
        // 10 ms at first, then up to 100 ms: quick when the lock is soon free, cheap when it is not.
        usleep(useconds_t(min(tries + 1, 10) * 10_000))
        return true
    }
}
