import Foundation
import Synchronization

/// The immutable in-memory index over one set of list versions. Everything the list side needs for
/// scoring (normalised names, token ids, weights, keys) is computed once here, so a screen only
/// prepares the query and scores a capped set of candidates. Build a new index for a new list
/// version and swap the reference; never mutate one in place.
public final class ScreeningIndex: Sendable {
    public let versions: [ListVersion]
    public let entities: [ListedEntity]
    /// Entity positions (ascending) by identifier in comparable form (`EntityIdentifier.comparable`),
    /// for the exact-identifier check; only forms of 5 characters or more, the shortest a query's
    /// identifier may match by. Looking them up replaces a pass over every entity's identifiers,
    /// each made comparable again, per screened party that carries one (tens of milliseconds).
    let entitiesByIdentifier: [String: [Int32]]

    /// One list name, prepared once. A class so that reading it while scoring costs one retain.
    final class Name: Sendable {
        let entity: Int32
        let nameIndex: Int32
        let quality: NameQuality
        let type: EntityType
        let normalised: NormalisedName
        /// Vocabulary ids of the scoring tokens, parallel to `normalised.scoringTokens`.
        let tokens: [Int32]
        let roles: [TokenRole]
        let family: [Bool]
        /// Query-independent token weights: IDF × role weight × family-name weight.
        let weights: [Float]
        let glued: [UInt8]
        /// Sum of the IDF of the tokens that generate candidates, for ranking by coverage.
        let blockingWeight: Float

        init(_ d: NameDraft, weights: [Float], blockingWeight: Float) {
            entity = d.entity
            nameIndex = d.nameIndex
            quality = d.quality
            type = d.type
            normalised = d.normalised
            tokens = d.tokens
            roles = d.roles
            family = d.family
            glued = d.glued
            self.weights = weights
            self.blockingWeight = blockingWeight
        }
    }

    struct NameDraft {
        var entity: Int32
        var nameIndex: Int32
        var quality: NameQuality
        var type: EntityType
        var normalised: NormalisedName
        var tokens: [Int32]
        var roles: [TokenRole]
        var family: [Bool]
        var glued: [UInt8]
    }

    final class Token: Sendable {
        let text: [UInt8]
        let skeleton: [UInt8]
        /// Romanised from Arabic or Persian script (no short vowels written): compared by skeleton.
        let abjad: Bool
        let documentFrequency: Int32
        /// Letters present, one bit each (`StringMetrics.letterMask`), for a cheap similarity bound.
        let mask: UInt32

        init(_ d: TokenDraft) {
            text = d.text
            mask = StringMetrics.letterMask(d.text)
            skeleton = d.skeleton
            abjad = d.abjad
            documentFrequency = d.documentFrequency
        }
    }

    struct TokenDraft {
        var text: [UInt8]
        var documentFrequency: Int32
        var skeleton: [UInt8]
        var abjad: Bool
    }

    let names: [Name]
    let vocabulary: [Token]
    let tokenIDs: [String: Int32]
    /// Vocabulary id → names that contain it (only tokens that can generate candidates).
    let postings: [[Int32]]
    /// Sorted (hash of a deletion variant, vocabulary id): SymSpell-style edit-distance neighbours.
    let deletionKeys: [UInt64]
    let deletionTokens: [Int32]
    /// Open-addressing table over the distinct deletion hashes (a power of two, twice their number):
    /// the position of each one's first entry in `deletionKeys`, -1 when empty. One or two probes
    /// instead of a 19-step binary search through 400 k keys.
    let deletionTable: [Int32]
    let skeletons: [[UInt8]: [Int32]]
    /// Spelling variants mined from the lists' own aliases (`muhammad` ~ `mohammed`).
    let equivalents: [Int32: [Int32]]
    let equivalentPairs: Set<UInt64>
    /// Glued whole names (`alqaida`) → names, for split and joined spellings.
    let gluedNames: [[UInt8]: [Int32]]
    let idfs: [Float]
    /// `Name.blockingWeight` by name id, flat, so ranking thousands of candidates retains nothing.
    let blockingWeights: [Float]
    /// The scoring tokens of every name, flat: name `i` has ids `nameTokenIDs[nameTokenStart[i]..<nameTokenStart[i + 1]]`,
    /// with their weights and roles beside them, so scoring a candidate retains no object.
    let nameTokenStart: [Int32]
    let nameTokenIDs: [Int32]
    let nameTokenWeights: [Float]
    let nameTokenRoles: [TokenRole]
    /// Whether each name token is part of the family name (`NameToken.isFamily`).
    let nameTokenFamily: [Bool]
    let nameEntity: [Int32]
    let nameQuality: [NameQuality]
    let nameType: [EntityType]
    let nameGluedLength: [Int32]
    /// First byte of the glued name (0 when empty).
    let nameGluedFirst: [UInt8]
    /// Every vocabulary token's bytes, flat (`vocabularyStart[id]..<vocabularyStart[id + 1]`), and what
    /// the similarity bound needs of it.
    let vocabularyBytes: [UInt8]
    let vocabularyStart: [Int32]
    let vocabularyInfo: [TokenInfo]

    struct TokenInfo {
        var mask: UInt32
        var first: UInt8
        /// First skeleton byte, 256 when the skeleton is empty.
        var skeletonFirst: UInt16
        var isNumber: Bool
        var abjad: Bool
    }
    /// Working memory of finished screens, reused by the next (one per concurrent screen).
    let scratchPool = Mutex<[ScreeningScratch]>([])
    let unknownTokenIDF: Float
    /// Tokens rarer than this (by IDF) are "distinctive": a block needs at least one of them matched.
    let distinctiveIDF: Float

    public var nameCount: Int { names.count }
    public var vocabularySize: Int { vocabulary.count }
    public var minedEquivalenceCount: Int { equivalentPairs.count }

    /// Normalising the list names is a third of building the index, and each name stands alone,
    /// so they are normalised side by side; the result is the same as one by one.
    static func normaliseAll(_ names: [ListedName]) -> [NormalisedName] {
        let parts = max(1, min(4, names.count / 4_000))
        let size = (names.count + parts - 1) / parts
        let done = Mutex<[[NormalisedName]]>(Array(repeating: [], count: parts))
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let slice = names[min(part * size, names.count)..<min((part + 1) * size, names.count)]
            let normalised = slice.map { NameNormaliser.normalise($0.text, familyName: $0.familyName) }
            done.withLock { $0[part] = normalised }
        }
        return done.withLock { $0 }.flatMap { $0 }
    }

    /// What an index is made from: the costly part of a build (the parsed lists, every name
    /// normalised, its tokens interned, and, once computed, the deletion variants and the spelling
    /// pairs mined from aliases). Everything else is derived from it by `init(parts:)`, on a cold
    /// build and on a cache load alike, so both give the same index. `ScreeningIndexCache` stores it.
    struct Parts {
        var versions: [ListVersion]
        var entities: [ListedEntity]
        /// One entry per indexed name (a name with no scoring token is not indexed).
        var nameEntity: [Int32] = []
        var nameIndex: [Int32] = []
        var normalised: [NormalisedName] = []
        /// Vocabulary ids of each name's scoring tokens, flat (`nameTokenStart` has one more entry than names).
        var nameTokenStart: [Int32] = [0]
        var nameTokenIDs: [Int32] = []
        var vocabulary: [[UInt8]] = []
        /// Sorted deletion hashes and their tokens; computed by `init(parts:)` when nil.
        var deletion: (keys: [UInt64], tokens: [Int32])?
        /// Sorted `pairKey`s of mined spelling variants; mined by `init(parts:)` when nil.
        var equivalentPairs: [UInt64]?
    }

    /// Normalises every name of the (parsed) lists and interns its scoring tokens.
    static func prepare(_ lists: [SanctionsList]) -> Parts {
        var entities: [ListedEntity] = []
        for list in lists { entities += list.entities }
        var parts = Parts(versions: lists.map(\.version), entities: entities)
        var tokenIDs: [String: Int32] = [:]
        var allNormalised = Self.normaliseAll(entities.flatMap(\.names)).makeIterator()
        for (e, entity) in entities.enumerated() {
            for n in entity.names.indices {
                let normalised = allNormalised.next()!
                let scoring = normalised.scoringTokens
                guard !scoring.isEmpty else { continue }
                for token in scoring {
                    if let id = tokenIDs[token.text] {
                        parts.nameTokenIDs.append(id)
                    } else {
                        let id = Int32(parts.vocabulary.count)
                        tokenIDs[token.text] = id
                        parts.vocabulary.append(Array(token.text.utf8))
                        parts.nameTokenIDs.append(id)
                    }
                }
                parts.nameTokenStart.append(Int32(parts.nameTokenIDs.count))
                parts.nameEntity.append(Int32(e))
                parts.nameIndex.append(Int32(n))
                parts.normalised.append(normalised)
            }
        }
        return parts
    }

    public convenience init(lists: [SanctionsList]) {
        self.init(parts: Self.prepare(lists))
    }

    /// Assembles the index from its parts. The parts must be consistent (as `prepare` makes them,
    /// or as `ScreeningIndexCache.decode` checks them): every id in range, each name's token ids
    /// as many as its scoring tokens.
    init(parts: Parts) {
        versions = parts.versions
        let entities = parts.entities
        self.entities = entities
        var byIdentifier: [String: [Int32]] = [:]
        for (e, entity) in entities.enumerated() {
            for identifier in entity.identifiers {
                let key = identifier.comparable
                guard key.count >= Self.minimumIdentifierLength else { continue }
                if byIdentifier[key]?.last != Int32(e) { byIdentifier[key, default: []].append(Int32(e)) }
            }
        }
        entitiesByIdentifier = byIdentifier

        var tokenIDs: [String: Int32] = [:]
        tokenIDs.reserveCapacity(parts.vocabulary.count)
        var vocabulary: [TokenDraft] = []
        vocabulary.reserveCapacity(parts.vocabulary.count)
        for (id, bytes) in parts.vocabulary.enumerated() {
            let text = String(decoding: bytes, as: UTF8.self)
            if tokenIDs[text] == nil { tokenIDs[text] = Int32(id) }
            vocabulary.append(TokenDraft(text: bytes, documentFrequency: 0, skeleton: StringMetrics.skeleton(bytes), abjad: false))
        }
        var postings = [[Int32]](repeating: [], count: vocabulary.count)
        var names: [NameDraft] = []
        names.reserveCapacity(parts.normalised.count)
        var gluedNames: [[UInt8]: [Int32]] = [:]
        // A token is compared by consonant skeleton only when it is never written in Latin letters on
        // the lists: "akram" on a Latin-script entry is a spelling with its vowels, not an abjad form,
        // even if an Arabic-script alias elsewhere romanises to the same letters.
        var writtenInLatin = [Bool](repeating: false, count: vocabulary.count)
        for (i, normalised) in parts.normalised.enumerated() {
            let scoring = normalised.scoringTokens
            let nameID = Int32(i)
            let ids = Array(parts.nameTokenIDs[Int(parts.nameTokenStart[i])..<Int(parts.nameTokenStart[i + 1])])
            let abjad = normalised.notes.contains("transliterated Arabic")
            for (k, (id, token)) in zip(ids, scoring).enumerated() {
                if abjad { vocabulary[Int(id)].abjad = true } else { writtenInLatin[Int(id)] = true }
                // Counted once per name: the first time the name uses the token.
                if !ids[..<k].contains(id) {
                    vocabulary[Int(id)].documentFrequency += 1
                    if token.role == .word || token.role == .number { postings[Int(id)].append(nameID) }
                }
            }
            let glued = Array(normalised.glued.utf8)
            if scoring.count > 1 { gluedNames[glued, default: []].append(nameID) }
            let e = Int(parts.nameEntity[i])
            let n = Int(parts.nameIndex[i])
            names.append(NameDraft(
                entity: Int32(e), nameIndex: Int32(n), quality: entities[e].names[n].quality, type: entities[e].type, normalised: normalised,
                tokens: ids, roles: scoring.map(\.role), family: scoring.map(\.isFamily), glued: glued))
        }
        for id in vocabulary.indices where writtenInLatin[id] { vocabulary[id].abjad = false }
        let total = Float(max(names.count, 1))
        let idfs = vocabulary.map { log(total / Float(max($0.documentFrequency, 1))) }
        self.idfs = idfs
        var blockingWeights: [Float] = []
        var tokenWeights: [[Float]] = []
        for name in names {
            var w: Float = 0
            for (t, role) in zip(name.tokens, name.roles) where role == .word || role == .number { w += idfs[Int(t)] }
            blockingWeights.append(w)
            tokenWeights.append(name.tokens.indices.map { i in
                idfs[Int(name.tokens[i])] * Screener.roleWeight(name.roles[i]) * (name.family[i] ? Screener.familyWeight : 1)
            })
        }
        unknownTokenIDF = log(total / 2)
        distinctiveIDF = log(total / 150)

        // Edit-distance neighbourhood: every word token with its 1-deletions (2 for long tokens).
        let deletion = parts.deletion ?? Self.deletionPairs(vocabulary: vocabulary, postings: postings)
        deletionKeys = deletion.keys
        deletionTokens = deletion.tokens
        let keys = deletion.keys
        var distinct = 0
        for i in keys.indices where i == 0 || keys[i] != keys[i - 1] { distinct += 1 }
        var tableSize = 16
        while tableSize < 2 * distinct { tableSize *= 2 }
        var table = [Int32](repeating: -1, count: tableSize)
        for i in keys.indices where i == 0 || keys[i] != keys[i - 1] {
            var slot = Int(truncatingIfNeeded: keys[i]) & (tableSize - 1)
            while table[slot] >= 0 { slot = (slot + 1) & (tableSize - 1) }
            table[slot] = Int32(i)
        }
        deletionTable = table

        var skeletons: [[UInt8]: [Int32]] = [:]
        for (id, token) in vocabulary.enumerated() where postings[id].count > 0 && token.skeleton.count >= 3 {
            skeletons[token.skeleton, default: []].append(Int32(id))
        }

        let pairs = parts.equivalentPairs ?? Self.mineSpellingPairs(names: names, vocabulary: vocabulary)
        var equivalents: [Int32: [Int32]] = [:]
        for key in pairs {
            let x = Int32(truncatingIfNeeded: key >> 32)
            let y = Int32(truncatingIfNeeded: key & 0xFFFF_FFFF)
            equivalents[x, default: []].append(y)
            equivalents[y, default: []].append(x)
        }

        self.names = names.indices.map { Name(names[$0], weights: tokenWeights[$0], blockingWeight: blockingWeights[$0]) }
        self.blockingWeights = blockingWeights
        var start: [Int32] = [0]
        var flatIDs: [Int32] = []
        var flatWeights: [Float] = []
        var flatRoles: [TokenRole] = []
        var flatFamily: [Bool] = []
        for (i, name) in names.enumerated() {
            flatIDs += name.tokens
            flatWeights += tokenWeights[i]
            flatRoles += name.roles
            flatFamily += name.family
            start.append(Int32(flatIDs.count))
        }
        nameTokenStart = start
        nameTokenIDs = flatIDs
        nameTokenWeights = flatWeights
        nameTokenRoles = flatRoles
        nameTokenFamily = flatFamily
        nameEntity = names.map(\.entity)
        nameQuality = names.map(\.quality)
        nameType = names.map(\.type)
        nameGluedLength = names.map { Int32($0.glued.count) }
        nameGluedFirst = names.map { $0.glued.first ?? 0 }
        var bytes: [UInt8] = []
        var vocabularyStart: [Int32] = [0]
        for token in vocabulary {
            bytes += token.text
            vocabularyStart.append(Int32(bytes.count))
        }
        vocabularyBytes = bytes
        self.vocabularyStart = vocabularyStart
        vocabularyInfo = vocabulary.map {
            TokenInfo(mask: StringMetrics.letterMask($0.text), first: $0.text.first ?? 0, skeletonFirst: $0.skeleton.first.map(UInt16.init) ?? 256,
                      isNumber: $0.text.allSatisfy { $0 >= 48 && $0 <= 57 }, abjad: $0.abjad)
        }
        self.vocabulary = vocabulary.map(Token.init)
        self.tokenIDs = tokenIDs
        self.postings = postings
        self.skeletons = skeletons
        self.equivalents = equivalents
        self.equivalentPairs = Set(pairs)
        self.gluedNames = gluedNames
    }

    /// Every word token's deletion hashes with its id, sorted by hash then id.
    static func deletionPairs(vocabulary: [TokenDraft], postings: [[Int32]]) -> (keys: [UInt64], tokens: [Int32]) {
        var pairs: [(UInt64, Int32)] = []
        pairs.reserveCapacity(vocabulary.count * 12)
        for (id, token) in vocabulary.enumerated() where postings[id].count > 0 {
            for key in Self.deletionHashes(token.text) { pairs.append((key, Int32(id))) }
        }
        pairs.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        return (pairs.map(\.0), pairs.map(\.1))
    }

    /// Alias mining: within one entity, tokens that align between its names with a close
    /// spelling are the same name written two ways. Sorted, so the result is the same every run.
    static func mineSpellingPairs(names: [NameDraft], vocabulary: [TokenDraft]) -> [UInt64] {
        var pairSet = Set<UInt64>()
        var byEntity: [Int32: [Int]] = [:]
        for (i, name) in names.enumerated() where name.quality != .weak { byEntity[name.entity, default: []].append(i) }
        for (_, group) in byEntity where group.count > 1 {
            let limited = group.prefix(8)
            for a in limited {
                for b in limited where b > a {
                    for x in names[a].tokens {
                        let tx = vocabulary[Int(x)]
                        guard tx.text.count >= 3 else { continue }
                        for y in names[b].tokens where y != x {
                            let ty = vocabulary[Int(y)]
                            guard ty.text.count >= 3, tx.text.first == ty.text.first || tx.skeleton == ty.skeleton else { continue }
                            let ratio = Double(min(tx.text.count, ty.text.count)) / Double(max(tx.text.count, ty.text.count))
                            if ratio >= 0.75 && StringMetrics.jaroWinkler(tx.text, ty.text) >= 0.88 { pairSet.insert(Self.pairKey(x, y)) }
                        }
                    }
                }
            }
        }
        return pairSet.sorted()
    }

    static func pairKey(_ a: Int32, _ b: Int32) -> UInt64 {
        let (x, y) = a < b ? (a, b) : (b, a)
        return UInt64(UInt32(bitPattern: x)) << 32 | UInt64(UInt32(bitPattern: y))
    }

    /// FNV-1a hashes of the token and its deletion variants: 1 deletion for 4–7 letters, 2 from 8.
    static func deletionHashes(_ token: [UInt8]) -> [UInt64] {
        var out: [UInt64] = [hash(token, skip1: -1, skip2: -1)]
        guard token.count >= 4 else { return out }
        for i in 0..<token.count { out.append(hash(token, skip1: i, skip2: -1)) }
        if token.count >= 8 {
            for i in 0..<token.count {
                for j in (i + 1)..<token.count { out.append(hash(token, skip1: i, skip2: j)) }
            }
        }
        return out
    }

    @inline(__always) static func hash(_ token: [UInt8], skip1: Int, skip2: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for (i, b) in token.enumerated() where i != skip1 && i != skip2 {
            h = (h ^ UInt64(b)) &* 0x100_0000_01b3
        }
        return h
    }

    /// Vocabulary ids whose deletion variants share a hash with one of `token`'s.
    func editNeighbours(_ token: [UInt8]) -> Set<Int32> {
        var out = Set<Int32>()
        forEachEditNeighbour(token) { out.insert($0) }
        return out
    }

    /// Calls `body` with every vocabulary id whose deletion variants share a hash with one of
    /// `token`'s (an id may come more than once).
    func forEachEditNeighbour(_ token: [UInt8], _ body: (Int32) -> Void) {
        let mask = deletionTable.count - 1
        for key in Self.deletionHashes(token) {
            var slot = Int(truncatingIfNeeded: key) & mask
            var found = -1
            while deletionTable[slot] >= 0 {
                if deletionKeys[Int(deletionTable[slot])] == key {
                    found = Int(deletionTable[slot])
                    break
                }
                slot = (slot + 1) & mask
            }
            guard found >= 0 else { continue }
            var lo = found
            while lo < deletionKeys.count && deletionKeys[lo] == key {
                body(deletionTokens[lo])
                lo += 1
            }
        }
    }

    /// Runs `body` with a scratch of this index's size, taken from the pool and put back after.
    /// `body` must leave it clean (every entry it set back to its resting value).
    func withScratch<R>(_ body: (inout ScreeningScratch) -> R) -> R {
        var scratch = scratchPool.withLock { $0.popLast() } ?? ScreeningScratch(names: names.count, vocabulary: vocabulary.count)
        let result = body(&scratch)
        let done = scratch
        scratchPool.withLock { $0.append(done) }
        return result
    }

    func idf(_ id: Int32) -> Float { idfs[Int(id)] }

    /// The shortest identifier (in comparable form) that matches exactly.
    static let minimumIdentifierLength = 5

    /// Positions of the entities holding any of `identifiers` (comparable forms), ascending: the
    /// entities a pass over `entities` in order would find.
    func entities(withIdentifiers identifiers: Set<String>) -> [Int] {
        var found: [Int32] = []
        for key in identifiers { if let list = entitiesByIdentifier[key] { found += list } }
        found.sort()
        var out: [Int] = []
        out.reserveCapacity(found.count)
        for e in found where out.last != Int(e) { out.append(Int(e)) }
        return out
    }
}

/// Per-screen working memory sized to one index: dense arrays over names and tokens that a screen
/// touches sparsely and resets entry by entry, so a screen neither allocates nor clears 100 k
/// entries. A struct passed `inout`, so the hot loops pay no dynamic exclusivity checks; the
/// index's pool hands each one to one screen at a time.
struct ScreeningScratch {
    /// Per name: summed blocking weight, best weight of the current query token, flags (1 rare, 2 kept).
    var accumulated: [Float]
    var bestForToken: [Float]
    var nameFlags: [UInt8]
    /// Per token: the stamp of the query token whose reach already holds it.
    var reachStamp: [UInt32]
    var stamp: UInt32 = 0
    /// Per token: where its similarities to the query tokens start in `simValues` (-1: none yet).
    var simSlot: [Int32]
    var simTouched: [Int32] = []
    var simValues: [Double] = []
    var simMethods: [MatchMethod] = []
    var pairs: [(Double, Int, Int, MatchMethod)] = []
    /// `Screener.candidateNames`' lists, kept for their capacity.
    var touched: [Int32] = []
    var touchedNow: [Int32] = []
    var rare: [Int32] = []
    var reach: [Int32] = []

    init(names: Int, vocabulary: Int) {
        accumulated = [Float](repeating: 0, count: names)
        bestForToken = [Float](repeating: 0, count: names)
        nameFlags = [UInt8](repeating: 0, count: names)
        reachStamp = [UInt32](repeating: 0, count: vocabulary)
        simSlot = [Int32](repeating: -1, count: vocabulary)
    }

    mutating func nextStamp() -> UInt32 {
        if stamp == UInt32.max {
            for i in reachStamp.indices { reachStamp[i] = 0 }
            stamp = 0
        }
        stamp += 1
        return stamp
    }

    /// The first of `tokens` slots for list token `id`, made (with "not computed yet", -1) on first use.
    @inline(__always) mutating func similaritySlot(_ id: Int32, tokens: Int) -> Int {
        let slot = simSlot[Int(id)]
        if slot >= 0 { return Int(slot) }
        let start = simValues.count
        simSlot[Int(id)] = Int32(start)
        simTouched.append(id)
        // Element by element: `append(contentsOf: repeatElement(…))` went through the generic path.
        for _ in 0..<tokens {
            simValues.append(-1)
            simMethods.append(.exact)
        }
        return start
    }

    mutating func resetSimilarities() {
        for id in simTouched { simSlot[Int(id)] = -1 }
        simTouched.removeAll(keepingCapacity: true)
        simValues.removeAll(keepingCapacity: true)
        simMethods.removeAll(keepingCapacity: true)
    }
}
