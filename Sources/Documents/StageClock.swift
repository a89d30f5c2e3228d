#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The CPU time of each stage of reading a document (rendering, preparing a page, Tesseract's
/// passes, the rereadings), for `extract-bench --stages`: where a scan's CPU goes decides what is
/// worth cutting. Off unless `enabled`; then readings must run one at a time (the bench's do).
/// Time is exclusive and keyed by the path of stages open (`dpi300>page>tesseract`): a stage's
/// time leaves out the stages it opened.
public enum StageClock {
    nonisolated(unsafe) public static var enabled = false
    nonisolated(unsafe) private static var totals: [String: Double] = [:]
    nonisolated(unsafe) private static var counts: [String: Int] = [:]
    nonisolated(unsafe) private static var open: [String] = []
    nonisolated(unsafe) private static var last = 0.0

    private static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    private static func charge() {
        let t = now()
        if !open.isEmpty { totals[open.joined(separator: ">"), default: 0] += t - last }
        last = t
    }

    /// Starts `stage` inside the stages open; every `enter` is matched by one `leave`.
    static func enter(_ stage: String) {
        guard enabled else { return }
        charge()
        open.append(stage)
        counts[open.joined(separator: ">"), default: 0] += 1
    }

    static func leave() {
        guard enabled, !open.isEmpty else { return }
        charge()
        open.removeLast()
    }

    /// `body` timed as `stage`.
    public static func measure<T, E: Error>(_ stage: String, _ body: () throws(E) -> T) throws(E) -> T {
        enter(stage)
        defer { leave() }
        return try body()
    }

    /// The CPU seconds and the number of entries per stage path since the last `take`, which clears them.
    public static func take() -> [(path: String, seconds: Double, count: Int)] {
        defer { totals = [:]; counts = [:] }
        return totals.keys.sorted().map { ($0, totals[$0] ?? 0, counts[$0] ?? 0) }
    }
}
