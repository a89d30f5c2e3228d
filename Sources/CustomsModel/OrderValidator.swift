import Foundation
import JSONCore

/// One thing wrong with an order, named precisely enough for a merchant's developer to fix it.
public struct ValidationProblem: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Severity: String, Hashable, Sendable, Codable { case error, warning }

    public var path: JSONPath
    /// Stable machine-readable code (`required`, `line_total_mismatch`…); see README "Validation codes".
    public var code: String
    public var message: String
    public var severity: Severity
    /// The data rule that raised it, for rules that come from files.
    public var rule: String?

    public init(path: JSONPath, code: String, message: String, severity: Severity = .error, rule: String? = nil) {
        self.path = path
        self.code = code
        self.message = message
        self.severity = severity
        self.rule = rule
    }

    enum CodingKeys: String, CodingKey { case path, code, message, severity, rule }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(path.description, forKey: .path)
        try c.encode(code, forKey: .code)
        try c.encode(message, forKey: .message)
        try c.encode(severity, forKey: .severity)
        try c.encodeIfPresent(rule, forKey: .rule)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        path = JSONPath.parse(try c.decode(String.self, forKey: .path))
        code = try c.decode(String.self, forKey: .code)
        message = try c.decode(String.self, forKey: .message)
        severity = try c.decode(Severity.self, forKey: .severity)
        rule = try c.decodeIfPresent(String.self, forKey: .rule)
    }

    public var description: String { "\(path) [\(code)] \(message)" }
}

/// The outcome of checking one order document.
public enum OrderCheck: Sendable {
    /// Not JSON at all; nothing can be said about fields.
    case unreadable(JSONParseError)
    /// Read and checked. `order` is set whenever the document could be decoded, even with problems.
    case checked(order: Order?, problems: [ValidationProblem])

    public var isValid: Bool {
        if case .checked(let order, let problems) = self { return order != nil && !problems.contains { $0.severity == .error } }
        return false
    }
}

/// Validation at the source: the order schema, then the rules that need tables or arithmetic,
/// then the destination's mandatory fields from data. Every problem is returned at once.
public struct OrderValidator: Sendable {
    public let schema: JSONSchema
    public let requirements: DestinationRequirements
    public let nomenclature: HSNomenclature

    public init(schema: JSONSchema, requirements: DestinationRequirements, nomenclature: HSNomenclature) {
        self.schema = schema
        self.requirements = requirements
        self.nomenclature = nomenclature
    }

    /// Checks raw bytes as received from a merchant.
    public func check(bytes: some Collection<UInt8>, limits: JSONParseLimits = .default) -> OrderCheck {
        let document: JSONValue
        do { document = try JSONParser.parse(bytes, limits: limits) } catch { return .unreadable(error) }
        return check(document: document)
    }

    /// Checks a parsed JSON document.
    public func check(document: JSONValue) -> OrderCheck {
        var problems = schema.validate(document).map(Self.problem(from:))
        // Control characters and numbers no Decimal holds are named at their path, before decoding
        // (which would only say "not valid JSON" about a 1e400).
        var text: [ValidationProblem] = []
        Self.textProblems(document, at: .root, into: &text)
        let schemaFlagged = Set(problems.map(\.path))
        problems += text.filter { !schemaFlagged.contains($0.path) }
        let order: Order?
        do {
            order = try JSONValueDecoder().decode(Order.self, from: document)
        } catch let error as DecodingError {
            order = nil
            // The schema already explains type errors; a decode error adds news only where nothing
            // else was said (a value the schema's pattern allows but no Decimal can hold).
            let decodeProblem = Self.problem(from: error)
            if problems.isEmpty || (!problems.contains { $0.path == decodeProblem.path } && decodeProblem.path != .root) {
                problems.append(decodeProblem)
            }
        } catch {
            order = nil
            if problems.isEmpty { problems.append(ValidationProblem(path: .root, code: "invalid_order", message: "\(error)")) }
        }
        if let order {
            let flagged = Set(problems.map(\.path))
            problems += rules(order, document: document).filter { !flagged.contains($0.path) }
        }
        return .checked(order: order, problems: problems)
    }

    /// Checks an order that arrived through another format (EDIFACT, XML, CSV) already mapped.
    public func check(order: Order) -> [ValidationProblem] {
        let document = (try? JSONValueEncoder().encode(order)) ?? .null
        var out: [ValidationProblem] = []
        Self.textProblems(document, at: .root, into: &out)
        return out + rules(order, document: document)
    }

    // MARK: - Text and numbers at the source

    /// Whether a character may appear in order text: no C0/C1 control (tab, line feed and carriage
    /// return excepted), no DEL, no Unicode noncharacter (U+FFFE, U+FFFF, U+FDD0…U+FDEF). Such
    /// characters become U+FFFD in XML filings and raw bytes in EDIFACT, so they are refused here.
    public static func isAllowedText(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v == 0x09 || v == 0x0A || v == 0x0D { return true }
        if v < 0x20 || (0x7F...0x9F).contains(v) { return false }
        if (0xFDD0...0xFDEF).contains(v) || (v & 0xFFFE) == 0xFFFE { return false }
        return true
    }

    /// Every string with a forbidden character and every number `Decimal` cannot hold exactly
    /// (more than 38 significant digits), wherever it is in the document.
    static func textProblems(_ value: JSONValue, at path: JSONPath, into out: inout [ValidationProblem]) {
        guard out.count < 100 else { return }
        switch value {
        case .string(let text):
            // A decimal written as a string (`"19.98…01"`, the form the schema asks for) that has
            // more digits than a Decimal holds.
            if text.utf8.count > Decimal.maxSignificantDigits, text.contains("."),
                text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D }), Decimal(exactly: text) == nil
            {
                out.append(.init(path: path, code: "inexact_number", message: "\(text.prefix(60)) has more than \(Decimal.maxSignificantDigits) significant digits"))
            }
            if let bad = text.unicodeScalars.first(where: { !isAllowedText($0) }) {
                let code = String(bad.value, radix: 16, uppercase: true)
                out.append(.init(path: path, code: "control_character",
                                 message: "contains the character U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code), which no filing can carry; remove it"))
            }
        case .number(let text):
            // Plain short numbers (`12.5`, `3`) always read back; only the others are parsed.
            if !ExactDecimal.isPlain(text), Decimal(exactly: text) == nil {
                out.append(.init(path: path, code: "inexact_number", message: "\(text.prefix(60)) has more than \(Decimal.maxSignificantDigits) significant digits or is out of range"))
            }
        case .array(let items):
            for (i, item) in items.enumerated() { textProblems(item, at: path.appending(i), into: &out) }
        case .object(let object):
            for (key, item) in object.members { textProblems(item, at: path.appending(key), into: &out) }
        default: break
        }
    }

    // MARK: - Rules

    func rules(_ order: Order, document: JSONValue) -> [ValidationProblem] {
        var out: [ValidationProblem] = []
        let currency = order.currency
        if !currency.isAssigned {
            out.append(.init(path: ["currency"], code: "unknown_currency", message: "\(currency) is not an ISO 4217 currency code"))
        }

        // Parties
        var roles: [PartyRole: Int] = [:]
        for (i, party) in order.parties.enumerated() {
            let p = JSONPath([.key("parties"), .index(i)])
            if let first = roles[party.role] {
                out.append(.init(path: p / "role", code: "duplicate_role", message: "role \(party.role.rawValue) is already used by parties[\(first)]"))
            } else {
                roles[party.role] = i
            }
            checkCountry(party.country, at: p / "country", into: &out)
            if let email = party.email, !Self.looksLikeEmail(email) {
                out.append(.init(path: p / "email", code: "invalid_email", message: "\"\(email)\" is not an email address"))
            }
            for (k, id) in party.taxIDs.enumerated() {
                if let why = TaxIDFormat.problem(id) {
                    out.append(.init(path: p / "tax_ids" / k / "value", code: "tax_id_format", message: why))
                }
            }
        }
        if let consigneeIndex = roles[.consignee], order.parties[consigneeIndex].country != order.shipment.destinationCountry,
            order.parties[consigneeIndex].country.isAssigned
        {
            out.append(.init(
                path: JSONPath([.key("parties"), .index(consigneeIndex), .key("country")]), code: "country_conflict",
                message: "consignee country \(order.parties[consigneeIndex].country) differs from shipment.destination_country \(order.shipment.destinationCountry)"))
        }
        if order.contentsType == .gift && order.transactionType != .c2c {
            out.append(.init(
                path: ["contents_type"], code: "gift_not_private",
                message: "gift relief applies only between private persons; a \(order.transactionType.rawValue) sale is not a gift (set transaction_type c2c or contents_type merchandise)"))
        }

        // Shipment
        let s = order.shipment
        let sp: JSONPath = ["shipment"]
        checkCountry(s.shipFromCountry, at: sp / "ship_from_country", into: &out)
        checkCountry(s.destinationCountry, at: sp / "destination_country", into: &out)
        if s.shipFromCountry == s.destinationCountry && s.destinationCountry.isAssigned {
            out.append(.init(
                path: sp / "destination_country", code: "no_border",
                message: "ship_from_country and destination_country are both \(s.destinationCountry): no customs border is crossed",
                severity: .warning))
        }
        if let region = s.destinationRegion, s.destinationCountry.isAssigned, region.qualified(in: s.destinationCountry) == nil {
            out.append(.init(path: sp / "destination_region", code: "unknown_region", message: "\(region) is not an ISO 3166-2 subdivision of \(s.destinationCountry)"))
        }
        if let incoterm = s.incoterm, !incoterm.isKnown {
            out.append(.init(path: sp / "incoterm", code: "unknown_incoterm", message: "\(incoterm) is not an Incoterms 2020 rule (\(Incoterm.known.keys.sorted().joined(separator: ", ")))"))
        }
        for (name, charge) in [("shipping_charge", s.shippingCharge), ("insurance_charge", s.insuranceCharge)] {
            guard let charge else { continue }
            checkMoney(charge, at: sp / name, orderCurrency: currency, allowZero: true, into: &out)
        }
        var grossKg: Decimal = 0
        var allGross = !s.parcels.isEmpty
        for (i, parcel) in s.parcels.enumerated() {
            let pp = sp / "parcels" / i
            if let w = parcel.grossWeight {
                checkPositive(w.value, at: pp / "gross_weight" / "value", what: "gross weight", into: &out)
                grossKg += w.kilograms
                if w.value <= 0 { allGross = false }
            } else {
                allGross = false
            }
            if let d = parcel.dimensions {
                for (n, v) in [("length", d.length), ("width", d.width), ("height", d.height)] {
                    checkPositive(v, at: pp / "dimensions" / n, what: n, into: &out)
                }
            }
        }

        // Lines
        var lineIDs: [String: Int] = [:]
        var netKg: Decimal = 0
        var allNet = true
        for (i, line) in order.lines.enumerated() {
            let lp = JSONPath([.key("lines"), .index(i)])
            if let id = line.lineID {
                if let first = lineIDs[id] {
                    out.append(.init(path: lp / "line_id", code: "duplicate_line_id", message: "line_id \(id) is already used by lines[\(first)]"))
                } else {
                    lineIDs[id] = i
                }
            }
            checkPositive(line.quantity, at: lp / "quantity", what: "quantity", into: &out)
            if !line.unitOfMeasure.isKnown {
                out.append(.init(path: lp / "unit_of_measure", code: "unknown_unit", message: "\(line.unitOfMeasure) is not a UN/ECE Rec 20 unit this hub knows"))
            } else if Self.countableUnits.contains(line.unitOfMeasure), line.quantity.fractionalDigits > 0 {
                out.append(.init(path: lp / "quantity", code: "fractional_quantity", message: "\(line.quantity.plainString) \(line.unitOfMeasure) is not a whole number of items"))
            }
            checkMoney(line.unitValue, at: lp / "unit_value", orderCurrency: currency, allowZero: false, checkPrecision: false, into: &out)
            checkMoney(line.lineValue, at: lp / "line_value", orderCurrency: currency, allowZero: false, into: &out)
            if line.unitValue.currency == line.lineValue.currency, line.quantity > 0 {
                let expected = (line.unitValue * line.quantity).rounded()
                if expected.amount != line.lineValue.amount.rounded(scale: line.lineValue.currency.minorUnits ?? 4) {
                    out.append(.init(
                        path: lp / "line_value", code: "line_total_mismatch",
                        message: "line_value \(line.lineValue) is not quantity × unit_value = \(line.quantity.plainString) × \(line.unitValue.amount.plainString) = \(expected)"))
                }
            }
            if let w = line.netWeight {
                checkPositive(w.value, at: lp / "net_weight" / "value", what: "net weight", into: &out)
                netKg += w.kilograms
            } else {
                allNet = false
            }
            if let origin = line.originCountry { checkCountry(origin, at: lp / "origin_country", into: &out) }
            if let hs = line.hsCode {
                if !hs.isWellFormed {
                    out.append(.init(path: lp / "hs_code", code: "hs_code_format", message: "\(hs) must be 4, 6, 8 or 10 digits"))
                } else if !nomenclature.contains(hs) {
                    out.append(.init(
                        path: lp / "hs_code", code: "hs_code_unknown",
                        message: "\(hs.subheading ?? hs.heading) is not a heading or subheading of \(nomenclature.edition)"))
                }
            }
        }
        if allNet && allGross && netKg > grossKg {
            out.append(.init(
                path: sp / "parcels", code: "gross_below_net",
                message: "parcel gross weight \(grossKg.rounded(scale: 3).plainString) kg is less than the lines' net weight \(netKg.rounded(scale: 3).plainString) kg"))
        }

        // Destination requirements from data
        out += destinationProblems(order, document: document)
        return out
    }

    func destinationProblems(_ order: Order, document: JSONValue) -> [ValidationProblem] {
        let destination = order.shipment.destinationCountry
        var out: [ValidationProblem] = []
        var seen = Set<JSONPath>()
        for rule in requirements.rules(for: destination) {
            let applies = rule.when.allSatisfy { key, value in document[key]?.stringValue == value }
            guard applies else { continue }
            for miss in rule.field.misses(in: document) where seen.insert(miss.path).inserted {
                let what = miss.missingElement.map { "an element with \($0) in \(miss.path)" } ?? "\(miss.path)"
                let why = rule.reason.isEmpty ? "" : " (\(rule.reason))"
                out.append(.init(
                    path: miss.path, code: "required_by_destination",
                    message: "\(destination) requires \(what)\(why)", rule: rule.id))
            }
        }
        return out
    }

    private func checkCountry(_ code: CountryCode, at path: JSONPath, into out: inout [ValidationProblem]) {
        if !code.isAssigned {
            out.append(.init(path: path, code: "unknown_country", message: "\(code) is not an ISO 3166-1 alpha-2 country code"))
        }
    }

    private func checkPositive(_ value: Decimal, at path: JSONPath, what: String, into out: inout [ValidationProblem]) {
        if value <= 0 {
            out.append(.init(path: path, code: "not_positive", message: "\(what) must be greater than zero, got \(value.plainString)"))
        }
    }

    private func checkMoney(
        _ money: Money, at path: JSONPath, orderCurrency: CurrencyCode, allowZero: Bool, checkPrecision: Bool = true,
        into out: inout [ValidationProblem]
    ) {
        if !money.currency.isAssigned {
            out.append(.init(path: path / "currency", code: "unknown_currency", message: "\(money.currency) is not an ISO 4217 currency code"))
        } else if money.currency != orderCurrency {
            out.append(.init(path: path / "currency", code: "currency_mismatch", message: "\(money.currency) differs from the order currency \(orderCurrency)"))
        }
        if allowZero ? money.amount < 0 : money.amount <= 0 {
            out.append(.init(
                path: path / "amount", code: allowZero ? "negative" : "not_positive",
                message: allowZero ? "must not be negative, got \(money.amount.plainString)" : "must be greater than zero, got \(money.amount.plainString)"))
        }
        if checkPrecision, money.currency.isAssigned, !money.fitsMinorUnits {
            out.append(.init(
                path: path / "amount", code: "precision",
                message: "\(money.amount.plainString) has more decimals than \(money.currency) allows (\(money.currency.minorUnits ?? 0))"))
        }
    }

    static let countableUnits: Set<UnitCode> = ["PCE", "C62", "H87", "EA", "NAR", "NPR", "PR", "SET", "KT", "PK", "BX", "BO", "CT"]

    static func looksLikeEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !s.contains(where: \.isWhitespace) else { return false }
        return !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
    }

    // MARK: - Mapping schema and decoder errors to problems

    static func problem(from v: SchemaViolation) -> ValidationProblem {
        let code: String
        switch v.keyword {
        case "required": code = "required"
        case "type", "anyOf", "oneOf": code = "invalid_type"
        case "enum", "const": code = "invalid_value"
        case "pattern": code = "invalid_format"
        case "additionalProperties", "false": code = "unknown_field"
        case "minLength", "minItems": code = "empty"
        case "maxLength", "maxItems": code = "too_long"
        default: code = "out_of_range"
        }
        return ValidationProblem(path: v.path, code: code, message: v.message)
    }

    static func problem(from error: DecodingError) -> ValidationProblem {
        func path(_ keys: [any CodingKey]) -> JSONPath {
            JSONPath(keys.map { $0.intValue.map(JSONPath.Component.index) ?? .key($0.stringValue) })
        }
        switch error {
        case .dataCorrupted(let c):
            return ValidationProblem(path: path(c.codingPath), code: "invalid_value", message: c.debugDescription)
        case .keyNotFound(let key, let c):
            return ValidationProblem(path: path(c.codingPath + [key]), code: "required", message: "is required")
        case .typeMismatch(let type, let c), .valueNotFound(let type, let c):
            return ValidationProblem(path: path(c.codingPath), code: "invalid_type", message: "expected \(type)")
        @unknown default:
            return ValidationProblem(path: .root, code: "invalid_order", message: "\(error)")
        }
    }
}

/// Format checks for tax and customs identifiers. They catch keying errors, not fraud: a number
/// of the right shape can still be unregistered.
public enum TaxIDFormat {
    public static func problem(_ id: TaxIdentifier) -> String? {
        let v = id.value
        func all(_ s: Substring, _ pred: (Character) -> Bool) -> Bool { !s.isEmpty && s.allSatisfy(pred) }
        let upper = { (c: Character) in c.isASCII && (c.isUppercase || c.isNumber) }
        let digit = { (c: Character) in c.isASCII && c.isNumber }
        switch id.kind {
        case .eori:
            let prefix = v.prefix(2)
            guard prefix.count == 2, prefix.allSatisfy({ $0.isASCII && $0.isUppercase }), (3...17).contains(v.count), all(v.dropFirst(2), upper) else {
                return "EORI \"\(v)\" must be a 2-letter country prefix and up to 15 letters or digits"
            }
            if (prefix == "GB" || prefix == "XI") && !(v.count == 14 && all(v.dropFirst(2), digit)) {
                return "\(prefix) EORI \"\(v)\" must be \(prefix) followed by 12 digits"
            }
            return nil
        case .vat:
            let prefix = v.prefix(2)
            guard prefix.allSatisfy({ $0.isASCII && $0.isUppercase }), (4...15).contains(v.count), all(v.dropFirst(2), { upper($0) || $0 == "+" || $0 == "*" }) else {
                return "VAT number \"\(v)\" must be a 2-letter country prefix and 2 to 13 letters or digits"
            }
            return nil
        case .ioss:
            guard v.count == 12, v.hasPrefix("IM"), all(v.dropFirst(2), digit) else {
                return "IOSS number \"\(v)\" must be IM followed by 10 digits"
            }
            return nil
        case .gbVAT:
            let body = v.dropFirst(2)
            let ok = v.hasPrefix("GB")
                && ((all(body, digit) && (body.count == 9 || body.count == 12))
                    || ((body.hasPrefix("GD") || body.hasPrefix("HA")) && body.count == 5 && all(body.dropFirst(2), digit)))
            return ok ? nil : "UK VAT number \"\(v)\" must be GB followed by 9 or 12 digits (or GBGD/GBHA and 3 digits)"
        case .usEIN:
            let digits = v.filter { $0 != "-" }
            let dashOK = !v.contains("-") || (v.count == 10 && v[v.index(v.startIndex, offsetBy: 2)] == "-")
            return digits.count == 9 && all(Substring(digits), digit) && dashOK ? nil : "EIN \"\(v)\" must be 9 digits, written NN-NNNNNNN"
        case .other:
            return nil
        }
    }
}
