import Foundation
import CustomsModel
import SecureXML

/// One reason an order cannot be rendered into a filing, with the canonical field it is about
/// (`lines[1].hs_code`), so it can be shown next to the order like a validation error.
public struct RenderIssue: Hashable, Sendable, Codable, CustomStringConvertible {
    public let path: String
    public let message: String

    public init(_ path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    enum CodingKeys: String, CodingKey { case path, message }

    public var description: String { "\(path): \(message)" }
}

/// Every problem found while rendering, reported together rather than one at a time.
public struct RenderFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public let issues: [RenderIssue]
    public init(_ issues: [RenderIssue]) { self.issues = issues }
    public var description: String { issues.map(\.description).joined(separator: "; ") }
}

/// A rendered filing: the XML tree plus the compromises made on the way (values shortened to fit
/// a field, derived figures), which are worth showing to a person but do not block sending.
public struct RenderedXMLFiling: Hashable, Sendable {
    public let root: XMLElement
    public let warnings: [RenderIssue]
    /// The catalog name of the schema the result must validate against (`XMLSchemaCatalog`).
    public let schemaName: String

    public init(root: XMLElement, warnings: [RenderIssue], schemaName: String) {
        self.root = root
        self.warnings = warnings
        self.schemaName = schemaName
    }

    public func xml(indent: String? = "  ") -> String { XMLWriter(indent: indent).string(root) }
}

/// The one shape every XML filing adapter has: check what an order lacks for this filing, then
/// render it. A real schema (EU H7, ICS2) replaces an adapter without touching the core model.
public protocol DeclarationXMLAdapter: Sendable {
    associatedtype Options: Sendable
    /// Stable adapter id (`uk-cds-dms-import`), used in status events and configuration.
    var id: String { get }
    var schemaName: String { get }
    /// Everything missing or out of range for this filing; empty when `render` will succeed.
    func requirements(for order: Order, options: Options) -> [RenderIssue]
    func render(_ order: Order, options: Options) throws(RenderFailure) -> RenderedXMLFiling
}

/// Shared value formatting for customs XML: exact decimals, no locale.
enum CustomsFormat {
    /// An amount rounded to its currency's minor units (max 3 decimals as the DMS schemas allow).
    static func amount(_ money: Money) -> String {
        let digits = min(money.currency.minorUnits ?? 2, 3)
        return fixed(money.amount.rounded(scale: digits), digits: digits)
    }

    /// `49` → `49.00` for two digits: amounts keep their currency's decimals on the wire.
    static func fixed(_ value: Decimal, digits: Int) -> String {
        let plain = value.plainString
        guard digits > 0 else { return plain }
        let parts = plain.split(separator: ".", maxSplits: 1)
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        return String(parts[0]) + "." + fraction + String(repeating: "0", count: max(0, digits - fraction.count))
    }

    static func kilograms(_ kg: Decimal, scale: Int = 3) -> String {
        kg.rounded(scale: scale).plainString
    }

    /// Shortens `text` to `max` characters, recording a warning when it had to.
    static func fit(_ text: String, _ max: Int, path: String, warnings: inout [RenderIssue]) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count > max else { return trimmed }
        warnings.append(RenderIssue(path, "shortened to \(max) characters"))
        return String(trimmed.prefix(max)).trimmingCharacters(in: .whitespaces)
    }
}
