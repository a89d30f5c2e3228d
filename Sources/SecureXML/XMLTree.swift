/// An expanded XML name: the namespace a prefix stood for, plus the local part. Two documents that
/// use different prefixes (or none, through a default namespace) for the same name compare equal.
public struct XMLName: Hashable, Sendable, CustomStringConvertible {
    public let namespaceURI: String?
    public let localName: String

    public init(_ localName: String, namespace: String? = nil) {
        self.localName = localName
        self.namespaceURI = namespace.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Clark notation (`{urn:x}Name`), unambiguous in messages and logs.
    public var description: String { namespaceURI.map { "{\($0)}\(localName)" } ?? localName }
}

/// A namespace binding written on an element (`xmlns:p="uri"`, or `xmlns="uri"` when `prefix` is nil).
public struct XMLNamespaceDeclaration: Hashable, Sendable {
    public let prefix: String?
    public let uri: String

    public init(prefix: String?, uri: String) {
        self.prefix = prefix.flatMap { $0.isEmpty ? nil : $0 }
        self.uri = uri
    }
}

public struct XMLAttribute: Hashable, Sendable {
    public let name: XMLName
    /// The prefix as written; only a hint for the writer, never used for matching.
    public let prefix: String?
    public let value: String

    public init(_ name: XMLName, _ value: String, prefix: String? = nil) {
        self.name = name
        self.value = value
        self.prefix = prefix
    }

    public init(_ localName: String, _ value: String) { self.init(XMLName(localName), value) }
}

public enum XMLNode: Hashable, Sendable {
    case element(XMLElement)
    case text(String)
}

/// One element of an immutable, namespace-resolved tree. Comments and processing instructions are
/// dropped on parse; adjacent text and CDATA are merged into one text node.
public struct XMLElement: Hashable, Sendable {
    public let name: XMLName
    /// The prefix as written (or preferred by the writer); names are matched by namespace, not prefix.
    public let prefix: String?
    public let namespaceDeclarations: [XMLNamespaceDeclaration]
    public let attributes: [XMLAttribute]
    public let children: [XMLNode]
    /// 1-based source line of the start tag; 0 for elements built in code.
    public let line: Int

    public init(
        _ name: XMLName, prefix: String? = nil, namespaceDeclarations: [XMLNamespaceDeclaration] = [],
        attributes: [XMLAttribute] = [], children: [XMLNode] = [], line: Int = 0
    ) {
        self.name = name
        self.prefix = prefix.flatMap { $0.isEmpty ? nil : $0 }
        self.namespaceDeclarations = namespaceDeclarations
        self.attributes = attributes
        self.children = children
        self.line = line
    }

    /// An element holding only text, the most common shape in customs messages.
    public init(_ name: XMLName, prefix: String? = nil, attributes: [XMLAttribute] = [], text: String) {
        self.init(name, prefix: prefix, attributes: attributes, children: [.text(text)])
    }

    public var localName: String { name.localName }
    public var namespaceURI: String? { name.namespaceURI }

    public var elements: [XMLElement] {
        children.compactMap { if case .element(let e) = $0 { e } else { nil } }
    }

    /// The concatenated text of the direct text children (not of descendants).
    public var text: String {
        children.reduce(into: "") { out, node in if case .text(let t) = node { out += t } }
    }

    /// Text with surrounding whitespace removed; `nil` when empty, which is how absent values look.
    public var trimmedText: String? {
        let t = text.trimmingXMLWhitespace()
        return t.isEmpty ? nil : t
    }

    public func attribute(_ localName: String, namespace: String? = nil) -> String? {
        attributes.first { $0.name.localName == localName && $0.name.namespaceURI == namespace }?.value
    }

    /// Children matched by local name only: customs samples mix namespaced and namespace-less forms
    /// of the same message, so readers that must accept both match this way.
    public func children(local localName: String) -> [XMLElement] {
        elements.filter { $0.name.localName == localName }
    }

    public func child(local localName: String) -> XMLElement? {
        for case .element(let e) in children where e.name.localName == localName { return e }
        return nil
    }

    public func child(_ name: XMLName) -> XMLElement? {
        for case .element(let e) in children where e.name == name { return e }
        return nil
    }

    /// Follows a `/`-separated path of local names (`Declaration/ID`), first match at each step.
    public func first(localPath path: String) -> XMLElement? {
        var current = self
        for step in path.split(separator: "/") {
            guard let next = current.child(local: String(step)) else { return nil }
            current = next
        }
        return current
    }

    /// Trimmed text at a local-name path; `nil` when absent or empty.
    public func text(atLocalPath path: String) -> String? { first(localPath: path)?.trimmedText }

    /// Every descendant (depth first, document order) with that local name.
    public func descendants(local localName: String) -> [XMLElement] {
        var out: [XMLElement] = []
        func walk(_ e: XMLElement) {
            for child in e.elements {
                if child.name.localName == localName { out.append(child) }
                walk(child)
            }
        }
        walk(self)
        return out
    }
}

/// A parsed document: its root element, plus what the prolog said.
public struct XMLDocument: Hashable, Sendable {
    public let root: XMLElement
    public init(root: XMLElement) { self.root = root }
}

extension String {
    /// True when made only of the four XML whitespace characters (checked on UTF-8, no copying).
    var isXMLWhitespace: Bool {
        utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }

    /// Trims the four XML whitespace characters only (not every Unicode space).
    func trimmingXMLWhitespace() -> String {
        let ws: Set<Unicode.Scalar> = [" ", "\t", "\n", "\r"]
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !ws.contains($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !ws.contains($0) }) ?? first
        return String(scalars[first...last])
    }
}

extension String {
    /// Plain substring replacement without Foundation.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = self[...]
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        out += rest
        return out
    }
}
