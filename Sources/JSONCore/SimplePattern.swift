/// A regular expression checked without Swift `Regex` when it is simple enough, which the patterns
/// of schemas and mappings almost all are (`^[A-Z]{2}$`, `^(GB|XI)[0-9]{12}([0-9]{3})?$`): `Regex`
/// builds match state and capture lists per call, which made it most of a pattern check's cost.
///
/// `matches` answers as `(try? Regex(source).firstMatch(in: text)) != nil` does. The byte matcher
/// takes literals, `\d`, escaped punctuation, bracket classes with ranges (negated too), groups
/// with alternatives and the greedy quantifiers `? * + {n} {n,} {n,m}`, with `^` at the start and
/// `$` at the end; any other pattern, and any text with a control character, a non-ASCII one
/// (`Regex` matches by grapheme) or more than 256 bytes, goes to `Regex`.
public struct CompiledPattern: @unchecked Sendable {
    public let source: String
    let regex: Regex<AnyRegexOutput>
    let simple: SimplePattern?

    /// Throws when `Regex` cannot compile the pattern.
    public init(_ source: String) throws {
        self.source = source
        self.regex = try Regex(source)
        self.simple = SimplePattern(source)
    }

    /// True when the pattern matches somewhere in `text`.
    public func matches(_ text: String) -> Bool {
        if let simple, let answer = simple.matches(text) { return answer }
        return (try? regex.firstMatch(in: text)) != nil
    }
}

struct SimplePattern: Sendable {
    indirect enum Node: Sendable {
        /// A set of ASCII bytes (128 flags).
        case set([Bool])
        /// Alternatives, each a sequence.
        case group([[Item]])
    }

    struct Item: Sendable {
        var node: Node
        var min: Int
        var max: Int
    }

    let items: [Item]
    let anchoredStart: Bool
    let anchoredEnd: Bool

    static let maxInput = 256

    /// nil when the pattern uses anything the byte matcher does not take.
    init?(_ source: String) {
        let p = Array(source.utf8)
        guard p.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        var parser = Parser(p: p)
        if parser.peek == UInt8(ascii: "^") { parser.i += 1; anchoredStart = true } else { anchoredStart = false }
        guard let seq = parser.sequence(topLevel: true) else { return nil }
        var end = false
        if parser.peek == UInt8(ascii: "$") {
            parser.i += 1
            end = true
        }
        guard parser.i == p.count else { return nil }
        items = seq
        anchoredEnd = end
    }

    /// nil when the text is not for the byte matcher.
    func matches(_ text: String) -> Bool? {
        var bytes: [UInt8] = []
        for b in text.utf8 {
            guard b >= 0x20, b < 0x7F, bytes.count < Self.maxInput else { return nil }
            bytes.append(b)
        }
        let n = bytes.count
        let last = anchoredStart ? 0 : n
        for start in 0...last {
            if Self.sequence(items[...], bytes, start, { !anchoredEnd || $0 == n }) { return true }
        }
        return false
    }

    private static func sequence(_ items: ArraySlice<Item>, _ s: [UInt8], _ pos: Int, _ k: (Int) -> Bool) -> Bool {
        guard let item = items.first else { return k(pos) }
        let rest = items.dropFirst()
        return repeated(item, 0, s, pos) { sequence(rest, s, $0, k) }
    }

    /// Greedy: one more repetition first, then stop once the minimum is reached.
    private static func repeated(_ item: Item, _ count: Int, _ s: [UInt8], _ pos: Int, _ k: (Int) -> Bool) -> Bool {
        if count < item.max, once(item.node, s, pos, { p in
            // A repetition that matched nothing adds nothing once the minimum is met.
            if p == pos, count >= item.min { return false }
            return repeated(item, count + 1, s, p, k)
        }) {
            return true
        }
        return count >= item.min && k(pos)
    }

    private static func once(_ node: Node, _ s: [UInt8], _ pos: Int, _ k: (Int) -> Bool) -> Bool {
        switch node {
        case .set(let flags):
            return pos < s.count && flags[Int(s[pos])] && k(pos + 1)
        case .group(let alternatives):
            for alternative in alternatives where sequence(alternative[...], s, pos, k) { return true }
            return false
        }
    }

    private struct Parser {
        let p: [UInt8]
        var i = 0

        var peek: UInt8? { i < p.count ? p[i] : nil }

        static func isPunctuation(_ b: UInt8) -> Bool {
            b >= 0x21 && b < 0x7F && !(b >= 0x30 && b <= 0x39) && !(b >= 0x41 && b <= 0x5A) && !(b >= 0x61 && b <= 0x7A)
        }

        static func single(_ b: UInt8) -> Node {
            var flags = [Bool](repeating: false, count: 128)
            flags[Int(b)] = true
            return .set(flags)
        }

        static var digits: [Bool] {
            var flags = [Bool](repeating: false, count: 128)
            for b in 0x30...0x39 { flags[b] = true }
            return flags
        }

        /// Items up to `|`, `)`, the end, or (at the top) a final `$`.
        mutating func sequence(topLevel: Bool) -> [Item]? {
            var items: [Item] = []
            while let b = peek {
                if b == UInt8(ascii: "|") || b == UInt8(ascii: ")") {
                    if topLevel { return nil }
                    break
                }
                if b == UInt8(ascii: "$") {
                    guard topLevel, i == p.count - 1 else { return nil }
                    break
                }
                guard let node = atom() else { return nil }
                var item = Item(node: node, min: 1, max: 1)
                if let q = peek {
                    switch q {
                    case UInt8(ascii: "?"): item.min = 0; i += 1
                    case UInt8(ascii: "*"): item.min = 0; item.max = .max; i += 1
                    case UInt8(ascii: "+"): item.max = .max; i += 1
                    case UInt8(ascii: "{"):
                        i += 1
                        guard let lower = number() else { return nil }
                        item.min = lower
                        item.max = lower
                        if peek == UInt8(ascii: ",") {
                            i += 1
                            if peek == UInt8(ascii: "}") { item.max = .max } else {
                                guard let upper = number(), upper >= lower else { return nil }
                                item.max = upper
                            }
                        }
                        guard peek == UInt8(ascii: "}") else { return nil }
                        i += 1
                    default: break
                    }
                    // Lazy and possessive forms, and quantifiers on quantifiers, are left to `Regex`.
                    if let after = peek, after == UInt8(ascii: "?") || after == UInt8(ascii: "+") || after == UInt8(ascii: "*") || after == UInt8(ascii: "{") {
                        return nil
                    }
                }
                items.append(item)
            }
            return items
        }

        mutating func number() -> Int? {
            let start = i
            var v = 0
            while let b = peek, b >= 0x30, b <= 0x39, i - start < 4 {
                v = v * 10 + Int(b - 0x30)
                i += 1
            }
            guard i > start, let b = peek, b < 0x30 || b > 0x39 else { return nil }
            return v
        }

        mutating func atom() -> Node? {
            guard let b = peek else { return nil }
            i += 1
            switch b {
            case UInt8(ascii: "("):
                if peek == UInt8(ascii: "?") {
                    guard i + 1 < p.count, p[i + 1] == UInt8(ascii: ":") else { return nil }
                    i += 2
                }
                var alternatives: [[Item]] = []
                while true {
                    guard let seq = sequence(topLevel: false) else { return nil }
                    alternatives.append(seq)
                    if peek == UInt8(ascii: "|") { i += 1; continue }
                    guard peek == UInt8(ascii: ")") else { return nil }
                    i += 1
                    return .group(alternatives)
                }
            case UInt8(ascii: "["):
                return bracket()
            case UInt8(ascii: "\\"):
                guard let e = peek else { return nil }
                i += 1
                if e == UInt8(ascii: "d") { return .set(Self.digits) }
                return Self.isPunctuation(e) ? Self.single(e) : nil
            case UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "$"), UInt8(ascii: "|"), UInt8(ascii: ")"), UInt8(ascii: "*"),
                 UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: "#"):
                return nil
            default:
                return Self.single(b)
            }
        }

        /// `[...]` after the `[`: literal characters, escaped punctuation, `\d` and ranges, with a
        /// leading `^` for the complement. Nested classes and set operations are left to `Regex`.
        mutating func bracket() -> Node? {
            var flags = [Bool](repeating: false, count: 128)
            var negated = false
            if peek == UInt8(ascii: "^") { negated = true; i += 1 }
            var first = true
            func member(_ parser: inout Parser) -> UInt8?? {
                // .some(.some(b)) a character, .some(nil) `\d`, nil not taken.
                guard let b = parser.peek else { return nil }
                parser.i += 1
                if b == UInt8(ascii: "\\") {
                    guard let e = parser.peek else { return nil }
                    parser.i += 1
                    if e == UInt8(ascii: "d") { return .some(nil) }
                    return Parser.isPunctuation(e) ? .some(e) : nil
                }
                if b == UInt8(ascii: "[") || b == UInt8(ascii: "]") { return nil }
                return .some(b)
            }
            while true {
                guard let b = peek else { return nil }
                if b == UInt8(ascii: "]"), !first { i += 1; break }
                first = false
                // Set operations (`&&`, `--`, `~~`) are left to `Regex`.
                if i + 1 < p.count, p[i] == p[i + 1], b == UInt8(ascii: "&") || b == UInt8(ascii: "-") || b == UInt8(ascii: "~") { return nil }
                guard let m = member(&self) else { return nil }
                guard let low = m else {
                    for d in 0x30...0x39 { flags[d] = true }
                    continue
                }
                if peek == UInt8(ascii: "-"), i + 1 < p.count, p[i + 1] != UInt8(ascii: "]") {
                    i += 1
                    guard let m2 = member(&self), let high = m2, high >= low else { return nil }
                    for c in low...high { flags[Int(c)] = true }
                } else {
                    flags[Int(low)] = true
                }
            }
            if negated {
                // Text reaching the matcher is printable ASCII, so the complement within it is enough.
                for c in 0..<128 { flags[c] = !flags[c] }
            }
            return .set(flags)
        }
    }
}
