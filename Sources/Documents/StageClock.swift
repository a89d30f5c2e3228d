import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The CPU time of each stage of reading a document (rendering, preparing a page, Tesseract's
/// passes, the rereadings), for `extract-bench --stages`: where a scan's CPU goes decides what is
/// worth cutting. Off unless `enabled` (then a stage costs one atomic load).
/// Time is exclusive and keyed by the path of stages open (`dpi300>page>tesseract`): a stage's
/// time leaves out the stages it opened. Each thread keeps its own path and is charged its own
/// CPU time (`CLOCK_THREAD_CPUTIME_ID`), so readings on several threads at once (a server's) are
/// timed apart and summed; a stage must end on the thread it began on, as the synchronous
/// reading code does.
public enum StageClock {
    private static let on = Atomic<Bool>(false)

    public static var enabled: Bool {
        get { on.load(ordering: .relaxed) }
        set { on.store(newValue, ordering: .relaxed) }
    }

    /// The stages one thread has open, and when it was last charged.
    private struct OpenStages {
        var open: [String] = []
        var last = 0.0
    }

    private struct State {
        var totals: [String: Double] = [:]
        var counts: [String: Int] = [:]
        var threads: [UInt: OpenStages] = [:]
    }

    private static let state = Mutex(State())

    private static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    private static var threadID: UInt {
        #if canImport(Glibc)
        UInt(pthread_self())
        #else
        UInt(bitPattern: pthread_self())
        #endif
    }

    /// Charges this thread's time since it was last charged to the path it has open.
    private static func charge(_ s: inout State, _ t: inout OpenStages) {
        let time = now()
        if !t.open.isEmpty { s.totals[t.open.joined(separator: ">"), default: 0] += time - t.last }
        t.last = time
    }

    /// Starts `stage` inside the stages this thread has open; every `enter` is matched by one `leave`.
    static func enter(_ stage: String) {
        guard enabled else { return }
        let id = threadID
        state.withLock { s in
            var t = s.threads[id] ?? OpenStages()
            charge(&s, &t)
            t.open.append(stage)
            s.counts[t.open.joined(separator: ">"), default: 0] += 1
            s.threads[id] = t
        }
    }

    static func leave() {
        guard enabled else { return }
        let id = threadID
        state.withLock { s in
            guard var t = s.threads[id], !t.open.isEmpty else { return }
            charge(&s, &t)
            t.open.removeLast()
            // A thread with nothing open is forgotten: ids are reused, and threads come and go.
            s.threads[id] = t.open.isEmpty ? nil : t
        }
    }

    /// `body` timed as `stage`.
    public static func measure<T, E: Error>(_ stage: String, _ body: () throws(E) -> T) throws(E) -> T {
        enter(stage)
        defer { leave() }
        return try body()
    }

    /// The CPU seconds and the number of entries per stage path since the last `take`, which clears them.
    public static func take() -> [(path: String, seconds: Double, count: Int)] {
        state.withLock { s in
            defer { s.totals = [:]; s.counts = [:] }
            return s.counts.keys.sorted().map { ($0, s.totals[$0] ?? 0, s.counts[$0] ?? 0) }
        }
    }
}
