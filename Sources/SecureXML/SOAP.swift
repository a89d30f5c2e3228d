import CLibXML2

/// SOAP envelopes carry customs messages in some gateways; validation and readers want the payload.
public enum SOAP {
    public static let soap11Envelope = "http://schemas.xmlsoap.org/soap/envelope/"
    public static let soap12Envelope = "http://www.w3.org/2003/05/soap-envelope"

    static func isEnvelopeNamespace(_ uri: String?) -> Bool { uri == soap11Envelope || uri == soap12Envelope }

    /// The first element inside `Body` when `root` is a SOAP 1.1 or 1.2 envelope; `root` itself
    /// otherwise, so callers can pass every message through it.
    public static func unwrap(_ root: XMLElement) throws(XMLError) -> XMLElement {
        guard root.localName == "Envelope", isEnvelopeNamespace(root.namespaceURI) else { return root }
        guard let body = root.child(XMLName("Body", namespace: root.namespaceURI)) else {
            throw XMLError(.unexpectedContent, "SOAP envelope has no Body", line: root.line)
        }
        if let fault = body.child(XMLName("Fault", namespace: root.namespaceURI)) {
            let reason = fault.text(atLocalPath: "faultstring") ?? fault.text(atLocalPath: "Reason/Text") ?? "no reason given"
            throw XMLError(.unexpectedContent, "SOAP fault: \(reason)", line: fault.line)
        }
        guard let payload = body.elements.first else {
            throw XMLError(.unexpectedContent, "SOAP Body is empty", line: body.line)
        }
        return payload
    }

    /// The same for a libxml2 tree (used before XSD validation).
    static func payload(of doc: xmlDocPtr) -> xmlNodePtr? {
        guard let root = xmlDocGetRootElement(doc), let ns = root.pointee.ns,
            String(xml: root.pointee.name) == "Envelope", isEnvelopeNamespace(String(xml: ns.pointee.href))
        else { return nil }
        var child = root.pointee.children
        while let c = child {
            if c.pointee.type == XML_ELEMENT_NODE, String(xml: c.pointee.name) == "Body", c.pointee.ns == ns || String(xml: c.pointee.ns?.pointee.href) == String(xml: ns.pointee.href) {
                var inner = c.pointee.children
                while let i = inner {
                    if i.pointee.type == XML_ELEMENT_NODE { return i }
                    inner = i.pointee.next
                }
                return nil
            }
            child = c.pointee.next
        }
        return nil
    }
}
