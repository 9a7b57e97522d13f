import Foundation

/// The exclusive lock under which one command at a time migrates a database (its backup included),
/// so that several commands opening a database with pending migrations at once, or several `init`
/// on one new path, do not apply the same migration twice: the others wait, then re-read the
/// ledger and find nothing to do.
///
/// Why a BSD `flock` on the database file itself: it is released by the kernel when the process
/// dies (a killed migration never leaves a stale lock), it needs no extra file beside the database,
/// and it is independent of SQLite's own POSIX (`fcntl`) locks, so it does not block other
/// commands' reads and writes. Those POSIX locks have one caveat: closing *any* descriptor of the
/// database file drops all of a process's POSIX locks on it. The descriptor held here is therefore
/// closed only when no SQLite connection of this store is open (the migrating connection is closed
/// inside `body`, the command's own is opened after). A process must not migrate a database while it
/// holds another connection to the same file (the command line opens one store per process).
/// SQLite's own locks could not do it: a migration needs several transactions (foreign keys can
/// only be switched off between them) and the backup cannot run inside one.
enum MigrationLock {
    /// Runs `body` holding the lock on the database file at `path`, waiting as long as another
    /// process migrates it. `body` must close every SQLite connection it opens before it returns.
    static func hold<T>(_ path: String, waiting: (String) -> Void, _ body: () throws -> T) throws -> T {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw SolidarityError(.database, "Cannot open \(path) to migrate it: \(String(cString: strerror(errno)).lowercased()). Check the file's permissions.")
        }
        defer { close(fd) }
        let began = ContinuousClock.now
        var told = false
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                throw SolidarityError(.database, "Cannot lock \(path) to migrate it: \(String(cString: strerror(errno)).lowercased()). A database on a network file system is not supported; keep it on a local disk.")
            }
            if !told, ContinuousClock.now - began >= LockWait.notice {
                told = true
                waiting("Waiting for another solidarity command to finish migrating \(path)…")
            }
            usleep(50_000)
        }
        return try body()
    }
}
