import CustomsModel
import Foundation
import SecureXML

/// UK import control: the entry summary declaration (ENS) for a consignment, as DG TAXUD's IE315
/// (`CC315A`, schema `ics-ens`) or, given the MRN of an ENS already lodged, its amendment IE313
/// (`CC313A`, schema `ics-ens-amendment`). The tags are DG TAXUD's short names; the comments give
/// their meaning. Goods items follow the order lines.
public struct ICSEntrySummary: DeclarationXMLAdapter {
    public static let ie315Namespace = "http://ics.dgtaxud.ec/CC315A"
    public static let ie313Namespace = "http://ics.dgtaxud.ec/CC313A"

    public struct Options: Sendable, Hashable {
        /// The ENS's own reference (LRN), max 22 characters.
        public var lrn: String
        /// Message sender (`MesSenMES3`), usually the lodging EORI, optionally `/branch`.
        public var sender: String
        /// Message identification (`MesIdeMES19`), unique per sender, max 14 characters.
        public var messageID: String
        /// EORI of the person lodging the summary declaration (`TINPLD1`).
        public var lodgingEORI: String
        /// Customs office of first entry, 8 characters (`GB000085`).
        public var officeOfFirstEntry: String
        public var expectedArrival: Date
        /// When the message is prepared: the injected clock, never read here.
        public var preparedAt: Date
        /// Flight or voyage number (`ConRefNumHEA`).
        public var conveyanceReference: String?
        public var carrierEORI: String?
        /// Set to amend: the MRN of the lodged ENS, which makes this an IE313.
        public var amendsMRN: String?

        public init(
            lrn: String, sender: String, messageID: String, lodgingEORI: String, officeOfFirstEntry: String, expectedArrival: Date,
            preparedAt: Date, conveyanceReference: String? = nil, carrierEORI: String? = nil, amendsMRN: String? = nil
        ) {
            self.lrn = lrn
            self.sender = sender
            self.messageID = messageID
            self.lodgingEORI = lodgingEORI
            self.officeOfFirstEntry = officeOfFirstEntry
            self.expectedArrival = expectedArrival
            self.preparedAt = preparedAt
            self.conveyanceReference = conveyanceReference
            self.carrierEORI = carrierEORI
            self.amendsMRN = amendsMRN
        }
    }

    public init() {}

    public var id: String { "uk-ics-ens" }
    public var schemaName: String { "ics-ens" }

    public func requirements(for order: Order, options: Options) -> [RenderIssue] {
        var issues: [RenderIssue] = []
        if !["GB", "XI"].contains(order.shipment.destinationCountry.rawValue) {
            issues.append(RenderIssue("shipment.destination_country", "the UK ENS covers goods entering GB or XI, not \(order.shipment.destinationCountry)"))
        }
        if options.lrn.isEmpty || options.lrn.count > 22 { issues.append(RenderIssue("options.lrn", "reference must be 1 to 22 characters")) }
        if options.sender.isEmpty || options.sender.count > 35 { issues.append(RenderIssue("options.sender", "sender must be 1 to 35 characters")) }
        if options.messageID.isEmpty || options.messageID.count > 14 {
            issues.append(RenderIssue("options.message_id", "message id must be 1 to 14 characters"))
        }
        if !Self.isTIN(options.lodgingEORI) { issues.append(RenderIssue("options.lodging_eori", "lodging EORI must be 2 capital letters then up to 15 characters")) }
        if let carrier = options.carrierEORI, !Self.isTIN(carrier) {
            issues.append(RenderIssue("options.carrier_eori", "carrier EORI must be 2 capital letters then up to 15 characters"))
        }
        let office = options.officeOfFirstEntry
        if office.count != 8 || !office.prefix(2).allSatisfy({ $0.isASCII && $0.isLetter }) || !office.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            issues.append(RenderIssue("options.office_of_first_entry", "office of first entry must be 2 letters and 6 letters or digits"))
        }
        if let mrn = options.amendsMRN, mrn.count != 18 { issues.append(RenderIssue("options.amends_mrn", "an MRN has 18 characters")) }
        if order.lines.isEmpty { issues.append(RenderIssue("lines", "an ENS needs at least one goods item")) }
        if order.lines.count > 99_999 { issues.append(RenderIssue("lines", "at most 99999 goods items")) }
        if order.party(.seller) ?? order.party(.shipper) == nil { issues.append(RenderIssue("parties", "a seller or shipper is needed as consignor")) }
        if order.party(.consignee) ?? order.party(.importerOfRecord) == nil { issues.append(RenderIssue("parties", "a consignee is needed")) }
        for (i, line) in order.lines.enumerated() {
            if line.description.allSatisfy(\.isWhitespace) { issues.append(RenderIssue("lines[\(i)].description", "goods description missing")) }
            if let code = line.hsCode, !code.isWellFormed { issues.append(RenderIssue("lines[\(i)].hs_code", "commodity code \"\(code.rawValue)\" is not 4 to 10 digits")) }
        }
        return issues
    }

    public func render(_ order: Order, options: Options) throws(RenderFailure) -> RenderedXMLFiling {
        let issues = requirements(for: order, options: options)
        guard issues.isEmpty else { throw RenderFailure(issues) }
        var warnings: [RenderIssue] = []
        let amendment = options.amendsMRN != nil
        let ns = amendment ? Self.ie313Namespace : Self.ie315Namespace
        let root = ElementFactory(ns, prefix: "ie")
        let e = ElementFactory(nil)  // elementFormDefault="unqualified": children carry no namespace
        func fit(_ s: String, _ n: Int, _ path: String) -> String { CustomsFormat.fit(s, n, path: path, warnings: &warnings) }

        guard let consignor = order.party(.seller) ?? order.party(.shipper),
            let consignee = order.party(.consignee) ?? order.party(.importerOfRecord)
        else { throw RenderFailure([RenderIssue("parties", "consignor and consignee are required")]) }
        let gross = CDSImportDeclaration.grossMassPerLine(order)
        let packages = max(order.shipment.parcels.count, 1)
        let totalGross = order.shipment.parcels.compactMap(\.grossWeight).reduce(Decimal(0)) { $0 + $1.kilograms }
        let expressOrPost = order.shipment.transportMode.map { [.courier, .postal].contains($0) } ?? false
        let marks = order.shipment.parcels.first?.reference

        func trader(_ tag: String, _ p: Party, _ suffix: String, path: String) -> XMLElement? {
            // Names/addresses when there is no EORI; the TIN alone is enough otherwise.
            if let eori = p.taxID(.eori)?.value, Self.isTIN(eori) { return e(tag, [e("TIN\(suffix)159", eori)]) }
            return e(tag, [
                e("Nam\(suffix)17", fit(p.company ?? p.name, 35, "\(path).name")),
                e("StrAndNum\(suffix)122", fit(p.addressLines.joined(separator: ", "), 35, "\(path).address_lines")),
                p.postalCode.flatMap { e("PosCod\(suffix)123", fit($0, 9, "\(path).postal_code")) },
                e("Cit\(suffix)124", fit(p.city, 35, "\(path).city")),
                e("Cou\(suffix)125", p.country.rawValue),
            ])
        }

        var items: [XMLElement?] = []
        for (i, line) in order.lines.enumerated() {
            items.append(e("GOOITEGDS", [
                e("IteNumGDS7", String(i + 1)),
                e("GooDesGDS23", fit(line.description, 280, "lines[\(i)].description")),
                gross[i].flatMap { e("GroMasGDS46", CustomsFormat.kilograms($0)) },
                line.hsCode.flatMap { e("COMCODGODITM", [e("ComNomCMD1", String($0.rawValue.prefix(8)))]) },
                e("PACGS2", [
                    e("KinOfPacGS23", "PK"),
                    e("NumOfPacGS24", i == 0 ? String(packages) : "0"),
                    marks.flatMap { e("MarNumOfPacGSL21", fit($0, 140, "shipment.parcels[0].reference")) },
                ]),
            ]))
        }

        let mode = order.shipment.transportMode.map(CDSImportDeclaration.modeCode) ?? "4"
        let header = e("HEAHEA", [
            amendment ? e("DocNumHEA5", options.amendsMRN) : e("RefNumHEA4", options.lrn),
            e("TraModAtBorHEA76", mode),
            e("TotNumOfIteHEA305", String(order.lines.count)),
            e("TotNumOfPacHEA306", String(packages)),
            totalGross > 0 ? e("TotGroMasHEA307", CustomsFormat.kilograms(totalGross)) : nil,
            expressOrPost ? e("SpeCirIndHEA1", "A") : nil,  // A: postal and express consignments
            e("ComRefNumHEA", fit(order.externalReference, 70, "external_reference")),
            options.conveyanceReference.flatMap { e("ConRefNumHEA", fit($0, 35, "options.conveyance_reference")) },
            amendment ? e("DatTimAmeHEA113", WCODateTime.ics(dateTime: options.preparedAt)) : e("DecDatTimHEA114", WCODateTime.ics(dateTime: options.preparedAt)),
        ])
        let route = [order.shipment.shipFromCountry, order.shipment.destinationCountry].map { e("ITI", [e("CouOfRouCodITI1", $0.rawValue)]) }
        let body: [XMLElement?] = [
            e("MesSenMES3", options.sender),
            e("DatOfPreMES9", WCODateTime.ics(shortDate: options.preparedAt)),
            e("TimOfPreMES10", WCODateTime.ics(time: options.preparedAt)),
            e("MesIdeMES19", options.messageID),
            e("MesTypMES20", amendment ? "CC313A" : "CC315A"),
            header,
            trader("TRACONCO1", consignor, "CO", path: "parties[\(order.parties.firstIndex(of: consignor) ?? 0)]"),
            trader("TRACONCE1", consignee, "CE", path: "parties[\(order.parties.firstIndex(of: consignee) ?? 0)]"),
        ] + items + route + [
            e("PERLODSUMDEC", [e("TINPLD1", options.lodgingEORI)]),
            e("CUSOFFFENT730", [
                e("RefNumCUSOFFFENT731", options.officeOfFirstEntry),
                e("ExpDatOfArrFIRENT733", WCODateTime.ics(dateTime: options.expectedArrival)),
            ]),
            options.carrierEORI.flatMap { e("TRACARENT601", [e("TINTRACARENT602", $0)]) },
        ]
        let element = root(amendment ? "CC313A" : "CC315A", body) ?? XMLElement(root.name(amendment ? "CC313A" : "CC315A"))
        return RenderedXMLFiling(root: element, warnings: warnings, schemaName: amendment ? "ics-ens-amendment" : "ics-ens")
    }

    /// DG TAXUD TIN: two capital letters then up to 15 more characters (3 to 17 in all).
    static func isTIN(_ s: String) -> Bool {
        s.count >= 3 && s.count <= 17 && s.prefix(2).allSatisfy { $0.isASCII && $0.isUppercase } && s.allSatisfy { $0.isASCII && !$0.isNewline }
    }
}

/// A synchronous answer of the UK ICS API to an ENS submission, as a status event. The answers
/// carry no time, so the caller passes when it received them.
public struct ICSAnswer: Hashable, Sendable, Codable {
    /// HMRC's correlation id for the submission (success answers); later outcomes quote it.
    public let correlationID: String?
    public let event: StatusEvent

    enum CodingKeys: String, CodingKey {
        case correlationID = "correlation_id"
        case event
    }

    public static let source = "uk-ics"

    public static func parse(_ bytes: some Collection<UInt8>, receivedAt: Date, reference: String? = nil) throws(XMLError) -> ICSAnswer {
        try read(try SecureXMLParser().parse(bytes).root, receivedAt: receivedAt, reference: reference)
    }

    /// - Parameter reference: our reference for the submission this answers (the LRN), when known.
    public static func read(_ document: XMLElement, receivedAt: Date, reference: String? = nil) throws(XMLError) -> ICSAnswer {
        let root = try SOAP.unwrap(document)
        switch root.localName {
        case "SuccessResponse":
            guard let id = root.descendants(local: "CorrelationId").first?.trimmedText else {
                throw XMLError(.unexpectedContent, "SuccessResponse has no CorrelationId", line: root.line)
            }
            let event = StatusEvent(kind: .received, occurredAt: receivedAt, source: source, reference: reference, rawStatus: "SuccessResponse")
            return ICSAnswer(correlationID: id, event: event)
        case "ErrorResponse":
            let errors = root.children(local: "Error").map { e in
                StatusEvent.GatewayError(
                    code: e.text(atLocalPath: "Number") ?? "unknown", message: e.text(atLocalPath: "Text"), pointer: e.text(atLocalPath: "Location"))
            }
            guard !errors.isEmpty else { throw XMLError(.unexpectedContent, "ErrorResponse lists no Error", line: root.line) }
            let event = StatusEvent(kind: .rejected, occurredAt: receivedAt, source: source, reference: reference, rawStatus: "ErrorResponse", errors: errors)
            return ICSAnswer(correlationID: nil, event: event)
        default:
            throw XMLError(.unexpectedContent, "expected an ICS SuccessResponse or ErrorResponse, found \(root.name)", line: root.line)
        }
    }
}
