import EDIFACT
import Foundation
import Testing

/// `edifact contrl` acknowledges as it reads (issue #21: the whole document of one 200k-segment
/// message took 231 MB); the streamed CONTRLs must be the bytes acknowledging the whole `Document` gives.
@Suite struct ContrlStreamTests {
    nonisolated(unsafe) static let grammars: GrammarSet? = try? Grammars.load()

    static func options(_ ic: Interchange) -> ContrlOptions {
        ContrlOptions(controlRef: String(ic.controlRef.prefix(14)), date: "20260115", time: "1200")
    }

    /// Each interchange's CONTRL as written, or `-` for one with no UNB.
    static func streamed(_ bytes: [UInt8], chunk: Int = 7, validate: Bool) -> [String] {
        func events(_ body: (EDIFACTReader.Event) -> Void) { readInChunks(bytes, chunk: chunk, body) }
        var outline = DocumentOutline()
        events { outline.add($0) }
        var validators = grammars.map { MessageValidators(grammars: $0, directory: nil) }
        let check: ((Message) -> [Diagnostic])? = validate ? { m in validators?.check(m, interchangeIndex: nil, messageIndex: nil).diagnostics ?? [] } : nil
        var stream = ContrlStream(readerErrors: outline.errors, check: check, options: options)
        var out: [String] = []
        var writer = EDIFACTWriter(options: .singleLine)
        func take(_ o: ContrlStream.Output?) {
            switch o {
            case .noHeader: out.append("-")
            case .acknowledgement(let ack, _, let rejected):
                out.append((rejected ? "rejected " : "") + ((try? writer.write(ack)).map { String(decoding: $0, as: UTF8.self) } ?? "unwritable"))
            case nil: break
            }
        }
        events { take(stream.add($0)) }
        take(stream.finish())
        return out
    }

    /// What `edifact contrl` did before it streamed: the whole document, every message validated,
    /// each interchange acknowledged with the reader's errors and the validation errors.
    static func whole(_ bytes: [UInt8], validate: Bool) -> [String] {
        let document = EDIFACTReader.read(bytes)
        var structural: [Diagnostic] = []
        if validate, let grammars {
            var validators = MessageValidators(grammars: grammars, directory: nil)
            for (i, ic) in document.interchanges.enumerated() {
                for (j, m) in ic.allMessages.enumerated() {
                    structural += validators.check(m, interchangeIndex: i, messageIndex: j).diagnostics.filter { $0.severity == .error }
                }
            }
        }
        var structuralByInterchange: [Int: [Diagnostic]] = [:]
        for d in structural { structuralByInterchange[d.interchangeIndex ?? -1, default: []].append(d) }
        var readerByInterchange: [Int: [Diagnostic]] = [:]
        for d in document.errors { readerByInterchange[d.interchangeIndex ?? -1, default: []].append(d) }
        var writer = EDIFACTWriter(options: .singleLine)
        var out: [String] = []
        for (i, ic) in document.interchanges.enumerated() {
            guard !ic.header.elements.isEmpty else {
                out.append("-")
                continue
            }
            let diagnostics = (readerByInterchange[i] ?? []) + (readerByInterchange[-1] ?? []) + (structuralByInterchange[i] ?? [])
            let ack = ContrlBuilder.acknowledge(ic, interchangeIndex: i, diagnostics: diagnostics, options: options(ic))
            out.append((diagnostics.isEmpty ? "" : "rejected ") + ((try? writer.write(ack)).map { String(decoding: $0, as: UTF8.self) } ?? "unwritable"))
        }
        return out
    }

    @Test(arguments: DocumentJSONStreamTests.inputs + [
        ("late group after UNZ", "UNB+UNOC:3+A+B+260101:1200+1'UNZ+0+1'UNG+CUSDEC+A+B+260101:1200+G1'UNH+1+CUSDEC:D:96B:UN'BGM+929'UNT+3+1'UNE+1+G1'"),
        ("release at end", "UNB+UNOC:3+A+B+260101:1200+1'UNH+1+CUSDEC:D:96B:UN'BGM+929'UNT+3+1'UNZ+1+1'UNB+UNOC:3+A+B+260101:1200+2'UNZ+0+2'?"),
    ])
    func streamedContrlIsTheWholeDocumentsContrl(_ name: String, _ text: String) throws {
        try #require(Self.grammars != nil)
        let bytes = Array(text.utf8)
        for validate in [false, true] {
            #expect(Self.streamed(bytes, validate: validate) == Self.whole(bytes, validate: validate), "\(name), validate \(validate)")
        }
    }

    @Test func fixturesAndRegressionsAcknowledgeTheSame() throws {
        try #require(Self.grammars != nil)
        var names = try Fixtures.allEdifact()
        names += try Fixtures.allEdifact(in: "synthetic").map { "synthetic/" + $0 }
        names += try Fixtures.allEdifact(in: "regressions").map { "regressions/" + $0 }
        try #require(names.count > 20)
        var rejectedByValidation = 0
        for name in names {
            let bytes = try Fixtures.bytes(name)
            let streamed = Self.streamed(bytes, chunk: 4096, validate: true)
            #expect(streamed == Self.whole(bytes, validate: true), "\(name)")
            #expect(Self.streamed(bytes, chunk: 4096, validate: false) == Self.whole(bytes, validate: false), "\(name)")
            if streamed.contains(where: { $0.contains("UCS+") }) { rejectedByValidation += 1 }
        }
        // The check reaches the CONTRL: some fixture gets segment errors (UCS) from its grammar.
        #expect(rejectedByValidation > 0)
    }

    @Test func largeMessageIsCheckedAndDroppedNotKept() throws {
        // The hostile shape of issue #21 (one message of many FTX segments), small here: the
        // streamed CONTRL rejects the same segments as the whole document's.
        let ftx = (0..<3000).map { "FTX+AAA+++N\($0)'" }.joined()
        let text = "UNB+UNOC:3+A+B+260101:1200+1'UNH+1+CUSDEC:D:96B:UN'BGM+929+X+9'" + ftx + "UNT+3003+1'UNZ+1+1'"
        let bytes = Array(text.utf8)
        let streamed = Self.streamed(bytes, chunk: 4096, validate: true)
        #expect(streamed == Self.whole(bytes, validate: true))
        #expect(streamed.count == 1 && streamed[0].hasPrefix("rejected ") && streamed[0].contains("UCM+1+CUSDEC:D:96B:UN+4"))
    }
}
