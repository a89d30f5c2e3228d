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

    public func string(_ root: XMLElement) -> String { String(decoding: bytes(root), as: UTF8.self) }

    /// The document as UTF-8, written byte by byte (names, escapes and indents appended to one
    /// buffer, no intermediate strings): what `string` returns, encoded.
    public func bytes(_ root: XMLElement) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        if declaration {
            out.append(contentsOf: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>".utf8)
            if indent != nil { out.append(0x0A) }
        }
        var scope = Scope()
        write(root, into: &out, scope: &scope, level: 0)
        if indent != nil { out.append(0x0A) }
        return out
    }

    static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    /// Prefix → URI bindings in force; `""` is the default namespace.
    struct Scope {
        var bindings: [String: String] = ["xml": XMLWriter.xmlNamespace]

        func prefix(for uri: String, allowDefault: Bool) -> String? {
            if allowDefault, bindings[""] == uri { return "" }
            return bindings.filter { $0.key != "" && $0.value == uri }.map(\.key).min()
        }
    }

    /// `prefix:local`, or `local` alone for an empty prefix.
    private static func appendName(_ prefix: String, _ local: String, into out: inout [UInt8]) {
        if !prefix.isEmpty {
            out.append(contentsOf: prefix.utf8)
            out.append(UInt8(ascii: ":"))
        }
        out.append(contentsOf: local.utf8)
    }

    private func write(_ element: XMLElement, into out: inout [UInt8], scope outer: inout Scope, level: Int) {
        var scope = outer
        var declared: [(String, String)] = []
        func declare(_ prefix: String, _ uri: String) {
            if scope.bindings[prefix] == uri { return }
            scope.bindings[prefix] = uri
            declared.removeAll { $0.0 == prefix }
            declared.append((prefix, uri))
        }
        for d in element.namespaceDeclarations { declare(d.prefix ?? "", d.uri) }

        // The element's prefix ("" for none).
        let qprefix: String
        if let uri = element.namespaceURI {
            if let p = element.prefix, scope.bindings[p] == uri || declared.allSatisfy({ $0.0 != p }) {
                declare(p, uri)
                qprefix = p
            } else if element.prefix == nil, scope.bindings[""] == uri || declared.allSatisfy({ $0.0 != "" }) {
                declare("", uri)
                qprefix = ""
            } else if let p = scope.prefix(for: uri, allowDefault: true) {
                qprefix = p
            } else {
                let p = freshPrefix(scope)
                declare(p, uri)
                qprefix = p
            }
        } else {
            if let d = scope.bindings[""], !d.isEmpty { declare("", "") }
            qprefix = ""
        }

        // Attribute prefixes are settled (and declared) before the start tag is written, since the
        // declarations come first in it.
        var attributePrefixes: [String] = []
        attributePrefixes.reserveCapacity(element.attributes.count)
        for a in element.attributes {
            if let uri = a.name.namespaceURI {
                if uri == Self.xmlNamespace {
                    attributePrefixes.append("xml")
                } else if let p = a.prefix, !p.isEmpty, scope.bindings[p] == uri || scope.bindings[p] == nil {
                    declare(p, uri)
                    attributePrefixes.append(p)
                } else if let p = scope.prefix(for: uri, allowDefault: false) {
                    attributePrefixes.append(p)
                } else {
                    let p = freshPrefix(scope)
                    declare(p, uri)
                    attributePrefixes.append(p)
                }
            } else {
                attributePrefixes.append("")
            }
        }

        out.append(UInt8(ascii: "<"))
        Self.appendName(qprefix, element.localName, into: &out)
        for (p, uri) in declared {
            if p.isEmpty {
                out.append(contentsOf: " xmlns=\"".utf8)
            } else {
                out.append(contentsOf: " xmlns:".utf8)
                out.append(contentsOf: p.utf8)
                out.append(contentsOf: "=\"".utf8)
            }
            Self.appendEscaped(uri, attribute: true, into: &out)
            out.append(UInt8(ascii: "\""))
        }
        for (a, p) in zip(element.attributes, attributePrefixes) {
            out.append(UInt8(ascii: " "))
            Self.appendName(p, a.name.localName, into: &out)
            out.append(contentsOf: "=\"".utf8)
            Self.appendEscaped(a.value, attribute: true, into: &out)
            out.append(UInt8(ascii: "\""))
        }
        if element.children.isEmpty {
            out.append(contentsOf: "/>".utf8)
            return
        }
        out.append(UInt8(ascii: ">"))
        let elementOnly = element.children.allSatisfy { if case .element = $0 { true } else { false } }
        for child in element.children {
            switch child {
            case .text(let t): Self.appendEscaped(t, attribute: false, into: &out)
            case .element(let e):
                if elementOnly, let indent {
                    out.append(0x0A)
                    for _ in 0..<(level + 1) { out.append(contentsOf: indent.utf8) }
                }
                write(e, into: &out, scope: &scope, level: level + 1)
            }
        }
        if elementOnly, let indent {
            out.append(0x0A)
            for _ in 0..<level { out.append(contentsOf: indent.utf8) }
        }
        out.append(contentsOf: "</".utf8)
        Self.appendName(qprefix, element.localName, into: &out)
        out.append(UInt8(ascii: ">"))
    }

    private func freshPrefix(_ scope: Scope) -> String {
        var n = 1
        while scope.bindings["ns\(n)"] != nil { n += 1 }
        return "ns\(n)"
    }

    public static func escapeText(_ s: String) -> String { escape(s, attribute: false) }
    public static func escapeAttribute(_ s: String) -> String { escape(s, attribute: true) }

    /// `escape(s)`'s UTF-8 appended to `out`: text with nothing to escape (most of it) is copied as is.
    private static func appendEscaped(_ s: String, attribute: Bool, into out: inout [UInt8]) {
        if needsEscaping(s) {
            out.append(contentsOf: escape(s, attribute: attribute).utf8)
        } else {
            out.append(contentsOf: s.utf8)
        }
    }

    private static func needsEscaping(_ s: String) -> Bool {
        for u in s.utf8 where u == 0x26 || u == 0x3C || u == 0x3E || u == 0x22 || u < 0x20 || u == 0xEF {
            return true
        }
        return false
    }

    private static func escape(_ s: String, attribute: Bool) -> String {
        guard needsEscaping(s) else { return s }
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
