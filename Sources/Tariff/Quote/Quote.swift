import CustomsModel
import Foundation
import JSONCore

/// One duty amount and the measure that produced it.
public struct DutyLine: Sendable, Hashable {
    public var measure: String
    public var type: String
    public var rateText: String
    public var amount: Decimal
    public var legalRef: String?
    public var pack: String
}

/// The priced line: customs value with its share of transport, duties, tax base and tax.
public struct LineQuote: Sendable, Hashable {
    public var index: Int
    public var hsCode: String
    public var value: Decimal
    public var customsValue: Decimal
    public var dutyLines: [DutyLine]
    public var duty: Decimal
    public var vatBase: Decimal
    public var vatRate: Decimal
    public var vat: Decimal
    public var vatCollectedAt: String
}

public struct FeeAmount: Sendable, Hashable {
    public var name: String
    public var rule: String
    /// In `currency`: the fee's own currency when it is levied in another one than the quote's.
    public var amount: Decimal
    public var currency: CurrencyCode
    public var payer: String
    /// False for a fee levied in another currency: it is reported apart and left out of the totals.
    public var inTotals: Bool = true
    /// The amount in the quote currency at a dated rate (informative), with the rate used.
    public var converted: Decimal?
    public var fx: String?
}

/// How old the data behind a quote is: each pack used, its source's date and its age on the
/// quote's date, so a reader sees at once that a 2021 tariff answered a 2026 question.
public struct DataSource: Sendable, Hashable {
    public var pack: String
    public var sourceDate: Day
    public var ageDays: Int
}

/// Who hands which amount to whom: the shopper at checkout, or the carrier/broker at the border.
public struct Collection: Sendable, Hashable {
    public var what: String
    public var amount: Decimal
    public var collectedBy: String
    public var paidBy: String
}

/// A landed-cost quote in the destination's customs currency, every amount rounded as it rounds.
public struct Quote: Sendable, Hashable {
    public var id: String
    public var date: Day
    public var destination: CountryCode
    public var jurisdiction: String
    public var currency: CurrencyCode
    /// Fraction digits the destination prints amounts with.
    public var scale: Int
    public var goodsValue: Decimal
    public var shipping: Decimal
    public var insurance: Decimal
    public var customsValue: Decimal
    public var duty: Decimal
    public var vatBase: Decimal
    public var vat: Decimal
    public var vatCollectedAt: String
    public var dutyCollectedAt: String
    public var fees: [FeeAmount]
    public var totalDutyTaxFees: Decimal
    public var landedCost: Decimal
    public var lines: [LineQuote]
    public var collections: [Collection]
    public var explanation: [String]
    public var dataVersions: [String]
    /// Things the caller must act on (registration duties, stale data, fees left out of totals).
    public var warnings: [String] = []
    public var dataSources: [DataSource] = []
}

extension Quote {
    /// The wire form: snake_case keys, amounts as JSON numbers written exactly.
    public var json: JSONValue {
        func n(_ d: Decimal) -> JSONValue { .number(d.fixed(scale)) }
        func r(_ d: Decimal) -> JSONValue { .number(d.text) }
        func s(_ t: String) -> JSONValue { .string(t) }
        let lineValues: [JSONValue] = lines.map { l in
            .object(JSONObject(distinct: [
                ("index", .number(String(l.index))), ("hs_code", s(l.hsCode)), ("value", n(l.value)),
                ("customs_value", n(l.customsValue)), ("duty", n(l.duty)),
                ("duty_lines", .array(l.dutyLines.map { d in
                    var o = JSONObject(distinct: [
                        ("measure", s(d.measure)), ("type", s(d.type)), ("rate", s(d.rateText)), ("amount", n(d.amount)),
                        ("pack", s(d.pack)),
                    ])
                    if let r = d.legalRef { o["legal_ref"] = s(r) }
                    return .object(o)
                })),
                ("vat_base", n(l.vatBase)), ("vat_rate", r(l.vatRate)), ("vat", n(l.vat)), ("vat_collected_at", s(l.vatCollectedAt)),
            ]))
        }
        return .object(JSONObject(distinct: [
            ("id", s(id)), ("date", s(date.description)), ("destination", s(destination.rawValue)), ("jurisdiction", s(jurisdiction)),
            ("currency", s(currency.rawValue)), ("goods_value", n(goodsValue)), ("shipping", n(shipping)),
            ("insurance", n(insurance)), ("customs_value", n(customsValue)), ("duty", n(duty)),
            ("duty_collected_at", s(dutyCollectedAt)), ("vat_base", n(vatBase)), ("vat", n(vat)),
            ("vat_collected_at", s(vatCollectedAt)),
            ("fees", .array(fees.map { f in
                var o = JSONObject(distinct: [
                    ("name", s(f.name)), ("rule", s(f.rule)), ("amount", n(f.amount)), ("currency", s(f.currency.rawValue)),
                    ("payer", s(f.payer)), ("in_totals", .bool(f.inTotals)),
                ])
                if let c = f.converted { o["amount_in_quote_currency"] = n(c) }
                if let x = f.fx { o["fx"] = s(x) }
                return .object(o)
            })),
            ("total_duty_tax_fees", n(totalDutyTaxFees)), ("landed_cost", n(landedCost)), ("lines", .array(lineValues)),
            ("who_collects", .array(collections.map { c in
                .object(JSONObject(distinct: [
                    ("what", s(c.what)), ("amount", n(c.amount)), ("collected_by", s(c.collectedBy)), ("paid_by", s(c.paidBy)),
                ]))
            })),
            ("explanation", .array(explanation.map(s))), ("warnings", .array(warnings.map(s))),
            ("data_versions", .array(dataVersions.map(s))),
            ("data_sources", .array(dataSources.map { d in
                .object(JSONObject(distinct: [
                    ("pack", s(d.pack)), ("source_date", s(d.sourceDate.description)), ("age_days", .number(String(d.ageDays))),
                ]))
            })),
        ]))
    }
}

extension QuoteError {
    /// The wire form of a request the engine refused to price.
    public func json(id: String?) -> JSONValue {
        var o = JSONObject()
        if let id { o["id"] = .string(id) }
        var e = JSONObject([("field", .string(field)), ("message", .string(message))])
        if !candidates.isEmpty {
            e["candidates"] = .array(candidates.map { c in
                .object(JSONObject([("code", .string(c.code)), ("rate", .string(c.rate)), ("description", .string(c.description))]))
            })
        }
        o["error"] = .object(e)
        return .object(o)
    }
}

/// Compact JSON text for a value, numbers written exactly as held (no Double on the way out).
public enum JSONText {
    public static func render(_ v: JSONValue) -> String { JSONWriter.write(v) }
}

extension Quote {
    /// The wire form written straight to text: the same bytes as `JSONText.render(json)` without
    /// building the intermediate tree (the CLI's hot path: a quote is ~60 values and 20 strings).
    public var jsonText: String {
        var o = ""
        o.reserveCapacity(2048 + explanation.reduce(0) { $0 + $1.utf8.count })
        func key(_ k: String, first: Bool = false) {
            if !first { o += "," }
            o += "\""
            o += k
            o += "\":"
        }
        func str(_ s: String) { JSONWriter.writeString(s, into: &o) }
        func num(_ d: Decimal) { o += d.fixed(scale) }
        o += "{"
        key("id", first: true); str(id)
        key("date"); str(date.description)
        key("destination"); str(destination.rawValue)
        key("jurisdiction"); str(jurisdiction)
        key("currency"); str(currency.rawValue)
        key("goods_value"); num(goodsValue)
        key("shipping"); num(shipping)
        key("insurance"); num(insurance)
        key("customs_value"); num(customsValue)
        key("duty"); num(duty)
        key("duty_collected_at"); str(dutyCollectedAt)
        key("vat_base"); num(vatBase)
        key("vat"); num(vat)
        key("vat_collected_at"); str(vatCollectedAt)
        key("fees"); o += "["
        for (i, f) in fees.enumerated() {
            if i > 0 { o += "," }
            o += "{"
            key("name", first: true); str(f.name)
            key("rule"); str(f.rule)
            key("amount"); num(f.amount)
            key("currency"); str(f.currency.rawValue)
            key("payer"); str(f.payer)
            key("in_totals"); o += f.inTotals ? "true" : "false"
            if let c = f.converted { key("amount_in_quote_currency"); num(c) }
            if let x = f.fx { key("fx"); str(x) }
            o += "}"
        }
        o += "]"
        key("total_duty_tax_fees"); num(totalDutyTaxFees)
        key("landed_cost"); num(landedCost)
        key("lines"); o += "["
        for (i, l) in lines.enumerated() {
            if i > 0 { o += "," }
            o += "{"
            key("index", first: true); o += String(l.index)
            key("hs_code"); str(l.hsCode)
            key("value"); num(l.value)
            key("customs_value"); num(l.customsValue)
            key("duty"); num(l.duty)
            key("duty_lines"); o += "["
            for (j, d) in l.dutyLines.enumerated() {
                if j > 0 { o += "," }
                o += "{"
                key("measure", first: true); str(d.measure)
                key("type"); str(d.type)
                key("rate"); str(d.rateText)
                key("amount"); num(d.amount)
                key("pack"); str(d.pack)
                if let r = d.legalRef { key("legal_ref"); str(r) }
                o += "}"
            }
            o += "]"
            key("vat_base"); num(l.vatBase)
            key("vat_rate"); o += l.vatRate.text
            key("vat"); num(l.vat)
            key("vat_collected_at"); str(l.vatCollectedAt)
            o += "}"
        }
        o += "]"
        key("who_collects"); o += "["
        for (i, c) in collections.enumerated() {
            if i > 0 { o += "," }
            o += "{"
            key("what", first: true); str(c.what)
            key("amount"); num(c.amount)
            key("collected_by"); str(c.collectedBy)
            key("paid_by"); str(c.paidBy)
            o += "}"
        }
        o += "]"
        for (name, list) in [("explanation", explanation), ("warnings", warnings), ("data_versions", dataVersions)] {
            key(name); o += "["
            for (i, s) in list.enumerated() {
                if i > 0 { o += "," }
                str(s)
            }
            o += "]"
        }
        key("data_sources"); o += "["
        for (i, d) in dataSources.enumerated() {
            if i > 0 { o += "," }
            o += "{"
            key("pack", first: true); str(d.pack)
            key("source_date"); str(d.sourceDate.description)
            key("age_days"); o += String(d.ageDays)
            o += "}"
        }
        o += "]}"
        return o
    }
}
