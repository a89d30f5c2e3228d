import Dispatch
import Foundation
import Synchronization

/// Training's independent pieces side by side: each fold's chapter and heading models, each fold's
/// scoring of its held-out rows, the rankers and the text kinds' calibrations. A first start
/// trains the classifier before the hub answers, and one thread left the other cores idle. Each
/// piece is a function of its index that reads values shared read-only and returns its result,
/// which lands in its own slot: the model is the same to the bit as from one thread.
public enum TrainingConcurrency {
    /// The variable that caps training's threads (1: one thread, as before).
    public static let threadsVariable = "CUSTOMS_HUB_TRAINING_THREADS"

    /// `CUSTOMS_HUB_TRAINING_THREADS` when it is a number ≥ 1, else the machine's active cores.
    public static var defaultThreads: Int {
        threads(environment: ProcessInfo.processInfo.environment, cores: ProcessInfo.processInfo.activeProcessorCount)
    }

    static func threads(environment: [String: String], cores: Int) -> Int {
        if let value = environment[threadsVariable], let n = Int(value.trimmingCharacters(in: .whitespaces)), n >= 1 { return n }
        return max(1, cores)
    }

    /// `body(i)` for every `i` in `0..<count`, on at most `threads` threads (each takes the next
    /// index as it frees up, so put the longest pieces first), the results in index order.
    static func map<T: Sendable>(_ count: Int, threads: Int, _ body: @Sendable (Int) -> T) -> [T] {
        let workers = min(max(1, threads), count)
        guard workers > 1 else { return (0..<count).map(body) }
        let slots = Slots<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let i = slots.claim() { slots.put(body(i), at: i) }
        }
        return slots.results()
    }
}

/// The next index to take and each index's result.
private final class Slots<T: Sendable>: Sendable {
    let count: Int
    private let next = Atomic<Int>(0)
    private let filled: Mutex<[T?]>

    init(count: Int) {
        self.count = count
        filled = Mutex([T?](repeating: nil, count: count))
    }

    func claim() -> Int? {
        let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
        return i < count ? i : nil
    }

    func put(_ value: T, at i: Int) { filled.withLock { $0[i] = value } }

    func results() -> [T] { filled.withLock { $0.map { $0! } } }
}
