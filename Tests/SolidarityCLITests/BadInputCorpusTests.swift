import Foundation
import Testing

// A generated corpus of bad input across every command of the contract: invalid dates, unknown
// and ambiguous references, invalid UTF-8, control characters, empty strings, wrong JSON types,
// 1 MB fields and broken spreadsheets. Each is refused with a message on stderr, exit 64 (usage)
// or 1 (the data cannot do it), no crash, and the database file byte for byte as it was.
// BadInputTests.swift checks the exact messages of a hand-picked set; this checks breadth.

/// One bad input and the exit status DESIGN.md gives it.
struct BadInput: Sendable {
    /// The arguments; "@name" stands for a value known once the database is prepared (an id, a file path).
    var arguments: [String]
    var status: Int32
    /// Arguments as raw bytes, for those that are not valid UTF-8 (Process takes Strings only).
    var raw: [[UInt8]]?
    /// Files to write before running, by name.
    var files: [String: [UInt8]] = [:]
    /// Text stderr must hold (for instance the JSON path of each problem).
    var mentions: [String] = []

    init(_ status: Int32, _ arguments: String..., files: [String: [UInt8]] = [:], mentions: [String] = []) {
        self.init(status, arguments, files: files, mentions: mentions)
    }

    init(_ status: Int32, _ arguments: [String], files: [String: [UInt8]] = [:], mentions: [String] = []) {
        self.arguments = arguments
        self.status = status
        self.files = files
        self.mentions = mentions
    }

    init(_ status: Int32, raw: [[UInt8]]) {
        self.arguments = raw.map { String(decoding: $0, as: UTF8.self) }
        self.status = status
        self.raw = raw
    }

    var label: String { arguments.map { $0.count > 60 ? String($0.prefix(60)) + "…" : $0 }.joined(separator: " ").debugDescription }
}

/// The commands of the command-line contract (as `../shared/contract-check` lists them).
let contractCommands = [
    "init", "home", "migrate", "seed",
    "org add", "org list", "org show", "org edit", "org remove",
    "person add", "person list", "person show", "person edit", "person remove",
    "relate", "relationship list", "relationship end",
    "employer add", "employer list", "employer show",
    "site add", "site list", "site represent",
    "allies", "shared-employers", "graph",
    "delegation log", "delegation list", "delegation show", "delegation edit", "delegation remove",
    "activity log", "activity list", "activity show", "activity edit", "activity remove",
    "timeline", "followup list", "followup done", "stale", "calendar",
    "convention add", "convention list", "convention show",
    "resolution add", "resolution list", "resolution show", "resolution edit", "resolution link", "resolution unlink",
    "appendix", "search", "import", "export",
    "webhook add", "webhook list", "webhook remove", "webhook disable", "webhook enable", "webhook rotate-secret",
    "webhook test", "webhook deliver", "webhook deliveries", "webhook replay",
]

/// A prepared database that every refused command must leave byte for byte as it was.
///
/// Prepared: the Seeds with UE as home, plus names that are ambiguous on purpose ("CGT", "Maria
/// Lopez", "Acme Rail", "Plant One", "Annual Convention", "International Solidarity"), a
/// delegation with a follow-up, a meeting and a webhook endpoint whose ids the cases use.
struct GuardedDatabase {
    let cli: CommandLine
    let pristine: String
    let bytes: Data
    let values: [String: String]

    init() throws {
        let cli = try CommandLine.inProcess()
        self.cli = cli
        func run(_ arguments: [String]) throws -> CommandLine.Result {
            let result = try cli.run(arguments + ["--no-notify"])
            try #require(result.status == 0, "\(arguments): \(result.stderr)")
            return result
        }
        func firstID(_ arguments: String...) throws -> String {
            let listed = try run(arguments + ["--format", "json"])
            let array = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
            return try #require(array.first?["id"] as? String, "\(arguments)")
        }
        let text = cli.folder.appendingPathComponent("resolution.md").path
        try "Solidarity knows no borders.\n\nTHEREFORE, BE IT RESOLVED:\n\n1. Builds links with the FAT;\n".write(toFile: text, atomically: true, encoding: .utf8)
        let setup: [[String]] = [
            ["init", "--seed", "--home", "ue"],
            ["org", "add", "Confederación General del Trabajo", "--acronym", "CGT", "--country", "ES", "--kind", "confederation"],
            ["person", "add", "Maria Lopez", "--org", "fat", "--title", "Secretary"],
            ["person", "add", "Maria Lopez", "--org", "cut", "--title", "Organizer"],
            ["employer", "add", "Acme Rail", "--country", "US"], ["employer", "add", "Acme Rail", "--country", "BR"],
            ["site", "add", "Plant One", "--employer", "wabtec", "--country", "US"], ["site", "add", "Plant One", "--employer", "wabtec", "--country", "BR"],
            ["convention", "add", "--org", "fat", "--name", "Annual Convention", "--start", "2024"],
            ["convention", "add", "--org", "unifor", "--name", "Annual Convention", "--start", "2024"],
            ["convention", "add", "--org", "ue", "--name", "80th UE Convention", "--number", "80", "--start", "2027-08"],
            ["resolution", "add", "--convention", "ue-80", "--title", "International Solidarity", "--file", text],
            ["delegation", "log", "--title", "Delegation to Korea", "--to", "KR", "--start", "2026-05", "--host", "kctu",
             "--follow-up", "Book flights", "--due", "2026-03"],
            ["activity", "log", "--kind", "meeting", "--title", "Meeting with the FAT", "--start", "2025-01", "--participant", "fat"],
            ["webhook", "add", "http://127.0.0.1:9/hooks"],
        ]
        for arguments in setup { _ = try run(arguments) }
        let values = [
            "@delegation": try firstID("delegation", "list", "--since", "2026"),
            "@meeting": try firstID("activity", "list", "--kind", "meeting"),
            "@followup": try firstID("followup", "list"),
            "@endpoint": try firstID("webhook", "list"),
        ]
        try cli.checkpoint()
        let pristine = cli.folder.appendingPathComponent("pristine.sqlite").path
        try FileManager.default.copyItem(atPath: cli.db, toPath: pristine)
        self.values = values
        self.pristine = pristine
        self.bytes = try Data(contentsOf: URL(fileURLWithPath: cli.db))
    }

    /// Runs each bad input and checks what it did; returns how many ran.
    @discardableResult
    func refuse(_ inputs: [BadInput]) throws -> Int {
        for input in inputs {
            for (name, content) in input.files {
                _ = FileManager.default.createFile(atPath: cli.folder.appendingPathComponent(name).path, contents: Data(content))
            }
            let arguments = input.arguments.map { argument in
                values[argument] ?? (input.files[argument] != nil ? cli.folder.appendingPathComponent(argument).path : argument)
            }
            let result = try input.raw.map { try RawCommandLine.run($0 + [Array("--db".utf8), Array(cli.db.utf8)]) } ?? cli.run(arguments)
            let said = result.stderr
            #expect(!result.signaled && result.status == input.status,
                    "\(input.label): exit \(result.status)\(result.signaled ? " (signal)" : ""), expected \(input.status): \(said.prefix(300))")
            #expect(said.hasPrefix("Error: ") && said.count > 20, "\(input.label): stderr \(said.prefix(300).debugDescription)")
            #expect(!said.contains("Fatal error") && !said.contains("Stack dump") && !said.contains("SQLite error"), "\(input.label): \(said.prefix(500))")
            #expect(said.utf8.count <= 2_000, "\(input.label): \(said.utf8.count) bytes on stderr, quoting more than an excerpt: \(said.prefix(300))")
            // (init says the database is ready before it looks for the home organization.)
            #expect(result.stdout.isEmpty || input.arguments.first == "init", "\(input.label) printed \(result.stdout.prefix(200).debugDescription)")
            for mention in input.mentions {
                #expect(said.contains(mention), "\(input.label): stderr does not name \(mention): \(said.prefix(600))")
            }
            try cli.checkpoint()
            if try Data(contentsOf: URL(fileURLWithPath: cli.db)) != bytes {
                Issue.record("\(input.label) changed the database file (exit \(result.status))")
                try cli.restore(pristine)
            }
        }
        return inputs.count
    }
}

/// Runs the binary with raw-byte arguments, which may be invalid UTF-8, through posix_spawn.
enum RawCommandLine {
    static func run(_ arguments: [[UInt8]]) throws -> CommandLine.Result {
        let folder = FileManager.default.temporaryDirectory
        let out = folder.appendingPathComponent("raw-\(UUID().uuidString).out").path
        let err = folder.appendingPathComponent("raw-\(UUID().uuidString).err").path
        defer { try? FileManager.default.removeItem(atPath: out); try? FileManager.default.removeItem(atPath: err) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        func cString(_ bytes: [UInt8]) -> UnsafeMutablePointer<CChar>? {
            let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
            for (index, byte) in bytes.enumerated() { pointer[index] = CChar(bitPattern: byte) }
            pointer[bytes.count] = 0
            return pointer
        }
        let path = CommandLine.binary.path
        let argv = ([Array(path.utf8)] + arguments).map(cString) + [nil]
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "SOLIDARITY_DB")
        let envp = environment.map { cString(Array("\($0.key)=\($0.value)".utf8)) } + [nil]
        defer { (argv + envp).forEach { $0?.deallocate() } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        let read = { (file: String) in String(decoding: FileManager.default.contents(atPath: file) ?? Data(), as: UTF8.self) }
        return CommandLine.Result(status: (status >> 8) & 0xFF, stdout: read(out), stderr: read(err), signaled: status & 0x7F != 0)
    }
}

@Suite("A generated corpus of bad input")
struct BadInputCorpusTests {
    static let fantasma = "Sindicato Fantasma"
    static let nobody = "Nadie Nunca Jamás"
    static let noEmployer = "Empresa Fantasma"
    static let noID = "nosuchid00"
    static let resolution = "ue-79-international-solidarity"

    /// References that match nothing (exit 1), in every command that takes one.
    static var unknownReferences: [BadInput] {
        let f = fantasma, n = nobody, e = noEmployer, id = noID
        return [
            BadInput(1, "init", "--home", f), BadInput(1, "home", f),
            BadInput(1, "org", "show", f), BadInput(1, "org", "list", "--parent", f), BadInput(1, "org", "list", "--campaign", "Campaña Fantasma"),
            BadInput(1, "org", "edit", f, "--city", "Lima"), BadInput(1, "org", "remove", f, "--yes"),
            BadInput(1, "org", "add", "Sindicato Nuevo", "--parent", f),
            BadInput(1, "person", "add", "Ana Prueba", "--org", f, "--title", "Delegate"), BadInput(1, "person", "list", "--org", f),
            BadInput(1, "person", "show", n), BadInput(1, "person", "edit", n, "--phone", "+1 555 0100"), BadInput(1, "person", "remove", n, "--yes"),
            BadInput(1, "relate", f, "ue", "--kind", "ally"), BadInput(1, "relate", "ue", f, "--kind", "partner"),
            BadInput(1, "relationship", "list", "--org", f), BadInput(1, "relationship", "end", f, "ue", "--kind", "ally"),
            BadInput(1, "relationship", "end", "ue", "atm", "--kind", "ally"),
            BadInput(1, "employer", "add", "Nueva Empresa", "--parent", e), BadInput(1, "employer", "show", e),
            BadInput(1, "site", "add", "Planta Nueva", "--employer", e, "--country", "MX"),
            BadInput(1, "site", "add", "Planta Nueva", "--employer", "wabtec", "--country", "MX", "--union", f),
            BadInput(1, "site", "list", "--employer", e), BadInput(1, "site", "list", "--union", f),
            BadInput(1, "site", "represent", "Planta Fantasma", "cut"), BadInput(1, "site", "represent", "Wabtec workers in Brazil", f),
            BadInput(1, "allies", "--employer", e), BadInput(1, "shared-employers", "ue", f),
            BadInput(1, "graph", "--employer", e), BadInput(1, "graph", "--org", f),
            BadInput(1, "delegation", "log", "--title", "Trip", "--met", f), BadInput(1, "delegation", "log", "--title", "Trip", "--delegate", n),
            BadInput(1, "delegation", "list", "--person", n), BadInput(1, "delegation", "list", "--employer", e),
            BadInput(1, "delegation", "show", id), BadInput(1, "delegation", "edit", id, "--status", "done"),
            BadInput(1, "delegation", "edit", "@delegation", "--host", f), BadInput(1, "delegation", "remove", id, "--yes"),
            BadInput(1, "activity", "log", "--kind", "meeting", "--title", "Call", "--participant", f), BadInput(1, "activity", "list", "--org", f),
            BadInput(1, "activity", "show", id), BadInput(1, "activity", "edit", id, "--title", "Renamed"), BadInput(1, "activity", "remove", id, "--yes"),
            BadInput(1, "timeline", f), BadInput(1, "followup", "done", id),
            BadInput(1, "convention", "add", "--org", f, "--name", "First Congress"), BadInput(1, "convention", "list", "--org", f),
            BadInput(1, "convention", "show", "fantasma-1999"),
            BadInput(1, "resolution", "add", "--convention", "fantasma-1999", "--title", "Solidarity", "--file", "clauses.md",
                     files: ["clauses.md": Array("Preamble.\n\nTHEREFORE, BE IT RESOLVED:\n\n1. Builds links;\n".utf8)]),
            BadInput(1, "resolution", "list", "--convention", "fantasma-1999"), BadInput(1, "resolution", "show", "fantasma-resolution"),
            BadInput(1, "resolution", "edit", "fantasma-resolution", "--status", "adopted"),
            BadInput(1, "resolution", "link", resolution, f), BadInput(1, "resolution", "unlink", resolution, f),
            BadInput(1, "resolution", "unlink", resolution, "atm"), BadInput(1, "appendix", "fantasma-resolution"),
            BadInput(1, "webhook", "remove", id), BadInput(1, "webhook", "disable", id), BadInput(1, "webhook", "enable", id),
            BadInput(1, "webhook", "rotate-secret", id), BadInput(1, "webhook", "test", id), BadInput(1, "webhook", "deliveries", "--endpoint", id),
            BadInput(1, "webhook", "replay", id),
            BadInput(1, "import", "/nonexistent/backup.json"), BadInput(1, "import", "--csv", "/nonexistent/allies.csv", "--as", "organizations"),
            BadInput(1, "export", "--output", "/nonexistent/folder/export.json"),
            BadInput(1, "calendar", "--output", "/nonexistent/folder/feed.ics"),
        ]
    }

    /// References that match more than one record (exit 1).
    static var ambiguousReferences: [BadInput] {
        let o = "CGT", p = "Maria Lopez", e = "Acme Rail"
        return [
            BadInput(1, "init", "--home", o), BadInput(1, "home", o), BadInput(1, "org", "show", o), BadInput(1, "org", "edit", o, "--city", "Paris"),
            BadInput(1, "org", "remove", o, "--yes"), BadInput(1, "org", "add", "Union Locale", "--parent", o), BadInput(1, "org", "list", "--parent", o),
            BadInput(1, "person", "add", "Ana Prueba", "--org", o, "--title", "Delegate"), BadInput(1, "person", "list", "--org", o),
            BadInput(1, "relate", o, "ue", "--kind", "ally"), BadInput(1, "relationship", "list", "--org", o),
            BadInput(1, "relationship", "end", o, "ue", "--kind", "ally"),
            BadInput(1, "site", "add", "Usine", "--employer", "wabtec", "--country", "FR", "--union", o),
            BadInput(1, "site", "represent", "Wabtec workers in Brazil", o), BadInput(1, "shared-employers", "ue", o), BadInput(1, "graph", "--org", o),
            BadInput(1, "delegation", "log", "--title", "Trip", "--host", o), BadInput(1, "delegation", "list", "--org", o),
            BadInput(1, "activity", "log", "--kind", "webinar", "--title", "Webinar", "--participant", o), BadInput(1, "activity", "list", "--org", o),
            BadInput(1, "timeline", o), BadInput(1, "convention", "add", "--org", o, "--name", "Congrès"), BadInput(1, "convention", "list", "--org", o),
            BadInput(1, "resolution", "link", resolution, o), BadInput(1, "resolution", "unlink", resolution, o),
            BadInput(1, "person", "show", p), BadInput(1, "person", "edit", p, "--phone", "+52 55 0100"), BadInput(1, "person", "remove", p, "--yes"),
            BadInput(1, "delegation", "log", "--title", "Trip", "--delegate", p), BadInput(1, "delegation", "list", "--person", p),
            BadInput(1, "employer", "show", e), BadInput(1, "employer", "add", "Acme Rail Services", "--parent", e),
            BadInput(1, "site", "add", "Acme Shop", "--employer", e, "--country", "US"), BadInput(1, "site", "list", "--employer", e),
            BadInput(1, "allies", "--employer", e), BadInput(1, "graph", "--employer", e), BadInput(1, "delegation", "log", "--title", "Trip", "--employer", e),
            BadInput(1, "site", "represent", "Plant One", "ue-local-506"),
            BadInput(1, "convention", "show", "Annual Convention"), BadInput(1, "resolution", "list", "--convention", "Annual Convention"),
            BadInput(1, "resolution", "show", "International Solidarity"), BadInput(1, "resolution", "edit", "International Solidarity", "--status", "adopted"),
            BadInput(1, "appendix", "International Solidarity"),
        ]
    }

    /// Dates invalid on their face (exit 64), each date option given two of them in turn.
    static var invalidDates: [BadInput] {
        let dates = ["2024-13", "2025-02-30", "2023-02-29", "2024-00", "2024-05-00", "24", "2024/05", "May 2024", "2024-5-1",
                     "2024-05-01T10:00:00Z", "", "２０２４", "-2024", "2024-05-32", "20245"]
        let options: [(String) -> [String]] = [
            { ["relate", "ue", "atm", "--kind", "ally", "--since", $0] },
            { ["relate", "ue", "atm", "--kind", "ally", "--until", $0] },
            { ["relationship", "end", "ue", "fat", "--kind", "ally", "--on", $0] },
            { ["person", "add", "Ana Prueba", "--org", "fat", "--title", "Secretary", "--since", $0] },
            { ["site", "add", "Planta Nueva", "--employer", "wabtec", "--country", "BR", "--union", "cut", "--since", $0] },
            { ["site", "represent", "Wabtec workers in Brazil", "cut", "--since", $0] },
            { ["site", "represent", "Wabtec workers in Brazil", "cut", "--until", $0] },
            { ["allies", "--employer", "wabtec", "--as-of", $0] },
            { ["delegation", "log", "--title", "Trip", "--start", $0] },
            { ["delegation", "log", "--title", "Trip", "--start", "2024", "--end", $0] },
            { ["delegation", "log", "--title", "Trip", "--follow-up", "Call back", "--due", $0] },
            { ["delegation", "list", "--since", $0] },
            { ["delegation", "list", "--until", $0] },
            { ["delegation", "edit", "@delegation", "--start", $0] },
            { ["activity", "log", "--kind", "call", "--title", "Call", "--start", $0] },
            { ["activity", "list", "--since", $0] },
            { ["activity", "edit", "@meeting", "--end", $0] },
            { ["followup", "done", "@followup", "--on", $0] },
            { ["convention", "add", "--org", "ue", "--name", "81st UE Convention", "--start", $0] },
            { ["appendix", resolution, "--since", $0] },
            { ["appendix", resolution, "--until", $0] },
            { ["webhook", "replay", "--failed", "--since", $0] },
            { ["org", "add", "Sindicato Nuevo", "--members", "10", "--members-as-of", $0] },
        ]
        return options.enumerated().flatMap { index, option in
            (0..<2).map { k in BadInput(64, option(dates[(index * 2 + k) % dates.count])) }
        }
    }

    /// Control characters (exit 64) wherever text goes; line breaks and tabs too where a name or title goes, which is one line.
    static var controlCharacters: [BadInput] {
        let controls = ["Union\u{1B}[31m Red", "Bell\u{07}Union", "Back\u{08}space", "Del\u{7F}ete", "Vertical\u{0B}Tab", "Form\u{0C}Feed",
                        "Next\u{85}Line", "C1\u{9B}2J", "\u{1B}]0;title\u{07}"]
        let breaks = ["Two\nLines", "Tab\tUnion", "Carriage\rReturn"]
        let names: [(String) -> [String]] = [
            { ["org", "add", $0] }, { ["person", "add", $0] }, { ["employer", "add", $0] },
            { ["site", "add", $0, "--employer", "wabtec", "--country", "US"] },
            { ["convention", "add", "--org", "ue", "--name", $0, "--start", "2029"] },
            { ["delegation", "log", "--title", $0] }, { ["activity", "log", "--kind", "call", "--title", $0] },
            { ["person", "add", "Ana Prueba", "--org", "fat", "--title", $0] },
            { ["org", "add", "Sindicato Nuevo", "--acronym", $0] }, { ["org", "add", "Sindicato Nuevo", "--city", $0] },
            { ["org", "add", "Sindicato Nuevo", "--alias", $0 + "@es"] }, { ["delegation", "log", "--title", "Trip", "--follow-up", $0] },
        ]
        let texts: [(String) -> [String]] = [
            { ["org", "edit", "ue", "--notes", $0] }, { ["search", $0] }, { ["delegation", "log", "--title", "Trip", "--purpose", $0] },
            { ["relate", "ue", "atm", "--kind", "ally", "--notes", $0] },
        ]
        let all: [String] = controls + breaks
        var inputs: [BadInput] = []
        for (index, place) in names.enumerated() {
            for k in 0..<2 { inputs.append(BadInput(64, place(all[(index * 2 + k) % all.count]))) }
        }
        for (index, place) in texts.enumerated() {
            for k in 0..<2 { inputs.append(BadInput(64, place(controls[(index * 2 + k + 5) % controls.count]))) }
        }
        // Invisible and direction-changing characters where a name goes (notes may hold them).
        inputs += [BadInput(64, "org", "add", "Frente \u{202E}TAF", mentions: ["U+202E RIGHT-TO-LEFT OVERRIDE"]),
                   BadInput(64, "org", "add", "Sindicato Nuevo", "--acronym", "F\u{200B}AT", mentions: ["U+200B ZERO WIDTH SPACE"]),
                   BadInput(64, "person", "add", "Ana \u{2066}Prueba\u{2069}", mentions: ["U+2066 LEFT-TO-RIGHT ISOLATE"])]
        return inputs
    }

    /// Arguments that are not valid UTF-8 (exit 64).
    static var invalidUTF8: [BadInput] {
        let bytes: [[UInt8]] = [[0xFF], [0x55, 0x6E, 0x69, 0xF3, 0x6E], [0xC3], [0xE2, 0x82], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80]]
        let places: [([UInt8]) -> [[UInt8]]] = [
            { [Array("org".utf8), Array("add".utf8), $0] }, { [Array("person".utf8), Array("add".utf8), $0] },
            { [Array("org".utf8), Array("show".utf8), $0] }, { [Array("search".utf8), $0] },
            { [Array("org".utf8), Array("edit".utf8), Array("ue".utf8), Array("--notes".utf8), $0] },
            { [Array("delegation".utf8), Array("log".utf8), Array("--title".utf8), Array("Trip to ".utf8) + $0] },
            { [Array("relate".utf8), $0, Array("ue".utf8), Array("--kind".utf8), Array("ally".utf8)] },
            { [Array("employer".utf8), Array("add".utf8), Array("Acero ".utf8) + $0] },
            { [Array("org".utf8), Array("list".utf8), Array("--country".utf8), $0] },
        ]
        return places.enumerated().flatMap { index, place in
            (0..<2).map { k in BadInput(64, raw: place(bytes[(index * 2 + k) % bytes.count])) }
        }
    }

    /// Empty values where a value is needed (exit 64).
    static var emptyStrings: [BadInput] {
        [
            BadInput(64, "org", "add", ""), BadInput(64, "org", "add", "   "), BadInput(64, "person", "add", ""), BadInput(64, "employer", "add", ""),
            BadInput(64, "site", "add", "", "--employer", "wabtec", "--country", "US"),
            BadInput(64, "convention", "add", "--org", "ue", "--name", ""), BadInput(64, "delegation", "log", "--title", ""),
            BadInput(64, "activity", "log", "--kind", "call", "--title", " "),
            BadInput(64, "resolution", "add", "--convention", "ue-80", "--title", "", "--file", "clauses.md",
                     files: ["clauses.md": Array("Preamble.\n\nTHEREFORE, BE IT RESOLVED:\n\n1. Builds links;\n".utf8)]),
            BadInput(64, "person", "add", "Ana Prueba", "--org", "fat", "--title", ""), BadInput(64, "org", "add", "Sindicato Nuevo", "--country", ""),
            BadInput(64, "org", "add", "Sindicato Nuevo", "--kind", ""), BadInput(64, "org", "add", "Sindicato Nuevo", "--handle", ""),
            BadInput(64, "relate", "", "ue", "--kind", "ally"), BadInput(64, "org", "show", ""), BadInput(64, "timeline", ""), BadInput(64, "home", ""),
            BadInput(64, "employer", "show", ""), BadInput(64, "person", "show", "  "), BadInput(64, "allies", "--employer", ""),
            BadInput(64, "search", ""), BadInput(64, "webhook", "add", ""), BadInput(64, "delegation", "list", "--country", ""),
            BadInput(64, "graph", "--format", ""), BadInput(64, "stale", "--months", ""),
        ]
    }

    /// Flags missing, unknown or of the wrong form, and values invalid on their face (exit 64).
    static var usage: [BadInput] {
        [
            BadInput(64, "init", "--bogus"), BadInput(64, "home", "ue", "fat"), BadInput(64, "migrate", "--format", "yaml"), BadInput(64, "seed", "again"),
            BadInput(64, "org", "list", "--format", "xml"), BadInput(64, "org", "add", "Sindicato Nuevo", "--kind", "guild"),
            BadInput(64, "org", "add", "Sindicato Nuevo", "--members", "many"), BadInput(64, "org", "add", "Sindicato Nuevo", "--region", "QC"),
            BadInput(64, "org", "add", "Sindicato Nuevo", "--native-name", "Sindicato", "--lang", "spanish!"),
            BadInput(64, "org", "edit", "ue", "--clear", "nonsense"), BadInput(64, "org", "remove", "ue-local-506"), BadInput(64, "org", "show"),
            BadInput(64, "person", "add", "Ana Prueba", "--email", "ana(at)example"), BadInput(64, "person", "list", "--format", "pdf"),
            BadInput(64, "person", "edit", "john-miles", "--email", "nope"), BadInput(64, "person", "remove", "john-miles"),
            BadInput(64, "relate", "ue", "atm", "--kind", "enemy"), BadInput(64, "relate", "ue", "atm", "--kind", "ally", "--status", "hot"),
            BadInput(64, "relate", "ue", "--kind", "ally"), BadInput(64, "relationship", "list", "--status", "warm"),
            BadInput(64, "relationship", "end", "ue", "fat", "--kind", "friend"),
            BadInput(64, "employer", "add", "Acero", "--country", "XX"), BadInput(64, "employer", "list", "extra"),
            BadInput(64, "site", "add", "Planta", "--employer", "wabtec"), BadInput(64, "site", "list", "--country", "ZZ"),
            BadInput(64, "site", "represent", "Plant One"), BadInput(64, "allies"), BadInput(64, "allies", "--employer", "wabtec", "--country", "Brasil"),
            BadInput(64, "shared-employers", "ue"), BadInput(64, "graph", "--format", "svg"),
            BadInput(64, "delegation", "log", "--title", "Trip", "--to", "XX"), BadInput(64, "delegation", "log", "--title", "Trip", "--due", "2025"),
            BadInput(64, "delegation", "list", "--status", "maybe"), BadInput(64, "delegation", "show"),
            BadInput(64, "delegation", "edit", "@delegation", "--status", "postponed"), BadInput(64, "delegation", "remove", "@delegation"),
            BadInput(64, "activity", "log", "--title", "Call"), BadInput(64, "activity", "list", "--kind", "party"),
            BadInput(64, "activity", "show", "@meeting", "--format", "yaml"), BadInput(64, "activity", "edit", "@meeting", "--status", "someday"),
            BadInput(64, "activity", "remove", "@meeting"), BadInput(64, "timeline"), BadInput(64, "followup", "list", "--format", "xml"),
            BadInput(64, "followup", "done"), BadInput(64, "stale", "--months", "many"), BadInput(64, "calendar", "extra"),
            BadInput(64, "convention", "add", "--org", "ue", "--name", "Congress", "--number", "eighty"),
            BadInput(64, "convention", "add", "--org", "ue", "--name", "Congress", "--country", "ZZ"),
            BadInput(64, "convention", "list", "--format", "xml"), BadInput(64, "convention", "show"),
            BadInput(64, "resolution", "add", "--convention", "ue-80", "--title", "Peace"), BadInput(64, "resolution", "list", "--status", "passed"),
            BadInput(64, "resolution", "show"), BadInput(64, "resolution", "edit", resolution, "--status", "passed"),
            BadInput(64, "resolution", "link", resolution, "fat", "--clause", "zero"), BadInput(64, "resolution", "unlink", resolution),
            BadInput(64, "appendix", resolution, "--format", "pdf"), BadInput(64, "search", "wabtec", "--limit", "many"),
            BadInput(64, "import"), BadInput(64, "import", "a.json", "--csv", "b.csv", "--as", "people"), BadInput(64, "import", "--as", "sites"),
            BadInput(64, "export", "--bogus"), BadInput(64, "webhook", "add", "ftp://example.org/hooks"),
            BadInput(64, "webhook", "add", "https://example.org/hooks", "--event", "everything"), BadInput(64, "webhook", "list", "--format", "xml"),
            BadInput(64, "webhook", "remove"), BadInput(64, "webhook", "disable"), BadInput(64, "webhook", "enable"), BadInput(64, "webhook", "rotate-secret"),
            BadInput(64, "webhook", "test"), BadInput(64, "webhook", "deliver", "now"), BadInput(64, "webhook", "deliveries", "--format", "xml"),
            BadInput(64, "webhook", "replay"),
        ]
    }

    @Test("bad arguments to every command of the contract: refused with a message, exit 64 or 1, the database unchanged",
          .timeLimit(.minutes(5)))
    func arguments() throws {
        let database = try GuardedDatabase()
        defer { database.cli.cleanUp() }
        let groups: [(String, [BadInput])] = [
            ("unknown references", Self.unknownReferences), ("ambiguous references", Self.ambiguousReferences),
            ("invalid dates", Self.invalidDates), ("control characters", Self.controlCharacters), ("invalid UTF-8", Self.invalidUTF8),
            ("empty strings", Self.emptyStrings), ("usage", Self.usage),
        ]
        var counts: [String] = []
        for (name, inputs) in groups {
            counts.append("\(try database.refuse(inputs)) \(name)")
        }
        print("arguments: refused " + counts.joined(separator: ", "))
        let all = groups.flatMap(\.1)
        let covered = Set(all.map { input in
            contractCommands.filter { input.arguments.starts(with: $0.split(separator: " ").map(String.init)) }.max { $0.count < $1.count } ?? ""
        })
        #expect(Set(contractCommands).subtracting(covered).sorted() == [], "every contract command gets bad arguments")
        #expect(all.count >= 200)
    }

    // MARK: Files

    /// One valid record of each section, referring to seeded records.
    nonisolated(unsafe) static let templates: [String: [String: Any]] = [
        "sources": ["id": "corpus-source", "url": "https://example.org/news", "title": "News", "publisher": "Labor Notes", "published": "2024-05",
                    "excerpt": "A line."],
        "campaigns": ["handle": "corpus-campaign", "name": "Corpus Campaign", "notes": "Notes."],
        "organizations": ["handle": "corpus-union", "name": "Corpus Union", "acronym": "CU", "kind": "union", "parent": "ue", "country": "US",
                          "region": "US-PA", "city": "Erie", "native_name": "Sindicato Corpus", "native_name_lang": "es",
                          "aliases": [["name": "Corpus", "lang": "en"]], "campaigns": [], "members": 10, "members_as_of": "2024",
                          "website": "https://example.org", "notes": "Notes.", "sensitive": false, "sources": []],
        "people": ["handle": "corpus-person", "name": "Corpus Person", "email": "corpus@example.org", "phone": "+1 555 0100", "languages": ["en"],
                   "secure_messaging": "Signal", "notes": "Notes.", "sensitive": false, "sources": [],
                   "titles": [["organization": "ue", "title": "Steward", "since": "2020", "until": NSNull()]]],
        "relationships": ["from": "ue", "to": "atm", "kind": "ally", "status": "active", "since": "2024", "until": NSNull(), "notes": "Notes.",
                          "sources": []],
        "employers": ["handle": "corpus-employer", "name": "Corpus Employer", "parent": "wabtec", "country": "US", "aliases": ["Corpus Co"],
                      "website": NSNull(), "notes": "Notes.", "sources": []],
        "sites": ["id": "corpussite", "name": "Corpus Plant", "employer": "wabtec", "country": "US", "region": NSNull(), "city": "Erie",
                  "sector": "rail", "notes": "Notes.", "sources": [], "unions": [["organization": "ue-local-506", "since": "2020", "until": NSNull()]]],
        "activities": ["id": "corpusactv", "kind": "meeting", "title": "Corpus Meeting", "status": "done", "hosted": false, "virtual": false,
                       "start": "2024-05", "end": NSNull(), "itinerary": [["country": "MX", "city": "Monterrey"]],
                       "organizations": [["organization": "fat", "role": "participant"]], "people": [["person": "john-miles", "role": "delegate"]],
                       "employers": ["wabtec"], "campaigns": [], "purpose": "Purpose.", "outcomes": "Outcomes.", "notes": "Notes.",
                       "follow_ups": [["id": "corpusfoll", "text": "Send minutes", "due": "2024-06", "done": NSNull()]],
                       "sensitive": false, "sources": []],
        "conventions": ["handle": "ue-81", "organization": "ue", "name": "81st UE Convention", "number": 81, "start": "2029-08", "end": NSNull(),
                        "city": "Pittsburgh", "country": "US", "notes": NSNull()],
        "resolutions": ["handle": "ue-79-corpus", "convention": "ue-79", "title": "Corpus", "status": "adopted", "preamble": "Whereas.",
                        "clauses": [["text": "Builds links;", "organizations": ["fat"]]], "employers": [], "notes": NSNull(), "sources": []],
    ]

    static func document(_ section: String, _ records: [[String: Any]]) -> [UInt8] {
        let object: [String: Any] = ["format": "solidarity/1", section: records]
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }

    /// A value of the wrong JSON type for the template's value.
    static func wrongType(_ value: Any) -> Any {
        switch value {
        case is String: return 42
        case is Bool: return "yes"
        case is Int: return "many"
        case is [Any]: return "a list was expected"
        case is [String: Any]: return 7
        default: return ["not", "text"]
        }
    }

    /// For each section, a file whose record k has key k of the wrong type: every problem named by its path.
    static var wrongTypes: [BadInput] {
        templates.keys.sorted().map { section in
            let template = templates[section]!
            let keys = template.keys.sorted()
            let records = keys.enumerated().map { index, key -> [String: Any] in
                var record = template
                record[key] = wrongType(template[key]!)
                for identity in ["handle", "id"] where key != identity && record[identity] != nil { record[identity] = "\(template[identity]!)-\(index)" }
                return record
            }
            return BadInput(64, "import", "\(section)-types.json", files: ["\(section)-types.json": document(section, records)],
                            mentions: keys.enumerated().map { "$.\(section)[\($0.offset)].\($0.element)" })
        }
    }

    static let megabyte = String(repeating: "Solidaridad ", count: 90_000)

    static var importFiles: [BadInput] {
        func file(_ status: Int32, _ name: String, _ bytes: [UInt8], mentions: [String] = []) -> BadInput {
            BadInput(status, "import", name, files: [name: bytes], mentions: mentions)
        }
        func record(_ section: String, _ changes: [String: Any]) -> [UInt8] {
            document(section, [templates[section]!.merging(changes) { $1 }])
        }
        let text = { (json: String) in Array(json.utf8) }
        return [
            // 1 MB in one field.
            file(64, "mb-org-name.json", record("organizations", ["name": megabyte]), mentions: ["$.organizations[0]"]),
            file(64, "mb-org-notes.json", record("organizations", ["notes": megabyte]), mentions: ["$.organizations[0]"]),
            file(64, "mb-person.json", record("people", ["name": megabyte]), mentions: ["$.people[0]"]),
            file(64, "mb-activity.json", record("activities", ["purpose": megabyte]), mentions: ["$.activities[0]"]),
            file(64, "mb-clause.json", record("resolutions", ["clauses": [["text": megabyte, "organizations": []]]]), mentions: ["$.resolutions[0]"]),
            file(64, "mb-source.json", record("sources", ["excerpt": megabyte]), mentions: ["$.sources[0]"]),
            file(64, "mb-handle.json", record("employers", ["handle": String(repeating: "a", count: 1 << 20)]), mentions: ["$.employers[0]"]),
            // Control characters, among them NUL, which C strings would cut short.
            file(64, "nul.json", text(#"{"format": "solidarity/1", "organizations": [{"handle": "nul-union", "name": "Nul\u0000Union", "kind": "union"}]}"#)),
            file(64, "escape.json", record("people", ["name": "Ana \u{1B}[2J Prueba"]), mentions: ["$.people[0]"]),
            file(64, "bell.json", record("activities", ["title": "Meeting\u{07}"]), mentions: ["$.activities[0]"]),
            file(64, "newline-name.json", record("employers", ["name": "Acero\nDos"]), mentions: ["$.employers[0]"]),
            file(64, "c1.json", record("organizations", ["city": "Erie\u{9B}"]), mentions: ["$.organizations[0]"]),
            file(64, "bidi.json", record("organizations", ["name": "Frente \u{202E}TAF"]), mentions: ["$.organizations[0]", "U+202E"]),
            // Not UTF-8.
            file(64, "latin1.json", Array(#"{"format": "solidarity/1", "organizations": [{"handle": "x", "name": "Uni"#.utf8) + [0xF3] + Array(#"n", "kind": "union"}]}"#.utf8)),
            file(64, "truncated-utf8.json", Array(#"{"format": "solidarity/1", "home": "ue"}"#.utf8) + [0xE2, 0x82]),
            file(64, "overlong.json", Array(#"{"format": "solidarity/1", "campaigns": [{"handle": "x", "name": ""#.utf8) + [0xC0, 0xAF] + Array(#""}]}"#.utf8)),
            file(64, "surrogate.json", Array(#"{"format": "solidarity/1", "campaigns": [{"handle": "x", "name": ""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}]}"#.utf8)),
            file(64, "lone-escape.json", text(#"{"format": "solidarity/1", "campaigns": [{"handle": "x", "name": "\udc00"}]}"#)),
            // Empty strings.
            file(64, "empty-name.json", record("organizations", ["name": ""]), mentions: ["$.organizations[0]"]),
            file(64, "empty-handle.json", record("people", ["handle": ""]), mentions: ["$.people[0]"]),
            file(64, "empty-id.json", record("activities", ["id": ""]), mentions: ["$.activities[0]"]),
            file(64, "empty-title.json", record("people", ["titles": [["organization": "ue", "title": "", "since": NSNull(), "until": NSNull()]]])),
            // Not a document.
            file(64, "empty.json", []), file(64, "truncated.json", text(#"{"format": "solidarity/1", "organizations": [{"handle": "#)),
            file(64, "deep.json", text(#"{"format": "solidarity/1", "notes": "# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}")),
            file(64, "number.json", text("12345678901234567890123456789")), file(64, "string.json", text(#""solidarity/1""#)),
            file(64, "no-format.json", text(#"{"organizations": []}"#)), file(64, "format-type.json", text(#"{"format": 1}"#)),
            file(64, "sections-type.json", text(#"{"format": "solidarity/1", "people": {"handle": "x"}, "sites": 3, "home": 7}"#),
                 mentions: ["$.people", "$.sites", "$.home"]),
            file(64, "float.json", record("organizations", ["members": 12.5]), mentions: ["$.organizations[0].members: expected a whole number"]),
            file(64, "negative.json", record("organizations", ["members": -40]), mentions: ["$.organizations[0]"]),
            file(64, "huge-number.json", record("conventions", ["number": 1e300]), mentions: ["$.conventions[0].number: expected a whole number"]),
            // References to records that exist nowhere (exit 1).
            file(1, "references.json", text("""
                {"format": "solidarity/1", "home": "nobody-home",
                 "people": [{"handle": "ana", "name": "Ana", "titles": [{"organization": "fantasma", "title": "Delegate"}]}],
                 "relationships": [{"from": "ue", "to": "fantasma", "kind": "ally", "status": "active"}],
                 "sites": [{"id": "corpussit2", "name": "Plant", "employer": "empresa-fantasma", "country": "MX", "unions": []}],
                 "conventions": [{"handle": "fantasma-1", "organization": "fantasma", "name": "First"}]}
                """), mentions: ["$.home", "$.people[0].titles[0].organization", "$.relationships[0].to", "$.sites[0].employer",
                                 "$.conventions[0].organization"]),
            BadInput(1, "import", "/"), BadInput(1, "import", "/nonexistent.json"),
        ]
    }

    static var spreadsheets: [BadInput] {
        func sheet(_ status: Int32, _ kind: String, _ name: String, _ bytes: [UInt8], mentions: [String] = []) -> BadInput {
            BadInput(status, "import", "--csv", name, "--as", kind, files: [name: bytes], mentions: mentions)
        }
        let text = { (csv: String) in Array(csv.utf8) }
        return [
            sheet(64, "organizations", "quote.csv", text("name,country\n\"Sindicato Abierto,MX\nOtro,MX\n")),
            sheet(64, "organizations", "ragged.csv", text("name,country\nSindicato Uno,MX,extra\n"), mentions: ["line 2"]),
            sheet(64, "organizations", "unknown-column.csv", text("name,colour\nSindicato Uno,red\n"), mentions: ["colour"]),
            sheet(64, "organizations", "twice.csv", text("name,name\nUno,Dos\n")),
            sheet(64, "people", "no-name.csv", text("email,organization\nana@example.org,ue\n"), mentions: ["name"]),
            sheet(64, "sites", "empty.csv", []),
            sheet(64, "organizations", "empty-header.csv", text("name,,country\nUno,x,MX\n")),
            sheet(64, "organizations", "truncated-utf8.csv", text("name,country\nSindicato Uno,MX\n") + [0xE2, 0x82]),
            sheet(64, "people", "escape.csv", text("name,organization,title\nAna \u{1B}[31mPrueba,ue,Steward\n"), mentions: ["line 2"]),
            sheet(64, "organizations", "nul.csv", text("name,country\nNul\u{0}Union,MX\n")),
            sheet(64, "organizations", "bidi.csv", text("name,country\nFrente \u{202E}TAF,MX\n"), mentions: ["line 2", "U+202E"]),
            sheet(64, "activities", "megabyte.csv", text("title,kind,start\n\(megabyte),meeting,2024\n"), mentions: ["line 2"]),
            sheet(64, "people", "bad-date.csv", text("name,organization,title,since\nAna,ue,Steward,2024-02-30\n"), mentions: ["line 2"]),
            sheet(64, "organizations", "bad-country.csv", text("name,country\nSindicato Uno,UK\n"), mentions: ["line 2"]),
            sheet(64, "organizations", "bad-members.csv", text("name,members\nSindicato Uno,lots\n"), mentions: ["line 2"]),
            sheet(64, "activities", "bad-kind.csv", text("title,kind\nCall,party\n"), mentions: ["line 2"]),
            sheet(64, "people", "sites-as-people.csv", text("name,employer,country\nPlant,wabtec,US\n")),
            sheet(1, "sites", "no-employer.csv", text("name,employer,country\nPlant,empresa-fantasma,US\n"), mentions: ["line 2"]),
            sheet(1, "activities", "no-org.csv", text("title,kind,participants\nCall,call,Sindicato Fantasma\n"), mentions: ["line 2"]),
        ]
    }

    static var resolutionFiles: [BadInput] {
        func resolution(_ name: String, _ bytes: [UInt8]) -> BadInput {
            BadInput(64, "resolution", "add", "--convention", "ue-80", "--title", "Peace and Jobs", "--file", name, files: [name: bytes])
        }
        let resolved = Array("Whereas.\n\nTHEREFORE, BE IT RESOLVED:\n\n1. Builds links with the FAT".utf8)
        return [
            resolution("latin1.md", resolved + [0xF3] + Array(";\n".utf8)), resolution("escape.md", resolved + Array(" \u{1B}[2J;\n".utf8)),
            resolution("empty.md", []), resolution("megabyte.md", resolved + Array(" \(megabyte);\n".utf8)),
            BadInput(1, "resolution", "add", "--convention", "ue-80", "--title", "Peace", "--file", "/nonexistent/resolution.md"),
        ]
    }

    @Test("bad files to import: refused with where the problem is, exit 64 or 1, the database unchanged", .timeLimit(.minutes(5)))
    func files() throws {
        let database = try GuardedDatabase()
        defer { database.cli.cleanUp() }
        let groups: [(String, [BadInput])] = [
            ("wrong-type files", Self.wrongTypes), ("interchange files", Self.importFiles), ("spreadsheets", Self.spreadsheets),
            ("resolution texts", Self.resolutionFiles),
        ]
        var counts: [String] = []
        for (name, inputs) in groups {
            counts.append("\(try database.refuse(inputs)) \(name)")
        }
        let wrongRecords = Self.wrongTypes.reduce(0) { $0 + $1.mentions.count }
        print("files: refused " + counts.joined(separator: ", ") + "; the wrong-type files hold \(wrongRecords) bad records, each named")
    }

    // MARK: Text that looks like SQL or markup

    @Test("apostrophes, quotes and SQL-looking text are stored verbatim by every command that takes a name, and read back identical")
    func verbatim() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        try #require(try cli.run("init", "--seed", "--home", "ue").status == 0)
        let tricky = [
            "org": #"Sindicato "Obrero" d'Acero'); DROP TABLE organizations; --"#,
            "person": #"Seán O'Brien-"Tiger" ' OR '1'='1"#,
            "title": #"Secretary; DELETE FROM people WHERE 1=1; -- 'intl'"#,
            "employer": #"Robert'); DROP TABLE employers;-- & Sons %_"#,
            "site": #"Plant "7" \ 'north' /* comment */"#,
            "delegation": #"Delegation to "Los Ángeles" 'R&D' <script>alert(1)</script>"#,
            "follow-up": #"Send 'minutes' "now"; UPDATE follow_ups SET done = 1"#,
            "convention": #"82nd "Special" Convention'; --"#,
            "resolution": #"On "Peace" & 'Jobs' -- %s %n"#,
            "notes": "It's \"ours\"; SELECT * FROM sqlite_master; -- 100% \\n",
        ]
        func json(_ arguments: String...) throws -> [String: Any] {
            let shown = try cli.run(arguments + ["--format", "json"])
            #expect(shown.status == 0, "\(arguments): \(shown.stderr)")
            return try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        }
        func added(_ arguments: String...) throws -> String {
            let result = try cli.run(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            return result.stdout
        }
        _ = try added("org", "add", tricky["org"]!, "--handle", "tricky", "--country", "MX", "--notes", tricky["notes"]!, "--alias", tricky["person"]! + "@es")
        _ = try added("person", "add", tricky["person"]!, "--handle", "tricky-person", "--org", "tricky", "--title", tricky["title"]!)
        _ = try added("employer", "add", tricky["employer"]!, "--handle", "tricky-employer")
        _ = try added("site", "add", tricky["site"]!, "--employer", "tricky-employer", "--country", "MX", "--city", tricky["org"]!)
        _ = try added("relate", "tricky", "ue", "--kind", "ally", "--notes", tricky["notes"]!)
        let logged = try added("delegation", "log", "--title", tricky["delegation"]!, "--to", "MX", "--host", "tricky", "--purpose", tricky["notes"]!,
                               "--follow-up", tricky["follow-up"]!, "--due", "2026-01")
        let id = try #require(logged.split(separator: " ").dropFirst(2).first.map { String($0.dropLast()) })
        _ = try added("convention", "add", "--org", "tricky", "--name", tricky["convention"]!, "--number", "82", "--handle", "tricky-82")
        let file = cli.folder.appendingPathComponent("resolution.md").path
        let clause = "Builds links with \(tricky["org"]!);"
        try "Whereas \(tricky["notes"]!)\n\nTHEREFORE, BE IT RESOLVED:\n\n1. \(clause)\n".write(toFile: file, atomically: true, encoding: .utf8)
        _ = try added("resolution", "add", "--convention", "tricky-82", "--title", tricky["resolution"]!, "--file", file, "--handle", "tricky-resolution")

        let organization = try json("org", "show", "tricky")
        #expect(organization["name"] as? String == tricky["org"] && organization["notes"] as? String == tricky["notes"])
        // Notes may run over several lines, with tabs: only names and titles are one line.
        let lines = "First line\n\tindented; second line\r\nthird line"
        _ = try added("employer", "edit", "tricky-employer", "--notes", lines)
        #expect(try json("employer", "show", "tricky-employer")["notes"] as? String == lines)
        #expect(try json("org", "show", tricky["person"]!)["handle"] as? String == "tricky", "found by its alias")
        let person = try json("person", "show", tricky["person"]!)
        #expect(person["name"] as? String == tricky["person"])
        #expect((person["titles"] as? [[String: Any]])?.first?["title"] as? String == tricky["title"])
        #expect(try json("employer", "show", tricky["employer"]!)["name"] as? String == tricky["employer"])
        let delegation = try json("delegation", "show", id)
        #expect(delegation["title"] as? String == tricky["delegation"] && delegation["purpose"] as? String == tricky["notes"])
        #expect((delegation["follow_ups"] as? [[String: Any]])?.first?["text"] as? String == tricky["follow-up"])
        #expect(try json("convention", "show", "tricky-82")["name"] as? String == tricky["convention"])
        let resolution = try json("resolution", "show", "tricky-resolution")
        #expect(resolution["title"] as? String == tricky["resolution"])
        #expect((resolution["clauses"] as? [[String: Any]])?.first?["text"] as? String == clause)

        // The export carries every one of them, and a fresh database imports it back to the same export.
        let export = try cli.run("export")
        for (what, value) in tricky {
            let encoded = String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .withoutEscapingSlashes]), as: UTF8.self)
            #expect(export.stdout.contains(encoded), "export lacks the \(what) \(value)")
        }
        let copy = cli.folder.appendingPathComponent("copy.sqlite").path
        #expect(try cli.run(["init"], database: copy).status == 0)
        let path = cli.folder.appendingPathComponent("export.json").path
        try export.stdout.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try cli.run(["import", path], database: copy).status == 0)
        #expect(try cli.run(["export"], database: copy).stdout == export.stdout)
        // Search takes the text as words, not as SQL or query syntax, and the tables are all still there.
        #expect(try cli.run("search", "DROP TABLE").status == 0)
        #expect(try cli.run("search", #"'Obrero" OR "1"="1"#).status == 0)
        #expect(try cli.sqlite3("SELECT count(*) FROM organizations WHERE handle = 'tricky';") == "1\n")
        #expect(try cli.soundnessProblems().isEmpty)
    }
}
