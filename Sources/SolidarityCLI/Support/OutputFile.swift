import Dispatch
import Foundation
import SolidarityCore

/// A file named with `--output`: the one way every command (export, calendar, appendix) writes one.
///
/// The path is checked before the database is opened, and refused (a usage error) when it is one of
/// the database's own files, by any name or hard link, or when it is a symbolic link, so that an
/// output never replaces a file the user did not name. A file is written owner-only (0600) from its
/// first byte under a hidden name beside it, `.NAME.PID.partial`, and takes the place of the path
/// only once complete: a failed, interrupted or killed write leaves what was there. A device or a
/// pipe (`/dev/null`, `/dev/stdout`) is written in place.
struct OutputFile {
    /// What every command that takes --output promises about the file, for its help.
    static let promise = """
        A file written with --output is owner-only (0600) from its first byte, and replaces what \
        was there only once complete: an interrupted run leaves the old file. --output may not be \
        the database or one of its files (-wal, -shm, -journal, or a link to one), nor a symbolic \
        link: give the file the link points to instead, so that no file you did not name is replaced.
        """

    /// The path as the user gave it.
    let path: String
    /// Whether the path is a device or a pipe, written in place, rather than a file to replace.
    private let isStream: Bool

    /// Checks `path` against the database at `database` and the files already there.
    init(_ path: String, database: String) throws {
        self.path = path
        if let file = Self.databaseFile(path, of: DatabaseFiles(database: database)) {
            let what = file == database ? "the database \(database) itself" : "\(file), one of the database's own files"
            throw SolidarityError.invalid("--output \(path) is \(what): writing there would destroy the database. Nothing was written; choose another file for --output.")
        }
        var link = stat()
        guard lstat(path, &link) == 0 else {
            let folder = PathParts.folder(of: path)
            var info = stat()
            guard stat(folder, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
                throw SolidarityError(.notFound, "The folder \(folder) does not exist: create it first, or choose another --output.")
            }
            isStream = false
            return
        }
        var target = stat()
        let kind = stat(path, &target) == 0 ? target.st_mode & S_IFMT : nil
        if kind == S_IFDIR {
            throw SolidarityError.invalid("--output \(path) is a folder: give the path of a file inside it (\(path)/NAME). Nothing was written.")
        }
        let isStream = kind != nil && kind != S_IFREG
        if link.st_mode & S_IFMT == S_IFLNK, !isStream {
            let destination = Self.linkTarget(path)
            throw SolidarityError.invalid("--output \(path) is a symbolic link to \(destination): solidarity does not write through a link, so that it never replaces a file you did not name. Nothing was written; give the file itself (--output \(destination)) or another name.")
        }
        self.isStream = isStream
    }

    /// Hands `body` a function that writes the output chunk by chunk: to `file` (the one --output
    /// names) as `write(_:)` does, or to stdout when there is none.
    static func write<T>(to file: OutputFile?, _ body: ((Data) throws -> Void) throws -> T) throws -> T {
        if let file { return try file.write(body) }
        let stdout = Invocation.current.console.standardOutput
        return try body { try stdout.write(contentsOf: $0) }
    }

    /// Writes `data` as the whole file.
    func write(_ data: Data) throws {
        try write { try $0(data) }
    }

    /// Hands `body` a function that writes the file chunk by chunk; the file takes its place once
    /// `body` returns, and is removed if `body` throws or a signal stops the process.
    func write<T>(_ body: ((Data) throws -> Void) throws -> T) throws -> T {
        if isStream {
            guard let handle = FileHandle(forWritingAtPath: path) else { throw cannot("write", errno) }
            defer { try? handle.close() }
            return try body { data in
                do { try handle.write(contentsOf: data) } catch { throw cannot("write", error) }
            }
        }
        let folder = PathParts.folder(of: path), name = PathParts.name(of: path)
        PartialFile.removeStale(in: folder, prefix: ".\(name).")
        let partial = PathParts.path(of: PartialFile.name(of: name), in: folder)
        // Registered before it exists: a signal from here on removes it.
        PartialFiles.inProgress.begin(partial)
        defer { PartialFiles.inProgress.end(partial) }
        unlink(partial)
        let descriptor = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw cannot("create", errno) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            let result = try body { data in
                do { try handle.write(contentsOf: data) } catch { throw cannot("write", error) }
            }
            try handle.close()
            guard rename(partial, path) == 0 else { throw cannot("write", errno) }
            return result
        } catch {
            try? handle.close()
            unlink(partial)
            throw error
        }
    }

    /// The error for a system call on the output that failed with `code`.
    private func cannot(_ verb: String, _ code: Int32) -> SolidarityError {
        SolidarityError(.database, "Cannot \(verb) \(path): \(String(cString: strerror(code)).lowercased()). Choose another --output.")
    }

    /// The error for a write to the output that failed with `error`.
    private func cannot(_ verb: String, _ error: any Error) -> SolidarityError {
        SolidarityError(.database, "Cannot \(verb) \(path): \(error.localizedDescription). Choose another --output.")
    }

    /// Which of the database's files `path` is, if any: the same file (device and inode, through any
    /// link) when both exist, else the same name in the same folder (a `-wal` not made yet), for the
    /// database as named and as its links resolve.
    private static func databaseFile(_ path: String, of files: DatabaseFiles) -> String? {
        var output = stat()
        let exists = stat(path, &output) == 0
        let name = placed(path)
        for file in files.all + DatabaseFiles(database: resolved(files.database)).all {
            var info = stat()
            if exists, stat(file, &info) == 0, info.st_dev == output.st_dev, info.st_ino == output.st_ino { return file }
            if placed(file) == name { return file }
        }
        return nil
    }

    /// The path with its folder resolved (links, `.` and `..`) and its own name kept.
    private static func placed(_ path: String) -> String {
        PathParts.path(of: PathParts.name(of: path), in: resolved(PathParts.folder(of: path)))
    }

    /// The path with every link resolved, or as given when it does not exist.
    private static func resolved(_ path: String) -> String {
        guard let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }

    /// Where the symbolic link at `path` points, relative targets taken from the link's folder.
    private static func linkTarget(_ path: String) -> String {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) else { return "another file" }
        return target.hasPrefix("/") ? target : PathParts.path(of: target, in: PathParts.folder(of: path))
    }
}

/// The hidden partial files (`.NAME.PID.partial`) being written, removed when SIGTERM, SIGINT or
/// SIGHUP stops the process, and those of processes no longer alive, removed at the next write to
/// the same place.
///
/// While a partial file exists, those signals are ignored for their default action and handled by
/// dispatch sources on a background queue, which remove the partial files and exit with status
/// 128 + the signal's number, as a shell reports a process stopped by it.
final class PartialFiles: @unchecked Sendable {
    /// The signals that stop the tool and leave no partial file behind.
    static let signals = [SIGTERM, SIGINT, SIGHUP]
    /// The partial files of this process.
    static let inProgress = PartialFiles()
    /// Where the signals are handled, away from the thread that writes.
    private static let queue = DispatchQueue(label: "solidarity.partial-files")

    // Every stored property is read and written only with `lock` held: that is why the class is Sendable.
    private let lock = NSLock()
    private var paths: Set<String> = []
    private var sources: [any DispatchSourceSignal] = []

    private init() {}


    /// Records that `path` is being written; the first one starts catching the signals.
    func begin(_ path: String) {
        lock.withLock {
            if sources.isEmpty { sources = Self.signals.map(catching) }
            if paths.isEmpty { for number in Self.signals { _ = signal(number, SIG_IGN) } }
            paths.insert(path)
        }
    }

    /// Records that `path` is in place or removed; the last one gives the signals back their default action.
    func end(_ path: String) {
        lock.withLock {
            paths.remove(path)
            if paths.isEmpty { for number in Self.signals { _ = signal(number, SIG_DFL) } }
        }
    }

    /// A dispatch source that removes the partial files and exits when `signal` arrives.
    private func catching(_ number: Int32) -> any DispatchSourceSignal {
        let source = DispatchSource.makeSignalSource(signal: number, queue: Self.queue)
        source.setEventHandler { [self] in
            lock.lock()
            for path in paths { unlink(path) }
            _exit(128 + number)
        }
        source.resume()
        return source
    }
}
