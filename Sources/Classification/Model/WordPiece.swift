import Foundation
import JSONCore

/// BERT's uncased WordPiece tokenizer, read from a Hugging Face `tokenizer.json` (model type
/// `WordPiece`, `BertNormalizer`, `BertPreTokenizer`): the same ids as the `tokenizers` library for
/// the texts the classifier sees, so that the embeddings equal the Python encoder's.
public struct WordPieceTokenizer: Sendable, Equatable {
    let vocabulary: [String: Int32]
    let unknown: Int32
    public let classifyToken: Int32
    public let separatorToken: Int32
    public let maxCharactersPerWord: Int
    public let prefix: String
    public let lowercase: Bool

    /// `json`: the bytes of `tokenizer.json`.
    public init(json: [UInt8]) throws(EmbeddingError) {
        let root: JSONValue
        do { root = try JSONParser.parse(json, limits: JSONParseLimits(maxBytes: 64 << 20)) } catch {
            throw .invalidTokenizer("tokenizer.json is not JSON: \(error)")
        }
        guard let model = root["model"]?.objectValue, model["type"]?.stringValue == "WordPiece",
              let vocab = model["vocab"]?.objectValue else {
            throw .invalidTokenizer("tokenizer.json: expected model.type WordPiece with a vocab object")
        }
        var vocabulary: [String: Int32] = [:]
        vocabulary.reserveCapacity(vocab.members.count)
        for (piece, id) in vocab.members {
            guard case .number(let text) = id, let n = Int32(text) else { throw .invalidTokenizer("tokenizer.json: vocab id of '\(piece)' is not an integer") }
            vocabulary[piece] = n
        }
        let maxCharacters: Int
        if case .number(let text) = model["max_input_chars_per_word"] ?? .null, let n = Int(text) { maxCharacters = n } else { maxCharacters = 100 }
        try self.init(vocabulary: vocabulary, unknownToken: model["unk_token"]?.stringValue ?? "[UNK]", maxCharactersPerWord: maxCharacters,
                      prefix: model["continuing_subword_prefix"]?.stringValue ?? "##", lowercase: root["normalizer"]?["lowercase"]?.boolValue ?? true)
    }

    /// From the word pieces themselves (piece → id), as the classifier's artefact keeps them.
    public init(vocabulary: [String: Int32], unknownToken: String = "[UNK]", maxCharactersPerWord: Int = 100, prefix: String = "##",
                lowercase: Bool = true) throws(EmbeddingError) {
        func id(_ token: String) throws(EmbeddingError) -> Int32 {
            guard let n = vocabulary[token] else { throw .invalidTokenizer("tokenizer vocabulary: no \(token)") }
            return n
        }
        self.vocabulary = vocabulary
        unknown = try id(unknownToken)
        classifyToken = try id("[CLS]")
        separatorToken = try id("[SEP]")
        self.maxCharactersPerWord = maxCharactersPerWord
        self.prefix = prefix
        self.lowercase = lowercase
    }

    /// Every word piece by its id (an id no piece has is empty), for storing the tokenizer.
    public var piecesById: [String] {
        var out = [String](repeating: "", count: Int(vocabulary.values.max() ?? -1) + 1)
        for (piece, id) in vocabulary where id >= 0 { out[Int(id)] = piece }
        return out
    }

    /// The unknown token's piece (`[UNK]` for BERT).
    public var unknownPiece: String { vocabulary.first { $0.value == unknown }?.key ?? "[UNK]" }

    /// The word pieces of a text without `[CLS]` and `[SEP]`, at most `limit`.
    public func pieceIds(_ text: String, limit: Int) -> [Int32] {
        if lowercase, let ids = asciiPieceIds(text, limit: limit) { return ids }
        return normalizedPieceIds(Self.leadingWords(text, enoughFor: limit), limit: limit)
    }

    /// The start of `text` that holds its first `limit` words whole (the text itself when it is
    /// shorter): cut at an ASCII blank after `limit` + 1 runs between blanks that each hold an ASCII
    /// letter or digit, every one of which gives at least one word and so one piece. A tab, line
    /// break or space always parts words and is its own character, and normalising works character
    /// by character, so the words before the cut, and their pieces, are the whole text's.
    static func leadingWords(_ text: String, enoughFor limit: Int) -> String {
        var contiguous = text
        return contiguous.withUTF8 { bytes -> String in
            var runs = 0, inRun = false, runCounts = false
            for (i, b) in bytes.enumerated() {
                if b == 9 || b == 10 || b == 13 || b == 32 {
                    if inRun && runCounts {
                        runs += 1
                        if runs > limit { return String(decoding: bytes[..<i], as: UTF8.self) }
                    }
                    inRun = false
                    runCounts = false
                } else {
                    inRun = true
                    if (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) { runCounts = true }
                }
            }
            return text
        }
    }

    /// `pieceIds` of any text: all of it normalised and split into words, then cut at `limit`.
    func normalizedPieceIds(_ text: String, limit: Int) -> [Int32] {
        var out: [Int32] = []
        outer: for word in Self.words(normalize(text)) {
            for id in pieces(word) {
                if out.count >= limit { break outer }
                out.append(id)
            }
        }
        return out
    }

    /// `pieceIds` of an ASCII text (nil for any other), read byte by byte and word by word until
    /// `limit` pieces: a long ruling's goods sentences run past the 256 pieces the static encoder
    /// reads, and normalising and splitting all of them into strings was most of its cost. The same
    /// rules as `normalize` and `words` for ASCII: tab, line feed, carriage return and space part
    /// words, the other control bytes go without parting them, punctuation is a word of its own,
    /// letters are lower-cased.
    func asciiPieceIds(_ text: String, limit: Int) -> [Int32]? {
        var text = text
        return text.withUTF8 { bytes -> [Int32]? in
            for b in bytes where b >= 0x80 { return nil }
            var out: [Int32] = []
            var word: [UInt8] = []
            word.reserveCapacity(32)
            /// The pending word's pieces; false once `limit` is reached.
            func flush() -> Bool {
                guard !word.isEmpty else { return out.count < limit }
                let wordPieces = self.pieces(String(decoding: word, as: UTF8.self))
                word.removeAll(keepingCapacity: true)
                for id in wordPieces {
                    if out.count >= limit { return false }
                    out.append(id)
                }
                return out.count < limit
            }
            for b in bytes {
                if b == 9 || b == 10 || b == 13 || b == 32 {
                    if !flush() { return out }
                } else if b < 33 || b == 127 {
                    continue
                } else if (33...47).contains(b) || (58...64).contains(b) || (91...96).contains(b) || (123...126).contains(b) {
                    if !flush() { return out }
                    word.append(b)
                    if !flush() { return out }
                } else {
                    word.append(b >= 65 && b <= 90 ? b + 32 : b)
                }
            }
            _ = flush()
            return out
        }
    }

    /// `[CLS]`, the word pieces, `[SEP]`: at most `maxLength` ids in all (longer texts are cut).
    public func ids(_ text: String, maxLength: Int = 128) -> [Int32] {
        [classifyToken] + pieceIds(text, limit: max(0, maxLength - 2)) + [separatorToken]
    }

    /// `BertNormalizer`: control characters out, whitespace as spaces, CJK ideographs spaced,
    /// accents stripped (NFD, non-spacing marks out) and lower case, when the tokenizer is uncased.
    func normalize(_ text: String) -> String {
        var cleaned = String.UnicodeScalarView()
        var ascii = true
        for s in text.unicodeScalars {
            // ASCII read directly (the same outcome as below): tab, line breaks and space become a
            // space, the other control characters go, the rest stays.
            if s.isASCII {
                let v = s.value
                if v == 9 || v == 10 || v == 13 || v == 32 { cleaned.append(" ") } else if v >= 33 && v != 127 { cleaned.append(s) }
                continue
            }
            ascii = false
            if s.value == 0 || s.value == 0xFFFD { continue }
            if s != "\t" && s != "\n" && s != "\r" && Self.isControl(s) { continue }
            if Self.isWhitespace(s) { cleaned.append(" "); continue }
            if Self.isCJK(s) { cleaned.append(" "); cleaned.append(s); cleaned.append(" "); continue }
            cleaned.append(s)
        }
        guard lowercase else { return String(cleaned) }
        // ASCII has no accents to strip: decomposing it changes nothing.
        if ascii { return String(cleaned).lowercased() }
        var stripped = String.UnicodeScalarView()
        for s in String(cleaned).decomposedStringWithCanonicalMapping.unicodeScalars where s.properties.generalCategory != .nonspacingMark {
            stripped.append(s)
        }
        return String(stripped).lowercased()
    }

    /// `BertPreTokenizer`: split at whitespace, every punctuation character a word of its own.
    static func words(_ text: String) -> [String] {
        var out: [String] = []
        var current = String.UnicodeScalarView()
        func flush() { if !current.isEmpty { out.append(String(current)); current = String.UnicodeScalarView() } }
        for s in text.unicodeScalars {
            // ASCII's white space is tab to carriage return and the space.
            if s.isASCII ? (s.value == 32 || (9...13).contains(s.value)) : s.properties.isWhitespace { flush(); continue }
            if isPunctuation(s) { flush(); out.append(String(s)); continue }
            current.append(s)
        }
        flush()
        return out
    }

    /// Greedy longest match from the left; a word with a part not in the vocab is one `[UNK]`.
    func pieces(_ word: String) -> [Int32] {
        let scalars = Array(word.unicodeScalars)
        guard scalars.count <= maxCharactersPerWord else { return [unknown] }
        var out: [Int32] = []
        var start = 0
        while start < scalars.count {
            var end = scalars.count
            var found: Int32?
            while end > start {
                var piece = start > 0 ? prefix : ""
                // The whole word first: it is the word itself.
                if start == 0 && end == scalars.count { piece = word } else { piece.unicodeScalars.append(contentsOf: scalars[start..<end]) }
                if let id = vocabulary[piece] { found = id; break }
                end -= 1
            }
            guard let id = found else { return [unknown] }
            out.append(id)
            start = end
        }
        return out
    }

    static func isWhitespace(_ s: Unicode.Scalar) -> Bool { s == "\t" || s == "\n" || s == "\r" || s.properties.isWhitespace }

    static func isControl(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned: true
        default: false
        }
    }

    static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII, (33...47).contains(s.value) || (58...64).contains(s.value) || (91...96).contains(s.value) || (123...126).contains(s.value) { return true }
        switch s.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation, .finalPunctuation, .otherPunctuation: return true
        default: return false
        }
    }

    static func isCJK(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F, 0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F: true
        default: false
        }
    }
}

/// What can go wrong loading an encoder; the message names the file and the part.
public enum EmbeddingError: Error, Equatable, CustomStringConvertible {
    case invalidTokenizer(String)
    case invalidWeights(String)

    public var description: String {
        switch self {
        case .invalidTokenizer(let m), .invalidWeights(let m): m
        }
    }
}
