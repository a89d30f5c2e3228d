import CLibXML2

/// One schema finding, positioned in the validated document.
public struct XMLValidationIssue: Hashable, Sendable, Codable, CustomStringConvertible {
    public let line: Int
    /// libxml2 gives no column for schema findings; 0 then. Parse errors carry a real column.
    public let column: Int
    public let message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    enum CodingKeys: String, CodingKey { case line, column, message }

    public var description: String { "line \(line), column \(column): \(message)" }
}

/// A compiled XSD (with everything it imports), ready to validate many documents.
///
/// The schema files are handed over as bytes keyed by relative path, so compiling reads no file
/// itself: imports and includes resolve between the given files through a private URL scheme, and
/// any `schemaLocation` outside the set is refused. A compiled schema is read-only in libxml2 and
/// may be shared between threads; every validation uses its own context.
public final class XMLSchemaSet: @unchecked Sendable {
    private let schema: xmlSchemaPtr
    public let entry: String

    /// - Parameters:
    ///   - files: relative path (`customs/wrapper_submit.xsd`) → bytes, for the entry and all it imports.
    ///   - entry: the relative path of the schema to compile.
    public init(files: [String: [UInt8]], entry: String) throws(XMLError) {
        LibXML.ensureReady()
        guard files[entry] != nil else { throw XMLError(.schema, "schema \(entry) is not among the given files") }
        let collector = IssueCollector()
        let compiled: xmlSchemaPtr? = InMemorySchemaFiles.with(files) { base in
            guard let pctxt = xmlSchemaNewParserCtxt(base + entry) else { return nil }
            defer { xmlSchemaFreeParserCtxt(pctxt) }
            xmlSchemaSetParserStructuredErrors(pctxt, collectIssue, Unmanaged.passUnretained(collector).toOpaque())
            return xmlSchemaParse(pctxt)
        }
        guard let compiled else {
            let first = collector.issues.first.map { ": \($0.message)" } ?? ""
            throw XMLError(.schema, "schema \(entry) does not compile\(first)", line: collector.issues.first?.line ?? 0)
        }
        self.schema = compiled
        self.entry = entry
    }

    deinit { xmlSchemaFree(schema) }

    /// Validates a document given as bytes. SOAP 1.1/1.2 envelopes are unwrapped first (the body's
    /// first element is validated). Returns the findings, empty when valid; throws when the bytes are
    /// not acceptable XML at all (malformed, DOCTYPE, limits), so "invalid" and "unreadable" differ.
    public func validate(_ bytes: some Collection<UInt8>, limits: XMLLimits = .default, unwrapSOAP: Bool = true) throws(XMLError) -> [XMLValidationIssue] {
        let doc = try LibXMLDocument.parse(bytes, limits: limits)
        defer { xmlFreeDoc(doc) }
        var target = doc
        var copy: xmlDocPtr?
        if unwrapSOAP, let payload = SOAP.payload(of: doc) {
            copy = xmlNewDoc("1.0")
            if let copy, let node = xmlDocCopyNode(payload, copy, 1) {
                xmlDocSetRootElement(copy, node)
                target = copy
            }
        }
        defer { if let copy { xmlFreeDoc(copy) } }
        return try validate(doc: target)
    }

    /// Validates an in-memory tree by writing it out first (the way it would be sent).
    public func validate(_ element: XMLElement) throws(XMLError) -> [XMLValidationIssue] {
        try validate(XMLWriter(indent: "  ").bytes(element), unwrapSOAP: false)
    }

    private func validate(doc: xmlDocPtr) throws(XMLError) -> [XMLValidationIssue] {
        guard let vctxt = xmlSchemaNewValidCtxt(schema) else { throw XMLError(.schema, "libxml2 could not create a validation context") }
        defer { xmlSchemaFreeValidCtxt(vctxt) }
        let collector = IssueCollector()
        xmlSchemaSetValidStructuredErrors(vctxt, collectIssue, Unmanaged.passUnretained(collector).toOpaque())
        let rc = xmlSchemaValidateDoc(vctxt, doc)
        if rc < 0 { throw XMLError(.schema, "libxml2 internal error during validation (\(rc))") }
        if rc > 0, collector.issues.isEmpty { return [XMLValidationIssue(line: 0, column: 0, message: "document is not valid")] }
        return collector.issues
    }
}

private final class IssueCollector {
    var issues: [XMLValidationIssue] = []
}

private let collectIssue: xmlStructuredErrorFunc = { ctx, err in
    guard let ctx, let err else { return }
    let c = Unmanaged<IssueCollector>.fromOpaque(ctx).takeUnretainedValue()
    guard err.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
    let message = (err.pointee.message.map { String(cString: $0) } ?? "schema error").trimmingXMLWhitespace()
    c.issues.append(XMLValidationIssue(line: Int(err.pointee.line), column: Int(err.pointee.int2), message: message))
}

/// Builds a libxml2 tree (needed by the XSD validator) with the same refusals as `XMLEventReader`:
/// DOCTYPE stops the parse, depth and size are bounded, no network, no entity loading.
enum LibXMLDocument {
    final class State {
        let limits: XMLLimits
        var depth = 0
        var elements = 0
        var error: XMLError?
        init(limits: XMLLimits) { self.limits = limits }
    }

    static func parse(_ bytes: some Collection<UInt8>, limits: XMLLimits) throws(XMLError) -> xmlDocPtr {
        LibXML.ensureReady()
        if bytes.count > limits.maxDocumentBytes {
            throw XMLError(.limitExceeded, "document is larger than \(limits.maxDocumentBytes) bytes")
        }
        var sax = xmlSAXHandler()
        xmlSAXVersion(&sax, 2)
        sax.internalSubset = treeDoctype
        sax.entityDecl = nil
        sax.startElementNs = treeStart
        sax.endElementNs = treeEnd
        sax.serror = treeError
        guard let ctxt = xmlCreatePushParserCtxt(&sax, nil, nil, 0, nil) else {
            throw XMLError(.malformed, "libxml2 could not create a parser context")
        }
        defer { xmlFreeParserCtxt(ctxt) }
        xmlCtxtUseOptions(ctxt, LibXML.safeOptions)
        let state = State(limits: limits)
        ctxt.pointee._private = Unmanaged.passUnretained(state).toOpaque()

        let contiguous: Void? = bytes.withContiguousStorageIfAvailable { feed(ctxt, $0, state) }
        if contiguous == nil { Array(bytes).withUnsafeBufferPointer { feed(ctxt, $0, state) } }
        if state.error == nil { xmlParseChunk(ctxt, nil, 0, 1) }

        let doc = ctxt.pointee.myDoc
        ctxt.pointee.myDoc = nil
        if let error = state.error ?? (ctxt.pointee.wellFormed == 0 ? XMLError(.malformed, "document is not well-formed XML") : nil) {
            if let doc { xmlFreeDoc(doc) }
            throw error
        }
        guard let doc, xmlDocGetRootElement(doc) != nil else {
            if let doc { xmlFreeDoc(doc) }
            throw XMLError(.malformed, "document is empty")
        }
        return doc
    }

    private static func feed(_ ctxt: xmlParserCtxtPtr, _ buffer: UnsafeBufferPointer<UInt8>, _ state: State) {
        guard let base = buffer.baseAddress else { return }
        var offset = 0
        var markup = MarkupGuard(maxAttributes: state.limits.maxAttributesPerElement)
        while offset < buffer.count, state.error == nil {
            let n = min(64 << 10, buffer.count - offset)
            guard markup.scan(UnsafeBufferPointer(start: base + offset, count: n)) else {
                fail(ctxt, state, XMLError(
                    .limitExceeded, "more than \(state.limits.maxAttributesPerElement) attributes (namespace declarations included) on one element",
                    line: markup.line))
                return
            }
            _ = (base + offset).withMemoryRebound(to: CChar.self, capacity: n) { xmlParseChunk(ctxt, $0, Int32(n), 0) }
            offset += n
        }
    }

    static func state(_ ctx: UnsafeMutableRawPointer?) -> (xmlParserCtxtPtr, State)? {
        guard let ctx else { return nil }
        let ctxt = ctx.assumingMemoryBound(to: xmlParserCtxt.self)
        guard let p = ctxt.pointee._private else { return nil }
        return (ctxt, Unmanaged<State>.fromOpaque(p).takeUnretainedValue())
    }

    static func fail(_ ctxt: xmlParserCtxtPtr, _ state: State, _ error: XMLError) {
        if state.error == nil { state.error = error }
        xmlStopParser(ctxt)
    }
}

private let treeDoctype: internalSubsetSAXFunc = { ctx, name, _, _ in
    guard let (ctxt, state) = LibXMLDocument.state(ctx) else { return }
    LibXMLDocument.fail(ctxt, state, XMLError(
        .doctypeForbidden, "DOCTYPE declaration <!DOCTYPE \(String(xml: name))> is not allowed (no DTDs or entities are accepted)",
        line: Int(xmlSAX2GetLineNumber(ctx)), column: Int(xmlSAX2GetColumnNumber(ctx))))
}

private let treeStart: startElementNsSAX2Func = { ctx, localname, prefix, uri, nbNs, ns, nbAttrs, nbDefaulted, attrs in
    guard let (ctxt, state) = LibXMLDocument.state(ctx), state.error == nil else { return }
    state.depth += 1
    if state.depth > state.limits.maxDepth {
        return LibXMLDocument.fail(ctxt, state, XMLError(
            .limitExceeded, "elements nest deeper than \(state.limits.maxDepth)", line: Int(xmlSAX2GetLineNumber(ctx)),
            column: Int(xmlSAX2GetColumnNumber(ctx))))
    }
    state.elements += 1
    if state.elements > state.limits.maxTreeElements {
        return LibXMLDocument.fail(ctxt, state, XMLError(
            .limitExceeded, "more than \(state.limits.maxTreeElements) elements", line: Int(xmlSAX2GetLineNumber(ctx))))
    }
    if Int(nbAttrs) + Int(nbNs) > state.limits.maxAttributesPerElement {
        return LibXMLDocument.fail(ctxt, state, XMLError(
            .limitExceeded, "more than \(state.limits.maxAttributesPerElement) attributes (namespace declarations included) on one element",
            line: Int(xmlSAX2GetLineNumber(ctx))))
    }
    xmlSAX2StartElementNs(ctx, localname, prefix, uri, nbNs, ns, nbAttrs, nbDefaulted, attrs)
}

private let treeEnd: endElementNsSAX2Func = { ctx, localname, prefix, uri in
    guard let (_, state) = LibXMLDocument.state(ctx), state.error == nil else { return }
    state.depth -= 1
    xmlSAX2EndElementNs(ctx, localname, prefix, uri)
}

private let treeError: xmlStructuredErrorFunc = { ctx, err in
    guard let (_, state) = LibXMLDocument.state(ctx), let err, err.pointee.level.rawValue >= XML_ERR_ERROR.rawValue,
        state.error == nil
    else { return }
    let message = (err.pointee.message.map { String(cString: $0) } ?? "XML error").trimmingXMLWhitespace()
    state.error = XMLError(.malformed, message, line: Int(err.pointee.line), column: Int(err.pointee.int2))
}
