import AdapterKit
import AsyncHTTPClient
import Foundation
import HubServer
import JSONCore
import Logging
import LoopbackSink
import Pipeline
import Relay
import Screening
import Store
import StoreSQLite
import Synchronization
import Testing

@Suite("Alerts: rules as data on the KPIs, once on entering and once on leaving")
struct AlertTests {
    /// Checks a Standard Webhooks signature by signing the body again with the sender's id and time.
    static func signedBy(_ secret: [UInt8], headers: [String: String], body: [UInt8]) -> Bool {
        let lower = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        guard let id = lower["webhook-id"], let ts = lower["webhook-timestamp"].flatMap(TimeInterval.init), let given = lower["webhook-signature"] else {
            return false
        }
        let expected = CallbackSigner.standardWebhooks(secret: secret, body: body, eventID: id, now: Date(timeIntervalSince1970: ts))
        return expected["webhook-signature"] == given
    }

    @Test("A rule fires once when its KPI goes bad and once when it recovers; per-adapter and baseline rules")
    func evaluator() throws {
        let rules = try AlertRule.load(Array(try Data(contentsOf: repoRoot.appendingPathComponent("Data/alerts/rules.json"))), source: "rules.json")
        #expect(rules.contains { $0.id == "adapter-rejection-spike" } && rules.contains { $0.id == "confidence-drift" })
        var e = AlertEvaluator(rules: rules)
        let t = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(e.step(["rejection_rate:uk-cds": 0.1, "rejection_rate:easypost": 0.0, "automation_rate": 0.9], at: t).isEmpty)
        let spike = e.step(["rejection_rate:uk-cds": 0.6, "rejection_rate:easypost": 0.0, "automation_rate": 0.9], at: t)
        #expect(spike.map(\.ruleID) == ["adapter-rejection-spike"] && spike.first?.kpi == "rejection_rate:uk-cds" && spike.first?.firing == true)
        #expect(e.step(["rejection_rate:uk-cds": 0.7, "automation_rate": 0.9], at: t).isEmpty, "still bad: not again")
        let over = e.step(["rejection_rate:uk-cds": 0.2, "automation_rate": 0.9], at: t)
        #expect(over.count == 1 && over.first?.firing == false)
        // Confidence drifting below its own trailing average.
        for _ in 0..<5 { #expect(e.step(["mean_confidence": 0.8], at: t).isEmpty) }
        #expect(e.step(["mean_confidence": 0.6], at: t).map(\.ruleID) == ["confidence-drift"])
        #expect(throws: AlertRule.LoadError.self) { try AlertRule.load(Array(#"{"rules":[{"id":"x","kpi":"y"}]}"#.utf8), source: "bad.json") }
    }

    @Test("The monitor logs each transition and queues it for the alert webhook")
    func monitorQueuesWebhooks() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-alerts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteStore(path: dir.appendingPathComponent("hub.sqlite").path, synchronous: "NORMAL")
        try await store.migrate()
        let breakers = Mutex(1.0)
        let monitor = AlertMonitor(rules: [AlertRule(id: "circuit-breaker-open", kpi: "breakers_open", above: 0)], store: store,
                                   logger: Logger(label: "test"), webhook: true, extra: { ["breakers_open": breakers.withLock { $0 }] })
        #expect(try await monitor.check().map(\.firing) == [true])
        #expect(try await monitor.check().isEmpty)
        breakers.withLock { $0 = 0 }
        #expect(try await monitor.check().map(\.firing) == [false])
        let queued = try await store.messages(OutboxFilter(adapterID: AlertMonitor.webhookAdapter))
        #expect(queued.count == 2)
        let bodies = queued.compactMap { try? JSONParser.parse($0.payload) }
        #expect(bodies.compactMap { $0["type"]?.stringValue }.sorted() == ["alert.firing", "alert.resolved"])
        try await store.close()
    }

    @Test("Confidence drifting below its trailing baseline fires once, and the webhook receives the signed JSON over real HTTP")
    func driftAlertReachesTheWebhookOverHTTP() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-alerts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteStore(path: dir.appendingPathComponent("hub.sqlite").path, synchronous: "NORMAL")
        try await store.migrate()
        let sink = LoopbackSink()
        try await sink.start()
        let confidence = Mutex(0.9)
        let monitor = AlertMonitor(rules: [AlertRule(id: "confidence-drift", kpi: "mean_confidence", belowBaselineBy: 0.15, baselineWindow: 5)],
                                   store: store, logger: Logger(label: "test"), webhook: true,
                                   extra: { ["mean_confidence": confidence.withLock { $0 }] })
        for _ in 0..<3 { #expect(try await monitor.check().isEmpty) }
        confidence.withLock { $0 = 0.6 }
        #expect(try await monitor.check().map(\.firing) == [true])
        #expect(try await monitor.check().isEmpty, "fires once while it stays bad")

        // The route `serve` builds from CUSTOMS_HUB_ALERT_WEBHOOK_URL and _SECRET, delivered by the real relay.
        let secret = Array(("whsec_" + Data("alert-secret-0123456789".utf8).base64EncodedString()).utf8)
        var route = AdapterRoute(adapterID: AlertMonitor.webhookAdapter, url: sink.url)
        route.webhookSecret = secret
        let relay = Relay(store: store, transport: HTTPClientTransport(client: .shared), routes: [route],
                          configuration: RelayConfiguration(owner: "alerts", maxInFlight: 4, leaseMillis: 120_000, idleMillis: 100))
        try await relay.runOnce()
        let received = sink.received
        #expect(received.count == 1)
        let delivery = try #require(received.first)
        let body = try JSONParser.parse(delivery.body)
        #expect(body["type"]?.stringValue == "alert.firing" && body["rule"]?.stringValue == "confidence-drift"
                && body["kpi"]?.stringValue == "mean_confidence", "\(String(decoding: delivery.body, as: UTF8.self))")
        #expect(Self.signedBy(secret, headers: delivery.headers, body: delivery.body), "\(delivery.headers)")
        var tampered = delivery.body
        tampered[tampered.count - 2] ^= 1
        #expect(!Self.signedBy(secret, headers: delivery.headers, body: tampered))
        #expect(!Self.signedBy(Array("whsec_other".utf8), headers: delivery.headers, body: delivery.body))
        #expect(try await store.messages(OutboxFilter(adapterID: AlertMonitor.webhookAdapter)).map(\.state) == [.delivered])
        await sink.stop()
        try await store.close()
    }

    /// The shipped list snapshots are stale on any clock of today (the newest is of 2026-02-27, the
    /// limit 14 days). `serve` counts them for the stale-list rule; the demo counts only lists that
    /// are not snapshots, so a list `data update` fetched still alerts there.
    @Test("Stale lists for the rule: every one for serve, none of the shipped snapshots for the demo, a fetched one for both")
    func staleListsCountedForServeAndDemo() throws {
        let screening = try ServerEngines.loaded.get().screening
        #expect(screening.snapshotLists == ["ofac_sdn", "un_sc", "ofac_consolidated", "uk_ofsi"])
        let now = Date(timeIntervalSince1970: 1_796_300_000)  // 2026-12-03
        let stale = screening.listStatuses(at: now).filter(\.stale).map(\.list)
        try #require(stale.count == 4, "\(stale)")
        #expect(screening.staleLists(at: now, countingSnapshots: true).map(\.list) == stale)
        #expect(screening.staleLists(at: now, countingSnapshots: false).isEmpty)
        // The UN list as `data update` leaves it: an entry without the snapshot flag.
        let fetched = ScreeningService(screener: screening.screener, rules: screening.rules, maxListAgeDays: screening.maxListAgeDays,
                                       snapshotLists: screening.snapshotLists.subtracting(["un_sc"]))
        #expect(fetched.staleLists(at: now, countingSnapshots: false).map(\.list) == ["un_sc"])

        // The shipped rule on those counts.
        let rules = try AlertRule.load(Array(try Data(contentsOf: repoRoot.appendingPathComponent("Data/alerts/rules.json"))), source: "rules.json")
        func fires(_ count: Int) -> Bool {
            var evaluator = AlertEvaluator(rules: rules)
            return evaluator.step(["stale_lists": Double(count)], at: now).contains { $0.ruleID == "stale-sanctions-list" && $0.firing }
        }
        #expect(fires(screening.staleLists(at: now, countingSnapshots: true).count))
        #expect(!fires(screening.staleLists(at: now, countingSnapshots: false).count))
        #expect(fires(fetched.staleLists(at: now, countingSnapshots: false).count))
    }
}
