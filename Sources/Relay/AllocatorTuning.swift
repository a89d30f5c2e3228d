#if canImport(Glibc)
import Glibc
#endif

/// Keeps glibc from handing a thread arena's memory back to the kernel after every delivery.
///
/// Each delivery runs as a Swift task whose frames outgrow the task's first slab, so the task
/// allocator takes a slab from `malloc` and frees it when the delivery ends. On a pool thread's
/// arena that freed slab left the heap's top, glibc gave it back, and the next delivery grew the
/// heap again: two `mprotect`s and a dozen page faults per delivered filing (about 8 % of a
/// loopback drain's CPU, `perf`). A larger top pad makes each growth take the arena's whole
/// reserved heap (64 MiB on 64-bit; untouched pages cost no memory) so it stays grown.
public enum AllocatorTuning {
    /// The pad, in bytes: glibc's largest per-thread heap.
    public static let topPad: Int32 = 64 << 20

    /// Applies the setting once per process; later calls do nothing. `Relay.init` calls it.
    public static func apply() { _ = applied }

    private static let applied: Bool = {
        #if canImport(Glibc)
        // `mallopt` is in <malloc.h>, which the Glibc module does not bring in; -2 is `M_TOP_PAD`.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return false }
        return unsafeBitCast(symbol, to: Mallopt.self)(-2, topPad) == 1
        #else
        return false
        #endif
    }()
}
