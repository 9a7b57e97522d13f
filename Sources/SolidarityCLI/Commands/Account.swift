import ArgumentParser
import Foundation
import SolidarityCore

struct AccountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Accounts of the coalition server (`solidarity serve`): who may read, write and manage, and their API tokens.",
        discussion: """
            An account belongs to an organization of the coalition and has one role: a viewer reads, \
            an editor also writes records, an admin also manages accounts and webhook endpoints. \
            Sensitive records (and what refers to them) are left out of everything the server answers \
            an account, unless it was made with --sensitive. Every change made through the server is \
            recorded in the history with the account's name as its author (`solidarity history --by NAME`).

            The command line, run by the machine's owner, manages accounts and sees everything.

            Examples:
              solidarity account add maria --org ue --role editor
              solidarity account token add maria --label laptop
              solidarity account disable maria
            """,
        subcommands: [Add.self, List.self, Passwd.self, Disable.self, TokenCommand.self])
}

extension Account.Role: ExpressibleByArgument {}

extension AccountCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Make an account of an organization, with a role.",
            discussion: """
                The account has no password yet: it can use API tokens (`solidarity account token add`); \
                `solidarity account passwd` gives it one for the web pages.

                Examples:
                  solidarity account add maria --org ue --role editor
                  solidarity account add jtremblay --org csn --role viewer --sensitive
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("The account's name: lowercase letters, digits and hyphens (maria, j-tremblay).", valueName: "name"))
        var name: String
        @Option(help: ArgumentHelp("The organization the account belongs to.", valueName: "ref"))
        var org: String
        @Option(help: "viewer (reads), editor (also writes records) or admin (also manages accounts and webhook endpoints).")
        var role: Account.Role
        @Flag(help: "Let the account see records marked sensitive and what refers to them.")
        var sensitive = false

        func run() throws {
            let account = try store.open(.write).addAccount(name, organization: org, role: role, sensitive: sensitive)
            Terminal.say("Added the account \(account.name) (\(account.role.rawValue) of \(account.organization)\(account.sensitive ? ", sees sensitive records" : "")).")
            Terminal.note("Give it an API token with `solidarity account token add \(account.name)`, or a password with `solidarity account passwd \(account.name)`.")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the accounts: organization, role, whether they see sensitive records, password, disabled.",
            discussion: """
                Examples:
                  solidarity account list
                  solidarity account list --format csv
                """)

        @OptionGroup var store: StoreOptions
        @OptionGroup var output: FormatOptions

        func run() throws {
            try Output.list(try store.open(.read).accounts(), format: output.format)
        }
    }

    struct Passwd: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "passwd",
            abstract: "Set an account's password (for the web pages), read from the terminal or standard input.",
            discussion: """
                At a terminal the password is asked twice, without showing it; otherwise the first line \
                of standard input is the password. Never on the command line, where other users of the \
                machine and the shell's history would see it. It is stored as a bcrypt hash.

                Examples:
                  solidarity account passwd maria
                  pass show coalition/maria | solidarity account passwd maria
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("The account.", valueName: "name"))
        var name: String

        func run() throws {
            let database = try store.open(.write)
            _ = try database.account(named: name)
            let password = try Secret.read(prompt: "New password for \(name): ", again: "The same password again: ")
            let account = try database.setPassword(password, ofAccount: name)
            Terminal.say("Set the password of \(account.name).")
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disable",
            abstract: "Disable an account at once: its API tokens are revoked and refused from the next request on.",
            discussion: """
                For a lost phone at a border, a staffer who left. The account stays listed, and the \
                history keeps its name on the changes it made.

                Example:
                  solidarity account disable maria
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("The account.", valueName: "name"))
        var name: String

        func run() throws {
            let (account, revoked) = try store.open(.write).disableAccount(name)
            Terminal.say("Disabled \(account.name); \(revoked == 1 ? "1 API token" : "\(revoked) API tokens") revoked.")
        }
    }

    struct TokenCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "token",
            abstract: "API tokens: add one to an account, list them, revoke one.",
            subcommands: [TokenAdd.self, TokenList.self, TokenRevoke.self])
    }

    struct TokenAdd: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Make an API token for an account; it is printed once, alone on the last line.",
            discussion: """
                Send it as `Authorization: Bearer TOKEN`. Only its SHA-256 digest is kept, so it cannot \
                be shown again: store it in a password manager now. A lost token is revoked with \
                `solidarity account token revoke N`.

                Examples:
                  solidarity account token add maria --label laptop
                  TOKEN=$(solidarity account token add maria | tail -n 1)
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("The account.", valueName: "name"))
        var name: String
        @Option(help: ArgumentHelp("What the token is for (\"laptop\", \"spreadsheet sync\"), shown by `account token list`.", valueName: "label"))
        var label: String?

        func run() throws {
            let issued = try store.open(.write).issueToken(toAccount: name, label: label)
            Terminal.say("API token \(issued.token.id) of \(issued.token.account)\(issued.token.label.map { " (\($0))" } ?? ""); it is not shown again:")
            Terminal.say(issued.secret)
        }
    }

    struct TokenList: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List API tokens (never the tokens themselves): number, account, label, made, revoked.",
            discussion: """
                Examples:
                  solidarity account token list
                  solidarity account token list maria --format json
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("Only this account's tokens.", valueName: "name"))
        var name: String?
        @OptionGroup var output: FormatOptions

        func run() throws {
            try Output.list(try store.open(.read).tokens(ofAccount: name), format: output.format)
        }
    }

    struct TokenRevoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke",
            abstract: "Revoke an API token by its number: it is refused from the next request on.",
            discussion: """
                Example:
                  solidarity account token revoke 3
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("The token's number (from `solidarity account token list`).", valueName: "number"))
        var number: Int64

        func run() throws {
            let token = try store.open(.write).revokeToken(number)
            Terminal.say("Revoked API token \(token.id) of \(token.account)\(token.label.map { " (\($0))" } ?? "").")
        }
    }
}

extension Account: Listable {
    static let tableColumns = ["name", "organization", "role", "sensitive", "password", "disabled"]
    var tableRow: [String] {
        [name, organization, role.rawValue, sensitive ? "yes" : "", hasPassword ? "set" : "", disabled ?? ""]
    }
    static let csvColumns = ["name", "organization", "role", "sensitive", "has_password", "created", "disabled"]
    var csvRow: [String] { [name, organization, role.rawValue, String(sensitive), String(hasPassword), created, disabled ?? ""] }
}

extension AccountToken: Listable {
    static let tableColumns = ["number", "account", "label", "made", "revoked"]
    var tableRow: [String] { ["\(id)", account, label ?? "", created, revoked ?? ""] }
    static let csvColumns = ["id", "account", "label", "created", "revoked"]
    var csvRow: [String] { ["\(id)", account, label ?? "", created, revoked ?? ""] }
}

/// A secret read from the person at the terminal without echo (twice, to catch a typing slip), or
/// the first line of standard input when it is not a terminal.
enum Secret {
    static func read(prompt: String, again: String) throws -> String {
        let console = Invocation.current.console
        if isatty(STDIN_FILENO) != 0, console.answer != nil {
            guard let first = getpass(prompt).map({ String(cString: $0) }), let second = getpass(again).map({ String(cString: $0) }) else {
                throw SolidarityError.invalid("No password was read from the terminal.")
            }
            guard first == second else { throw SolidarityError.invalid("The two passwords differ; nothing was changed. Run the command again.") }
            return first
        }
        // A test's console answers in place of standard input.
        guard let line = console.answer.map({ $0() }) ?? Swift.readLine(strippingNewline: true) else {
            throw SolidarityError.invalid("No password was given: type it at the terminal, or give it as the first line of standard input.")
        }
        return line
    }
}
