import Classification
import CustomsModel
import Foundation
import Hub
import NIOCore
import HTTPTypes
import Hummingbird
import JSONCore
import Metrics
import Store

/// `GET /v1/kpis` (a tenant's figures as JSON), the KPI dashboard at `/review/kpis` (every tenant,
/// charts drawn as SVG on the server), and the same figures as Prometheus gauges.
extension HubAPI {
    func addKPIs(to router: Router<BasicRequestContext>) {
        router.get("/v1/kpis") { request, _ in
            let tenant = try await self.tenant(request)
            let report = KPIReport(try await KPIInput.read(self.store, tenant: tenant))
            return jsonResponse(report.json)
        }
        // The reviewers' HS corrections as the training set's corrections file (Models/corrections.jsonl for `train`).
        router.get("/review/corrections.jsonl") { request, _ in
            try await self.signedIn(request) { _ in
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                let records = try await self.store.hsCorrections(limit: 1_000_000)
                let lines = try records.compactMap(Hub.correction).map { String(decoding: try encoder.encode($0), as: UTF8.self) + "\n" }
                return Response(status: .ok, headers: [.contentType: "application/x-ndjson", .contentDisposition: "attachment; filename=corrections.jsonl"],
                                body: ResponseBody(byteBuffer: ByteBuffer(string: lines.joined())))
            }
        }
        router.get("/review/kpis") { request, _ in
            try await self.signedIn(request) { s in
                let report = KPIReport(try await KPIInput.read(self.store, tenant: nil))
                self.metrics.record(report)
                return Page.response(Page.layout(title: "KPIs", user: s, body: Self.dashboard(report)))
            }
        }
    }

    static func percent(_ v: Double?) -> String { v.map { String(format: "%.1f %%", $0 * 100) } ?? "—" }

    static func dashboard(_ r: KPIReport) -> HTML {
        let tiles: [(String, String, String)] = [
            ("automation", "Automation rate", percent(r.automationRate)), ("review-rate", "Review rate", percent(r.reviewRate)),
            ("rejection", "Rejection rate", percent(r.rejectionRate)), ("holds", "Hold incidence", percent(r.holdRate)),
            ("penalties", "Penalty incidence", percent(r.penaltyRate)), ("agreement", "Reviewer agreement", percent(r.agreementRate)),
            ("resolve", "Time to resolve p50 / p90", "\(r.resolveP50Seconds.map(Self.duration) ?? "—") / \(r.resolveP90Seconds.map(Self.duration) ?? "—")"),
            ("open", "Open review items", "\(r.reviewsOpen)"),
            ("documents", "Document drafts: as read / corrected / rejected",
             "\(r.documentDrafts): \(r.documentsSubmittedAsRead) / \(r.documentsCorrected) / \(r.documentsRejected)"),
        ]
        let clearanceBars = r.clearance.flatMap { c in
            [("\(c.destination) \(c.adapter) p50", c.p50Seconds), ("\(c.destination) \(c.adapter) p90", c.p90Seconds)]
        }
        let confidenceBars = r.confidence.enumerated().map { (String(format: "%.1f", Double($0.offset) / 10), Double($0.element)) }
        let reasonBars = r.reviewsByReason.sorted { $0.value > $1.value }.map { (HubAPI.reasonLabel($0.key), Double($0.value)) }
        let stateBars = r.ordersByState.sorted { $0.value > $1.value }.map { ($0.key, Double($0.value)) }
        return """
            <h1 id="kpis">KPIs <span class="muted">(\(r.orders) orders, \(r.lines) lines)</span></h1>
            <section><table><tr>\(tiles.map { t -> HTML in "<th>\(t.1)</th>" })</tr><tr>\(tiles.map { t -> HTML in "<td id=\"kpi-\(t.0)\"><strong>\(t.2)</strong></td>" })</tr></table>
            <p class="muted">Duty quoted against assessed on \(r.dutyCompared) orders whose gateway sent assessed amounts\(r.dutyByCurrency.keys.sorted().map { c -> HTML in
                let d = r.dutyByCurrency[c]!
                return ": \(Money(d.quoted, CurrencyCode(c)).description) against \(Money(d.assessed, CurrencyCode(c)).description)"
            }).
            The same figures: <a href="/metrics">/metrics</a> (Prometheus) and <code>GET /v1/kpis</code> (per tenant).
            Reviewers' corrections for the next training: <a href="/review/corrections.jsonl">corrections.jsonl</a>.</p></section>
            \(barChart("Clearance time, accepted → cleared (seconds), by destination and adapter", clearanceBars))
            \(barChart("Classifier confidence (lines per bucket)", confidenceBars))
            \(barChart("Review items by reason", reasonBars))
            \(barChart("Orders by state", stateBars))
            """
    }

    static func duration(_ seconds: Double) -> String {
        seconds < 120 ? String(format: "%.0f s", seconds) : seconds < 7200 ? String(format: "%.0f min", seconds / 60) : String(format: "%.1f h", seconds / 3600)
    }

    /// A horizontal bar chart as inline SVG: one labelled bar per value, scaled to the largest.
    static func barChart(_ title: String, _ bars: [(String, Double)]) -> HTML {
        let width = 560.0, labelWidth = 190.0, row = 22.0
        let height = max(1, Double(bars.count)) * row + 34
        let top = max(bars.map(\.1).max() ?? 0, 1e-9)
        let rows: [HTML] = bars.enumerated().map { i, bar in
            let y = 28 + Double(i) * row
            let w = max(1, (width - labelWidth - 70) * bar.1 / top)
            let value = bar.1 == bar.1.rounded() ? String(Int(bar.1)) : String(format: "%.1f", bar.1)
            return """
                <text x="\(Int(labelWidth - 6))" y="\(Int(y + 14))" text-anchor="end" font-size="12">\(String(bar.0.prefix(30)))</text>
                <rect x="\(Int(labelWidth))" y="\(Int(y + 3))" width="\(Int(w))" height="\(Int(row - 6))" fill="#3b6fb6"></rect>
                <text x="\(Int(labelWidth + w + 4))" y="\(Int(y + 14))" font-size="12">\(value)</text>
                """
        }
        return """
            <svg class="chart" xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="\(title)">
            <text x="8" y="18" font-size="13" font-weight="bold">\(title)</text>\(bars.isEmpty ? ["<text x=\"8\" y=\"44\" font-size=\"12\" fill=\"#7a8291\">no data yet</text>"] : rows)</svg>
            """
    }
}

extension HubMetrics {
    /// The KPIs as Prometheus gauges (customs_hub_kpi_*); a figure with no data yet is not written.
    public func record(_ r: KPIReport) {
        for g in r.gauges { Gauge(label: "customs_hub_kpi_" + g.name, dimensions: g.dimensions).record(g.value) }
    }
}

extension KPIReport {
    /// The gauges `/metrics` shows, by name without the `customs_hub_kpi_` prefix: pure, so that a
    /// test sees what a scrape would. A figure with no data yet is left out.
    public var gauges: [(name: String, dimensions: [(String, String)], value: Double)] {
        var out: [(name: String, dimensions: [(String, String)], value: Double)] = []
        func gauge(_ name: String, _ v: Double?, _ dims: [(String, String)] = []) {
            if let v, v.isFinite { out.append((name, dims, v)) }
        }
        gauge("automation_rate", automationRate)
        gauge("review_rate", reviewRate)
        gauge("rejection_rate", rejectionRate)
        gauge("hold_rate", holdRate)
        gauge("penalty_rate", penaltyRate)
        gauge("reviewer_agreement", agreementRate)
        gauge("review_open_items", Double(reviewsOpen))
        gauge("time_to_resolve_p50_seconds", resolveP50Seconds)
        gauge("time_to_resolve_p90_seconds", resolveP90Seconds)
        // Document drafts are review items like the others (counted above); these say how they ended.
        gauge("document_drafts", Double(documentDrafts))
        for (outcome, n) in [("submitted_as_read", documentsSubmittedAsRead), ("corrected", documentsCorrected), ("rejected", documentsRejected)] {
            gauge("documents_resolved", Double(n), [("outcome", outcome)])
        }
        for c in clearance {
            gauge("clearance_p50_seconds", c.p50Seconds, [("destination", c.destination), ("adapter", c.adapter)])
            gauge("clearance_p90_seconds", c.p90Seconds, [("destination", c.destination), ("adapter", c.adapter)])
        }
        for (i, n) in confidence.enumerated() { gauge("confidence_lines", Double(n), [("bucket", String(format: "%.1f", Double(i) / 10))]) }
        return out
    }
}
