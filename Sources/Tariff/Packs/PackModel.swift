import CustomsModel
import Foundation

/// What a content pack holds. One kind per file keeps a pack small enough to review and lets a
/// rate update ship without touching thresholds or fees.
public enum PackKind: String, Sendable, Hashable, CaseIterable {
    /// Currency, member countries, valuation basis, rounding and preference programmes.
    case jurisdiction
    /// The commodity codes that exist, so measures and requests naming other codes are caught.
    case nomenclature
    /// Duty measures: MFN, preferences, additional duties with stacking semantics.
    case measures
    /// Import VAT/GST rates per region and category.
    case tax
    /// De minimis and low-value schemes.
    case thresholds
    /// Customs fees (US MPF, national parcel fees).
    case fees
    /// Dated exchange rates published by one authority.
    case fx

    /// The record types a pack of this kind may carry.
    var recordTypes: Set<String> {
        switch self {
        case .jurisdiction: ["jurisdiction", "program"]
        case .nomenclature: ["code"]
        case .measures: ["measure"]
        case .tax: ["tax"]
        case .thresholds: ["threshold"]
        case .fees: ["fee"]
        case .fx: ["fx"]
        }
    }
}

/// Where a rule came from, carried into every explanation so a quote can be audited and replayed.
public struct PackRef: Sendable, Hashable, CustomStringConvertible {
    public let id: String
    public let version: String
    public let file: String
    public let line: Int
    /// `id@version`, made once: quotes cite it for every rule they use.
    public let description: String

    public init(id: String, version: String, file: String, line: Int) {
        self.id = id
        self.version = version
        self.file = file
        self.line = line
        self.description = "\(id)@\(version)"
    }
}

/// The first line of every pack file.
public struct PackHeader: Sendable, Hashable {
    public var id: String
    public var jurisdiction: String
    public var kind: PackKind
    public var version: String
    public var source: String
    public var sourceDate: Day
    public var licence: String?
    public var note: String?
}

/// How customs value is built from the transaction value.
public enum ValuationBasis: String, Sendable, Hashable {
    /// Cost, insurance and freight to the border (EU, GB, JP, CH, NO).
    case cif = "CIF"
    /// Free on board: international transport and insurance excluded (US, CA, AU).
    case fob = "FOB"
}

/// How a jurisdiction rounds, which differs (cents half-up, Japan truncating bases and taxes).
public struct RoundingPolicy: Sendable, Hashable {
    public enum Mode: String, Sendable, Hashable { case halfUp = "half_up", down, halfEven = "half_even" }
    /// Fraction digits of amounts (2 for cents, 0 for yen).
    public var scale: Int
    public var mode: Mode
    /// Bases and amounts rounded down to a multiple (JP: tax base to 1,000, tax to 100 yen).
    public var dutyBaseIncrement: Decimal?
    public var dutyIncrement: Decimal?
    public var taxBaseIncrement: Decimal?
    public var taxIncrement: Decimal?

    public var roundingMode: NSDecimalNumber.RoundingMode {
        switch mode {
        case .halfUp: .plain
        case .down: .down
        case .halfEven: .bankers
        }
    }

    public func round(_ v: Decimal) -> Decimal { Dec.round(v, scale: scale, mode: roundingMode) }

    /// Rounds down to a multiple of `increment` (customs truncation), then to the scale.
    public func truncate(_ v: Decimal, to increment: Decimal?) -> Decimal {
        guard let inc = increment, inc > 0 else { return round(v) }
        return Dec.mul(Dec.mulDivRound(v, 1, inc, scale: 0, mode: .down), inc)
    }
}

/// A customs territory and the facts that shape every quote into it.
public struct JurisdictionRule: Sendable, Hashable {
    public var id: String
    public var code: String
    public var currency: CurrencyCode
    public var countries: [CountryCode]
    public var valuation: ValuationBasis
    public var fxSource: String
    public var rounding: RoundingPolicy
    /// Regions (country or `CC-SUB`) whose tax rules apply; the destination region when given.
    public var validity: Validity
    public var ref: PackRef
}

/// A preference programme (USMCA, UK–EU TCA) and the origins it covers. Origin alone is not
/// enough: the request must claim it, because the claim needs proof the engine cannot see.
public struct PreferenceProgram: Sendable, Hashable {
    public var id: String
    public var jurisdiction: String
    /// The symbol measures use (`S` in the US special column, `TCA`).
    public var symbol: String
    public var name: String
    public var countries: Set<CountryCode>
    /// Names a request may put in `preference_claimed` for this programme.
    public var claims: Set<String>
    public var validity: Validity
    public var ref: PackRef
    /// The publisher's geographical areas whose preferences are this programme's (`1013`, the
    /// European Union, in the UK Trade Tariff): how `data update` files an imported preference.
    public var geographicalAreas: [String] = []
}

public enum MeasureType: String, Sendable, Hashable {
    case mfn, preference, additional
}

/// How an additional measure combines with the duty computed so far.
public enum Stacking: String, Sendable, Hashable {
    /// Added on top ("+ 10 %").
    case plus
    /// Replaces the duty so far (an "in lieu" heading).
    case inLieu = "in_lieu"
    /// Raises the total to at least this rate, adds nothing when already above (US note 52 EU floor).
    case floorTotal = "floor_total"
}

/// One duty measure: a rate for codes under a prefix, with origin conditions and validity.
///
/// A class with constant fields: the quote loop collects measures into arrays for every line, and
/// copying a reference costs one retain where copying the fields cost a dozen.
public final class Measure: Sendable, Hashable {
    public let id: String
    public let jurisdiction: String
    /// Digits prefix; the measure covers every code that starts with it (`""` = all goods).
    public let code: String
    public let type: MeasureType
    public let rate: DutyRate
    /// Programme symbols for preferences (origin comes from the programme).
    public let programs: [String]
    /// Origins an additional measure applies to; `nil` = any origin.
    public let origins: Set<CountryCode>?
    public let excludedOrigins: Set<CountryCode>
    public let excludedCodes: [String]
    public let stacking: Stacking
    public let legalRef: String?
    public let validity: Validity
    public let ref: PackRef

    public init(id: String, jurisdiction: String, code: String, type: MeasureType, rate: DutyRate, programs: [String],
                origins: Set<CountryCode>?, excludedOrigins: Set<CountryCode>, excludedCodes: [String], stacking: Stacking,
                legalRef: String?, validity: Validity, ref: PackRef) {
        self.id = id
        self.jurisdiction = jurisdiction
        self.code = code
        self.type = type
        self.rate = rate
        self.programs = programs
        self.origins = origins
        self.excludedOrigins = excludedOrigins
        self.excludedCodes = excludedCodes
        self.stacking = stacking
        self.legalRef = legalRef
        self.validity = validity
        self.ref = ref
    }

    public static func == (a: Measure, b: Measure) -> Bool {
        a === b || (a.id == b.id && a.jurisdiction == b.jurisdiction && a.code == b.code && a.type == b.type && a.rate == b.rate
            && a.programs == b.programs && a.origins == b.origins && a.excludedOrigins == b.excludedOrigins
            && a.excludedCodes == b.excludedCodes && a.stacking == b.stacking && a.legalRef == b.legalRef
            && a.validity == b.validity && a.ref == b.ref)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(jurisdiction)
        hasher.combine(code)
        hasher.combine(type)
        hasher.combine(rate)
        hasher.combine(validity)
        hasher.combine(ref)
    }

    public func covers(code c: String) -> Bool {
        // Most measures cover all goods ("") or exclude nothing: no prefix test for those.
        (code.isEmpty || c.hasPrefix(code)) && (excludedCodes.isEmpty || !excludedCodes.contains { c.hasPrefix($0) })
    }

    public func applies(origin: CountryCode) -> Bool {
        (excludedOrigins.isEmpty || !excludedOrigins.contains(origin)) && (origins?.contains(origin) ?? true)
    }
}

/// A commodity code that exists in a jurisdiction's nomenclature.
public struct NomenclatureCode: Sendable, Hashable {
    public var code: String
    public var description: String
    public var units: [String]
    public var validity: Validity
    public var line: Int
}

/// Parts of the value a tax is charged on, in the order the law lists them.
public enum TaxBasePart: String, Sendable, Hashable {
    /// Customs value (includes transport and insurance where valuation is CIF).
    case customsValue = "customs_value"
    case duty
    case shipping
    case insurance
    /// The price of the goods alone (intrinsic value).
    case goods
}

/// An import VAT/GST rate for a region, optionally for a category of goods by HS prefix.
public struct TaxRule: Sendable, Hashable {
    public var id: String
    public var jurisdiction: String
    /// `DE`, `GB`, `CA-ON`, …
    public var region: String
    public var tax: String
    public var category: String
    /// Fraction, e.g. 0.19.
    public var rate: Decimal
    public var hsPrefixes: [String]
    public var base: [TaxBasePart]
    public var validity: Validity
    public var ref: PackRef
}

/// What a threshold measures.
public enum ThresholdBasis: String, Sendable, Hashable {
    /// Price of the goods, excluding separately shown transport and insurance (EU, GB).
    case intrinsicValue = "intrinsic_value"
    /// Customs value by the jurisdiction's valuation basis (AU FOB, JP CIF, CA value for duty).
    case customsValue = "customs_value"
    /// Unit price of each item (Norway VOEC).
    case itemPrice = "item_price"
    /// The tax amount itself (Switzerland's CHF 5).
    case taxAmount = "tax_amount"

    var label: String {
        switch self {
        case .intrinsicValue: "intrinsic value"
        case .customsValue: "customs value"
        case .itemPrice: "item price"
        case .taxAmount: "tax amount"
        }
    }
}

/// What happens to a consignment (or item) under a threshold.
public enum ThresholdEffect: String, Sendable, Hashable {
    case dutyExempt = "duty_exempt"
    case taxExempt = "tax_exempt"
    case feesExempt = "fees_exempt"
    /// The seller charges the tax at checkout; nothing is due at the border.
    case taxAtPointOfSale = "tax_at_point_of_sale"
    /// A flat duty replaces the tariff duty (EU EUR 3 per distinct tariff subheading).
    case flatDuty = "flat_duty"
}

/// A low-value rule: de minimis, IOSS, UK GBP 135 supply VAT, AU LVG, VOEC, JP JPY 10,000, CH CHF 5.
public struct ThresholdRule: Sendable, Hashable {
    public var id: String
    public var jurisdiction: String
    public var scheme: String
    public var limit: Decimal
    public var currency: CurrencyCode
    /// `lte` (value up to and including the limit) or `lt`.
    public var inclusive: Bool
    public var basis: ThresholdBasis
    public var effects: [ThresholdEffect]
    public var channels: Set<String>?
    public var shipFrom: Set<CountryCode>?
    public var shipFromExcluded: Set<CountryCode>
    public var originsExcluded: Set<CountryCode>
    public var regions: Set<String>?
    public var requiresRegistration: String?
    /// What happens when the seller lacks `requiresRegistration`: `skip` (the scheme is optional,
    /// as IOSS is), or `apply_with_warning` (the law puts the tax on the seller at the point of
    /// sale whether or not it registered, as the UK GBP 135 rule does).
    public var whenUnregistered: UnregisteredHandling = .skip
    /// Told to the caller when the registration is missing (who must register, from what turnover).
    public var registrationWarning: String?
    public var consignmentTypes: Set<String>?
    /// Goods outside the scheme (excise goods) by HS prefix; any such line disqualifies the consignment.
    public var excludedHSPrefixes: [String]
    public var flatAmount: Decimal?
    /// Digits that make two lines the same "tariff subheading" for a flat duty.
    public var flatCodeDigits: Int
    /// Base of a tax charged at the point of sale (price + delivery charged to the buyer).
    public var saleTaxBase: [TaxBasePart]
    public var validity: Validity
    public var ref: PackRef

    /// Explanation text of the effects, made once at load rather than per quote.
    public var effectLabel: String = ""
}

public enum UnregisteredHandling: String, Sendable, Hashable {
    case skip
    case applyWithWarning = "apply_with_warning"
}

/// A customs fee.
public struct FeeRule: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case flat, adValorem = "ad_valorem" }
    public var id: String
    public var jurisdiction: String
    public var name: String
    public var kind: Kind
    /// Flat amount, or fraction for ad valorem.
    public var amount: Decimal
    public var currency: CurrencyCode
    public var minimum: Decimal?
    public var maximum: Decimal?
    public var channels: Set<String>?
    public var regions: Set<String>?
    /// Applies only when the customs value is above `valueAbove` / at most `valueAtMost` (in `currency`).
    public var valueAbove: Decimal?
    public var valueAtMost: Decimal?
    /// Applies only when the intrinsic value is below this limit, in `limitCurrency`.
    public var intrinsicBelow: Decimal?
    public var limitCurrency: CurrencyCode?
    public var payer: String
    public var validity: Validity
    public var ref: PackRef
}

/// One dated exchange rate: 1 `from` = `rate` `to`, as published by `source` for the period.
public struct FXRate: Sendable, Hashable {
    public var id: String
    public var source: String
    public var from: CurrencyCode
    public var to: CurrencyCode
    public var rate: Decimal
    public var validity: Validity
    public var ref: PackRef
}

/// A parsed and validated pack.
public struct Pack: Sendable {
    public var header: PackHeader
    public var file: String
    public var jurisdictions: [JurisdictionRule] = []
    public var programs: [PreferenceProgram] = []
    public var codes: [NomenclatureCode] = []
    public var measures: [Measure] = []
    public var taxes: [TaxRule] = []
    public var thresholds: [ThresholdRule] = []
    public var fees: [FeeRule] = []
    public var fx: [FXRate] = []

    public var ref: String { "\(header.id)@\(header.version)" }
    public var recordCount: Int {
        jurisdictions.count + programs.count + codes.count + measures.count + taxes.count + thresholds.count + fees.count + fx.count
    }
}
