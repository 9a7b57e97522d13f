import Foundation

/// Who makes the changes a store writes, and through what: the history records it with each change.
///
/// A front end gives it when it opens the store (the command line: the operating-system user, the
/// command and its arguments; the coalition server later: its account and its operation), so that
/// no write goes unattributed and no global carries it.
public struct ChangeContext: Sendable, Equatable {
    /// The person or account making the change ("maria").
    public let who: String
    /// The command or operation ("org add", "import", "seed", "org merge").
    public let operation: String
    /// The command's arguments as given, for the record.
    public let arguments: [String]

    public init(who: String, operation: String, arguments: [String] = []) {
        self.who = who
        self.operation = operation
        self.arguments = arguments
    }

    /// The operating-system user running this process: `$USER` when the environment names one,
    /// else the account of the effective user id.
    public static func systemUser(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let user = environment["USER"], !user.isEmpty { return user }
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "uid \(geteuid())"
    }

    /// A program using Core directly: this process's user, and the program's name as the operation.
    public static func thisProcess() -> ChangeContext {
        ChangeContext(who: systemUser(), operation: ProcessInfo.processInfo.processName)
    }
}
