import CLibXML2
import Synchronization

/// libxml2's process-wide set-up, done exactly once before any parser context exists.
///
/// Two globals of libxml2 matter for safety: the parser must be initialised once (it is not safe to
/// race `xmlInitParser`), and the external entity loader decides what any parser in the process may
/// read. We replace that loader with one that serves only schema files handed to us in memory
/// (`InMemorySchemaFiles`) and refuses every other URL, so no document, DTD or schema can make
/// libxml2 open a local file or the network. Note that this also applies to FoundationXML, which uses
/// the same libxml2.
enum LibXML {
    static let ready: Void = {
        xmlInitParser()
        xmlSetExternalEntityLoader(inMemoryOnlyLoader)
    }()

    static func ensureReady() { _ = ready }

    /// Options for every libxml2 parse: no network, no DTD loading, no entity substitution, no
    /// XInclude (none of NOENT, DTDLOAD, DTDATTR, XINCLUDE, HUGE is set), and no stderr noise.
    static let safeOptions: Int32 = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
}

/// Schema files registered for the duration of one schema compilation, keyed by a private URL
/// scheme so that relative `schemaLocation`s resolve between them like paths.
enum InMemorySchemaFiles {
    static let scheme = "customshub-xsd"
    private static let files = Mutex<[String: [UInt8]]>([:])
    private static let counter = Atomic<Int>(0)

    /// Registers `files` (relative path → bytes) under a fresh base URL, runs `body`, unregisters.
    static func with<T>(_ files: [String: [UInt8]], _ body: (_ baseURL: String) throws -> T) rethrows -> T {
        let id = counter.add(1, ordering: .relaxed).newValue
        let base = "\(scheme)://set\(id)/"
        let keys = files.map { (base + normalise($0.key), $0.value) }
        Self.files.withLock { table in for (k, v) in keys { table[k] = v } }
        defer { Self.files.withLock { table in for (k, _) in keys { table[k] = nil } } }
        return try body(base)
    }

    static func lookup(_ url: String) -> [UInt8]? { files.withLock { $0[url] } }

    private static func normalise(_ path: String) -> String {
        var parts: [Substring] = []
        for p in path.split(separator: "/") {
            if p == "." || p.isEmpty { continue }
            if p == "..", !parts.isEmpty { parts.removeLast() } else { parts.append(p) }
        }
        return parts.joined(separator: "/")
    }
}

private let inMemoryOnlyLoader: xmlExternalEntityLoader = { url, _, ctxt in
    guard let url else { return nil }
    guard let bytes = InMemorySchemaFiles.lookup(String(cString: url)) else { return nil }
    let buffer = bytes.withUnsafeBufferPointer { raw in
        raw.withMemoryRebound(to: CChar.self) { xmlParserInputBufferCreateMem($0.baseAddress, Int32(raw.count), XML_CHAR_ENCODING_NONE) }
    }
    guard let buffer else { return nil }
    guard let input = xmlNewIOInputStream(ctxt, buffer, XML_CHAR_ENCODING_NONE) else {
        xmlFreeParserInputBuffer(buffer)
        return nil
    }
    // The document URL is what later relative schemaLocations resolve against.
    input.pointee.filename = UnsafePointer(OpaquePointer(xmlCharStrdup(url)))
    return input
}

extension String {
    /// A Swift string from a libxml2 `xmlChar*` (UTF-8, NUL-terminated); empty for NULL.
    init(xml pointer: UnsafePointer<xmlChar>?) {
        guard let pointer else {
            self = ""
            return
        }
        self = String(cString: pointer)
    }
}
