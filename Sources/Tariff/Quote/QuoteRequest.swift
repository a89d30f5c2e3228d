import CustomsModel
import Foundation
import JSONCore

/// A request the engine cannot price, naming the field to fix (`lines[1].net_weight_kg`).
public struct QuoteError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var message: String
    /// For a code too short to decide: the national lines under it with their rates, so the caller
    /// can pick one instead of guessing.
    public var candidates: [CodeCandidate]
    public init(_ field: String, _ message: String, candidates: [CodeCandidate] = []) {
        self.field = field
        self.message = message
        self.candidates = candidates
    }
    public var description: String { "\(field): \(message)" }
}

/// A national tariff line under a code that was too short to price.
public struct CodeCandidate: Sendable, Hashable {
    public var code: String
    public var rate: String
    public var description: String
}

/// One line to price. `value` is the line total in the request currency.
public struct QuoteLine: Sendable, Hashable {
    public var hsCode: String
    public var description: String
    public var quantity: Decimal
    public var value: Decimal
    public var netWeightKg: Decimal?
    public var litres: Decimal?
    public var origin: CountryCode?
    /// An ad valorem rate the caller already knows (binding ruling), as a fraction.
    public var dutyRate: Decimal?

    public init(
        hsCode: String, description: String = "", quantity: Decimal, value: Decimal, netWeightKg: Decimal? = nil,
        litres: Decimal? = nil, origin: CountryCode? = nil, dutyRate: Decimal? = nil
    ) {
        self.hsCode = hsCode
        self.description = description
        self.quantity = quantity
        self.value = value
        self.netWeightKg = netWeightKg
        self.litres = litres
        self.origin = origin
        self.dutyRate = dutyRate
    }
}

/// A rate the caller supplies: 1 `from` = `rate` `to`.
public struct SuppliedRate: Sendable, Hashable {
    public var from: CurrencyCode
    public var to: CurrencyCode
    public var rate: Decimal
}

/// One landed-cost question: these goods, into this destination, imported on this date.
public struct QuoteRequest: Sendable, Hashable {
    public var id: String
    /// The expected import date; every rule is chosen by it.
    public var date: Day
    public var destination: CountryCode
    public var destinationRegion: String?
    public var origin: CountryCode?
    public var shipFrom: CountryCode
    public var currency: CurrencyCode
    public var lines: [QuoteLine]
    public var shipping: Decimal
    public var insurance: Decimal
    public var incoterm: String
    public var channel: String
    public var sellerRegistrations: Set<String>
    public var consignmentType: String
    public var preferenceClaimed: String?
    public var fx: [SuppliedRate]
    /// Pack versions to use instead of the current ones (recomputing an old quote).
    public var packVersions: [String: String]

    public init(
        id: String, date: Day, destination: CountryCode, destinationRegion: String? = nil, origin: CountryCode?,
        shipFrom: CountryCode, currency: CurrencyCode, lines: [QuoteLine], shipping: Decimal = 0, insurance: Decimal = 0,
        incoterm: String = "DAP", channel: String = "courier", sellerRegistrations: Set<String> = [],
        consignmentType: String = "B2C", preferenceClaimed: String? = nil, fx: [SuppliedRate] = [],
        packVersions: [String: String] = [:]
    ) {
        self.id = id
        self.date = date
        self.destination = destination
        self.destinationRegion = destinationRegion
        self.origin = origin
        self.shipFrom = shipFrom
        self.currency = currency
        self.lines = lines
        self.shipping = shipping
        self.insurance = insurance
        self.incoterm = incoterm
        self.channel = channel
        self.sellerRegistrations = sellerRegistrations
        self.consignmentType = consignmentType
        self.preferenceClaimed = preferenceClaimed
        self.fx = fx
        self.packVersions = packVersions
    }

    public static let channels: Set<String> = ["postal", "courier", "air_cargo", "air_formal", "ocean_formal"]
    public static let registrations: Set<String> = ["GB_VAT", "IOSS", "VOEC", "AU_GST_LVG"]
    public static let consignmentTypes: Set<String> = ["B2C", "B2B", "gift_private_to_private"]
}

extension QuoteRequest {
    /// Reads the wire form (see `customs-hub quote --help`). Every problem names its field.
    public static func parse(_ value: JSONValue) throws(QuoteError) -> QuoteRequest {
        guard let o = value.objectValue else { throw QuoteError("$", "expected a JSON object, found \(value.typeName)") }
        let r = RequestReader(object: o, path: "")
        let id = try r.string("id")
        let dateText = try r.string("date")
        guard let date = Day(dateText) else { throw QuoteError("date", "\"\(dateText)\" is not a YYYY-MM-DD date") }
        let destination = try r.country("destination")
        let region = try r.optionalString("destination_region")
        // A region that is no subdivision of the destination would quietly fall back to the
        // country's tax: refused instead, as order validation refuses it.
        if let region, SubdivisionCode(rawValue: region).qualified(in: destination) == nil {
            throw QuoteError("destination_region", "\"\(region)\" is not an ISO 3166-2 subdivision of \(destination)")
        }
        let origin = try r.has("origin") ? r.country("origin") : nil
        let shipFrom = try r.has("ship_from") ? r.country("ship_from") : (origin ?? destination)
        let currencyText = try r.string("currency")
        let currency = CurrencyCode(currencyText)
        guard currency.isAssigned else { throw QuoteError("currency", "unknown currency code \"\(currencyText)\"") }
        guard case .array(let items)? = o["lines"] else { throw QuoteError("lines", "missing or not an array") }
        guard !items.isEmpty else { throw QuoteError("lines", "at least one line is needed") }
        var lines: [QuoteLine] = []
        for (i, item) in items.enumerated() {
            let path = "lines[\(i)]"
            guard let lo = item.objectValue else { throw QuoteError(path, "expected an object") }
            let l = RequestReader(object: lo, path: path + ".")
            // A caller who knows the rate (a binding ruling, a destination without a schedule) may
            // leave the code out: the duty comes from `duty_rate`, the tax from the standard rate.
            var hs = HSCode(rawValue: "")
            var hsRaw = ""
            var digitsOnly = false
            if l.has("hs_code") || !l.has("duty_rate") {
                let text = try l.string("hs_code")
                // A code of ASCII digits only (the usual case) is its own HSCode: nothing to drop.
                digitsOnly = !text.isEmpty && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
                if digitsOnly {
                    hsRaw = text
                } else {
                    // Hyphens as Japan prints its codes (6109.10-010), beside the dots and spaces HSCode drops.
                    hs = HSCode(rawValue: text.utf8.contains(UInt8(ascii: "-")) ? text.replacingOccurrences(of: "-", with: "") : text)
                    hsRaw = hs.rawValue
                }
            }
            if digitsOnly {
                // Digits only: 2 (a chapter), 4, 6, 8 or 10, or Japan's 9-digit statistical codes.
                guard [2, 4, 6, 8, 9, 10].contains(hsRaw.utf8.count) else {
                    throw QuoteError("\(path).hs_code", "\"\(hsRaw)\" is not a commodity code (4 to 10 digits)")
                }
            } else {
                // Japan declares 9-digit statistical codes (6109.10-010); every other length a tariff uses is even.
                let japanese = hs.rawValue.count == 9 && hs.rawValue.allSatisfy { $0.isASCII && $0.isNumber }
                guard hs.rawValue.isEmpty || hs.isWellFormed || japanese || (hs.rawValue.count == 2 && hs.rawValue.allSatisfy(\.isNumber)) else {
                    throw QuoteError("\(path).hs_code", "\"\(hs.rawValue)\" is not a commodity code (4 to 10 digits)")
                }
            }
            let quantity = try l.decimal("quantity")
            guard quantity > 0 else { throw QuoteError("\(path).quantity", "must be greater than zero") }
            let value = try l.decimal("value")
            guard value >= 0 else { throw QuoteError("\(path).value", "must not be negative") }
            let weight = try l.optionalDecimal("net_weight_kg")
            if let w = weight, w <= 0 { throw QuoteError("\(path).net_weight_kg", "must be greater than zero") }
            let rate = try l.has("duty_rate") ? l.rate("duty_rate") : nil
            if let d = rate, d < 0 || d > 10 {
                throw QuoteError("\(path).duty_rate", "must be a fraction (0.12 for 12%) or a percentage (\"12%\"), got \(d.text)")
            }
            lines.append(QuoteLine(
                hsCode: hsRaw, description: try l.optionalString("description") ?? "", quantity: quantity, value: value,
                netWeightKg: weight, litres: try l.optionalDecimal("litres"),
                origin: try l.has("origin") ? l.country("origin") : nil, dutyRate: rate))
        }
        let incoterm = try r.optionalString("incoterm") ?? "DAP"
        guard incoterm == "DDP" || incoterm == "DAP" else { throw QuoteError("incoterm", "must be DDP or DAP, got \"\(incoterm)\"") }
        let channel = try r.optionalString("channel") ?? "courier"
        guard channels.contains(channel) else {
            throw QuoteError("channel", "unknown channel \"\(channel)\" (expected \(channels.sorted().joined(separator: "|")))")
        }
        var regs = Set<String>()
        if case .array(let list)? = o["seller_registrations"] {
            for (i, v) in list.enumerated() {
                guard let s = v.stringValue, registrations.contains(s) else {
                    throw QuoteError("seller_registrations[\(i)]", "expected one of \(registrations.sorted().joined(separator: ", "))")
                }
                regs.insert(s)
            }
        } else if r.has("seller_registrations") {
            throw QuoteError("seller_registrations", "expected an array of strings")
        }
        let ctype = try r.optionalString("consignment_type") ?? "B2C"
        guard consignmentTypes.contains(ctype) else {
            throw QuoteError("consignment_type", "expected one of \(consignmentTypes.sorted().joined(separator: ", "))")
        }
        var fx: [SuppliedRate] = []
        if case .array(let list)? = o["fx"] {
            for (i, v) in list.enumerated() {
                guard let fo = v.objectValue else { throw QuoteError("fx[\(i)]", "expected an object") }
                let f = RequestReader(object: fo, path: "fx[\(i)].")
                let from = CurrencyCode(try f.string("from"))
                let to = CurrencyCode(try f.string("to"))
                guard from.isAssigned else { throw QuoteError("fx[\(i)].from", "unknown currency code \"\(from)\"") }
                guard to.isAssigned else { throw QuoteError("fx[\(i)].to", "unknown currency code \"\(to)\"") }
                let rate = try f.decimal("rate")
                guard rate > 0 else { throw QuoteError("fx[\(i)].rate", "must be positive") }
                fx.append(SuppliedRate(from: from, to: to, rate: rate))
            }
        }
        var pins: [String: String] = [:]
        if case .object(let po)? = o["pack_versions"] {
            for (k, v) in po.members {
                guard let s = v.stringValue else { throw QuoteError("pack_versions.\(k)", "expected a version string") }
                pins[k] = s
            }
        }
        let shipping = try r.optionalDecimal("shipping") ?? 0
        let insurance = try r.optionalDecimal("insurance") ?? 0
        guard shipping >= 0 else { throw QuoteError("shipping", "must not be negative") }
        guard insurance >= 0 else { throw QuoteError("insurance", "must not be negative") }
        return QuoteRequest(
            id: id, date: date, destination: destination, destinationRegion: region, origin: origin, shipFrom: shipFrom,
            currency: currency, lines: lines, shipping: shipping, insurance: insurance, incoterm: incoterm, channel: channel,
            sellerRegistrations: regs, consignmentType: ctype, preferenceClaimed: try r.optionalString("preference_claimed"),
            fx: fx, packVersions: pins)
    }
}

/// Field access for request objects that throws errors naming the full field path.
struct RequestReader {
    let object: JSONObject
    let path: String

    func has(_ key: String) -> Bool {
        if let v = object[key], v != .null { return true }
        return false
    }

    func string(_ key: String) throws(QuoteError) -> String {
        guard let v = object[key], v != .null else { throw QuoteError(path + key, "missing") }
        guard let s = v.stringValue else { throw QuoteError(path + key, "expected a string, found \(v.typeName)") }
        return s
    }

    func optionalString(_ key: String) throws(QuoteError) -> String? {
        has(key) ? try string(key) : nil
    }

    func decimal(_ key: String) throws(QuoteError) -> Decimal {
        guard let v = object[key], v != .null else { throw QuoteError(path + key, "missing") }
        switch v {
        case .number(let t), .string(let t):
            guard let d = Decimal.parseExact(t) else { throw QuoteError(path + key, "\"\(t)\" is not a decimal number") }
            return d
        default:
            throw QuoteError(path + key, "expected a decimal number, found \(v.typeName)")
        }
    }

    /// A rate as a fraction (0.12), or as a broker writes it on a ruling: "12%", "12 %".
    func rate(_ key: String) throws(QuoteError) -> Decimal {
        if case .string(let t)? = object[key], t.hasSuffix("%") {
            let number = t.dropLast().trimmingCharacters(in: .whitespaces)
            guard let d = Decimal.parseExact(number) else { throw QuoteError(path + key, "\"\(t)\" is not a percentage") }
            return d / 100
        }
        return try decimal(key)
    }

    func optionalDecimal(_ key: String) throws(QuoteError) -> Decimal? {
        has(key) ? try decimal(key) : nil
    }

    func country(_ key: String) throws(QuoteError) -> CountryCode {
        let s = try string(key)
        let c = CountryCode(s)
        guard c.isAssigned else { throw QuoteError(path + key, "unknown country code \"\(s)\"") }
        return c
    }
}

extension QuoteRequest {
    /// The request for a canonical order: its lines (with their HS codes), its shipment and a date.
    /// Lines without an HS code cannot be priced and are reported by index.
    public init(
        order: Order, date: Day, channel: String = "courier", sellerRegistrations: Set<String> = [],
        consignmentType: String? = nil, fx: [SuppliedRate] = []
    ) throws(QuoteError) {
        var lines: [QuoteLine] = []
        for (i, l) in order.lines.enumerated() {
            guard let hs = l.hsCode else { throw QuoteError("lines[\(i)].hs_code", "missing; classify the line first") }
            guard l.lineValue.currency == order.currency else {
                throw QuoteError("lines[\(i)].line_value.currency", "\(l.lineValue.currency) differs from the order currency \(order.currency)")
            }
            lines.append(QuoteLine(
                hsCode: hs.rawValue, description: l.description, quantity: l.quantity, value: l.lineValue.amount,
                netWeightKg: l.netWeight?.kilograms, origin: l.originCountry))
        }
        let s = order.shipment
        let claims = Set(order.lines.compactMap { $0.preferenceClaim?.agreement })
        self.init(
            id: order.id ?? order.externalReference, date: date, destination: s.destinationCountry,
            destinationRegion: s.destinationRegion?.rawValue, origin: order.originCountries.first, shipFrom: s.shipFromCountry,
            currency: order.currency, lines: lines, shipping: s.shippingCharge?.amount ?? 0, insurance: s.insuranceCharge?.amount ?? 0,
            incoterm: s.incoterm?.rawValue == "DDP" ? "DDP" : "DAP", channel: channel, sellerRegistrations: sellerRegistrations,
            consignmentType: consignmentType
                ?? (order.transactionType == .b2b ? "B2B"
                    : order.transactionType == .c2c && order.contentsType == .gift ? "gift_private_to_private" : "B2C"),
            preferenceClaimed: claims.count == 1 ? claims.first : nil, fx: fx)
    }
}
