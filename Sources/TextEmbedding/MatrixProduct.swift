#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// C = A·Bᵀ for row-major A (m × k) and B (n × k), B in PyTorch's (out, in) layout: through
/// OpenBLAS's `cblas_sgemm` when the shared library is on the machine (Debian's `libopenblas0`,
/// loaded at run time, so nothing is needed to build), else a plain Swift SIMD kernel.
/// The two agree to float rounding; OpenBLAS is 3–5 times faster on the encoder's shapes.
enum MatrixProduct {
    typealias Sgemm = @convention(c) (Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32,
                                      UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32) -> Void
    typealias SetThreads = @convention(c) (Int32) -> Void

    /// One thread per call: the classifier's callers run one item per core already, and the
    /// benchmark counts CPU time per item.
    nonisolated(unsafe) static let blas: Sgemm? = {
        for name in ["libopenblas.so.0", "libopenblas.so", "libopenblas.dylib"] {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL), let symbol = dlsym(handle, "cblas_sgemm") else { continue }
            if let threads = dlsym(handle, "openblas_set_num_threads") { unsafeBitCast(threads, to: SetThreads.self)(1) }
            return unsafeBitCast(symbol, to: Sgemm.self)
        }
        return nil
    }()

    /// Which kernel `multiply` uses, for the benchmark's report.
    static var kernel: String { blas == nil ? "Swift SIMD" : "OpenBLAS" }

    static func multiply(_ a: UnsafePointer<Float>, rows m: Int, _ b: UnsafePointer<Float>, rows n: Int, inner k: Int,
                         into c: UnsafeMutablePointer<Float>, forceSwift: Bool = false) {
        if let sgemm = blas, !forceSwift {
            // CblasRowMajor = 101, CblasNoTrans = 111, CblasTrans = 112.
            sgemm(101, 111, 112, Int32(m), Int32(n), Int32(k), 1, a, Int32(k), b, Int32(k), 0, c, Int32(n))
            return
        }
        swiftKernel(a, rows: m, b, rows: n, inner: k, into: c)
    }

    /// Two rows of A against four of B at a time, eight lanes wide, then the leftovers one by one.
    static func swiftKernel(_ a: UnsafePointer<Float>, rows m: Int, _ b: UnsafePointer<Float>, rows n: Int, inner k: Int, into c: UnsafeMutablePointer<Float>) {
        let wide = k & ~7
        func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }
        func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
            var acc = SIMD8<Float>()
            var p = 0
            while p < wide { acc += load(x + p) * load(y + p); p += 8 }
            var s = acc.sum()
            while p < k { s += x[p] * y[p]; p += 1 }
            return s
        }
        var i = 0
        while i + 1 < m {
            let a0 = a + i * k, a1 = a0 + k
            var j = 0
            while j + 3 < n {
                let b0 = b + j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k
                var s00 = SIMD8<Float>(), s01 = SIMD8<Float>(), s02 = SIMD8<Float>(), s03 = SIMD8<Float>()
                var s10 = SIMD8<Float>(), s11 = SIMD8<Float>(), s12 = SIMD8<Float>(), s13 = SIMD8<Float>()
                var p = 0
                while p < wide {
                    let x0 = load(a0 + p), x1 = load(a1 + p)
                    let y0 = load(b0 + p), y1 = load(b1 + p), y2 = load(b2 + p), y3 = load(b3 + p)
                    s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3
                    s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3
                    p += 8
                }
                var r0 = SIMD4<Float>(s00.sum(), s01.sum(), s02.sum(), s03.sum())
                var r1 = SIMD4<Float>(s10.sum(), s11.sum(), s12.sum(), s13.sum())
                while p < k {
                    let y = SIMD4<Float>(b0[p], b1[p], b2[p], b3[p])
                    r0 += a0[p] * y; r1 += a1[p] * y
                    p += 1
                }
                for q in 0..<4 { c[i * n + j + q] = r0[q]; c[(i + 1) * n + j + q] = r1[q] }
                j += 4
            }
            while j < n { c[i * n + j] = dot(a0, b + j * k); c[(i + 1) * n + j] = dot(a1, b + j * k); j += 1 }
            i += 2
        }
        if i < m {
            for j in 0..<n { c[i * n + j] = dot(a + i * k, b + j * k) }
        }
    }
}
