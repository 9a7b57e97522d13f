import Crypto
import Foundation
import GRDB
import HummingbirdBcrypt

/// A row of `accounts`.
struct AccountRecord: Codable, FetchableRecord, RowIDRecord {
    static let databaseTableName = "accounts"

    var id: Int64?
    var name: String
    var organizationID: Int64
    var role: Account.Role
    var sensitive: Bool
    var passwordHash: String?
    var createdAt: String
    var disabledAt: String?

    enum Columns: String, CodingKey, ColumnExpression {
        case id, name, organizationID = "organization_id", role, sensitive, passwordHash = "password_hash",
             createdAt = "created_at", disabledAt = "disabled_at"
    }
    typealias CodingKeys = Columns
}

/// A row of `account_tokens`.
struct AccountTokenRecord: Codable, FetchableRecord, RowIDRecord {
    static let databaseTableName = "account_tokens"

    var id: Int64?
    var accountID: Int64
    var label: String?
    var digest: Data
    var createdAt: String
    var revokedAt: String?

    enum Columns: String, CodingKey, ColumnExpression {
        case id, accountID = "account_id", label, digest, createdAt = "created_at", revokedAt = "revoked_at"
    }
    typealias CodingKeys = Columns
}

/// The accounts of the coalition server and their API tokens, inside one open transaction.
struct Accounts {
    let db: Database

    /// The fewest characters a password may have, and the most bytes bcrypt reads.
    static let passwordLength = (fewest: 12, mostBytes: 72)

    /// Makes an account of the organization `organization` names.
    func insert(_ name: String, organization: String, role: Account.Role, sensitive: Bool) throws -> Account {
        try Self.checkName(name)
        if try record(named: name) != nil {
            throw SolidarityError(.duplicate, "An account named \(name) already exists: choose another name.")
        }
        let owner = try References(db: db).organization(organization)
        var record = AccountRecord(id: nil, name: name, organizationID: owner.id, role: role, sensitive: sensitive,
                                   passwordHash: nil, createdAt: Store.timestamp(), disabledAt: nil)
        try record.insert(db)
        return try account(record)
    }

    /// Every account, by name.
    func all() throws -> [Account] {
        try AccountRecord.order(AccountRecord.Columns.name).fetchAll(db).map(account)
    }

    /// The account with this name.
    func find(_ name: String) throws -> Account {
        try account(existing(name))
    }

    /// Sets the account's password, hashed with bcrypt (cost 12).
    func setPassword(_ password: String, of name: String) throws -> Account {
        var record = try existing(name)
        guard password.count >= Self.passwordLength.fewest else {
            throw SolidarityError.invalid("A password needs at least \(Self.passwordLength.fewest) characters; a few words of your own make a strong one.")
        }
        guard password.utf8.count <= Self.passwordLength.mostBytes else {
            throw SolidarityError.invalid("A password may have at most \(Self.passwordLength.mostBytes) bytes (bcrypt reads no more); choose a shorter one.")
        }
        guard !password.contains(where: \.isNewline) else {
            throw SolidarityError.invalid("A password is one line: it may not hold a line break.")
        }
        record.passwordHash = Bcrypt.hash(password, cost: 12)
        try record.update(db)
        return try account(record)
    }

    /// Disables the account and revokes its tokens, at once.
    func disable(_ name: String) throws -> (account: Account, revokedTokens: Int) {
        var record = try existing(name)
        if record.disabledAt != nil {
            throw SolidarityError(.conflict, "The account \(name) is already disabled (since \(record.disabledAt!)).")
        }
        let now = Store.timestamp()
        record.disabledAt = now
        try record.update(db)
        let revoked = try AccountTokenRecord
            .filter(AccountTokenRecord.Columns.accountID == record.id! && AccountTokenRecord.Columns.revokedAt == nil)
            .updateAll(db, AccountTokenRecord.Columns.revokedAt.set(to: now))
        return (try account(record), revoked)
    }

    /// Makes a new API token for the account: 32 random bytes, of which only the SHA-256 digest is kept.
    func issueToken(to name: String, label: String?) throws -> IssuedToken {
        let owner = try existing(name)
        if let disabled = owner.disabledAt {
            throw SolidarityError(.conflict, "The account \(name) is disabled (since \(disabled)): it may not have new tokens.")
        }
        let label = label?.trimmingWhitespace(newlines: true)
        if let label, label.isEmpty || label.count > 200 {
            throw SolidarityError.invalid("A token's label is a short text (1 to 200 characters), such as \"laptop\" or \"coalition tracker sync\".")
        }
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = generator.next() }
        let secret = "sol_" + Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        var record = AccountTokenRecord(id: nil, accountID: owner.id!, label: label, digest: Self.digest(secret),
                                        createdAt: Store.timestamp(), revokedAt: nil)
        try record.insert(db)
        return IssuedToken(secret: secret, token: token(record, account: owner.name))
    }

    /// The tokens of one account, or of every account, oldest first.
    func tokens(of name: String?) throws -> [AccountToken] {
        var request = AccountTokenRecord.order(AccountTokenRecord.Columns.id)
        if let name { request = request.filter(AccountTokenRecord.Columns.accountID == (try existing(name).id!)) }
        let names = Dictionary(uniqueKeysWithValues: try AccountRecord.fetchAll(db).map { ($0.id!, $0.name) })
        return try request.fetchAll(db).map { token($0, account: names[$0.accountID] ?? "?") }
    }

    /// Revokes the token with this number: it is refused from now on.
    func revokeToken(_ id: Int64) throws -> AccountToken {
        guard var record = try AccountTokenRecord.fetchOne(db, key: id) else {
            throw SolidarityError(.notFound, "No API token has the number \(id).", remedy: .listTokens)
        }
        let owner = try AccountRecord.fetchOne(db, key: record.accountID)!
        if let revoked = record.revokedAt {
            throw SolidarityError(.conflict, "Token \(id) of \(owner.name) is already revoked (since \(revoked)).")
        }
        record.revokedAt = Store.timestamp()
        try record.update(db)
        return token(record, account: owner.name)
    }

    /// The account a bearer token belongs to, when the token is known, not revoked, and its account
    /// not disabled; nil otherwise.
    func bearer(of secret: String) throws -> Account? {
        guard secret.hasPrefix("sol_"), secret.utf8.count < 100 else { return nil }
        let row = try Row.fetchOne(db, cached: """
            SELECT a.* FROM account_tokens t JOIN accounts a ON a.id = t.account_id
            WHERE t.digest = ? AND t.revoked_at IS NULL AND a.disabled_at IS NULL
            """, arguments: [Self.digest(secret)])
        return try row.map { try account(AccountRecord.decoded(from: $0)) }
    }

    /// How many accounts belong to an organization (by row id): it may not be removed while any do.
    func count(ofOrganization id: Int64) throws -> Int {
        try AccountRecord.filter(AccountRecord.Columns.organizationID == id).fetchCount(db)
    }

    // MARK: Rules and reading

    /// An account's name is written like a handle: the history and the server's log name it.
    static func checkName(_ name: String) throws {
        do {
            try Naming.checkHandle(name)
        } catch {
            throw SolidarityError.invalid("\"\(TextRules.printable(name))\" is not an account name: use lowercase letters a–z, digits and hyphens, for example maria or j-tremblay.")
        }
    }

    static func digest(_ secret: String) -> Data { Data(SHA256.hash(data: Data(secret.utf8))) }

    private func record(named name: String) throws -> AccountRecord? {
        try AccountRecord.filter(AccountRecord.Columns.name == name).fetchOne(db)
    }

    private func existing(_ name: String) throws -> AccountRecord {
        guard let record = try record(named: name) else {
            throw SolidarityError(.notFound, "No account is named \"\(TextRules.printable(name))\".", remedy: .listAccounts)
        }
        return record
    }

    private func account(_ record: AccountRecord) throws -> Account {
        let organization = try String.fetchOne(db, cached: "SELECT handle FROM organizations WHERE id = ?", arguments: [record.organizationID]) ?? "?"
        return Account(name: record.name, organization: organization, role: record.role, sensitive: record.sensitive,
                       hasPassword: record.passwordHash != nil, created: record.createdAt, disabled: record.disabledAt)
    }

    private func token(_ record: AccountTokenRecord, account: String) -> AccountToken {
        AccountToken(id: record.id!, account: account, label: record.label, created: record.createdAt, revoked: record.revokedAt)
    }
}
