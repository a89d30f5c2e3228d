import CustomsModel
import Foundation
import SecureXML

/// EU H7: the reduced data set for releasing a low-value consignment (intrinsic value up to
/// EUR 150) for free circulation, the filing behind most B2C parcels into the EU since July 2021.
///
/// No official H7 XML schema or sample was available, so `requirements` models what the H7 column
/// asks of an order, and `render` writes our own documented shape (`Schemas/xml/customshub/eu-h7-v1.xsd`,
/// schema `eu-h7`). A member state's real schema becomes another adapter with the same interface.
public struct EUH7LowValueImport: DeclarationXMLAdapter {
    public static let namespace = "urn:customshub:eu:h7:1"
    /// Consignments above this intrinsic value need a full (H1) declaration instead.
    public static let ceiling: Decimal = 150

    public struct Options: Sendable, Hashable {
        public var reference: String
        /// EU EORI of the declarant (usually the courier or postal operator's customs broker).
        public var declarantEORI: String
        /// The injected clock: when the filing is prepared.
        public var preparedAt: Date
        /// EUR per unit of the order currency, needed when the order is not in EUR.
        public var eurPerOrderCurrencyUnit: Decimal?

        public init(reference: String, declarantEORI: String, preparedAt: Date, eurPerOrderCurrencyUnit: Decimal? = nil) {
            self.reference = reference
            self.declarantEORI = declarantEORI
            self.preparedAt = preparedAt
            self.eurPerOrderCurrencyUnit = eurPerOrderCurrencyUnit
        }
    }

    public init() {}

    public var id: String { "eu-h7-customshub-v1" }
    public var schemaName: String { "eu-h7" }

    /// HS chapters of excise goods (alcoholic beverages, tobacco), which H7 does not cover.
    static let exciseChapters: Set<String> = ["22", "24"]

    public func requirements(for order: Order, options: Options) -> [RenderIssue] {
        var issues: [RenderIssue] = []
        let destination = order.shipment.destinationCountry
        if !(destination.isEUMember || destination.rawValue == "XI") {
            issues.append(RenderIssue("shipment.destination_country", "H7 is an EU filing; \(destination) is not an EU member state"))
        }
        if options.reference.isEmpty || options.reference.count > 22 { issues.append(RenderIssue("options.reference", "reference must be 1 to 22 characters")) }
        if !Self.isEORI(options.declarantEORI) || !(CountryCode(String(options.declarantEORI.prefix(2))).isEUMember || options.declarantEORI.hasPrefix("XI")) {
            issues.append(RenderIssue("options.declarant_eori", "declarant needs an EU EORI (member-state prefix then up to 15 characters)"))
        }
        if order.lines.isEmpty { issues.append(RenderIssue("lines", "an H7 filing needs at least one item")) }
        if order.lines.count > 999 { issues.append(RenderIssue("lines", "at most 999 items")) }
        for role in [(PartyRole.consignee, "importer (the consignee)"), (.seller, "seller")] where order.party(role.0) == nil {
            issues.append(RenderIssue("parties", "H7 needs the \(role.1) with name and address"))
        }
        for (i, party) in order.parties.enumerated() where [.consignee, .seller].contains(party.role) {
            if party.addressLines.isEmpty || party.addressLines.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) {
                issues.append(RenderIssue("parties[\(i)].address_lines", "street address missing"))
            }
        }
        if let ioss = order.party(.seller)?.taxID(.ioss)?.value, !Self.isIOSS(ioss) {
            issues.append(RenderIssue("parties.seller.tax_ids", "IOSS number \"\(ioss)\" is not IM followed by 10 digits"))
        }
        if order.shipment.parcels.first?.reference == nil {
            issues.append(RenderIssue("shipment.parcels[0].reference", "the transport document (tracking number) is required"))
        }
        if order.shipment.parcels.compactMap(\.grossWeight).isEmpty {
            issues.append(RenderIssue("shipment.parcels", "gross mass is required; no parcel has a gross weight"))
        }
        for (i, line) in order.lines.enumerated() {
            let path = "lines[\(i)]"
            if line.lineValue.currency != order.currency { issues.append(RenderIssue("\(path).line_value.currency", "must be the order currency \(order.currency)")) }
            guard let code = line.hsCode, code.isWellFormed, code.subheading != nil else {
                issues.append(RenderIssue("\(path).hs_code", "H7 needs at least the 6-digit HS subheading"))
                continue
            }
            if Self.exciseChapters.contains(code.chapter) {
                issues.append(RenderIssue("\(path).hs_code", "chapter \(code.chapter) goods are excise goods, excluded from H7"))
            }
            if line.description.allSatisfy(\.isWhitespace) { issues.append(RenderIssue("\(path).description", "description missing")) }
        }
        if let eur = intrinsicEUR(order, options) {
            if eur > Self.ceiling {
                issues.append(RenderIssue("lines", "intrinsic value EUR \(eur.rounded(scale: 2).plainString) is above the EUR 150 H7 ceiling; file a full declaration"))
            }
        } else {
            issues.append(RenderIssue("options.eur_per_order_currency_unit", "an exchange rate to EUR is needed for \(order.currency)"))
        }
        return issues
    }

    public func render(_ order: Order, options: Options) throws(RenderFailure) -> RenderedXMLFiling {
        let issues = requirements(for: order, options: options)
        guard issues.isEmpty else { throw RenderFailure(issues) }
        var warnings: [RenderIssue] = []
        let h = ElementFactory(Self.namespace, prefix: "h7")
        func fit(_ s: String, _ n: Int, _ path: String) -> String { CustomsFormat.fit(s, n, path: path, warnings: &warnings) }
        func amount(_ tag: String, _ m: Money) -> XMLElement? {
            h(tag, CustomsFormat.amount(m), attributes: [XMLAttribute("currency", m.currency.rawValue)])
        }
        func party(_ tag: String, _ p: Party) -> XMLElement? {
            let path = "parties[\(order.parties.firstIndex(of: p) ?? 0)]"
            return h(tag, [
                h("Name", fit(p.company ?? p.name, 70, "\(path).name")),
                h("Street", fit(p.addressLines.joined(separator: ", "), 70, "\(path).address_lines")),
                p.postalCode.flatMap { h("PostalCode", fit($0, 17, "\(path).postal_code")) },
                h("City", fit(p.city, 35, "\(path).city")),
                h("Country", p.country.rawValue),
                p.taxID(.eori).flatMap { Self.isEORI($0.value) ? h("EORI", $0.value) : nil },
            ])
        }

        guard let importer = order.party(.consignee), let seller = order.party(.seller) else {
            throw RenderFailure([RenderIssue("parties", "importer and seller are required")])
        }
        let ioss = seller.taxID(.ioss)?.value
        let gross = CDSImportDeclaration.grossMassPerLine(order)
        let total = order.lines.reduce(Money.zero(order.currency)) { Money($0.amount + $1.lineValue.amount, $0.currency) }
        let totalGross = order.shipment.parcels.compactMap(\.grossWeight).reduce(Decimal(0)) { $0 + $1.kilograms }
        let costs: Money? = {
            let parts = [order.shipment.shippingCharge, order.shipment.insuranceCharge].compactMap { $0 }.filter { $0.currency == order.currency }
            return parts.isEmpty ? nil : Money(parts.reduce(0) { $0 + $1.amount }, order.currency)
        }()
        let items = order.lines.enumerated().map { i, line in
            XMLElement(h.name("Item"), prefix: "h7", attributes: [XMLAttribute("sequence", String(i + 1))], children: [
                h("Description", fit(line.description, 512, "lines[\(i)].description")),
                h("CommodityCode", line.hsCode?.rawValue),
                amount("IntrinsicValue", line.lineValue),
                h("GrossMass", CustomsFormat.kilograms(max(gross[i] ?? 0, Decimal(1) / 1000))),
                line.originCountry.flatMap { h("CountryOfOrigin", $0.rawValue) },
                h("AdditionalProcedure", "C07"),
                ioss == nil ? nil : h("AdditionalProcedure", "F48"),
            ].compactMap { $0.map(XMLNode.element) })
        }
        let root = XMLElement(h.name("LowValueImport"), prefix: "h7", attributes: [XMLAttribute("version", "1")], children: [
            h("Reference", options.reference),
            h("PreparedAt", Timestamp.format(options.preparedAt)),
            h("MemberStateOfDestination", order.shipment.destinationCountry.rawValue),
            h("CountryOfDispatch", order.shipment.shipFromCountry.rawValue),
            h("Declarant", [h("EORI", options.declarantEORI)]),
            party("Importer", importer),
            party("Seller", seller),
            ioss.flatMap { h("IOSSNumber", $0) },
            h("TransportDocument", fit(order.shipment.parcels.first?.reference ?? "", 70, "shipment.parcels[0].reference")),
            h("TotalGrossMass", CustomsFormat.kilograms(totalGross)),
            amount("TotalIntrinsicValue", total),
            costs.flatMap { amount("TransportAndInsuranceCosts", $0) },
            h("Items", items),
        ].compactMap { $0.map(XMLNode.element) })
        return RenderedXMLFiling(root: root, warnings: warnings, schemaName: schemaName)
    }

    private func intrinsicEUR(_ order: Order, _ options: Options) -> Decimal? {
        let total = order.lines.reduce(Decimal(0)) { $0 + $1.lineValue.amount }
        if order.currency.rawValue == "EUR" { return total }
        return options.eurPerOrderCurrencyUnit.map { total * $0 }
    }

    static func isEORI(_ s: String) -> Bool {
        s.count >= 3 && s.count <= 17 && s.prefix(2).allSatisfy { $0.isASCII && $0.isUppercase }
            && s.dropFirst(2).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    static func isIOSS(_ s: String) -> Bool {
        s.count == 12 && s.hasPrefix("IM") && s.dropFirst(2).allSatisfy { $0.isASCII && $0.isNumber }
    }
}
