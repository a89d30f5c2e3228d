import Foundation
import HubServer
import JSONCore
import Logging
import Store
import StoreSQLite
import Synchronization
import Testing

@Suite("Alerts: rules as data on the KPIs, once on entering and once on leaving")
struct AlertTests {
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
}
