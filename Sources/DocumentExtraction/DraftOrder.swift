import CustomsModel
import Foundation

/// The canonical order as far as the document tells it. Keys are the canonical order's; values
/// the document did not give are absent and listed in `missing`. `order(...)` makes the real
/// `Order` once nothing required is missing (merchant and idempotency key come from the caller).
public struct DraftOrder: Hashable, Sendable, Codable {
    public struct DraftParty: Hashable, Sendable, Codable {
        public var role: PartyRole
        public var name: String
        public var addressLines: [String]
        public var city: String?
        public var postalCode: String?
        public var country: CountryCode?

        enum CodingKeys: String, CodingKey {
            case role, name
            case addressLines = "address_lines"
            case city
            case postalCode = "postal_code"
            case country
        }
    }

    public struct DraftLine: Hashable, Sendable, Codable {
        public var description: String?
        public var quantity: String?
        public var unitOfMeasure: String?
        public var unitValue: Money?
        public var lineValue: Money?
        public var netWeight: Weight?
        public var originCountry: CountryCode?
        public var hsCode: HSCode?

        enum CodingKeys: String, CodingKey {
            case description, quantity
            case unitOfMeasure = "unit_of_measure"
            case unitValue = "unit_value"
            case lineValue = "line_value"
            case netWeight = "net_weight"
            case originCountry = "origin_country"
            case hsCode = "hs_code"
        }
    }

    public struct DraftShipment: Hashable, Sendable, Codable {
        public var shipFromCountry: CountryCode?
        public var destinationCountry: CountryCode?
        public var incoterm: Incoterm?
        public var shippingCharge: Money?
        /// Part of a CIF value, so the duty engine needs it beside the freight.
        public var insuranceCharge: Money?
        public var grossWeight: Weight?

        enum CodingKeys: String, CodingKey {
            case shipFromCountry = "ship_from_country"
            case destinationCountry = "destination_country"
            case incoterm
            case shippingCharge = "shipping_charge"
            case insuranceCharge = "insurance_charge"
            case grossWeight = "gross_weight"
        }
    }

    public var externalReference: String?
    /// RFC 3339, midnight UTC of the document date.
    public var createdAt: String?
    public var currency: CurrencyCode?
    public var parties: [DraftParty]
    public var shipment: DraftShipment
    public var lines: [DraftLine]
    public var preferenceClaim: PreferenceClaim?
    /// Canonical fields the document did not give, as paths (`currency`, `parties[seller].country`).
    public var missing: [String]

    enum CodingKeys: String, CodingKey {
        case externalReference = "external_reference"
        case createdAt = "created_at"
        case currency, parties, shipment, lines
        case preferenceClaim = "preference_claim"
        case missing
    }

    /// The canonical order, when nothing required is missing.
    public func order(merchantID: String, idempotencyKey: String) -> Order? {
        guard missing.isEmpty, let ref = externalReference, let created = createdAt.flatMap(Timestamp.parse), let currency,
              let from = shipment.shipFromCountry, let to = shipment.destinationCountry
        else { return nil }
        var outLines: [OrderLine] = []
        for l in lines {
            guard let d = l.description, let q = l.quantity.flatMap({ Decimal(string: $0) }), let uv = l.unitValue, let lv = l.lineValue else { return nil }
            let claim = l.originCountry != nil ? preferenceClaim : nil
            outLines.append(OrderLine(
                description: d, quantity: q, unitOfMeasure: UnitCode(rawValue: l.unitOfMeasure ?? "PCE"), unitValue: uv, lineValue: lv,
                netWeight: l.netWeight, originCountry: l.originCountry, hsCode: l.hsCode, preferenceClaim: claim))
        }
        var outParties: [Party] = []
        for p in parties {
            guard let city = p.city, let country = p.country else { return nil }
            outParties.append(Party(role: p.role, name: p.name, addressLines: p.addressLines, city: city, postalCode: p.postalCode, country: country))
        }
        return Order(
            merchantID: merchantID, externalReference: ref, idempotencyKey: idempotencyKey, createdAt: created, currency: currency,
            transactionType: .b2b, parties: outParties,
            shipment: Shipment(shipFromCountry: from, destinationCountry: to, incoterm: shipment.incoterm, shippingCharge: shipment.shippingCharge,
                               insuranceCharge: shipment.insuranceCharge),
            lines: outLines)
    }
}

extension DraftOrder {
    /// Builds the draft from what was read.
    static func from(_ doc: ExtractedDocument) -> DraftOrder {
        var missing: [String] = []
        let currency = doc.currency.map(CurrencyCode.init(rawValue:))
        func money(_ s: String?) -> Money? { s.flatMap { Decimal(string: $0) }.flatMap { v in currency.map { Money(v, $0) } } }
        var parties: [DraftParty] = []
        let buyerRole: PartyRole = doc.kind == .invoice ? .buyer : .consignee
        for (role, name, address) in [(PartyRole.seller, doc.sellerName, doc.sellerAddress), (buyerRole, doc.buyerName, doc.buyerAddress)] {
            guard let name else {
                missing.append("parties[\(role.rawValue)]")
                continue
            }
            var p = DraftParty(role: role, name: name, addressLines: [])
            // A letterhead's contact details (`(312) 555-0187`, `orders@…`, `USt-IdNr. …`) are no address.
            var lines = (address ?? []).filter { !Self.isContactLine($0) }
            if let k = lines.lastIndex(where: { Values.country($0) != nil }), let c = Values.country(lines[k]) {
                // The country ends the address: a word set under it (a heading such as `Factuur`) is none of it.
                p.country = c
                lines.removeSubrange(k...)
            } else if let c = Values.country(ofAddress: lines) {
                // No country line, but a city line shaped like one country's (`Chicago, IL 60614`).
                p.country = c
            }
            // A legal form wrapped under the name (`B.V.`) is no city.
            if let last = lines.last, Values.legalForms.contains(last.trimmingCharacters(in: .whitespaces)) { lines.removeLast() }
            // A whole address on one line (`41 Wyse Road, Dartmouth, NS B3A 1L9`): its parts are its lines.
            if let last = lines.last, last.filter({ $0 == "," }).count >= 2 {
                lines.removeLast()
                lines += last.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            if let last = lines.last {
                let (postal, city) = Self.postalAndCity(last)
                if let city, !city.isEmpty {
                    p.city = city
                    p.postalCode = postal
                    lines.removeLast()
                } else if let postal, lines.count >= 2 {
                    // `Chicago` over `IL 60614`: the city stands on the line above its state and ZIP code.
                    p.postalCode = postal
                    p.city = lines[lines.count - 2]
                    lines.removeLast(2)
                }
            }
            p.addressLines = lines
            if p.city == nil { missing.append("parties[\(role.rawValue)].city") }
            if p.country == nil { missing.append("parties[\(role.rawValue)].country") }
            parties.append(p)
        }
        let seller = parties.first { $0.role == .seller }
        let buyer = parties.first { $0.role != .seller }
        var statementText: String?
        var claim: PreferenceClaim?
        if let s = doc.originStatement, let agreement = s.agreement {
            statementText = s.text
            claim = PreferenceClaim(agreement: agreement, proof: "statement_on_origin", statement: statementText)
        }
        let lines: [DraftLine] = doc.lines.map { l in
            DraftLine(
                description: l.description, quantity: l.quantity, unitOfMeasure: l.unit, unitValue: money(l.unitPrice), lineValue: money(l.lineTotal),
                netWeight: l.netWeight.flatMap { Decimal(string: $0) }.map { Weight($0, .kg) },
                // A code longer than the order holds (Turkey's 12 digits) is national past its first six.
                originCountry: l.originCountry.map(CountryCode.init(rawValue:)),
                hsCode: l.hsCode.map { HSCode(rawValue: $0.count > 10 ? String($0.prefix(6)) : $0) })
        }
        if doc.invoiceNumber == nil { missing.append("external_reference") }
        if doc.invoiceDate == nil { missing.append("created_at") }
        if currency == nil { missing.append("currency") }
        if lines.isEmpty { missing.append("lines") }
        for (i, l) in lines.enumerated() {
            if l.description == nil { missing.append("lines[\(i)].description") }
            if l.quantity == nil { missing.append("lines[\(i)].quantity") }
            if l.unitValue == nil { missing.append("lines[\(i)].unit_value") }
            if l.lineValue == nil { missing.append("lines[\(i)].line_value") }
        }
        if seller?.country == nil { missing.append("shipment.ship_from_country") }
        if buyer?.country == nil { missing.append("shipment.destination_country") }
        return DraftOrder(
            externalReference: doc.invoiceNumber, createdAt: doc.invoiceDate.map { $0 + "T00:00:00Z" }, currency: currency, parties: parties,
            shipment: DraftShipment(
                shipFromCountry: seller?.country, destinationCountry: buyer?.country, incoterm: doc.incoterm.map(Incoterm.init(rawValue:)),
                shippingCharge: money(doc.shipping), insuranceCharge: money(doc.insurance), grossWeight: doc.grossWeight.flatMap { Decimal(string: $0) }.map { Weight($0, .kg) }),
            lines: lines, preferenceClaim: claim, missing: missing)
    }

    /// A telephone number, an e-mail or web address, or a tax or trade registration number.
    static func isContactLine(_ line: String) -> Bool {
        let n = Lexicon.normalize(line)
        if line.contains("@") || n.hasPrefix("www ") || n.contains("http") { return true }
        let first = n.split(separator: " ").first.map(String.init) ?? ""
        if ["tel", "phone", "fax", "telefon", "telephone", "telefoon", "vat", "ust", "gstin", "iec", "kvk", "btw", "tva", "siret", "eori"].contains(first) {
            return true
        }
        // A VAT or EORI number alone, wrapped under its label (`NL812244190B01`, `DE281447190`).
        if !line.contains(" "), line.count >= 10, line.prefix(2).allSatisfy({ $0.isUppercase && $0.isLetter }),
           line.dropFirst(2).filter(\.isNumber).count >= 8, line.allSatisfy({ $0.isLetter || $0.isNumber }) {
            return true
        }
        // `(312) 555-0187`, `+49 7720 55 19 0`: digits and phone punctuation only, with seven digits or more.
        let digits = line.filter(\.isNumber).count
        return digits >= 7 && line.allSatisfy { $0.isNumber || " +()-./".contains($0) }
    }

    /// `78098 Triberg`, `Leeds LS1 4AB`, `Portland, OR 97205`, `2161 BM Lisse`, `111 57 Stockholm`, `Jaipur 302022`.
    static func postalAndCity(_ line: String) -> (String?, String?) {
        let words = line.replacingOccurrences(of: ",", with: " ").split(separator: " ").map(String.init)
        guard !words.isEmpty else { return (nil, nil) }
        func postalish(_ w: String) -> Bool { w.contains(where: \.isNumber) && w.count <= 8 }
        var lead = 0
        while lead < words.count - 1, postalish(words[lead]) || (lead > 0 && words[lead].count == 2 && words[lead].allSatisfy(\.isUppercase)) { lead += 1 }
        if lead > 0 { return (words[..<lead].joined(separator: " "), words[lead...].joined(separator: " ")) }
        var tail = words.count
        while tail > 1, postalish(words[tail - 1]) || (words[tail - 1].count <= 3 && words[tail - 1].allSatisfy { $0.isUppercase || $0.isNumber } && tail < words.count) {
            tail -= 1
        }
        if tail < words.count {
            var cityWords = Array(words[..<tail])
            var postal = Array(words[tail...])
            // `IL 60614` or `NS B3A 1L9` alone: a state or province and its postcode, the city on the line above.
            if cityWords.count == 1, Values.usStates.contains(cityWords[0]) || Values.canadianProvinces.contains(cityWords[0]) {
                return (postal.joined(separator: " "), nil)
            }
            // `Portland OR 97205`: the state set between the city and the ZIP code is neither.
            if postal.count == 2, Values.usStates.contains(postal[0]), postal[1].prefix(5).allSatisfy(\.isNumber) { postal.removeFirst() }
            // `Portland, OR 97205`: the state belongs to neither; keep it out of the city.
            if cityWords.count > 1, let last = cityWords.last, last.count == 2, last.allSatisfy(\.isUppercase) {
                cityWords.removeLast()
                postal = postal.filter { $0 != last }
            }
            return (postal.joined(separator: " "), cityWords.joined(separator: " "))
        }
        return (nil, line)
    }
}
