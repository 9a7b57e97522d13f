import ArgumentParser
import Foundation
import SolidarityCore

/// `--db`, shared by every command.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The database file (default: $SOLIDARITY_DB, else $XDG_DATA_HOME/solidarity/solidarity.sqlite, else ~/.local/share/solidarity/solidarity.sqlite).",
        valueName: "path"))
    var db: String?

    @Flag(name: .customLong("no-notify"), help: "Do not send webhooks right after this command; they wait for `solidarity webhook deliver`.")
    var noNotify = false

    /// The database path this command uses.
    var path: String { db ?? Store.defaultPath(environment: Invocation.current.environment) }

    /// Opens the database, saying on stderr in one line what migrating a database with data did,
    /// what was done to its file, and what the command waits for when another holds it. A database
    /// opened for writing is recorded for the webhooks the root sends after the command (`--no-notify`: none).
    /// `concurrentReads`: a pool of readers beside the writer (`serve`).
    func open(_ access: Store.Access, concurrentReads: Bool = false) throws -> Store {
        let store = try Store(path: path, access: access, context: Invocation.current.changeContext, concurrentReads: concurrentReads,
                              waiting: { Terminal.note($0) })
        if access != .read, access != .inspect, !noNotify { Invocation.current.written.record(store.path) }
        for warning in store.report.warnings { Terminal.note(warning) }
        if let backup = store.report.backup {
            Terminal.note("Backed up \(store.path) to \(backup), then applied \(store.report.applied.joined(separator: ", ")).")
        }
        return store
    }
}

extension Invocation {
    /// Who runs this command and which: what the history records with each change it makes.
    var changeContext: ChangeContext {
        ChangeContext(who: ChangeContext.systemUser(environment: environment), operation: commandPath, arguments: recordedArguments)
    }

    /// The arguments as the history records them: without `--db` and its path, which say where
    /// the change was written, not what it was.
    private var recordedArguments: [String] {
        var recorded: [String] = []
        var skipsPath = false
        for argument in arguments {
            if skipsPath { skipsPath = false; continue }
            if argument == "--db" { skipsPath = true; continue }
            if argument.hasPrefix("--db=") { continue }
            recorded.append(argument)
        }
        return recorded
    }

    /// The names of the command run, as typed ("org add"), without its options and arguments.
    var commandPath: String {
        var names: [String] = []
        var commands = Solidarity.configuration.subcommands
        for argument in arguments {
            guard let command = commands.first(where: {
                $0.configuration.commandName == argument || $0.configuration.aliases.contains(argument)
            }) else { break }
            names.append(command.configuration.commandName ?? argument)
            commands = command.configuration.subcommands
        }
        return names.joined(separator: " ")
    }
}

/// `--format`, shared by every listing.
struct FormatOptions: ParsableArguments {
    @Option(name: .long, help: "Output as a table, json (an array of objects), csv (RFC 4180) or md (a Markdown table).")
    var format: OutputFormat = .table
}

/// How a listing is printed.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv, md
}

extension Organization.Kind: ExpressibleByArgument {}
extension Relationship.Kind: ExpressibleByArgument {}
extension Relationship.Status: ExpressibleByArgument {}

/// Parsers for flag values, so that a bad value is a usage error naming the flag.
enum Parse {
    /// Refuses a period given by --since and --until that ends before it starts.
    static func checkPeriod(since: PartialDate?, until: PartialDate?) throws {
        if Period(since: since, until: until).endsBeforeStart, let since, let until {
            throw ValidationError("--until \(until) is before --since \(since): swap them.")
        }
    }

    static func date(_ text: String) throws -> PartialDate { try PartialDate(text) }
    static func country(_ text: String) throws -> String { try Country(text).code }
    static func handle(_ text: String) throws -> String {
        try Naming.checkHandle(text)
        return text
    }
    static func language(_ text: String) throws -> String {
        try Naming.checkLanguage(text)
        return text
    }
    /// "Central Union of Workers@en" is an alias in English; without "@lang" the language is unknown.
    static func alias(_ text: String) throws -> Organization.Alias {
        guard let at = text.lastIndex(of: "@") else { return Organization.Alias(name: text.trimmingCharacters(in: .whitespaces)) }
        let lang = String(text[text.index(after: at)...])
        do {
            try Naming.checkLanguage(lang)
        } catch {
            throw SolidarityError.invalid("In \"\(TextRules.printable(text))\", what follows @ must be the alias's language, such as @en or @fr.")
        }
        return Organization.Alias(name: String(text[..<at]).trimmingCharacters(in: .whitespaces), lang: lang)
    }
    static func members(_ text: String) throws -> Int {
        guard let n = Int(text.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "_", with: "")), n >= 0 else {
            throw SolidarityError.invalid("\"\(TextRules.printable(text))\" is not a number of members: write a whole number such as 110000.")
        }
        return n
    }
}

/// Asks before a removal; scripts pass `--yes`.
enum Confirmation {
    /// Whether the user agreed to `question`. Without a terminal to ask on, `--yes` is required.
    static func confirmed(_ question: String, yes: Bool) throws -> Bool {
        if yes { return true }
        let console = Invocation.current.console
        guard let ask = console.answer else {
            throw SolidarityError.invalid("Removing needs confirmation, and there is no terminal to ask on: add --yes.")
        }
        console.standardError.write(Data("\(question) [y/N] ".utf8))
        let answer = ask()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        if answer == "y" || answer == "yes" { return true }
        Terminal.say("Nothing was removed.")
        return false
    }
}
