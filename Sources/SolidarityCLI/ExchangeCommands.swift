import ArgumentParser
import Foundation
import SolidarityCore

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write everything in the database as one JSON file in the interchange format.",
        discussion: """
            Sensitive people, organizations and activities stay out, with what refers to them, unless \
            --include-sensitive is given; stderr says how many records were left out. A file \
            written with --output is owner-only (0600).

            Examples:
              solidarity export --output backup.json
              solidarity export --include-sensitive > everything.json
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file"))
    var output: String?
    @Flag(name: .customLong("include-sensitive"), help: "Include records marked sensitive (the file says so in \"includes_sensitive\").")
    var includeSensitive = false

    func run() throws {
        let database = try store.open(.read)
        // Written as it is read, a page of records at a time: memory stays small however large the database.
        let result: ExportReport
        if let output {
            result = try OutputFile.stream(to: output) { write in try database.export(includeSensitive: includeSensitive, to: write) }
        } else {
            let stdout = FileHandle.standardOutput
            result = try database.export(includeSensitive: includeSensitive) { try stdout.write(contentsOf: $0) }
        }
        if includeSensitive {
            Terminal.note("This export includes records marked sensitive: share it only with people who may see them.")
        } else if result.leftOut > 0 {
            let referring = result.referring == 0 ? "" : result.referring == 1 ? " and 1 record that refers to them" : " and \(result.referring) records that refer to them"
            Terminal.note("Left out \(result.sensitive) sensitive record\(result.sensitive == 1 ? "" : "s")\(referring); --include-sensitive includes them.")
        }
    }
}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Read an export (JSON) or a spreadsheet (CSV) into the database, all or nothing.",
        discussion: """
            The whole file is checked first and every problem is listed with its place in the file; \
            nothing is written unless all of it can be. A record already present with the same \
            content is skipped; with other content it is a conflict, listed, unless --update.

            CSV: the header row names the columns with the interchange keys (see the README); \
            --as says what each row is: organizations, people, sites or activities.

            Examples:
              solidarity import backup.json
              solidarity import --csv allies.csv --as organizations
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("A JSON file written by `solidarity export`.", valueName: "file"))
    var file: String?
    @Option(help: ArgumentHelp("A CSV spreadsheet to import instead (needs --as).", valueName: "file"))
    var csv: String?
    @Option(name: .customLong("as"), help: ArgumentHelp("What each CSV row is: organizations, people, sites or activities.", valueName: "kind"))
    var kind: SpreadsheetKind?
    @Flag(help: "Replace records that exist with other content by the file's version.")
    var update = false

    func validate() throws {
        switch (file, csv) {
        case (nil, nil): throw ValidationError("Give a JSON FILE to import, or --csv FILE --as KIND.")
        case (.some, .some): throw ValidationError("Give either a JSON FILE or --csv FILE, not both.")
        default: break
        }
        if csv != nil, kind == nil { throw ValidationError("--csv needs --as organizations, people, sites or activities.") }
        if csv == nil, kind != nil { throw ValidationError("--as goes with --csv FILE.") }
    }

    func run() throws {
        let path = file ?? csv!
        // Mapped, not read: the file's bytes stay the page cache's, and a clean file is decoded a record at a time.
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else {
            throw SolidarityError(.notFound, "Cannot read \(path): check the path and that you may read it.")
        }
        let db = try store.open(.write)
        let report: LoadReport
        if let kind {
            report = try db.importSpreadsheet(data, name: path, as: kind, update: update)
        } else {
            report = try db.importDocument(data, name: path, update: update)
        }
        Terminal.say("Imported \(path): \(report.added) added, \(report.updated) updated, \(report.unchanged) already present.")
    }
}

extension SpreadsheetKind: ExpressibleByArgument {}

/// Files the tool writes hold personal data: they are owner-only.
enum OutputFile {
    static func write(_ data: Data, to path: String) throws {
        let manager = FileManager.default
        if !manager.fileExists(atPath: path), !manager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) {
            throw SolidarityError(.database, "Cannot create \(path): \(String(cString: strerror(errno)).lowercased()). Choose another --output.")
        }
        do {
            // Only a file is made owner-only: not a device such as /dev/null, nor a pipe.
            if isRegularFile(path) { try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path) }
            try data.write(to: URL(fileURLWithPath: path))
        } catch {
            throw SolidarityError(.database, "Cannot write \(path): \(error.localizedDescription). Choose another --output.")
        }
    }

    /// Hands `body` a function that writes to `path`, chunk by chunk. A file is written beside
    /// itself, owner-only, and takes the place of `path` only once complete, so a failed or
    /// interrupted write leaves what was there; a device or pipe (/dev/null, /dev/stdout) is written directly.
    static func stream<T>(to path: String, _ body: ((Data) throws -> Void) throws -> T) throws -> T {
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
            guard let handle = FileHandle(forWritingAtPath: path) else {
                throw SolidarityError(.database, "Cannot write \(path): \(String(cString: strerror(errno)).lowercased()). Choose another --output.")
            }
            defer { try? handle.close() }
            return try body { data in
                do { try handle.write(contentsOf: data) } catch {
                    throw SolidarityError(.database, "Cannot write \(path): \(error.localizedDescription). Choose another --output.")
                }
            }
        }
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath()
        let partial = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).\(getpid()).partial").path
        unlink(partial)
        let descriptor = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw SolidarityError(.database, "Cannot create \(path): \(String(cString: strerror(errno)).lowercased()). Choose another --output.")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            let result = try body { data in
                do { try handle.write(contentsOf: data) } catch {
                    throw SolidarityError(.database, "Cannot write \(path): \(error.localizedDescription). Choose another --output.")
                }
            }
            try handle.close()
            guard rename(partial, target.path) == 0 else {
                throw SolidarityError(.database, "Cannot write \(path): \(String(cString: strerror(errno)).lowercased()). Choose another --output.")
            }
            return result
        } catch {
            try? handle.close()
            unlink(partial)
            throw error
        }
    }

    private static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }
}
