import CCurl
import Foundation
import SolidarityCore

/// What an HTTP attempt came to.
public struct HTTPOutcome: Sendable {
    /// The response status, nil when no response came (connection refused, timeout).
    public let status: Int?
    /// libcurl's description of a transport failure.
    public let error: String?
    /// The Retry-After header, in seconds, when the receiver gave one.
    public let retryAfter: TimeInterval?
}

/// POSTs over one reused libcurl easy handle (connections are kept alive between deliveries).
///
/// Connect timeout 5 s, total 15 s (or less); redirects not followed; TLS verified; an empty
/// `Expect:` header; the response body read up to a bound and discarded.
public final class HTTPClient {
    /// The easy handle, nil when libcurl could not be loaded.
    private let handle: UnsafeMutableRawPointer?
    /// libcurl's functions, loaded on first use (see shim.h).
    private let curl: UnsafePointer<solidarity_curl_api>?
    /// Why libcurl could not be loaded, said as each attempt's error.
    private let loadError: String?
    /// The most of a response body read before the transfer is cut off.
    public static let bodyLimit = 64 * 1024

    public init() {
        curl = solidarity_curl()
        if let curl {
            handle = curl.pointee.easy_init!()
            loadError = nil
        } else {
            handle = nil
            let reason = solidarity_curl_load_error().map { String(cString: $0) } ?? "curl_global_init failed"
            loadError = "libcurl could not be loaded (\(reason)); install it with `apt-get install libcurl4`"
        }
    }

    deinit { if let handle { curl?.pointee.easy_cleanup!(handle) } }

    /// Sends `body` to `url` with `headers`; never throws for a transport failure, which the outcome says.
    public func post(url: String, headers: [String: String], body: String, timeout: TimeInterval = 15, connectTimeout: TimeInterval = 5) -> HTTPOutcome {
        guard let curl = curl?.pointee, let handle else { return HTTPOutcome(status: nil, error: loadError, retryAfter: nil) }
        let state = TransferState()
        let unmanaged = Unmanaged.passRetained(state)
        defer { unmanaged.release() }
        var list: UnsafeMutablePointer<curl_slist>?
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            list = curl.slist_append!(list, "\(name): \(value)")
        }
        list = curl.slist_append!(list, "Expect:")
        defer { curl.slist_free_all!(list) }
        let bodyBytes = Array(body.utf8)
        return bodyBytes.withUnsafeBufferPointer { buffer -> HTTPOutcome in
            curl.easy_reset!(handle)
            _ = solidarity_curl_set_string(handle, CURLOPT_URL, url)
            _ = solidarity_curl_set_long(handle, CURLOPT_POST, 1)
            _ = solidarity_curl_set_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: buffer.baseAddress))
            _ = solidarity_curl_set_long(handle, CURLOPT_POSTFIELDSIZE, bodyBytes.count)
            _ = solidarity_curl_set_slist(handle, CURLOPT_HTTPHEADER, list)
            _ = solidarity_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(connectTimeout * 1000))
            _ = solidarity_curl_set_long(handle, CURLOPT_TIMEOUT_MS, Int(timeout * 1000))
            _ = solidarity_curl_set_long(handle, CURLOPT_FOLLOWLOCATION, 0)
            _ = solidarity_curl_set_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
            _ = solidarity_curl_set_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
            _ = solidarity_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
            _ = solidarity_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
            _ = solidarity_curl_set_string(handle, CURLOPT_USERAGENT, userAgent)
            _ = solidarity_curl_set_write_function(handle) { _, size, count, context in
                let state = Unmanaged<TransferState>.fromOpaque(context!).takeUnretainedValue()
                state.received += size * count
                // Returning less than given stops the transfer: the body is never kept.
                return state.received > HTTPClient.bodyLimit ? 0 : size * count
            }
            _ = solidarity_curl_set_pointer(handle, CURLOPT_WRITEDATA, unmanaged.toOpaque())
            _ = solidarity_curl_set_header_function(handle) { data, size, count, context in
                let state = Unmanaged<TransferState>.fromOpaque(context!).takeUnretainedValue()
                let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
                if line.lowercased().hasPrefix("retry-after:") {
                    state.retryAfter = line.dropFirst("retry-after:".count).trimmingCharacters(in: .whitespacesAndNewlines)
                }
                return size * count
            }
            _ = solidarity_curl_set_pointer(handle, CURLOPT_HEADERDATA, unmanaged.toOpaque())
            let code = curl.easy_perform!(handle)
            var status: Int = 0
            _ = solidarity_curl_get_response_code(handle, &status)
            let retryAfter = state.retryAfter.flatMap(Self.seconds)
            if code == CURLE_OK || (code == CURLE_WRITE_ERROR && status > 0) {
                return HTTPOutcome(status: status, error: nil, retryAfter: retryAfter)
            }
            return HTTPOutcome(status: status > 0 ? status : nil, error: curl.easy_strerror!(code).map { String(cString: $0) } ?? "libcurl error \(code.rawValue)", retryAfter: retryAfter)
        }
    }

    /// A Retry-After value: seconds, or an HTTP date.
    static func seconds(_ value: String) -> TimeInterval? {
        if let seconds = TimeInterval(value) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: value).map { max(0, $0.timeIntervalSinceNow) }
    }

    let userAgent = "solidarity/\(SolidarityVersion.current) (webhooks; +https://www.standardwebhooks.com)"
}

/// What a transfer's callbacks collect.
private final class TransferState {
    var received = 0
    var retryAfter: String?
}
