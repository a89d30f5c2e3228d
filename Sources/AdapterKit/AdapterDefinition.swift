import CustomsModel
import Foundation
import Mapping

/// One gateway or courier, described as data (`Adapters/NAME.yaml`): what it speaks, where and how
/// to send, how fast, how to retry, how to read its answers and how to recognise its callbacks.
public struct AdapterDefinition: Sendable {
    public var id: String
    public var name: String
    public var format: MappingSpec.Format
    public var routes: Routes
    public var outbound: Outbound?
    public var inbound: [Inbound]
    public var transport: Transport
    public var auth: Auth
    public var rateLimit: RateLimit
    public var retry: RetryPolicy
    public var idempotency: Idempotency?
    public var responses: [ResponseRule]
    public var callbacks: Callbacks?
    /// Non-secret deployment values handed to the mappings as `$name` (declarant EORI, office codes).
    public var parameters: [String: String]
    public var file: String

    /// Which orders this adapter files for.
    public struct Routes: Sendable {
        /// Country codes, `EU`, or `*`.
        public var destinations: [String]
        public var transportModes: [TransportMode]

        public func accepts(_ order: Order) -> Bool {
            let d = order.shipment.destinationCountry
            let destinationOK = destinations.contains { $0 == "*" || $0 == d.rawValue || ($0 == "EU" && d.isEUMember) }
            let modeOK = transportModes.isEmpty || order.shipment.transportMode.map(transportModes.contains) == true
            return destinationOK && modeOK
        }
    }

    public struct Outbound: Sendable {
        public var mapping: String
        public var messageType: String
        public var version: String?
        public var contentType: String
    }

    /// A message the adapter receives: an order from an OMS, or a status callback.
    public struct Inbound: Sendable {
        public var kind: String
        public var mapping: String
        /// When set, this mapping reads only messages of this type (EDIFACT UNH type such as
        /// `CONTRL`, or the XML root element's local name); the first matching entry wins.
        public var messageType: String?
    }

    public enum Transport: Sendable {
        case http(method: String, endpoint: String, headers: [(String, String)], timeoutSeconds: Int)
        /// EDIFACT partners that collect files from a folder; `filename` may use `{reference}`.
        case fileDrop(directory: String, filename: String)
        /// An adapter that only reads (orders an ERP pushes in): it sends nothing, so it has no transport.
        case none
    }

    /// A secret is never in the file: only where to find it.
    public enum SecretReference: Sendable, Hashable, CustomStringConvertible {
        case environment(String)
        case file(String)

        public var description: String {
            switch self {
            case .environment(let name): "env:\(name)"
            case .file(let path): "file:\(path)"
            }
        }
    }

    public enum Auth: Sendable {
        case none
        case apiKeyHeader(header: String, key: SecretReference)
        case basic(username: SecretReference, password: SecretReference?)
        /// A fixed bearer token (`Authorization: Bearer …`), read from its reference at send time.
        case bearer(token: SecretReference)
        /// OAuth2 client credentials; the relay caches the token until shortly before it expires.
        case oauth2ClientCredentials(tokenURL: String, clientID: SecretReference, clientSecret: SecretReference, scope: String?)
    }

    /// Token bucket: `rate` requests per `per` (second/minute), bursts up to `burst`, and at most
    /// `maxConcurrency` requests in flight.
    public struct RateLimit: Sendable {
        public var rate: Double
        public var per: String
        public var burst: Int
        public var maxConcurrency: Int
        public var requestsPerSecond: Double { per == "minute" ? rate / 60 : rate }
    }

    public struct RetryPolicy: Sendable {
        public var maxAttempts: Int
        public var baseDelayMilliseconds: Int
        public var maxDelayMilliseconds: Int
        public var retryableStatus: Set<Int>
        public var honourRetryAfter: Bool
    }

    public struct Idempotency: Sendable {
        public var header: String
        /// A canonical path (`idempotency_key`) or template (`{merchant_id}-{idempotency_key}`).
        public var from: String
    }

    public enum Outcome: String, Sendable, Codable {
        case accepted, rejected, unknown
    }

    /// How an HTTP answer maps to an outcome.
    public struct ResponseRule: Sendable {
        /// Exact codes or classes like `4xx`.
        public var status: [String]
        public var outcome: Outcome
        /// JSON Pointer to the gateway's reference for the filing.
        public var reference: String?
        /// JSON Pointer to an array of reasons, or to one reason.
        public var reasons: String?
        /// Within each reason: the field holding the message (and optionally the code).
        public var reasonMessage: String?
        public var reasonCode: String?

        public func matches(_ status: Int) -> Bool {
            self.status.contains { s in
                if s.count == 3, s.hasSuffix("xx"), let first = s.first?.wholeNumberValue { return status / 100 == first }
                return Int(s) == status
            }
        }
    }

    /// Where the hub's server takes an adapter's callbacks (`POST`), signed as `callbacks.signature` says.
    public static func callbackPath(_ adapterID: String) -> String { "/v1/callbacks/" + adapterID }

    public struct Callbacks: Sendable {
        public var mapping: String
        /// JSON Pointer to the event's unique id, used to drop duplicates.
        public var eventID: String?
        public var signature: Signature?
    }

    public struct Signature: Sendable {
        /// `hmac-sha256-hex` (header carries the hex digest of the body) or `standard-webhooks`.
        public var scheme: String
        public var header: String
        public var secret: SecretReference
        /// Reject signed callbacks older than this (replay protection), for schemes with a timestamp.
        public var toleranceSeconds: Int
    }
}
