/// Our own romanisation tables, one lookup per Unicode scalar (lower case only; text is lower-cased
/// first). They aim at the spellings sanctions lists use, not at a reversible standard:
/// Cyrillic follows BGN/PCGN (х→kh, ж→zh, й→y), Greek follows ELOT 743 without accents, Arabic and
/// Persian give a consonant skeleton (short vowels are not written, so none are invented).
enum Transliteration {
    enum Script: String, Sendable { case cyrillic = "Cyrillic", greek = "Greek", arabic = "Arabic" }

    static func script(of scalar: UInt32) -> Script? {
        switch scalar {
        case 0x0400...0x04FF: .cyrillic
        case 0x0370...0x03FF, 0x1F00...0x1FFF: .greek
        case 0x0600...0x06FF, 0x0750...0x077F, 0xFB50...0xFDFF, 0xFE70...0xFEFF: .arabic
        default: nil
        }
    }

    static let cyrillic: [UInt32: String] = [
        0x0430: "a", 0x0431: "b", 0x0432: "v", 0x0433: "g", 0x0434: "d", 0x0435: "e", 0x0451: "e", 0x0436: "zh",
        0x0437: "z", 0x0438: "i", 0x0439: "y", 0x043A: "k", 0x043B: "l", 0x043C: "m", 0x043D: "n", 0x043E: "o",
        0x043F: "p", 0x0440: "r", 0x0441: "s", 0x0442: "t", 0x0443: "u", 0x0444: "f", 0x0445: "kh", 0x0446: "ts",
        0x0447: "ch", 0x0448: "sh", 0x0449: "shch", 0x044A: "", 0x044B: "y", 0x044C: "", 0x044D: "e", 0x044E: "yu",
        0x044F: "ya",
        // Ukrainian, Belarusian, Serbian, Macedonian.
        0x0456: "i", 0x0457: "yi", 0x0454: "ye", 0x0491: "g", 0x045E: "u", 0x0452: "dj", 0x0458: "j", 0x0459: "lj",
        0x045A: "nj", 0x045B: "c", 0x045F: "dz", 0x0453: "gj", 0x045C: "kj", 0x0455: "dz",
        // Kazakh, Kyrgyz, Tajik letters seen in Central Asian names.
        0x04D9: "a", 0x0493: "gh", 0x049B: "q", 0x04A3: "ng", 0x04E9: "o", 0x04B1: "u", 0x04AF: "u", 0x04BB: "h",
        0x04B3: "h", 0x04E3: "i", 0x04B7: "j",
    ]

    static let greek: [UInt32: String] = [
        0x03B1: "a", 0x03B2: "v", 0x03B3: "g", 0x03B4: "d", 0x03B5: "e", 0x03B6: "z", 0x03B7: "i", 0x03B8: "th",
        0x03B9: "i", 0x03BA: "k", 0x03BB: "l", 0x03BC: "m", 0x03BD: "n", 0x03BE: "x", 0x03BF: "o", 0x03C0: "p",
        0x03C1: "r", 0x03C3: "s", 0x03C2: "s", 0x03C4: "t", 0x03C5: "y", 0x03C6: "f", 0x03C7: "ch", 0x03C8: "ps",
        0x03C9: "o",
        // With tonos or dialytika.
        0x03AC: "a", 0x03AD: "e", 0x03AE: "i", 0x03AF: "i", 0x03CC: "o", 0x03CD: "y", 0x03CE: "o", 0x03CA: "i",
        0x03CB: "y", 0x0390: "i", 0x03B0: "y",
    ]

    /// Greek digraphs that read as one sound: ου is "ou", not "oy".
    static let greekPairs: [String: String] = ["\u{03BF}\u{03C5}": "ou", "\u{03BF}\u{03CD}": "ou", "\u{03BC}\u{03C0}": "b"]

    static let arabic: [UInt32: String] = [
        0x0627: "a", 0x0623: "a", 0x0625: "i", 0x0622: "a", 0x0671: "a", 0x0628: "b", 0x062A: "t", 0x062B: "th",
        0x062C: "j", 0x062D: "h", 0x062E: "kh", 0x062F: "d", 0x0630: "dh", 0x0631: "r", 0x0632: "z", 0x0633: "s",
        0x0634: "sh", 0x0635: "s", 0x0636: "d", 0x0637: "t", 0x0638: "z", 0x0639: "", 0x063A: "gh", 0x0641: "f",
        0x0642: "q", 0x0643: "k", 0x0644: "l", 0x0645: "m", 0x0646: "n", 0x0647: "h", 0x0648: "w", 0x064A: "y",
        0x0649: "a", 0x0629: "a", 0x0621: "", 0x0624: "", 0x0626: "", 0x0640: "",
        // Persian and Urdu letters.
        0x067E: "p", 0x0686: "ch", 0x0698: "zh", 0x06AF: "g", 0x06A9: "k", 0x06CC: "y", 0x06C1: "h", 0x06BE: "h",
        0x0679: "t", 0x0688: "d", 0x0691: "r", 0x06BA: "n", 0x06D2: "e",
        // Arabic-Indic and Persian digits.
        0x0660: "0", 0x0661: "1", 0x0662: "2", 0x0663: "3", 0x0664: "4", 0x0665: "5", 0x0666: "6", 0x0667: "7",
        0x0668: "8", 0x0669: "9", 0x06F0: "0", 0x06F1: "1", 0x06F2: "2", 0x06F3: "3", 0x06F4: "4", 0x06F5: "5",
        0x06F6: "6", 0x06F7: "7", 0x06F8: "8", 0x06F9: "9",
    ]

    /// Latin letters that Unicode decomposition does not reduce to ASCII.
    static let latinSpecials: [UInt32: String] = [
        0x00DF: "ss", 0x00E6: "ae", 0x0153: "oe", 0x00F8: "o", 0x0142: "l", 0x0111: "d", 0x00F0: "d", 0x0131: "i",
        0x00FE: "th", 0x0127: "h", 0x014B: "ng", 0x0138: "k",
    ]

    /// Marks that are part of a word (apostrophes, Arabic ʿayn and hamza in romanised names): deleted,
    /// so `QA'IDA` and `QAIDA` are one token.
    static let joiners: Set<UInt32> = [0x27, 0x60, 0xB4, 0x2018, 0x2019, 0x02BC, 0x02BB, 0x02BF, 0x02BE, 0x2032]

    /// Invisible format characters that change how a name is shown or joined but not what it says:
    /// bidi embeddings, overrides and isolates, directional marks, zero-width spaces and joiners,
    /// the BOM. They are removed before anything else, so `PU\u{202E}TIN` is read as `PUTIN`.
    static let invisible: Set<UInt32> = [
        0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2060, 0x2066, 0x2067,
        0x2068, 0x2069, 0x061C, 0xFEFF, 0x00AD,
    ]

    /// Cyrillic and Greek letters that look like a Latin letter (from Unicode's confusables.txt,
    /// lower case). Used only inside a word that also has Latin letters: "Vladimir Рutin" with a
    /// Cyrillic Р is read as "putin", while an all-Cyrillic "Путин" is still transliterated.
    static let latinLookalikes: [UInt32: UInt8] = [
        // Cyrillic а в е ё һ і ј к м н о р с т у х ѕ ԁ ԛ ԝ ӏ
        0x0430: 0x61, 0x0432: 0x62, 0x0435: 0x65, 0x0451: 0x65, 0x04BB: 0x68, 0x0456: 0x69, 0x0458: 0x6A, 0x043A: 0x6B,
        0x043C: 0x6D, 0x043D: 0x68, 0x043E: 0x6F, 0x0440: 0x70, 0x0441: 0x63, 0x0442: 0x74, 0x0443: 0x79, 0x0445: 0x78,
        0x0455: 0x73, 0x0501: 0x64, 0x051B: 0x71, 0x051D: 0x77, 0x04CF: 0x6C,
        // Greek α β ε η ι κ ν ο ρ τ υ χ ζ μ
        0x03B1: 0x61, 0x03B2: 0x62, 0x03B5: 0x65, 0x03B7: 0x6E, 0x03B9: 0x69, 0x03BA: 0x6B, 0x03BD: 0x76, 0x03BF: 0x6F,
        0x03C1: 0x70, 0x03C4: 0x74, 0x03C5: 0x75, 0x03C7: 0x78, 0x03B6: 0x7A, 0x03BC: 0x75,
    ]
}
