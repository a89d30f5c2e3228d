import Dispatch

/// Independent pieces of training run side by side on the machine's cores. Each piece is computed
/// exactly as it would be alone and the results come back in index order, so the model is the
/// same to the bit as a one-by-one run's.
enum SideBySide {
    /// `work` may read what the pieces share but must change nothing outside its own piece (the
    /// compiler cannot check it here: training's values are not `Sendable`).
    static func map<T>(_ count: Int, _ work: (Int) -> T) -> [T] {
        guard count > 1 else { return (0..<count).map(work) }
        return withoutActuallyEscaping(work) { work in
            var results = [T?](repeating: nil, count: count)
            results.withUnsafeMutableBufferPointer { buffer in
                // Each piece writes its own slot only.
                nonisolated(unsafe) let work = work
                nonisolated(unsafe) let slots = buffer
                DispatchQueue.concurrentPerform(iterations: count) { i in slots[i] = work(i) }
            }
            return results.map { $0! }
        }
    }
}
