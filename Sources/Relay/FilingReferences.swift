import AdapterKit
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
    /// `xmlMessage`, when given, is the tree an XML body was written from by the tree convention
    /// (`RenderedFiling.xmlMessage`): its references are read from the tree, which gives what the
    /// scan of the body gives, without the scan; a tree the scan might read otherwise is not used.
    public static func extract(_ body: [UInt8], idempotencyKey: String, jsonMessage: JSONValue? = nil,
                               xmlMessage: XMLMessageTree? = nil) -> [FilingReference] {
        var out = [FilingReference(kind: "idempotency_key", value: idempotencyKey)]
        let start = body.prefix(64).drop(while: { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF })
        switch start.first ?? 0 {
        case UInt8(ascii: "U"): out += edifact(body)
        case UInt8(ascii: "<"): out += xmlMessage.flatMap(xml(tree:)) ?? xml(body)
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
            if !value.isEmpty && !value.contains("<") { out.append(.init(kind: "lrn", value: value)) }
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

    /// What `xml(_:)` finds in the body `XMLMessageWriter` writes from `message`, read from the tree
    /// instead of scanned out of the body's bytes. The writer's body holds a `<`
    /// followed by a name byte only where an element starts (text and attribute values are
    /// escaped), in the tree's order, so the scan's first `<TAG>` or `<prefix:TAG …>` is the first
    /// element named `TAG` that the writer writes with content: a scalar, or an object with text.
    /// Nil, and the body is scanned, for anything the scan might read otherwise: a prefix the scan
    /// does not read as one (a byte outside `[A-Za-z0-9_]`), a name with an unusual colon, and a
    /// reference element that is the root, has attributes or children, or text the writer escapes.
    static func xml(tree message: XMLMessageTree) -> [FilingReference]? {
        guard message.namespacePrefixes.allSatisfy({ $0.utf8.allSatisfy { nameBytes[Int($0)] } }),
              let members = message.tree.objectValue?.members else { return nil }
        let roots = members.filter { isElement($0.key) || $0.key == "_text" }
        guard roots.count == 1, let root = roots.first, case .none = elementTag(root.key),
              case .object(let rootObject) = root.value else { return nil }
        var walk = ReferenceWalk()
        guard walk.children(of: rootObject) else { return nil }
        var out: [FilingReference] = []
        for text in walk.texts {
            guard let text else { continue }
            let value = trimmed(ArraySlice(text.utf8))
            if !value.isEmpty { out.append(.init(kind: "lrn", value: value)) }
        }
        return out
    }

    /// The walk of `xml(tree:)`: the text of the first written element of each reference tag, in
    /// the writer's order (members in order, an array's items in order).
    struct ReferenceWalk {
        var texts = [String?](repeating: nil, count: FilingReferences.referenceTags.count)
        var left = FilingReferences.referenceTags.count

        /// The elements an object's members stand for; false when unsure.
        mutating func children(of object: JSONObject) -> Bool {
            // Read in place (an iterator copies each member: a retain and a release).
            object.members.withUnsafeBufferPointer { members in
                for k in members.indices where left > 0 && FilingReferences.isElement(members[k].key) {
                    guard visit(members[k].key, members[k].value) else { return false }
                }
                return true
            }
        }

        /// The elements member `key` with `value` stands for; false when unsure.
        mutating func visit(_ key: String, _ value: JSONValue) -> Bool {
            let tag: Int?
            switch FilingReferences.elementTag(key) {
            case .none: tag = nil
            case .tag(let t): tag = texts[t] == nil ? t : nil
            case .unsure: return false
            }
            switch value {
            case .null:
                return true
            case .array(let items):
                for item in items where left > 0 { guard visit(key, item) else { return false } }
                return true
            case .string, .number, .bool:
                guard let tag else { return true }
                return found(tag, value.scalarText ?? "")
            case .object(let object):
                guard let tag else { return children(of: object) }
                // Written `<TAG/>` (no content: the scan passes it by), or holding one text alone.
                var text: String?
                for (member, v) in object.members {
                    if member.utf8.first == UInt8(ascii: "@") {
                        if v != .null { return false }
                    } else if member == "_text" {
                        if v == .null { continue }
                        guard text == nil else { return false }
                        text = v.scalarText ?? ""
                    } else if FilingReferences.writesAnElement(v) {
                        return false
                    }
                }
                guard let text else { return true }
                return found(tag, text)
            }
        }

        /// The first element named `referenceTags[tag]` holds `text`, written as is.
        mutating func found(_ tag: Int, _ text: String) -> Bool {
            guard !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0xEF }) else { return false }
            texts[tag] = text
            left -= 1
            return true
        }
    }

    /// Whether a member of a message tree is a child element (not an `@attribute` or the `_text`).
    static func isElement(_ key: String) -> Bool {
        switch key.utf8.first {
        case UInt8(ascii: "@")?: false
        case UInt8(ascii: "_")?: key != "_text"
        default: true
        }
    }

    /// Which of `referenceTags` the element the XML writer writes for member `key` is named, by its
    /// local name (after the colon of `prefix:name`). A written local name ends where the key ends,
    /// so a key whose last byte ends no tag is none of them (most keys: one load). `.unsure` for
    /// a key ending like a tag whose colons the writer reads otherwise (first or last, several,
    /// or with non-ASCII).
    enum ElementTag { case none, tag(Int), unsure }

    static func elementTag(_ key: String) -> ElementTag {
        var key = key
        return key.withUTF8 { b in
            guard let last = b.last, last == UInt8(ascii: "N") || last == UInt8(ascii: "4") || last == UInt8(ascii: "r") || last == UInt8(ascii: "D")
            else { return .none }
            guard let colon = b.firstIndex(of: UInt8(ascii: ":")) else { return tag(named: UnsafeBufferPointer(rebasing: b[...])) }
            guard colon != 0, colon != b.count - 1, b.allSatisfy({ $0 < 0x80 }) else { return .unsure }
            let local = UnsafeBufferPointer(rebasing: b[(colon + 1)...])
            return local.contains(UInt8(ascii: ":")) ? .unsure : tag(named: local)
        }
    }

    private static func tag(named name: UnsafeBufferPointer<UInt8>) -> ElementTag {
        for (t, tag) in referenceTags.enumerated() where tag.count == name.count && tag.elementsEqual(name) { return .tag(t) }
        return .none
    }

    /// Whether `value`, a member's, makes the writer write an element (null does not, nor an array
    /// of nothing else).
    static func writesAnElement(_ value: JSONValue) -> Bool {
        switch value {
        case .null: false
        case .array(let items): items.contains(where: writesAnElement)
        default: true
        }
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
