import CustomsModel
import Foundation

/// Table cells OCR misread, repaired where the document's own values witness the repair: a
/// weight whose decimal mark was lost, a country code read with a slipped letter or with a grid
/// line glued to it. OCR pages only: a text layer's cells are what the document printed.
/// Every repair is a `repaired_value` warning at lower confidence, so the draft is reviewed.
extension Run {
    /// The weight columns of a line, with the document total each one adds up to.
    static var weightColumns: [(line: WritableKeyPath<DocumentLine, String?>, key: String, total: KeyPath<ExtractedDocument, String?>)] {
        [(\.netWeight, "net_weight", \.netWeight), (\.grossWeight, "gross_weight", \.grossWeight)]
    }

    /// Whether OCR's text of a number cell shows no decimal mark at all and two digits or more
    /// (`144`, `75`, `210`): what a weight printed as `14.4` reads as when its point is lost.
    static func showsNoMark(_ text: String) -> Bool {
        !text.contains(where: { $0 == "." || $0 == "," }) && text.filter(\.isNumber).count >= 2
    }

    /// The digits a cell shows after its decimal mark, when it shows one with one or two digits
    /// after it (`21.0` → 1, `12,25` → 2); three digits after a mark are thousands.
    static func shownDecimals(_ text: String) -> (places: Int, trailingZero: Bool)? {
        let cs = Array(text.filter { $0.isNumber || $0 == "." || $0 == "," })
        guard let at = cs.lastIndex(where: { $0 == "." || $0 == "," }), (1...2).contains(cs.count - at - 1) else { return nil }
        return (cs.count - at - 1, cs.last == "0")
    }

    /// Weights whose decimal mark OCR lost (`144` for 14.4, `210` for 21.0), read with the mark
    /// again when one of three witnesses says where it was:
    /// 1. the column's printed total (`Total gross weight: 45.3`): the one choice of cells taken one
    ///    or two places down with which the column adds up to it; a column that already adds up is
    ///    left alone;
    /// 2. with no total that settles it, the column's other cells printed with a fixed number of decimals,
    ///    one of them showing a trailing zero (`21.0`): the cell gets as many;
    /// 3. a line's net weight above its gross weight: the net weight taken the fewest places down
    ///    that puts it under the gross weight.
    /// A gross weight taken down below its line's net weight is not taken (the witnesses disagree).
    mutating func repairWeightMarks(_ lineEvs: inout [[String: Evidence]]) {
        var confirmedByTotal = Set<String>()
        var repaired: [(line: Int, key: String, places: Int, witness: String)] = []
        for column in Self.weightColumns {
            let read = doc.lines.indices.filter { doc.lines[$0][keyPath: column.line] != nil && lineEvs[$0][column.key] != nil }
            let candidates = read.filter { i in
                isScanned(line: i) && Self.showsNoMark(lineEvs[i][column.key]!.text) && doc.lines[i][keyPath: column.line].flatMap(dec).map { $0 >= 10 } == true
            }
            let values = Dictionary(uniqueKeysWithValues: read.map { ($0, doc.lines[$0][keyPath: column.line].flatMap(dec) ?? 0) })
            if let total = doc[keyPath: column.total].flatMap(dec), read.count == doc.lines.count {
                let sum = values.values.reduce(0, +)
                let tolerance = Decimal(string: "0.001")!
                if abs(sum - total) <= tolerance {
                    confirmedByTotal.insert(column.key)
                    continue
                }
                // Every choice of 0, 1 or 2 places for each candidate; exactly one must add up. When
                // none does, the total itself may be misread, and the column's format may still say.
                var matches: [[Int]] = []
                var places = [Int](repeating: 0, count: candidates.count)
                if !candidates.isEmpty, candidates.count <= 6 {
                    repeat {
                        var s = sum
                        for (k, i) in candidates.enumerated() where places[k] > 0 {
                            s += Self.shifted(values[i]!, places[k]) - values[i]!
                        }
                        if abs(s - total) <= tolerance { matches.append(places) }
                    } while Self.nextChoice(&places, base: 3)
                }
                if matches.count > 1 { continue }
                if let choice = matches.first {
                    for (k, i) in candidates.enumerated() where choice[k] > 0 {
                        repaired.append((i, column.key, choice[k], "the column adds up to its total \(Values.plain(total))"))
                    }
                    confirmedByTotal.insert(column.key)
                    continue
                }
            }
            let shown = read.filter { !candidates.contains($0) }.compactMap { Self.shownDecimals(lineEvs[$0][column.key]!.text) }
            guard let d = shown.first?.places, shown.allSatisfy({ $0.places == d }), shown.contains(where: \.trailingZero) else { continue }
            for i in candidates {
                repaired.append((i, column.key, d, "the column's other cells are printed with \(d) decimal\(d == 1 ? "" : "s")"))
            }
        }
        func value(_ i: Int, _ key: String) -> Decimal? {
            let column = Self.weightColumns.first { $0.key == key }!
            guard let v = doc.lines[i][keyPath: column.line].flatMap(dec) else { return nil }
            return repaired.first { $0.line == i && $0.key == key }.map { Self.shifted(v, $0.places) } ?? v
        }
        // A gross weight taken below a net weight printed with its mark: the fixed format did not
        // hold for that cell. (A net weight with no mark either is the one to move, below.)
        let contradicted = repaired.indices.filter { k in
            let r = repaired[k]
            guard r.key == "gross_weight", !confirmedByTotal.contains("gross_weight"), let net = value(r.line, "net_weight"),
                  let e = lineEvs[r.line]["net_weight"] else { return false }
            return value(r.line, "gross_weight")! < net && !Self.showsNoMark(e.text)
        }
        for k in contradicted.reversed() { repaired.remove(at: k) }
        if !confirmedByTotal.contains("net_weight") {
            for i in doc.lines.indices where !repaired.contains(where: { $0.line == i && $0.key == "net_weight" }) {
                guard let net = value(i, "net_weight"), let gross = value(i, "gross_weight"), net > gross, let e = lineEvs[i]["net_weight"],
                      isScanned(line: i), Self.showsNoMark(e.text),
                      let places = (1...2).first(where: { Self.shifted(net, $0) <= gross }) else { continue }
                repaired.append((i, "net_weight", places, "it is then no more than the line's gross weight \(Values.plain(gross))"))
            }
        }
        for r in repaired.sorted(by: { ($0.line, $0.key) < ($1.line, $1.key) }) {
            let column = Self.weightColumns.first { $0.key == r.key }!
            guard let v = doc.lines[r.line][keyPath: column.line].flatMap(dec), let e = lineEvs[r.line][r.key] else { continue }
            let taken = Values.plain(Self.shifted(v, r.places))
            doc.lines[r.line][keyPath: column.line] = taken
            lineEvs[r.line][r.key]?.confidence = min(e.confidence, 0.9) * 0.7
            problems.append(ExtractionProblem(
                code: "repaired_value",
                message: "line \(r.line + 1): \(r.key.replacingOccurrences(of: "_", with: " ")) read as '\(e.text)', taken as \(taken) (its decimal mark lost): \(r.witness)",
                field: "lines[\(r.line)].\(r.key)", severity: .warning))
        }
    }

    /// `v` with its decimal point moved `places` to the left.
    static func shifted(_ v: Decimal, _ places: Int) -> Decimal {
        var out = v
        for _ in 0..<places { out /= 10 }
        return out
    }

    /// The next choice of digits in `base`, counting up; false after the last.
    static func nextChoice(_ digits: inout [Int], base: Int) -> Bool {
        for k in digits.indices {
            digits[k] += 1
            if digits[k] < base { return true }
            digits[k] = 0
        }
        return false
    }
}

extension Run {
    /// A unit price and its line total that OCR set in one cell, the other cell left empty
    /// (`290,00 870,00` under `Einzelpreis` when the amounts' header was lost, `35.00 140.00`
    /// under `Unit Value` when `Tota! Value` was not read): the cell's words split in two where the
    /// quantity times the left number is the right one, to the cent. The one such split, or nil.
    static func mergedPriceAndTotal(_ words: [Word], quantity: Decimal, mark: DecimalMark) -> (price: Decimal, total: Decimal, at: Int)? {
        guard words.count >= 2, quantity > 0 else { return nil }
        var found: [(Decimal, Decimal, Int)] = []
        for k in 1..<words.count {
            guard let (p, _) = Values.number(words[..<k].map(\.text).joined(separator: " "), mark: mark),
                  let (t, _) = Values.number(words[k...].map(\.text).joined(separator: " "), mark: mark),
                  p > 0, t > 0, abs(quantity * p - t) <= Decimal(string: "0.011")! else { continue }
            found.append((p, t, k))
        }
        // A sign between the two (`1.395,- € 8.370,-`) splits on either side of it to the same amounts.
        return Set(found.map { "\($0.0) \($0.1)" }).count == 1 ? found[0] : nil
    }

    /// Splits a merged unit price and line total (`mergedPriceAndTotal`) on an OCR page: fills the
    /// line's two amounts and their evidence, and says so as a warning.
    mutating func splitMergedAmounts(_ line: inout DocumentLine, _ ev: inout [String: Evidence], _ raw: inout [String: Evidence],
                                     cells: [Column: [Word]], page: Int) {
        guard ocrPages.contains(page), let q = line.quantity.flatMap(dec) else { return }
        let priceEmpty = cells[.unitPrice]?.isEmpty ?? true, totalEmpty = cells[.amount]?.isEmpty ?? true
        guard priceEmpty != totalEmpty, let words = cells[priceEmpty ? .amount : .unitPrice],
              let (p, t, at) = Self.mergedPriceAndTotal(words, quantity: q, mark: mark) else { return }
        line.unitPrice = Values.plain(p)
        line.lineTotal = Values.plain(t)
        var left = Evidence(words: Array(words[..<at]), page: page), right = Evidence(words: Array(words[at...]), page: page)
        left.confidence *= 0.8
        right.confidence *= 0.8
        ev["unit_price"] = left
        ev["line_total"] = right
        raw["unit_price"] = left
        raw["line_total"] = right
        problems.append(ExtractionProblem(
            code: "repaired_value",
            message: "line \(doc.lines.count + 1): '\(words.map(\.text).joined(separator: " "))' read in one cell, taken as unit price \(line.unitPrice!) and line total \(line.lineTotal!) (quantity × unit price = line total)",
            field: "lines[\(doc.lines.count)].line_total", severity: .warning))
    }
}

extension Run {
    /// Small letters that differ from their capitals only in size (`cz` for CZ).
    static let sizeOnlyLetters: Set<Character> = ["c", "k", "o", "p", "s", "u", "v", "w", "x", "z"]

    /// The country an origin cell that read as none stands for (`FA`, `[FA`, `bE`, `~=—sIN`, `cz`):
    /// - a code the same column reads on other lines (`codes`), when the cell's last two letters
    ///   are that code, or differ from it in one letter and from every other such code in more;
    /// - else a code in small letters that differ from capitals only in size (`cz`).
    /// Only cells of two to four letters: a word is no code.
    static func originCode(_ text: String, among codes: Set<String>) -> (code: String, how: String)? {
        let letters = Array(text.filter(\.isLetter))
        guard (2...4).contains(letters.count) else { return nil }
        let tail = String(letters.suffix(2))
        if codes.contains(tail.uppercased()) { return (tail.uppercased(), "the column's \(tail.uppercased())") }
        let near = codes.filter { code in zip(code, tail.uppercased()).filter { $0 != $1 }.count == 1 }
        if near.count == 1, let code = near.first { return (code, "one letter from the column's \(code)") }
        if letters.count == 2, letters.allSatisfy({ sizeOnlyLetters.contains($0) }) {
            let code = CountryCode(tail.uppercased())
            if code.isAssigned { return (code.rawValue, "small letters for capitals") }
        }
        return nil
    }

    /// Origin cells OCR misread (`originCode`) on scanned lines, repaired at lower confidence.
    mutating func repairOriginCells(_ lineEvs: inout [[String: Evidence]]) {
        let codes = Set(doc.lines.compactMap(\.originCountry))
        for i in doc.lines.indices where doc.lines[i].originCountry == nil && isScanned(line: i) {
            guard let cell = lineCells[i]["origin_country"], let (code, how) = Self.originCode(cell.text, among: codes) else { continue }
            doc.lines[i].originCountry = code
            var e = cell
            e.confidence = min(cell.confidence, 0.9) * 0.7
            lineEvs[i]["origin_country"] = e
            problems.append(ExtractionProblem(
                code: "repaired_value", message: "line \(i + 1): origin read as '\(cell.text)', taken as \(code) (\(how))",
                field: "lines[\(i)].origin_country", severity: .warning))
        }
    }
}

extension Run {
    /// Abbreviations of four letters or more that end in a point inside a description.
    static let pointedAbbreviations: Set<String> = ["incl", "excl", "inkl", "exkl", "approx", "appr", "resp", "bzgl", "zzgl", "conf"]

    /// A description as OCR read it, with the points that stand for commas read as commas
    /// (`Merino wool scarf. charcoal`, `Tulpenbollen, gemengd. 25 st`). At 100 DPI a comma's tail
    /// is a pixel or two and OCR reads it as a point; inside a description a point follows an
    /// abbreviation (`ca. 12 kg`, `Art. 40-125`, `nr. 2`, `incl. case`), so only a point after a
    /// word of four letters or more that is no known abbreviation, nor in capitals, and followed by
    /// another word is taken as a comma. A point that ends the description is left.
    static func commasForMisreadPeriods(_ text: String) -> String {
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard words.count >= 2 else { return text }
        for k in words.indices.dropLast() where words[k].hasSuffix(".") && !words[k + 1].isEmpty {
            let stem = words[k].dropLast()
            guard stem.count >= 4, stem.allSatisfy(\.isLetter), stem.contains(where: \.isLowercase),
                  !pointedAbbreviations.contains(stem.lowercased()) else { continue }
            words[k] = stem + ","
        }
        return words.joined(separator: " ")
    }
}
