import Foundation
import Hummingbird
import SolidarityCore

extension Audience {
    /// An account, unless it belongs to an organization this account may not see (then 404).
    func shown(_ account: Account, in store: Store) throws -> Account {
        try Self.found(rule(store).shows(organization: account.organization) ? account : nil, "account", account.name)
    }
}

/// Accounts and API tokens, for admins: `account` of the command line.
enum AccountRoutes {
    struct NewAccount: Decodable, Sendable {
        let name: String
        let organization: String
        let role: Account.Role
        var sensitive: Bool?
    }

    struct NewToken: Decodable, Sendable {
        var label: String?
    }

    /// A token just made: shown once.
    struct IssuedAnswer: Encodable, Sendable {
        let token: AccountToken
        let secret: String
    }

    struct Disabled: Encodable, Sendable {
        let account: Account
        let revokedTokens: Int

        enum CodingKeys: String, CodingKey { case account, revokedTokens = "revoked_tokens" }
    }

    static func add(to api: RouterGroup<APIContext>) {
        api.get("accounts") { _, context in
            JSONAnswer(try await context.core { store, audience in
                let rule = try audience.rule(store)
                return try store.accounts().filter { rule.shows(organization: $0.organization) }
            })
        }
        api.get("accounts/{name}") { _, context in
            let name = try context.parameters.ref("name")
            return JSONAnswer(try await context.core { store, audience in try audience.shown(store.account(named: name), in: store) })
        }
        api.post("accounts") { request, context in
            let new = try await request.decoded(NewAccount.self)
            return JSONAnswer(try await context.core { store, audience in
                // An admin who may not see sensitive records may not make an account that does.
                if new.sensitive == true, !audience.seesSensitive { throw APIError.notSensitive(audience.account) }
                try audience.maySee(new.organization, kind: .organization, in: store)
                return try store.addAccount(new.name, organization: new.organization, role: new.role, sensitive: new.sensitive ?? false)
            }, status: .created)
        }
        api.post("accounts/{name}/disable") { _, context in
            let name = try context.parameters.ref("name")
            return JSONAnswer(try await context.core { store, audience in
                _ = try audience.shown(store.account(named: name), in: store)
                let (account, revoked) = try store.disableAccount(name)
                return Disabled(account: account, revokedTokens: revoked)
            })
        }
        api.get("tokens") { request, context in
            let account = request.query("account")
            return JSONAnswer(try await context.core { store, _ in try store.tokens(ofAccount: account) })
        }
        api.post("accounts/{name}/tokens") { request, context in
            let name = try context.parameters.ref("name")
            let body = try await request.bytes()
            let new = body.isEmpty ? NewToken() : try JSONDecoder().decode(NewToken.self, from: body)
            return JSONAnswer(try await context.core { store, audience in
                // An admin who may not see sensitive records may not hold a token of an account that may.
                if !audience.seesSensitive, try store.account(named: name).sensitive { throw APIError.notSensitive(audience.account) }
                let issued = try store.issueToken(toAccount: name, label: new.label)
                return IssuedAnswer(token: issued.token, secret: issued.secret)
            }, status: .created)
        }
        api.delete("tokens/{id}") { _, context in
            let text = try context.parameters.ref("id")
            guard let id = Int64(text) else { throw APIError.badRequest("A token is named by its number, such as 3; \"\(TextRules.printable(text))\" is not one.") }
            return JSONAnswer(try await context.core { store, _ in try store.revokeToken(id) })
        }
    }
}
