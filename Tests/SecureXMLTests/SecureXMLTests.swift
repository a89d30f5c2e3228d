import ChildProcess
import Foundation
import Testing

@testable import SecureXML

typealias Repo = RepoFiles

extension RepoFiles {
    static func xmlFixtures() throws -> [String] {
        let base = root.appendingPathComponent("Fixtures/xml")
        var out: [String] = []
        let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)
        while let url = walker?.nextObject() as? URL {
            guard url.pathExtension == "xml" else { continue }
            out.append("Fixtures/xml/" + String(url.standardizedFileURL.path.dropFirst(base.standardizedFileURL.path.count + 1)))
        }
        return out.sorted()
    }
}

/// Compiled once per test process; compiling the CDS set takes a few hundred milliseconds.
enum Schemas {
    static let cdsSubmit = Result { try XMLSchemaSet(files: try Repo.files(under: "Schemas/xml/hmrc-cds-dms"), entry: "customs/wrapper_submit.xsd") }
    static let ics315 = Result { try XMLSchemaSet(files: try Repo.files(under: "Schemas/xml/hmrc-ics"), entry: "CC315A-v11-2.xsd") }
}

/// A lazily generated input: `<a>` repeated up to `total` bytes, counting what was pulled.
final class NestingBomb: Sequence, @unchecked Sendable {
    let total: Int
    private(set) var produced = 0
    init(total: Int) { self.total = total }

    func makeIterator() -> AnyIterator<[UInt8]> {
        let chunk = [UInt8](String(repeating: "<a>", count: 21_845).utf8)
        return AnyIterator {
            guard self.produced < self.total else { return nil }
            self.produced += chunk.count
            return chunk
        }
    }
}

@Suite struct SecureXMLParsingTests {
    @Test func resolvesNamespacesWhateverThePrefix() throws {
        let a = try SecureXMLParser().parse(#"<p:Root xmlns:p="urn:x"><p:Item code="1">A &amp; B</p:Item></p:Root>"#)
        let b = try SecureXMLParser().parse(#"<Root xmlns="urn:x"><Item code="1">A &amp; B</Item></Root>"#)
        #expect(a.root.name == XMLName("Root", namespace: "urn:x"))
        #expect(a.root.elements.map(\.name) == b.root.elements.map(\.name))
        #expect(a.root.child(XMLName("Item", namespace: "urn:x"))?.text == "A & B")
        #expect(b.root.child(local: "Item")?.attribute("code") == "1")
        #expect(a.root.child(local: "Item")?.line == 1)
    }

    @Test func dropsIndentationButKeepsTextContent() throws {
        let doc = try SecureXMLParser().parse("<a>\n  <b> x </b>\n  <!-- note -->\n  <c><![CDATA[<raw>]]></c>\n</a>")
        #expect(doc.root.children.count == 2)
        #expect(doc.root.child(local: "b")?.text == " x ")
        #expect(doc.root.child(local: "c")?.text == "<raw>")
        #expect(doc.root.child(local: "c")?.line == 4)
    }

    @Test func everySharedSampleParses() throws {
        let files = try Repo.xmlFixtures()
        #expect(files.count >= 12)
        for file in files {
            let doc = try SecureXMLParser().parse(try Repo.bytes(file))
            #expect(!doc.root.elements.isEmpty, "\(file)")
        }
    }

    @Test func streamsEventsInOrder() throws {
        var events: [String] = []
        try XMLEventReader().read(chunks: [Array("<a x='1'><b>hi".utf8), Array("</b><c/></a>".utf8)]) { event in
            switch event {
            case .start(let tag): events.append("+\(tag.name.localName)\(tag.attributes.map { "@\($0.name.localName)=\($0.value)" }.joined())")
            case .end(let name): events.append("-\(name.localName)")
            case .text(let t): events.append("'\(t)'")
            }
        }
        #expect(events == ["+a@x=1", "+b", "'hi'", "-b", "+c", "-c", "-a"])
    }

    @Test func consumerCanStopTheStream() {
        struct Enough: Error {}
        var seen = 0
        #expect(throws: XMLError.self) {
            try XMLEventReader().read(Array("<a><b/><b/><b/></a>".utf8)) { event in
                if case .start = event { seen += 1 }
                if seen == 2 { throw Enough() }
            }
        }
        #expect(seen == 2)
    }
}

@Suite struct HostileInputTests {
    @Test func xxeIsRefusedAndNeverReadsTheFile() throws {
        let secret = "customshub-secret-\(UUID().uuidString)"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("xxe-\(UUID().uuidString).txt")
        try secret.write(to: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: path) }
        let hostile = """
            <?xml version="1.0"?>
            <!DOCTYPE r [<!ENTITY xxe SYSTEM "file://\(path.path)">]>
            <r>&xxe;</r>
            """
        for input in [hostile, hostile.replacingOccurrences(of: "file://\(path.path)", with: "/etc/passwd")] {
            var captured = ""
            do {
                try XMLEventReader().read(Array(input.utf8)) { if case .text(let t) = $0 { captured += t } }
                Issue.record("XXE input was accepted")
            } catch {
                #expect(error.kind == .doctypeForbidden)
                #expect(error.line == 2)
                #expect(!error.message.contains(secret))
            }
            #expect(!captured.contains(secret) && !captured.contains("root:"))
            // The validation path builds a libxml2 tree; it must refuse the same way.
            let schema = try Schemas.cdsSubmit.get()
            do {
                _ = try schema.validate(Array(input.utf8))
                Issue.record("XXE input was accepted for validation")
            } catch {
                #expect(error.kind == .doctypeForbidden)
                #expect(error.line == 2)
            }
        }
    }

    @Test func parameterEntityAndExternalDTDAreRefused() {
        let inputs = [
            #"<!DOCTYPE r SYSTEM "http://127.0.0.1:9/evil.dtd"><r/>"#,
            #"<!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]><r/>"#,
        ]
        for input in inputs {
            #expect(throws: XMLError.self) { _ = try SecureXMLParser().parse(input) }
            do { _ = try SecureXMLParser().parse(input) } catch { #expect(error.kind == .doctypeForbidden) }
        }
    }

    @Test func billionLaughsIsRefusedFast() {
        var decl = #"<!ENTITY lol0 "lol">"#
        for i in 1...9 { decl += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i - 1);", count: 10) + "\">" }
        let bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\(decl)]>\n<lolz>&lol9;</lolz>"
        let start = ContinuousClock.now
        do {
            _ = try SecureXMLParser().parse(bomb)
            Issue.record("billion laughs accepted")
        } catch {
            #expect(error.kind == .doctypeForbidden)
        }
        #expect(ContinuousClock.now - start < .seconds(1))
    }

    @Test func undeclaredEntityIsMalformed() {
        do {
            _ = try SecureXMLParser().parse("<r>&nope;</r>")
            Issue.record("accepted")
        } catch {
            #expect(error.kind == .malformed)
            #expect(error.message.contains("nope"))
        }
    }

    @Test func gigabyteOfNestingStopsAfterTheFirstChunk() {
        let bomb = NestingBomb(total: 1 << 30)
        let start = ContinuousClock.now
        do {
            _ = try SecureXMLParser().parse(chunks: bomb)
            Issue.record("nesting bomb accepted")
        } catch {
            #expect(error.kind == .limitExceeded)
            #expect(error.message.contains("deeper than 128"))
        }
        #expect(bomb.produced < 1 << 20, "read \(bomb.produced) bytes")
        #expect(ContinuousClock.now - start < .seconds(1))
    }

    @Test func sizeLimitStopsBeforeReadingEverything() {
        let limits = XMLLimits(maxDocumentBytes: 100_000)
        let big = "<a>" + String(repeating: "<b>x</b>", count: 50_000) + "</a>"
        do {
            _ = try SecureXMLParser(limits: limits).parse(big)
            Issue.record("oversized accepted")
        } catch {
            #expect(error.kind == .limitExceeded)
        }
    }

    @Test func truncatedUTF8IsRefusedWithAPosition() {
        let cases: [[UInt8]] = [
            Array("<a>caf".utf8) + [0xC3] + Array("</a>".utf8),  // lead byte without its continuation
            Array("<a>caf".utf8) + [0xC3],  // cut in the middle of a character at end of input
            Array("<a><b>".utf8),  // cut in the middle of the document
            [0xFF, 0xFE, 0x00],
            [],
        ]
        for bytes in cases {
            do {
                _ = try SecureXMLParser().parse(bytes)
                Issue.record("accepted \(bytes)")
            } catch {
                #expect(error.kind == .malformed, "\(bytes): \(error)")
            }
        }
        do { _ = try SecureXMLParser().parse(Array("<a>\n caf".utf8) + [0xC3, 0x28] + Array("</a>".utf8)) } catch {
            #expect(error.line == 2)
            #expect(error.message.lowercased().contains("utf-8"))
        }
    }
}

@Suite struct XMLWriterTests {
    @Test func escapesAndRoundTrips() throws {
        let ns = "urn:example:order"
        let tree = XMLElement(
            XMLName("Order", namespace: ns), prefix: "o",
            attributes: [XMLAttribute("note", "a \"quoted\" <tag> & tab\tnew\nline\r"), XMLAttribute(XMLName("ref", namespace: "urn:other"), "x")],
            children: [
                .element(XMLElement(XMLName("Text", namespace: ns), text: "1 < 2 && 3 > 2 ]]> done\r\n")),
                .element(XMLElement(XMLName("Plain"), text: "no namespace")),
                .element(XMLElement(XMLName("Ctl", namespace: ns), text: "bell\u{7}")),
            ])
        for writer in [XMLWriter(), XMLWriter(indent: nil, declaration: false)] {
            let text = writer.string(tree)
            let back = try SecureXMLParser().parse(text).root
            #expect(back.name == tree.name)
            #expect(back.attributes.map(\.value) == tree.attributes.map(\.value))
            #expect(back.attributes.map(\.name) == tree.attributes.map(\.name))
            #expect(back.elements[0].text == "1 < 2 && 3 > 2 ]]> done\r\n")
            #expect(back.elements[1].name == XMLName("Plain"))
            #expect(back.elements[2].text == "bell\u{FFFD}")
        }
        let text = XMLWriter(indent: nil, declaration: false).string(tree)
        #expect(text.hasPrefix(#"<o:Order xmlns:o="urn:example:order" xmlns:ns1="urn:other" note="a &quot;quoted&quot; &lt;tag&gt; &amp; tab&#9;new&#10;line&#13;" ns1:ref="x">"#))
        #expect(text.contains(#"<Plain>no namespace</Plain>"#))
    }

    @Test func defaultNamespaceIsUndeclaredForUnqualifiedChildren() throws {
        let tree = XMLElement(XMLName("A", namespace: "urn:a"), children: [.element(XMLElement(XMLName("B"), text: "x"))])
        let text = XMLWriter(indent: nil, declaration: false).string(tree)
        #expect(text == #"<A xmlns="urn:a"><B xmlns="">x</B></A>"#)
        #expect(try SecureXMLParser().parse(text).root.elements[0].name == XMLName("B"))
    }
}

@Suite struct XMLSchemaValidationTests {
    @Test func hmrcDeclarationsValidate() throws {
        let schema = try Schemas.cdsSubmit.get()
        for file in ["Fixtures/xml/hmrc-cds/TT_IM001a_import_declaration.xml", "Fixtures/xml/hmrc-cds/TT_EX001a_export_declaration.xml"] {
            #expect(try schema.validate(try Repo.bytes(file)) == [], "\(file)")
        }
    }

    @Test func invalidDeclarationReportsLines() throws {
        let schema = try Schemas.cdsSubmit.get()
        var text = String(decoding: try Repo.bytes("Fixtures/xml/hmrc-cds/TT_IM001a_import_declaration.xml"), as: UTF8.self)
        text = text.replacingOccurrences(of: "<GoodsItemQuantity>1</GoodsItemQuantity>", with: "<GoodsItemQuantity>one</GoodsItemQuantity>")
        let issues = try schema.validate(Array(text.utf8))
        #expect(issues.count == 1)
        #expect(issues.first?.line == 35)
        #expect(issues.first?.message.contains("GoodsItemQuantity") == true)
    }

    @Test func icsSamplesMatchTheirKnownStatus() throws {
        let schema = try Schemas.ics315.get()
        #expect(try schema.validate(try Repo.bytes("Fixtures/xml/hmrc-ics/CC315A_valid_submission.xml")) == [])
        let full = try schema.validate(try Repo.bytes("Fixtures/xml/hmrc-ics/CC315A_full_ens.xml"))
        #expect(full.count == 5)
        #expect(full.allSatisfy { $0.line > 0 })
    }

    @Test func soapEnvelopesAreUnwrapped() throws {
        let schema = try Schemas.ics315.get()
        let body = String(decoding: try Repo.bytes("Fixtures/xml/hmrc-ics/CC315A_valid_submission.xml"), as: UTF8.self)
        for ns in [SOAP.soap11Envelope, SOAP.soap12Envelope] {
            let wrapped = #"<soap:Envelope xmlns:soap="\#(ns)"><soap:Header/><soap:Body>"# + body + "</soap:Body></soap:Envelope>"
            #expect(try schema.validate(Array(wrapped.utf8)) == [])
            #expect(try schema.validate(Array(wrapped.utf8), unwrapSOAP: false).count == 1)
            let payload = try SOAP.unwrap(try SecureXMLParser().parse(wrapped).root)
            #expect(payload.name == XMLName("CC315A", namespace: "http://ics.dgtaxud.ec/CC315A"))
        }
        // The payload's namespace declared only on the envelope must survive the unwrap.
        let inherited = #"<soap:Envelope xmlns:soap="\#(SOAP.soap11Envelope)" xmlns:ie="http://ics.dgtaxud.ec/CC315A"><soap:Body>"#
            + body.replacingOccurrences(of: #"<ie:CC315A xmlns:ie="http://ics.dgtaxud.ec/CC315A">"#, with: "<ie:CC315A>") + "</soap:Body></soap:Envelope>"
        #expect(!inherited.contains(#"<ie:CC315A xmlns"#))
        #expect(try schema.validate(Array(inherited.utf8)) == [])
        let broken = inherited.replacingOccurrences(of: "<TotNumOfIteHEA305>1</TotNumOfIteHEA305>", with: "<TotNumOfIteHEA305>x</TotNumOfIteHEA305>")
        let issues = try schema.validate(Array(broken.utf8))
        #expect(issues.count == 1)
        #expect(issues.first?.line == 10)  // the position in the envelope document, kept through the unwrap
        let fault = #"<s:Envelope xmlns:s="\#(SOAP.soap11Envelope)"><s:Body><s:Fault><faultstring>bad</faultstring></s:Fault></s:Body></s:Envelope>"#
        #expect(throws: XMLError.self) { _ = try SOAP.unwrap(try SecureXMLParser().parse(fault).root) }
    }

    @Test func schemaImportsOutsideTheGivenFilesAreRefused() throws {
        let xsd = #"""
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t">
              <xs:include schemaLocation="file:///etc/passwd"/>
              <xs:include schemaLocation="missing.xsd"/>
              <xs:element name="t" type="xs:string"/>
            </xs:schema>
            """#
        do {
            let schema = try XMLSchemaSet(files: ["t.xsd": Array(xsd.utf8)], entry: "t.xsd")
            // libxml2 may treat a failed include as a warning; then the schema must still work alone.
            #expect(try schema.validate(Array(#"<t xmlns="urn:t">x</t>"#.utf8)) == [])
        } catch {
            #expect(error.kind == .schema)
            #expect(!error.message.contains("root:"))
        }
        #expect(throws: XMLError.self) { _ = try XMLSchemaSet(files: [:], entry: "t.xsd") }
    }
}

@Suite struct ConcurrencyTests {
    /// libxml2 has process-wide state; parsing, validating and compiling from many tasks at once
    /// must neither crash nor mix up results.
    @Test func parallelParseValidateAndCompile() async throws {
        let schema = try Schemas.ics315.get()
        let valid = try Repo.bytes("Fixtures/xml/hmrc-ics/CC315A_valid_submission.xml")
        let full = try Repo.bytes("Fixtures/xml/hmrc-ics/CC315A_full_ens.xml")
        let files = try Repo.files(under: "Schemas/xml/hmrc-ics")
        let results = try await withThrowingTaskGroup(of: (Int, Int, Int).self) { group in
            for i in 0..<8 {
                group.addTask {
                    let compiled = i % 4 == 0 ? try XMLSchemaSet(files: files, entry: "CC315A-v11-2.xsd") : schema
                    var counts = (0, 0, 0)
                    for _ in 0..<5 {
                        counts.0 += try compiled.validate(valid).count
                        counts.1 += try compiled.validate(full).count
                        counts.2 += try SecureXMLParser().parse(full).root.elements.count
                    }
                    return counts
                }
            }
            var all: [(Int, Int, Int)] = []
            for try await r in group { all.append(r) }
            return all
        }
        #expect(results.count == 8)
        #expect(results.allSatisfy { $0.0 == 0 && $0.1 == 25 && $0.2 == results[0].2 })
    }
}
