import Foundation

/// A file written under a hidden name beside its destination, `.NAME.PID.partial`, and renamed into
/// place only once complete: every output and every migration backup is written this way, so that
/// a destination never holds half a file.
public enum PartialFile {
    /// The hidden name under which process `process` writes the file `name`.
    public static func name(of name: String, process: pid_t = getpid()) -> String { ".\(name).\(process).partial" }

    /// Removes, from `folder`, the partial files whose names begin with `prefix` (e.g. ".export.json.")
    /// that a process no longer alive left, with the `-journal` SQLite may leave beside one: this
    /// tool's hidden names, regular files of this user, never one of a process still running.
    public static func removeStale(in folder: String, prefix: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for entry in entries where entry.hasPrefix(prefix) {
            let stem = entry.hasSuffix("-journal") ? entry.dropLast("-journal".count) : Substring(entry)
            let parts = stem.split(separator: ".")
            guard stem.hasSuffix(".partial"), parts.count >= 3, parts[parts.count - 2].allSatisfy(\.isASCII),
                  let process = pid_t(parts[parts.count - 2]), process > 0, process != getpid(),
                  kill(process, 0) != 0, errno == ESRCH else { continue }
            let stale = PathParts.path(of: entry, in: folder)
            var info = stat()
            if lstat(stale, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == getuid() { unlink(stale) }
        }
    }
}
