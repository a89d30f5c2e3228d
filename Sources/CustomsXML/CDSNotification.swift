import CustomsModel
import Foundation
import SecureXML

/// One DMS notification (`Response`) from UK CDS, read into a canonical status event.
///
/// HMRC's samples come with and without namespaces (and with prefixes declared but unused), so the
/// reader matches local names only and accepts a `MetaData` wrapper, a bare `Response`, or either
/// inside a SOAP envelope.
public struct CDSNotification: Hashable, Sendable, Codable {
    /// The notification's own id (`Response/FunctionalReferenceID`): the de-duplication key.
    public let notificationID: String?
    /// DMS function code as sent (`01`, `13`).
    public let functionCode: String
    /// HMRC's name for it (`DMSACC`), or `nil` for a code we do not know.
    public let name: String?
    public let event: StatusEvent

    enum CodingKeys: String, CodingKey {
        case notificationID = "notification_id"
        case functionCode = "function_code"
        case name, event
    }

    public static let source = "uk-cds"

    /// DMS function codes (HMRC notification catalogue) → canonical kinds.
    static let functionCodes: [String: (name: String, kind: StatusEvent.Kind)] = [
        "01": ("DMSACC", .accepted),
        "02": ("DMSRCV", .received),
        "03": ("DMSREJ", .rejected),
        "05": ("DMSCTL", .held),
        "06": ("DMSDOC", .queried),
        "07": ("DMSRES", .other),  // informs about corrections after control
        "08": ("DMSROG", .cleared),  // goods may be released
        "09": ("DMSCLE", .cleared),
        "10": ("DMSINV", .cancelled),  // invalidated
        "11": ("DMSREQ", .other),  // amendment/cancellation request accepted
        "13": ("DMSTAX", .dutyAssessed),
        "14": ("DMSCPI", .other),
        "15": ("DMSCPR", .other),
        "16": ("DMSEOG", .other),
        "17": ("DMSEXT", .other),
        "18": ("DMSGER", .other),
    ]

    /// Every `Response` in the document, in order.
    public static func parse(_ bytes: some Collection<UInt8>, limits: XMLLimits = .default) throws(XMLError) -> [CDSNotification] {
        try read(try SecureXMLParser(limits: limits).parse(bytes).root)
    }

    public static func read(_ document: XMLElement) throws(XMLError) -> [CDSNotification] {
        let root = try SOAP.unwrap(document)
        let responses: [XMLElement]
        switch root.localName {
        case "Response": responses = [root]
        case "MetaData": responses = root.children(local: "Response")
        default: throw XMLError(.unexpectedContent, "expected a DMS notification (MetaData or Response), found \(root.name)", line: root.line)
        }
        guard !responses.isEmpty else {
            let what = root.child(local: "Declaration") != nil ? "a Declaration (a submission, not a notification)" : "no Response"
            throw XMLError(.unexpectedContent, "MetaData holds \(what)", line: root.line)
        }
        var out: [CDSNotification] = []
        for r in responses { out.append(try notification(r)) }
        return out
    }

    private static func notification(_ r: XMLElement) throws(XMLError) -> CDSNotification {
        guard let code = r.text(atLocalPath: "FunctionCode") else {
            throw XMLError(.unexpectedContent, "Response has no FunctionCode", line: r.line)
        }
        guard let stamp = r.first(localPath: "IssueDateTime/DateTimeString"), let text = stamp.trimmedText else {
            throw XMLError(.unexpectedContent, "Response has no IssueDateTime/DateTimeString", line: r.line)
        }
        guard let issued = WCODateTime.parse(text, formatCode: stamp.attribute("formatCode")) else {
            throw XMLError(.unexpectedContent, "IssueDateTime \"\(text)\" is not a format 304 date-time", line: stamp.line)
        }
        let known = functionCodes[code]
        let errors = r.children(local: "Error").map { e in
            StatusEvent.GatewayError(
                code: e.text(atLocalPath: "ValidationCode") ?? "unknown",
                message: e.text(atLocalPath: "Description"),
                pointer: pointer(e.children(local: "Pointer")))
        }
        var amounts: [Money] = []
        for fee in r.descendants(local: "DutyTaxFee") {
            guard let amount = fee.first(localPath: "Payment/TaxAssessedAmount"), let value = amount.trimmedText else { continue }
            guard let currency = amount.attribute("currencyID"), let money = Money(value, CurrencyCode(currency)) else {
                throw XMLError(.unexpectedContent, "TaxAssessedAmount \"\(value)\" needs a decimal value and a currencyID", line: amount.line)
            }
            amounts.append(money)
        }
        let event = StatusEvent(
            kind: known?.kind ?? .other, occurredAt: issued, source: source,
            reference: r.text(atLocalPath: "Declaration/FunctionalReferenceID"),
            authorityReference: r.text(atLocalPath: "Declaration/ID"),
            rawStatus: code, errors: errors, amounts: amounts)
        return CDSNotification(notificationID: r.text(atLocalPath: "FunctionalReferenceID"), functionCode: code, name: known?.name, event: event)
    }

    /// DMS error pointers as one path: section codes joined by `/`, with `[n]` for a sequence and
    /// `#TAG` for the tag id, e.g. `42A/17C#R144` (declaration → goods shipment, tag R144).
    static func pointer(_ steps: [XMLElement]) -> String? {
        let parts = steps.compactMap { p -> String? in
            guard var s = p.text(atLocalPath: "DocumentSectionCode") else { return nil }
            if let n = p.text(atLocalPath: "SequenceNumeric") { s += "[\(n)]" }
            if let tag = p.text(atLocalPath: "TagID") { s += "#\(tag)" }
            return s
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }
}
