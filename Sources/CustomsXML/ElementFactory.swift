import SecureXML

/// Builds elements of one namespace tersely; optional values become absent elements, which is how
/// the customs schemas express "not given".
struct ElementFactory: Sendable {
    let namespace: String?
    let prefix: String?

    init(_ namespace: String?, prefix: String? = nil) {
        self.namespace = namespace
        self.prefix = prefix
    }

    func name(_ local: String) -> XMLName { XMLName(local, namespace: namespace) }

    /// An element with child elements; `nil` children are skipped. Empty containers are dropped,
    /// because every container in these schemas must have content to be meaningful.
    func callAsFunction(_ local: String, declarations: [XMLNamespaceDeclaration] = [], _ children: [XMLElement?]) -> XMLElement? {
        let kept = children.compactMap { $0 }
        guard !kept.isEmpty else { return nil }
        return XMLElement(name(local), prefix: prefix, namespaceDeclarations: declarations, children: kept.map { .element($0) })
    }

    /// A text element; `nil` or blank text gives no element.
    func callAsFunction(_ local: String, _ text: String?, attributes: [XMLAttribute] = []) -> XMLElement? {
        guard let text, !text.allSatisfy(\.isWhitespace) else { return nil }
        return XMLElement(name(local), prefix: prefix, attributes: attributes, text: text)
    }
}
