import Foundation
@testable import JSONCore
import Testing

/// The byte matcher must answer as `Regex` does for every pattern it takes: checked on strings
/// generated to match each pattern and on near misses made from them (a character dropped,
/// added or changed), for the patterns the schemas and mappings use and some harder ones.
@Suite struct SimplePatternTests {
    static let patterns = [
        "^[A-Z]{3}$", "^[A-Z]{2}$", "^[A-Za-z][A-Za-z0-9_]*$", "^-?[0-9]+(\\.[0-9]+)?$", "^https?://", "^[A-Z0-9]{2,3}$",
        "^[0-9]{6,10}$", "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "^[0-9]{2}([0-9. ]*[0-9])?$", "^([A-Z]{2}-)?[A-Z0-9]{1,3}$",
        "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$",
        "^(220[3-8]|24|27)", "^(GB|XI)[0-9]{12}([0-9]{3})?$", "^GB", "^GB[0-9]{12}([0-9]{3})?/[0-9]{10}$", "^[0-9]{7,}$",
        "^[0-9]{6}([0-9]{2}){0,2}$", "^[A-Z]{2}[A-Z0-9]{6}$", "AB", "B+C", "(a|ab)(c|bcd)(d*)$", "^(a*)*b$", "^(a?){3}a{3}$",
        "[^0-9]", "^[^A-Z-]+$", "x\\d{2}[-.]?\\d", "^(?:ab|a)+$", "^[a-]+$",
    ]

    @Test func answersAsRegexDoes() throws {
        var generator = SystemRandomNumberGenerator()
        var taken = 0
        for source in Self.patterns {
            let regex = try Regex(source)
            guard let simple = SimplePattern(source) else { continue }
            taken += 1
            var texts = ["", "a", "GB", "0", " ", "A1"]
            for _ in 0..<60 {
                let good = Self.sample(simple, using: &generator)
                texts.append(good)
                texts.append(Self.mutate(good, using: &generator))
            }
            for text in texts {
                let expected = (try? regex.firstMatch(in: text)) != nil
                #expect(simple.matches(text) == expected, "\(source) on \(text.debugDescription)")
            }
        }
        #expect(taken == Self.patterns.count, "the byte matcher takes the schema and mapping patterns")
    }

    @Test func leavesWhatItDoesNotTakeToRegex() throws {
        for source in ["^a.b$", "\\w+", "a+?", "a++", "(?=a)", "\\bword", "[[a]]", "[a&&b]", "(a)\\1"] {
            #expect(SimplePattern(source) == nil, "\(source)")
        }
        let pattern = try CompiledPattern("^[A-Z]{2}$")
        #expect(pattern.matches("GB"))
        #expect(!pattern.matches("G\u{301}B"))     // non-ASCII text: Regex answers
        #expect(!pattern.matches("GB\n"))
        #expect(!pattern.matches(String(repeating: "A", count: 300)))
    }

    static func sample(_ p: SimplePattern, using g: inout SystemRandomNumberGenerator) -> String {
        var out: [UInt8] = []
        if !p.anchoredStart, Bool.random(using: &g) { out.append(UInt8.random(in: 0x41...0x5A, using: &g)) }
        emit(p.items, into: &out, using: &g)
        if !p.anchoredEnd, Bool.random(using: &g) { out.append(UInt8.random(in: 0x30...0x39, using: &g)) }
        return String(decoding: out, as: UTF8.self)
    }

    static func emit(_ items: [SimplePattern.Item], into out: inout [UInt8], using g: inout SystemRandomNumberGenerator) {
        for item in items {
            let n = Int.random(in: item.min...min(item.max, item.min + 3), using: &g)
            for _ in 0..<n {
                switch item.node {
                case .set(let flags):
                    let members = (0x20..<0x7F).filter { flags[$0] }
                    if let b = members.randomElement(using: &g) { out.append(UInt8(b)) }
                case .group(let alternatives):
                    emit(alternatives.randomElement(using: &g) ?? [], into: &out, using: &g)
                }
            }
        }
    }

    static func mutate(_ text: String, using g: inout SystemRandomNumberGenerator) -> String {
        var b = Array(text.utf8)
        let alphabet = Array("0123456789ABGXZabcd-.:/ T+".utf8)
        switch Int.random(in: 0..<3, using: &g) {
        case 0 where !b.isEmpty: b.remove(at: Int.random(in: 0..<b.count, using: &g))
        case 1: b.insert(alphabet.randomElement(using: &g)!, at: Int.random(in: 0...b.count, using: &g))
        default: if !b.isEmpty { b[Int.random(in: 0..<b.count, using: &g)] = alphabet.randomElement(using: &g)! }
        }
        return String(decoding: b, as: UTF8.self)
    }
}
