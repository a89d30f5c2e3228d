import Foundation
import Testing

/// `customs-hub quote`: JSON lines in, one JSON line out per request, in order; errors name the field.
@Suite(.serialized) struct QuoteCommandTests {
    /// A pack folder with the EU rules only (the full folder loads 65k rules, too slow for a debug test).
    func euPacks() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("quote-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for f in ["jurisdiction", "thresholds", "fees", "vat-rates", "preferences"] {
            try FileManager.default.copyItem(
                at: CLI.root.appendingPathComponent("Data/packs/EU/\(f).jsonl"), to: dir.appendingPathComponent("\(f).jsonl"))
        }
        return dir
    }

    @Test func quotesEachLineInOrder() async throws {
        let dir = try euPacks()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = [
            #"{"id":"a","date":"2026-06-30","destination":"DE","origin":"CN","currency":"EUR","lines":[{"hs_code":"64041100","quantity":1,"value":"80"},{"hs_code":"42022100","quantity":1,"value":"30"}],"shipping":"10","incoterm":"DDP","seller_registrations":["IOSS"]}"#,
            "not json",
            #"{"id":"c","date":"2026-07-01","destination":"DE","origin":"CN","currency":"EUR","lines":[{"hs_code":"64041100","quantity":1,"value":"80"}],"shipping":"10","channel":"pigeon"}"#,
            #"{"id":"d","date":"2026-07-01","destination":"DE","origin":"CN","currency":"EUR","lines":[{"hs_code":"64041100","quantity":1,"value":"80"},{"hs_code":"42022100","quantity":1,"value":"30"}],"shipping":"10","incoterm":"DDP","seller_registrations":["IOSS"]}"#,
        ].joined(separator: "\n")
        let r = try await CLI.run(["quote", "--packs", dir.path], stdin: Data(input.utf8))
        #expect(r.status == 0)
        let out = r.stdout.split(separator: "\n").map(String.init)
        #expect(out.count == 4)
        #expect(out[0].contains(#""id":"a""#) && out[0].contains(#""duty":0.00"#) && out[0].contains(#""vat":22.80"#))
        #expect(out[0].contains(#""vat_collected_at":"point_of_sale""#))
        #expect(out[1].contains(#""field":"$""#))
        #expect(out[2].contains(#"{"id":"c","error":{"field":"channel""#))
        #expect(out[3].contains(#""duty":6.00"#) && out[3].contains("EU_FLAT_DUTY_3"))
        #expect(out[3].contains(#""data_versions":["eu-jurisdiction@"#))
    }
}
