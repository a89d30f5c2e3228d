import AdapterKit
import Foundation
import Store

/// Where and how one adapter's messages are delivered. Until the adapters issue lands, this is the
/// minimal HTTP adapter: a URL, a policy, and how to settle an unknown delivery.
public struct AdapterRoute: Sendable {
    /// What to do with a message whose last attempt ended without an answer.
    public enum UnknownDeliveryRule: Sendable, Hashable {
        /// Resend with the same `Idempotency-Key`; the gateway promises to drop duplicates.
        case resendWithSameKey
        /// Ask first: GET this URL (`{key}` is replaced by the idempotency key). 2xx means the
        /// gateway has it (delivered), 404 means it does not (send), anything else: try later.
        case queryStatus(urlTemplate: String)
    }

    public var adapterID: String
    public var url: String
    public var retry: RetryPolicy
    public var ratePerSecond: Double
    public var burst: Int
    /// Requests in flight to this adapter at once, per relay instance.
    public var maxConcurrent: Int
    public var timeoutMillis: Int64
    public var breakerFailureThreshold: Int
    public var breakerCoolDownMillis: Millis
    public var unknownDelivery: UnknownDeliveryRule
    /// The header that carries the outbox row's idempotency key.
    public var idempotencyHeader: String
    /// Fixed headers sent with every request (no secrets: auth is not handled here yet).
    public var headers: [String: String]
    /// Statuses worth retrying; nil means `HTTPClassifier`'s default table.
    public var retryableStatus: Set<Int>?
    public var honourRetryAfter: Bool
    /// Credentials, by reference; applied at send time.
    public var auth: AdapterDefinition.Auth = .none
    /// The adapter's response rules; empty means "2xx delivered, the rest by status class".
    public var responses: [AdapterDefinition.ResponseRule] = []
    /// When set, every request is signed with Standard Webhooks (`webhook-id` = the row's
    /// idempotency key, `webhook-timestamp`, `webhook-signature`), at send time: a retry is signed anew.
    public var webhookSecret: [UInt8]?

    public init(adapterID: String, url: String, retry: RetryPolicy = RetryPolicy(), ratePerSecond: Double = 1000, burst: Int = 100,
                maxConcurrent: Int = 16, timeoutMillis: Int64 = 10_000, breakerFailureThreshold: Int = 20,
                breakerCoolDownMillis: Millis = 30_000, unknownDelivery: UnknownDeliveryRule = .resendWithSameKey,
                idempotencyHeader: String = "Idempotency-Key", headers: [String: String] = [:], retryableStatus: Set<Int>? = nil,
                honourRetryAfter: Bool = true) {
        self.adapterID = adapterID; self.url = url; self.retry = retry; self.ratePerSecond = ratePerSecond; self.burst = burst
        self.maxConcurrent = max(1, maxConcurrent); self.timeoutMillis = timeoutMillis
        self.breakerFailureThreshold = breakerFailureThreshold; self.breakerCoolDownMillis = breakerCoolDownMillis
        self.unknownDelivery = unknownDelivery; self.idempotencyHeader = idempotencyHeader; self.headers = headers
        self.retryableStatus = retryableStatus; self.honourRetryAfter = honourRetryAfter
    }

    /// The route an adapter file (`Adapters/*.yaml`) describes: endpoint, static headers, timeout,
    /// rate limit, concurrency, retry policy and idempotency header. `url` overrides the endpoint
    /// (a test sink, a sandbox). File-drop adapters have no HTTP route.
    ///
    /// A file-drop adapter's route is a `file://DIRECTORY/FILENAME` URL (`{reference}` in the name
    /// becomes the row's idempotency key); `url` then overrides the directory, and a relative
    /// directory is taken from `baseDirectory`.
    public init(definition d: AdapterDefinition, url: String? = nil, baseDirectory: String? = nil) throws(RouteError) {
        var headers: [String: String] = [:]
        let target: String
        var timeoutSeconds = 30
        switch d.transport {
        case .http(_, let endpoint, let fixed, let timeout):
            for (name, value) in fixed { headers[name.lowercased()] = value }
            target = url ?? endpoint
            timeoutSeconds = timeout
        case .fileDrop(let directory, let filename):
            var folder = url ?? directory
            if !folder.hasPrefix("/") {
                folder = (baseDirectory ?? FileManager.default.currentDirectoryPath) + "/" + folder
            }
            target = URL(fileURLWithPath: folder).appendingPathComponent(filename).absoluteString
                .replacingOccurrences(of: "%7Breference%7D", with: "{reference}")
        case .none:
            throw RouteError(adapterID: d.id, message: "adapter \(d.id) only reads messages; there is nothing to deliver to it")
        }
        self.init(adapterID: d.id, url: target,
                  retry: RetryPolicy(maxAttempts: d.retry.maxAttempts, baseDelayMillis: Millis(d.retry.baseDelayMilliseconds),
                                     maxDelayMillis: Millis(d.retry.maxDelayMilliseconds)),
                  ratePerSecond: d.rateLimit.requestsPerSecond, burst: d.rateLimit.burst, maxConcurrent: d.rateLimit.maxConcurrency,
                  timeoutMillis: Int64(max(1, timeoutSeconds)) * 1000,
                  idempotencyHeader: d.idempotency?.header ?? "Idempotency-Key", headers: headers,
                  retryableStatus: d.retry.retryableStatus.isEmpty ? nil : d.retry.retryableStatus,
                  honourRetryAfter: d.retry.honourRetryAfter)
        auth = d.auth
        responses = d.responses
    }
}

public struct RouteError: Error, Sendable, CustomStringConvertible {
    public var adapterID: String
    public var message: String
    public var description: String { message }
}

/// Raised once per breaker transition, never per row.
public struct AdapterAlert: Sendable, Hashable {
    public var adapterID: String
    public var transition: CircuitBreaker.Transition
    public var at: Millis
}
