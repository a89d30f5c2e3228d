import CustomsModel
import Foundation
import SecureXML

/// UK Customs Declaration Service: a canonical order as a WCO DEC DMS v2 import declaration inside
/// HMRC's `MetaData` wrapper (schema `cds-declaration`).
///
/// The shape follows HMRC's annotated sample TT_IM001a (DE numbers in the comments below) cut down
/// to what a low-value e-commerce parcel needs: a pre-lodged standard declaration (`IMD`) for free
/// circulation (procedure 4000), one goods item per order line, and additional procedure `C07`
/// (negligible-value relief) when the intrinsic value is at or under the relief threshold.
/// HMRC's business rules beyond the XSD (e.g. which DE combinations CDS accepts) are not checked here.
public struct CDSImportDeclaration: DeclarationXMLAdapter {
    public static let metaDataNamespace = "urn:wco:datamodel:WCO:DocumentMetaData-DMS:2"
    public static let declarationNamespace = "urn:wco:datamodel:WCO:DEC-DMS:2"

    public struct Options: Sendable, Hashable {
        /// DE 2/5, the trader's own reference; correlates every notification. Max 22 characters.
        public var lrn: String
        /// DE 3/18: EORI of whoever lodges (the hub's customer or its courier).
        public var declarantEORI: String
        /// DE 1/2: `D` standard pre-lodged (default), `A` standard frontier.
        public var additionalDeclarationType: String
        /// DE 3/21: `2` direct representation, `3` indirect; `nil` when the importer declares itself.
        public var representationCode: String?
        /// DE 4/8: method of payment (`E` deferment, `A` cash...).
        public var paymentMethod: String
        /// DE 5/23 goods location code (e.g. `LHRLHRLHR`), when known at lodging time.
        public var goodsLocation: String?
        /// Negligible-value relief threshold in GBP (£135 in 2026).
        public var lowValueThreshold: Decimal
        /// Order currency → GBP rate, for the threshold when the order is not in GBP.
        public var gbpPerOrderCurrencyUnit: Decimal?
        /// Commodity codes decided by classification, by line index; they win over the merchant's
        /// own `hs_code`, which is a claim to check, not a fact.
        public var commodityCodes: [Int: HSCode]

        public init(
            lrn: String, declarantEORI: String, additionalDeclarationType: String = "D", representationCode: String? = "2",
            paymentMethod: String = "E", goodsLocation: String? = nil, lowValueThreshold: Decimal = 135,
            gbpPerOrderCurrencyUnit: Decimal? = nil, commodityCodes: [Int: HSCode] = [:]
        ) {
            self.lrn = lrn
            self.declarantEORI = declarantEORI
            self.additionalDeclarationType = additionalDeclarationType
            self.representationCode = representationCode
            self.paymentMethod = paymentMethod
            self.goodsLocation = goodsLocation
            self.lowValueThreshold = lowValueThreshold
            self.gbpPerOrderCurrencyUnit = gbpPerOrderCurrencyUnit
            self.commodityCodes = commodityCodes
        }
    }

    public init() {}

    public var id: String { "uk-cds-dms-import" }
    public var schemaName: String { "cds-declaration" }

    private static let md = ElementFactory(metaDataNamespace, prefix: "md")
    private static let dec = ElementFactory(declarationNamespace)

    public func requirements(for order: Order, options: Options) -> [RenderIssue] {
        var issues: [RenderIssue] = []
        if !["GB", "XI"].contains(order.shipment.destinationCountry.rawValue) {
            issues.append(RenderIssue("shipment.destination_country", "CDS import declarations are for GB or XI, not \(order.shipment.destinationCountry)"))
        }
        let lrn = options.lrn
        if lrn.isEmpty || lrn.count > 22 || !lrn.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_./".contains($0)) }) {
            issues.append(RenderIssue("options.lrn", "LRN must be 1 to 22 letters, digits or - _ . /"))
        }
        if !Self.isGBEORI(options.declarantEORI) {
            issues.append(RenderIssue("options.declarant_eori", "declarant EORI must be GB or XI followed by 12 or 15 digits"))
        }
        if order.lines.isEmpty { issues.append(RenderIssue("lines", "a declaration needs at least one goods item")) }
        if order.lines.count > 999 { issues.append(RenderIssue("lines", "CDS allows at most 999 goods items, got \(order.lines.count)")) }
        if exporter(of: order) == nil { issues.append(RenderIssue("parties", "a seller or shipper is needed as exporter (DE 3/1)")) }
        if importer(of: order) == nil { issues.append(RenderIssue("parties", "an importer of record or consignee is needed as importer (DE 3/15)")) }
        for (i, line) in order.lines.enumerated() {
            let path = "lines[\(i)]"
            if let code = commodityCode(line, index: i, options: options) {
                if !code.isWellFormed || code.rawValue.count < 8 {
                    issues.append(RenderIssue("\(path).hs_code", "CDS needs an 8- or 10-digit commodity code, got \"\(code.rawValue)\""))
                }
            } else {
                issues.append(RenderIssue("\(path).hs_code", "commodity code missing (DE 6/14); classify the line first"))
            }
            if line.originCountry == nil { issues.append(RenderIssue("\(path).origin_country", "country of origin missing (DE 5/15)")) }
            if line.netWeight == nil { issues.append(RenderIssue("\(path).net_weight", "net mass missing (DE 6/1)")) }
            if line.lineValue.currency != order.currency {
                issues.append(RenderIssue("\(path).line_value.currency", "line value must be in the order currency \(order.currency)"))
            }
            if line.description.allSatisfy(\.isWhitespace) { issues.append(RenderIssue("\(path).description", "description missing (DE 6/8)")) }
        }
        if order.currency.rawValue != "GBP", options.gbpPerOrderCurrencyUnit == nil {
            issues.append(RenderIssue("options.gbp_per_order_currency_unit", "an exchange rate to GBP is needed to apply the low-value threshold to \(order.currency)"))
        }
        return issues
    }

    public func render(_ order: Order, options: Options) throws(RenderFailure) -> RenderedXMLFiling {
        let issues = requirements(for: order, options: options)
        guard issues.isEmpty else { throw RenderFailure(issues) }
        var warnings: [RenderIssue] = []
        let dec = Self.dec
        let md = Self.md

        // Intrinsic value decides the relief; requirements() guaranteed one currency.
        let intrinsic = order.lines.reduce(Money.zero(order.currency)) { Money($0.amount + $1.lineValue.amount, $0.currency) }
        let inGBP = intrinsic.amount * (order.currency.rawValue == "GBP" ? 1 : options.gbpPerOrderCurrencyUnit ?? 0)
        let lowValue = inGBP <= options.lowValueThreshold
        let grossPerLine = Self.grossMassPerLine(order)
        let packages = max(order.shipment.parcels.count, 1)
        let marks = order.shipment.parcels.first?.reference ?? options.lrn

        var items: [XMLElement?] = []
        for (i, line) in order.lines.enumerated() {
            let path = "lines[\(i)]"
            let code = commodityCode(line, index: i, options: options)?.rawValue ?? ""
            let national = String(code.prefix(8))
            let taric = code.count == 10 ? String(code.suffix(2)) : nil
            let preference = line.preferenceClaim != nil
            items.append(dec("GovernmentAgencyGoodsItem", [
                dec("SequenceNumeric", String(i + 1)),  // DE 1/6
                dec("Commodity", [
                    dec("Description", CustomsFormat.fit(line.description, 512, path: "\(path).description", warnings: &warnings)),  // DE 6/8
                    dec("Classification", [dec("ID", national), dec("IdentificationTypeCode", "TSP")]),  // DE 6/14
                    taric.flatMap { dec("Classification", [dec("ID", $0), dec("IdentificationTypeCode", "TRC")]) },  // DE 6/15
                    dec("DutyTaxFee", [
                        dec("DutyRegimeCode", preference ? "300" : "100"),  // DE 4/17
                        dec("TypeCode", "A00"),  // DE 4/3 customs duty
                        dec("Payment", [dec("MethodCode", options.paymentMethod)]),  // DE 4/8
                    ]),
                    dec("DutyTaxFee", [dec("TypeCode", "B00"), dec("Payment", [dec("MethodCode", options.paymentMethod)])]),  // VAT
                    dec("GoodsMeasure", [
                        grossPerLine[i].map { dec("GrossMassMeasure", CustomsFormat.kilograms($0)) } ?? nil,  // DE 6/5
                        line.netWeight.flatMap { dec("NetNetWeightMeasure", CustomsFormat.kilograms($0.kilograms)) },  // DE 6/1
                    ]),
                    dec("InvoiceLine", [
                        dec("ItemChargeAmount", CustomsFormat.amount(line.lineValue), attributes: [XMLAttribute("currencyID", line.lineValue.currency.rawValue)])  // DE 4/14
                    ]),
                ]),
                dec("CustomsValuation", [dec("MethodCode", "1")]),  // DE 4/16 transaction value
                dec("GovernmentProcedure", [dec("CurrentCode", "40"), dec("PreviousCode", "00")]),  // DE 1/10
                dec("GovernmentProcedure", [dec("CurrentCode", lowValue ? "C07" : "000")]),  // DE 1/11
                dec("Origin", [dec("CountryCode", line.originCountry?.rawValue), dec("TypeCode", preference ? "2" : "1")]),  // DE 5/15, 5/16
                dec("Packaging", [  // DE 6/9-6/11: all packages on the first item, 0 on the rest
                    dec("SequenceNumeric", "1"),
                    dec("MarksNumbersID", CustomsFormat.fit(marks, 512, path: "shipment.parcels[0].reference", warnings: &warnings)),
                    dec("QuantityQuantity", i == 0 ? String(packages) : "0"),
                    dec("TypeCode", "PK"),
                ]),
                dec("ValuationAdjustment", [dec("AdditionCode", "0000")]),  // DE 4/13
            ]))
        }

        guard let exporter = exporter(of: order), let importer = importer(of: order) else {
            throw RenderFailure([RenderIssue("parties", "exporter and importer are required")])  // requirements() already says so
        }
        let totalGross = order.shipment.parcels.compactMap(\.grossWeight).reduce(Decimal(0)) { $0 + $1.kilograms }
        let declaration = dec("Declaration", [
            dec("FunctionCode", "9"),  // original
            dec("FunctionalReferenceID", options.lrn),  // DE 2/5
            dec("TypeCode", "IM" + options.additionalDeclarationType),  // DE 1/1 + 1/2
            dec("GoodsItemQuantity", String(order.lines.count)),  // DE 1/9
            dec("InvoiceAmount", CustomsFormat.amount(intrinsic), attributes: [XMLAttribute("currencyID", intrinsic.currency.rawValue)]),  // DE 4/11
            totalGross > 0 ? dec("TotalGrossMassMeasure", CustomsFormat.kilograms(totalGross)) : nil,  // DE 6/5 total
            dec("TotalPackageQuantity", String(packages)),  // DE 6/18
            options.representationCode.flatMap { dec("Agent", [dec("FunctionCode", $0)]) },  // DE 3/21
            order.shipment.transportMode.flatMap { mode in dec("BorderTransportMeans", [dec("ModeCode", Self.modeCode(mode))]) },  // DE 7/4
            dec("Declarant", [dec("ID", options.declarantEORI)]),  // DE 3/18
            party("Exporter", exporter, path: "parties[\(order.parties.firstIndex(of: exporter) ?? 0)]", warnings: &warnings),  // DE 3/1-3/2
            dec("GoodsShipment", [
                dec("TransactionNatureCode", [.gift, .sample].contains(order.contentsType) ? "3" : "1"),  // DE 8/5
                options.goodsLocation.flatMap { loc in
                    dec("Consignment", [dec("GoodsLocation", [dec("Name", loc), dec("TypeCode", "A"), dec("Address", [dec("TypeCode", "U"), dec("CountryCode", "GB")])])])
                },  // DE 5/23
                dec("Destination", [dec("CountryCode", order.shipment.destinationCountry.rawValue)]),  // DE 5/8
                dec("ExportCountry", [dec("ID", order.shipment.shipFromCountry.rawValue)]),  // DE 5/14
            ] + items + [
                party("Importer", importer, path: "parties[\(order.parties.firstIndex(of: importer) ?? 0)]", warnings: &warnings),  // DE 3/15-3/16
                order.shipment.incoterm.flatMap { $0.isKnown ? dec("TradeTerms", [dec("ConditionCode", $0.rawValue)]) : nil },  // DE 4/1
            ]),
        ])
        let root = md("MetaData", declarations: [XMLNamespaceDeclaration(prefix: nil, uri: Self.declarationNamespace)], [
            md("WCODataModelVersionCode", "3.6"),
            md("WCOTypeName", "DEC"),
            md("ResponsibleCountryCode", "GB"),
            md("ResponsibleAgencyName", "HMRC"),
            md("AgencyAssignedCustomizationVersionCode", "v2.1"),
            declaration,
        ]) ?? XMLElement(md.name("MetaData"))
        return RenderedXMLFiling(root: root, warnings: warnings, schemaName: schemaName)
    }

    // MARK: - Pieces

    private func commodityCode(_ line: OrderLine, index: Int, options: Options) -> HSCode? {
        options.commodityCodes[index] ?? line.hsCode
    }

    private func exporter(of order: Order) -> Party? { order.party(.seller) ?? order.party(.shipper) }
    private func importer(of order: Order) -> Party? { order.party(.importerOfRecord) ?? order.party(.consignee) ?? order.party(.buyer) }

    /// A party with its EORI when it has a UK one; otherwise name and address (DE 3/1, 3/15).
    private func party(_ element: String, _ p: Party, path: String, warnings: inout [RenderIssue]) -> XMLElement? {
        let dec = Self.dec
        if let eori = p.taxID(.eori)?.value, Self.isGBEORI(eori) { return dec(element, [dec("ID", eori)]) }
        let street = p.addressLines.joined(separator: ", ")
        return dec(element, [
            dec("Name", CustomsFormat.fit(p.company ?? p.name, 70, path: "\(path).name", warnings: &warnings)),
            dec("Address", [
                dec("CityName", CustomsFormat.fit(p.city, 35, path: "\(path).city", warnings: &warnings)),
                dec("CountryCode", p.country.rawValue),
                dec("Line", CustomsFormat.fit(street, 70, path: "\(path).address_lines", warnings: &warnings)),
                p.postalCode.flatMap { dec("PostcodeID", CustomsFormat.fit($0, 9, path: "\(path).postal_code", warnings: &warnings)) },
            ]),
        ])
    }

    static func isGBEORI(_ s: String) -> Bool {
        let prefix = s.prefix(2)
        let digits = s.dropFirst(2)
        return (prefix == "GB" || prefix == "XI") && (digits.count == 12 || digits.count == 15) && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// DE 7/4 mode of transport at the border (UN Rec 19): courier and air parcels fly, post is 5.
    static func modeCode(_ mode: TransportMode) -> String {
        switch mode {
        case .sea: "1"
        case .rail: "2"
        case .road: "3"
        case .air, .courier: "4"
        case .postal: "5"
        }
    }

    /// Gross mass per line (DE 6/5): the parcels' total shared out by net mass (by value when a line
    /// has no net mass), so the items add up to the consignment's gross mass. `nil` without parcel weights.
    static func grossMassPerLine(_ order: Order) -> [Decimal?] {
        let total = order.shipment.parcels.compactMap(\.grossWeight).reduce(Decimal(0)) { $0 + $1.kilograms }
        guard total > 0 else { return order.lines.map { _ in nil } }
        let nets = order.lines.map { $0.netWeight?.kilograms ?? 0 }
        let useNet = nets.allSatisfy { $0 > 0 }
        let weights = useNet ? nets : order.lines.map(\.lineValue.amount)
        let sum = weights.reduce(0, +)
        guard sum > 0 else { return order.lines.map { _ in (total / Decimal(order.lines.count)).rounded(scale: 3) } }
        return weights.map { ($0 * total / sum).rounded(scale: 3) }
    }
}
