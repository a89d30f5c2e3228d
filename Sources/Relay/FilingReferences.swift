import EDIFACT
import Foundation
import JSONCore
import Store

/// What a rendered filing can be found by when its gateway answers: the EDIFACT interchange and
/// message references and the document number (LRN); the XML declaration's functional reference
/// (LRN); a JSON filing's own reference fields. Answers carry one of these back (CONTRL names the
/// interchange, CUSRES and DMS notifications the LRN), so callbacks find their filing by them.
public enum FilingReferences {
    /// `jsonMessage`, when given, is the tree the body is the compact JSON text of (a rendered JSON
    /// filing's `RenderedFiling.jsonMessage`): a JSON body's references are read from it, which is
    /// what parsing the body back would give, without the parse.
    public static func extract(_ body: [UInt8], idempotencyKey: String, jsonMessage: JSONValue? = nil) -> [FilingReference] {
        var out = [FilingReference(kind: "idempotency_key", value: idempotencyKey)]
        let start = body.prefix(64).drop(while: { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF })
        switch start.first ?? 0 {
        case UInt8(ascii: "U"): out += edifact(body)
        case UInt8(ascii: "<"): out += xml(body)
        case UInt8(ascii: "{"): out += jsonMessage.map(json(tree:)) ?? json(body)
        default: break
        }
        return distinctNonEmpty(out)
    }

    /// `references` without empty values, each kept at its first place. A filing has a handful: they
    /// are compared with the ones kept so far instead of hashed into a `Set` (its storage and the
    /// hashing of every text cost more than the comparisons).
    static func distinctNonEmpty(_ references: [FilingReference]) -> [FilingReference] {
        guard references.count <= 16 else {
            var seen = Set<FilingReference>()
            return references.filter { !$0.value.isEmpty && seen.insert($0).inserted }
        }
        var kept: [FilingReference] = []
        kept.reserveCapacity(references.count)
        for reference in references where !reference.value.isEmpty && !kept.contains(reference) { kept.append(reference) }
        return kept
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

    /// The first `FunctionalReferenceID` (WCO DEC, the LRN), `RefNumHEA4` (an ICS entry summary's
    /// LRN) or `LRN` element's text.
    static func xml(_ body: [UInt8]) -> [FilingReference] {
        var out: [FilingReference] = []
        for start in openingTagEnds(referenceTags, in: body) {
            guard let start, let end = closingTagStart(in: body, from: start) else { continue }
            let value = trimmed(body[start..<end])
            // Foundation's `contains` is asked only when the byte is there (it costs more than the scan).
            if !value.isEmpty && !(value.utf8.contains(UInt8(ascii: "<")) && value.contains("<")) { out.append(.init(kind: "lrn", value: value)) }
        }
        return out
    }

    /// The element's text without the white space and newlines around it (Foundation's
    /// `whitespacesAndNewlines`). ASCII white space is cut from the bytes; Foundation is asked only
    /// when a non-ASCII character is left at either end (NBSP, NEL, U+2028 …): building its
    /// character set cost more than the rest of the scan.
    static func trimmed(_ bytes: ArraySlice<UInt8>) -> String {
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
        var lo = bytes.startIndex, hi = bytes.endIndex
        while lo < hi && isSpace(bytes[lo]) { lo += 1 }
        while hi > lo && isSpace(bytes[hi - 1]) { hi -= 1 }
        let text = String(decoding: bytes[lo..<hi], as: UTF8.self)
        guard lo < hi, bytes[lo] >= 0x80 || bytes[hi - 1] >= 0x80 else { return text }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static let referenceTags: [[UInt8]] = ["FunctionalReferenceID", "RefNumHEA4", "LRN", "LocalReferenceNumber"].map { Array($0.utf8) }

    /// Per tag, where the content of its first `<tag>` or `<prefix:tag …>` element starts: a byte
    /// scan for what the pattern `<([A-Za-z0-9_]+:)?TAG(\s[^>]*)?>` finds (a regular expression over
    /// the whole body was a twentieth of the time per submitted order), for every tag in one pass
    /// over the body's `<`s (a pass per tag was 2 % of a submit), over the raw bytes (`memchr` to
    /// the next `<`, a tag compared only when its first byte matches).
    /// `[A-Za-z0-9_]` by byte: one load per byte of a tag name instead of four range tests.
    static let nameBytes: [Bool] = (0..<256).map { b in
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }

    static func openingTagEnds(_ tags: [[UInt8]], in body: [UInt8]) -> [Int?] {
        body.withUnsafeBufferPointer { b in openingTagEnds(tags, in: b) }
    }

    static func openingTagEnds(_ tags: [[UInt8]], in body: UnsafeBufferPointer<UInt8>) -> [Int?] {
        var found = [Int?](repeating: nil, count: tags.count)
        guard let base = body.baseAddress else { return found }
        let n = body.count
        let names = nameBytes
        func isNameByte(_ b: UInt8) -> Bool { names[Int(b)] }
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0C || b == 0x0D }  // ICU's \s, ASCII part
        func next(_ byte: UInt8, from i: Int) -> Int? {
            guard i < n, let p = memchr(base + i, Int32(byte), n - i) else { return nil }
            return base.distance(to: p.assumingMemoryBound(to: UInt8.self))
        }
        // After the tag name: `>` at once, or white space and anything up to the first `>`.
        func contentStart(afterName i: Int) -> Int? {
            guard i < n else { return nil }
            if base[i] == UInt8(ascii: ">") { return i + 1 }
            guard isSpace(base[i]) else { return nil }
            return next(UInt8(ascii: ">"), from: i + 1).map { $0 + 1 }
        }
        func name(_ tag: [UInt8], at i: Int) -> Bool {
            guard i + tag.count <= n, base[i] == tag[0] else { return false }
            return tag.withUnsafeBufferPointer { memcmp(base + i, $0.baseAddress!, tag.count) == 0 }
        }
        // A tag is looked at only when its first byte is the one after `<` or after the prefix's
        // `:` (closing tags and most others are passed over without touching the tag list).
        let firsts = tags.map { $0.first ?? 0 }
        var left = tags.count
        var i = 0
        while left > 0, let lt = next(UInt8(ascii: "<"), from: i) {
            i = lt + 1
            // A closing tag, a comment or a declaration (`</`, `<!`, `<?`) has no name byte after
            // the `<`, so neither form can match: passed over at once (half of all tags).
            guard lt + 1 < n, isNameByte(base[lt + 1]) else { continue }
            // With a namespace prefix first, as the pattern tries it, then without.
            var j = lt + 2
            while j < n && isNameByte(base[j]) { j += 1 }
            let prefixed = j > lt + 1 && j < n && base[j] == UInt8(ascii: ":")
            let plainFirst: UInt8 = lt + 1 < n ? base[lt + 1] : 0
            let prefixedFirst: UInt8 = prefixed && j + 1 < n ? base[j + 1] : 0
            for t in 0..<tags.count where found[t] == nil && (firsts[t] == plainFirst || (prefixed && firsts[t] == prefixedFirst)) {
                let tag = tags[t]
                if prefixed, name(tag, at: j + 1), let start = contentStart(afterName: j + 1 + tag.count) {
                    found[t] = start
                } else if name(tag, at: lt + 1), let start = contentStart(afterName: lt + 1 + tag.count) {
                    found[t] = start
                }
                if found[t] != nil { left -= 1 }
            }
        }
        return found
    }

    /// The first `</` at or after `from`.
    static func closingTagStart(in body: [UInt8], from: Int) -> Int? {
        body.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return nil }
            var i = from
            while i + 1 < b.count, let p = memchr(base + i, Int32(UInt8(ascii: "<")), b.count - 1 - i) {
                let at = base.distance(to: p.assumingMemoryBound(to: UInt8.self))
                if base[at + 1] == UInt8(ascii: "/") { return at }
                i = at + 1
            }
            return nil
        }
    }

    static func json(_ body: [UInt8]) -> [FilingReference] {
        // Only the top object's members and those of the objects in it are read: the document is
        // checked whole, but not built below them.
        guard let tree = try? JSONParser.parse(body, keepingLevels: 2) else { return [] }
        return json(tree: tree)
    }

    static func json(tree: JSONValue) -> [FilingReference] {
        var out: [FilingReference] = []
        for node in [tree, tree["data"], tree["order"]].compactMap({ $0 }) {
            for (key, kind) in jsonReferenceKeys {
                if let v = node[key]?.stringValue { out.append(.init(kind: kind, value: v)) }
            }
        }
        return out
    }

    /// The members a JSON filing's references are read from, in key order, with their kinds.
    static let jsonReferenceKeys: [(key: String, kind: String)] =
        ["reference": "lrn", "external_reference": "lrn", "lrn": "lrn", "order_reference": "lrn", "tracking_code": "tracking"]
            .sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
}
