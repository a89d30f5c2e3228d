import CustomsModel
import Foundation
import JSONCore
@testable import Mapping
@testable import Pipeline
@testable import Risk
@testable import Screening
import Testing

/// The screening report and the risk assessment written member by member (`EngineJSON.swift`)
/// against the `JSONValueEncoder` encoding they replace in `evaluate`: the same text, and the parts
/// the decisions copy (lists, parties, matches, embargo, line risks, reasons) the encoder's parts,
/// so stored evaluations and decisions do not change.
@Suite struct EngineJSONTests {
    @Test func everyFixtureOrderEncodesAsTheEncoderDoes() throws {
        let engines = try TestEngines.loaded.get()
        let folder = repoRoot.appendingPathComponent("Fixtures/orders/valid")
        var checked = 0
        var withMatches = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where name.hasSuffix(".json") {
            let document = try JSONParser.parse(Array(try Data(contentsOf: folder.appendingPathComponent(name))))
            let check = engines.validator.check(document: document)
            guard case .checked(let decoded, let problems) = check, let order = decoded, !problems.contains(where: { $0.severity == .error }) else { continue }
            let report = try engines.screening.screenOrder(order, at: TestEngines.now)
            try expectSame(report, name)
            withMatches += report.parties.contains { !$0.matches.isEmpty } ? 1 : 0
            let risk = engines.risk.assess(order)
            try expectSame(risk, name)
            checked += 1
        }
        try #require(checked > 0)
        try #require(withMatches > 0, "no fixture order has a screening match: the matches' path is not compared")
    }

    /// Every optional member present and absent, numbers of every shape, and a score the encoder refuses.
    @Test func optionalsAndNumbersEncodeAsTheEncoderDoes() throws {
        let finding = RuleFinding(ruleID: "r-1", action: .review, subject: "destination", detail: "d \"q\"", authority: "OFAC", programme: "IRAN")
        let lists = [ScreeningService.ListStatus(list: "a", version: "1", published: "2026-01-01T00:00:00Z", ageDays: 3, stale: false),
                     ScreeningService.ListStatus(list: "b", version: "2", published: nil, ageDays: nil, stale: true)]
        var party = ScreeningService.PartyReport(id: "p1", role: "seller", name: "Zoë", decision: .clear, score: 0.1 + 0.2,
                                                 matches: [], embargo: [finding], listVersions: lists)
        let bare = ScreeningService.PartyReport(id: nil, role: nil, name: "x", decision: .block, score: 2, matches: [], embargo: [], listVersions: nil)
        let report = ScreeningService.OrderReport(id: "o", decision: .review, parties: [party, bare], route: [finding], listVersions: lists)
        try expectSame(report, "report")
        for score in [0.0, 1, 1e-7, 1e30, 123456789.125, -0.5] {
            party.score = score
            try expectSame(Self.text(party), party, "score \(score)")
        }
        party.score = .nan
        #expect(Self.text(party) == nil)
        #expect((try? JSONValueEncoder().encode(party)) == nil)

        let reasons = [RiskReason(code: "c", weight: 0.3, detail: "why"), RiskReason(code: "d", weight: 1, detail: "é")]
        let risk = RiskAssessment(policyVersion: "v", action: .holdForReview,
                                  lines: [LineRisk(lineID: "1", score: 0.51, route: .review, reasons: reasons), LineRisk(lineID: "2", score: 0, route: .continue, reasons: [])],
                                  parties: [PartyRisk(role: "seller", route: .block, reasons: reasons)], flaggedLines: ["1"])
        try expectSame(risk, "risk")
        var infinite = risk
        infinite.lines[0].score = .infinity
        #expect(Self.text(infinite) == nil)
        var heavy = risk
        heavy.parties[0].reasons[1].weight = .nan
        #expect(Self.text(heavy) == nil)
    }

    /// A filing's mapping notes: none, one, and several with escapes and non-ASCII text.
    @Test func mappingNotesEncodeAsTheEncoderDoes() throws {
        let notes = [MappingNote(path: "/a/b[0]", message: "value \"cut\" to 35", rule: "truncate"),
                     MappingNote(path: "", message: "é\n\u{1F}", rule: "")]
        for list in [[], Array(notes.prefix(1)), notes] {
            var w = JSONTextWriter()
            list.writeJSON(into: &w)
            try expectSame(w.take(), list, "\(list.count) notes")
        }
    }

    private func expectSame(_ written: String?, _ value: some Encodable, _ label: String) throws {
        let encoded = try JSONValueEncoder().encode(value)
        #expect(written == JSONWriter.write(encoded), "\(label)")
    }

    /// The report's text, and each part the decisions copy against the encoder's part.
    private func expectSame(_ report: ScreeningService.OrderReport, _ label: String) throws {
        let encoded = try JSONValueEncoder().encode(report)
        var w = JSONTextWriter()
        let written = report.writeJSON(into: &w)
        let parts = try #require(written, "\(label)")
        #expect(w.fragment(parts.lists).text == JSONWriter.write(encoded["list_versions"] ?? .null), "\(label)")
        let partiesEncoded = encoded["parties"]?.arrayValue ?? []
        try #require(parts.parties.count == partiesEncoded.count)
        for (written, party) in zip(parts.parties, partiesEncoded) {
            #expect(w.fragment(written.party).text == JSONWriter.write(party), "\(label)")
            #expect(w.fragment(written.matches).text == JSONWriter.write(party["matches"] ?? .null), "\(label)")
            #expect(w.fragment(written.embargo).text == JSONWriter.write(party["embargo"] ?? .null), "\(label)")
        }
        #expect(w.take() == JSONWriter.write(encoded), "\(label)")
    }

    private func expectSame(_ risk: RiskAssessment, _ label: String) throws {
        let encoded = try JSONValueEncoder().encode(risk)
        var w = JSONTextWriter()
        let written = risk.writeJSON(into: &w)
        let lines = try #require(written, "\(label)")
        let linesEncoded = encoded["lines"]?.arrayValue ?? []
        try #require(lines.count == linesEncoded.count)
        for (written, line) in zip(lines, linesEncoded) {
            #expect(w.fragment(written.line).text == JSONWriter.write(line), "\(label)")
            #expect(w.fragment(written.reasons).text == JSONWriter.write(line["reasons"] ?? .null), "\(label)")
        }
        #expect(w.take() == JSONWriter.write(encoded), "\(label)")
    }

    /// A party's or an assessment's text alone; nil when it cannot be written.
    static func text(_ party: ScreeningService.PartyReport) -> String? {
        var w = JSONTextWriter()
        return party.writeJSON(into: &w) == nil ? nil : w.take()
    }

    static func text(_ risk: RiskAssessment) -> String? {
        var w = JSONTextWriter()
        return risk.writeJSON(into: &w) == nil ? nil : w.take()
    }
}

/// A confidence or score stored as a `Decimal` is the one its three-place text parses to: the same
/// value, text and representation (a zero keeps the exponent −3 of `0.000`), for every thousandth
/// and for values outside 0…1 and not finite.
@Suite struct PipelineTextTests {
    @Test func decimalValueIsTheParsedText() {
        func bytes(_ d: Decimal) -> [UInt8] { withUnsafeBytes(of: d) { Array($0) } }
        let values = (0...1000).map { Double($0) / 1000 } + [0.0004, 0.0005, 0.9995, 0.8125, -0.2, 1.7, .nan, .infinity, -.infinity]
        for x in values {
            let parsed = Decimal(string: PipelineText.decimal(x))
            #expect(parsed != nil)
            guard let parsed else { continue }
            let made = PipelineText.decimalValue(x)
            #expect(made == parsed && made.description == parsed.description && bytes(made) == bytes(parsed), "\(x)")
        }
    }
}
