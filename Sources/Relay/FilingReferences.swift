import EDIFACT
import Foundation
import JSONCore
import Store

/// What a rendered filing can be found by when its gateway answers: the EDIFACT interchange and
/// message references and the document number (LRN); the XML declaration's functional reference
/// (LRN); a JSON filing's own reference fields. Answers carry one of these back (CONTRL names the
/// interchange, CUSRES and DMS notifications the LRN), so callbacks find their filing by them.
public enum FilingReferences {
    public static func extract(_ body: [UInt8], idempotencyKey: String) -> [FilingReference] {
        var out = [FilingReference(kind: "idempotency_key", value: idempotencyKey)]
        let start = body.prefix(64).drop(while: { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF })
        switch start.first ?? 0 {
        case UInt8(ascii: "U"): out += edifact(body)
        case UInt8(ascii: "<"): out += xml(body)
        case UInt8(ascii: "{"): out += json(body)
        default: break
        }
        var seen = Set<FilingReference>()
        return out.filter { !$0.value.isEmpty && seen.insert($0).inserted }
    }

    static func edifact(_ body: [UInt8]) -> [FilingReference] {
        var out: [FilingReference] = []
        for interchange in EDIFACTReader.read(body).interchanges {
            out.append(.init(kind: "interchange", value: interchange.controlRef))
            for message in interchange.allMessages {
                out.append(.init(kind: "message", value: interchange.controlRef + "/" + message.controlRef))
                if let number = message.first("BGM")?.value(1), !number.isEmpty { out.append(.init(kind: "lrn", value: number)) }
                for rff in message.segments("RFF") where rff.value(0, 0) == "ABO" {
                    if let v = rff.value(0, 1) { out.append(.init(kind: "lrn", value: v)) }
                }
            }
        }
        return out
    }

    /// The first `FunctionalReferenceID` (WCO DEC, the LRN) or `LRN` element's text.
    static func xml(_ body: [UInt8]) -> [FilingReference] {
        let text = String(decoding: body, as: UTF8.self)
        var out: [FilingReference] = []
        for tag in ["FunctionalReferenceID", "LRN", "LocalReferenceNumber"] {
            guard let open = text.range(of: #"<([A-Za-z0-9_]+:)?"# + tag + #"(\s[^>]*)?>"#, options: .regularExpression),
                  let close = text.range(of: "</", range: open.upperBound..<text.endIndex) else { continue }
            let value = text[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
            if !value.isEmpty && !value.contains("<") { out.append(.init(kind: "lrn", value: value)) }
        }
        return out
    }

    static func json(_ body: [UInt8]) -> [FilingReference] {
        guard let tree = try? JSONParser.parse(body) else { return [] }
        var out: [FilingReference] = []
        let names = ["reference": "lrn", "external_reference": "lrn", "lrn": "lrn", "order_reference": "lrn", "tracking_code": "tracking"]
        for node in [tree, tree["data"], tree["order"]].compactMap({ $0 }) {
            for (key, kind) in names.sorted(by: { $0.key < $1.key }) {
                if let v = node[key]?.stringValue { out.append(.init(kind: kind, value: v)) }
            }
        }
        return out
    }
}
