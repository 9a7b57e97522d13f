import Foundation
import SolidarityCore

/// A webhook endpoint as listings show it: never its secret.
public struct WebhookEndpoint: Codable, Equatable, Sendable {
    public let id: String
    public let url: String
    public let description: String?
    public let events: [String]
    public let enabled: Bool
    public let disabledReason: String?
    public let createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, url, description, events, enabled
        case disabledReason = "disabled_reason", createdAt = "created_at"
    }

    /// Checks a URL as libcurl will use it, so that no endpoint is stored only to fail every
    /// delivery: http or https (the scheme in lowercase, as stored), a host, a port from 1 to
    /// 65535, no white space or control character, no user name or password in it.
    public static func checkURL(_ text: String) throws -> String {
        let shown = TextRules.printable(text)
        if let (index, scalar) = text.unicodeScalars.enumerated().first(where: { $0.element.properties.isWhitespace || $0.element.value < 0x20 || (0x7F...0x9F).contains($0.element.value) }) {
            throw SolidarityError.invalid("\"\(shown)\" holds \(TextRules.describe(scalar)) at character \(index + 1): a URL has no spaces, line breaks or control characters (write a space as %20).")
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw SolidarityError.invalid("\"\(shown)\" is not an http or https URL: webhooks are delivered over HTTP(S), for example https://example.org/hooks/solidarity.")
        }
        guard let host = components.host, !host.isEmpty else {
            throw SolidarityError.invalid("\"\(shown)\" has no host: write it as https://HOST/PATH.")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw SolidarityError.invalid("\"\(shown)\" names port \(port): a port is a number from 1 to 65535 (or leave it out: 443 for https, 80 for http).")
        }
        if components.user != nil || components.password != nil {
            throw SolidarityError.invalid("\"\(shown)\" carries a user name or password: leave credentials out of the URL; the receiver verifies the webhook-signature header instead.")
        }
        return scheme + text.dropFirst(scheme.count)
    }
}
