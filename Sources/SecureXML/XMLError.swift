/// Hard bounds on what a single document may cost. Inputs come from gateways and merchants we do
/// not control; a bound that is hit stops the parse at once with `XMLError.Kind.limitExceeded`.
public struct XMLLimits: Sendable, Hashable {
    public var maxDocumentBytes: Int
    /// Element nesting depth. Customs messages nest about 10 deep; 1 GB of `<a><a>…` stops here.
    public var maxDepth: Int
    public var maxElements: Int
    public var maxAttributesPerElement: Int
    /// Longest single text node (bytes of UTF-8).
    public var maxTextBytes: Int
    /// Child elements of one element: a batch of 100,000 declarations is already far beyond any
    /// gateway's; 9 million siblings would build a 1.4 GB tree.
    public var maxChildrenPerElement: Int
    /// Elements kept in a whole-document tree (`SecureXMLParser`); the streaming reader keeps
    /// nothing and stops at `maxElements`.
    public var maxTreeElements: Int

    public init(
        maxDocumentBytes: Int = 256 << 20, maxDepth: Int = 128, maxElements: Int = 10_000_000,
        maxAttributesPerElement: Int = 256, maxTextBytes: Int = 8 << 20, maxChildrenPerElement: Int = 100_000,
        maxTreeElements: Int = 1_000_000
    ) {
        self.maxChildrenPerElement = maxChildrenPerElement
        self.maxTreeElements = maxTreeElements
        self.maxDocumentBytes = maxDocumentBytes
        self.maxDepth = maxDepth
        self.maxElements = maxElements
        self.maxAttributesPerElement = maxAttributesPerElement
        self.maxTextBytes = maxTextBytes
    }

    public static let `default` = XMLLimits()
}

/// Why a document was refused, and where. Every libxml2 error and every hardening refusal ends
/// up here, so callers never see a crash or a half-built tree.
public struct XMLError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Not well-formed XML (includes bad or truncated UTF-8).
        case malformed
        /// A `<!DOCTYPE …>`: customs messages never need one, and it is the door to XXE and entity bombs.
        case doctypeForbidden = "doctype_forbidden"
        case limitExceeded = "limit_exceeded"
        /// The document is fine XML but not the message we were asked to read.
        case unexpectedContent = "unexpected_content"
        /// A schema set could not be compiled.
        case schema
        /// The event consumer refused the document.
        case rejectedByConsumer = "rejected_by_consumer"
    }

    public let kind: Kind
    public let message: String
    /// 1-based; 0 when unknown.
    public let line: Int
    public let column: Int

    public init(_ kind: Kind, _ message: String, line: Int = 0, column: Int = 0) {
        self.kind = kind
        self.message = message
        self.line = line
        self.column = column
    }

    public var description: String {
        line > 0 ? "line \(line), column \(column): \(message)" : message
    }
}
