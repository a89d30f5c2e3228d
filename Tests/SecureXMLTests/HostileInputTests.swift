import Foundation
import Testing

@testable import SecureXML

/// A start tag that never ends: `<a` then `piece` repeated up to `total` bytes, counting what was pulled.
final class EndlessTag: Sequence, @unchecked Sendable {
    let total: Int
    let piece: String
    private(set) var produced = 0
    init(piece: String, total: Int) {
        self.piece = piece
        self.total = total
    }

    func makeIterator() -> AnyIterator<[UInt8]> {
        var n = 0
        var first = true
        return AnyIterator {
            guard self.produced < self.total else { return nil }
            var chunk: [UInt8] = first ? Array("<a".utf8) : []
            first = false
            while chunk.count < 65_536 {
                chunk += Array(self.piece.replacingOccurrences(of: "#", with: String(n)).utf8)
                n += 1
            }
            self.produced += chunk.count
            return chunk
        }
    }
}

/// Issue #21 finding 5: limits that fired only after the whole start tag, or not at all.
@Suite struct SecureXMLHostileInputTests {
    // 400,000 namespace declarations on one element took 83 s, quadratically, and were not counted.
    @Test func namespaceDeclarationsCountAgainstTheAttributeLimit() {
        let input = EndlessTag(piece: " xmlns:p#=\"urn:x:#\"", total: 32 << 20)
        do {
            _ = try SecureXMLParser().parse(chunks: input)
            Issue.record("accepted")
        } catch {
            #expect(error.kind == .limitExceeded)
            #expect(error.message.contains("namespace declarations included"))
        }
        // Refused within the first chunks (the source overshoots by one piece), not after reading the whole 32 MiB tag.
        #expect(input.produced <= 1 << 18, "read \(input.produced) bytes")
    }

    // 200,000 plain attributes were parsed in full (18.5 s) before the 256 limit fired.
    @Test func attributeLimitStopsWhileParsing() {
        let input = EndlessTag(piece: "\n a#=\"v\"", total: 32 << 20)
        do {
            _ = try SecureXMLParser().parse(chunks: input)
            Issue.record("accepted")
        } catch {
            #expect(error.kind == .limitExceeded)
            #expect(error.line == 258, "\(error)")  // the 257th attribute, one per line from line 2
        }
        #expect(input.produced <= 1 << 18)
    }

    @Test func namespacesPlusAttributesAtTheLimitAreFine() throws {
        let ns = (0..<100).map { " xmlns:p\($0)=\"urn:\($0)\"" }.joined()
        let attrs = (0..<156).map { " a\($0)='>\($0)'" }.joined()
        let doc = try SecureXMLParser().parse("<!-- a=b c=d --><r\(ns)\(attrs)><![CDATA[x=y z=w]]><?pi q=1?></r>")
        #expect(doc.root.attributes.count == 156)
        #expect(throws: XMLError.self) { try SecureXMLParser().parse("<r\(ns)\(attrs) extra='1'/>") }
    }

    // 9 million sibling elements built a 1.4 GB tree.
    @Test func siblingsAndTreeElementsAreCapped() throws {
        let siblings = "<r>" + String(repeating: "<b/>", count: 100_001) + "</r>"
        do {
            _ = try SecureXMLParser().parse(siblings)
            Issue.record("accepted")
        } catch {
            #expect(error.kind == .limitExceeded && error.message.contains("100000 child elements"))
        }
        let wide = "<r>" + String(repeating: "<g>" + String(repeating: "<b/>", count: 50) + "</g>", count: 21) + "</r>"
        let small = XMLLimits(maxTreeElements: 1_000)
        #expect(throws: XMLError.self) { try SecureXMLParser(limits: small).parse(wide) }
        // The streaming reader keeps nothing, so it is bound by maxElements only.
        var events = 0
        try XMLEventReader(limits: small).read(Array(wide.utf8)) { _ in events += 1 }
        #expect(events > 2_000)
    }

    // An empty file said "Extra content at the end of the document"; errors said "line 1, column 0".
    @Test func emptyAndBrokenDocumentsSayWhatAndWhere() {
        do { _ = try SecureXMLParser().parse([UInt8]()) } catch { #expect(error.message.contains("empty")) }
        do {
            _ = try SecureXMLParser().parse("<a>\n<b>\n</a>")
            Issue.record("accepted")
        } catch {
            #expect(error.line == 3, "\(error)")
        }
    }
}
