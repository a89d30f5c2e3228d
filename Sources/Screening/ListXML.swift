import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What the XML list handlers report back to `parseListXML`.
protocol ListXMLHandler: XMLParserDelegate {
    /// The first fatal parser error and its line.
    var parseFailure: (Int, (any Error)?)? { get }
    /// A problem the handler found in well-formed XML (a missing field, a bad date).
    var problem: (line: Int, message: String)? { get }
    /// Whether the list's root element was seen.
    var sawRoot: Bool { get }
}

/// Runs `handler` over a list file and turns what went wrong into a load error: malformed XML, a
/// problem the handler found, or a missing root element (`missingRoot` is that message).
func parseListXML(_ data: Data, handler: some ListXMLHandler, file: String, missingRoot: String) throws(ListLoadError) {
    let parser = XMLParser(data: data)
    parser.delegate = handler
    // On Linux `parse()` can return true after a fatal error, so the delegate's report counts too.
    let ok = parser.parse()
    if let failure = handler.parseFailure ?? (ok ? nil : (parser.lineNumber, parser.parserError)) {
        let code = (failure.1 as NSError?).map { " (XML parser error \($0.code))" } ?? ""
        throw ListLoadError(file: file, line: failure.0, message: "malformed XML\(code)")
    }
    if let problem = handler.problem { throw ListLoadError(file: file, line: problem.line, message: problem.message) }
    guard handler.sawRoot else { throw ListLoadError(file: file, message: missingRoot) }
}
