import CustomsModel
import JSONCore
import Foundation

/// One unit of `from` is worth `rate` units of `to`, as published for `date` (`yyyy-MM-dd`): the
/// rate a filing converts with before it applies a threshold (HMRC's monthly rate, the ECB's daily one).
public struct ExchangeRate: Sendable, Hashable {
    public var from: CurrencyCode
    public var to: CurrencyCode
    public var rate: Decimal
    public var date: String

    public init(from: CurrencyCode, to: CurrencyCode, rate: Decimal, date: String) {
        self.from = from
        self.to = to
        self.rate = rate
        self.date = date
    }
}

/// Where unique filing references come from (LRN, ICS message id, UNB interchange reference,
/// courier message reference): a number never handed out before. The store implements it with a
/// sequence; the CLI with a counter file. Render itself stays pure: it takes the number in
/// `RenderContext.sequence`.
public protocol ReferenceSource: Sendable {
    /// The next number for filings of `adapter`, never returned before for that adapter.
    func next(adapter: String) throws -> Int
}

/// What one render needs beyond the order and the adapter's settings. A mapping reads these only
/// when it lists them under `inputs:`; when one it needs is absent, its checks refuse the filing.
/// - `$sequence`: the unique number from a `ReferenceSource`;
/// - `$fx_gbp`, `$fx_eur`, … (any `fx_` + currency): the order currency's rate to that currency,
///   the latest published on or before the render date, with `$fx_gbp_date` its date (1 and the
///   render date when the order is already in that currency);
/// - any other name: from `values` (movement details such as `expected_arrival`, `place_of_loading`).
public struct RenderContext: Sendable {
    public var sequence: Int?
    public var rates: [ExchangeRate]
    public var values: [String: String]

    public init(sequence: Int? = nil, rates: [ExchangeRate] = [], values: [String: String] = [:]) {
        self.sequence = sequence
        self.rates = rates
        self.values = values
    }

    /// The inputs a mapping asked for, as mapping variables.
    func variables(for names: [String], order: Order, now: Date) -> [String: String] {
        var out: [String: String] = [:]
        let today = String(Timestamp.format(now).prefix(10))
        for name in names {
            if let v = values[name] {
                out[name] = v
            } else if name == "sequence", let sequence {
                out[name] = String(sequence)
            } else if name.hasPrefix("fx_"), name.count == 6 {
                let target = CurrencyCode(name.dropFirst(3).uppercased())
                if target == order.currency {
                    out[name] = "1"
                    out[name + "_date"] = today
                } else if let rate = rates.filter({ $0.from == order.currency && $0.to == target && $0.date <= today }).max(by: { $0.date < $1.date }) {
                    out[name] = rate.rate.plainString
                    out[name + "_date"] = rate.date
                }
            }
        }
        return out
    }
}

extension RenderContext {
    /// Reads a render context written as JSON:
    /// `{"sequence": 7, "rates": [{"from": "EUR", "to": "GBP", "rate": "0.8512", "date": "2026-11-01"}],
    ///   "values": {"goods_location": "LHRLHRLHR"}}`. Rates are decimal strings (or numbers).
    public static func parse(_ json: JSONValue) throws(AdapterError) -> RenderContext {
        guard let object = json.objectValue else { throw AdapterError("a render context is a JSON object with sequence, rates and values") }
        for key in object.keys where !["sequence", "rates", "values"].contains(key) {
            throw AdapterError("render context: unknown key \(key); allowed: sequence, rates, values")
        }
        var context = RenderContext()
        if let s = json["sequence"] {
            guard let n = s.numberText.flatMap({ Int($0) }), n > 0 else { throw AdapterError("render context: sequence must be a positive whole number") }
            context.sequence = n
        }
        for (i, r) in (json["rates"]?.arrayValue ?? []).enumerated() {
            guard let from = r["from"]?.stringValue, let to = r["to"]?.stringValue, let date = r["date"]?.stringValue,
                let rate = (r["rate"]?.stringValue ?? r["rate"]?.numberText).flatMap({ ExactDecimal.parse($0) }), rate > 0,
                date.count == 10, Timestamp.parse(date + "T00:00:00Z") != nil
            else { throw AdapterError("render context: rates[\(i)] needs from, to, a positive rate and a yyyy-MM-dd date") }
            context.rates.append(ExchangeRate(from: CurrencyCode(from), to: CurrencyCode(to), rate: rate, date: date))
        }
        for (key, value) in json["values"]?.objectValue?.members ?? [] {
            guard let text = value.stringValue ?? value.numberText else { throw AdapterError("render context: values.\(key) must be text") }
            context.values[key] = text
        }
        return context
    }
}

private extension JSONValue {
    var numberText: String? {
        if case .number(let n) = self { return n }
        return nil
    }
}
