import CustomsModel
import Foundation
import JSONCore

/// Prices a request against a `TariffBook`: valuation, low-value schemes, duty measures with their
/// stacking, import tax, fees, rounding and the explanation of each step. Pure: the same request and
/// book give the same quote, which is what lets an old quote be recomputed from pinned packs.
public enum QuoteEngine {
    public static func quote(_ req: QuoteRequest, book: TariffBook) throws(QuoteError) -> Quote {
        var run = QuoteRun(req: req, book: book)
        return try run.price()
    }
}

/// The request's amounts in the customs currency (step 1), as every later step reads them.
struct Valuation {
    var values: [Decimal]
    var shipping: Decimal
    var insurance: Decimal
    var goods: Decimal
    var shipShares: [Decimal]
    var insShares: [Decimal]
    var customsValues: [Decimal]
    var customsValue: Decimal
}

/// What the low-value rules decided (step 2): per line, a flat duty, and the rules measured on the
/// tax amount, which only step 4 can apply.
struct Relief {
    var treat: [LineTreatment]
    var flat: ThresholdRule?
    var taxAmountRules: [ThresholdRule]
}

/// Per-line facts the threshold rules decide.
struct LineTreatment {
    var dutyExempt = false
    var taxExempt = false
    var feesExempt = false
    var pointOfSale: [TaxBasePart]?
}

struct QuoteRun {
    let req: QuoteRequest
    let book: TariffBook
    var explanation: [String] = []
    var used: [String] = []
    var fxExplained: Set<String> = []
    var warnings: [String] = []
    /// Programme symbols the request's free-text claim resolved to (nil = no claim).
    var claimed: Set<String>?

    init(req: QuoteRequest, book: TariffBook) {
        self.req = req
        self.book = book
    }

    mutating func use(_ ref: PackRef) {
        let r = ref.description
        if !used.contains(r) { used.append(r) }
    }

    mutating func note(_ text: String) { explanation.append(text) }

    mutating func warn(_ text: String) { if !warnings.contains(text) { warnings.append(text) } }

    /// Converts with the request's own rates first, then the jurisdiction's official source.
    mutating func convert(_ amount: Decimal, from: CurrencyCode, to: CurrencyCode, source: String, field: String) throws(QuoteError) -> Decimal {
        if from == to || amount == 0 { return amount }
        let key = "\(from)->\(to)"
        for r in req.fx {
            if r.from == from && r.to == to { explainFX(key, "FX \(from)->\(to) \(r.rate.text) supplied in the request"); return Dec.mul(amount, r.rate) }
            if r.from == to && r.to == from { explainFX(key, "FX \(from)->\(to) 1/\(r.rate.text) supplied in the request"); return amount / r.rate }
        }
        if let c = book.conversion(source: source, from: from, to: to, on: req.date) {
            for r in c.rates { use(r.ref) }
            let used = c.rates.map { "\($0.id) 1 \($0.from) = \($0.rate.text) \($0.to)" }.joined(separator: ", ")
            let published = c.rates.map(\.validity.from).min() ?? req.date
            let age = published.days(to: req.date)
            if explainFX(key, "FX \(from)->\(to) from \(source): \(used) (rate of \(published), \(age) days before \(req.date)) [\(c.rates[0].ref)]"), age > 7 {
                warn("exchange rate \(from)->\(to) from \(source) is dated \(published), \(age) days before the import date; load newer rates (customs-hub data update --source ecb-fx) or pass fx in the request")
            }
            return Dec.mul(amount, c.factor)
        }
        throw QuoteError(field, "no \(from)->\(to) exchange rate from \(source) for \(req.date); add one to \"fx\" in the request")
    }

    @discardableResult
    mutating func explainFX(_ key: String, _ text: String) -> Bool {
        guard fxExplained.insert(key).inserted else { return false }
        note(text)
        return true
    }

    /// The steps in the order a broker works them; each reads what the earlier ones settled.
    mutating func price() throws(QuoteError) -> Quote {
        let jur = try jurisdiction()
        try resolveClaim(in: jur)
        let valued = try value(in: jur)
        let origins = try lineOrigins()
        let region = req.destinationRegion.map { $0.contains("-") ? $0 : "\(req.destination.rawValue)-\($0)" } ?? req.destination.rawValue
        var relief = try lowValueRules(jur, valued, origins: origins, region: region)
        var lineQuotes = try dutyPerLine(jur, valued, origins: origins, relief: relief)
        try importTax(&lineQuotes, relief: &relief, jur, valued, region: region)
        let fees = try fees(jur, valued, relief: relief, region: region)
        return totals(jur, valued, lineQuotes: lineQuotes, fees: fees)
    }

    /// The destination's pack on the import date, and its rounding, currency and valuation noted.
    mutating func jurisdiction() throws(QuoteError) -> JurisdictionRule {
        guard let (jur, explained) = book.jurisdictionNoted(for: req.destination, on: req.date) else {
            // A destination some pack covers on other days: the date is what is out of range.
            if book.jurisdictionsByCountry[req.destination]?.isEmpty == false {
                throw QuoteError("date", "no jurisdiction pack covers \(req.destination) on \(req.date); the packs for \(req.destination) are for other dates")
            }
            throw QuoteError("destination", "no jurisdiction pack covers \(req.destination) on \(req.date)")
        }
        use(jur.ref)
        note(explained)
        return jur
    }

    /// The first step of every explanation, the same for every quote of a jurisdiction: made once
    /// per book.
    static func jurisdictionNote(_ jur: JurisdictionRule) -> String {
        let R = jur.rounding
        return "Jurisdiction \(jur.code) (\(jur.id)): currency \(jur.currency), valuation \(jur.valuation.rawValue), rounding to \(R.scale) decimals \(R.mode.rawValue) [\(jur.ref)]"
    }

    /// A free-text preference claim read as the programmes it names; naming none is an error.
    mutating func resolveClaim(in jur: JurisdictionRule) throws(QuoteError) {
        guard let claim = req.preferenceClaimed else { return }
        let found = book.resolveClaim(claim, jurisdiction: jur.code, on: req.date)
        guard !found.isEmpty else {
            let known = book.programList(jurisdiction: jur.code, on: req.date)
                .map { "\($0.symbol) (\($0.name))" }
            throw QuoteError("preference_claimed", "\"\(claim)\" names no preference programme of \(jur.code) on \(req.date); known: \(known.isEmpty ? "none loaded" : known.joined(separator: ", "))")
        }
        claimed = Set(found.map(\.symbol))
        note("Preference claim \"\(claim)\" read as \(found.map { "\($0.symbol) (\($0.name))" }.joined(separator: ", "))")
    }

    /// Step 1: values in the customs currency, transport and insurance apportioned by line value.
    mutating func value(in jur: JurisdictionRule) throws(QuoteError) -> Valuation {
        let R = jur.rounding
        let cur = jur.currency
        let source = jur.fxSource
        var values: [Decimal] = []
        for (i, l) in req.lines.enumerated() {
            values.append(R.round(try convert(l.value, from: req.currency, to: cur, source: source, field: "lines[\(i)].value")))
        }
        let shipping = R.round(try convert(req.shipping, from: req.currency, to: cur, source: source, field: "shipping"))
        let insurance = R.round(try convert(req.insurance, from: req.currency, to: cur, source: source, field: "insurance"))
        let goods = values.reduce(Decimal(), Dec.add)
        let shipShares = apportion(shipping, by: values, R)
        let insShares = apportion(insurance, by: values, R)
        var customsValues: [Decimal] = []
        for i in values.indices {
            customsValues.append(jur.valuation == .cif ? Dec.add(Dec.add(values[i], shipShares[i]), insShares[i]) : values[i])
        }
        let customsValue = customsValues.reduce(Decimal(), Dec.add)
        note("Customs value \(customsValue.text) \(cur) = goods \(goods.text)"
            + (jur.valuation == .cif ? " + shipping \(shipping.text) + insurance \(insurance.text) (CIF)" : " (FOB: transport and insurance excluded)")
            + (req.lines.count > 1 && jur.valuation == .cif ? "; transport and insurance apportioned to lines by value" : ""))
        return Valuation(values: values, shipping: shipping, insurance: insurance, goods: goods, shipShares: shipShares,
                         insShares: insShares, customsValues: customsValues, customsValue: customsValue)
    }

    /// Each line's origin: its own, else the request's.
    func lineOrigins() throws(QuoteError) -> [CountryCode] {
        var origins: [CountryCode] = []
        for (i, l) in req.lines.enumerated() {
            guard let o = l.origin ?? req.origin else { throw QuoteError("lines[\(i)].origin", "missing (give it on the line or the request)") }
            origins.append(o)
        }
        return origins
    }

    /// Step 2: the low-value rules, except those measured on the tax amount (kept for step 4).
    mutating func lowValueRules(_ jur: JurisdictionRule, _ valued: Valuation, origins: [CountryCode], region: String) throws(QuoteError) -> Relief {
        let R = jur.rounding
        let cur = jur.currency
        let source = jur.fxSource
        let (values, goods, customsValue) = (valued.values, valued.goods, valued.customsValue)
        var treat = Array(repeating: LineTreatment(), count: req.lines.count)
        var flat: ThresholdRule?
        var taxAmountRules: [ThresholdRule] = []
        for rule in book.thresholds[jur.code] ?? [] where rule.validity.contains(req.date) {
            guard conditionsMet(rule, origins: origins, region: region) else { continue }
            var unregistered = false
            if let reg = rule.requiresRegistration, !req.sellerRegistrations.contains(reg) {
                unregistered = true
                if rule.whenUnregistered == .skip {
                    if let w = rule.registrationWarning, try thresholdPasses(rule, goods: goods, customsValue: customsValue, values: values, cur: cur, source: source) {
                        note("\(rule.id) (\(rule.scheme)) not used: the seller has no \(reg) registration [\(rule.ref)]")
                        warn(w)
                    }
                    continue
                }
            }
            if rule.basis == .taxAmount { taxAmountRules.append(rule); continue }
            let limitText = "\(rule.limit.text) \(rule.currency)"
            if rule.basis == .itemPrice {
                for i in req.lines.indices {
                    let unit = try convert(values[i] / req.lines[i].quantity, from: cur, to: rule.currency, source: source, field: "fx")
                    let ok = rule.inclusive ? unit <= rule.limit : unit < rule.limit
                    note("\(rule.id) (\(rule.scheme)) line \(i): item price \(R.round(unit).text) \(rule.currency) \(ok ? (rule.inclusive ? "<=" : "<") : (rule.inclusive ? ">" : ">=")) \(limitText) -> \(ok ? effectText(rule) : "not applied") [\(rule.ref)]")
                    if ok { apply(rule, to: &treat[i]) }
                    if ok && unregistered { warnUnregistered(rule) }
                }
                use(rule.ref)
                continue
            }
            let basisValue = rule.basis == .intrinsicValue ? goods : customsValue
            let v = try convert(basisValue, from: cur, to: rule.currency, source: source, field: "fx")
            let ok = rule.inclusive ? v <= rule.limit : v < rule.limit
            use(rule.ref)
            note("\(rule.id) (\(rule.scheme)): \(rule.basis.label) \(R.round(v).text) \(rule.currency) \(ok ? (rule.inclusive ? "<=" : "<") : (rule.inclusive ? ">" : ">=")) \(limitText) -> \(ok ? effectText(rule) : "not applied") [\(rule.ref)]")
            guard ok else { continue }
            if unregistered { warnUnregistered(rule) }
            for i in treat.indices { apply(rule, to: &treat[i]) }
            if rule.effects.contains(.flatDuty) { flat = rule }
        }
        return Relief(treat: treat, flat: flat, taxAmountRules: taxAmountRules)
    }

    /// Step 3: duty per line (a flat low-value duty, a relief, or the measures of the line's code).
    mutating func dutyPerLine(_ jur: JurisdictionRule, _ valued: Valuation, origins: [CountryCode], relief: Relief) throws(QuoteError) -> [LineQuote] {
        let R = jur.rounding
        let cur = jur.currency
        let source = jur.fxSource
        let (values, customsValues, treat, flat) = (valued.values, valued.customsValues, relief.treat, relief.flat)
        var lineQuotes: [LineQuote] = []
        var flatSeen = Set<String>()
        for (i, line) in req.lines.enumerated() {
            var dutyLines: [DutyLine] = []
            var duty: Decimal = 0
            if let flat, let amount = flat.flatAmount {
                let sub = String(line.hsCode.prefix(flat.flatCodeDigits))
                if flatSeen.insert(sub).inserted {
                    let a = R.round(try convert(amount, from: flat.currency, to: cur, source: source, field: "fx"))
                    dutyLines.append(DutyLine(measure: flat.id, type: "flat_low_value", rateText: "\(amount.text) \(flat.currency) per distinct \(flat.flatCodeDigits)-digit subheading", amount: a, legalRef: nil, pack: flat.ref.description))
                    duty = a
                    note("Line \(i): \(flat.id) flat duty \(a.text) \(cur) for subheading \(sub) [\(flat.ref)]")
                } else {
                    note("Line \(i): subheading \(sub) already charged the flat duty on an earlier line")
                }
            } else if treat[i].dutyExempt {
                note("Line \(i): duty relieved by the low-value rule above")
            } else {
                (dutyLines, duty) = try dutyFor(line: line, index: i, origin: origins[i], customsValue: customsValues[i], jur: jur)
            }
            lineQuotes.append(LineQuote(
                index: i, hsCode: line.hsCode, value: values[i], customsValue: customsValues[i], dutyLines: dutyLines, duty: duty,
                vatBase: 0, vatRate: 0, vat: 0, vatCollectedAt: "none"))
        }
        return lineQuotes
    }

    /// Step 4: import tax per line, then the waivers measured on the tax amount.
    mutating func importTax(_ lineQuotes: inout [LineQuote], relief: inout Relief, _ jur: JurisdictionRule, _ valued: Valuation, region: String) throws(QuoteError) {
        let R = jur.rounding
        let cur = jur.currency
        let source = jur.fxSource
        let (values, customsValues, shipShares, insShares) = (valued.values, valued.customsValues, valued.shipShares, valued.insShares)
        let taxRegion = book.hasTaxRules(region: region) ? region : req.destination.rawValue
        if region != taxRegion, req.destinationRegion != nil {
            note("No tax rule for region \(region); using \(taxRegion)")
        }
        let anyTax = book.hasTaxRules(region: taxRegion)
        if !anyTax { note("No import VAT/GST in the packs for \(taxRegion): none charged by customs") }
        for i in lineQuotes.indices where anyTax {
            let line = req.lines[i]
            guard let rule = book.taxRule(region: taxRegion, code: line.hsCode, on: req.date) else {
                throw QuoteError(req.destinationRegion == nil ? "destination" : "destination_region", "no \(taxRegion) tax rule valid on \(req.date)")
            }
            use(rule.ref)
            let parts = relief.treat[i].pointOfSale ?? rule.base
            var base: Decimal = 0
            for p in parts {
                switch p {
                case .customsValue: base = Dec.add(base, customsValues[i])
                case .duty: base = Dec.add(base, lineQuotes[i].duty)
                case .shipping: base = Dec.add(base, shipShares[i])
                case .insurance: base = Dec.add(base, insShares[i])
                case .goods: base = Dec.add(base, values[i])
                }
            }
            lineQuotes[i].vatRate = rule.rate
            if relief.treat[i].pointOfSale != nil {
                lineQuotes[i].vatBase = R.round(base)
                lineQuotes[i].vat = R.round(Dec.mul(base, rule.rate))
                lineQuotes[i].vatCollectedAt = "point_of_sale"
                note("Line \(i): \(rule.tax) \(pct(rule.rate)) (\(rule.id)) charged by the seller at checkout on \(parts.map(\.rawValue).joined(separator: " + ")) = \(lineQuotes[i].vatBase.text) [\(rule.ref)]")
            } else if relief.treat[i].taxExempt {
                lineQuotes[i].vatRate = 0
                note("Line \(i): import \(rule.tax) relieved by the low-value rule above")
            } else {
                lineQuotes[i].vatBase = R.truncate(base, to: R.taxBaseIncrement)
                lineQuotes[i].vat = R.truncate(Dec.mul(lineQuotes[i].vatBase, rule.rate), to: R.taxIncrement)
                lineQuotes[i].vatCollectedAt = "border"
                note("Line \(i): import \(rule.tax) \(pct(rule.rate)) (\(rule.id), \(rule.category)) on \(parts.map(\.rawValue).joined(separator: " + ")) = \(lineQuotes[i].vatBase.text) -> \(lineQuotes[i].vat.text) [\(rule.ref)]")
            }
        }
        let borderTax = lineQuotes.filter { $0.vatCollectedAt == "border" }.reduce(Decimal(0)) { Dec.add($0, $1.vat) }
        for rule in relief.taxAmountRules where borderTax > 0 {
            let v = try convert(borderTax, from: cur, to: rule.currency, source: source, field: "fx")
            let ok = rule.inclusive ? v <= rule.limit : v < rule.limit
            use(rule.ref)
            note("\(rule.id) (\(rule.scheme)): border tax \(R.round(v).text) \(rule.currency) \(ok ? "<=" : ">") \(rule.limit.text) \(rule.currency) -> \(ok ? "not levied" : "levied") [\(rule.ref)]")
            if ok {
                for i in lineQuotes.indices where lineQuotes[i].vatCollectedAt == "border" {
                    lineQuotes[i].vat = 0
                    lineQuotes[i].vatCollectedAt = "none"
                    relief.treat[i].taxExempt = true
                }
            }
        }
    }

    /// Step 5: the customs fees that apply, those levied in another currency kept out of the totals.
    mutating func fees(_ jur: JurisdictionRule, _ valued: Valuation, relief: Relief, region: String) throws(QuoteError) -> [FeeAmount] {
        let R = jur.rounding
        let cur = jur.currency
        let source = jur.fxSource
        let (goods, customsValue, treat) = (valued.goods, valued.customsValue, relief.treat)
        var fees: [FeeAmount] = []
        let feesExempt = treat.allSatisfy(\.feesExempt)
        if feesExempt { note("Customs fees relieved with the duty (low-value rule above)") }
        for fee in book.fees[jur.code] ?? [] where !feesExempt && fee.validity.contains(req.date) {
            if let ch = fee.channels, !ch.contains(req.channel) { continue }
            if let rg = fee.regions, !rg.contains(req.destination.rawValue) && !rg.contains(region) { continue }
            let cvInFee = try convert(customsValue, from: cur, to: fee.currency, source: source, field: "fx")
            if let above = fee.valueAbove, !(cvInFee > above) { continue }
            if let atMost = fee.valueAtMost, !(cvInFee <= atMost) { continue }
            if let below = fee.intrinsicBelow {
                let lc = fee.limitCurrency ?? fee.currency
                let iv = try convert(goods, from: cur, to: lc, source: source, field: "fx")
                if !(iv < below) { continue }
            }
            var amount: Decimal
            var how: String
            switch fee.kind {
            case .flat:
                amount = fee.amount
                how = "flat \(fee.amount.text) \(fee.currency)"
            case .adValorem:
                amount = cvInFee * fee.amount
                how = "\(pct(fee.amount)) of \(R.round(cvInFee).text) \(fee.currency)"
                if let mn = fee.minimum, amount < mn { amount = mn; how += ", raised to the minimum \(mn.text)" }
                if let mx = fee.maximum, amount > mx { amount = mx; how += ", capped at the maximum \(mx.text)" }
            }
            use(fee.ref)
            if fee.currency != cur {
                // Levied in its own currency (RON 25 per parcel into an EUR quote): reported apart,
                // with an informative conversion at a dated rate, never summed into the totals.
                let own = fee.currency == "JPY" ? amount.rounded(scale: 0, mode: .plain) : amount.rounded(scale: 2, mode: .plain)
                let conv = try? convert(own, from: fee.currency, to: cur, source: source, field: "fx")
                let fxText = conv == nil ? nil : explanation.last { $0.hasPrefix("FX \(fee.currency)->\(cur)") }
                fees.append(FeeAmount(
                    name: fee.name, rule: fee.id, amount: own, currency: fee.currency, payer: fee.payer, inTotals: false,
                    converted: conv.map { R.round($0) }, fx: fxText))
                note("Fee \(fee.name) (\(fee.id)): \(how) = \(own.text) \(fee.currency), paid by \(fee.payer), levied in \(fee.currency) and kept out of the \(cur) totals [\(fee.ref)]")
                warn("\(fee.name) \(own.text) \(fee.currency) is levied in \(fee.currency) and is not included in the \(cur) totals"
                    + (conv.map { "; at the dated rate in the explanation it is about \(R.round($0).text) \(cur)" } ?? ""))
                continue
            }
            let inCur = R.round(amount)
            fees.append(FeeAmount(name: fee.name, rule: fee.id, amount: inCur, currency: cur, payer: fee.payer))
            note("Fee \(fee.name) (\(fee.id)): \(how) = \(inCur.text) \(cur), paid by \(fee.payer) [\(fee.ref)]")
        }
        return fees
    }

    /// Step 6: totals, who collects what, and the age of every pack the quote used.
    mutating func totals(_ jur: JurisdictionRule, _ valued: Valuation, lineQuotes: [LineQuote], fees: [FeeAmount]) -> Quote {
        let cur = jur.currency
        let (goods, shipping, insurance, customsValue) = (valued.goods, valued.shipping, valued.insurance, valued.customsValue)
        let duty = lineQuotes.reduce(Decimal(0)) { Dec.add($0, $1.duty) }
        let vat = lineQuotes.reduce(Decimal(0)) { Dec.add($0, $1.vat) }
        let vatBase = lineQuotes.reduce(Decimal(0)) { Dec.add($0, $1.vatBase) }
        let feeTotal = fees.filter(\.inTotals).reduce(Decimal(0)) { Dec.add($0, $1.amount) }
        let total = Dec.add(Dec.add(duty, vat), feeTotal)
        let collected = Set(lineQuotes.filter { $0.vat > 0 }.map(\.vatCollectedAt))
        let vatAt = collected.contains("border") ? "border" : collected.contains("point_of_sale") ? "point_of_sale" : "none"
        let payer = req.incoterm == "DDP" ? "seller (DDP)" : "consignee (DAP)"
        var collections: [Collection] = []
        if duty > 0 {
            collections.append(Collection(what: "duty", amount: duty, collectedBy: req.channel == "postal" ? "postal operator at the border" : "carrier/broker at the border", paidBy: payer))
        }
        let posVat = lineQuotes.filter { $0.vatCollectedAt == "point_of_sale" }.reduce(Decimal(0)) { Dec.add($0, $1.vat) }
        if posVat > 0 { collections.append(Collection(what: "vat", amount: posVat, collectedBy: "seller at checkout", paidBy: "buyer in the price")) }
        if vat - posVat > 0 {
            collections.append(Collection(what: "vat", amount: vat - posVat, collectedBy: req.channel == "postal" ? "postal operator at the border" : "carrier/broker at the border", paidBy: payer))
        }
        for f in fees { collections.append(Collection(what: "fee \(f.name)" + (f.inTotals ? "" : " (\(f.currency))"), amount: f.amount, collectedBy: "customs via carrier/broker", paidBy: payer)) }
        let versions = book.dataVersions(among: used)
        var sources: [DataSource] = []
        for v in versions {
            guard let h = book.header(ref: v) else { continue }
            let age = h.sourceDate.days(to: req.date)
            sources.append(DataSource(pack: v, sourceDate: h.sourceDate, ageDays: age))
            if h.kind == .measures && age > 365 {
                warn("\(v): duty rates from a source dated \(h.sourceDate), \(age) days before the import date; they may have changed since")
            }
        }
        return Quote(
            id: req.id, date: req.date, destination: req.destination, jurisdiction: jur.code, currency: cur, scale: jur.rounding.scale, goodsValue: goods,
            shipping: shipping, insurance: insurance, customsValue: customsValue, duty: duty, vatBase: vatBase, vat: vat,
            vatCollectedAt: vatAt, dutyCollectedAt: duty > 0 ? "border" : "none", fees: fees, totalDutyTaxFees: total,
            landedCost: Dec.add(Dec.add(Dec.add(goods, shipping), insurance), total), lines: lineQuotes, collections: collections,
            explanation: explanation, dataVersions: versions, warnings: warnings, dataSources: sources)
    }

    mutating func warnUnregistered(_ rule: ThresholdRule) {
        let reg = rule.requiresRegistration ?? "registration"
        note("\(rule.id) (\(rule.scheme)) applies although the seller has no \(reg) registration: the tax is owed at the point of sale all the same [\(rule.ref)]")
        warn(rule.registrationWarning ?? "the seller must register (\(reg)) to charge this tax at the point of sale")
    }

    /// Whether a consignment-level threshold's value test passes (item-price rules: any line).
    mutating func thresholdPasses(
        _ rule: ThresholdRule, goods: Decimal, customsValue: Decimal, values: [Decimal], cur: CurrencyCode, source: String
    ) throws(QuoteError) -> Bool {
        func within(_ v: Decimal) -> Bool { rule.inclusive ? v <= rule.limit : v < rule.limit }
        switch rule.basis {
        case .taxAmount: return false
        case .itemPrice:
            for i in req.lines.indices {
                let unit = try convert(values[i] / req.lines[i].quantity, from: cur, to: rule.currency, source: source, field: "fx")
                if within(unit) { return true }
            }
            return false
        case .intrinsicValue: return within(try convert(goods, from: cur, to: rule.currency, source: source, field: "fx"))
        case .customsValue: return within(try convert(customsValue, from: cur, to: rule.currency, source: source, field: "fx"))
        }
    }

    func conditionsMet(_ rule: ThresholdRule, origins: [CountryCode], region: String) -> Bool {
        if let ch = rule.channels, !ch.contains(req.channel) { return false }
        if let sf = rule.shipFrom, !sf.contains(req.shipFrom) { return false }
        if rule.shipFromExcluded.contains(req.shipFrom) { return false }
        if origins.contains(where: { rule.originsExcluded.contains($0) }) { return false }
        if let rg = rule.regions, !rg.contains(req.destination.rawValue) && !rg.contains(region) { return false }
        if let ct = rule.consignmentTypes, !ct.contains(req.consignmentType) { return false }
        if req.lines.contains(where: { l in rule.excludedHSPrefixes.contains { l.hsCode.hasPrefix($0) } }) { return false }
        return true
    }

    func apply(_ rule: ThresholdRule, to t: inout LineTreatment) {
        for e in rule.effects {
            switch e {
            case .dutyExempt: t.dutyExempt = true
            case .taxExempt: t.taxExempt = true
            case .feesExempt: t.feesExempt = true
            case .taxAtPointOfSale: t.pointOfSale = rule.saleTaxBase
            case .flatDuty: t.dutyExempt = true
            }
        }
    }

    func effectText(_ rule: ThresholdRule) -> String { rule.effectLabel }

    func pct(_ f: Decimal) -> String { "\(Dec.mul(f, 100).text)%" }

    /// Splits `amount` over lines in proportion to `weights`, rounded, the last line taking the
    /// remainder so the parts add up to the whole exactly.
    func apportion(_ amount: Decimal, by weights: [Decimal], _ R: RoundingPolicy) -> [Decimal] {
        let total = weights.reduce(Decimal(), Dec.add)
        guard amount != 0 else { return weights.map { _ in 0 } }
        var out: [Decimal] = []
        var given: Decimal = 0
        for (i, w) in weights.enumerated() {
            if i == weights.count - 1 {
                out.append(Dec.sub(amount, given))
            } else {
                let share = total == 0 ? R.round(amount / Decimal(weights.count)) : Dec.mulDivRound(amount, w, total, scale: R.scale, mode: R.roundingMode)
                out.append(share)
                given = Dec.add(given, share)
            }
        }
        return out
    }

    /// The national line for a requested code and its MFN measure (nil when no schedule has it).
    mutating func nationalLine(_ requested: String, index i: Int, jur: JurisdictionRule) throws(QuoteError) -> (String, Measure?) {
        let field = "lines[\(i)].hs_code"
        var code = requested
        var mfn = book.measures(jurisdiction: jur.code, code: requested, type: .mfn, on: req.date).first
        if mfn == nil {
            var byCode: [String: Measure] = [:]
            var codes: [String] = []
            for m in book.descendantMeasures(jurisdiction: jur.code, code: requested, type: .mfn, on: req.date) where byCode[m.code] == nil {
                byCode[m.code] = m
                codes.append(m.code)
            }
            if codes.count == 1, let only = byCode[codes[0]] {
                code = codes[0]
                mfn = only
                note("Line \(i): \(requested) is the \(jur.code) rate line \(code) (the only national line under it)")
            } else if codes.count > 1 {
                let rates = Set(codes.map { byCode[$0]!.rate.raw })
                let prefs = Set(codes.map { c in
                    book.measures(jurisdiction: jur.code, code: c, type: .preference, on: req.date).map { "\($0.rate.raw)|\($0.programs)" }.sorted()
                })
                if rates.count == 1 && prefs.count == 1 {
                    code = codes[0]
                    mfn = byCode[code]
                    note("Line \(i): \(requested) is shorter than the tariff lines; all \(codes.count) lines below it carry \(mfn!.rate.raw)")
                } else {
                    let candidates = codes.prefix(60).map { c in
                        CodeCandidate(code: c, rate: byCode[c]!.rate.raw, description: book.nomenclatureEntry(jurisdiction: jur.code, code: c, on: req.date)?.description ?? "")
                    }
                    let what = rates.count > 1 ? "different rates (\(rates.sorted().prefix(4).joined(separator: " / ")))" : "different preferential rates"
                    throw QuoteError(field, "\(requested) is too short to decide: it covers \(codes.count) \(jur.code) tariff lines with \(what); give one of the candidates", candidates: Array(candidates))
                }
            }
        }
        if book.hasNomenclature(jur.code), code.count >= 8, book.nomenclatureEntry(jurisdiction: jur.code, code: code, on: req.date) == nil {
            throw QuoteError(field, "unknown commodity code \(code) in the \(jur.code) nomenclature on \(req.date)")
        }
        return (code, mfn)
    }

    /// Priceable preference measures for `code` of the claimed programmes that cover `origin`.
    func preferenceCandidates(code: String, origin: CountryCode) -> [(Measure, PreferenceProgram)] {
        guard let claimed else { return [] }
        let jurCode = book.jurisdiction(for: req.destination, on: req.date)?.code ?? ""
        var out: [(Measure, PreferenceProgram)] = []
        for m in book.measures(jurisdiction: jurCode, code: code, type: .preference, on: req.date) where m.rate.isPriceable {
            for sym in m.programs where claimed.contains(sym) {
                guard let p = book.program(jurisdiction: jurCode, symbol: sym, on: req.date), p.countries.contains(origin) else { continue }
                out.append((m, p))
            }
        }
        return out
    }

    /// MFN (or the caller's rate) → preference when claimed and the origin qualifies → additional
    /// measures with their stacking → rounding.
    mutating func dutyFor(
        line: QuoteLine, index i: Int, origin: CountryCode, customsValue: Decimal, jur: JurisdictionRule
    ) throws(QuoteError) -> ([DutyLine], Decimal) {
        let R = jur.rounding
        let field = "lines[\(i)]"
        // Copies for the rate closure below, which must not capture `self`.
        let book = self.book
        let day = req.date
        // The national line the requested code stands for (an 8-digit US subheading whose only
        // statistical line ends in 00, a TARIC 10-digit code under an 8-digit CN rate), or an
        // answer with the candidates when the code is too short to decide.
        var code = line.hsCode
        var mfnMeasure: Measure?
        if line.dutyRate == nil {
            (code, mfnMeasure) = try nationalLine(line.hsCode, index: i, jur: jur)
        } else if !code.isEmpty, book.hasNomenclature(jur.code), code.count >= 8,
                  book.nomenclatureEntry(jurisdiction: jur.code, code: code, on: req.date) == nil,
                  !book.hasDescendants(jurisdiction: jur.code, code: code, on: req.date) {
            throw QuoteError("\(field).hs_code", "unknown commodity code \(code) in the \(jur.code) nomenclature on \(req.date)")
        }
        let q = LineQuantities(items: line.quantity, netKilograms: line.netWeightKg, litres: line.litres)
        let dutyBase = R.truncate(customsValue, to: R.dutyBaseIncrement)
        var lines: [DutyLine] = []
        var duty: Decimal

        let evaluate = { (rate: DutyRate, what: String) throws(QuoteError) -> Decimal in
            do throws(RateEvaluationError) {
                return try rate.evaluate(customsValue: dutyBase, quantities: q, currency: jur.currency) { amount, from in
                    // Specific amounts printed in another currency: the jurisdiction's own source.
                    book.conversion(source: jur.fxSource, from: from, to: jur.currency, on: day).map { amount * $0.factor }
                }
            } catch {
                switch error {
                case .unpriceable(let why): throw QuoteError("\(field).duty_rate", "\(what): \(why); supply an ad valorem duty_rate for this line")
                case .missingQuantity(let u):
                    let f = u == .kg ? "net_weight_kg" : u == .litre ? "litres" : "quantity"
                    throw QuoteError("\(field).\(f)", "\(what) \"\(rate.raw)\" is charged per \(u.rawValue); give \(f)")
                case .noExchangeRate(let c): throw QuoteError("fx", "\(what) is in \(c); no \(c)->\(jur.currency) rate from \(jur.fxSource) on \(day)")
                }
            }
        }

        // The lowest priceable preferential rate among the claimed programmes covering the origin.
        var pref: (Measure, PreferenceProgram, Decimal)?
        if claimed != nil && line.dutyRate == nil {
            for (m, p) in preferenceCandidates(code: code, origin: origin) {
                let d = try evaluate(m.rate, "preferential rate \(m.id)")
                if pref == nil || d < pref!.2 { pref = (m, p, d) }
            }
        }

        if let supplied = line.dutyRate {
            duty = Dec.mul(dutyBase, supplied)
            lines.append(DutyLine(measure: "caller", type: "supplied", rateText: pct(supplied), amount: duty, legalRef: nil, pack: "request"))
            note("Line \(i): duty rate \(pct(supplied)) supplied by the caller on \(dutyBase.text)"
                + (code.isEmpty ? " (no commodity code: product-specific additional duties cannot be checked)" : ""))
        } else if let base = mfnMeasure {
            use(base.ref)
            duty = try evaluate(base.rate, "MFN rate \(base.id)")
            lines.append(DutyLine(measure: base.id, type: "mfn", rateText: base.rate.raw, amount: duty, legalRef: base.legalRef, pack: base.ref.description))
            note("Line \(i): MFN \(base.id) \"\(base.rate.raw)\" on \(dutyBase.text) = \(R.round(duty).text) [\(base.ref)]")
            if claimed != nil {
                if let (m, p, d) = pref, d < duty {
                    use(m.ref)
                    use(p.ref)
                    lines = [DutyLine(measure: m.id, type: "preference", rateText: m.rate.raw, amount: d, legalRef: m.legalRef ?? p.name, pack: m.ref.description)]
                    note("Line \(i): preference \(p.name) claimed for origin \(origin): \(m.id) \"\(m.rate.raw)\" = \(R.round(d).text) in lieu of MFN (proof of origin required) [\(m.ref)]")
                    duty = d
                } else {
                    note("Line \(i): preference \"\(req.preferenceClaimed ?? "")\" claimed but no programme covers origin \(origin) for \(code) with a lower rate on \(req.date)")
                    warn("preference \"\(req.preferenceClaimed ?? "")\" does not lower the duty on line \(i) (origin \(origin), \(code)): MFN charged")
                }
            }
        } else if let (m, p, d) = pref, d == 0 {
            // No schedule for this code, but a valid claim at 0 % cannot be beaten by any MFN rate.
            use(m.ref)
            use(p.ref)
            duty = 0
            lines.append(DutyLine(measure: m.id, type: "preference", rateText: m.rate.raw, amount: 0, legalRef: m.legalRef ?? p.name, pack: m.ref.description))
            note("Line \(i): no \(jur.code) MFN rate for \(code) in the loaded packs; preference \(p.name) for origin \(origin) is \"\(m.rate.raw)\", so the duty is 0 whatever the MFN rate (proof of origin required) [\(m.ref)]")
        } else {
            let claimText = claimed == nil ? "" : "; the claimed programme gives no 0 % rate for origin \(origin)"
            throw QuoteError("\(field).hs_code", "no \(jur.code) duty rate for \(code) on \(req.date) in the loaded packs\(claimText); give a known code or a duty_rate")
        }

        for m in book.measures(jurisdiction: jur.code, code: code, type: .additional, on: req.date) where m.applies(origin: origin) {
            use(m.ref)
            var add: Decimal
            switch m.stacking {
            case .plus:
                add = try evaluate(m.rate, "additional duty \(m.id)")
            case .inLieu:
                add = Dec.sub(try evaluate(m.rate, "additional duty \(m.id)"), duty)
            case .floorTotal:
                let floor = Dec.mul(m.rate.pureAdValorem ?? 0, dutyBase)
                add = Swift.max(0, Dec.sub(floor, duty))
            }
            duty = Dec.add(duty, add)
            lines.append(DutyLine(measure: m.id, type: "additional_\(m.stacking.rawValue)", rateText: m.rate.raw, amount: add, legalRef: m.legalRef, pack: m.ref.description))
            note("Line \(i): \(m.id) (\(m.legalRef ?? "additional duty"), \(m.stacking.rawValue)) for origin \(origin): \"\(m.rate.raw)\" -> +\(R.round(add).text) [\(m.ref)]")
        }
        for k in lines.indices { lines[k].amount = R.round(lines[k].amount) }
        // Each duty line is rounded as printed, and the line total is their sum, so the parts add up;
        // a jurisdiction that truncates (JP) truncates the total instead.
        let rounded = R.dutyIncrement == nil ? lines.reduce(Decimal(0)) { Dec.add($0, $1.amount) } : R.truncate(duty, to: R.dutyIncrement)
        return (lines, rounded)
    }
}

extension QuoteEngine {
    /// One request's answer as `customs-hub quote` prints it: the quote, or `{"id","error":{"field","message"}}`.
    /// `book` gives the packs for the request's pins (`pack_versions`, empty for the current ones).
    public static func answer(_ value: JSONValue, book: ([String: String]) throws -> TariffBook) -> JSONValue {
        outcome(value, book: book).json
    }
}
