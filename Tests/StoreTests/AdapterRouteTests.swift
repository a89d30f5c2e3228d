import AdapterKit
import Foundation
import HubContent
import Relay
import Store
import Testing

/// The relay takes rate limits, retries and idempotency headers from the adapter files.
@Suite("Adapter routes")
struct AdapterRouteTests {
    static func catalog() throws -> AdapterCatalog {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let (catalog, errors) = ContentRoot(url: repo).loadCatalog()
        #expect(errors.isEmpty, "\(errors)")
        return catalog
    }

    @Test func easyPostFileBecomesARoute() throws {
        let definition = try Self.catalog().adapter("easypost")
        let route = try AdapterRoute(definition: definition)
        #expect(route.adapterID == "easypost")
        #expect(route.url == "https://api.easypost.com/v2/shipments")
        #expect(route.ratePerSecond == definition.rateLimit.requestsPerSecond)
        #expect(route.burst == definition.rateLimit.burst && route.maxConcurrent == definition.rateLimit.maxConcurrency)
        #expect(route.retry.maxAttempts == definition.retry.maxAttempts)
        #expect(route.retry.baseDelayMillis == Millis(definition.retry.baseDelayMilliseconds))
        #expect(route.retryableStatus == definition.retry.retryableStatus)
        #expect(route.idempotencyHeader == definition.idempotency?.header)
        #expect(route.headers["accept"] == "application/json")
        // The URL can be pointed elsewhere (sandbox, loopback sink).
        #expect(try AdapterRoute(definition: definition, url: "http://127.0.0.1:9/x").url == "http://127.0.0.1:9/x")
    }

    @Test func everyHTTPAdapterHasARoute() throws {
        let catalog = try Self.catalog()
        #expect(!catalog.adapters.isEmpty)
        for definition in catalog.adapters.values {
            // An adapter that only reads (an ERP's inbound orders) has nothing to deliver to.
            if case .none = definition.transport {
                #expect(throws: RouteError.self) { try AdapterRoute(definition: definition, baseDirectory: "/srv/hub") }
                continue
            }
            let route = try AdapterRoute(definition: definition, baseDirectory: "/srv/hub")
            if case .http = definition.transport {
                #expect(route.url.hasPrefix("http"))
            } else {
                // A file drop writes into its folder, relative to the base directory, named by the row.
                #expect(route.url.hasPrefix("file:///srv/hub/") && route.url.hasSuffix("{reference}.edi"), "\(route.url)")
            }
        }
    }

    @Test func adapterRetryableStatusesReplaceTheDefaultTable() {
        #expect(HTTPClassifier.classify(status: 503, retryAfter: nil, now: t0, retryable: [429]) == .failed(.permanent, retryAfterMillis: nil))
        #expect(HTTPClassifier.classify(status: 418, retryAfter: "2", now: t0, retryable: [418]) == .failed(.retryable, retryAfterMillis: 2000))
        #expect(HTTPClassifier.classify(status: 201, retryAfter: nil, now: t0, retryable: []) == .delivered)
    }
}
