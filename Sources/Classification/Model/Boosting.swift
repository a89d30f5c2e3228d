import Foundation

/// Gradient-boosted regression trees on the logistic loss: P(the top-1 is right) from the answer's
/// features, with the interactions a linear calibrator cannot express (the neighbours agree *and*
/// the margin is wide). Small and deterministic: depth-limited trees over at most 32 quantile cuts
/// per feature, Newton leaf values, shrinkage. Stored flat, so that scoring is a few comparisons.
public struct BoostedTrees: Sendable, Equatable {
    /// Per node: the feature tested (-1 for a leaf), the cut (`x <= cut` goes left), the children and
    /// the leaf value (already shrunk). Node `roots[t]` is tree t's root.
    public var feature: [Int32] = []
    public var cut: [Double] = []
    public var left: [Int32] = []
    public var right: [Int32] = []
    public var value: [Double] = []
    public var roots: [Int32] = []
    public var base: Double = 0

    public init() {}

    public var isEmpty: Bool { roots.isEmpty }

    public struct Parameters: Sendable {
        public var rounds = 120
        public var depth = 3
        public var rate = 0.08
        public var minLeaf = 25
        public var lambda = 2.0
        public var cuts = 32
        public init() {}
    }

    public func margin(_ x: [Double]) -> Double {
        var z = base
        for root in roots {
            var n = Int(root)
            while feature[n] >= 0 {
                let f = Int(feature[n])
                n = Int((f < x.count ? x[f] : 0) <= cut[n] ? left[n] : right[n])
            }
            z += value[n]
        }
        return z
    }

    public func probability(_ x: [Double]) -> Double { 1 / (1 + exp(-margin(x))) }

    public static func fit(_ rows: [[Double]], _ labels: [Bool], parameters p: Parameters = Parameters()) -> BoostedTrees {
        var model = BoostedTrees()
        guard let width = rows.first?.count, rows.count >= 2 * p.minLeaf else { return model }
        let n = rows.count
        let positives = Double(labels.filter { $0 }.count)
        let prior = min(max(positives / Double(n), 1e-3), 1 - 1e-3)
        model.base = log(prior / (1 - prior))
        // Quantile cuts per feature, and each row's bin (the first cut its value does not exceed).
        var cuts: [[Double]] = []
        var bins: [[UInt8]] = []
        for f in 0..<width {
            let sorted = rows.map { $0[f] }.sorted()
            var c: [Double] = []
            for k in 1..<p.cuts {
                let v = sorted[min(n - 1, k * n / p.cuts)]
                if c.last != v && v < sorted[n - 1] { c.append(v) }
            }
            cuts.append(c)
            bins.append(rows.map { x in UInt8(c.firstIndex { x[f] <= $0 } ?? c.count) })
        }
        var margins = [Double](repeating: model.base, count: n)
        var g = [Double](repeating: 0, count: n), h = [Double](repeating: 0, count: n)
        for _ in 0..<p.rounds {
            for i in 0..<n {
                let q = 1 / (1 + exp(-margins[i]))
                g[i] = q - (labels[i] ? 1 : 0)
                h[i] = max(q * (1 - q), 1e-6)
            }
            let root = model.grow(Array(0..<n), depth: 0, g: g, h: h, bins: bins, cuts: cuts, p: p)
            model.roots.append(Int32(root))
            for i in 0..<n { margins[i] += model.leafValue(from: root, bins: bins, row: i) }
        }
        model.resolveCuts(cuts)
        return model
    }

    /// Value of the leaf a training row falls in, read through its bins (same path as `margin`).
    private func leafValue(from root: Int, bins: [[UInt8]], row: Int) -> Double {
        var n = root
        while feature[n] >= 0 { n = Int(Int(bins[Int(feature[n])][row]) <= Int(cut[n]) ? left[n] : right[n]) }
        return value[n]
    }

    /// Grows one node over `members`; internal nodes hold the cut as a bin index while fitting
    /// (`resolveCuts` turns it into a feature value at the end).
    private mutating func grow(_ members: [Int], depth: Int, g: [Double], h: [Double], bins: [[UInt8]], cuts: [[Double]], p: Parameters) -> Int {
        let G = members.reduce(0) { $0 + g[$1] }, H = members.reduce(0) { $0 + h[$1] }
        let node = feature.count
        feature.append(-1); cut.append(0); left.append(-1); right.append(-1); value.append(-G / (H + p.lambda) * p.rate)
        guard depth < p.depth, members.count >= 2 * p.minLeaf else { return node }
        let parentScore = G * G / (H + p.lambda)
        var best = (gain: 1e-9, feature: -1, bin: -1)
        for f in bins.indices where !cuts[f].isEmpty {
            let width = cuts[f].count + 1
            var gs = [Double](repeating: 0, count: width), hs = gs
            var counts = [Int](repeating: 0, count: width)
            for i in members { let b = Int(bins[f][i]); gs[b] += g[i]; hs[b] += h[i]; counts[b] += 1 }
            var gl = 0.0, hl = 0.0, cl = 0
            for b in 0..<(width - 1) {
                gl += gs[b]; hl += hs[b]; cl += counts[b]
                let cr = members.count - cl
                guard cl >= p.minLeaf, cr >= p.minLeaf else { continue }
                let gr = G - gl, hr = H - hl
                let gain = gl * gl / (hl + p.lambda) + gr * gr / (hr + p.lambda) - parentScore
                if gain > best.gain { best = (gain, f, b) }
            }
        }
        guard best.feature >= 0 else { return node }
        let goesLeft = members.filter { Int(bins[best.feature][$0]) <= best.bin }
        let goesRight = members.filter { Int(bins[best.feature][$0]) > best.bin }
        feature[node] = Int32(best.feature)
        cut[node] = Double(best.bin)
        let l = grow(goesLeft, depth: depth + 1, g: g, h: h, bins: bins, cuts: cuts, p: p)
        let r = grow(goesRight, depth: depth + 1, g: g, h: h, bins: bins, cuts: cuts, p: p)
        left[node] = Int32(l); right[node] = Int32(r)
        return node
    }

    /// Rewrites bin-index cuts to feature values once fitting is done (`x <= cuts[f][bin]`).
    private mutating func resolveCuts(_ cuts: [[Double]]) {
        for n in feature.indices where feature[n] >= 0 { cut[n] = cuts[Int(feature[n])][Int(cut[n])] }
    }
}

extension BoostedTrees {
    /// One model whose margin is the mean of the given models' margins (the cross-validation fold
    /// models together), so that what answers a query is what the held-out scores came from.
    public static func averaged(_ models: [BoostedTrees]) -> BoostedTrees {
        var out = BoostedTrees()
        guard !models.isEmpty else { return out }
        let share = 1 / Double(models.count)
        for m in models {
            let offset = Int32(out.feature.count)
            out.feature += m.feature
            out.cut += m.cut
            out.left += m.left.map { $0 >= 0 ? $0 + offset : $0 }
            out.right += m.right.map { $0 >= 0 ? $0 + offset : $0 }
            out.value += m.value.map { $0 * share }
            out.roots += m.roots.map { $0 + offset }
            out.base += m.base * share
        }
        return out
    }
}
