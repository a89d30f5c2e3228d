import CustomsModel
import Foundation
import SecureXML

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
