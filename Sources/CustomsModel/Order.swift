import Foundation

/// The canonical order: the one shape every inbound adapter maps to and every engine reads.
///
/// JSON keys are snake_case and spelled out in `CodingKeys`, so the wire format does not depend on
/// how a particular encoder is configured.
public struct Order: Hashable, Sendable, Codable {
    /// Hub-assigned identifier; absent on orders that have not been accepted yet.
    public var id: String?
    public var merchantID: String
    /// The merchant's own order number, shown back to them in every message.
    public var externalReference: String
    /// Makes a re-sent order the same order: unique per merchant.
    public var idempotencyKey: String
    public var createdAt: Date
    /// Invoice currency; every line and charge must use it.
    public var currency: CurrencyCode
    public var transactionType: TransactionType
    public var contentsType: ContentsType
    public var parties: [Party]
    public var shipment: Shipment
    public var lines: [OrderLine]

    public init(
        id: String? = nil, merchantID: String, externalReference: String, idempotencyKey: String, createdAt: Date,
        currency: CurrencyCode, transactionType: TransactionType = .b2c, contentsType: ContentsType = .merchandise,
        parties: [Party], shipment: Shipment, lines: [OrderLine]
    ) {
        self.id = id
        self.merchantID = merchantID
        self.externalReference = externalReference
        self.idempotencyKey = idempotencyKey
        self.createdAt = createdAt
        self.currency = currency
        self.transactionType = transactionType
        self.contentsType = contentsType
        self.parties = parties
        self.shipment = shipment
        self.lines = lines
    }

    enum CodingKeys: String, CodingKey {
        case id
        case merchantID = "merchant_id"
        case externalReference = "external_reference"
        case idempotencyKey = "idempotency_key"
        case createdAt = "created_at"
        case currency
        case transactionType = "transaction_type"
        case contentsType = "contents_type"
        case parties, shipment, lines
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id)
        merchantID = try c.decode(String.self, forKey: .merchantID)
        externalReference = try c.decode(String.self, forKey: .externalReference)
        idempotencyKey = try c.decode(String.self, forKey: .idempotencyKey)
        createdAt = try c.decodeTimestamp(forKey: .createdAt)
        currency = try c.decode(CurrencyCode.self, forKey: .currency)
        transactionType = try c.decodeIfPresent(TransactionType.self, forKey: .transactionType) ?? .b2c
        contentsType = try c.decodeIfPresent(ContentsType.self, forKey: .contentsType) ?? .merchandise
        parties = try c.decode([Party].self, forKey: .parties)
        shipment = try c.decode(Shipment.self, forKey: .shipment)
        lines = try c.decode([OrderLine].self, forKey: .lines)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(id, forKey: .id)
        try c.encode(merchantID, forKey: .merchantID)
        try c.encode(externalReference, forKey: .externalReference)
        try c.encode(idempotencyKey, forKey: .idempotencyKey)
        try c.encode(Timestamp.format(createdAt), forKey: .createdAt)
        try c.encode(currency, forKey: .currency)
        try c.encode(transactionType, forKey: .transactionType)
        try c.encode(contentsType, forKey: .contentsType)
        try c.encode(parties, forKey: .parties)
        try c.encode(shipment, forKey: .shipment)
        try c.encode(lines, forKey: .lines)
    }

    /// The first party with `role`; validation guarantees roles are unique.
    public func party(_ role: PartyRole) -> Party? { parties.first { $0.role == role } }

    /// The distinct countries of origin over all lines, in line order.
    public var originCountries: [CountryCode] {
        var seen = Set<CountryCode>()
        return lines.compactMap(\.originCountry).filter { seen.insert($0).inserted }
    }

    /// Sum of line values (intrinsic value), in the order currency.
    public func intrinsicValue() throws(CurrencyMismatch) -> Money {
        var total = Money.zero(currency)
        for line in lines { total = try total + line.lineValue }
        return total
    }
}

/// Who sells to whom; decides VAT schemes (IOSS, VOEC) and which identifiers are needed.
public enum TransactionType: String, Hashable, Sendable, Codable, CaseIterable {
    case b2c, b2b, c2c
}

/// What the parcel is, as declared to customs (CN22/CN23 categories).
public enum ContentsType: String, Hashable, Sendable, Codable, CaseIterable {
    case merchandise, gift, sample, documents
    case returnedGoods = "returned_goods"
    case other
}

public enum PartyRole: String, Hashable, Sendable, Codable, CaseIterable {
    case seller, shipper, consignee, buyer
    case importerOfRecord = "importer_of_record"
    case declarant
}

/// A person or company on the order, with the identifiers customs asks for.
public struct Party: Hashable, Sendable, Codable {
    public var role: PartyRole
    public var name: String
    public var company: String?
    public var addressLines: [String]
    public var city: String
    public var postalCode: String?
    public var region: String?
    public var country: CountryCode
    public var email: String?
    public var phone: String?
    public var taxIDs: [TaxIdentifier]

    public init(
        role: PartyRole, name: String, company: String? = nil, addressLines: [String], city: String, postalCode: String? = nil,
        region: String? = nil, country: CountryCode, email: String? = nil, phone: String? = nil, taxIDs: [TaxIdentifier] = []
    ) {
        self.role = role
        self.name = name
        self.company = company
        self.addressLines = addressLines
        self.city = city
        self.postalCode = postalCode
        self.region = region
        self.country = country
        self.email = email
        self.phone = phone
        self.taxIDs = taxIDs
    }

    enum CodingKeys: String, CodingKey {
        case role, name, company
        case addressLines = "address_lines"
        case city
        case postalCode = "postal_code"
        case region, country, email, phone
        case taxIDs = "tax_ids"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        role = try c.decode(PartyRole.self, forKey: .role)
        name = try c.decode(String.self, forKey: .name)
        company = try c.decodeIfPresent(String.self, forKey: .company)
        addressLines = try c.decode([String].self, forKey: .addressLines)
        city = try c.decode(String.self, forKey: .city)
        postalCode = try c.decodeIfPresent(String.self, forKey: .postalCode)
        region = try c.decodeIfPresent(String.self, forKey: .region)
        country = try c.decode(CountryCode.self, forKey: .country)
        email = try c.decodeIfPresent(String.self, forKey: .email)
        phone = try c.decodeIfPresent(String.self, forKey: .phone)
        taxIDs = try c.decodeIfPresent([TaxIdentifier].self, forKey: .taxIDs) ?? []
    }

    public func taxID(_ kind: TaxIdentifier.Kind) -> TaxIdentifier? { taxIDs.first { $0.kind == kind } }
}

/// A tax or customs registration number, typed so that rules can ask for "an EORI" rather than
/// guessing from the text.
public struct TaxIdentifier: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// EU/UK Economic Operators Registration and Identification number.
        case eori
        /// EU member-state VAT number (with its country prefix).
        case vat
        /// EU Import One-Stop Shop number (`IM` + 10 digits).
        case ioss
        /// UK VAT registration number (`GB` + 9 or 12 digits).
        case gbVAT = "gb_vat"
        /// US Employer Identification Number (`NN-NNNNNNN`).
        case usEIN = "us_ein"
        case other
    }

    public var kind: Kind
    public var value: String
    /// For `other`: what the number is (e.g. `AU ABN`, `NO VOEC`).
    public var label: String?

    public init(kind: Kind, value: String, label: String? = nil) {
        self.kind = kind
        self.value = value
        self.label = label
    }

    enum CodingKeys: String, CodingKey { case kind, value, label }
}

/// How the goods move and what the shipping costs; the duty engine needs the charges for CIF bases.
public struct Shipment: Hashable, Sendable, Codable {
    public var shipFromCountry: CountryCode
    public var destinationCountry: CountryCode
    /// ISO 3166-2 subdivision (`CA-ON` or `ON`): Canadian provinces and US states change the tax.
    public var destinationRegion: SubdivisionCode?
    public var incoterm: Incoterm?
    public var transportMode: TransportMode?
    public var carrier: String?
    public var service: String?
    public var parcels: [Parcel]
    public var shippingCharge: Money?
    public var insuranceCharge: Money?
    /// What the filings of this movement need beyond the goods (office of first entry, expected
    /// arrival, places of loading and unloading, the vehicle, the customs office, …), by the names
    /// mappings read them as (`$office_of_first_entry`). The schema lists the names it takes.
    public var movement: [String: String]?

    public init(
        shipFromCountry: CountryCode, destinationCountry: CountryCode, destinationRegion: SubdivisionCode? = nil,
        incoterm: Incoterm? = nil, transportMode: TransportMode? = nil, carrier: String? = nil, service: String? = nil,
        parcels: [Parcel] = [], shippingCharge: Money? = nil, insuranceCharge: Money? = nil, movement: [String: String]? = nil
    ) {
        self.shipFromCountry = shipFromCountry
        self.destinationCountry = destinationCountry
        self.destinationRegion = destinationRegion
        self.incoterm = incoterm
        self.transportMode = transportMode
        self.carrier = carrier
        self.service = service
        self.parcels = parcels
        self.shippingCharge = shippingCharge
        self.insuranceCharge = insuranceCharge
        self.movement = movement
    }

    enum CodingKeys: String, CodingKey {
        case shipFromCountry = "ship_from_country"
        case destinationCountry = "destination_country"
        case destinationRegion = "destination_region"
        case incoterm
        case transportMode = "transport_mode"
        case carrier, service, parcels
        case shippingCharge = "shipping_charge"
        case insuranceCharge = "insurance_charge"
        case movement
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        shipFromCountry = try c.decode(CountryCode.self, forKey: .shipFromCountry)
        destinationCountry = try c.decode(CountryCode.self, forKey: .destinationCountry)
        destinationRegion = try c.decodeIfPresent(SubdivisionCode.self, forKey: .destinationRegion)
        incoterm = try c.decodeIfPresent(Incoterm.self, forKey: .incoterm)
        transportMode = try c.decodeIfPresent(TransportMode.self, forKey: .transportMode)
        carrier = try c.decodeIfPresent(String.self, forKey: .carrier)
        service = try c.decodeIfPresent(String.self, forKey: .service)
        parcels = try c.decodeIfPresent([Parcel].self, forKey: .parcels) ?? []
        shippingCharge = try c.decodeIfPresent(Money.self, forKey: .shippingCharge)
        insuranceCharge = try c.decodeIfPresent(Money.self, forKey: .insuranceCharge)
        movement = try c.decodeIfPresent([String: String].self, forKey: .movement)
    }
}

public struct Parcel: Hashable, Sendable, Codable {
    public var reference: String?
    public var grossWeight: Weight?
    public var dimensions: Dimensions?

    public init(reference: String? = nil, grossWeight: Weight? = nil, dimensions: Dimensions? = nil) {
        self.reference = reference
        self.grossWeight = grossWeight
        self.dimensions = dimensions
    }

    enum CodingKeys: String, CodingKey {
        case reference
        case grossWeight = "gross_weight"
        case dimensions
    }
}

/// One order line: what customs classifies, values and taxes.
public struct OrderLine: Hashable, Sendable, Codable {
    /// The merchant's line identifier, echoed in review items and filings.
    public var lineID: String?
    public var sku: String?
    public var description: String
    /// Material or composition ("100% cotton"), the fact that most often decides the HS heading.
    public var material: String?
    public var intendedUse: String?
    public var brand: String?
    public var productURL: String?
    public var quantity: Decimal
    public var unitOfMeasure: UnitCode
    public var unitValue: Money
    public var lineValue: Money
    /// Net weight of the whole line (all units), as customs declares net mass per item line.
    public var netWeight: Weight?
    public var originCountry: CountryCode?
    /// The merchant's own commodity code, checked rather than trusted.
    public var hsCode: HSCode?
    public var preferenceClaim: PreferenceClaim?

    public init(
        lineID: String? = nil, sku: String? = nil, description: String, material: String? = nil, intendedUse: String? = nil,
        brand: String? = nil, productURL: String? = nil, quantity: Decimal, unitOfMeasure: UnitCode = .piece,
        unitValue: Money, lineValue: Money, netWeight: Weight? = nil, originCountry: CountryCode? = nil,
        hsCode: HSCode? = nil, preferenceClaim: PreferenceClaim? = nil
    ) {
        self.lineID = lineID
        self.sku = sku
        self.description = description
        self.material = material
        self.intendedUse = intendedUse
        self.brand = brand
        self.productURL = productURL
        self.quantity = quantity
        self.unitOfMeasure = unitOfMeasure
        self.unitValue = unitValue
        self.lineValue = lineValue
        self.netWeight = netWeight
        self.originCountry = originCountry
        self.hsCode = hsCode
        self.preferenceClaim = preferenceClaim
    }

    enum CodingKeys: String, CodingKey {
        case lineID = "line_id"
        case sku, description, material
        case intendedUse = "intended_use"
        case brand
        case productURL = "product_url"
        case quantity
        case unitOfMeasure = "unit_of_measure"
        case unitValue = "unit_value"
        case lineValue = "line_value"
        case netWeight = "net_weight"
        case originCountry = "origin_country"
        case hsCode = "hs_code"
        case preferenceClaim = "preference_claim"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        lineID = try c.decodeIfPresent(String.self, forKey: .lineID)
        sku = try c.decodeIfPresent(String.self, forKey: .sku)
        description = try c.decode(String.self, forKey: .description)
        material = try c.decodeIfPresent(String.self, forKey: .material)
        intendedUse = try c.decodeIfPresent(String.self, forKey: .intendedUse)
        brand = try c.decodeIfPresent(String.self, forKey: .brand)
        productURL = try c.decodeIfPresent(String.self, forKey: .productURL)
        quantity = try c.decodeExactDecimal(forKey: .quantity)
        unitOfMeasure = try c.decodeIfPresent(UnitCode.self, forKey: .unitOfMeasure) ?? .piece
        unitValue = try c.decode(Money.self, forKey: .unitValue)
        lineValue = try c.decode(Money.self, forKey: .lineValue)
        netWeight = try c.decodeIfPresent(Weight.self, forKey: .netWeight)
        originCountry = try c.decodeIfPresent(CountryCode.self, forKey: .originCountry)
        hsCode = try c.decodeIfPresent(HSCode.self, forKey: .hsCode)
        preferenceClaim = try c.decodeIfPresent(PreferenceClaim.self, forKey: .preferenceClaim)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(lineID, forKey: .lineID)
        try c.encodeIfPresent(sku, forKey: .sku)
        try c.encode(description, forKey: .description)
        try c.encodeIfPresent(material, forKey: .material)
        try c.encodeIfPresent(intendedUse, forKey: .intendedUse)
        try c.encodeIfPresent(brand, forKey: .brand)
        try c.encodeIfPresent(productURL, forKey: .productURL)
        try c.encode(quantity.plainString, forKey: .quantity)
        try c.encode(unitOfMeasure, forKey: .unitOfMeasure)
        try c.encode(unitValue, forKey: .unitValue)
        try c.encode(lineValue, forKey: .lineValue)
        try c.encodeIfPresent(netWeight, forKey: .netWeight)
        try c.encodeIfPresent(originCountry, forKey: .originCountry)
        try c.encodeIfPresent(hsCode, forKey: .hsCode)
        try c.encodeIfPresent(preferenceClaim, forKey: .preferenceClaim)
    }
}

/// A claim to preferential (reduced) duty under a trade agreement, with the proof offered.
public struct PreferenceClaim: Hashable, Sendable, Codable {
    /// The agreement, e.g. `EU-UK TCA`, `USMCA/CUSMA`, `EU-JP EPA`.
    public var agreement: String
    /// The proof of origin: `statement_on_origin`, `importers_knowledge`, `certificate`.
    public var proof: String?
    public var statement: String?

    public init(agreement: String, proof: String? = nil, statement: String? = nil) {
        self.agreement = agreement
        self.proof = proof
        self.statement = statement
    }

    enum CodingKeys: String, CodingKey { case agreement, proof, statement }
}

/// A mass with its unit; customs wants kilograms, merchants send what their systems hold.
public struct Weight: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Unit: String, Hashable, Sendable, Codable, CaseIterable {
        case kg, g, lb, oz
        /// Exact conversion factors to kilograms (the pound is defined as 0.45359237 kg).
        public var kilograms: Decimal {
            switch self {
            case .kg: 1
            case .g: Decimal(string: "0.001")!
            case .lb: Decimal(string: "0.45359237")!
            case .oz: Decimal(string: "0.028349523125")!
            }
        }
    }

    public var value: Decimal
    public var unit: Unit

    public init(_ value: Decimal, _ unit: Unit) {
        self.value = value
        self.unit = unit
    }

    public var kilograms: Decimal { value * unit.kilograms }
    public var description: String { "\(value.plainString) \(unit.rawValue)" }

    enum CodingKeys: String, CodingKey { case value, unit }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        value = try c.decodeExactDecimal(forKey: .value)
        unit = try c.decode(Unit.self, forKey: .unit)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(value.plainString, forKey: .value)
        try c.encode(unit, forKey: .unit)
    }
}

public struct Dimensions: Hashable, Sendable, Codable {
    public enum Unit: String, Hashable, Sendable, Codable, CaseIterable { case cm, m, `in` }
    public var length: Decimal
    public var width: Decimal
    public var height: Decimal
    public var unit: Unit

    public init(length: Decimal, width: Decimal, height: Decimal, unit: Unit) {
        self.length = length
        self.width = width
        self.height = height
        self.unit = unit
    }

    enum CodingKeys: String, CodingKey { case length, width, height, unit }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        length = try c.decodeExactDecimal(forKey: .length)
        width = try c.decodeExactDecimal(forKey: .width)
        height = try c.decodeExactDecimal(forKey: .height)
        unit = try c.decode(Unit.self, forKey: .unit)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(length.plainString, forKey: .length)
        try c.encode(width.plainString, forKey: .width)
        try c.encode(height.plainString, forKey: .height)
        try c.encode(unit, forKey: .unit)
    }
}
