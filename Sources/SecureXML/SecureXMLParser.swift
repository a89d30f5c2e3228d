/// Parses a whole document into the immutable tree, with the same hardening and limits as the
/// streaming reader (it is built on it).
///
/// Whitespace-only text beside child elements (indentation) is dropped; whitespace inside a text-only
/// element is kept as written.
public struct SecureXMLParser: Sendable {
    public var limits: XMLLimits

    public init(limits: XMLLimits = .default) { self.limits = limits }

    public func parse(_ bytes: some Collection<UInt8>) throws(XMLError) -> XMLDocument {
        try parse(chunks: CollectionOfOne(bytes))
    }

    public func parse(_ text: String) throws(XMLError) -> XMLDocument {
        try parse(Array(text.utf8))
    }

    public func parse<Chunks: Sequence>(chunks: Chunks) throws(XMLError) -> XMLDocument where Chunks.Element: Collection<UInt8> {
        var builder = TreeBuilder()
        var treeLimits = limits
        treeLimits.maxElements = min(limits.maxElements, limits.maxTreeElements)
        try XMLEventReader(limits: treeLimits).read(chunks: chunks) { builder.add($0) }
        guard let root = builder.root else { throw XMLError(.malformed, "document has no root element") }
        return XMLDocument(root: root)
    }
}

/// Turns events into the tree; one frame per open element.
struct TreeBuilder {
    private struct Frame {
        let tag: XMLStartTag
        var children: [XMLNode] = []
        var text = ""
        var hasElements = false

        /// Ends a text run. Whitespace-only runs beside child elements are indentation and dropped
        /// here, so they never become nodes.
        mutating func flushText(beforeElement: Bool) {
            guard !text.isEmpty else { return }
            if !((beforeElement || hasElements) && text.isXMLWhitespace) { children.append(.text(text)) }
            text = ""
        }

        func finish() -> XMLElement {
            XMLElement(
                tag.name, prefix: tag.prefix, namespaceDeclarations: tag.namespaceDeclarations,
                attributes: tag.attributes, children: children, line: tag.line)
        }
    }

    private var stack: [Frame] = []
    private(set) var root: XMLElement?

    mutating func add(_ event: XMLEvent) {
        switch event {
        case .start(let tag):
            if !stack.isEmpty {
                stack[stack.count - 1].flushText(beforeElement: true)
                stack[stack.count - 1].hasElements = true
            }
            stack.append(Frame(tag: tag))
        case .text(let t):
            guard !stack.isEmpty else { return }
            if stack[stack.count - 1].text.isEmpty { stack[stack.count - 1].text = t } else { stack[stack.count - 1].text += t }
        case .end:
            guard var frame = stack.popLast() else { return }
            frame.flushText(beforeElement: false)
            let element = frame.finish()
            if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(.element(element)) }
        }
    }
}
