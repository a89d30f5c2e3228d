import CustomsModel
import Foundation

/// A party to screen. Only `name` is required; every other field, when given, can only demote a
/// name match (or, for an exact identifier, confirm it): agreement never turns a weak name match
/// into a block.
public struct ScreeningQuery: Hashable, Sendable {
    public var id: String?
    public var name: String
    public var type: EntityType?
    public var country: CountryCode?
    public var dateOfBirth: BirthDate?
    public var identifiers: [String]

    public init(id: String? = nil, name: String, type: EntityType? = nil, country: CountryCode? = nil, dateOfBirth: BirthDate? = nil, identifiers: [String] = []) {
        self.id = id
        self.name = name
        self.type = type
        self.country = country
        self.dateOfBirth = dateOfBirth
        self.identifiers = identifiers
    }
}

public enum Decision: String, Hashable, Sendable, Codable, Comparable {
    case clear, review, block

    private var rank: Int {
        switch self {
        case .clear: 0
        case .review: 1
        case .block: 2
        }
    }
    public static func < (a: Decision, b: Decision) -> Bool { a.rank < b.rank }
}

/// The two calibrated cut-offs (see `screen-bench`): at or above `block` a match stops the
/// shipment, at or above `review` a person looks at it.
public struct Thresholds: Hashable, Sendable, Codable {
    public var review: Double
    public var block: Double
    public init(review: Double, block: Double) {
        self.review = review
        self.block = block
    }
    public static let standard = Thresholds(review: 0.84, block: 0.93)

    /// Why these cut-offs cannot work, or nil: both must be finite, within 0…1, review ≤ block.
    /// A threshold of 2 or NaN would turn an exact match into `clear`.
    public var problem: String? {
        guard review.isFinite, (0...1).contains(review) else { return "the review threshold \(review) is not between 0 and 1" }
        guard block.isFinite, (0...1).contains(block) else { return "the block threshold \(block) is not between 0 and 1" }
        guard review <= block else { return "the review threshold \(review) is above the block threshold \(block)" }
        return nil
    }

    public func decision(for score: Double) -> Decision {
        score >= block ? .block : score >= review ? .review : .clear
    }
}

/// How a token pair was judged.
public enum MatchMethod: String, Hashable, Sendable, Codable {
    case exact, initial, glued, phonetic
    /// Mean of Jaro-Winkler and 1 − edits/length.
    case editSimilarity = "edit_similarity"
    /// A spelling pair mined from the lists' own aliases.
    case aliasVariant = "alias_variant"
}

/// One aligned pair of tokens in the evidence.
public struct AlignedToken: Hashable, Sendable, Codable {
    public var query: String
    public var listed: String
    public var score: Double
    public var method: MatchMethod
}

public struct Qualifier: Hashable, Sendable, Codable {
    public var kind: String
    public var effect: Double
    public var detail: String
}

/// Why a hit scored what it scored; stored with every decision.
public struct MatchEvidence: Hashable, Sendable, Codable {
    public var listVersion: String
    public var matchedName: String
    public var nameQuality: NameQuality
    public var queryTokens: [String]
    public var listedTokens: [String]
    public var aligned: [AlignedToken]
    public var unmatchedQuery: [String]
    public var unmatchedListed: [String]
    public var nameScore: Double
    public var qualifiers: [Qualifier]
    public var normalisation: [String]
    /// Caps applied to the score (weak alias, no distinctive token matched).
    public var caps: [String]

    enum CodingKeys: String, CodingKey {
        case listVersion = "list_version"
        case matchedName = "matched_name"
        case nameQuality = "name_quality"
        case queryTokens = "query_tokens"
        case listedTokens = "listed_tokens"
        case aligned
        case unmatchedQuery = "unmatched_query"
        case unmatchedListed = "unmatched_listed"
        case nameScore = "name_score"
        case qualifiers, normalisation, caps
    }
}

public struct ScreeningHit: Hashable, Sendable, Codable {
    public var list: String
    public var entryID: String
    public var name: String
    public var matchedName: String
    public var type: EntityType
    public var programmes: [String]
    public var score: Double
    public var decision: Decision
    public var evidence: MatchEvidence

    enum CodingKeys: String, CodingKey {
        case list
        case entryID = "entry_id"
        case name
        case matchedName = "matched_name"
        case type, programmes, score, decision, evidence
    }
}

public struct ScreeningResult: Hashable, Sendable {
    public var query: ScreeningQuery
    public var decision: Decision
    /// The best hit's score, 0 when nothing came close.
    public var score: Double
    /// Hits at or above the review threshold, best first (at most `maxHits`).
    public var hits: [ScreeningHit]
    /// How many list names were scored: the blocking index's candidate count.
    public var candidatesScored: Int
}

/// The most work one screened name may cause. A name is compared token by token with every
/// candidate list name, so length, tokens and candidates multiply: each is capped. Callers refuse
/// a name over `maxNameCharacters` (see `ScreeningLimits.problem`); `Screener.screen` itself also
/// never looks past the caps, whatever it is given.
public enum ScreeningLimits {
    /// Characters (Unicode scalars) in one name: list names run to about 200.
    public static let maxNameCharacters = 300
    /// Scoring tokens of one name taken into account.
    public static let maxTokens = 24
    /// Candidate list names scored per query, rare-token and glued hits included.
    public static let maxCandidates = 1_000

    /// Why `name` cannot be screened, or nil: it is empty, longer than the limit, or holds letters
    /// of a script the normaliser cannot read.
    public static func problem(name: String) -> String? {
        if name.unicodeScalars.allSatisfy({ $0.properties.isWhitespace || Transliteration.invisible.contains($0.value) || $0.value < 0x20 }) {
            return "must not be empty: a party without a name cannot be screened"
        }
        let count = name.unicodeScalars.count
        if count > maxNameCharacters { return "is \(count) characters, over the \(maxNameCharacters)-character limit for a screened name" }
        if let letter = unreadableLetter(name) {
            return "holds '\(Character(letter))' (U+\(String(letter.value, radix: 16, uppercase: true))), a letter of a script the lists are not matched in (only Latin, Cyrillic, Greek and Arabic are read): give the name in Latin letters"
        }
        return nil
    }

    /// The first letter the normaliser cannot read: one outside the transliterated scripts that
    /// folds to nothing (Han, Kana, Hangul, Hebrew, Thai…). Such a name would be screened without
    /// it, so a listed name written in that script would come out clear; it is refused instead.
    static func unreadableLetter(_ name: String) -> Unicode.Scalar? {
        guard !name.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        for s in name.unicodeScalars where !s.isASCII && s.properties.isAlphabetic && Transliteration.script(of: s.value) == nil {
            switch s.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: continue
            default: break
            }
            if Transliteration.latinSpecials[s.value] != nil { continue }
            if NameNormaliser.fold(String(s)).0.isEmpty { return s }
        }
        return nil
    }
}

/// Screens names against a `ScreeningIndex`. Pure and deterministic: same index, same query, same result.
public struct Screener: Sendable {
    public let index: ScreeningIndex
    public var thresholds: Thresholds
    /// Candidate names kept after blocking, by summed IDF of the query tokens they share (150: on
    /// screen-bench's dev half, 300 and 150 give the same recall and false positives; 100 loses a partial name).
    public var candidateLimit: Int
    public var maxHits: Int

    public init(index: ScreeningIndex, thresholds: Thresholds = .standard, candidateLimit: Int = 150, maxHits: Int = 5) {
        self.index = index
        self.thresholds = thresholds
        self.candidateLimit = candidateLimit
        self.maxHits = maxHits
    }

    // Weights of the aggregate (see research note §3.3).
    static let unmatchedQueryWeight: Float = 1.0
    static let unmatchedListedWeight: Float = 0.25
    /// A person's whole family name, or the first listed given name, left out by the query: a
    /// different person more often than a middle name, a patronymic or one of two family names
    /// (MADURO MOROS) left out.
    static let unmatchedAnchorWeight: Float = 0.5
    /// A word of a firm's name left out by the query.
    static let unmatchedListedFirmWeight: Float = 0.5
    /// Pairs just over `matchFloor` are barely better than chance (Salma ~ Salim, 0.75): their credit
    /// rises from nothing at the floor to their full similarity here.
    static let doubtfulPairCeiling: Double = 0.76
    static let familyWeight: Float = 1.3
    static let matchFloor: Double = 0.72

    struct PreparedToken {
        var text: [UInt8]
        var string: String
        var role: TokenRole
        var id: Int32?
        var weight: Float
        var skeleton: [UInt8]
        var abjad: Bool
        var mask: UInt32
        var skeletonFirst: UInt16
        /// Spelling variants of this token mined from the lists' aliases (vocabulary ids).
        var equivalents: [Int32]
    }

    /// Which tokens of a name are taken: one word of bits for every real name, an array beyond.
    struct UsedSet {
        var bits: UInt64 = 0
        var overflow: [Bool]?
        init(count: Int) { if count > 64 { overflow = [Bool](repeating: false, count: count) } }
        @inline(__always) subscript(_ i: Int) -> Bool { overflow?[i] ?? (bits & (1 << UInt64(i)) != 0) }
        @inline(__always) mutating func insert(_ i: Int) {
            if overflow != nil { overflow![i] = true } else { bits |= 1 << UInt64(i) }
        }
    }

    /// A scored candidate name before evidence is written: cheap to make for every candidate.
    struct Scored {
        var nameID: Int32
        var score: Double
        var nameScore: Double
        var pairs: [(q: Int, n: Int, s: Double, method: MatchMethod)]
        var glued: Double?
        var qualifiers: [Qualifier]
        var caps: [String]
    }

    public func screen(_ query: ScreeningQuery) -> ScreeningResult {
        // Bounded work whatever the caller passes: the name is cut at the character limit and only
        // the first `maxTokens` scoring tokens are compared.
        var name = query.name
        if name.unicodeScalars.count > ScreeningLimits.maxNameCharacters {
            name = String(String.UnicodeScalarView(name.unicodeScalars.prefix(ScreeningLimits.maxNameCharacters)))
        }
        let asWritten = screen(query, name: name)
        // A right-to-left override shows its letters reversed: "\u{202E}NITUP RIMIDALV" reads as
        // VLADIMIR PUTIN on every screen and form. The name is screened as stored and as shown, and
        // the closer of the two readings decides.
        guard let shown = BidiDisplay.shownOrder(name) else { return asWritten }
        let asShown = screen(query, name: shown)
        var result = asShown.score > asWritten.score ? asShown : asWritten
        result.candidatesScored = asWritten.candidatesScored + asShown.candidatesScored
        return result
    }

    private func screen(_ query: ScreeningQuery, name: String) -> ScreeningResult {
        let normalised = NameNormaliser.normalise(name)
        let abjad = normalised.notes.contains("transliterated Arabic")
        let tokens = normalised.scoringTokens.prefix(ScreeningLimits.maxTokens).map { prepare($0, abjad: abjad) }
        guard !tokens.isEmpty else { return ScreeningResult(query: query, decision: .clear, score: 0, hits: [], candidatesScored: 0) }
        let gluedQuery = Array(normalised.glued.utf8)
        let weights = tokens.map(\.weight)
        let (candidates, best) = tokens.withUnsafeBufferPointer { tokenBuffer in weights.withUnsafeBufferPointer { weights in index.withScratch { scratch -> ([Int32], [Scored]) in
            // In name order: the flat tables are then read front to back (the result does not depend on the order).
            var candidates = candidateNames(tokens: tokens, glued: gluedQuery, scratch: &scratch)
            candidates.withUnsafeMutableBufferPointer { Self.sortIDs($0) }
            // The best name per entry. An entry's names have consecutive ids, so in id order they
            // come one after the other: the entry of the last kept is the only one to compare with.
            var best: [Scored] = []
            for nameID in candidates {
                if let type = query.type, !Self.typesComparable(type, index.nameType[Int(nameID)]) { continue }
                guard let scored = score(query: query, tokens: tokenBuffer, weights: weights, gluedQuery: gluedQuery, nameID: nameID, scratch: &scratch, keepPairs: false)
                else { continue }
                if let last = best.last, index.nameEntity[Int(last.nameID)] == index.nameEntity[Int(nameID)] {
                    // Ties keep the lower id, the one already kept.
                    if scored.score > last.score { best[best.count - 1] = scored }
                    continue
                }
                best.append(scored)
            }
            // Only the retained hits need their aligned pairs: score those again, keeping them.
            for i in best.indices where best[i].score >= thresholds.review {
                if let kept = score(query: query, tokens: tokenBuffer, weights: weights, gluedQuery: gluedQuery, nameID: best[i].nameID, scratch: &scratch, keepPairs: true) { best[i] = kept }
            }
            scratch.resetSimilarities()
            return (candidates, best)
        } } }
        var hits: [ScreeningHit] = best.filter { $0.score >= thresholds.review }.map {
            hit(for: $0, tokens: tokens, normalised: normalised, gluedQuery: gluedQuery)
        }
        let topScore = best.map(\.score).max() ?? 0
        // Exact identifier: decisive whatever the name says.
        if !query.identifiers.isEmpty {
            let wanted = Set(query.identifiers.map(EntityIdentifier.comparable).filter { $0.count >= ScreeningIndex.minimumIdentifierLength })
            for position in index.entities(withIdentifiers: wanted) {
                let entity = index.entities[position]
                let matched = entity.identifiers.first { wanted.contains($0.comparable) }
                let evidence = MatchEvidence(
                    listVersion: version(of: entity), matchedName: entity.primaryName, nameQuality: .primary, queryTokens: tokens.map(\.string),
                    listedTokens: [], aligned: [], unmatchedQuery: [], unmatchedListed: [], nameScore: 0,
                    qualifiers: [Qualifier(kind: "identifier", effect: 1, detail: "\(matched?.kind ?? "id") \(matched?.value ?? "") matches exactly")],
                    normalisation: normalised.notes, caps: [])
                hits.removeAll { $0.list == entity.listID && $0.entryID == entity.entryID }
                hits.append(ScreeningHit(
                    list: entity.listID, entryID: entity.entryID, name: entity.primaryName, matchedName: entity.primaryName, type: entity.type,
                    programmes: entity.programmes, score: 1, decision: .block, evidence: evidence))
            }
        }
        hits.sort { $0.score != $1.score ? $0.score > $1.score : ($0.list, $0.entryID) < ($1.list, $1.entryID) }
        let kept = Array(hits.prefix(maxHits))
        let decision = kept.map(\.decision).max() ?? .clear
        return ScreeningResult(
            query: query, decision: decision, score: Self.rounded(max(topScore, kept.first?.score ?? 0)), hits: kept, candidatesScored: candidates.count)
    }

    static func typesComparable(_ a: EntityType, _ b: EntityType) -> Bool {
        a == b || (a != .person && b != .person)
    }

    private func prepare(_ token: NameToken, abjad: Bool) -> PreparedToken {
        let bytes = Array(token.text.utf8)
        let skeleton = StringMetrics.skeleton(bytes)
        let id = index.tokenIDs[token.text]
        var weight = id.map { index.idf($0) } ?? index.unknownTokenIDF
        weight *= Self.roleWeight(token.role)
        return PreparedToken(
            text: bytes, string: token.text, role: token.role, id: id, weight: weight, skeleton: skeleton, abjad: abjad, mask: StringMetrics.letterMask(bytes),
            skeletonFirst: skeleton.first.map(UInt16.init) ?? 256,
            equivalents: id.flatMap { index.equivalents[$0] } ?? [])
    }

    static func roleWeight(_ role: TokenRole) -> Float {
        switch role {
        case .word, .number: 1
        case .initial: 0.5
        case .particle: 0.35
        case .stopWord: 0.25
        case .legalForm, .honorific: 0
        }
    }

    /// Blocking: vocabulary tokens reachable from the query tokens (exact, edit neighbours, same
    /// skeleton, mined spelling variants), their postings ranked by the summed IDF of distinct query
    /// tokens hit less a quarter of the name's own weight left unhit (so short, fully covered names
    /// rank above long names sharing one common word); the top `candidateLimit` names plus every
    /// name reached through a rare token or a glued spelling.
    func candidateNames(tokens: [PreparedToken], glued: [UInt8], scratch: inout ScreeningScratch) -> [Int32] {
        // Dense per-query arrays (kept in the scratch, only touched entries reset): postings of
        // common tokens reach thousands of names.
        var touched: [Int32] = []
        var touchedNow: [Int32] = []
        var rare: [Int32] = []
        var reach: [Int32] = []
        swap(&touched, &scratch.touched)
        swap(&touchedNow, &scratch.touchedNow)
        swap(&rare, &scratch.rare)
        swap(&reach, &scratch.reach)
        touched.removeAll(keepingCapacity: true)
        rare.removeAll(keepingCapacity: true)
        defer {
            swap(&touched, &scratch.touched)
            swap(&touchedNow, &scratch.touchedNow)
            swap(&rare, &scratch.rare)
            swap(&reach, &scratch.reach)
        }
        for token in tokens where token.role == .word || token.role == .number {
            reach.removeAll(keepingCapacity: true)
            let stamp = scratch.nextStamp()
            scratch.reachStamp.withUnsafeMutableBufferPointer { seen in
                func add(_ v: Int32) {
                    if seen[Int(v)] != stamp {
                        seen[Int(v)] = stamp
                        reach.append(v)
                    }
                }
                if let id = token.id { add(id) }
                if token.role == .word {
                    index.forEachEditNeighbour(token.text, add)
                    if token.skeleton.count >= 3, let same = index.skeletons[token.skeleton] { for v in same { add(v) } }
                    for v in token.equivalents { add(v) }
                }
            }
            touchedNow.removeAll(keepingCapacity: true)
            scratch.bestForToken.withUnsafeMutableBufferPointer { bestForToken in
                for v in reach {
                    let w = index.idfs[Int(v)]
                    index.postings[Int(v)].withUnsafeBufferPointer { posting in
                        for nameID in posting {
                            let i = Int(nameID)
                            if bestForToken[i] == 0 { touchedNow.append(nameID) }
                            if bestForToken[i] < w { bestForToken[i] = w }
                        }
                    }
                }
            }
            // On the raw buffers: a subscript write checked the array's uniqueness per name.
            let rareIDF = index.distinctiveIDF + 2
            scratch.bestForToken.withUnsafeMutableBufferPointer { bestForToken in
                scratch.accumulated.withUnsafeMutableBufferPointer { accumulated in
                    scratch.nameFlags.withUnsafeMutableBufferPointer { nameFlags in
                        for nameID in touchedNow {
                            let i = Int(nameID)
                            let w = bestForToken[i]
                            if accumulated[i] == 0 { touched.append(nameID) }
                            accumulated[i] += w
                            bestForToken[i] = 0
                            if w >= rareIDF && nameFlags[i] & 1 == 0 {
                                nameFlags[i] |= 1
                                rare.append(nameID)
                            }
                        }
                    }
                }
            }
        }
        // Split/joined spellings: the query glued whole, and each query token against glued list names.
        var gluedHits: [Int32] = index.gluedNames[glued] ?? []
        for token in tokens where token.text.count >= 5 { gluedHits += index.gluedNames[token.text] ?? [] }
        for nameID in gluedHits {
            let i = Int(nameID)
            if scratch.accumulated[i] == 0 { touched.append(nameID) }
            scratch.accumulated[i] += index.unknownTokenIDF
            if scratch.nameFlags[i] & 1 == 0 {
                scratch.nameFlags[i] |= 1
                rare.append(nameID)
            }
        }
        var ranked = scratch.accumulated.withUnsafeMutableBufferPointer { accumulated in
            index.blockingWeights.withUnsafeBufferPointer { blockingWeights in
                let ranked = touched.map { nameID -> (Int32, Float) in
                    let acc = accumulated[Int(nameID)]
                    let uncovered = max(0, blockingWeights[Int(nameID)] - acc)
                    return (nameID, acc - 0.25 * uncovered)
                }
                // Reset after: a name whose weight summed to 0 can be in `touched` twice.
                for nameID in touched { accumulated[Int(nameID)] = 0 }
                return ranked
            }
        }
        // Only which names are in the top matters: `screen` scores them in id order.
        Self.selectTop(&ranked, candidateLimit, sorted: false)
        var out = ranked.prefix(candidateLimit).map(\.0)
        for nameID in out { scratch.nameFlags[Int(nameID)] |= 2 }
        rare.withUnsafeMutableBufferPointer { Self.sortIDs($0) }
        var extra: [Int32] = []
        let room = max(0, ScreeningLimits.maxCandidates - out.count)
        for nameID in rare where extra.count < room && scratch.nameFlags[Int(nameID)] & 2 == 0 { extra.append(nameID) }
        for nameID in rare { scratch.nameFlags[Int(nameID)] = 0 }
        for nameID in out { scratch.nameFlags[Int(nameID)] = 0 }
        out += extra
        return out
    }

    /// Moves the best `k` (by score, then lower id) to the front, sorted; the rest stays unordered.
    /// Quickselect first: sorting every name a common token reaches was a tenth of a screen.
    /// With `sorted: false` the best `k` are only moved to the front, in no order.
    static func selectTop(_ items: inout [(Int32, Float)], _ k: Int, sorted: Bool = true) {
        // On the raw buffer: `swapAt` on the array checked uniqueness on every swap.
        items.withUnsafeMutableBufferPointer { selectTop(&$0, k, sorted: sorted) }
    }

    /// Sorts name ids ascending. Quicksort (median of three) with insertion sort for short runs, on
    /// the raw buffer: the generic stable sort the standard library uses was 6 % of a screen, and
    /// equal ids are indistinguishable, so stability buys nothing. Past a depth of 2·log₂ n it hands
    /// the range to the standard sort, so no input makes it quadratic.
    static func sortIDs(_ items: UnsafeMutableBufferPointer<Int32>) {
        guard items.count > 1 else { return }
        func insertion(_ lo: Int, _ hi: Int) {
            var i = lo + 1
            while i <= hi {
                let v = items[i]
                var j = i
                while j > lo && items[j - 1] > v {
                    items[j] = items[j - 1]
                    j -= 1
                }
                items[j] = v
                i += 1
            }
        }
        func quick(_ lo: Int, _ hi: Int, _ depth: Int) {
            var lo = lo
            var depth = depth
            while hi - lo > 16 {
                if depth == 0 {
                    var rest = UnsafeMutableBufferPointer(rebasing: items[lo...hi])
                    rest.sort()
                    return
                }
                depth -= 1
                let mid = lo + (hi - lo) / 2
                if items[mid] < items[lo] { items.swapAt(mid, lo) }
                if items[hi] < items[lo] { items.swapAt(hi, lo) }
                if items[hi] < items[mid] { items.swapAt(hi, mid) }
                let pivot = items[mid]
                var i = lo
                var j = hi
                while i <= j {
                    while items[i] < pivot { i += 1 }
                    while pivot < items[j] { j -= 1 }
                    if i <= j {
                        items.swapAt(i, j)
                        i += 1
                        j -= 1
                    }
                }
                quick(lo, j, depth)
                lo = i
            }
            insertion(lo, hi)
        }
        quick(0, items.count - 1, 2 * (Int.bitWidth - items.count.leadingZeroBitCount))
    }

    static func selectTop(_ items: inout UnsafeMutableBufferPointer<(Int32, Float)>, _ k: Int, sorted: Bool = true) {
        @inline(__always) func better(_ a: (Int32, Float), _ b: (Int32, Float)) -> Bool { a.1 != b.1 ? a.1 > b.1 : a.0 < b.0 }
        if items.count > k && k > 0 {
            var lo = 0
            var hi = items.count - 1
            while lo < hi {
                let pivot = items[(lo + hi) / 2]
                var i = lo
                var j = hi
                while i <= j {
                    while better(items[i], pivot) { i += 1 }
                    while better(pivot, items[j]) { j -= 1 }
                    if i <= j {
                        items.swapAt(i, j)
                        i += 1
                        j -= 1
                    }
                }
                if k - 1 <= j { hi = j } else if k - 1 >= i { lo = i } else { break }
            }
        }
        guard sorted else { return }
        var top = UnsafeMutableBufferPointer(rebasing: items[..<min(k, items.count)])
        top.sort(by: better)
    }

    /// Similarity of one query token and one list token, with the method that decided it.
    /// Values under `matchFloor` (other than the alias and phonetic floors) are only known to be
    /// under it: pairs a letter bound rules out skip Jaro-Winkler and the edit distance.
    func computeSimilarity(_ token: UnsafePointer<PreparedToken>, _ listed: Int32) -> (Double, MatchMethod) {
        if let id = token.pointee.id, id == listed { return (1, .exact) }
        // Read from the flat token table, touching no object: most pairs are unrelated words that
        // the letter bound rules out.
        let info = index.vocabularyInfo[Int(listed)]
        let start = Int(index.vocabularyStart[Int(listed)])
        let end = Int(index.vocabularyStart[Int(listed) + 1])
        var (s, method) = index.vocabularyBytes.withUnsafeBufferPointer { all -> (Double, MatchMethod) in
            token.pointee.text.withUnsafeBufferPointer { qText -> (Double, MatchMethod) in
                let t = UnsafeBufferPointer(rebasing: all[start..<end])
                if token.pointee.role == .number || info.isNumber { return (StringMetrics.same(qText, t) ? 1 : 0, .exact) }
                if qText.count == 1 || t.count == 1 { return (qText.first == t.first ? 0.9 : 0, .initial) }
                // Pairs that cannot reach the match floor skip Jaro-Winkler and the edit distance, and
                // the edit distance stops once the floor is out of reach; the alias and phonetic floors below still apply.
                let penalty = qText.first != info.first && token.pointee.skeletonFirst != info.skeletonFirst ? 0.9 : 1
                if StringMetrics.same(qText, t) { return (1, .editSimilarity) }
                let bound = StringMetrics.similarityBound(qText, token.pointee.mask, t, info.mask) * penalty
                if bound < Self.matchFloor { return (bound, .editSimilarity) }
                return (StringMetrics.similarity(qText, t, floor: Self.matchFloor / penalty - 1e-9) * penalty, .editSimilarity)
            }
        }
        if method == .exact || method == .initial { return (s, method) }
        if s < 0.95, token.pointee.equivalents.contains(listed) {
            s = 0.95
            method = .aliasVariant
        }
        // Arabic script writes no short vowels: compare its romanisation by consonant skeleton.
        if token.pointee.abjad != info.abjad && s < 0.92 && token.pointee.skeleton.count >= 2 && token.pointee.skeleton == index.vocabulary[Int(listed)].skeleton {
            s = 0.92
            method = .phonetic
        }
        return (s, method)
    }

    /// `tokens` through a buffer and their `weights` beside them: a query token is read in place,
    /// not copied (five retains) per pair or per candidate.
    func score(query: ScreeningQuery, tokens: UnsafeBufferPointer<PreparedToken>, weights: UnsafeBufferPointer<Float>, gluedQuery: [UInt8], nameID: Int32, scratch: inout ScreeningScratch,
               keepPairs: Bool) -> Scored? {
        let first = Int(index.nameTokenStart[Int(nameID)])
        let nameCount = Int(index.nameTokenStart[Int(nameID) + 1]) - first
        // All pairs, best first, then greedy one-to-one assignment. Similarities are computed once
        // per query and list token, in the scratch.
        // In the scratch, written by index up to `pairCount` on the raw buffer: appending checked
        // uniqueness per pair, and emptying the array per candidate went through `replaceSubrange`.
        let queryCount = tokens.count
        let maxPairs = nameCount * queryCount
        if scratch.pairs.count < maxPairs {
            scratch.pairs += repeatElement((0, 0, 0, .exact), count: maxPairs - scratch.pairs.count)
        }
        var pairCount = 0
        // A lone letter in a firm's name (GRUPO W, I&S HOLDING) is part of the name, not a person's
        // initial standing for a word: there it matches only the same letter.
        let listedPerson = index.nameType[Int(nameID)] == .person
        // A word of a firm's name the query leaves out names another firm (TARGET ELECTRONICS is not
        // Target Corporation); a person's middle name left out is routine.
        let unmatchedListedWeight = listedPerson ? Self.unmatchedListedWeight : Self.unmatchedListedFirmWeight
        // Whether some pair could count as a strong match (0.85, not an initial): without one the
        // name score is 0 whatever the assignment, so the assignment is skipped (exact).
        var anyStrong = false
        do {
            // The slots first (they may grow the arrays), then every similarity read and written on
            // the raw buffers: a subscript write checked the arrays' uniqueness per pair.
            for ni in 0..<nameCount { _ = scratch.similaritySlot(index.nameTokenIDs[first + ni], tokens: queryCount) }
            scratch.simValues.withUnsafeMutableBufferPointer { values in
                scratch.simMethods.withUnsafeMutableBufferPointer { methods in
                scratch.pairs.withUnsafeMutableBufferPointer { pairs in
                    for ni in 0..<nameCount {
                        let id = index.nameTokenIDs[first + ni]
                        let base = Int(scratch.simSlot[Int(id)])
                        let strongRole = index.nameTokenRoles[first + ni] != .initial
                        for qi in 0..<queryCount {
                            var s = values[base + qi]
                            var method: MatchMethod
                            if s >= 0 {
                                method = methods[base + qi]
                            } else {
                                (s, method) = computeSimilarity(tokens.baseAddress.unsafelyUnwrapped + qi, id)
                                values[base + qi] = s
                                methods[base + qi] = method
                            }
                            if s >= Self.matchFloor && (listedPerson || method != .initial) {
                                pairs[pairCount] = (s, qi, ni, method)
                                pairCount += 1
                                if s >= 0.85 && strongRole { anyStrong = true }
                            }
                        }
                    }
                }
                }
            }
        }
        // No strong pair: the name score is 0 (`strongMatches` stays 0). Without the glued spelling
        // there is nothing to score; with it, only the glued comparison below can give a score.
        if !anyStrong && !keepPairs && (queryCount == nameCount || gluedQuery.count < 5) { return nil }
        let skipAssignment = !anyStrong && !keepPairs
        // Insertion sort: a candidate has a handful of pairs over the floor.
        if pairCount > 1 && !skipAssignment {
            scratch.pairs.withUnsafeMutableBufferPointer { pairs in
                for i in 1..<pairCount {
                    let item = pairs[i]
                    var j = i
                    while j > 0, Self.pairBefore(item, pairs[j - 1]) {
                        pairs[j] = pairs[j - 1]
                        j -= 1
                    }
                    pairs[j] = item
                }
            }
        }
        var usedQ = UsedSet(count: queryCount)
        var usedN = UsedSet(count: nameCount)
        var aligned: [(q: Int, n: Int, s: Double, method: MatchMethod)] = []
        var numerator: Float = 0
        var denominator: Float = 0
        var distinctive = false
        var strongMatches = 0
        if !skipAssignment {
            for k in 0..<pairCount {
                let (s, qi, ni, method) = scratch.pairs[k]
                guard !usedQ[qi] && !usedN[ni] else { continue }
                usedQ.insert(qi)
                usedN.insert(ni)
                let w = max(index.nameTokenWeights[first + ni], weights[qi] * 0.5)
                let credit = s < Self.doubtfulPairCeiling ? s * (s - Self.matchFloor) / (Self.doubtfulPairCeiling - Self.matchFloor) : s
                numerator += Float(credit) * w
                denominator += w
                let role = index.nameTokenRoles[first + ni]
                if index.idf(index.nameTokenIDs[first + ni]) >= index.distinctiveIDF && role == .word && s >= 0.85 { distinctive = true }
                if s >= 0.85 && role != .initial { strongMatches += 1 }
                if keepPairs { aligned.append((qi, ni, s, method)) }
            }
            for qi in 0..<queryCount where !usedQ[qi] { denominator += weights[qi] * Self.unmatchedQueryWeight }
            // Was any family-name token matched? A listed token repeating a matched one ("Sergio
            // VALENZUELA VALENZUELA") withholds nothing.
            var familyMatched = false
            for ni in 0..<nameCount where usedN[ni] && index.nameTokenFamily[first + ni] { familyMatched = true }
            func repeatsMatched(_ ni: Int) -> Bool {
                let id = index.nameTokenIDs[first + ni]
                for other in 0..<nameCount where usedN[other] && index.nameTokenIDs[first + other] == id { return true }
                return false
            }
            for ni in 0..<nameCount where !usedN[ni] {
                let role = index.nameTokenRoles[first + ni]
                var weight = role == .word ? unmatchedListedWeight : Self.unmatchedListedWeight
                if listedPerson && role == .word && !repeatsMatched(ni) {
                    let family = index.nameTokenFamily[first + ni]
                    if (family && !familyMatched) || (!family && ni == 0) { weight = Self.unmatchedAnchorWeight }
                }
                denominator += index.nameTokenWeights[first + ni] * weight
            }
        }
        var nameScore = denominator > 0 && strongMatches > 0 ? Double(numerator / denominator) : 0
        // Nothing matched and the glued spelling cannot apply: no score, without touching the name object.
        if nameScore == 0 && (queryCount == nameCount || gluedQuery.count < 5) { return nil }

        // Split or joined spellings: compare the names glued whole when the token counts differ.
        var glued: Double?
        let gluedLength = Int(index.nameGluedLength[Int(nameID)])
        let lengthRatio = Double(min(gluedQuery.count, gluedLength)) / Double(max(gluedQuery.count, gluedLength, 1))
        if queryCount != nameCount && lengthRatio >= 0.8 && gluedQuery.count >= 5 && gluedQuery.first == index.nameGluedFirst[Int(nameID)] {
            let g = StringMetrics.similarity(gluedQuery, index.names[Int(nameID)].glued) * 0.97
            if g > nameScore {
                nameScore = g
                glued = g
                distinctive = distinctive || gluedQuery.count >= 7
            }
        }
        guard nameScore > 0 else { return nil }

        var score = nameScore
        var caps: [String] = []
        var qualifiers: [Qualifier] = []
        let quality = index.nameQuality[Int(nameID)]
        if quality == .former {
            score *= 0.95
            caps.append("former name ×0.95")
        }
        if let type = query.type, case let listedType = index.names[Int(nameID)].type, type != listedType {
            score -= 0.1
            qualifiers.append(Qualifier(kind: "type", effect: -0.1, detail: "query is \(type.rawValue), entry is \(listedType.rawValue)"))
        }
        if let dob = query.dateOfBirth, case let entity = index.entities[Int(index.nameEntity[Int(nameID)])], !entity.birthDates.isEmpty {
            let yearOverlap = entity.birthDates.contains { $0.fromYear <= dob.toYear && dob.fromYear <= $0.toYear }
            if !yearOverlap {
                score -= 0.15
                qualifiers.append(Qualifier(kind: "date_of_birth", effect: -0.15, detail: "born \(dob), entry \(entity.birthDates.map(\.description).joined(separator: ", "))"))
            } else if dob.isExactDay, entity.birthDates.allSatisfy(\.isExactDay), !entity.birthDates.contains(dob) {
                score -= 0.1
                qualifiers.append(Qualifier(kind: "date_of_birth", effect: -0.1, detail: "same year, different day: entry \(entity.birthDates.map(\.description).joined(separator: ", "))"))
            }
        }
        if let country = query.country, case let entity = index.entities[Int(index.nameEntity[Int(nameID)])], !entity.countries.isEmpty, !entity.countries.contains(country) {
            score -= 0.1
            qualifiers.append(Qualifier(kind: "country", effect: -0.1, detail: "\(country) not among \(entity.countries.map(\.rawValue).joined(separator: ", "))"))
        }
        let ceiling = thresholds.block - 0.005
        if quality == .weak && score > ceiling {
            score = ceiling
            caps.append("weak alias: review at most")
        }
        if !distinctive && score > ceiling {
            score = ceiling
            caps.append("no distinctive token matched: review at most")
        }
        return Scored(
            nameID: nameID, score: Self.rounded(max(0, min(1, score))), nameScore: Self.rounded(nameScore), pairs: aligned, glued: glued,
            qualifiers: qualifiers, caps: caps)
    }

    /// Best first: higher similarity, then lower query index, then lower list index.
    @inline(__always) static func pairBefore(_ a: (Double, Int, Int, MatchMethod), _ b: (Double, Int, Int, MatchMethod)) -> Bool {
        a.0 != b.0 ? a.0 > b.0 : (a.1, a.2) < (b.1, b.2)
    }

    /// Writes the evidence for a retained candidate.
    func hit(for scored: Scored, tokens: [PreparedToken], normalised: NormalisedName, gluedQuery: [UInt8]) -> ScreeningHit {
        let name = index.names[Int(scored.nameID)]
        let entity = index.entities[Int(name.entity)]
        let listed = entity.names[Int(name.nameIndex)]
        let listedTokens = name.tokens.map { index.vocabulary[Int($0)].string }
        var aligned: [AlignedToken]
        var unmatchedQuery: [String] = []
        var unmatchedListed: [String] = []
        if let g = scored.glued {
            aligned = [AlignedToken(query: String(decoding: gluedQuery, as: UTF8.self), listed: String(decoding: name.glued, as: UTF8.self), score: Self.rounded(g), method: .glued)]
        } else {
            aligned = scored.pairs.map { AlignedToken(query: tokens[$0.q].string, listed: listedTokens[$0.n], score: Self.rounded($0.s), method: $0.method) }
            let usedQ = Set(scored.pairs.map(\.q))
            let usedN = Set(scored.pairs.map(\.n))
            unmatchedQuery = tokens.indices.filter { !usedQ.contains($0) }.map { tokens[$0].string }
            unmatchedListed = listedTokens.indices.filter { !usedN.contains($0) }.map { listedTokens[$0] }
        }
        let evidence = MatchEvidence(
            listVersion: version(of: entity), matchedName: listed.text, nameQuality: name.quality, queryTokens: tokens.map(\.string),
            listedTokens: listedTokens, aligned: aligned, unmatchedQuery: unmatchedQuery, unmatchedListed: unmatchedListed,
            nameScore: scored.nameScore, qualifiers: scored.qualifiers,
            normalisation: normalised.notes + name.normalised.notes.map { "list: \($0)" }, caps: scored.caps)
        return ScreeningHit(
            list: entity.listID, entryID: entity.entryID, name: entity.primaryName, matchedName: listed.text, type: entity.type,
            programmes: entity.programmes, score: scored.score, decision: thresholds.decision(for: scored.score), evidence: evidence)
    }

    private func version(of entity: ListedEntity) -> String {
        index.versions.first { $0.listID == entity.listID }?.version ?? "unknown"
    }

    static func rounded(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }
}

extension ScreeningIndex.Token {
    var string: String { String(decoding: text, as: UTF8.self) }
}
