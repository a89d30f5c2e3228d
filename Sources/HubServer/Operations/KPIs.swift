import CustomsModel
import Foundation
import Hub
import JSONCore
import Store

/// What the KPIs are computed from: rows read from the store (one tenant's, or all for the workbench).
public struct KPIInput: Sendable {
    public var orders: [OrderRecord]
    public var lines: [Int64: [OrderLineRecord]]
    public var filings: [Int64: [FilingRecord]]
    public var decisions: [Int64: [DecisionRecord]]
    public var reviews: [ReviewItem]

    public init(orders: [OrderRecord], lines: [Int64: [OrderLineRecord]], filings: [Int64: [FilingRecord]],
                decisions: [Int64: [DecisionRecord]], reviews: [ReviewItem]) {
        self.orders = orders; self.lines = lines; self.filings = filings; self.decisions = decisions; self.reviews = reviews
    }

    /// Reads the newest `limit` orders (of `tenant`, or all) with their lines, filings and decisions.
    public static func read(_ store: any ServerDatabase, tenant: String?, limit: Int = 2000) async throws -> KPIInput {
        // The newest `limit` in one read: paging through every order to keep the last ones made
        // each KPI sample (every 30 s in `serve`) cost more the longer the store had been taking orders.
        let newest = OrderFilter(limit: max(1, limit), newestFirst: true)
        let orders: [OrderRecord] = Array((tenant == nil ? try await store.orders(newest)
            : try await store.orders(tenantID: tenant!, newest)).reversed())
        var input = KPIInput(orders: orders, lines: [:], filings: [:], decisions: [:], reviews: [])
        let ids = Set(orders.map(\.id))
        // Their rows in three batch reads (a statement per 500 orders each), not three per order:
        // thousands of round trips per sample on PostgreSQL. An order with no rows has no entry,
        // which the report reads as empty, as it did the empty arrays.
        let orderIDs = orders.map(\.id)
        input.lines = try await store.orderLines(orderIDs: orderIDs)
        input.filings = try await store.filings(orderIDs: orderIDs)
        input.decisions = try await store.decisions(orderIDs: orderIDs)
        // Items about these orders, and the document drafts of the same period (they have no order
        // yet). An order's items are opened when it is taken or later, so none is older than it.
        let since = orders.map(\.createdAt).min() ?? 0
        let period = ReviewFilter(createdSince: since, limit: 1_000_000)
        let reviews = tenant == nil ? try await store.reviewItems(period) : try await store.reviewItems(tenantID: tenant!, period)
        input.reviews = reviews.filter { item in
            if let order = item.orderID { return ids.contains(order) }
            return item.documentID != nil && item.createdAt >= since
        }
        return input
    }
}

/// The figures that show when automation drifts: clearance time, rejections, holds, review rate and
/// time to resolve, automation rate, classifier confidence and its agreement with reviewers, duty
/// quoted against assessed. Pure: rows in, numbers out.
public struct KPIReport: Sendable {
    public struct Clearance: Sendable, Hashable {
        public var destination: String
        public var adapter: String
        public var count: Int
        public var p50Seconds: Double
        public var p90Seconds: Double
    }

    public var orders = 0
    public var ordersByState: [String: Int] = [:]
    public var clearance: [Clearance] = []
    public var filingsAnswered = 0
    public var filingsRejected = 0
    public var filingsHeld = 0
    public var penalties = 0
    public var ordersReviewed = 0
    public var reviewsOpen = 0
    public var reviewsResolved = 0
    public var reviewsByReason: [String: Int] = [:]
    public var resolveP50Seconds: Double?
    public var resolveP90Seconds: Double?
    public var lines = 0
    public var linesUntouched = 0
    /// Ten buckets of the classifier's confidence: [0, 0.1), …, [0.9, 1].
    public var confidence = Array(repeating: 0, count: 10)
    /// Documents that could not be read into a valid order and went to a person: how many, and
    /// whether they became orders as read, corrected, or were rejected.
    public var documentDrafts = 0, documentsSubmittedAsRead = 0, documentsCorrected = 0, documentsRejected = 0
    public var reviewerAgreed = 0
    public var reviewerCorrected = 0
    /// Duty quoted against duty assessed, per currency: amounts of different currencies are
    /// never added together.
    public struct DutyComparison: Sendable, Equatable {
        public var orders = 0
        public var quoted: Decimal = 0
        public var assessed: Decimal = 0

        public init(orders: Int = 0, quoted: Decimal = 0, assessed: Decimal = 0) {
            self.orders = orders
            self.quoted = quoted
            self.assessed = assessed
        }
    }
    public var dutyCompared = 0
    public var dutyByCurrency: [String: DutyComparison] = [:]
    /// Filings answered and rejected per adapter (a spike on one adapter).
    public var answeredByAdapter: [String: Int] = [:]
    public var rejectedByAdapter: [String: Int] = [:]

    static func ratio(_ a: Int, _ b: Int) -> Double? { b == 0 ? nil : Double(a) / Double(b) }
    public var rejectionRate: Double? { Self.ratio(filingsRejected, filingsAnswered) }
    public var holdRate: Double? { Self.ratio(filingsHeld, filingsAnswered) }
    public var penaltyRate: Double? { Self.ratio(penalties, filingsAnswered) }
    public var reviewRate: Double? { Self.ratio(ordersReviewed, orders) }
    public var automationRate: Double? { Self.ratio(linesUntouched, lines) }
    public var agreementRate: Double? { Self.ratio(reviewerAgreed, reviewerAgreed + reviewerCorrected) }

    static func percentile(_ values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((p * Double(sorted.count - 1)).rounded())
        return sorted[max(0, min(sorted.count - 1, rank))]
    }

    public init() {}

    public init(_ input: KPIInput) {
        orders = input.orders.count
        var clearanceTimes: [String: [Double]] = [:]
        let lineReasons: Set<String> = ["low_confidence", "merchant_code_disputed", "invalid_merchant_code"]
        let reviewsByOrder = Dictionary(grouping: input.reviews, by: \.orderID)
        for o in input.orders {
            ordersByState[o.state, default: 0] += 1
            let destination = ((try? JSONParser.parse(o.canonicalJSON))?["shipment"]?["destination_country"]?.stringValue) ?? "?"
            let filings = input.filings[o.id] ?? []
            let decisions = input.decisions[o.id] ?? []
            // Per filing, from its callbacks: answered at all, rejected, held; accepted → cleared.
            for f in filings {
                let events = decisions.filter { $0.kind.hasPrefix("callback.") && $0.output.contains("\"filing_id\":\(f.id),") }
                guard !events.isEmpty else { continue }
                filingsAnswered += 1
                answeredByAdapter[f.adapterID, default: 0] += 1
                let kinds = Set(events.map { String($0.kind.dropFirst("callback.".count)) })
                if kinds.contains("rejected") || f.state == "rejected" {
                    filingsRejected += 1
                    rejectedByAdapter[f.adapterID, default: 0] += 1
                }
                if kinds.contains("held") { filingsHeld += 1 }
                if kinds.contains(where: { $0.contains("penalt") }) { penalties += 1 }
                let accepted = events.first { $0.kind == "callback.accepted" }?.decidedAt ?? f.createdAt
                if let cleared = events.first(where: { $0.kind == "callback.cleared" || $0.kind == "callback.released" })?.decidedAt {
                    clearanceTimes["\(destination)\u{1F}\(f.adapterID)", default: []].append(Double(max(0, cleared - accepted)) / 1000)
                }
                for e in events where e.kind == "callback.duty_assessed" {
                    guard let amounts = (try? JSONParser.parse(e.input))?["amounts"]?.arrayValue, !amounts.isEmpty else { continue }
                    let quote = decisions.last { $0.kind == "landed_cost" }.flatMap { try? JSONParser.parse($0.output) }
                    // In the quote's currency; a quote that names none takes the assessment's, if it names one.
                    let assessedCurrencies = Set(amounts.compactMap { $0["currency"]?.stringValue })
                    guard let currency = quote?["currency"]?.stringValue ?? (assessedCurrencies.count == 1 ? assessedCurrencies.first : nil) else { continue }
                    let assessed = amounts.filter { ($0["currency"]?.stringValue ?? currency) == currency }
                        .compactMap { $0["amount"]?.stringValue.flatMap { Decimal(string: $0) } }.reduce(0, +)
                    // The pipeline stores the quote as the engine wrote it, amounts as exact JSON numbers
                    // (`"duty":5.00`): read as a number or as a string, never skipped for its form.
                    let quotedDuty: Decimal? = switch quote?["duty"] {
                    case .number(let text)?, .string(let text)?: Decimal(string: text)
                    default: nil
                    }
                    guard let duty = quotedDuty else { continue }
                    dutyCompared += 1
                    dutyByCurrency[currency, default: DutyComparison()].orders += 1
                    dutyByCurrency[currency, default: DutyComparison()].quoted += duty
                    dutyByCurrency[currency, default: DutyComparison()].assessed += assessed
                }
            }
            // Lines no person touched: no review item on the line or the whole order, code not from a reviewer.
            let items = reviewsByOrder[o.id] ?? []
            if !items.isEmpty { ordersReviewed += 1 }
            for l in input.lines[o.id] ?? [] {
                lines += 1
                if !items.contains(where: { $0.lineNumber == nil || $0.lineNumber == l.lineNumber }) && l.codeSource != "reviewer" { linesUntouched += 1 }
            }
            for d in decisions where d.kind == "classification" {
                guard let c = d.confidence else { continue }
                let v = NSDecimalNumber(decimal: c).doubleValue
                confidence[max(0, min(9, Int(v * 10)))] += 1
            }
        }
        clearance = clearanceTimes.map { key, times in
            let parts = key.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
            return Clearance(destination: parts[0], adapter: parts.count > 1 ? parts[1] : "", count: times.count,
                             p50Seconds: Self.percentile(times, 0.5) ?? 0, p90Seconds: Self.percentile(times, 0.9) ?? 0)
        }.sorted { ($0.destination, $0.adapter) < ($1.destination, $1.adapter) }
        var resolveTimes: [Double] = []
        for r in input.reviews {
            reviewsByReason[r.reason, default: 0] += 1
            if r.reason == Hub.documentReviewReason {
                documentDrafts += 1
                if r.state == "resolved" {
                    switch r.resolution {
                    case "confirm": documentsSubmittedAsRead += 1
                    case "correct": documentsCorrected += 1
                    case "reject": documentsRejected += 1
                    default: break
                    }
                }
            }
            if r.state == "resolved" {
                reviewsResolved += 1
                if let at = r.resolvedAt { resolveTimes.append(Double(max(0, at - r.createdAt)) / 1000) }
                if lineReasons.contains(r.reason) {
                    if r.resolution == "confirm" { reviewerAgreed += 1 } else if r.resolution == "correct" { reviewerCorrected += 1 }
                }
            } else {
                reviewsOpen += 1
            }
        }
        resolveP50Seconds = Self.percentile(resolveTimes, 0.5)
        resolveP90Seconds = Self.percentile(resolveTimes, 0.9)
    }

    /// The figures alert rules look at, by name; a figure with no data yet is absent.
    /// `rejection_rate:ADAPTER` is one adapter's rate.
    public var alertValues: [String: Double] {
        var v: [String: Double] = [:]
        v["rejection_rate"] = rejectionRate
        v["hold_rate"] = holdRate
        v["penalty_rate"] = penaltyRate
        v["review_rate"] = reviewRate
        v["automation_rate"] = automationRate
        v["reviewer_agreement"] = agreementRate
        v["review_open_items"] = Double(reviewsOpen)
        for (adapter, answered) in answeredByAdapter where answered > 0 {
            v["rejection_rate:\(adapter)"] = Double(rejectedByAdapter[adapter] ?? 0) / Double(answered)
        }
        let scored = confidence.reduce(0, +)
        if scored > 0 {
            v["mean_confidence"] = confidence.enumerated().reduce(0.0) { $0 + (Double($1.offset) + 0.5) / 10 * Double($1.element) } / Double(scored)
        }
        // The widest gap of any currency: a ratio, so currencies compare.
        let gaps = dutyByCurrency.values.filter { $0.quoted > 0 }.map {
            abs(NSDecimalNumber(decimal: $0.assessed - $0.quoted).doubleValue) / NSDecimalNumber(decimal: $0.quoted).doubleValue
        }
        if let widest = gaps.max() { v["duty_gap"] = widest }
        return v
    }

    /// Money as everywhere: `{"amount": "12.50", "currency": "GBP"}`.
    static func money(_ amount: Decimal, _ currency: String) -> JSONValue {
        .object(JSONObject([("amount", .string(Money(amount, CurrencyCode(currency)).amountText)), ("currency", .string(currency))]))
    }

    static func number(_ v: Double?) -> JSONValue {
        guard let v, v.isFinite else { return .null }
        return .number(String(format: "%.4f", v).replacingOccurrences(of: #"\.?0+$"#, with: "", options: .regularExpression))
    }

    public var json: JSONValue {
        func count(_ n: Int) -> JSONValue { .number(String(n)) }
        return .object(JSONObject([
            ("orders", .object(JSONObject([("total", count(orders)),
                                           ("by_state", .object(JSONObject(ordersByState.sorted { $0.key < $1.key }.map { ($0.key, count($0.value)) })))]))),
            ("clearance", .array(clearance.map { c in
                .object(JSONObject([("destination", .string(c.destination)), ("adapter", .string(c.adapter)), ("count", count(c.count)),
                                    ("p50_seconds", Self.number(c.p50Seconds)), ("p90_seconds", Self.number(c.p90Seconds))]))
            })),
            ("filings_answered", count(filingsAnswered)),
            ("rejection_rate", Self.number(rejectionRate)),
            ("hold_rate", Self.number(holdRate)),
            ("penalty_rate", Self.number(penaltyRate)),
            ("review", .object(JSONObject([
                ("rate", Self.number(reviewRate)), ("open", count(reviewsOpen)), ("resolved", count(reviewsResolved)),
                ("time_to_resolve_p50_seconds", Self.number(resolveP50Seconds)), ("time_to_resolve_p90_seconds", Self.number(resolveP90Seconds)),
                ("by_reason", .object(JSONObject(reviewsByReason.sorted { $0.key < $1.key }.map { ($0.key, count($0.value)) }))),
            ]))),
            ("documents", .object(JSONObject([("drafts", count(documentDrafts)), ("submitted_as_read", count(documentsSubmittedAsRead)),
                                              ("corrected", count(documentsCorrected)), ("rejected", count(documentsRejected))]))),
            ("automation_rate", Self.number(automationRate)),
            ("lines", count(lines)),
            ("confidence_histogram", .array(confidence.map(count))),
            ("reviewer_agreement", .object(JSONObject([("rate", Self.number(agreementRate)), ("confirmed", count(reviewerAgreed)),
                                                       ("corrected", count(reviewerCorrected))]))),
            ("duty", .object(JSONObject([("orders_compared", count(dutyCompared)), ("by_currency", .array(dutyByCurrency.keys.sorted().map { c in
                let d = dutyByCurrency[c]!
                return .object(JSONObject([("currency", .string(c)), ("orders_compared", count(d.orders)),
                                           ("quoted", Self.money(d.quoted, c)), ("assessed", Self.money(d.assessed, c))]))
            }))]))),
        ]))
    }
}
