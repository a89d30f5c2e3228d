#include "EmbeddingKernels.h"
#include "cpu.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <cpuid.h>
#include <immintrin.h>
#define HUB_X86 1
#endif

/// The products of `row` from `from` on, after the whole vector blocks.
static inline int32_t tail_dot(const int8_t *row, size_t from, size_t dimension, const int16_t *query) {
    int32_t sum = 0;
    for (size_t k = from; k < dimension; k++) sum += (int32_t)row[k] * (int32_t)query[k];
    return sum;
}

static void dots_portable(const int8_t *rows, size_t rowCount, size_t dimension, const int16_t *query, int32_t *out) {
    for (size_t r = 0; r < rowCount; r++) out[r] = tail_dot(rows + r * dimension, 0, dimension, query);
}

#ifdef HUB_X86
__attribute__((target("avx2")))
static inline int32_t horizontal_sum(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4e));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xb1));
    return _mm_cvtsi128_si32(s);
}

/// Sixteen bytes widened to 16 bits and multiplied-added in pairs into eight 32-bit lanes
/// (vpmovsxbw, vpmaddwd); two rows at a time share the query's loads.
__attribute__((target("avx2")))
static void dots_avx2(const int8_t *rows, size_t rowCount, size_t dimension, const int16_t *query, int32_t *out) {
    const size_t blocks = dimension / 16, tail = blocks * 16;
    size_t r = 0;
    for (; r + 2 <= rowCount; r += 2) {
        const int8_t *a = rows + r * dimension, *b = a + dimension;
        __m256i accA = _mm256_setzero_si256(), accB = _mm256_setzero_si256();
        for (size_t k = 0; k < tail; k += 16) {
            __m256i q = _mm256_loadu_si256((const __m256i *)(query + k));
            __m256i wa = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(a + k)));
            __m256i wb = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(b + k)));
            accA = _mm256_add_epi32(accA, _mm256_madd_epi16(wa, q));
            accB = _mm256_add_epi32(accB, _mm256_madd_epi16(wb, q));
        }
        out[r] = horizontal_sum(accA) + tail_dot(a, tail, dimension, query);
        out[r + 1] = horizontal_sum(accB) + tail_dot(b, tail, dimension, query);
    }
    if (r < rowCount) dots_portable(rows + r * dimension, rowCount - r, dimension, query, out + r);
}

/// The same on AVX-512 with VNNI: thirty-two bytes widened at a time, multiplied and added into
/// the sixteen lanes in one instruction (vpdpwssd).
__attribute__((target("avx512f,avx512bw,avx512vnni")))
static void dots_avx512vnni(const int8_t *rows, size_t rowCount, size_t dimension, const int16_t *query, int32_t *out) {
    const size_t tail = dimension / 32 * 32;
    size_t r = 0;
    for (; r + 2 <= rowCount; r += 2) {
        const int8_t *a = rows + r * dimension, *b = a + dimension;
        __m512i accA = _mm512_setzero_si512(), accB = _mm512_setzero_si512();
        for (size_t k = 0; k < tail; k += 32) {
            __m512i q = _mm512_loadu_si512((const void *)(query + k));
            __m512i wa = _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(a + k)));
            __m512i wb = _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(b + k)));
            accA = _mm512_dpwssd_epi32(accA, wa, q);
            accB = _mm512_dpwssd_epi32(accB, wb, q);
        }
        out[r] = _mm512_reduce_add_epi32(accA) + tail_dot(a, tail, dimension, query);
        out[r + 1] = _mm512_reduce_add_epi32(accB) + tail_dot(b, tail, dimension, query);
    }
    if (r < rowCount) dots_portable(rows + r * dimension, rowCount - r, dimension, query, out + r);
}

/// The same sums from byte products (vpdpbusd, 64 per instruction, the rows not widened), for a
/// dimension of whole 64-byte blocks up to `widest`: the query biased to q + 32768 (0…65535) is
/// split into its high and low bytes h and l, so row·q = 256·(row·h) + row·l − 32768·Σrow, with
/// Σrow given. The terms are summed modulo 2³² (vpdpbusd and the adds wrap); the true sum fits an
/// int32 (the caller's bound), so the wrapped result is exactly it.
enum { bytes_widest = 1024 };

__attribute__((target("avx512f,avx512bw,avx512vnni")))
static void dots_avx512vnni_bytes(const int8_t *rows, const int32_t *rowSums, size_t rowCount, size_t dimension, const int16_t *query,
                                  int32_t *out) {
    uint8_t high[bytes_widest], low[bytes_widest];
    for (size_t k = 0; k < dimension; k++) {
        const uint16_t biased = (uint16_t)((int32_t)query[k] + 32768);
        high[k] = (uint8_t)(biased >> 8);
        low[k] = (uint8_t)(biased & 0xFF);
    }
    size_t r = 0;
    if (dimension == 384) {
        // The sentence encoder's width: the query's twelve blocks held in registers for every row
        // (loading them again per row cost as much as the products saved).
        __m512i H[6], L[6];
        for (int j = 0; j < 6; j++) {
            H[j] = _mm512_loadu_si512((const void *)(high + 64 * j));
            L[j] = _mm512_loadu_si512((const void *)(low + 64 * j));
        }
        for (; r + 2 <= rowCount; r += 2) {
            const int8_t *a = rows + r * 384, *b = a + 384;
            __m512i hiA = _mm512_setzero_si512(), loA = _mm512_setzero_si512(), hiB = _mm512_setzero_si512(), loB = _mm512_setzero_si512();
            for (int j = 0; j < 6; j++) {
                const __m512i ra = _mm512_loadu_si512((const void *)(a + 64 * j)), rb = _mm512_loadu_si512((const void *)(b + 64 * j));
                hiA = _mm512_dpbusd_epi32(hiA, H[j], ra);
                loA = _mm512_dpbusd_epi32(loA, L[j], ra);
                hiB = _mm512_dpbusd_epi32(hiB, H[j], rb);
                loB = _mm512_dpbusd_epi32(loB, L[j], rb);
            }
            out[r] = (int32_t)((uint32_t)_mm512_reduce_add_epi32(_mm512_add_epi32(_mm512_slli_epi32(hiA, 8), loA)) - ((uint32_t)rowSums[r] << 15));
            out[r + 1] = (int32_t)((uint32_t)_mm512_reduce_add_epi32(_mm512_add_epi32(_mm512_slli_epi32(hiB, 8), loB)) - ((uint32_t)rowSums[r + 1] << 15));
        }
    }
    for (; r + 2 <= rowCount; r += 2) {
        const int8_t *a = rows + r * dimension, *b = a + dimension;
        __m512i hiA = _mm512_setzero_si512(), loA = _mm512_setzero_si512(), hiB = _mm512_setzero_si512(), loB = _mm512_setzero_si512();
        for (size_t k = 0; k < dimension; k += 64) {
            const __m512i h = _mm512_loadu_si512((const void *)(high + k)), l = _mm512_loadu_si512((const void *)(low + k));
            const __m512i ra = _mm512_loadu_si512((const void *)(a + k)), rb = _mm512_loadu_si512((const void *)(b + k));
            hiA = _mm512_dpbusd_epi32(hiA, h, ra);
            loA = _mm512_dpbusd_epi32(loA, l, ra);
            hiB = _mm512_dpbusd_epi32(hiB, h, rb);
            loB = _mm512_dpbusd_epi32(loB, l, rb);
        }
        out[r] = (int32_t)((uint32_t)_mm512_reduce_add_epi32(_mm512_add_epi32(_mm512_slli_epi32(hiA, 8), loA)) - ((uint32_t)rowSums[r] << 15));
        out[r + 1] = (int32_t)((uint32_t)_mm512_reduce_add_epi32(_mm512_add_epi32(_mm512_slli_epi32(hiB, 8), loB)) - ((uint32_t)rowSums[r + 1] << 15));
    }
    if (r < rowCount) dots_portable(rows + r * dimension, rowCount - r, dimension, query, out + r);
}

/// Up to eight queries against every row in one pass over the rows: each 16-byte block of a row is
/// widened once and multiplied-added against each query's block (the queries, 8 × 768 bytes at
/// the encoder's width, stay in L1). The scan is bound by reading the rows from memory (about 9 MB
/// a model, more than this machine's L3 keeps between lines), so reading them once for several
/// lines costs about what one line did. `out` is query-major (out[j·rowCount + r]). The integer
/// sums are exact, so each equals the one-query kernels' sum.
__attribute__((target("avx2"), always_inline))
static inline void dots_avx2_batch_n(const int8_t *rows, size_t rowCount, size_t dimension, const int16_t *queries, const int n,
                                     int32_t *out) {
    const size_t tail = dimension / 16 * 16;
    for (size_t r = 0; r < rowCount; r++) {
        const int8_t *row = rows + r * dimension;
        __m256i acc[8];
        for (int j = 0; j < n; j++) acc[j] = _mm256_setzero_si256();
        for (size_t k = 0; k < tail; k += 16) {
            const __m256i w = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(row + k)));
            for (int j = 0; j < n; j++) {
                const __m256i q = _mm256_loadu_si256((const __m256i *)(queries + (size_t)j * dimension + k));
                acc[j] = _mm256_add_epi32(acc[j], _mm256_madd_epi16(w, q));
            }
        }
        for (int j = 0; j < n; j++)
            out[(size_t)j * rowCount + r] = horizontal_sum(acc[j]) + tail_dot(row, tail, dimension, queries + (size_t)j * dimension);
    }
}

/// `dots_avx2_batch_n` with the count of queries a constant, so that each loop over them unrolls.
__attribute__((target("avx2")))
static void dots_avx2_batch(const int8_t *rows, size_t rowCount, size_t dimension, const int16_t *queries, size_t queryCount, int32_t *out) {
    switch (queryCount) {
    case 1: dots_avx2_batch_n(rows, rowCount, dimension, queries, 1, out); break;
    case 2: dots_avx2_batch_n(rows, rowCount, dimension, queries, 2, out); break;
    case 3: dots_avx2_batch_n(rows, rowCount, dimension, queries, 3, out); break;
    case 4: dots_avx2_batch_n(rows, rowCount, dimension, queries, 4, out); break;
    case 5: dots_avx2_batch_n(rows, rowCount, dimension, queries, 5, out); break;
    case 6: dots_avx2_batch_n(rows, rowCount, dimension, queries, 6, out); break;
    case 7: dots_avx2_batch_n(rows, rowCount, dimension, queries, 7, out); break;
    default: dots_avx2_batch_n(rows, rowCount, dimension, queries, 8, out); break;
    }
}

/// AVX-512 with VNNI: the instruction sets (CPUID leaf 7: EBX bits 16 and 30, ECX bit 11) and the
/// OS saving the opmask and ZMM state (XCR0 bits 1, 2 and 5–7).
static int has_avx512vnni(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE)) return 0;
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 0xE6) != 0xE6) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (b & (1u << 16)) && (b & (1u << 30)) && (c & (1u << 11));
}

/// AVX2 needs the instruction set (CPUID leaf 7, EBX bit 5) and the OS saving the YMM state
/// (OSXSAVE, then XCR0 bits 1 and 2). Shared with `vectors.c` (`cpu.h`).
int hub_cpu_has_avx2(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE) || !(c & bit_AVX)) return 0;
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 6) != 6) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (b & bit_AVX2) != 0;
}
#endif

typedef void (*dots_fn)(const int8_t *, size_t, size_t, const int16_t *, int32_t *);

/// Chosen on first use; two first callers racing store the same pointer (atomically).
static dots_fn chosen_kernel(void) {
    static dots_fn chosen = 0;
    dots_fn f = __atomic_load_n(&chosen, __ATOMIC_RELAXED);
    if (!f) {
#ifdef HUB_X86
        f = has_avx512vnni() ? dots_avx512vnni : hub_cpu_has_avx2() ? dots_avx2 : dots_portable;
#else
        f = dots_portable;
#endif
        __atomic_store_n(&chosen, f, __ATOMIC_RELAXED);
    }
    return f;
}

void hub_dots_i8_i16(const int8_t *rows, size_t rowCount, size_t dimension, const int16_t *query, int32_t *out) {
    chosen_kernel()(rows, rowCount, dimension, query, out);
}

/// Whether the byte-product kernel runs: VNNI, and a dimension of whole 64-byte blocks within its buffers.
static int bytes_kernel_fits(size_t dimension) {
#ifdef HUB_X86
    return chosen_kernel() == dots_avx512vnni && dimension > 0 && dimension % 64 == 0 && dimension <= bytes_widest;
#else
    (void)dimension;
    return 0;
#endif
}

void hub_dots_i8_i16_summed(const int8_t *rows, const int32_t *rowSums, size_t rowCount, size_t dimension, const int16_t *query,
                            int32_t *out) {
#ifdef HUB_X86
    if (bytes_kernel_fits(dimension)) { dots_avx512vnni_bytes(rows, rowSums, rowCount, dimension, query, out); return; }
#endif
    (void)rowSums;
    chosen_kernel()(rows, rowCount, dimension, query, out);
}

int hub_dots_i8_i16_bytes(const int8_t *rows, const int32_t *rowSums, size_t rowCount, size_t dimension, const int16_t *query,
                          int32_t *out) {
#ifdef HUB_X86
    if (!has_avx512vnni() || dimension == 0 || dimension % 64 != 0 || dimension > bytes_widest) return 0;
    dots_avx512vnni_bytes(rows, rowSums, rowCount, dimension, query, out);
    return 1;
#else
    (void)rows; (void)rowSums; (void)rowCount; (void)dimension; (void)query; (void)out;
    return 0;
#endif
}

void hub_dots_i8_i16_batch(const int8_t *rows, const int32_t *rowSums, size_t rowCount, size_t dimension, const int16_t *queries,
                           size_t queryCount, int32_t *out) {
    for (size_t first = 0; first < queryCount; first += hub_dots_batch_width) {
        const size_t n = queryCount - first < hub_dots_batch_width ? queryCount - first : hub_dots_batch_width;
#ifdef HUB_X86
        if (chosen_kernel() == dots_avx2) {
            dots_avx2_batch(rows, rowCount, dimension, queries + first * dimension, n, out + first * rowCount);
            continue;
        }
#endif
        // AVX-512 VNNI (not batched yet) and the plain loop: one query at a time.
        for (size_t j = first; j < first + n; j++) hub_dots_i8_i16_summed(rows, rowSums, rowCount, dimension, queries + j * dimension, out + j * rowCount);
    }
}

int hub_dots_i8_i16_batch_on(int kernel, const int8_t *rows, size_t rowCount, size_t dimension, const int16_t *queries, size_t queryCount,
                             int32_t *out) {
    if (queryCount == 0 || queryCount > hub_dots_batch_width) return 0;
    switch (kernel) {
    case 0:
        for (size_t j = 0; j < queryCount; j++) dots_portable(rows, rowCount, dimension, queries + j * dimension, out + j * rowCount);
        return 1;
#ifdef HUB_X86
    case 1: if (!hub_cpu_has_avx2()) return 0; dots_avx2_batch(rows, rowCount, dimension, queries, queryCount, out); return 1;
#endif
    default: return 0;
    }
}

const char *hub_dots_kernel(void) {
#ifdef HUB_X86
    dots_fn f = chosen_kernel();
    return f == dots_avx512vnni ? "avx512-vnni" : f == dots_avx2 ? "avx2" : "portable";
#else
    return "portable";
#endif
}

int hub_dots_i8_i16_on(int kernel, const int8_t *rows, size_t rowCount, size_t dimension, const int16_t *query, int32_t *out) {
    switch (kernel) {
    case 0: dots_portable(rows, rowCount, dimension, query, out); return 1;
#ifdef HUB_X86
    case 1: if (!hub_cpu_has_avx2()) return 0; dots_avx2(rows, rowCount, dimension, query, out); return 1;
    case 2: if (!has_avx512vnni()) return 0; dots_avx512vnni(rows, rowCount, dimension, query, out); return 1;
#endif
    default: return 0;
    }
}
