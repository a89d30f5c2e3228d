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
        var w = JSONTextWriter(capacity: 2048 + explanation.reduce(0) { $0 + $1.utf8.count })
        writeJSON(into: &w)
        return w.take()
    }

    /// `jsonText`, written into `w` (the pipeline writes it into an order's texts).
    public func writeJSON(into w: inout JSONTextWriter) {
        func num(_ d: Decimal) { w.number(d.fixed(scale)) }
        w.beginObject()
        w.key("id"); w.string(id)
        w.key("date"); w.string(date.description)
        w.key("destination"); w.string(destination.rawValue)
        w.key("jurisdiction"); w.string(jurisdiction)
        w.key("currency"); w.string(currency.rawValue)
        w.key("goods_value"); num(goodsValue)
        w.key("shipping"); num(shipping)
        w.key("insurance"); num(insurance)
        w.key("customs_value"); num(customsValue)
        w.key("duty"); num(duty)
        w.key("duty_collected_at"); w.string(dutyCollectedAt)
        w.key("vat_base"); num(vatBase)
        w.key("vat"); num(vat)
        w.key("vat_collected_at"); w.string(vatCollectedAt)
        w.key("fees")
        w.beginArray()
        for f in fees {
            w.beginObject()
            w.key("name"); w.string(f.name)
            w.key("rule"); w.string(f.rule)
            w.key("amount"); num(f.amount)
            w.key("currency"); w.string(f.currency.rawValue)
            w.key("payer"); w.string(f.payer)
            w.key("in_totals"); w.bool(f.inTotals)
            if let c = f.converted { w.key("amount_in_quote_currency"); num(c) }
            if let x = f.fx { w.key("fx"); w.string(x) }
            w.endObject()
        }
        w.endArray()
        w.key("total_duty_tax_fees"); num(totalDutyTaxFees)
        w.key("landed_cost"); num(landedCost)
        w.key("lines")
        w.beginArray()
        for l in lines {
            w.beginObject()
            w.key("index"); w.number(l.index)
            w.key("hs_code"); w.string(l.hsCode)
            w.key("value"); num(l.value)
            w.key("customs_value"); num(l.customsValue)
            w.key("duty"); num(l.duty)
            w.key("duty_lines")
            w.beginArray()
            for d in l.dutyLines {
                w.beginObject()
                w.key("measure"); w.string(d.measure)
                w.key("type"); w.string(d.type)
                w.key("rate"); w.string(d.rateText)
                w.key("amount"); num(d.amount)
                w.key("pack"); w.string(d.pack)
                if let r = d.legalRef { w.key("legal_ref"); w.string(r) }
                w.endObject()
            }
            w.endArray()
            w.key("vat_base"); num(l.vatBase)
            w.key("vat_rate"); w.number(l.vatRate.text)
            w.key("vat"); num(l.vat)
            w.key("vat_collected_at"); w.string(l.vatCollectedAt)
            w.endObject()
        }
        w.endArray()
        w.key("who_collects")
        w.beginArray()
        for c in collections {
            w.beginObject()
            w.key("what"); w.string(c.what)
            w.key("amount"); num(c.amount)
            w.key("collected_by"); w.string(c.collectedBy)
            w.key("paid_by"); w.string(c.paidBy)
            w.endObject()
        }
        w.endArray()
        w.key("explanation", strings: explanation)
        w.key("warnings", strings: warnings)
        w.key("data_versions", strings: dataVersions)
        w.key("data_sources")
        w.beginArray()
        for d in dataSources {
            w.beginObject()
            w.key("pack"); w.string(d.pack)
            w.key("source_date"); w.string(d.sourceDate.description)
            w.key("age_days"); w.number(d.ageDays)
            w.endObject()
        }
        w.endArray()
        w.endObject()
    }
}
