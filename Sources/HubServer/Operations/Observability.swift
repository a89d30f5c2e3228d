import Classification
import CustomsModel
import Foundation
import JSONCore
import Logging
import Metrics
import Pipeline
import Prometheus
import Relay
import Screening
import Store
import Tariff
import Synchronization

/// The server's metrics through swift-metrics, exposed in Prometheus text by swift-prometheus.
/// The metrics system is process-wide and bootstrapped once; every server in the process shares it.
public final class HubMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    private static let shared: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                                                   .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
                                                   .seconds(2), .seconds(5)]
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// The breaker state the relay last reported per adapter (true: open), for the message browser.
    private let breakers = Mutex<[String: Bool]>([:])
    private let samples = Mutex(0)
    /// Adapters the outbox gauge reports, so that an emptied queue reads zero.
    private let outboxAdapters = Mutex(Set<String>())

    public init() { registry = Self.shared }

    public var breakerStates: [String: Bool] { breakers.withLock { $0 } }

    public func exposition() -> String { registry.emitToString() }

    func submitted(state: String, created: Bool, seconds: Double) {
        Counter(label: "customs_hub_orders_total", dimensions: [("state", state), ("created", created ? "true" : "false")]).increment()
        Metrics.Timer(label: "customs_hub_submit_duration_seconds").recordNanoseconds(Int64(seconds * 1e9))
    }

    func callback(adapter: String, outcome: String) {
        Counter(label: "customs_hub_callbacks_received_total", dimensions: [("adapter", adapter), ("outcome", outcome)]).increment()
    }

    /// Queue depths from the store: outbox rows still in play per adapter and state, open review
    /// items, callbacks waiting to be applied. Read at every scrape and every few seconds, from
    /// indexes only (`QueueDepths`). A store that cannot answer leaves the last values and says so.
    public func sampleQueues(_ store: any ServerDatabase) async {
        let depths: QueueDepths
        do { depths = try await store.queueDepths() } catch {
            Counter(label: "customs_hub_metric_sample_failures_total").increment()
            return
        }
        // Every adapter the relay runs or the outbox named before gets a value for every state in
        // play, zero included: an emptied queue reads 0, not its last count.
        let counts = Dictionary(depths.outbox.map { ("\($0.adapterID)\u{0}\($0.state.rawValue)", $0.count) }, uniquingKeysWith: +)
        let running = Set(breakerStates.keys)
        let adapters = outboxAdapters.withLock { known in
            known.formUnion(depths.outbox.map(\.adapterID))
            known.formUnion(running)
            return known
        }
        for adapter in adapters {
            for state in QueueDepths.outboxStates {
                Gauge(label: "customs_hub_outbox_rows", dimensions: [("adapter", adapter), ("state", state.rawValue)])
                    .record(counts["\(adapter)\u{0}\(state.rawValue)"] ?? 0)
            }
        }
        Gauge(label: "customs_hub_review_open_items").record(depths.openReviewItems)
        Gauge(label: "customs_hub_callbacks_waiting").record(depths.waitingCallbacks)
    }

    /// The queues, and the KPIs every sixth time (they read every order's rows: half a minute at the server's pace).
    public func sample(_ store: any ServerDatabase) async {
        await sampleQueues(store)
        if samples.withLock({ $0 += 1; return $0 % 6 == 1 }), let input = try? await KPIInput.read(store, tenant: nil, limit: 1000) {
            record(KPIReport(input))
        }
    }

    /// How long one stage of the work took: `reserve`, `evaluate`, `records`, `store` (an order's
    /// submit, recorded by the hub), `deliver` (one send to a gateway), `callback` (applying one).
    public static func stage(_ name: String, adapter: String? = nil, seconds: Double) {
        Metrics.Timer(label: "customs_hub_stage_duration_seconds", dimensions: [("stage", name)] + (adapter.map { [("adapter", $0)] } ?? []))
            .recordNanoseconds(Int64(seconds * 1e9))
    }

    /// One settled delivery attempt per adapter and outcome (delivered, retry, dead, …).
    public func delivery(adapter: String, event: String) {
        Counter(label: "customs_hub_deliveries_total", dimensions: [("adapter", adapter), ("event", event)]).increment()
    }

    /// Ages of what the engines decide with, in seconds at `now`: each sanctions list since its
    /// publication, each tariff pack since its source date, the classifier model since its training.
    public func recordAges(_ engines: PipelineEngines, now: Date) {
        for list in engines.screening.listStatuses(at: now) {
            guard let published = list.published.flatMap(Timestamp.parse) else { continue }
            Gauge(label: "customs_hub_content_age_seconds", dimensions: [("kind", "list"), ("name", list.list), ("version", list.version)])
                .record(now.timeIntervalSince(published))
        }
        for header in engines.tariff?.headers ?? [] {
            guard let day = Timestamp.parse("\(header.sourceDate)T00:00:00Z") else { continue }
            Gauge(label: "customs_hub_content_age_seconds", dimensions: [("kind", "pack"), ("name", header.id), ("version", header.version)])
                .record(now.timeIntervalSince(day))
        }
        if let trained = Timestamp.parse(engines.classifier.model.trainedAt) {
            Gauge(label: "customs_hub_content_age_seconds", dimensions: [("kind", "model"), ("name", "classifier"), ("version", engines.classifier.modelVersion)])
                .record(now.timeIntervalSince(trained))
        }
    }

    public func breaker(adapter: String, open: Bool) {
        breakers.withLock { $0[adapter] = open }
        Gauge(label: "customs_hub_circuit_breaker_open", dimensions: [("adapter", adapter)]).record(open ? 1 : 0)
    }

    public func contentAge(part: String, loadedAt: Date) {
        Gauge(label: "customs_hub_content_loaded_timestamp_seconds", dimensions: [("part", part)]).record(loadedAt.timeIntervalSince1970)
    }
}

/// Times every send to a gateway (`customs_hub_stage_duration_seconds{stage="deliver"}`).
public struct TimedTransport: Transport {
    public let inner: any Transport
    public let adapterOf: @Sendable (String) -> String?

    public init(inner: any Transport, routes: [AdapterRoute]) {
        self.inner = inner
        let prefixes = routes.map { ($0.url, $0.adapterID) }.sorted { $0.0.count > $1.0.count }
        adapterOf = { url in prefixes.first { url.hasPrefix($0.0) }?.1 }
    }

    public func send(_ request: TransportRequest, timeoutMillis: Int64) async throws(TransportFailure) -> TransportResponse {
        let started = ContinuousClock.now
        defer { HubMetrics.stage("deliver", adapter: adapterOf(request.url) ?? "other", seconds: (ContinuousClock.now - started).seconds) }
        return try await inner.send(request, timeoutMillis: timeoutMillis)
    }
}

/// One JSON object per log line: time, level, logger, message and the metadata (tenant, order,
/// filing ids as the call sites give them).
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String
    let write: @Sendable (String) -> Void

    public init(label: String, write: @escaping @Sendable (String) -> Void = { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }) {
        self.label = label; self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String, file: String,
                    function: String, line: UInt) {
        var fields: [(String, JSONValue)] = [("time", .string(Timestamp.format(Date()))), ("level", .string(level.rawValue)),
                                             ("logger", .string(label)), ("message", .string("\(message)"))]
        var merged = metadata
        if let extra { merged.merge(extra) { _, new in new } }
        for (k, v) in merged.sorted(by: { $0.key < $1.key }) where !["time", "level", "logger", "message"].contains(k) {
            fields.append((k, .string("\(v)")))
        }
        write(JSONWriter.write(.object(JSONObject(fields))))
    }
}
