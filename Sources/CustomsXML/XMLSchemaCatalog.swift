/// The XSDs kept in the repo under `Schemas/xml/`, by the short name the CLI and adapters use.
/// Paths are relative to `Schemas/xml/`; a schema set is compiled from the files of its folder.
public struct XMLSchemaEntry: Hashable, Sendable, Codable {
    public let name: String
    /// Folder holding the entry and everything it imports (relative to `Schemas/xml/`; empty for
    /// entries that import across folders).
    public let folder: String
    /// Entry schema, relative to `folder`.
    public let entry: String
    public let summary: String

    enum CodingKeys: String, CodingKey { case name, folder, entry, summary }
}

public enum XMLSchemaCatalog {
    public static let all: [XMLSchemaEntry] = [
        XMLSchemaEntry(
            name: "cds-declaration", folder: "hmrc-cds-dms", entry: "customs/wrapper_submit.xsd",
            summary: "UK CDS declaration submission: md:MetaData wrapping a WCO DEC DMS v2 Declaration (HMRC)"),
        XMLSchemaEntry(
            name: "cds-cancellation", folder: "hmrc-cds-dms", entry: "customs/wrapper_cancel.xsd",
            summary: "UK CDS cancellation request in the MetaData wrapper (HMRC)"),
        XMLSchemaEntry(
            name: "cds-notification", folder: "", entry: "customshub/cds-notification.xsd",
            summary: "UK CDS DMS notification (MetaData + Response, namespaced as the XSD wants; HMRC's samples are not)"),
        XMLSchemaEntry(
            name: "cds-error", folder: "hmrc-cds-dms", entry: "customs/error.xsd",
            summary: "UK CDS API synchronous errorResponse (HMRC)"),
        XMLSchemaEntry(
            name: "ics-ens", folder: "hmrc-ics", entry: "CC315A-v11-2.xsd",
            summary: "UK ICS entry summary declaration IE315 (CC315A, DG TAXUD v11.2 as used by HMRC)"),
        XMLSchemaEntry(
            name: "ics-ens-amendment", folder: "hmrc-ics", entry: "CC313A-v11-2.xsd",
            summary: "UK ICS entry summary declaration amendment IE313 (CC313A)"),
        XMLSchemaEntry(
            name: "ics-success-response", folder: "hmrc-ics", entry: "SuccessResponse-v2-0.xsd",
            summary: "UK ICS synchronous SuccessResponse carrying the correlation id (HMRC)"),
        XMLSchemaEntry(
            name: "ics-error-response", folder: "hmrc-ics", entry: "errorresponse-v2.0.xsd",
            summary: "UK ICS synchronous ErrorResponse (HMRC GovTalk)"),
        XMLSchemaEntry(
            name: "eu-h7", folder: "customshub", entry: "eu-h7-v1.xsd",
            summary: "CustomsHub's own documented shape for an EU H7 low-value import filing (stand-in until the official schema)"),
    ]

    public static func named(_ name: String) -> XMLSchemaEntry? { all.first { $0.name == name } }
}
