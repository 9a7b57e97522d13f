import Crypto
import Foundation

/// Standard Webhooks signatures: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed by the
/// bytes of a `whsec_<base64>` secret.
public enum Signature {
    /// The `webhook-signature` header value: one `v1,…` per secret, space-separated (two during a rotation).
    public static func header(id: String, timestamp: Int, body: String, secrets: [String]) throws -> String {
        try secrets.map { try "v1," + sign(id: id, timestamp: timestamp, body: body, secret: $0) }.joined(separator: " ")
    }

    static func sign(id: String, timestamp: Int, body: String, secret: String) throws -> String {
        guard secret.hasPrefix("whsec_"), let key = Data(base64Encoded: String(secret.dropFirst(6))) else {
            throw NotifyError("The endpoint's secret is not a whsec_ secret: rotate it with `solidarity webhook rotate-secret`.")
        }
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(id).\(timestamp).\(body)".utf8), using: SymmetricKey(data: key))
        return Data(mac).base64EncodedString()
    }
}

/// A failure of the notifier a user can act on.
public struct NotifyError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
