import Foundation

/// Groups near-duplicate texts (cosine of word sets ≥ threshold, transitively), so that an
/// evaluation split or a cross-validation fold never puts one copy on each side.
public enum SimilarityGroups {
    /// Exact for the threshold, and fast on tens of thousands of texts: a pair with cosine ≥ t
    /// shares at least one word among each text's rarest |s| − ⌈t²|s|⌉ + 1 words (prefix
    /// filtering), so only those words are indexed and probed, and candidates are then verified.
    public static func assign(_ tokenLists: [[String]], threshold: Double = 0.7) -> [Int] {
        var parent = Array(tokenLists.indices)
        func find(_ x: Int) -> Int { var x = x; while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }; return x }
        let sets = tokenLists.map { Set($0.filter { $0.first != "#" }) }
        var df: [String: Int] = [:]
        for s in sets { for w in s { df[w, default: 0] += 1 } }
        var postings: [String: [Int]] = [:]
        for (i, s) in sets.enumerated() where !s.isEmpty {
            let ordered = s.sorted { (df[$0] ?? 0, $0) < (df[$1] ?? 0, $1) }
            let prefix = ordered.count - Int((threshold * threshold * Double(ordered.count)).rounded(.up)) + 1
            var candidates = Set<Int>()
            for w in ordered.prefix(max(1, prefix)) {
                for j in postings[w] ?? [] { candidates.insert(j) }
                postings[w, default: []].append(i)
            }
            for j in candidates {
                let (small, large) = s.count <= sets[j].count ? (s, sets[j]) : (sets[j], s)
                let o = small.reduce(0) { $0 + (large.contains($1) ? 1 : 0) }
                let cos = Double(o) / (Double(s.count) * Double(sets[j].count)).squareRoot()
                if cos >= threshold { let a = find(i), b = find(j); if a != b { parent[max(a, b)] = min(a, b) } }
            }
        }
        // Number groups by first member, in input order.
        var ids: [Int: Int] = [:]
        return tokenLists.indices.map { i in
            let r = find(i)
            if let id = ids[r] { return id }
            ids[r] = ids.count
            return ids.count - 1
        }
    }
}

/// A deterministic train/test split by similarity group: a group goes to test when a hash of its
/// first member's normalised text falls in the test share.
public struct EvaluationSplit: Sendable {
    public var train: [Int]
    public var test: [Int]
    public var groups: [Int]

    /// `salt` draws another split of the same groups (empty: the split the README's figures use), so
    /// a change chosen while looking at one split can be measured on a split it never saw.
    public init(tokenLists: [[String]], testPercent: Int = 20, salt: String = "") {
        self.init(groups: SimilarityGroups.assign(tokenLists), tokenLists: tokenLists, testPercent: testPercent, salt: salt)
    }

    /// The same split from groups already formed (`SimilarityGroups.assign(tokenLists)`): the
    /// groups do not depend on the salt, so a run over several salts forms them once.
    public init(groups: [Int], tokenLists: [[String]], testPercent: Int = 20, salt: String = "") {
        self.groups = groups
        var firstMember: [Int: Int] = [:]
        for (i, g) in groups.enumerated() where firstMember[g] == nil { firstMember[g] = i }
        var train: [Int] = [], test: [Int] = []
        for (i, g) in groups.enumerated() {
            let key = salt + tokenLists[firstMember[g] ?? i].joined(separator: " ")
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for b in key.utf8 { h ^= UInt64(b); h = h &* 0x0000_0100_0000_01B3 }
            if Int(h % 100) < testPercent { test.append(i) } else { train.append(i) }
        }
        self.train = train
        self.test = test
    }
}

/// Accuracy figures for ranked predictions against labels.
public struct EvaluationMetrics: Sendable, Equatable {
    public var count = 0
    public var top1HS6 = 0.0
    public var top1Heading = 0.0
    public var top1Chapter = 0.0
    public var top5HS6 = 0.0
    /// Share of items above the threshold and the accuracy on that slice.
    public var autoApprovedShare = 0.0
    public var autoApprovedAccuracy = 0.0

    /// `ranked[i]` best first; `confidence[i]` decides the auto-approved slice (≥ threshold).
    public static func compute(ranked: [[String]], truth: [String], confidence: [Double], threshold: Double) -> EvaluationMetrics {
        var m = EvaluationMetrics()
        m.count = truth.count
        guard !truth.isEmpty else { return m }
        var a6 = 0, a4 = 0, a2 = 0, t5 = 0, approved = 0, approvedRight = 0
        for i in truth.indices {
            let top = ranked[i].first ?? ""
            if top == truth[i] { a6 += 1 }
            if top.prefix(4) == truth[i].prefix(4) && !top.isEmpty { a4 += 1 }
            if top.prefix(2) == truth[i].prefix(2) && !top.isEmpty { a2 += 1 }
            if ranked[i].prefix(5).contains(truth[i]) { t5 += 1 }
            if confidence[i] >= threshold { approved += 1; if top == truth[i] { approvedRight += 1 } }
        }
        let n = Double(truth.count)
        m.top1HS6 = Double(a6) / n
        m.top1Heading = Double(a4) / n
        m.top1Chapter = Double(a2) / n
        m.top5HS6 = Double(t5) / n
        m.autoApprovedShare = Double(approved) / n
        m.autoApprovedAccuracy = approved == 0 ? 0 : Double(approvedRight) / Double(approved)
        return m
    }
}

/// Reliability table: predictions binned by confidence, each bin's mean confidence beside its
/// observed accuracy. A calibrated model has the two close in every populated bin.
public struct ReliabilityTable: Sendable {
    public struct Bin: Sendable { public var low: Double; public var high: Double; public var count: Int; public var meanConfidence: Double; public var accuracy: Double }
    public var bins: [Bin]
    /// Expected calibration error: count-weighted mean |confidence − accuracy|.
    public var expectedCalibrationError: Double

    public init(confidence: [Double], correct: [Bool], binCount: Int = 10) {
        var sums = [(n: Int, c: Double, a: Int)](repeating: (0, 0, 0), count: binCount)
        for (c, ok) in zip(confidence, correct) {
            let b = min(binCount - 1, max(0, Int(c * Double(binCount))))
            sums[b].n += 1; sums[b].c += c; sums[b].a += ok ? 1 : 0
        }
        bins = sums.enumerated().map { i, s in
            Bin(low: Double(i) / Double(binCount), high: Double(i + 1) / Double(binCount), count: s.n,
                meanConfidence: s.n == 0 ? 0 : s.c / Double(s.n), accuracy: s.n == 0 ? 0 : Double(s.a) / Double(s.n))
        }
        let total = Double(max(1, confidence.count))
        expectedCalibrationError = bins.reduce(0) { $0 + Double($1.count) / total * abs($1.meanConfidence - $1.accuracy) }
    }

    /// The mean ECE that a perfectly calibrated confidence shows on rows with these confidences:
    /// outcomes drawn from the confidences themselves (`draws` times, fixed seed). It falls with the
    /// rows and rises with the confidence's distinct levels; on ~330 rulings of six levels it is
    /// about 0.04, so a split's ECE near it says nothing more than that split's draw.
    public static func noiseFloor(_ confidence: [Double], binCount: Int = 10, draws: Int = 200) -> Double {
        guard !confidence.isEmpty, draws > 0 else { return 0 }
        var seed: UInt64 = 0x9e37_79b9_7f4a_7c15
        var sum = 0.0
        for _ in 0..<draws {
            let drawn = confidence.map { c -> Bool in
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Double(seed >> 11) / Double(1 << 53) < c
            }
            sum += ReliabilityTable(confidence: confidence, correct: drawn, binCount: binCount).expectedCalibrationError
        }
        return sum / Double(draws)
    }
}
