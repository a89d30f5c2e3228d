import Foundation

/// Turns merchant titles, ruling prose and tariff text into comparable tokens. Tariff text says
/// "aluminium" and "Men's", a shop says "ALUMINUM mens 500ML SKU-88213"; both must meet in one
/// vocabulary before any statistics are counted.
public struct TextNormalizer: Sendable {
    /// Abbreviations learned from the training data (see `AbbreviationLearner`), applied after the
    /// built-in table.
    public var learnedAbbreviations: [String: String]

    public init(learnedAbbreviations: [String: String] = [:]) {
        self.learnedAbbreviations = learnedAbbreviations
    }

    /// Marker tokens: part numbers carry no meaning for the goods but their presence does
    /// (a description that is mostly SKU is vague), numbers likewise.
    public static let skuToken = "#sku"
    public static let numberToken = "#n"

    public func tokens(_ text: String) -> [String] {
        // ASCII has no diacritics or widths to fold: lower-casing is all the folding does to it.
        let folded = text.utf8.allSatisfy({ $0 < 0x80 })
            ? text.lowercased()
            : Self.lowercased(text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil))
        var out: [String] = []
        out.reserveCapacity(16)
        for raw in Self.rawWords(folded) {
            for token in split(raw) { emit(token, into: &out) }
        }
        return out
    }

    /// `CharacterSet.alphanumerics` (letters, marks and numbers), read without building the set for
    /// every character: in ASCII those are exactly the digits and the Latin letters.
    @inline(__always) static func isAlphanumeric(_ ch: Unicode.Scalar) -> Bool {
        if ch.isASCII {
            let v = ch.value
            return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
        }
        return alphanumerics.contains(ch)
    }

    static let alphanumerics = CharacterSet.alphanumerics

    /// Alphanumeric runs; apostrophes are dropped inside words so "men's" becomes "mens".
    static func rawWords(_ text: String) -> [Substring] {
        byteRawWords(text) ?? scalarRawWords(text)
    }

    /// `rawWords` of any text, scalar by scalar.
    static func scalarRawWords(_ text: String) -> [Substring] {
        var words: [Substring] = []
        var start: String.Index? = nil
        var index = text.startIndex
        var cleaned = ""
        cleaned.reserveCapacity(text.utf8.count)
        for ch in text.unicodeScalars {
            if ch == "'" || ch == "\u{2019}" { continue }
            if ch == "%" { cleaned.append(" % "); continue }
            if ch == "&" { cleaned.append(" and "); continue }
            if isAlphanumeric(ch) { cleaned.unicodeScalars.append(ch) } else { cleaned.append(" ") }
        }
        index = cleaned.startIndex
        while index < cleaned.endIndex {
            let c = cleaned[index]
            if c == " " {
                if let s = start { words.append(cleaned[s..<index]); start = nil }
            } else if start == nil {
                start = index
            }
            index = cleaned.index(after: index)
        }
        if let s = start { words.append(cleaned[s..<cleaned.endIndex]) }
        return words
    }

    /// `rawWords` cleaned and cut on the text's UTF-8 bytes (nil when a letter or digit kept is not
    /// a character on its own, `isOwnGrapheme`): then the scalar path's characters are its scalars,
    /// every space one byte, and the same words come out without walking the text by graphemes.
    static func byteRawWords(_ text: String) -> [Substring]? {
        var text = text
        let cleanedBytes: [UInt8]? = text.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                guard b >= 0x80 else {
                    switch b {
                    case UInt8(ascii: "'"): break
                    case UInt8(ascii: "%"): out.append(contentsOf: [32, UInt8(ascii: "%"), 32])
                    case UInt8(ascii: "&"): out.append(contentsOf: [32, UInt8(ascii: "a"), UInt8(ascii: "n"), UInt8(ascii: "d"), 32])
                    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"): out.append(b)
                    default: out.append(32)
                    }
                    i += 1
                    continue
                }
                let (value, length) = utf8Scalar(bytes, at: i)
                defer { i += length }
                if value == 0x2019 { continue }
                if isAlphanumeric(Unicode.Scalar(value)!) {
                    guard isOwnGrapheme(value) else { return nil }
                    out.append(contentsOf: bytes[i..<(i + length)])
                } else {
                    out.append(32)
                }
            }
            return out
        }
        guard let cleanedBytes else { return nil }
        let cleaned = String(decoding: cleanedBytes, as: UTF8.self)
        var words: [Substring] = []
        var start: String.Index? = nil
        var index = cleaned.utf8.startIndex
        for b in cleanedBytes {
            if b == 32 {
                if let s = start { words.append(cleaned[s..<index]); start = nil }
            } else if start == nil {
                start = index
            }
            index = cleaned.utf8.index(after: index)
        }
        if let s = start { words.append(cleaned[s..<cleaned.endIndex]) }
        return words
    }

    /// The scalar whose UTF-8 starts at `bytes[i]` (a lead byte of valid UTF-8, as a `String`'s
    /// bytes are), and its length in bytes.
    @inline(__always) static func utf8Scalar(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (value: UInt32, length: Int) {
        let b0 = UInt32(bytes[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F), 2) }
        if b0 < 0xF0 { return ((b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F), 3) }
        return ((b0 & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6 | UInt32(bytes[i + 3] & 0x3F), 4)
    }

    /// Whether the non-ASCII scalar `value` is a character on its own beside ASCII (but a carriage
    /// return) and any other such scalar: Unicode's grapheme break property "Other" or "Control", so
    /// nothing joins it to a neighbour. Blocks of letters, punctuation, symbols and format controls
    /// only, without combining marks, joiners, prepended marks, conjoining Hangul jamo, regional
    /// indicators or emoji modifiers, and none canonically equivalent to ASCII (a Greek question mark
    /// is the character ";", a sentence stop, to `Character`'s `==`: U+037E, U+1FEF, U+212A); a text
    /// with any other scalar takes the character path.
    @inline(__always) static func isOwnGrapheme(_ value: UInt32) -> Bool {
        switch value {
        case 0x80..<0x300, // Latin-1, Latin Extended-A and B, IPA, spacing modifier letters
             0x370...0x37D, 0x37F...0x482, 0x48A...0x52F, // Greek and Coptic, Cyrillic without its combining marks
             0x1E00...0x1FEE, 0x1FF0...0x1FFF, // Latin Extended Additional, Greek Extended
             0x2000...0x200B, 0x200E...0x206F, // general punctuation, spaces and format controls, not the joiners (200C, 200D)
             0x2070...0x20CF, // super- and subscripts, currency signs
             0x2100...0x2129, 0x212B...0x27BF, // letterlike, number forms, arrows, mathematical and technical signs, shapes, dingbats
             0x3000...0x3029, 0x3030...0x303F, 0x3041...0x3096, 0x309B...0x30FF, // CJK punctuation, kana
             0x3131...0x318E, // Hangul compatibility jamo (letters on their own, not the conjoining jamo)
             0x3200...0x33FF, // enclosed CJK letters, CJK compatibility units ("㎜", "㎏")
             0x4E00...0x9FFF, // CJK ideographs
             0xAC00...0xD7A3, // Hangul syllables: one joins only a conjoining jamo, which is not in this list
             0xE000...0xF8FF, // private use
             0xFB00...0xFB06, // Latin ligatures
             0xFF01...0xFF9D, // full-width forms, half-width katakana without the sound marks
             0xFEFF, 0xFFFD: // the byte order mark, the replacement character
            return true
        default:
            return false
        }
    }

    /// `text.lowercased()`, which joins each scalar's `lowercaseMapping` (a string made per scalar, a
    /// tenth of a non-ASCII ruling's instructions): here ASCII is lowered on its bytes, the scalars
    /// below U+3000 read their mapping from a table made of those same mappings, caseless CJK, kana
    /// and Hangul are copied, and any other scalar asks for its mapping as before.
    static func lowercased(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 8)
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if b < 0x80 {
                    out.append(b >= 0x41 && b <= 0x5A ? b + 32 : b)
                    i += 1
                    continue
                }
                let (value, length) = utf8Scalar(bytes, at: i)
                if value < UInt32(lowerTable.count), lowerTable[Int(value)] != 0 {
                    let lower = Unicode.Scalar(lowerTable[Int(value)])!
                    out.append(contentsOf: UTF8.encode(lower)!)
                } else if (0x3041...0x30FF).contains(value) || (0x4E00...0x9FFF).contains(value) || (0xAC00...0xD7A3).contains(value) {
                    out.append(contentsOf: bytes[i..<(i + length)])
                } else {
                    out.append(contentsOf: Unicode.Scalar(value)!.properties.lowercaseMapping.utf8)
                }
                i += length
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// For each scalar below U+3000, its `lowercaseMapping` when that is one scalar (0 when it is
    /// more, or for a surrogate).
    static let lowerTable: [UInt32] = (0..<0x3000).map { v -> UInt32 in
        guard let scalar = Unicode.Scalar(UInt32(v)) else { return 0 }
        let mapping = scalar.properties.lowercaseMapping.unicodeScalars
        return mapping.count == 1 ? mapping.first!.value : 0
    }

    /// Part numbers become one marker; "500ml" becomes "500 ml".
    func split(_ word: Substring) -> [String] {
        if word == "%" { return ["%"] }
        // In ASCII the numbers are the digits and every character is one byte.
        let ascii = word.utf8.allSatisfy { $0 < 0x80 }
        let digits = ascii ? word.utf8.reduce(0) { $0 + ($1 >= 0x30 && $1 <= 0x39 ? 1 : 0) } : word.reduce(0) { $0 + ($1.isNumber ? 1 : 0) }
        let letters = (ascii ? word.utf8.count : word.count) - digits
        if digits == 0 { return [String(word)] }
        if letters == 0 { return [word.count >= 7 ? Self.skuToken : Self.numberToken] }
        // Mixed: a unit after a number ("500ml", "12v") splits; longer mixed runs are codes.
        var parts: [String] = []
        var current = ""
        var currentIsDigit = false
        for ch in word {
            let isDigit = ch.isNumber
            if !current.isEmpty && isDigit != currentIsDigit { parts.append(current); current = "" }
            current.append(ch); currentIsDigit = isDigit
        }
        if !current.isEmpty { parts.append(current) }
        if parts.count == 2, parts[0].first?.isNumber == true, Self.units[parts[1]] != nil {
            return [Self.numberToken, parts[1]]
        }
        if parts.count == 2, parts[0].first?.isNumber == false, parts[0].count <= 2, word.count <= 4 {
            return [parts[0], Self.numberToken] // "a4", "x2"
        }
        return [Self.skuToken]
    }

    func emit(_ token: String, into out: inout [String]) {
        if token == Self.skuToken || token == Self.numberToken || token == "%" { out.append(token); return }
        if Self.stopwords.contains(token) { return }
        if let unit = Self.units[token] { out.append(unit); return }
        if let expansion = Self.abbreviations[token] {
            for part in expansion.split(separator: " ") { out.append(Self.stem(Self.spelling[String(part)] ?? String(part))) }
            return
        }
        let stemmed = Self.stem(Self.spelling[token] ?? token)
        // Learned expansions are already normalised tariff words.
        if let learned = learnedAbbreviations[stemmed] { out.append(learned); return }
        out.append(stemmed)
    }

    /// Light plural stemming, enough to meet "shoes"/"shoe" and "batteries"/"battery" without a
    /// dictionary. Applied the same way to tariff text and queries, so exactness does not matter.
    static func stem(_ w: String) -> String {
        guard w.count > 3, w.hasSuffix("s") else { return w }
        if w.hasSuffix("ies") { return String(w.dropLast(3)) + "y" }
        if w.hasSuffix("sses") || w.hasSuffix("xes") || w.hasSuffix("ches") || w.hasSuffix("shes") { return String(w.dropLast(2)) }
        if w.hasSuffix("ss") || w.hasSuffix("us") || w.hasSuffix("is") { return w }
        return String(w.dropLast())
    }

    static let stopwords: Set<String> = [
        "a", "an", "the", "and", "or", "s", "is", "are", "be", "it", "its", "this", "that", "which", "as", "at", "by",
        "on", "to", "was", "were", "has", "have", "from", "into", "these", "those", "their", "item", "product", "sku", "ref",
    ]

    static let units: [String: String] = [
        "ml": "ml", "millilitre": "ml", "milliliter": "ml", "millilitres": "ml", "milliliters": "ml",
        "l": "litre", "ltr": "litre", "litre": "litre", "liter": "litre", "litres": "litre", "liters": "litre", "lt": "litre",
        "g": "gram", "gr": "gram", "gm": "gram", "gms": "gram", "gram": "gram", "grams": "gram", "grammes": "gram",
        "kg": "kg", "kgs": "kg", "kilo": "kg", "kilogram": "kg", "kilograms": "kg",
        "mg": "mg", "oz": "oz", "lb": "lb", "lbs": "lb",
        "mm": "mm", "cm": "cm", "m": "metre", "metre": "metre", "meter": "metre", "metres": "metre", "meters": "metre",
        "in": "inch", "inch": "inch", "inches": "inch", "ft": "ft",
        "v": "volt", "volt": "volt", "volts": "volt", "w": "watt", "watt": "watt", "watts": "watt", "kw": "kw",
        "mah": "mah", "wh": "wh", "gb": "gb", "tb": "tb", "mb": "mb", "hz": "hz", "pc": "piece", "pcs": "piece", "pk": "pack",
    ]

    /// UK and US spellings meet on one form.
    static let spelling: [String: String] = [
        "aluminium": "aluminum", "colour": "color", "colours": "colors", "coloured": "colored", "jewellery": "jewelry",
        "grey": "gray", "tyre": "tire", "tyres": "tires", "fibre": "fiber", "fibres": "fibers", "centre": "center",
        "mould": "mold", "moulded": "molded", "moulds": "molds", "programme": "program", "catalogue": "catalog",
        "flavour": "flavor", "flavoured": "flavored", "flavours": "flavors", "pyjamas": "pajamas", "pyjama": "pajama",
        "sulphur": "sulfur", "sulphate": "sulfate", "vapour": "vapor", "odour": "odor", "harbour": "harbor",
        "practise": "practice", "licence": "license", "defence": "defense", "organiser": "organizer", "organisers": "organizers",
        "moustache": "mustache", "plough": "plow", "aeroplane": "airplane", "aeroplanes": "airplanes", "nappy": "diaper",
        "nappies": "diapers", "trainers": "sneakers", "trainer": "sneaker", "jumper": "sweater", "jumpers": "sweaters",
        "trousers": "trousers", "mobile": "mobile", "cosy": "cozy", "woollen": "woolen", "storey": "story", "kerb": "curb",
        "polythene": "polyethylene", "favour": "favor", "armour": "armor", "behaviour": "behavior", "analyse": "analyze",
        "sanitiser": "sanitizer", "moisturiser": "moisturizer", "moisturising": "moisturizing", "stabiliser": "stabilizer",
        "vulcanised": "vulcanized", "galvanised": "galvanized", "synthesiser": "synthesizer", "fertiliser": "fertilizer",
        "fertilisers": "fertilizers", "pasteurised": "pasteurized", "homogenised": "homogenized", "sterilised": "sterilized",
    ]

    /// Merchant shorthand seen on parcel lists; expansions are matched against tariff wording.
    static let abbreviations: [String: String] = [
        "tshirt": "t shirt", "tshirts": "t shirt", "tee": "t shirt", "tees": "t shirt",
        "mens": "men", "womens": "women", "ladies": "women", "ladys": "women", "lady": "women", "gents": "men",
        "boys": "boy", "girls": "girl", "kids": "children", "kid": "children", "childrens": "children", "baby": "infant", "babies": "infant",
        "shmpoo": "shampoo", "cndtnr": "conditioner", "cond": "conditioner", "btl": "bottle", "blk": "black", "wht": "white",
        "sz": "size", "acc": "accessory", "accs": "accessory", "asst": "assorted", "sml": "small", "lge": "large", "med": "medium",
        "hdmi": "hdmi cable", "usb": "usb", "led": "led lamp", "pkt": "packet", "choc": "chocolate", "biscuit": "biscuit",
        "phone": "telephone", "smartphone": "telephone", "mobile": "telephone", "cellphone": "telephone",
        "laptop": "laptop portable computer", "notebook": "notebook", "earbuds": "earphone", "headphone": "headphone",
        "perfume": "perfume", "edp": "perfume", "edt": "toilet water", "lipstick": "lip make up",
    ]
}
