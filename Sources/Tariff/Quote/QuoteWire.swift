import CustomsModel
import Foundation
import JSONCore

/// The form `customs-hub quote` prints: money as `{"amount": "44.48", "currency": "EUR"}` for the
/// money members of an object that names its currency (or sits under one that does), and every
/// other number as a decimal string but the counts (`countKeys`). A rate or amount is a string
/// whatever its value: chosen by the member's name, not by the digits (a rate of `0`, an amount in
/// yen).
public enum QuoteWire {
    /// The members that count things (a line's index, an input line, a pack's age in days): JSON numbers.
    public static let countKeys: Set<String> = ["index", "line", "age_days"]

    /// The money members of a quote; each becomes {"amount", "currency"} in the output.
    public static let moneyKeys: Set<String> = [
        "goods_value", "shipping", "insurance", "customs_value", "duty", "vat_base", "vat", "total_duty_tax_fees", "landed_cost",
        "value", "amount",
    ]

    /// Reshapes any answer (a quote's `json` or an error) the way the command prints it.
    public static func moneyShaped(_ value: JSONValue, keys: Set<String> = moneyKeys, currency: String? = nil) -> JSONValue {
        switch value {
        case .object(let o):
            let here = o["currency"]?.stringValue ?? currency
            let hasOwnMoney = o["amount"] != nil && o["currency"] != nil
            return .object(JSONObject(o.members.map { member -> (String, JSONValue) in
                if case .number(let n) = member.value {
                    if keys.contains(member.key), !hasOwnMoney, let here {
                        return (member.key, .object(JSONObject([("amount", .string(n)), ("currency", .string(here))])))
                    }
                    return (member.key, countKeys.contains(member.key) ? member.value : .string(n))
                }
                return (member.key, moneyShaped(member.value, keys: keys, currency: here))
            }))
        case .array(let items):
            return .array(items.map { moneyShaped($0, keys: keys, currency: currency) })
        case .number(let n):
            return .string(n)
        default:
            return value
        }
    }
}

extension Quote {
    /// The printed form written straight to bytes: the same bytes as
    /// `JSONWriter.write(QuoteWire.moneyShaped(json))` without building either tree (a quote is
    /// about 3 KB, 60 amounts and 40 strings; the two trees cost more than the quote itself).
    public func wireText(into o: inout [UInt8]) {
        let cur = currency.rawValue
        // Member names are written with their punctuation (`,"duty":`) in one append.
        func raw(_ k: StaticString) { k.withUTF8Buffer { o.append(contentsOf: $0) } }
        func str(_ s: String) { JSONWriter.writeString(s, into: &o) }
        // A money member: {"amount":"12.50","currency":"EUR"}; the part after the amount is the
        // same for every member and written once.
        var currencyTail: [UInt8] = Array("\",\"currency\":".utf8)
        JSONWriter.writeString(cur, into: &currencyTail)
        currencyTail.append(UInt8(ascii: "}"))
        func money(_ k: StaticString, _ d: Decimal) {
            raw(k)
            raw("{\"amount\":\"")
            d.appendFixed(scale, into: &o)
            o += currencyTail
        }
        // A rate, or an amount beside its own currency: a decimal string, whatever its digits.
        func plain(_ text: [UInt8]) {
            o.append(UInt8(ascii: "\""))
            o += text
            o.append(UInt8(ascii: "\""))
        }
        func int(_ n: Int) { o += String(n).utf8 }
        o.append(UInt8(ascii: "{"))
        raw("\"id\":"); str(id)
        raw(",\"date\":"); str(date.description)
        raw(",\"destination\":"); str(destination.rawValue)
        raw(",\"jurisdiction\":"); str(jurisdiction)
        raw(",\"currency\":"); str(cur)
        money(",\"goods_value\":", goodsValue)
        money(",\"shipping\":", shipping)
        money(",\"insurance\":", insurance)
        money(",\"customs_value\":", customsValue)
        money(",\"duty\":", duty)
        raw(",\"duty_collected_at\":"); str(dutyCollectedAt)
        money(",\"vat_base\":", vatBase)
        money(",\"vat\":", vat)
        raw(",\"vat_collected_at\":"); str(vatCollectedAt)
        raw(",\"fees\":"); o.append(UInt8(ascii: "["))
        for (i, f) in fees.enumerated() {
            // A fee names its own currency and has an amount: its numbers stay plain.
            if i > 0 { o.append(UInt8(ascii: ",")) }
            o.append(UInt8(ascii: "{"))
            raw("\"name\":"); str(f.name)
            raw(",\"rule\":"); str(f.rule)
            raw(",\"amount\":"); var a: [UInt8] = []; f.amount.appendFixed(scale, into: &a); plain(a)
            raw(",\"currency\":"); str(f.currency.rawValue)
            raw(",\"payer\":"); str(f.payer)
            raw(",\"in_totals\":"); raw(f.inTotals ? "true" : "false")
            if let c = f.converted {
                raw(",\"amount_in_quote_currency\":"); var b: [UInt8] = []; c.appendFixed(scale, into: &b); plain(b)
            }
            if let x = f.fx { raw(",\"fx\":"); str(x) }
            o.append(UInt8(ascii: "}"))
        }
        o.append(UInt8(ascii: "]"))
        money(",\"total_duty_tax_fees\":", totalDutyTaxFees)
        money(",\"landed_cost\":", landedCost)
        raw(",\"lines\":"); o.append(UInt8(ascii: "["))
        for (i, l) in lines.enumerated() {
            if i > 0 { o.append(UInt8(ascii: ",")) }
            o.append(UInt8(ascii: "{"))
            raw("\"index\":"); int(l.index)
            raw(",\"hs_code\":"); str(l.hsCode)
            money(",\"value\":", l.value)
            money(",\"customs_value\":", l.customsValue)
            money(",\"duty\":", l.duty)
            raw(",\"duty_lines\":"); o.append(UInt8(ascii: "["))
            for (j, d) in l.dutyLines.enumerated() {
                if j > 0 { o.append(UInt8(ascii: ",")) }
                o.append(UInt8(ascii: "{"))
                raw("\"measure\":"); str(d.measure)
                raw(",\"type\":"); str(d.type)
                raw(",\"rate\":"); str(d.rateText)
                money(",\"amount\":", d.amount)
                raw(",\"pack\":"); str(d.pack)
                if let r = d.legalRef { raw(",\"legal_ref\":"); str(r) }
                o.append(UInt8(ascii: "}"))
            }
            o.append(UInt8(ascii: "]"))
            money(",\"vat_base\":", l.vatBase)
            raw(",\"vat_rate\":"); plain(Array(l.vatRate.text.utf8))
            money(",\"vat\":", l.vat)
            raw(",\"vat_collected_at\":"); str(l.vatCollectedAt)
            o.append(UInt8(ascii: "}"))
        }
        o.append(UInt8(ascii: "]"))
        raw(",\"who_collects\":"); o.append(UInt8(ascii: "["))
        for (i, c) in collections.enumerated() {
            if i > 0 { o.append(UInt8(ascii: ",")) }
            o.append(UInt8(ascii: "{"))
            raw("\"what\":"); str(c.what)
            money(",\"amount\":", c.amount)
            raw(",\"collected_by\":"); str(c.collectedBy)
            raw(",\"paid_by\":"); str(c.paidBy)
            o.append(UInt8(ascii: "}"))
        }
        o.append(UInt8(ascii: "]"))
        for (name, list) in [(",\"explanation\":" as StaticString, explanation), (",\"warnings\":", warnings), (",\"data_versions\":", dataVersions)] {
            raw(name); o.append(UInt8(ascii: "["))
            for (i, s) in list.enumerated() {
                if i > 0 { o.append(UInt8(ascii: ",")) }
                str(s)
            }
            o.append(UInt8(ascii: "]"))
        }
        raw(",\"data_sources\":"); o.append(UInt8(ascii: "["))
        for (i, d) in dataSources.enumerated() {
            if i > 0 { o.append(UInt8(ascii: ",")) }
            o.append(UInt8(ascii: "{"))
            raw("\"pack\":"); str(d.pack)
            raw(",\"source_date\":"); str(d.sourceDate.description)
            raw(",\"age_days\":"); int(d.ageDays)
            o.append(UInt8(ascii: "}"))
        }
        o.append(UInt8(ascii: "]"))
        o.append(UInt8(ascii: "}"))
    }
}

/// What the engine answers to one request: a quote, or the error object naming the field.
public enum QuoteAnswer: Sendable {
    case quote(Quote)
    case refused(JSONValue)

    /// The wire tree (`Quote.json` or the error object).
    public var json: JSONValue {
        switch self {
        case .quote(let q): q.json
        case .refused(let e): e
        }
    }
}

extension Decimal {
    /// Appends `fixed(scale)` as bytes, without the intermediate strings.
    func appendFixed(_ scale: Int, into o: inout [UInt8]) {
        guard DecimalLayout.verified, let (negative, mantissa, exponent) = DecimalLayout.decode(self) else {
            o += fixed(scale).utf8
            return
        }
        if mantissa == 0 {
            o.append(UInt8(ascii: "0"))
            if scale > 0 {
                o.append(UInt8(ascii: "."))
                o.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: scale))
            }
            return
        }
        // The trailing zeros a negative exponent allows dropped (as `text` does), then the digits
        // written into a buffer on the stack, least significant last.
        var m = mantissa
        var e = exponent
        while e < 0, m % 10 == 0 {
            m /= 10
            e += 1
        }
        var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var frac = 0
        withUnsafeMutableBytes(of: &buffer) { raw in
            var k = raw.count
            repeat {
                k -= 1
                raw[k] = UInt8(ascii: "0") + UInt8(m % 10)
                m /= 10
            } while m > 0
            let digits = UnsafeRawBufferPointer(rebasing: raw[k...])
            let count = digits.count
            if negative { o.append(UInt8(ascii: "-")) }
            if e >= 0 {
                o.append(contentsOf: digits)
                o.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: e))
                if scale > 0 {
                    o.append(UInt8(ascii: "."))
                    o.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: scale))
                }
                frac = scale
                return
            }
            frac = -e
            if count <= frac {
                o.append(UInt8(ascii: "0"))
                o.append(UInt8(ascii: "."))
                o.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: frac - count))
                o.append(contentsOf: digits)
            } else {
                o.append(contentsOf: UnsafeRawBufferPointer(rebasing: digits[..<(count - frac)]))
                o.append(UInt8(ascii: "."))
                o.append(contentsOf: UnsafeRawBufferPointer(rebasing: digits[(count - frac)...]))
            }
        }
        if frac < scale { o.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: scale - frac)) }
    }
}

extension QuoteEngine {
    /// One request's answer: the quote, or `{"id","error":{"field","message"}}`. `book` gives the
    /// packs for the request's pins (`pack_versions`, empty for the current ones).
    public static func outcome(_ value: JSONValue, book: ([String: String]) throws -> TariffBook) -> QuoteAnswer {
        outcome(value, bookFor: { try book($0.packVersions) })
    }

    /// `outcome(_:book:)` with the packs chosen for the whole request (its destination and pins),
    /// so a library can read only the jurisdictions requests go to.
    public static func outcome(_ value: JSONValue, bookFor book: (QuoteRequest) throws -> TariffBook) -> QuoteAnswer {
        let id = value["id"]?.stringValue
        do {
            let req = try QuoteRequest.parse(value)
            let chosen: TariffBook
            do { chosen = try book(req) } catch {
                return .refused(QuoteError("pack_versions", "\(error)").json(id: id))
            }
            return .quote(try QuoteEngine.quote(req, book: chosen))
        } catch {
            return .refused(error.json(id: id))
        }
    }
}

extension QuoteWire {
    /// One input line's answer as `customs-hub quote` prints it, without the newline; false when
    /// the request was refused (the error object then carries the input line number).
    public static func answerLine(
        _ text: String, line: Int, book: ([String: String]) throws -> TariffBook, into out: inout [UInt8]
    ) -> Bool {
        answerLine(text, line: line, bookFor: { try book($0.packVersions) }, into: &out)
    }

    /// `answerLine(_:line:book:into:)` with the packs chosen for the whole request (see
    /// `QuoteEngine.outcome(_:bookFor:)`).
    public static func answerLine(
        _ text: String, line: Int, bookFor book: (QuoteRequest) throws -> TariffBook, into out: inout [UInt8]
    ) -> Bool {
        switch answer(text, line: line, book: book) {
        case .quote(let q):
            q.wireText(into: &out)
            return true
        case .refused(let e):
            out += JSONWriter.write(moneyShaped(e)).utf8
            return false
        }
    }

    /// The same line built as a tree, reshaped and written: how the command printed before
    /// `wireText`, kept as the reference the direct form is checked against.
    public static func answerLineByTree(
        _ text: String, line: Int, book: ([String: String]) throws -> TariffBook
    ) -> (text: String, ok: Bool) {
        let a = answer(text, line: line, book: { try book($0.packVersions) })
        if case .quote = a { return (JSONWriter.write(moneyShaped(a.json)), true) }
        return (JSONWriter.write(moneyShaped(a.json)), false)
    }

    static func answer(_ text: String, line: Int, book: (QuoteRequest) throws -> TariffBook) -> QuoteAnswer {
        let value: JSONValue
        do { value = try JSONParser.parse(text) } catch {
            return withLine(QuoteError("$", "input line \(line) is not JSON: \(error)").json(id: nil), line)
        }
        let a = QuoteEngine.outcome(value, bookFor: book)
        if case .refused(let e) = a { return withLine(e, line) }
        return a
    }

    static func withLine(_ e: JSONValue, _ line: Int) -> QuoteAnswer {
        guard case .object(var o) = e else { return .refused(e) }
        o["line"] = .number(String(line))
        return .refused(.object(o))
    }
}
