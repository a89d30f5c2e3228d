import CustomsModel
import Foundation
import JSONCore
import Logging
import Store
import Synchronization

/// One alert rule, kept as data (`Data/alerts/rules.json`): a KPI by name (`rejection_rate:*` is
/// every adapter's), and when it is bad: above or below a bound, or below its own trailing
/// average by more than a margin (drift against a baseline).
public struct AlertRule: Sendable, Hashable {
    public var id: String
    public var kpi: String
    public var above: Double?
    public var below: Double?
    public var belowBaselineBy: Double?
    /// Evaluations the baseline averages over (the current one excluded).
    public var baselineWindow: Int
    public var description: String

    public init(id: String, kpi: String, above: Double? = nil, below: Double? = nil, belowBaselineBy: Double? = nil, baselineWindow: Int = 20,
                description: String = "") {
        self.id = id; self.kpi = kpi; self.above = above; self.below = below; self.belowBaselineBy = belowBaselineBy
        self.baselineWindow = max(1, baselineWindow); self.description = description
    }

    public struct LoadError: Error, CustomStringConvertible, Sendable { public var description: String }

    /// `{"rules": [{"id", "kpi", "above"|"below"|"below_baseline_by", "baseline_window", "description"}]}`.
    public static func load(_ bytes: [UInt8], source: String) throws -> [AlertRule] {
        let root: JSONValue
        do { root = try JSONParser.parse(bytes) } catch { throw LoadError(description: "\(source): \(error)") }
        guard let rules = root["rules"]?.arrayValue else { throw LoadError(description: "\(source): expected {\"rules\": [...]}") }
        return try rules.enumerated().map { i, r in
            func number(_ key: String) throws -> Double? {
                guard let v = r[key] else { return nil }
                guard case .number(let text) = v, let d = Double(text) else { throw LoadError(description: "\(source): /rules/\(i)/\(key): expected a number") }
                return d
            }
            guard let id = r["id"]?.stringValue, !id.isEmpty, let kpi = r["kpi"]?.stringValue, !kpi.isEmpty else {
                throw LoadError(description: "\(source): /rules/\(i): id and kpi are required")
            }
            let rule = AlertRule(id: id, kpi: kpi, above: try number("above"), below: try number("below"), belowBaselineBy: try number("below_baseline_by"),
                                 baselineWindow: Int(try number("baseline_window") ?? 20), description: r["description"]?.stringValue ?? "")
            guard rule.above != nil || rule.below != nil || rule.belowBaselineBy != nil else {
                throw LoadError(description: "\(source): /rules/\(i): give above, below or below_baseline_by")
            }
            return rule
        }
    }
}

/// An alert entering (`firing`) or leaving (`resolved`) its bad state.
public struct AlertEvent: Sendable, Hashable {
    public var ruleID: String
    public var kpi: String
    public var value: Double
    public var firing: Bool
    public var description: String
    public var at: Date

    public var json: JSONValue {
        .object(JSONObject([
            ("type", .string(firing ? "alert.firing" : "alert.resolved")), ("rule", .string(ruleID)), ("kpi", .string(kpi)),
            ("value", KPIReport.number(value)), ("description", .string(description)), ("at", .string(Timestamp.format(at))),
        ]))
    }
}

/// Evaluates the rules on successive KPI values. Pure: values in, transitions out; each alert is
/// reported once when it enters its bad state and once when it leaves it.
public struct AlertEvaluator: Sendable {
    public var rules: [AlertRule]
    public private(set) var firing: Set<String> = []
    var history: [String: [Double]] = [:]

    public init(rules: [AlertRule]) { self.rules = rules }

    public mutating func step(_ values: [String: Double], at now: Date) -> [AlertEvent] {
        var events: [AlertEvent] = []
        for rule in rules {
            let keys = rule.kpi.hasSuffix("*") ? values.keys.filter { $0.hasPrefix(rule.kpi.dropLast()) }.sorted() : [rule.kpi]
            for key in keys {
                guard let value = values[key] else { continue }
                var bad = false
                if let above = rule.above, value > above { bad = true }
                if let below = rule.below, value < below { bad = true }
                if let by = rule.belowBaselineBy, let past = history[key]?.suffix(rule.baselineWindow), past.count >= min(3, rule.baselineWindow) {
                    let baseline = past.reduce(0, +) / Double(past.count)
                    if baseline - value > by { bad = true }
                }
                let id = rule.id + "\u{1F}" + key
                if bad && !firing.contains(id) {
                    firing.insert(id)
                    events.append(AlertEvent(ruleID: rule.id, kpi: key, value: value, firing: true, description: rule.description, at: now))
                } else if !bad && firing.contains(id) {
                    firing.remove(id)
                    events.append(AlertEvent(ruleID: rule.id, kpi: key, value: value, firing: false, description: rule.description, at: now))
                }
            }
        }
        for (key, value) in values {
            var h = history[key] ?? []
            h.append(value)
            if h.count > 200 { h.removeFirst(h.count - 200) }
            history[key] = h
        }
        return events
    }
}

/// Runs the rules on the store's KPIs: every transition goes to the log and, when a webhook is
/// configured, into the outbox for adapter `alerts-webhook` (the relay signs it with Standard Webhooks).
public final class AlertMonitor: Sendable {
    public static let webhookAdapter = "alerts-webhook"
    private let evaluator: Mutex<AlertEvaluator>
    private let store: any ServerDatabase
    private let logger: Logger
    private let webhook: Bool
    /// Figures the store does not hold (open breakers, stale sanctions lists).
    private let extra: @Sendable () -> [String: Double]

    public init(rules: [AlertRule], store: any ServerDatabase, logger: Logger, webhook: Bool, extra: @escaping @Sendable () -> [String: Double] = { [:] }) {
        evaluator = Mutex(AlertEvaluator(rules: rules))
        self.store = store; self.logger = logger; self.webhook = webhook; self.extra = extra
    }

    /// One evaluation; returns the transitions it reported.
    @discardableResult
    public func check(now: Date = Date()) async throws -> [AlertEvent] {
        var values = KPIReport(try await KPIInput.read(store, tenant: nil, limit: 1000)).alertValues
        values.merge(extra()) { _, b in b }
        let events = evaluator.withLock { $0.step(values, at: now) }
        // Every check's figures at debug level: what each rule was judged on, also when nothing changed.
        logger.debug("alerts checked", metadata: Logger.Metadata(uniqueKeysWithValues: values.map { ("kpi.\($0.key)", "\($0.value)") }))
        for e in events {
            logger.warning("alert \(e.firing ? "firing" : "resolved"): \(e.ruleID)",
                           metadata: ["alert.rule": "\(e.ruleID)", "alert.kpi": "\(e.kpi)", "alert.value": "\(e.value)"])
        }
        if webhook && !events.isEmpty {
            _ = try await store.enqueue(events.map { e in
                NewOutboxMessage(idempotencyKey: "alert/\(e.ruleID)/\(e.kpi)/\(e.firing ? "firing" : "resolved")/\(e.at.millis)",
                                 adapterID: Self.webhookAdapter, contentType: "application/json", payload: Array(JSONWriter.write(e.json).utf8))
            }, now: now.millis)
        }
        return events
    }
}
