import Foundation

/// What a token is for matching. Legal forms and honorifics are kept and reported but do not
/// score; particles and stop words score at low weight; numbers must agree exactly.
public enum TokenRole: String, Hashable, Sendable, Codable {
    case word, particle, number, initial
    case stopWord = "stop_word"
    case legalForm = "legal_form"
    case honorific
}

public struct NameToken: Hashable, Sendable, Codable {
    public var text: String
    public var role: TokenRole
    /// Part of the family name (when the list says which part that is).
    public var isFamily: Bool

    public init(text: String, role: TokenRole, isFamily: Bool = false) {
        self.text = text
        self.role = role
        self.isFamily = isFamily
    }

    enum CodingKeys: String, CodingKey {
        case text, role
        case isFamily = "is_family"
    }

    /// Tokens that take part in the score.
    public var scores: Bool { role != .legalForm && role != .honorific }
}

/// A name after normalisation, with a record of what normalisation did (for the evidence).
public struct NormalisedName: Hashable, Sendable {
    public var original: String
    public var tokens: [NameToken]
    /// The generic legal-form class (`llc`, `jsc`, `ltd`…) when the name carries one.
    public var legalForm: String?
    /// Human-readable notes: "transliterated Cyrillic", "legal form 'ooo' tagged as llc", …
    public var notes: [String]

    public var scoringTokens: [NameToken] { tokens.filter(\.scores) }
    /// All scoring tokens glued together, for split/joined spellings (`AL QAIDA` / `ALQAIDA`).
    public var glued: String { scoringTokens.filter { $0.role != .stopWord }.map(\.text).joined() }
}

/// The one normalisation used for list names and queries alike: if the two sides were prepared
/// differently, identical names could fail to match.
public enum NameNormaliser {
    public static func normalise(_ text: String, familyName: String? = nil) -> NormalisedName {
        var notes: [String] = []
        let (folded, scripts) = fold(text)
        for script in scripts.sorted(by: { $0.rawValue < $1.rawValue }) { notes.append("transliterated \(script.rawValue)") }
        let words = folded.split(separator: " ").map(String.init)
        let family = familyName.map { Set(fold($0).0.split(separator: " ").map(String.init)) } ?? []

        // Misspelt legal-form words (`COMPAhY`, `LIABILIY`) are read as the legal form when that
        // completes one, so a typo in "limited liability company" does not become three name words.
        let corrected = words.map(correctedLegalWord)
        var tokens: [NameToken] = []
        var legalForm: String?
        var i = 0
        while i < words.count {
            let fixed = words.count > 1 ? legalPhrase(corrected, at: i) : nil
            if words.count > 1, let (length, cls) = fixed ?? legalPhrase(words, at: i) {
                let source = fixed != nil ? corrected : words
                let phrase = source[i..<(i + length)].joined(separator: " ")
                tokens.append(NameToken(text: phrase.replacingOccurrences(of: " ", with: ""), role: .legalForm))
                legalForm = legalForm ?? cls
                notes.append("legal form '\(phrase)' tagged as \(cls)")
                i += length
                continue
            }
            let w = words[i]
            let role: TokenRole
            if w.allSatisfy(\.isNumber) {
                role = .number
            } else if words.count > 1, honorifics.contains(w) {
                role = .honorific
                notes.append("honorific '\(w)' ignored")
            } else if w.count == 1 {
                role = .initial
            } else if particles.contains(w) {
                role = .particle
            } else if stopWords.contains(w) {
                role = .stopWord
            } else {
                role = .word
            }
            tokens.append(NameToken(text: w, role: role, isFamily: family.contains(w)))
            i += 1
        }
        // A name made only of tags (`THE COMPANY`) still has to match something: score its tokens.
        if !tokens.contains(where: { $0.scores }) {
            for j in tokens.indices { tokens[j].role = tokens[j].text.count == 1 ? .initial : .word }
        }
        return NormalisedName(original: text, tokens: tokens, legalForm: legalForm, notes: notes)
    }

    /// Lower-case ASCII words separated by single spaces, and the scripts that were transliterated.
    static func fold(_ text: String) -> (String, Set<Transliteration.Script>) {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var scripts = Set<Transliteration.Script>()
        func space() { if let last = out.last, last != 0x20 { out.append(0x20) } }
        func emit(_ s: String) { out.append(contentsOf: s.utf8) }

        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            for b in text.utf8 { asciiByte(b, into: &out) }
        } else {
            var scalars = Array(text.lowercased().precomposedStringWithCanonicalMapping.unicodeScalars)
            scalars.removeAll { Transliteration.invisible.contains($0.value) }
            foldLookalikes(&scalars)
            var i = 0
            while i < scalars.count {
                let s = scalars[i]
                defer { i += 1 }
                if s.isASCII {
                    asciiByte(UInt8(s.value), into: &out)
                    continue
                }
                if Transliteration.joiners.contains(s.value) { continue }
                if let script = Transliteration.script(of: s.value) {
                    if script == .greek, i + 1 < scalars.count,
                        let pair = Transliteration.greekPairs[String(String.UnicodeScalarView([s, scalars[i + 1]]))]
                    {
                        emit(pair)
                        scripts.insert(.greek)
                        i += 1
                        continue
                    }
                    let table = switch script {
                    case .cyrillic: Transliteration.cyrillic
                    case .greek: Transliteration.greek
                    case .arabic: Transliteration.arabic
                    }
                    if let latin = table[s.value] {
                        emit(latin)
                        scripts.insert(script)
                    } else if s.properties.generalCategory != .nonspacingMark {
                        space()
                    }
                    continue
                }
                if let latin = Transliteration.latinSpecials[s.value] {
                    emit(latin)
                    continue
                }
                if s.properties.generalCategory == .nonspacingMark { continue }
                var produced = false
                for d in String(s).decomposedStringWithCompatibilityMapping.lowercased().unicodeScalars {
                    if d.isASCII {
                        asciiByte(UInt8(d.value), into: &out)
                        produced = true
                    } else if let latin = Transliteration.latinSpecials[d.value] {
                        emit(latin)
                        produced = true
                    }
                }
                if !produced { space() }
            }
        }
        while out.last == 0x20 { out.removeLast() }
        return (String(decoding: out, as: UTF8.self), scripts)
    }

    /// In a word that mixes Latin letters with Cyrillic or Greek ones, the Cyrillic and Greek
    /// letters that look like Latin letters are read as those letters (a homoglyph evasion, not a
    /// transliteration): "Vladimir Рutin" becomes "vladimir putin".
    static func foldLookalikes(_ scalars: inout [Unicode.Scalar]) {
        var wordStart = 0
        func finishWord(_ end: Int) {
            var latin = false
            var foreign = false
            for k in wordStart..<end {
                let v = scalars[k].value
                if (0x61...0x7A).contains(v) || (0xE0...0x24F).contains(v) { latin = true }
                if Transliteration.script(of: v) == .cyrillic || Transliteration.script(of: v) == .greek { foreign = true }
            }
            guard latin && foreign else { return }
            for k in wordStart..<end {
                if let a = Transliteration.latinLookalikes[scalars[k].value] { scalars[k] = Unicode.Scalar(a) }
            }
        }
        for (k, s) in scalars.enumerated() where !s.properties.isAlphabetic && s.properties.generalCategory != .nonspacingMark {
            finishWord(k)
            wordStart = k + 1
        }
        finishWord(scalars.count)
    }

    /// Legal-form words long enough that one or two slips are still recognisable.
    static let legalVocabulary: [[UInt8]] = {
        var words = Set<String>()
        for (phrase, _) in legalPhrases { for w in phrase where w.count >= 5 { words.insert(w) } }
        for w in legalWords.keys where w.count >= 6 { words.insert(w) }
        return words.sorted().map { Array($0.utf8) }
    }()

    static func correctedLegalWord(_ word: String) -> String {
        guard word.count >= 5, legalWords[word] == nil else { return word }
        let bytes = Array(word.utf8)
        let allowed = bytes.count >= 9 ? 2 : 1
        for candidate in legalVocabulary where abs(candidate.count - bytes.count) <= allowed && candidate.first == bytes.first {
            if candidate == bytes { return word }
            if StringMetrics.editDistance(candidate, bytes) <= allowed { return String(decoding: candidate, as: UTF8.self) }
        }
        return word
    }

    @inline(__always) private static func asciiByte(_ b: UInt8, into out: inout [UInt8]) {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): out.append(b)
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): out.append(b + 32)
        case UInt8(ascii: "'"), UInt8(ascii: "`"): break
        default: if let last = out.last, last != 0x20 { out.append(0x20) }
        }
    }

    // MARK: Tag tables

    /// Multi-word legal forms, longest first, with their generic class.
    static let legalPhrases: [([String], String)] = {
        let raw: [(String, String)] = [
            ("obshchestvo s ogranichennoy otvetstvennostyu", "llc"), ("obshchestvo s ogranichennoi otvetstvennostyu", "llc"),
            ("obshestvo s ogranichennoy otvetstvennostyu", "llc"), ("sociedad anonima de capital variable", "sa"),
            ("public joint stock company", "pjsc"), ("open joint stock company", "ojsc"), ("closed joint stock company", "cjsc"),
            ("joint stock company", "jsc"), ("limited liability company", "llc"), ("limited liability partnership", "llp"),
            ("private limited company", "ltd"), ("public limited company", "plc"), ("aktsionernoye obshchestvo", "jsc"),
            ("otkrytoe aktsionernoe obshchestvo", "ojsc"), ("zakrytoe aktsionernoe obshchestvo", "cjsc"),
            ("sociedad anonima", "sa"), ("societe anonyme", "sa"), ("societa per azioni", "spa"), ("sa de cv", "sa"),
            ("s a de c v", "sa"), ("s de rl de cv", "srl"), ("s de rl", "srl"), ("co ltd", "ltd"), ("company limited", "ltd"),
            ("sdn bhd", "sdn_bhd"), ("ltd sti", "ltd"), ("l l c", "llc"), ("s a", "sa"), ("s r l", "srl"), ("s p a", "spa"),
            ("d o o", "doo"), ("s a s", "sas"), ("b v", "bv"), ("n v", "nv"), ("a s", "as"), ("fz llc", "fze"), ("fz co", "fze"),
            ("pvt ltd", "ltd"), ("private limited", "ltd"), ("pte ltd", "ltd"),
        ]
        return raw.map { ($0.0.split(separator: " ").map(String.init), $0.1) }.sorted { $0.0.count > $1.0.count }
    }()

    /// Single-word legal forms that cannot be a name: tagged anywhere in a multi-word name.
    static let legalWords: [String: String] = [
        "llc": "llc", "ooo": "llc", "gmbh": "gmbh", "ltd": "ltd", "limited": "ltd", "jsc": "jsc", "pjsc": "pjsc",
        "ojsc": "ojsc", "cjsc": "cjsc", "oao": "ojsc", "zao": "cjsc", "pao": "pjsc", "inc": "inc", "incorporated": "inc",
        "corp": "corp", "corporation": "corp", "plc": "plc", "llp": "llp", "fze": "fze", "fzco": "fze", "fzc": "fze",
        "fzllc": "fze", "sarl": "sarl", "srl": "srl", "spa": "spa", "sas": "sas", "bhd": "sdn_bhd", "pte": "ltd",
        "kft": "kft", "sro": "sro", "doo": "doo", "tov": "llc", "too": "llc", "co": "co", "company": "co",
        "ltda": "ltd", "sti": "ltd", "gbr": "gbr", "kg": "kg", "ohg": "ohg", "pty": "ltd", "lp": "lp", "ug": "gmbh",
    ]

    /// Short legal forms that are also name parts (`SA`, `AS`, `AG`, `AB`…): only tagged after the first word.
    static let ambiguousLegalWords: [String: String] = [
        "sa": "sa", "as": "as", "ag": "ag", "ab": "ab", "ao": "jsc", "bv": "bv", "nv": "nv", "oy": "oy", "se": "se",
        "cv": "sa", "ad": "jsc", "ou": "llc", "ep": "ep",
    ]

    /// Multi-word legal forms by their first word, longest first.
    static let legalPhrasesByFirstWord: [String: [([String], String)]] = Dictionary(grouping: legalPhrases.filter { $0.0.count > 1 }, by: { $0.0[0] })

    static func legalPhrase(_ words: [String], at i: Int) -> (Int, String)? {
        for (phrase, cls) in legalPhrasesByFirstWord[words[i]] ?? [] where i + phrase.count <= words.count {
            if i == 0 && phrase.count <= 2 && phrase[0].count == 1 { continue }
            if phrase.indices.allSatisfy({ words[i + $0] == phrase[$0] }) { return (phrase.count, cls) }
        }
        if let cls = legalWords[words[i]] {
            // "CO" as the first word is a name ("CO HUNG"), not a company marker.
            if i == 0 && (words[i] == "co" || words[i] == "company" || words[i] == "limited") { return nil }
            return (1, cls)
        }
        if i > 0, let cls = ambiguousLegalWords[words[i]] { return (1, cls) }
        return nil
    }

    static let honorifics: Set<String> = [
        "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sheikh", "shaykh", "shaikh", "sheik", "cheikh", "haji",
        "hajji", "hadji", "alhaji", "mullah", "mulla", "maulavi", "mawlawi", "maulvi", "molvi", "maulana", "sayyed",
        "sayed", "sayyid", "syed", "sir", "lord", "imam", "qari", "hafiz", "gen", "col", "colonel", "maj", "capt",
        "captain", "lt", "lieutenant", "brig", "brigadier", "admiral", "sgt", "sergeant",
    ]

    static let particles: Set<String> = [
        "al", "el", "ul", "ud", "ad", "ar", "ash", "as", "az", "bin", "ben", "ibn", "bint", "abu", "abou", "bou", "de",
        "del", "della", "der", "den", "da", "das", "dos", "do", "di", "du", "van", "von", "le", "la", "los", "las", "ter",
        "ould", "ag",
    ]

    static let stopWords: Set<String> = ["of", "the", "and", "for", "y", "e", "et", "und", "fur", "des", "en", "i"]
}
