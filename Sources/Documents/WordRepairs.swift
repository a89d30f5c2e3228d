import Foundation
import DocumentExtraction

/// Repairs of OCR's words that need no engine: the rules `TesseractOCR` applies to a page's reading.
enum WordRepairs {
    /// A word box that runs over the words after it on its line ends where the first of them starts.
    ///
    /// Tesseract sometimes gives the first word of a run it split after recognition the box of the
    /// whole run (`Style` boxed over `Style / Description` on `invoice-en-vn-cif`'s scan). The line
    /// grouping keeps words that overlap apart, so `/` and `Description` went to lines of their own
    /// and the table's header was lost with them. A word counts as run over when it starts inside
    /// the box, ends within it, shares half its height, is half as tall or more, and was read 0.5
    /// sure or more: a speck read as `:` or `De`, a few pixels tall inside a word, cuts nothing (the
    /// ink cut off would be read again as missed, and the word read twice). A neighbour that merely
    /// touches the box does not cut it either, nor does one word alone inside it: the run is two
    /// words or more after the first (on a 72 DPI page, cutting `Terms` at one word inside it went
    /// with five rows' units lost; `docs/benchmarks.md`, s26-scans).
    static func trimmedOverruns(_ words: [Word], lastCharacters: Bool = false) -> [Word] {
        guard words.count > 1 else { return words }
        var out = words
        for i in words.indices {
            let a = words[i].box
            let height = a.y1 - a.y0
            let slack = 0.25 * height
            let inside = words.indices.filter { j in
                guard j != i, words[j].confidence >= 0.5 else { return false }
                let b = words[j].box
                let overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
                return b.x0 > a.x0 + slack && b.x0 < a.x1 && b.x1 <= a.x1 + slack && b.y1 - b.y0 >= 0.5 * height
                    && overlap >= 0.5 * min(height, b.y1 - b.y0)
            }
            // One word alone inside cuts the box only when it is a single letter or digit at the box's end
            // (`size` boxed over `size M` on a 96 DPI scan: `M` took a line of its own, and the row's
            // description and numbers were dealt between the two lines). A longer word alone still cuts
            // nothing (`Terms` over `of`, below).
            let oneAtTheEnd = inside.count == 1 && words[inside[0]].text.count == 1
                && words[inside[0]].text.allSatisfy { $0.isLetter || $0.isNumber } && words[inside[0]].box.x1 >= a.x1 - slack
            guard inside.count >= 2 || (lastCharacters && oneAtTheEnd), let first = inside.map({ words[$0].box.x0 }).min() else { continue }
            let end = first - min(2, 0.1 * (a.y1 - a.y0))
            // A box cut to less than a letter per character is no word's box: leave it.
            guard end - a.x0 >= 0.25 * (a.y1 - a.y0) * Double(max(1, words[i].text.count)) else { continue }
            out[i].box = Box(x0: a.x0, y0: a.y0, x1: end, y1: a.y1)
        }
        return out
    }

    /// `words` with a word OCR ran together from two, read unsure (under 0.5), split where the second
    /// begins: a capital and a lower-case letter after three letters or more of which one is lower-case,
    /// three letters or more following (`PackagedNet`, `PackageWNet` for `Packages Net` in a packing
    /// list's header on 96–100 DPI scans, which lost every line's packages and net weight). Each part
    /// gets the share of the box its letters take. Letters only: `GmbH`, `McKinley`, `INVOICE`, a word
    /// read sure, or one with a digit or mark, are left as read.
    static func splitRunTogether(_ words: [Word]) -> [Word] {
        var out: [Word] = []
        out.reserveCapacity(words.count)
        for w in words {
            let text = Array(w.text)
            guard w.confidence < 0.5, text.count >= 6, text.allSatisfy(\.isLetter),
                  let k = (3..<(text.count - 2)).first(where: { k in
                      text[k].isUppercase && text[k + 1].isLowercase && text[k + 2].isLowercase && text[..<k].contains(where: \.isLowercase)
                  }) else {
                out.append(w)
                continue
            }
            let cut = w.box.x0 + w.box.width * Double(k) / Double(text.count)
            out.append(Word(text: String(text[..<k]), box: Box(x0: w.box.x0, y0: w.box.y0, x1: cut, y1: w.box.y1), confidence: w.confidence))
            out.append(Word(text: String(text[k...]), box: Box(x0: cut, y0: w.box.y0, x1: w.box.x1, y1: w.box.y1), confidence: w.confidence))
        }
        return out
    }

    /// Unit words as OCR misreads them after a quantity, and what they are: `l` read as `i` and
    /// `g` as `q` at 100 DPI (`6 x 750 mi`, `540 mi`, `2,260 kq` on the twenty-third round's scans).
    /// Only after a number is the repair safe: `mi` and `kq` stand for nothing a quantity is counted in.
    static let misreadUnits: [String: String] = ["mi": "ml", "mI": "ml", "kq": "kg", "Kq": "Kg", "KQ": "KG"]

    /// `words` with a unit misread after its quantity (`misreadUnits`) read as printed: the unit as
    /// a word of its own right after a word ending in a digit on its line (`750 mi`), or glued to its
    /// quantity (`750mi`). Punctuation after the unit is kept (`540 mi,`).
    static func repairedUnits(_ words: [Word]) -> [Word] {
        var out = words
        for i in words.indices {
            let text = words[i].text
            let tail = String(text.reversed().prefix { ".,;:)".contains($0) }.reversed())
            let body = text.dropLast(tail.count)
            let letters = String(body.reversed().prefix { $0.isLetter }.reversed())
            guard let unit = misreadUnits[letters] else { continue }
            let quantity = body.dropLast(letters.count)
            if quantity.isEmpty {
                guard i > 0, words[i - 1].text.last?.isNumber == true, Self.followsOnItsLine(words[i], words[i - 1]) else { continue }
            } else {
                guard quantity.first?.isNumber == true, quantity.last?.isNumber == true,
                      quantity.allSatisfy({ $0.isNumber || $0 == "." || $0 == "," }) else { continue }
            }
            out[i].text = String(quantity) + unit + tail
        }
        return out
    }

    /// `words` with an exclamation mark read for an `l` inside or at the end of a lower-case word read
    /// as `l`: `Merino woo! scarf` on 100–120 DPI scans, where the `l`'s foot and stem came apart (seeds
    /// 41 and 293). No expected field of the fixtures holds a `!`; a mark after a word that ends its
    /// line (`Thank you!`), after a capital, a digit or another mark, or alone, is left as printed.
    static func lettersForExclamationMarks(_ words: [Word]) -> [Word] {
        var out = words
        for i in words.indices where words[i].text.contains("!") {
            let text = Array(words[i].text)
            var changed = text
            for (k, c) in text.enumerated() where c == "!" && k > 0 && text[k - 1].isLowercase {
                let atEnd = k == text.count - 1
                if atEnd {
                    guard i + 1 < words.count, followsOnItsLine(words[i + 1], words[i]) else { continue }
                } else if !text[k + 1].isLowercase {
                    continue
                }
                changed[k] = "l"
            }
            if changed != text { out[i].text = String(changed) }
        }
        return out
    }

    /// `words` with the French numero sign `n°` read as a letter and a quotation mark (`Facture a”` on a
    /// 96 DPI certificate, whose invoice number was then lost and taken for the buyer): a word of a
    /// lower-case `a`, `n` or `u` and a raised mark (`°`, `º`, `”`, `“`, `"`) right after a word of
    /// letters on its line is `n°`. No word of the languages read is a letter and a raised mark; a
    /// mark after a digit (`5”`, inches) or alone, or such a word opening a line, is left as read.
    static func numeroSigns(_ words: [Word]) -> [Word] {
        var out = words
        for i in words.indices.dropFirst() {
            let text = Array(words[i].text)
            guard text.count == 2, "anu".contains(text[0]), "°º”“\"".contains(text[1]), words[i].text != "n°",
                  words[i - 1].text.contains(where: \.isLetter), words[i - 1].text.allSatisfy({ $0.isLetter || $0 == "." }),
                  followsOnItsLine(words[i], words[i - 1]) else { continue }
            out[i].text = "n°"
        }
        return out
    }

    /// Legal forms that end a company's name, and the language (`TesseractOCR.rereadLanguages`) whose
    /// accents the name carries: `Maison Lefèvre SARL`, `Schwarzwälder Uhrenmanufaktur … GmbH`. Forms
    /// that several languages share (`SA`, `AG`, `BV`) name no language.
    static let legalFormLanguages: [String: String] = [
        "SARL": "fr", "S.A.R.L.": "fr", "SAS": "fr", "S.A.S.": "fr", "SASU": "fr", "EURL": "fr",
        "GmbH": "de", "GMBH": "de", "mbH": "de", "MBH": "de",
    ]

    /// The lines of `words` that end in a legal form (`legalFormLanguages`, a comma or point after it
    /// allowed): the form and the words before it on its line, each within two heights of the next,
    /// with the form's language. Indices in reading order.
    static func companyNameLines(_ words: [Word]) -> [(words: [Int], language: String)] {
        var out: [(words: [Int], language: String)] = []
        for i in words.indices {
            var form = words[i].text.trimmingCharacters(in: CharacterSet(charactersIn: ",;"))
            if legalFormLanguages[form] == nil, form.hasSuffix(".") { form.removeLast() }
            guard let language = legalFormLanguages[form] else { continue }
            var line = [i]
            var j = i
            while j > 0, followsOnItsLine(words[j], words[j - 1]) {
                j -= 1
                line.insert(j, at: 0)
            }
            if line.count >= 2 { out.append((line, language)) }
        }
        return out
    }

    /// `new`, the name read in its language, when it differs from `old`, the English reading, only in
    /// accents: nil unless both have as many words, each pair the same once accents are set aside, and
    /// some pair differs. A reading that changes a letter or splits a word is no repair of an accent.
    static func accents(_ old: [String], _ new: [String]) -> [String]? {
        guard old.count == new.count, old != new else { return nil }
        func bare(_ s: String) -> String { s.folding(options: .diacriticInsensitive, locale: nil) }
        guard zip(old, new).allSatisfy({ bare($0) == bare($1) }) else { return nil }
        return new
    }

    /// Whether `word` stands right after `before` on the same line: their boxes share half the
    /// smaller height, and the gap between them is under two heights of the word.
    static func followsOnItsLine(_ word: Word, _ before: Word) -> Bool {
        let a = before.box, b = word.box
        let height = min(a.y1 - a.y0, b.y1 - b.y0)
        let overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
        return height > 0 && overlap >= 0.5 * height && b.x0 >= a.x1 - 0.25 * height && b.x0 - a.x1 <= 2 * (b.y1 - b.y0)
    }

    /// Number words read with less confidence than this are read again alone (`numberReread`).
    static let numberRereadBelow = 0.9
    /// At most this many words a page are read again: a page of garble does not cost a reading per word.
    static let maxNumberRereads = 48

    /// Whether `text` is a number as a table prints it (`7013.37`, `1,200`, `24.60`, `6403.91`):
    /// two digits or more, and nothing but digits and the marks that group them.
    static func isNumber(_ text: String) -> Bool {
        text.filter(\.isASCII).filter(\.isNumber).count >= 2 && text.allSatisfy { $0.isASCII && ($0.isNumber || ".,-/'".contains($0)) }
    }

    /// The digits of `text` as `9`, its marks as printed: two readings of one number differ in
    /// their digits only when their shapes are equal.
    static func shape(_ text: String) -> String {
        String(text.map { $0.isNumber ? "9" : $0 })
    }

    /// The word's new text when reading it alone (`again`) is trusted over the page's reading: one
    /// word, a number of the same shape (only its digits differ: a `7` the page read as `3`), read
    /// surer by a tenth, and sure (0.85). A reading that changes the number's length or its marks
    /// is no repair of a digit and is not taken: the page's layout saw the whole word.
    static func numberReread(_ old: Word, again: [Word]) -> Word? {
        guard again.count == 1, let new = again.first, new.text != old.text, isNumber(new.text),
              shape(new.text) == shape(old.text), new.confidence >= max(0.85, old.confidence + 0.1) else { return nil }
        var out = old
        out.text = new.text
        out.confidence = new.confidence
        return out
    }
}
