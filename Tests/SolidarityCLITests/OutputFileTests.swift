import Foundation
import SolidarityCore
import Testing

// Files written with --output (export, calendar, appendix in every format): never over the
// database, never through a symbolic link, owner-only from their first byte, and no hidden
// partial file left behind by an interrupted or killed write.

/// Every command that writes a file with --output, by the name of the file it writes.
private let outputCommands: [(name: String, arguments: [String])] = [
    ("export.json", ["export"]),
    ("calendar.ics", ["calendar"]),
    ("appendix.md", ["appendix", "ue-79-international-solidarity"]),
    ("appendix.html", ["appendix", "ue-79-international-solidarity", "--format", "html"]),
    ("appendix.docx", ["appendix", "ue-79-international-solidarity", "--format", "docx"]),
    ("appendix.odt", ["appendix", "ue-79-international-solidarity", "--format", "odt"]),
]

extension CommandLine {
    /// A new test folder with a seeded database whose home is UE.
    static func seeded() throws -> CommandLine {
        let cli = try CommandLine()
        let created = try cli.run("init", "--seed", "--home", "ue")
        #expect(created.status == 0, "\(created.stderr)")
        return cli
    }

    /// The hidden partial files in `folder` (the test's folder unless given).
    func partialFiles(in folder: URL? = nil) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: (folder ?? self.folder).path).filter { $0.hasSuffix(".partial") }.sorted()
    }
}

@Suite("--output never replaces the database or a file behind a link")
struct OutputTargetTests {
    @Test("an output naming the database, its -wal, -shm or -journal, a hard or a symbolic link to it is refused with exit 64, the database unchanged")
    func databaseRefused() throws {
        let cli = try CommandLine.seeded()
        defer { cli.cleanUp() }
        try cli.checkpoint()
        let database = try Data(contentsOf: URL(fileURLWithPath: cli.db))
        let absent = DatabaseFiles(database: cli.db).companions.filter { !FileManager.default.fileExists(atPath: $0) }
        let hardLink = cli.folder.appendingPathComponent("hard-link.json").path
        let symbolicLink = cli.folder.appendingPathComponent("symbolic-link.json").path
        #expect(link(cli.db, hardLink) == 0)
        try FileManager.default.createSymbolicLink(atPath: symbolicLink, withDestinationPath: cli.db)
        let sub = cli.folder.appendingPathComponent("sub")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        let targets = [
            cli.db, cli.db + "-wal", cli.db + "-shm", cli.db + "-journal", hardLink, symbolicLink,
            // The same name spelt through another folder.
            sub.appendingPathComponent("../solidarity.sqlite-wal").path,
            sub.appendingPathComponent("../solidarity.sqlite").path,
        ]
        for (_, arguments) in outputCommands {
            for target in targets {
                let refused = try cli.run(arguments + ["--output", target])
                #expect(refused.status == 64, "\(arguments) --output \(target): \(refused.stderr)")
                #expect(refused.stderr.contains("database"), "\(refused.stderr)")
                #expect(try Data(contentsOf: URL(fileURLWithPath: cli.db)) == database, "\(arguments) --output \(target)")
            }
        }
        for companion in absent {
            #expect(!FileManager.default.fileExists(atPath: companion), "nothing was written as \(companion)")
        }
        #expect(try cli.partialFiles().isEmpty)
        #expect(try cli.soundnessProblems() == [])
        let opened = try cli.run("org", "show", "ue")
        #expect(opened.status == 0 && opened.stdout.contains("United Electrical"), "\(opened.stderr)")
    }

    @Test("an output that is a symbolic link is refused with exit 64, naming its target, which is left as it was")
    func symbolicLinkRefused() throws {
        let cli = try CommandLine.seeded()
        defer { cli.cleanUp() }
        let target = cli.folder.appendingPathComponent("mine.txt").path
        try "my own notes\n".write(toFile: target, atomically: false, encoding: .utf8)
        let dangling = cli.folder.appendingPathComponent("nothing-yet.txt").path
        for (name, arguments) in outputCommands {
            for destination in [target, dangling] {
                let link = cli.folder.appendingPathComponent("link-" + name).path
                try? FileManager.default.removeItem(atPath: link)
                try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: destination)
                let refused = try cli.run(arguments + ["--output", link])
                #expect(refused.status == 64, "\(arguments) --output \(link): \(refused.stderr)")
                #expect(refused.stderr.contains("symbolic link to \(destination)"), "\(refused.stderr)")
                #expect(try String(contentsOfFile: target, encoding: .utf8) == "my own notes\n")
                #expect(!FileManager.default.fileExists(atPath: dangling), "nothing was written behind the link")
                #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == destination, "the link is still a link")
            }
        }
        #expect(try cli.partialFiles().isEmpty)
    }

    @Test("names relative to the current folder, one letter long included, are checked and written the same way")
    func relativeNames() throws {
        let cli = try CommandLine.seeded()
        defer { cli.cleanUp() }
        try FileManager.default.createSymbolicLink(atPath: cli.folder.appendingPathComponent("l").path, withDestinationPath: "x")
        /// Runs `solidarity ARGS --db solidarity.sqlite` in the test's folder.
        func runHere(_ arguments: String...) throws -> Int32 {
            let process = CommandLine.process(arguments + ["--db", "solidarity.sqlite"])
            process.currentDirectoryURL = cli.folder
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }
        #expect(try runHere("export", "--output", "x") == 0)
        #expect(try String(contentsOf: cli.folder.appendingPathComponent("x"), encoding: .utf8).contains("solidarity/1"))
        #expect(try runHere("calendar", "--output", "l") == 64)
        #expect(try runHere("calendar", "--output", "solidarity.sqlite-wal") == 64)
        #expect(try runHere("calendar", "--output", "./solidarity.sqlite") == 64)
        #expect(try cli.soundnessProblems() == [])
        #expect(try cli.partialFiles().isEmpty)
    }

    @Test("a symbolic link to a device such as /dev/null is written through, as a pipe or terminal is")
    func deviceLinkWritten() throws {
        let cli = try CommandLine.seeded()
        defer { cli.cleanUp() }
        let link = cli.folder.appendingPathComponent("discard.json").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/null")
        let written = try cli.run("export", "--output", link)
        #expect(written.status == 0, "\(written.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "/dev/null")
    }
}

@Suite("--output files are owner-only from their first byte")
struct OutputPermissionTests {
    /// The permission bits of the file at `path`, not following a link.
    static func mode(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & 0o7777 : nil
    }

    @Test("under umask 000 a docx or odt appendix is never seen with group or other permissions, and ends owner-only")
    func pandocOwnerOnly() throws {
        let cli = try CommandLine.seeded()
        defer { cli.cleanUp() }
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/pandoc") || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/pandoc"),
                     "pandoc is missing: run script/bootstrap")
        let folder = cli.folder.appendingPathComponent("appendices")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for format in ["docx", "odt"] {
            let output = folder.appendingPathComponent("appendix.\(format)").path
            let process = CommandLine.process(["appendix", "ue-79-international-solidarity", "--format", format, "--output", output, "--db", cli.db], umask: 0)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Every file that appears in the folder while the appendix is written, with its mode.
            var seen: [String: mode_t] = [:]
            repeat {
                for entry in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
                    if let mode = Self.mode(folder.appendingPathComponent(entry).path), mode & 0o077 != 0 { seen[entry] = mode }
                }
            } while process.isRunning
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            #expect(seen.isEmpty, "files readable by others during the run: \(seen.mapValues { String($0, radix: 8) })")
            #expect(Self.mode(output) == 0o600)
            let data = try Data(contentsOf: URL(fileURLWithPath: output))
            #expect(data.starts(with: Array("PK".utf8)), "a \(format) file is a zip archive")
        }
    }

    @Test("when pandoc fails, nothing is left under the output's name nor beside it")
    func pandocFailureLeavesNothing() throws {
        let cli = try CommandLine.seeded()
        defer { cli.cleanUp() }
        // A pandoc that writes part of a document where it is told to, then fails.
        let bin = cli.folder.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let pandoc = bin.appendingPathComponent("pandoc").path
        try """
            #!/bin/sh
            out=-
            while [ $# -gt 0 ]; do [ "$1" = --output ] && out=$2; shift; done
            cat > /dev/null
            if [ "$out" = - ]; then printf 'PK partial'; else printf 'PK partial' > "$out"; fi
            echo "pandoc: out of memory" >&2
            exit 1
            """.write(toFile: pandoc, atomically: false, encoding: .utf8)
        #expect(chmod(pandoc, 0o700) == 0)
        let output = cli.folder.appendingPathComponent("appendix.docx").path
        let failed = try cli.run(["appendix", "ue-79-international-solidarity", "--format", "docx", "--output", output],
                                 environment: ["PATH": bin.path + ":/usr/bin:/bin"])
        #expect(failed.status == 1 && failed.stderr.contains("out of memory"), "\(failed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output), "no partial document under the final name")
        #expect(try cli.partialFiles().isEmpty)
    }
}

@Suite("--output leaves no hidden partial file behind")
struct PartialFileTests {
    /// A database with `count` organizations more than the Seeds, each with a long note: its export
    /// takes long enough to be interrupted while it is written.
    static func large(_ cli: CommandLine, count: Int) throws {
        let note = String(repeating: "Minutes of a long meeting on the shop floor. ", count: 40)
        let organizations = (0..<count).map { ["handle": "big-\($0)", "name": "Big Union Number \($0)", "kind": "union", "country": "MX", "notes": note] }
        let file = cli.folder.appendingPathComponent("large.json")
        try JSONSerialization.data(withJSONObject: ["format": "solidarity/1", "organizations": organizations]).write(to: file)
        let imported = try cli.run("import", file.path)
        try #require(imported.status == 0, "\(imported.stderr)")
        try FileManager.default.removeItem(at: file)
    }

    @Test("SIGTERM, SIGINT or SIGHUP in the middle of an export removes its partial file, with exit status 128 + the signal")
    func interrupted() throws {
        let cli = try CommandLine.seeded()
        defer { cli.cleanUp() }
        try Self.large(cli, count: 20_000)
        let output = cli.folder.appendingPathComponent("x.json").path
        for signal in [SIGTERM, SIGINT, SIGHUP] {
            let process = CommandLine.process(["export", "--output", output, "--db", cli.db])
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // The signal goes as soon as the partial file is there, while the export writes it.
            var signalled = false
            while process.isRunning, !signalled {
                if try !cli.partialFiles().isEmpty {
                    kill(process.processIdentifier, signal)
                    signalled = true
                }
            }
            process.waitUntilExit()
            try #require(signalled, "the export finished before its partial file was seen: make the database larger")
            #expect(process.terminationReason == .exit && process.terminationStatus == 128 + signal, "signal \(signal)")
            #expect(try cli.partialFiles().isEmpty, "signal \(signal)")
            #expect(!FileManager.default.fileExists(atPath: output), "signal \(signal)")
        }
    }

    @Test("a partial file left by a process no longer alive is removed at the next write to the same file; one of a live process is kept")
    func staleRemoved() throws {
        let cli = try CommandLine.seeded()
        defer { cli.cleanUp() }
        for (name, arguments) in outputCommands {
            let dead = ".\(name).99999999.partial", live = ".\(name).\(getpid()).partial", other = ".other-\(name).99999999.partial"
            for stale in [dead, live, other] {
                try "half a file".write(to: cli.folder.appendingPathComponent(stale), atomically: false, encoding: .utf8)
            }
            let written = try cli.run(arguments + ["--output", cli.folder.appendingPathComponent(name).path])
            #expect(written.status == 0, "\(arguments): \(written.stderr)")
            let left = try cli.partialFiles()
            #expect(!left.contains(dead), "\(name): the dead process's partial file is removed")
            #expect(left.contains(live), "\(name): a live process's partial file is kept")
            #expect(left.contains(other), "\(name): another file's partial file is kept")
        }
    }
}
