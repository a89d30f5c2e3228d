import Foundation
import Store

/// A transport that asks the database before each send, so several relay instances share one
/// rate limit and one circuit breaker per adapter: it waits for a token from the adapter's shared
/// bucket, refuses to send while another instance holds the breaker open (the relay counts that as
/// not sent and backs off), and reports each outcome to the shared breaker.
public struct SharedGateTransport: Transport {
    public let inner: any Transport
    public let gates: any AdapterGates
    /// Route by URL prefix: the relay's requests carry the route's URL (or its status-query URL).
    let routes: [(prefix: String, route: AdapterRoute)]
    let clock: @Sendable () -> Millis

    public init(inner: any Transport, gates: any AdapterGates, routes: [AdapterRoute], clock: @escaping @Sendable () -> Millis = { Date().millis }) {
        self.inner = inner; self.gates = gates; self.clock = clock
        self.routes = routes.map { ($0.url, $0) }.sorted { $0.prefix.count > $1.prefix.count }
    }

    public func send(_ request: TransportRequest, timeoutMillis: Int64) async throws(TransportFailure) -> TransportResponse {
        guard let route = routes.first(where: { request.url.hasPrefix($0.prefix) })?.route else {
            return try await inner.send(request, timeoutMillis: timeoutMillis)
        }
        do {
            if let until = try await gates.breakerOpenUntil(adapterID: route.adapterID, now: clock()) {
                throw TransportFailure.notSent("circuit open (shared) until \(until)")
            }
            while let wait = try await gates.takeToken(adapterID: route.adapterID, ratePerSecond: route.ratePerSecond, burst: route.burst, now: clock()) {
                try await Task.sleep(for: .milliseconds(max(1, wait - clock())))
            }
        } catch let failure as TransportFailure {
            throw failure
        } catch {
            throw TransportFailure.notSent("shared gate unavailable: \(error)")
        }
        let result: Result<TransportResponse, TransportFailure>
        do { result = .success(try await inner.send(request, timeoutMillis: timeoutMillis)) } catch { result = .failure(error) }
        let success: Bool
        switch result {
        case .success(let response): success = response.status < 500
        case .failure: success = false
        }
        try? await gates.recordOutcome(adapterID: route.adapterID, success: success, threshold: route.breakerFailureThreshold,
                                       coolDownMillis: route.breakerCoolDownMillis, now: clock())
        return try result.get()
    }
}
