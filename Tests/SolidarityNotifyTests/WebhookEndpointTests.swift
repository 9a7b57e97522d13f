import Foundation
import GRDB
import Testing
@testable import SolidarityCore
@testable import SolidarityNotify

/// A new, empty database in a temporary folder.
private func emptyStore() throws -> (Store, URL) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return (try Store(path: folder.appendingPathComponent("db.sqlite").path, access: .create), folder)
}

@Suite("Webhook endpoints and the test event")
struct WebhookEndpointTests {
    @Test("a webhook URL libcurl cannot use is refused with what is wrong; an uppercase scheme is stored in lowercase")
    func webhookURLs() throws {
        let refused: [(String, String)] = [
            ("https://example.org/a b", "U+0020 SPACE"), ("https://example.org/\r\nX-Evil: 1", "U+000D"), ("https://example.org/\u{7}", "U+0007"),
            ("https://example.org:99999/hook", "port 99999"), ("https://example.org:0/hook", "port 0"), ("https:///hook", "no host"),
            (" https://example.org/", "U+0020"), ("ftp://example.org/", "not an http or https URL"),
        ]
        for (url, expected) in refused {
            #expect { try WebhookEndpoint.checkURL(url) } throws: { error in
                let error = error as? SolidarityError
                return error?.reason == .invalidInput && error?.message.contains(expected) == true
            }
        }
        #expect(try WebhookEndpoint.checkURL("HTTPS://Example.org:8443/Hooks") == "https://Example.org:8443/Hooks")
        #expect(try WebhookEndpoint.checkURL("Http://example.org/") == "http://example.org/")
        let (store, folder) = try emptyStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try WebhookEndpoints(store: store).add(url: "HTTP://example.org/hook", events: [], description: nil).endpoint.url == "http://example.org/hook")
    }

    @Test("webhook.test is queued for the endpoint tested only, as the JSON text receivers have always had")
    func testEvent() throws {
        let (store, folder) = try emptyStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let endpoints = WebhookEndpoints(store: store)
        let tested = try endpoints.add(url: "https://example.org/hook", events: ["webhook.test"], description: nil).endpoint
        _ = try endpoints.add(url: "https://example.org/other", events: [], description: nil)
        let queue = DeliveryQueue(store: store)
        let id = try queue.queueTest(tested.id, now: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(try queue.deliveries().map(\.id) == [id])
        #expect(try queue.deliveries().map(\.endpoint) == [tested.id])
        let payload = try #require(try queue.pending(id)).payload
        #expect(payload == #"{"data":{"endpoint":"\#(tested.id)","message":"This is a test from solidarity."},"timestamp":"2027-01-15T08:00:00Z","type":"webhook.test"}"#)
    }
}
