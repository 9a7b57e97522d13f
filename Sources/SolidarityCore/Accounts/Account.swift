import Foundation

/// Someone who uses the coalition server: a staffer of an organization of the coalition, with one
/// role, who may or may not see records marked sensitive.
///
/// The command line, run by the machine's owner, manages accounts and sees everything; an account
/// reaches the database only through the server, with an API token or (the web pages) a password.
public struct Account: Codable, Equatable, Sendable {
    /// What an account may do. Each role may do what the one before it may.
    public enum Role: String, Codable, CaseIterable, Comparable, Sendable {
        /// Reads.
        case viewer
        /// Reads and writes records.
        case editor
        /// Also manages accounts and webhook endpoints.
        case admin

        public static func < (a: Role, b: Role) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }

        /// What the role may do, in words ("reads, writes records").
        public var may: String {
            switch self {
            case .viewer: "reads"
            case .editor: "reads and writes records"
            case .admin: "reads, writes records, manages accounts and webhook endpoints"
            }
        }
    }

    /// The account's name, as a handle ("maria"): the history names it as the author of its changes.
    public var name: String
    /// The handle of the organization the account belongs to.
    public var organization: String
    public var role: Role
    /// Whether the account sees records marked sensitive (and what refers to them); without it,
    /// every answer leaves them out as an export does.
    public var sensitive: Bool
    /// Whether a password is set (for the web pages); the hash itself never leaves the database.
    public var hasPassword: Bool
    /// When the account was made (ISO 8601, UTC).
    public var created: String
    /// When it was disabled, or nil while it may be used.
    @Nullable public var disabled: String?

    public init(name: String, organization: String, role: Role, sensitive: Bool = false, hasPassword: Bool = false,
                created: String = "", disabled: String? = nil) {
        self.name = name
        self.organization = organization
        self.role = role
        self.sensitive = sensitive
        self.hasPassword = hasPassword
        self.created = created
        self.disabled = disabled
    }

    enum CodingKeys: String, CodingKey {
        case name, organization, role, sensitive, hasPassword = "has_password", created, disabled
    }

    /// Whether the account may do what `role` may.
    public func may(_ role: Role) -> Bool { disabled == nil && self.role >= role }
}

/// An API token of an account, as listed: never the token itself, which is shown once when made.
public struct AccountToken: Codable, Equatable, Sendable {
    /// The number `account token revoke` takes.
    public var id: Int64
    public var account: String
    @Nullable public var label: String?
    public var created: String
    @Nullable public var revoked: String?

    public init(id: Int64, account: String, label: String?, created: String, revoked: String?) {
        self.id = id
        self.account = account
        self.label = label
        self.created = created
        self.revoked = revoked
    }
}

/// A token just made: the secret, shown once, and the token as it will be listed.
public struct IssuedToken: Sendable {
    /// The bearer token itself ("sol_" and 43 characters). Only its SHA-256 digest is stored.
    public let secret: String
    public let token: AccountToken
}
