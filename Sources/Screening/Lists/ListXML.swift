import Foundation
import SecureXML

/// What a list handler receives from `parseListXML`: element names are local names (namespaces
/// resolved and dropped), attributes by local name, and the line of the latest start tag.
protocol ListXMLHandler: AnyObject {
    /// A problem the handler found in well-formed XML (a missing field, a bad date).
    var problem: (line: Int, message: String)? { get }
    /// Whether the list's root element was seen.
    var sawRoot: Bool { get }
    func start(_ name: String, attributes: [String: String], line: Int)
    func characters(_ text: String)
    func end(_ name: String, line: Int)
}

/// Runs `handler` over a list file through SecureXML's hardened streaming reader (no DTD, no
/// entities, no network) and turns what went wrong into a load error: malformed XML, a problem the
/// handler found, or a missing root element (`missingRoot` is that message).
func parseListXML(_ data: Data, handler: some ListXMLHandler, file: String, missingRoot: String) throws(ListLoadError) {
    var line = 1
    do {
        try XMLEventReader().read(data) { event in
            switch event {
            case .start(let tag):
                line = tag.line
                var attributes: [String: String] = [:]
                for a in tag.attributes { attributes[a.name.localName] = a.value }
                handler.start(tag.name.localName, attributes: attributes, line: tag.line)
            case .text(let text): handler.characters(text)
            case .end(let name): handler.end(name.localName, line: line)
            }
        }
    } catch {
        throw ListLoadError(file: file, line: error.line > 0 ? error.line : line, message: "malformed XML (\(error.kind.rawValue): \(error.message))")
    }
    if let problem = handler.problem { throw ListLoadError(file: file, line: problem.line, message: problem.message) }
    guard handler.sawRoot else { throw ListLoadError(file: file, message: missingRoot) }
}
