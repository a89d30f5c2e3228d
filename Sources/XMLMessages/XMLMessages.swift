import AdapterKit
import JSONCore
import Mapping
import SecureXML

/// XML for the declarative mappings: turns a mapping's output tree into an XML message and an XML
/// message into the tree inbound mappings read, through the hardened `SecureXML` layer.
///
/// The tree convention (both directions):
/// - the tree is an object with one key, the root element;
/// - an object member is a child element, in member order (XSD sequences care); an array repeats the
///   element; a string, number or boolean is the element's text; `null` leaves the element out;
/// - a member named `@name` is an attribute, and `_text` is the text of an element that also has
///   attributes or children (`{"@currencyID": "GBP", "_text": "12.50"}`);
/// - on output, names may carry a prefix declared in the mapping's `namespaces` (`md:MetaData`);
///   names without a prefix use the default namespace (`_` in `namespaces`) when there is one;
/// - on input, names are local names only (customs samples mix namespaced and namespace-less forms
///   of one message), a repeated element becomes an array, and text is trimmed.
public struct XMLMessageWriter: MessageWriter {
    public init() {}

    public var format: MappingSpec.Format { .xml }

    public func write(_ tree: JSONValue, spec: MappingSpec) throws -> [UInt8] {
        var namespaces: [String: String] = [:]
        for (prefix, uri) in spec.namespaces { namespaces[prefix] = uri }
        guard let object = tree.objectValue else { throw XMLMessageError("an XML message tree must be an object, got \(tree.typeName)") }
        let roots = object.members.filter { !$0.key.hasPrefix("@") }
        guard roots.count == 1, let (name, value) = roots.first else {
            throw XMLMessageError("an XML message needs exactly one root element, got [\(object.keys.joined(separator: ", "))]")
        }
        var built: [XMLNode] = []
        try appendElements(name, value, namespaces: namespaces, path: { name }, into: &built)
        guard built.count == 1, case .element(let root)? = built.first else { throw XMLMessageError("\(name): the root element must be a single element") }
        let declarations = spec.namespaces.map { XMLNamespaceDeclaration(prefix: $0.prefix, uri: $0.uri) }
        let withDeclarations = XMLElement(
            root.name, prefix: root.prefix, namespaceDeclarations: declarations, attributes: root.attributes, children: root.children)
        return XMLWriter(indent: nil).bytes(withDeclarations)
    }

    /// `path` (where in the tree, for errors) is built only when there is one to report.
    private func name(_ qualified: String, namespaces: [String: String], attribute: Bool, path: () -> String) throws -> (XMLName, String?) {
        let utf8 = qualified.utf8
        // Most names have no prefix: no split, no list (the same result as the general case below).
        guard utf8.contains(UInt8(ascii: ":")) else {
            return (XMLName(qualified, namespace: attribute ? nil : namespaces[""]), nil)
        }
        let parts: [String]
        if let colon = utf8.firstIndex(of: UInt8(ascii: ":")), colon != utf8.startIndex, utf8.index(after: colon) != utf8.endIndex,
            utf8.allSatisfy({ $0 < 0x80 })
        {
            parts = [String(qualified[..<colon]), String(qualified[qualified.index(after: colon)...])]
        } else if utf8.contains(UInt8(ascii: ":")) {
            parts = qualified.split(separator: ":", maxSplits: 1).map(String.init)
        } else {
            parts = [qualified]
        }
        if parts.count == 2 {
            guard let uri = namespaces[parts[0]] else {
                throw XMLMessageError("\(path()): prefix \"\(parts[0])\" is not declared in the mapping's namespaces")
            }
            return (XMLName(parts[1], namespace: uri), parts[0])
        }
        // Unprefixed attributes are in no namespace; unprefixed elements take the default one.
        return (XMLName(qualified, namespace: attribute ? nil : namespaces[""]), nil)
    }

    /// Appends the elements `key` with `value` stands for (none for null, one per item of an array)
    /// to `out`, built in place rather than returned and copied into the parent's children.
    private func appendElements(_ key: String, _ value: JSONValue, namespaces: [String: String], path: () -> String, into out: inout [XMLNode]) throws {
        let (xmlName, prefix) = try name(key, namespaces: namespaces, attribute: false, path: path)
        switch value {
        case .null:
            return
        case .array(let items):
            for (i, item) in items.enumerated() { try appendElements(key, item, namespaces: namespaces, path: { "\(path())[\(i)]" }, into: &out) }
        case .string, .number, .bool:
            out.append(.element(XMLElement(xmlName, prefix: prefix, text: value.scalarText ?? "")))
        case .object(let object):
            var attributes: [XMLAttribute] = []
            var children: [XMLNode] = []
            for (member, v) in object.members {
                if member.hasPrefix("@") {
                    guard v != .null else { continue }
                    guard v.objectValue == nil, v.arrayValue == nil else { throw XMLMessageError("\(path()).\(member): an attribute needs a text value") }
                    let (attr, p) = try name(String(member.dropFirst()), namespaces: namespaces, attribute: true, path: { "\(path()).\(member)" })
                    attributes.append(XMLAttribute(attr, v.scalarText ?? "", prefix: p))
                } else if member == "_text" {
                    if v != .null { children.append(.text(v.scalarText ?? "")) }
                } else {
                    try appendElements(member, v, namespaces: namespaces, path: { "\(path()).\(member)" }, into: &children)
                }
            }
            out.append(.element(XMLElement(xmlName, prefix: prefix, attributes: attributes, children: children)))
        }
    }
}

public struct XMLMessageReader: MessageReader {
    public var limits: XMLLimits

    public init(limits: XMLLimits = .default) { self.limits = limits }

    public var format: MappingSpec.Format { .xml }

    /// SOAP envelopes are unwrapped; the tree is keyed by local names (see `XMLMessageWriter`).
    public func read(_ bytes: [UInt8]) throws -> JSONValue {
        let root = try SOAP.unwrap(try SecureXMLParser(limits: limits).parse(bytes).root)
        return .object(JSONObject([(root.localName, Self.value(root))]))
    }

    static func value(_ e: XMLElement) -> JSONValue {
        let children = e.elements
        let text = e.text.trimmingXMLWhitespaceForJSON()
        if e.attributes.isEmpty && children.isEmpty { return .string(text) }
        var object = JSONObject()
        for a in e.attributes { object["@" + a.name.localName] = .string(a.value) }
        var order: [String] = []
        var grouped: [String: [JSONValue]] = [:]
        for child in children {
            if grouped[child.localName] == nil { order.append(child.localName) }
            grouped[child.localName, default: []].append(value(child))
        }
        for name in order {
            guard let values = grouped[name] else { continue }
            object[name] = values.count == 1 ? values[0] : .array(values)
        }
        if !text.isEmpty { object["_text"] = .string(text) }
        return .object(object)
    }
}

public struct XMLMessageError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension String {
    fileprivate func trimmingXMLWhitespaceForJSON() -> String {
        let ws: Set<Unicode.Scalar> = [" ", "\t", "\n", "\r"]
        guard let first = unicodeScalars.firstIndex(where: { !ws.contains($0) }),
            let last = unicodeScalars.lastIndex(where: { !ws.contains($0) })
        else { return "" }
        return String(unicodeScalars[first...last])
    }
}
