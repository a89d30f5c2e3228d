import EDIFACT
import Foundation
import Testing

enum Grammars {
    static func load() throws -> GrammarSet {
        let dir = Fixtures.root.appendingPathComponent("Data/edifact/grammars")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }.sorted()
        var list: [Grammar] = []
        for n in names {
            list.append(try Grammar.load(json: String(decoding: try Data(contentsOf: dir.appendingPathComponent(n)), as: UTF8.self), name: n))
        }
        return try GrammarSet(list)
    }

    static func validate(_ m: Message, directory: String? = nil, _ set: GrammarSet) throws -> [Diagnostic] {
        let g = try #require(set.resolve(type: m.type, directory: directory ?? m.directory))
        return StructureValidator(grammar: g).validate(m)
    }
}

func summary(_ ds: [Diagnostic]) -> [String] {
    ds.map { "\($0.code ?? 0) \($0.segmentTag ?? "?")@\($0.positionInMessage ?? 0)" + ($0.elementPosition.map { "/\($0)" } ?? "") }
}

@Suite struct GrammarTests {
    @Test func grammarFilesLoad() throws {
        let set = try Grammars.load()
        #expect(set.directories.contains("D96B"))
        #expect(set.resolve(type: "CUSDEC", directory: "D96B") != nil)
        #expect(set.resolve(type: "CUSDEC", directory: "D01B") != nil)
        #expect(set.resolve(type: "CUSRES", directory: "D96B") != nil)
        #expect(set.resolve(type: "CONTRL", directory: "41") != nil)
        #expect(set.resolve(type: "CONTRL", directory: "D3") != nil)
        #expect(set.resolve(type: "INVOIC", directory: "D97B") != nil)
        // D01B inherits segment definitions from D96B and overrides BGM.
        let d01 = try #require(set.resolve(type: "CUSDEC", directory: "D01B"))
        #expect(d01.segments["NAD"] != nil)
        #expect(d01.segments["BGM"]?.elements[1].id == "C106")
    }

    @Test func badGrammarFilesNameTheFileAndPlace() {
        #expect(throws: GrammarError.self) { try Grammar.load(json: "{\"directories\": [\"X\"], \"messages\": {\"M\": [\"UNH Q1\"]}}", name: "x.json") }
        do {
            _ = try Grammar.load(json: "{\"directories\": [\"X\"], \"segments\": {\"BGM\": [\"1004 an..x C\"]}}", name: "x.json")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("x.json"))
            #expect(error.description.contains("segments.BGM[0]"))
        }
        do {
            _ = try Grammar.load(json: "{\"directories\": [\n\"X\"", name: "y.json")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("y.json"))
            #expect(error.description.contains("line 2"))
        }
    }

    @Test func handBuiltCusdecAndCusresValidate() throws {
        let set = try Grammars.load()
        for name in ["synthetic/cusdec_d96b.edi", "synthetic/cusres_d96b.edi"] {
            let d = EDIFACTReader.read(try Fixtures.bytes(name))
            #expect(d.errors.isEmpty, "\(name): \(d.errors)")
            let m = try #require(d.interchanges.first?.messages.first)
            let errors = try Grammars.validate(m, set)
            #expect(errors.isEmpty, "\(name): \(errors)")
        }
    }

    @Test func theSameCusdecValidatesAsD01B() throws {
        let set = try Grammars.load()
        var m = try #require(EDIFACTReader.read(try Fixtures.bytes("synthetic/cusdec_d96b.edi")).interchanges.first?.messages.first)
        // D01B's BGM carries C106 (document identification) where D96B has 1004: same wire form here.
        #expect(try Grammars.validate(m, directory: "D01B", set).isEmpty)
        // Eleven header parties exceed D96B's SG6 (10) but not D01B's (99).
        let nad = try #require(m.first("NAD"))
        let at = try #require(m.segments.firstIndex(of: nad))
        m.segments.insert(contentsOf: Array(repeating: nad, count: 8), at: at)
        #expect(summary(try Grammars.validate(m, directory: "D96B", set)) == ["36 NAD@\(at + 11)"])
        #expect(try Grammars.validate(m, directory: "D01B", set).isEmpty)
    }

    @Test func brokenCusdecNamesTheGroupAndSegment() throws {
        let set = try Grammars.load()
        let good = try #require(EDIFACTReader.read(try Fixtures.bytes("synthetic/cusdec_d96b.edi")).interchanges.first?.messages.first)

        var noBGM = good
        noBGM.segments.removeAll { $0.tag == "BGM" }
        let missing = try Grammars.validate(noBGM, set)
        #expect(summary(missing) == ["13 BGM@2"])
        #expect(missing[0].message.contains("mandatory segment BGM"))

        var stray = good
        let cst2 = try #require(stray.segments.lastIndex { $0.tag == "CST" })
        stray.segments.insert(Segment("XYZ", ["1"]), at: cst2 + 2)
        let strayErrors = try Grammars.validate(stray, set)
        #expect(summary(strayErrors) == ["15 XYZ@\(cst2 + 3)"])
        #expect(strayErrors[0].groupPath == "SG30")

        var badValue = good
        let cnt = try #require(badValue.segments.firstIndex { $0.tag == "CNT" })
        badValue.segments[cnt] = Segment("CNT", ["5", "TWO"])
        let valueErrors = try Grammars.validate(badValue, set)
        #expect(summary(valueErrors) == ["37 CNT@\(cnt + 1)/1"])
        #expect(valueErrors[0].componentPosition == 2)

        var tooManyTaxes = good
        let tax = try #require(tooManyTaxes.segments.firstIndex { $0.tag == "TAX" })
        let pair = Array(tooManyTaxes.segments[tax...tax + 1])
        for _ in 0..<10 { tooManyTaxes.segments.insert(contentsOf: pair, at: tax) }
        let taxErrors = try Grammars.validate(tooManyTaxes, set)
        #expect(summary(taxErrors) == ["36 TAX@\(tax + 1 + 20)"])
        #expect(taxErrors[0].groupPath == "SG30")
    }

    /// UNS closes the detail section: it must not be taken as part of the last LIN group, and a
    /// second UNS is one too many.
    @Test func staediBadInvoiceReportsExactlyItsErrors() throws {
        let set = try Grammars.load()
        let good = try #require(EDIFACTReader.read(try Fixtures.bytes("staedi_invoic_d97b.edi")).interchanges.first?.messages.first)
        let goodErrors = try Grammars.validate(good, set)
        #expect(goodErrors.isEmpty, "\(goodErrors)")
        let bad = try #require(EDIFACTReader.read(try Fixtures.bytes("staedi_invoic_d97b_bad.edi")).interchanges.first?.messages.first)
        let errors = try Grammars.validate(bad, set)
        #expect(summary(errors) == ["39 NAD@5/1", "37 QTY@10/1", "37 PRI@13/1", "35 UNS@21"])
    }

    @Test func generatedContrlValidates() throws {
        let set = try Grammars.load()
        for name in ["smooks_unedifact-msg-02_custom_una.edi", "staedi_orders-with-group.edi", "pydifact_invoice1.edi"] {
            let d = EDIFACTReader.read(try Fixtures.bytes(name))
            for version in [3, 4] {
                let contrl = ContrlBuilder.acknowledge(d.interchanges[0], diagnostics: d.errors,
                                                        options: ContrlOptions(syntaxVersion: version, controlRef: "C1", date: "260115", time: "1200"))
                let m = contrl.messages[0]
                let errors = try Grammars.validate(m, set)
                if name == "staedi_orders-with-group.edi" {
                    // The fixture's association code EAN008B is longer than 0057 (an..6) allows;
                    // the CONTRL echoes it, and the validator says so.
                    #expect(summary(errors) == ["39 UCM@4/2"], "\(errors)")
                } else {
                    #expect(errors.isEmpty, "\(name) v\(version): \(errors)")
                }
            }
        }
    }
}
