import Foundation
import GRDB

// The accounts of the coalition server: each operation one transaction (writes) or one snapshot
// (reads). Account changes are not in the history of changes (migration 0016 says why).

extension Store {
    /// Makes an account of an organization, with a role; `sensitive` lets it see sensitive records.
    public func addAccount(_ name: String, organization: String, role: Account.Role, sensitive: Bool = false) throws -> Account {
        try write { try Accounts(db: $0).insert(name, organization: organization, role: role, sensitive: sensitive) }
    }

    /// Every account, by name.
    public func accounts() throws -> [Account] {
        try read { try Accounts(db: $0).all() }
    }

    /// The account with this name.
    public func account(named name: String) throws -> Account {
        try read { try Accounts(db: $0).find(name) }
    }

    /// Sets an account's password (bcrypt).
    public func setPassword(_ password: String, ofAccount name: String) throws -> Account {
        try write { try Accounts(db: $0).setPassword(password, of: name) }
    }

    /// Disables an account and revokes its tokens at once.
    public func disableAccount(_ name: String) throws -> (account: Account, revokedTokens: Int) {
        try write { try Accounts(db: $0).disable(name) }
    }

    /// Makes an API token for an account; its secret is in the result only.
    public func issueToken(toAccount name: String, label: String? = nil) throws -> IssuedToken {
        try write { try Accounts(db: $0).issueToken(to: name, label: label) }
    }

    /// The API tokens of one account, or of all, oldest first.
    public func tokens(ofAccount name: String? = nil) throws -> [AccountToken] {
        try read { try Accounts(db: $0).tokens(of: name) }
    }

    /// Revokes an API token by its number.
    public func revokeToken(_ id: Int64) throws -> AccountToken {
        try write { try Accounts(db: $0).revokeToken(id) }
    }

    /// The account a bearer token authenticates, or nil (unknown, revoked, or its account disabled).
    public func account(bearing secret: String) throws -> Account? {
        try read { try Accounts(db: $0).bearer(of: secret) }
    }
}
