/// Writes a tree as XML text with predictable output: attributes in the order given, namespace
/// declarations only where a name first needs them, the element's preferred prefix when it is
/// free, and escaping that survives a round trip (including `\r` and tabs in attributes).
///
/// Characters that XML 1.0 cannot carry at all (most C0 controls, U+FFFE/U+FFFF) are replaced by
/// U+FFFD rather than producing a document no parser would accept.
public struct XMLWriter: Sendable {
    public var indent: String?
    public var declaration: Bool

    /// - Parameters:
    ///   - indent: pretty-print element-only content with this indent; `nil` writes it on one line.
    ///   - declaration: start with `<?xml version="1.0" encoding="UTF-8"?>`.
    public init(indent: String? = "  ", declaration: Bool = true) {
        self.indent = indent
        self.declaration = declaration
    }

    public func string(_ document: XMLDocument) -> String { string(document.root) }

    public func string(_ root: XMLElement) -> String {
        var out = ""
        if declaration { out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + (indent == nil ? "" : "\n") }
        var scope = Scope()
        write(root, into: &out, scope: &scope, level: 0)
        if indent != nil { out += "\n" }
        return out
    }

    public func bytes(_ root: XMLElement) -> [UInt8] { Array(string(root).utf8) }

    static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    /// Prefix → URI bindings in force; `""` is the default namespace.
    struct Scope {
        var bindings: [String: String] = ["xml": XMLWriter.xmlNamespace]

        func prefix(for uri: String, allowDefault: Bool) -> String? {
            if allowDefault, bindings[""] == uri { return "" }
            return bindings.filter { $0.key != "" && $0.value == uri }.map(\.key).min()
        }
    }

    private func write(_ element: XMLElement, into out: inout String, scope outer: inout Scope, level: Int) {
        var scope = outer
        var declared: [(String, String)] = []
        func declare(_ prefix: String, _ uri: String) {
            if scope.bindings[prefix] == uri { return }
            scope.bindings[prefix] = uri
            declared.removeAll { $0.0 == prefix }
            declared.append((prefix, uri))
        }
        for d in element.namespaceDeclarations { declare(d.prefix ?? "", d.uri) }

        let qname: String
        if let uri = element.namespaceURI {
            if let p = element.prefix, scope.bindings[p] == uri || declared.allSatisfy({ $0.0 != p }) {
                declare(p, uri)
                qname = "\(p):\(element.localName)"
            } else if element.prefix == nil, scope.bindings[""] == uri || declared.allSatisfy({ $0.0 != "" }) {
                declare("", uri)
                qname = element.localName
            } else if let p = scope.prefix(for: uri, allowDefault: true) {
                qname = p.isEmpty ? element.localName : "\(p):\(element.localName)"
            } else {
                let p = freshPrefix(scope)
                declare(p, uri)
                qname = "\(p):\(element.localName)"
            }
        } else {
            if let d = scope.bindings[""], !d.isEmpty { declare("", "") }
            qname = element.localName
        }

        var attributeText: [String] = []
        for a in element.attributes {
            let name: String
            if let uri = a.name.namespaceURI {
                if uri == Self.xmlNamespace {
                    name = "xml:\(a.name.localName)"
                } else if let p = a.prefix, !p.isEmpty, scope.bindings[p] == uri || scope.bindings[p] == nil {
                    declare(p, uri)
                    name = "\(p):\(a.name.localName)"
                } else if let p = scope.prefix(for: uri, allowDefault: false) {
                    name = "\(p):\(a.name.localName)"
                } else {
                    let p = freshPrefix(scope)
                    declare(p, uri)
                    name = "\(p):\(a.name.localName)"
                }
            } else {
                name = a.name.localName
            }
            attributeText.append(" \(name)=\"\(Self.escapeAttribute(a.value))\"")
        }

        out += "<" + qname
        for (p, uri) in declared {
            out += p.isEmpty ? " xmlns=\"" : " xmlns:\(p)=\""
            out += Self.escapeAttribute(uri) + "\""
        }
        for a in attributeText { out += a }
        if element.children.isEmpty {
            out += "/>"
            return
        }
        out += ">"
        let elementOnly = element.children.allSatisfy { if case .element = $0 { true } else { false } }
        for child in element.children {
            switch child {
            case .text(let t): out += Self.escapeText(t)
            case .element(let e):
                if elementOnly, let indent {
                    out += "\n" + String(repeating: indent, count: level + 1)
                }
                write(e, into: &out, scope: &scope, level: level + 1)
            }
        }
        if elementOnly, let indent { out += "\n" + String(repeating: indent, count: level) }
        out += "</" + qname + ">"
    }

    private func freshPrefix(_ scope: Scope) -> String {
        var n = 1
        while scope.bindings["ns\(n)"] != nil { n += 1 }
        return "ns\(n)"
    }

    public static func escapeText(_ s: String) -> String { escape(s, attribute: false) }
    public static func escapeAttribute(_ s: String) -> String { escape(s, attribute: true) }

    private static func escape(_ s: String, attribute: Bool) -> String {
        var needs = false
        for u in s.utf8 where u == 0x26 || u == 0x3C || u == 0x3E || u == 0x22 || u < 0x20 || u == 0xEF {
            needs = true
            break
        }
        guard needs else { return s }
        var out = ""
        out.unicodeScalars.reserveCapacity(s.unicodeScalars.count + 16)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            case "\t" where attribute: out += "&#9;"
            case "\n" where attribute: out += "&#10;"
            case "\r": out += "&#13;"
            case "\t", "\n": out.unicodeScalars.append(c)
            default:
                if c.value < 0x20 || c.value == 0xFFFE || c.value == 0xFFFF {
                    out.unicodeScalars.append("\u{FFFD}")
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out
    }
}
