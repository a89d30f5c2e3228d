/// A sparse vector over hashed feature buckets, indices sorted ascending, so that dot products are
/// a merge and no vocabulary file is needed (the bucket of a word is a pure function of the word).
public struct SparseVector: Sendable, Equatable {
    public var indices: [UInt32]
    public var values: [Float]

    public init(indices: [UInt32] = [], values: [Float] = []) {
        self.indices = indices
        self.values = values
    }

    public var isEmpty: Bool { indices.isEmpty }
    public var count: Int { indices.count }

    public func dot(_ other: SparseVector) -> Float {
        var i = 0, j = 0, sum: Float = 0
        while i < indices.count && j < other.indices.count {
            let a = indices[i], b = other.indices[j]
            if a == b { sum += values[i] * other.values[j]; i += 1; j += 1 } else if a < b { i += 1 } else { j += 1 }
        }
        return sum
    }

    public func value(at index: UInt32) -> Float {
        var lo = 0, hi = indices.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if indices[mid] < index { lo = mid + 1 } else { hi = mid }
        }
        return lo < indices.count && indices[lo] == index ? values[lo] : 0
    }

    public var norm: Float { values.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    public func normalized() -> SparseVector {
        let n = norm
        guard n > 0 else { return self }
        return SparseVector(indices: indices, values: values.map { $0 / n })
    }

    /// Keeps the `limit` largest weights: class centroids have a long tail of tiny weights that cost
    /// memory and time and change no ranking.
    /// Which weights are the largest is decided on one integer key per entry (the weight's order
    /// bits, then the position reversed: the lower index wins a tie), selected in place rather than
    /// sorted: the same entries as sorting by (weight descending, index ascending) and taking the
    /// first `limit`, at a fraction of the cost on a long ruling's thousands of features.
    public func pruned(to limit: Int) -> SparseVector {
        guard indices.count > limit else { return self }
        guard limit > 0 else { return SparseVector() }
        let n = indices.count
        var keys = [UInt64](repeating: 0, count: n)
        keys.withUnsafeMutableBufferPointer { k in
            for p in 0..<n { k[p] = Self.orderKey(values[p]) << 32 | UInt64(UInt32.max - UInt32(p)) }
            Self.selectLargest(k, count: limit)
        }
        // The first `limit` keys are now the largest ones; their positions in ascending order.
        var kept = [Bool](repeating: false, count: n)
        for key in keys.prefix(limit) { kept[Int(UInt32.max - UInt32(truncatingIfNeeded: key))] = true }
        var idx: [UInt32] = [], val: [Float] = []
        idx.reserveCapacity(limit)
        val.reserveCapacity(limit)
        for p in 0..<n where kept[p] { idx.append(indices[p]); val.append(values[p]) }
        return SparseVector(indices: idx, values: val)
    }

    /// A float's order as an unsigned integer (larger float, larger key; -0 and +0 alike, as `>`
    /// compares them).
    @inline(__always) static func orderKey(_ v: Float) -> UInt64 {
        let bits = v == 0 ? 0 : v.bitPattern
        return UInt64(bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000)
    }

    /// Moves the `count` largest of `keys` (all distinct) to its front, in no order (quickselect).
    static func selectLargest(_ keys: UnsafeMutableBufferPointer<UInt64>, count: Int) {
        var lo = 0, hi = keys.count - 1
        while lo < hi {
            // Median of three as the pivot, larger keys to the left.
            let mid = lo + (hi - lo) / 2
            let a = keys[lo], b = keys[mid], c = keys[hi]
            let pivot = max(min(a, b), min(max(a, b), c))
            var i = lo, j = hi
            while i <= j {
                while keys[i] > pivot { i += 1 }
                while keys[j] < pivot { j -= 1 }
                if i <= j { keys.swapAt(i, j); i += 1; j -= 1 }
            }
            if count - 1 <= j { hi = j } else if count - 1 >= i { lo = i } else { return }
        }
    }

    /// Builds a vector from unsorted (index, value) pairs, summing duplicates.
    public init(unsorted pairs: [(UInt32, Float)]) {
        let sorted = pairs.sorted { $0.0 < $1.0 }
        var idx: [UInt32] = []
        var val: [Float] = []
        idx.reserveCapacity(sorted.count)
        val.reserveCapacity(sorted.count)
        for (i, v) in sorted {
            if let last = idx.last, last == i { val[val.count - 1] += v } else { idx.append(i); val.append(v) }
        }
        self.init(indices: idx, values: val)
    }
}

/// Accumulates weighted sparse vectors into a dense scratch buffer; used to build centroids.
struct DenseAccumulator {
    var dense: [Float]
    var touched: [UInt32] = []

    init(dimension: Int) { dense = [Float](repeating: 0, count: dimension) }

    mutating func add(_ v: SparseVector, weight: Float = 1) {
        for k in 0..<v.indices.count {
            let i = Int(v.indices[k])
            if dense[i] == 0 { touched.append(v.indices[k]) }
            dense[i] += weight * v.values[k]
        }
    }

    /// Returns the accumulated vector and clears the buffer for reuse.
    mutating func take() -> SparseVector {
        touched.sort()
        var idx: [UInt32] = []
        var val: [Float] = []
        for i in touched where dense[Int(i)] != 0 {
            idx.append(i); val.append(dense[Int(i)])
        }
        for i in touched { dense[Int(i)] = 0 }
        touched.removeAll(keepingCapacity: true)
        return SparseVector(indices: idx, values: val)
    }
}

/// Hashed word unigrams, word bigrams and character 3–5-grams inside word boundaries (the
/// `char_wb` scheme), each family in its own hash namespace. Deterministic across runs and
/// machines (FNV-1a), unlike Swift's seeded `Hasher`.
public struct FeatureHasher: Sendable {
    public static let bits = 18
    public static let dimension = 1 << bits
    static let mask: UInt64 = UInt64(dimension - 1)

    /// Raw term counts of one text, as (bucket, count) sorted by bucket, plus the bucket of each
    /// word feature so that evidence can name the words that drove an answer.
    public struct Counts: Sendable {
        public var word: SparseVector
        public var char: SparseVector
    }

    public static func counts(_ tokens: [String]) -> Counts {
        var words: [UInt32] = []
        var chars: [UInt32] = []
        words.reserveCapacity(tokens.count * 2)
        chars.reserveCapacity(tokens.count * 16)
        var previous: String? = nil
        for t in tokens {
            words.append(bucket(t, seed: 1))
            if let p = previous { words.append(bigramBucket(p, t)) }
            previous = t
            if t.first != "#" { appendCharGrams(t, into: &chars) }
        }
        return Counts(word: countVector(&words), char: countVector(&chars))
    }

    /// Each distinct bucket once with how often it occurs: the buckets sorted as plain integers
    /// (every value is 1, so the sums are the exact counts `SparseVector(unsorted:)` gave).
    static func countVector(_ buckets: inout [UInt32]) -> SparseVector {
        sortBuckets(&buckets)
        var idx: [UInt32] = [], val: [Float] = []
        idx.reserveCapacity(buckets.count)
        val.reserveCapacity(buckets.count)
        for b in buckets {
            if let last = idx.last, last == b { val[val.count - 1] += 1 } else { idx.append(b); val.append(1) }
        }
        return SparseVector(indices: idx, values: val)
    }

    /// Sorts bucket numbers (below `dimension`) ascending: a long ruling's thousands by two
    /// counting passes of nine bits each (least significant first, each pass stable), a short
    /// text's few by the standard sort. Plain integers, so both give the same array.
    static func sortBuckets(_ buckets: inout [UInt32]) {
        let n = buckets.count
        guard n > 256, bits == 18 else { buckets.sort(); return }
        var scratch = [UInt32](repeating: 0, count: n)
        buckets.withUnsafeMutableBufferPointer { a in
            scratch.withUnsafeMutableBufferPointer { b in
                var counts = [Int](repeating: 0, count: 513)
                counts.withUnsafeMutableBufferPointer { c in
                    for (shift, from, to) in [(UInt32(0), a, b), (UInt32(9), b, a)] {
                        for k in 0..<513 { c[k] = 0 }
                        for k in 0..<n { c[Int((from[k] >> shift) & 511) + 1] += 1 }
                        for k in 1..<513 { c[k] += c[k - 1] }
                        for k in 0..<n {
                            let digit = Int((from[k] >> shift) & 511)
                            to[c[digit]] = from[k]
                            c[digit] += 1
                        }
                    }
                }
            }
        }
    }

    /// Buckets of one word's own features (its unigram and its character grams), for evidence.
    public static func wordBuckets(_ token: String) -> [UInt32] {
        var out: [UInt32] = []
        appendWordBuckets(token, into: &out)
        return out
    }

    /// `wordBuckets` appended to `out` (a caller's scratch array).
    static func appendWordBuckets(_ token: String, into out: inout [UInt32]) {
        out.append(bucket(token, seed: 1))
        if token.first != "#" { appendCharGrams(token, into: &out) }
    }

    /// The 3-, 4- and 5-grams of " token " (by bytes), in that order and from the left. Hashed in
    /// a scratch buffer on the stack: a ruling's hundreds of words each built an array of its bytes
    /// and hashed it through slices (the same FNV-1a, so the same buckets).
    static func appendCharGrams(_ token: String, into out: inout [UInt32]) {
        var token = token
        token.withUTF8 { utf8 in
            let count = utf8.count + 2
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { padded in
                padded[0] = 32
                for k in 0..<utf8.count { padded[k + 1] = utf8[k] }
                padded[count - 1] = 32
                for n in 3...5 where count >= n {
                    let seeded = start(UInt64(10 + n))
                    for first in 0...(count - n) {
                        var h = seeded
                        for k in first..<(first + n) {
                            h ^= UInt64(padded[k])
                            h = h &* 0x0000_0100_0000_01B3
                        }
                        out.append(finish(h))
                    }
                }
            }
        }
    }

    static func bucket(_ text: String, seed: UInt64) -> UInt32 {
        finish(hash(utf8Of: text, into: start(seed)))
    }

    static func bucket(_ bytes: ArraySlice<UInt8>, seed: UInt64) -> UInt32 {
        finish(hash(bytes, into: start(seed)))
    }

    /// The bucket of the bigram `first + " " + second`, hashed piece by piece (FNV-1a reads
    /// bytes in order, so this is the joined text's bucket without building it).
    static func bigramBucket(_ first: String, _ second: String) -> UInt32 {
        var h = hash(utf8Of: first, into: start(2))
        h = hash(CollectionOfOne(UInt8(ascii: " ")), into: h)
        return finish(hash(utf8Of: second, into: h))
    }

    /// FNV-1a over a string's UTF-8 read from its contiguous storage (no copy for a native string),
    /// not through the UTF-8 view's iterator.
    @inline(__always) private static func hash(utf8Of text: String, into state: UInt64) -> UInt64 {
        var text = text
        return text.withUTF8 { hash($0, into: state) }
    }

    @inline(__always) private static func start(_ seed: UInt64) -> UInt64 { 0xcbf2_9ce4_8422_2325 ^ (seed &* 0x9E37_79B9_7F4A_7C15) }

    @inline(__always) private static func hash(_ bytes: some Sequence<UInt8>, into state: UInt64) -> UInt64 {
        var h = state
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }

    @inline(__always) private static func finish(_ state: UInt64) -> UInt32 {
        let h = state ^ (state >> 29)
        return UInt32(truncatingIfNeeded: h & mask)
    }
}
