import Foundation

/// The HS 2022 nomenclature: every subheading with its heading and chapter, so that a subheading
/// whose own text is only "Other" still says what it is about.
public struct Nomenclature: Sendable {
    public private(set) var chapters: [String: String] = [:]
    public private(set) var headings: [String: String] = [:]
    public private(set) var subheadings: [String: String] = [:]
    /// HS 2022 is in force from 2022-01-01 until the next edition (HS 2028) on 2028-01-01.
    public static let edition = "HS 2022"
    public static let inForce = (from: "2022-01-01", until: "2028-01-01")

    public init() {}

    init(chapters: [String: String], headings: [String: String], subheadings: [String: String]) {
        self.chapters = chapters; self.headings = headings; self.subheadings = subheadings
    }

    /// Parses `hs2022_nomenclature.csv` (`section,hscode,description,parent,level`). The `TOTAL`
    /// root row (parent of itself) and the statistical chapter 99 are skipped; rows with a code that does not match their level
    /// are errors naming the line.
    public init(csv: String, source: String = "hs2022_nomenclature.csv") throws(ClassificationError) {
        let table = try CSVTable(parsing: csv, source: source)
        let code = try table.column("hscode"), desc = try table.column("description"), level = try table.column("level")
        for (line, f) in table.rows {
            let c = f.field(code).trimmingCharacters(in: .whitespaces)
            // UN Comtrade adds chapter 99 "Commodities not specified according to kind" (section
            // TOTAL) for its statistics; it is no HS subheading and must never be an answer.
            if c == "TOTAL" || c.hasPrefix("99") { continue }
            guard c.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw .invalidData("\(source): line \(line): hscode '\(c)' is not numeric")
            }
            let text = f.field(desc)
            switch (c.count, f.field(level)) {
            case (2, "2"): chapters[c] = text
            case (4, "4"): headings[c] = text
            case (6, "6"): subheadings[c] = text
            default: throw .invalidData("\(source): line \(line): hscode '\(c)' does not match level '\(f.field(level))'")
            }
        }
        guard !subheadings.isEmpty else { throw .invalidData("\(source): no 6-digit subheadings") }
    }

    /// Restricted to some chapters (tests and small demos train on a slice).
    public func restricted(toChapters keep: Set<String>) -> Nomenclature {
        var n = Nomenclature()
        n.chapters = chapters.filter { keep.contains($0.key) }
        n.headings = headings.filter { keep.contains(String($0.key.prefix(2))) }
        n.subheadings = subheadings.filter { keep.contains(String($0.key.prefix(2))) }
        return n
    }

    /// "Chapter text; heading text; subheading text" — the meaning of the subheading in full.
    public func fullText(_ hs6: String) -> String {
        let ch = chapters[String(hs6.prefix(2))] ?? ""
        let hd = headings[String(hs6.prefix(4))] ?? ""
        let sub = subheadings[hs6] ?? ""
        return [ch, hd, sub].filter { !$0.isEmpty }.joined(separator: " > ")
    }

    public func contains(_ hs6: String) -> Bool { subheadings[hs6] != nil }
}

/// Which national tariff a destination declares in.
public enum TariffJurisdiction: String, Sendable, Codable, CaseIterable {
    case us = "US", eu = "EU", gb = "GB"

    /// The tariff for a destination country: EU members declare in the CN/TARIC, Northern Ireland
    /// (XI) is treated as GB here (the dual-tariff rules are out of scope).
    public static func forDestination(_ country: String) -> TariffJurisdiction? {
        let cc = country.uppercased()
        if cc == "US" { return .us }
        if cc == "GB" || cc == "UK" || cc == "XI" { return .gb }
        if cc == "EU" || euMembers.contains(cc) { return .eu }
        return nil
    }

    static let euMembers: Set<String> = [
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
        "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    ]
}

/// One line of a national tariff under an HS-6.
public struct TariffLine: Sendable, Equatable {
    /// Digits only, exactly as the tariff publishes it (never padded by us).
    public var code: String
    public var hs6: String
    /// The line's own text prefixed by its parents below the heading ("Of cotton > Men's").
    public var text: String
    /// A code that goes on a declaration (a leaf of the tariff tree).
    public var declarable: Bool
    /// Normalised tokens of `text`, one segment after another with ">" between segments, filled in
    /// by training so that answering needs no re-tokenising; split only when the line is used.
    public var tokenText: String

    public init(code: String, hs6: String, text: String, declarable: Bool, tokenText: String = "") {
        self.code = code; self.hs6 = hs6; self.text = text; self.declarable = declarable; self.tokenText = tokenText
    }

    /// Tokenises `text` segment by segment into the `tokenText` form.
    public static func tokenText(_ text: String, normalizer: TextNormalizer) -> String {
        text.components(separatedBy: " > ").map { normalizer.tokens($0).joined(separator: " ") }.joined(separator: " > ")
    }

    /// All tokens, and the tokens of the line's own (last) segment. `Classifier` splits every
    /// declarable line once at load (`LineTokens`); answering reads those.
    func tokens(_ normalizer: TextNormalizer) -> (all: [String], own: [String]) {
        let text = tokenText.isEmpty ? Self.tokenText(self.text, normalizer: normalizer) : tokenText
        let parts = text.split(separator: " ").map(String.init)
        let own = parts.lastIndex(of: ">").map { Array(parts[($0 + 1)...]) } ?? parts
        return (parts.filter { $0 != ">" }, own)
    }
}

/// The lines of one national tariff, indexed by HS-6.
public struct NationalTariff: Sendable {
    public var jurisdiction: TariffJurisdiction
    /// Edition label carried into every result ("US HTS 2026 Rev 4").
    public var edition: String
    public var lines: [TariffLine]
    public private(set) var byHS6: [String: [Int]] = [:]

    public init(jurisdiction: TariffJurisdiction, edition: String, lines: [TariffLine]) {
        self.jurisdiction = jurisdiction
        self.edition = edition
        self.lines = lines
        for (i, l) in lines.enumerated() { byHS6[l.hs6, default: []].append(i) }
    }

    public func declarableLines(under hs6: String) -> [TariffLine] {
        declarableIndices(under: hs6).map { lines[$0] }
    }

    /// Positions in `lines` of the declarable lines under `hs6`.
    func declarableIndices(under hs6: String) -> [Int] {
        (byHS6[hs6] ?? []).filter { lines[$0].declarable }
    }

    public func line(code: String) -> TariffLine? {
        let digits = String(code.filter { $0 != "." && $0 != " " })
        guard digits.count >= 6 else { return nil }
        return (byHS6[String(digits.prefix(6))] ?? []).map { lines[$0] }.first { $0.code == digits }
    }

    func restricted(to nomenclature: Nomenclature) -> NationalTariff {
        NationalTariff(jurisdiction: jurisdiction, edition: edition, lines: lines.filter { nomenclature.contains($0.hs6) })
    }

    /// US HTS (`hts_number,indent,description`): a row's parents are the nearest earlier rows with a
    /// smaller indent; 10-digit rows are the declarable statistical lines.
    public static func usHTS(csv: String, nomenclature: Nomenclature, source: String = "us_hts_2026_rev4_lines.csv") throws(ClassificationError) -> NationalTariff {
        let table = try CSVTable(parsing: csv, source: source)
        let num = try table.column("hts_number"), ind = try table.column("indent"), desc = try table.column("description")
        var stack: [(indent: Int, digits: String, text: String)] = []
        var lines: [TariffLine] = []
        for (lineNo, f) in table.rows {
            guard let indent = Int(f.field(ind)) else {
                throw .invalidData("\(source): line \(lineNo): indent '\(f.field(ind))' is not a number")
            }
            let digits = String(f.field(num).filter { $0.isASCII && $0.isNumber })
            let text = f.field(desc)
            while let top = stack.last, top.indent >= indent { stack.removeLast() }
            if digits.count >= 8 {
                let hs6 = String(digits.prefix(6))
                if nomenclature.contains(hs6) {
                    // Parents below the heading: everything after the last row whose code has ≤ 4 digits.
                    let below = stack.lastIndex { !$0.digits.isEmpty && $0.digits.count <= 4 }.map { stack[($0 + 1)...] } ?? stack[...]
                    let path = (below.map(\.text) + [text]).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ": \n\t")) }
                    lines.append(TariffLine(code: digits, hs6: hs6, text: path.joined(separator: " > "), declarable: digits.count == 10))
                }
            }
            stack.append((indent, digits, text))
        }
        return NationalTariff(jurisdiction: .us, edition: "US HTS 2026 Rev 4", lines: lines)
    }

    /// EU CN/TARIC (`goods_code,hier_pos,language,description`): records sharing a code are joined;
    /// a code is declarable when no deeper code starts with it. National codes are the published
    /// 10-digit goods codes.
    public static func euCN(csv: String, nomenclature: Nomenclature, source: String = "eu_cn_nomenclature_en.csv") throws(ClassificationError) -> NationalTariff {
        let table = try CSVTable(parsing: csv, source: source)
        let codeCol = try table.column("goods_code"), posCol = try table.column("hier_pos"), desc = try table.column("description")
        var order: [String] = []
        var texts: [String: [String]] = [:]
        var level: [String: Int] = [:]
        for (lineNo, f) in table.rows {
            let code = f.field(codeCol)
            guard code.count == 10, code.allSatisfy({ $0.isASCII && $0.isNumber }), let pos = Int(f.field(posCol)) else {
                throw .invalidData("\(source): line \(lineNo): goods_code '\(code)' / hier_pos '\(f.field(posCol))' is not a 10-digit code with a level")
            }
            guard pos >= 6, nomenclature.contains(String(code.prefix(6))) else { continue }
            let text = f.field(desc).replacingOccurrences(of: "|", with: " ").replacingOccurrences(of: "\n", with: " ")
            if texts[code] == nil { order.append(code); level[code] = pos }
            texts[code, default: []].append(text)
        }
        var hasChild = Set<String>()
        for code in order {
            guard let pos = level[code], pos > 6 else { continue }
            hasChild.insert(String(code.prefix(6)))
            if pos == 10 { hasChild.insert(String(code.prefix(8))) }
        }
        var lines: [TariffLine] = []
        for code in order {
            guard let pos = level[code] else { continue }
            let hs6 = String(code.prefix(6))
            guard nomenclature.contains(hs6) else { continue }
            let own = (texts[code] ?? []).joined(separator: " > ")
            var path = [own]
            if pos == 10, let parent = texts[String(code.prefix(8)) + "00"], level[String(code.prefix(8)) + "00"] == 8 {
                path.insert(parent.joined(separator: " > "), at: 0)
            }
            if pos > 6, let h6 = texts[hs6 + "0000"] { path.insert(h6.joined(separator: " > "), at: 0) }
            let key = pos == 6 ? hs6 : String(code.prefix(pos == 8 ? 8 : 10))
            let declarable = !hasChild.contains(key)
            lines.append(TariffLine(code: code, hs6: hs6, text: path.joined(separator: " > "), declarable: declarable))
        }
        return NationalTariff(jurisdiction: .eu, edition: "EU CN/TARIC (CIRCABC export 2026)", lines: lines)
    }

    /// UK Global Tariff 2021 (`commodity,description`): every row is a declarable commodity with a
    /// self-contained description. Codes are HS 2017 based, so only rows under an HS-6 that still
    /// exists in HS 2022 are kept.
    public static func ukTariff(csv: String, nomenclature: Nomenclature, source: String = "uk_global_tariff_2021_lines.csv") throws(ClassificationError) -> NationalTariff {
        let table = try CSVTable(parsing: csv, source: source)
        let codeCol = try table.column("commodity"), desc = try table.column("description")
        var lines: [TariffLine] = []
        for (lineNo, f) in table.rows {
            let code = f.field(codeCol)
            guard code.count >= 8, code.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw .invalidData("\(source): line \(lineNo): commodity '\(code)' is not an 8–10 digit code")
            }
            let hs6 = String(code.prefix(6))
            guard nomenclature.contains(hs6) else { continue }
            lines.append(TariffLine(code: code, hs6: hs6, text: f.field(desc), declarable: true))
        }
        return NationalTariff(jurisdiction: .gb, edition: "UK Global Tariff 2021 (HS 2017 based)", lines: lines)
    }
}

/// A description with a known HS-6: a past ruling, a curated parcel reference or a person's
/// confirmed correction. These make up the nearest-neighbour memory.
public struct LabelledExample: Sendable, Codable, Equatable {
    public var description: String
    public var hs6: String
    public var nationalCode: String?
    /// Where it comes from, for evidence: "ruling US N074757", "parcel reference", "correction".
    public var source: String
    public var confirmedBy: String?
    public var confirmedAt: String?
    /// Who wrote the text: decides its weight and whether it fits the ranker and the calibration.
    public var origin: ExampleOrigin = .reference

    public init(description: String, hs6: String, nationalCode: String? = nil, source: String, confirmedBy: String? = nil, confirmedAt: String? = nil, origin: ExampleOrigin = .reference) {
        self.description = description; self.hs6 = hs6; self.nationalCode = nationalCode
        self.source = source; self.confirmedBy = confirmedBy; self.confirmedAt = confirmedAt; self.origin = origin
    }

    enum CodingKeys: String, CodingKey {
        case description, hs6, source
        case nationalCode = "national_code"
        case confirmedBy = "confirmed_by"
        case confirmedAt = "confirmed_at"
    }

    /// `labeled_rulings_dev.csv`. Rows whose HS-6 is not an HS 2022 subheading (old rulings under an
    /// earlier edition) are skipped and reported in `skipped` with their line.
    public static func rulings(csv: String, nomenclature: Nomenclature, source: String = "labeled_rulings_dev.csv", skipped: inout [String]) throws(ClassificationError) -> [LabelledExample] {
        let table = try CSVTable(parsing: csv, source: source)
        let d = try table.column("description"), h = try table.column("hs6"), n = try table.column("national_code")
        let j = try table.column("jurisdiction"), r = try table.column("reference")
        var out: [LabelledExample] = []
        for (line, f) in table.rows {
            let hs6 = f.field(h)
            guard nomenclature.contains(hs6) else { skipped.append("\(source): line \(line): hs6 '\(hs6)' is not an HS 2022 subheading"); continue }
            let national = f.field(n)
            out.append(LabelledExample(description: f.field(d), hs6: hs6, nationalCode: national.isEmpty ? nil : national,
                                   source: "ruling \(f.field(j)) \(f.field(r))", origin: .authority))
        }
        return out
    }

    /// `uk_parcel_item_descriptions.csv` (`description,commodity_code,hs6`).
    public static func parcelReferences(csv: String, nomenclature: Nomenclature, source: String = "uk_parcel_item_descriptions.csv", skipped: inout [String]) throws(ClassificationError) -> [LabelledExample] {
        let table = try CSVTable(parsing: csv, source: source)
        let d = try table.column("description"), c = try table.column("commodity_code"), h = try table.column("hs6")
        var out: [LabelledExample] = []
        for (line, f) in table.rows {
            let hs6 = f.field(h)
            guard nomenclature.contains(hs6) else { skipped.append("\(source): line \(line): hs6 '\(hs6)' is not an HS 2022 subheading"); continue }
            let code = f.field(c)
            out.append(LabelledExample(description: f.field(d), hs6: hs6, nationalCode: code.isEmpty ? nil : code, source: "parcel reference GB"))
        }
        return out
    }
}

/// Everything the classifier is trained from, already parsed. Built at the edge from files.
public struct KnowledgeBase: Sendable {
    public var nomenclature: Nomenclature
    public var tariffs: [NationalTariff]

    public init(nomenclature: Nomenclature, tariffs: [NationalTariff]) {
        self.nomenclature = nomenclature
        self.tariffs = tariffs
    }

    public func tariff(_ j: TariffJurisdiction) -> NationalTariff? { tariffs.first { $0.jurisdiction == j } }

    /// A slice of the knowledge base limited to some chapters, for fast tests and demos.
    public func restricted(toChapters keep: Set<String>) -> KnowledgeBase {
        let n = nomenclature.restricted(toChapters: keep)
        return KnowledgeBase(nomenclature: n, tariffs: tariffs.map { $0.restricted(to: n) })
    }
}

/// One declarable tariff line's tokens, split once when the classifier is built: every answer
/// ranks the lines under its subheading by them (evidence, national line), and splitting and
/// hashing them per query was a third of the time per item.
struct LineTokens: Sendable {
    var all: [String]
    var own: [String]
    /// The distinct tokens of `all`, sorted, with their squared IDF weights, and the sum of those
    /// (the squared norm of the line's word-set vector in `Classifier.overlap`). Sorted, two lines
    /// of the same text sum the same weights in the same order, so their overlaps tie exactly and
    /// the lower code wins in every run (a set's order follows the process's hash seed).
    var distinct: [String]
    var squaredWeights: [Double]
    var squaredNorm: Double

    init(_ line: TariffLine, normalizer: TextNormalizer, idf: [Float]) {
        (all, own) = line.tokens(normalizer)
        distinct = Set(all).sorted()
        squaredWeights = distinct.map { t in
            let w = Double(idf[Int(FeatureHasher.bucket(t, seed: 1))])
            return w * w
        }
        squaredNorm = squaredWeights.reduce(0, +)
    }

    /// The tokens of every declarable line of each of `tariffs`, by tariff and line position.
    static func table(_ tariffs: [NationalTariff], normalizer: TextNormalizer, idf: [Float]) -> [[LineTokens?]] {
        tariffs.map { tariff in tariff.lines.map { $0.declarable ? LineTokens($0, normalizer: normalizer, idf: idf) : nil } }
    }
}
