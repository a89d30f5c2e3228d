import CLibXML2

/// A start tag as the streaming reader reports it, namespaces already resolved.
public struct XMLStartTag: Sendable, Hashable {
    public let name: XMLName
    public let prefix: String?
    public let namespaceDeclarations: [XMLNamespaceDeclaration]
    public let attributes: [XMLAttribute]
    public let line: Int
}

public enum XMLEvent: Sendable, Hashable {
    case start(XMLStartTag)
    case end(XMLName)
    /// Character data; one text run may arrive as several events.
    case text(String)
}

/// Streams a document as events through libxml2's SAX2 push parser, so a large batch never has to
/// sit in memory as a tree. Chunks can come from anywhere (a file read piece by piece, a socket);
/// the limits are checked as bytes arrive, so a hostile 1 GB input is refused after the first few
/// kilobytes rather than after reading it all.
///
/// Hardening: any `<!DOCTYPE` stops the parse before its internal subset is read (no entity can be
/// declared, so none can be expanded or fetched); network access is off; the process-wide entity
/// loader refuses every URL (see `LibXML`). A parser context lives for one call only.
public struct XMLEventReader: Sendable {
    public var limits: XMLLimits

    public init(limits: XMLLimits = .default) { self.limits = limits }

    /// Reads a whole document held in memory.
    public func read(_ bytes: some Collection<UInt8>, _ consume: (XMLEvent) throws -> Void) throws(XMLError) {
        try read(chunks: CollectionOfOne(bytes), consume)
    }

    /// Reads a document delivered as consecutive chunks.
    public func read<Chunks: Sequence>(chunks: Chunks, _ consume: (XMLEvent) throws -> Void) throws(XMLError)
    where Chunks.Element: Collection<UInt8> {
        LibXML.ensureReady()
        do {
            try withoutActuallyEscaping(consume) { consume in
                let session = SAXSession(limits: limits, consume: consume)
                try session.run(chunks)
            }
        } catch let error as XMLError {
            throw error
        } catch {
            throw XMLError(.rejectedByConsumer, "\(error)")
        }
    }
}

/// One parse: owns the libxml2 context and the counters the limits are checked against.
private final class SAXSession {
    let limits: XMLLimits
    let consume: (XMLEvent) throws -> Void
    var ctxt: xmlParserCtxtPtr?
    var depth = 0
    var elements = 0
    var bytes = 0
    var textRun = 0
    var sawRoot = false
    var error: XMLError?
    var markup: MarkupGuard
    /// Children seen so far of each open element (index = depth - 1).
    var children: [Int] = []

    init(limits: XMLLimits, consume: @escaping (XMLEvent) throws -> Void) {
        self.limits = limits
        self.consume = consume
        self.markup = MarkupGuard(maxAttributes: limits.maxAttributesPerElement)
    }

    func run<Chunks: Sequence>(_ chunks: Chunks) throws(XMLError) where Chunks.Element: Collection<UInt8> {
        var handler = xmlSAXHandler()
        handler.initialized = XML_SAX2_MAGIC
        handler.startElementNs = saxStartElement
        handler.endElementNs = saxEndElement
        handler.characters = saxCharacters
        handler.ignorableWhitespace = saxCharacters
        handler.cdataBlock = saxCharacters
        handler.internalSubset = saxDoctype
        handler.entityDecl = saxEntityDecl
        handler.serror = saxError

        let me = Unmanaged.passUnretained(self).toOpaque()
        guard let ctxt = xmlCreatePushParserCtxt(&handler, me, nil, 0, nil) else {
            throw XMLError(.malformed, "libxml2 could not create a parser context")
        }
        self.ctxt = ctxt
        defer {
            xmlFreeParserCtxt(ctxt)
            self.ctxt = nil
        }
        xmlCtxtUseOptions(ctxt, LibXML.safeOptions)

        for chunk in chunks {
            if error != nil { break }
            bytes += chunk.count
            if bytes > limits.maxDocumentBytes {
                fail(XMLError(.limitExceeded, "document is larger than \(limits.maxDocumentBytes) bytes"))
                break
            }
            let fed: Void? = chunk.withContiguousStorageIfAvailable { push($0) }
            if fed == nil { Array(chunk).withUnsafeBufferPointer { push($0) } }
        }
        if bytes == 0 { throw XMLError(.malformed, "document is empty (no bytes)") }
        if error == nil { xmlParseChunk(ctxt, nil, 0, 1) }
        if let error { throw error }
        if !sawRoot { throw XMLError(.malformed, "document is empty: no root element") }
        if ctxt.pointee.wellFormed == 0 { throw XMLError(.malformed, "document is not well-formed XML", line: line, column: column) }
    }

    /// Feeds one chunk in slices small enough for libxml2's `int` sizes and early refusal.
    private func push(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard let base = buffer.baseAddress, let ctxt else { return }
        var offset = 0
        let slice = 64 << 10
        while offset < buffer.count, error == nil {
            let n = min(slice, buffer.count - offset)
            // Attributes are counted before libxml2 reads them, so the limit stops the parse early.
            guard markup.scan(UnsafeBufferPointer(start: base + offset, count: n)) else {
                fail(XMLError(.limitExceeded, "more than \(limits.maxAttributesPerElement) attributes (namespace declarations included) on one element",
                              line: markup.line, column: 0))
                return
            }
            let rc = (base + offset).withMemoryRebound(to: CChar.self, capacity: n) { xmlParseChunk(ctxt, $0, Int32(n), 0) }
            if rc != 0, error == nil { fail(XMLError(.malformed, "libxml2 error \(rc)", line: line, column: column)) }
            offset += n
        }
    }

    var line: Int { ctxt.map { Int(xmlSAX2GetLineNumber(UnsafeMutableRawPointer($0))) } ?? 0 }
    var column: Int { ctxt.map { Int(xmlSAX2GetColumnNumber(UnsafeMutableRawPointer($0))) } ?? 0 }

    /// Records the first failure and stops libxml2; later errors are consequences, not causes.
    func fail(_ e: XMLError) {
        if error == nil { error = e }
        if let ctxt { xmlStopParser(ctxt) }
    }

    func deliver(_ event: XMLEvent) {
        guard error == nil else { return }
        do { try consume(event) } catch let e as XMLError { fail(e) } catch {
            fail(XMLError(.rejectedByConsumer, "\(error)", line: line, column: column))
        }
    }
}

private func session(_ ctx: UnsafeMutableRawPointer?) -> SAXSession? {
    ctx.map { Unmanaged<SAXSession>.fromOpaque($0).takeUnretainedValue() }
}

private let saxStartElement: startElementNsSAX2Func = { ctx, localname, prefix, uri, nbNamespaces, namespaces, nbAttributes, _, attributes in
    guard let s = session(ctx), s.error == nil else { return }
    s.depth += 1
    s.elements += 1
    s.textRun = 0
    s.sawRoot = true
    if s.depth > s.limits.maxDepth {
        return s.fail(XMLError(.limitExceeded, "elements nest deeper than \(s.limits.maxDepth)", line: s.line, column: s.column))
    }
    if s.elements > s.limits.maxElements {
        return s.fail(XMLError(.limitExceeded, "more than \(s.limits.maxElements) elements", line: s.line, column: s.column))
    }
    if Int(nbAttributes) + Int(nbNamespaces) > s.limits.maxAttributesPerElement {
        return s.fail(XMLError(
            .limitExceeded, "more than \(s.limits.maxAttributesPerElement) attributes (namespace declarations included) on one element",
            line: s.line, column: s.column))
    }
    if s.depth > 1 {
        s.children[s.depth - 2] += 1
        if s.children[s.depth - 2] > s.limits.maxChildrenPerElement {
            return s.fail(XMLError(.limitExceeded, "more than \(s.limits.maxChildrenPerElement) child elements in one element", line: s.line, column: s.column))
        }
    }
    if s.children.count < s.depth { s.children.append(0) } else { s.children[s.depth - 1] = 0 }
    var declarations: [XMLNamespaceDeclaration] = []
    if let namespaces, nbNamespaces > 0 {
        declarations.reserveCapacity(Int(nbNamespaces))
        for i in 0..<Int(nbNamespaces) {
            let p = namespaces[2 * i].map { String(xml: $0) }
            declarations.append(XMLNamespaceDeclaration(prefix: p, uri: namespaces[2 * i + 1].map { String(xml: $0) } ?? ""))
        }
    }
    var attrs: [XMLAttribute] = []
    if let attributes, nbAttributes > 0 {
        attrs.reserveCapacity(Int(nbAttributes))
        for i in 0..<Int(nbAttributes) {
            let base = 5 * i
            let local = attributes[base].map { String(xml: $0) } ?? ""
            let p = attributes[base + 1].map { String(xml: $0) }
            let ns = attributes[base + 2].map { String(xml: $0) }
            var value = ""
            if let start = attributes[base + 3], let end = attributes[base + 4] {
                value = String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)
                // Without entity substitution libxml2 hands `&` (from `&amp;` or `&#38;`) over as the
                // text `&#38;`; no other `&` can reach here, so undoing it is exact.
                if value.utf8.contains(0x26) { value = value.replacingAll("&#38;", with: "&") }
            }
            attrs.append(XMLAttribute(XMLName(local, namespace: ns), value, prefix: p))
        }
    }
    let tag = XMLStartTag(
        name: XMLName(localname.map { String(xml: $0) } ?? "", namespace: uri.map { String(xml: $0) }),
        prefix: prefix.map { String(xml: $0) }, namespaceDeclarations: declarations, attributes: attrs, line: s.line)
    s.deliver(.start(tag))
}

private let saxEndElement: endElementNsSAX2Func = { ctx, localname, _, uri in
    guard let s = session(ctx), s.error == nil else { return }
    s.depth -= 1
    s.textRun = 0
    s.deliver(.end(XMLName(localname.map { String(xml: $0) } ?? "", namespace: uri.map { String(xml: $0) })))
}

private let saxCharacters: charactersSAXFunc = { ctx, chars, len in
    guard let s = session(ctx), s.error == nil, let chars, len > 0 else { return }
    s.textRun += Int(len)
    if s.textRun > s.limits.maxTextBytes {
        return s.fail(XMLError(.limitExceeded, "a text node is longer than \(s.limits.maxTextBytes) bytes", line: s.line, column: s.column))
    }
    s.deliver(.text(String(decoding: UnsafeBufferPointer(start: chars, count: Int(len)), as: UTF8.self)))
}

private let saxDoctype: internalSubsetSAXFunc = { ctx, name, _, _ in
    guard let s = session(ctx) else { return }
    s.fail(XMLError(
        .doctypeForbidden, "DOCTYPE declaration <!DOCTYPE \(String(xml: name))> is not allowed (no DTDs or entities are accepted)",
        line: s.line, column: s.column))
}

private let saxEntityDecl: entityDeclSAXFunc = { ctx, name, _, _, _, _ in
    guard let s = session(ctx) else { return }
    s.fail(XMLError(.doctypeForbidden, "entity declaration \(String(xml: name)) is not allowed", line: s.line, column: s.column))
}

private let saxError: xmlStructuredErrorFunc = { ctx, err in
    guard let s = session(ctx), let err, err.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
    if s.error != nil { return }
    let message = (err.pointee.message.map { String(cString: $0) } ?? "XML error").trimmingXMLWhitespace()
    let line = err.pointee.line > 0 ? Int(err.pointee.line) : s.line
    s.error = XMLError(.malformed, message, line: line, column: Int(err.pointee.int2))
}
