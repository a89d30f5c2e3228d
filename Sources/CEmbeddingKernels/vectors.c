#include "EmbeddingKernels.h"
#include "cpu.h"

// Float loops of the static sentence encoder and the candidates' centroid cosines. Swift on x86-64
// is compiled for the baseline (SSE2): these run on AVX2 or AVX-512 when the processor has them.
// Each output element is computed by the same operations in the same order as the plain loop (a
// product rounded, then added; no fused multiply-add), so every path gives the same floats.
#pragma STDC FP_CONTRACT OFF

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <cpuid.h>
#include <immintrin.h>
#define HUB_X86 1
#endif

static void add_scaled_portable(const int8_t *codes, float scale, size_t dimension, float *sum) {
    for (size_t k = 0; k < dimension; k++) sum[k] += (float)codes[k] * scale;
}

static void project_portable(const float *x, const float *matrix, size_t dimension, float *out) {
    for (size_t k = 0; k < dimension; k++) {
        if (x[k] == 0) continue;
        const float v = x[k], *row = matrix + k * dimension;
        for (size_t j = 0; j < dimension; j++) out[j] += v * row[j];
    }
}

static size_t next_above_portable(const float *values, const float *scales, size_t from, size_t count, float floor) {
    for (size_t i = from; i < count; i++) {
        const float v = scales ? values[i] * scales[i] : values[i];
        if (v > floor) return i;
    }
    return count;
}

#ifdef HUB_X86
__attribute__((target("avx2")))
static size_t next_above_avx2(const float *values, const float *scales, size_t from, size_t count, float floor) {
    const __m256 f = _mm256_set1_ps(floor);
    size_t i = from;
    for (; i + 8 <= count; i += 8) {
        __m256 v = _mm256_loadu_ps(values + i);
        if (scales) v = _mm256_mul_ps(v, _mm256_loadu_ps(scales + i));
        const int above = _mm256_movemask_ps(_mm256_cmp_ps(v, f, _CMP_GT_OQ));
        if (above) return i + (size_t)__builtin_ctz((unsigned)above);
    }
    return next_above_portable(values, scales, i, count, floor);
}

__attribute__((target("avx2")))
static void add_scaled_avx2(const int8_t *codes, float scale, size_t dimension, float *sum) {
    const __m256 s = _mm256_set1_ps(scale);
    size_t k = 0;
    for (; k + 8 <= dimension; k += 8) {
        __m256 c = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(codes + k))));
        _mm256_storeu_ps(sum + k, _mm256_add_ps(_mm256_loadu_ps(sum + k), _mm256_mul_ps(c, s)));
    }
    add_scaled_portable(codes + k, scale, dimension - k, sum + k);
}

__attribute__((target("avx2")))
static void project_avx2(const float *x, const float *matrix, size_t dimension, float *out) {
    const size_t tail = dimension / 8 * 8;
    for (size_t k = 0; k < dimension; k++) {
        if (x[k] == 0) continue;
        const float *row = matrix + k * dimension;
        const __m256 v = _mm256_set1_ps(x[k]);
        for (size_t j = 0; j < tail; j += 8)
            _mm256_storeu_ps(out + j, _mm256_add_ps(_mm256_loadu_ps(out + j), _mm256_mul_ps(v, _mm256_loadu_ps(row + j))));
        for (size_t j = tail; j < dimension; j++) out[j] += x[k] * row[j];
    }
}

#endif

/// 1 when the AVX2 loops run, 0 when the plain ones do; found on first use (two first callers
/// racing store the same value).
static int use_avx2(void) {
    static int chosen = -1;
    int v = __atomic_load_n(&chosen, __ATOMIC_RELAXED);
    if (v < 0) {
#ifdef HUB_X86
        v = hub_cpu_has_avx2();
#else
        v = 0;
#endif
        __atomic_store_n(&chosen, v, __ATOMIC_RELAXED);
    }
    return v;
}

size_t hub_next_above(const float *values, const float *scales, size_t from, size_t count, float floor) {
#ifdef HUB_X86
    if (use_avx2()) return next_above_avx2(values, scales, from, count, floor);
#endif
    return next_above_portable(values, scales, from, count, floor);
}

size_t hub_next_above_on(int kernel, const float *values, const float *scales, size_t from, size_t count, float floor) {
#ifdef HUB_X86
    if (kernel == 1) return hub_cpu_has_avx2() ? next_above_avx2(values, scales, from, count, floor) : (size_t)-1;
#endif
    return kernel == 0 ? next_above_portable(values, scales, from, count, floor) : (size_t)-1;
}

void hub_add_scaled_i8(const int8_t *codes, float scale, size_t dimension, float *sum) {
#ifdef HUB_X86
    if (use_avx2()) { add_scaled_avx2(codes, scale, dimension, sum); return; }
#endif
    add_scaled_portable(codes, scale, dimension, sum);
}

void hub_project_f32(const float *x, const float *matrix, size_t dimension, float *out) {
#ifdef HUB_X86
    if (use_avx2()) { project_avx2(x, matrix, dimension, out); return; }
#endif
    project_portable(x, matrix, dimension, out);
}

int hub_vector_loops_on(int kernel, int which, const int8_t *codes, float scale, const float *x, const float *matrix, size_t dimension, float *out) {
    switch (kernel) {
    case 0:
        if (which == 0) add_scaled_portable(codes, scale, dimension, out); else project_portable(x, matrix, dimension, out);
        return 1;
#ifdef HUB_X86
    case 1:
        if (!hub_cpu_has_avx2()) return 0;
        if (which == 0) add_scaled_avx2(codes, scale, dimension, out); else project_avx2(x, matrix, dimension, out);
        return 1;
#endif
    default: return 0;
    }
}

void hub_dot_rows_i8_f32(const int8_t *codes, const float *scales, size_t dimension, const int32_t *rows, size_t rowCount,
                         const float *query, float *out) {
    // Four rows at a time: each sum is still one chain in k order, but four chains run side by side
    // instead of one waiting on each addition.
    size_t i = 0;
    for (; i + 4 <= rowCount; i += 4) {
        const int8_t *a = codes + (size_t)rows[i] * dimension, *b = codes + (size_t)rows[i + 1] * dimension;
        const int8_t *c = codes + (size_t)rows[i + 2] * dimension, *d = codes + (size_t)rows[i + 3] * dimension;
        const float sa = scales[rows[i]], sb = scales[rows[i + 1]], sc = scales[rows[i + 2]], sd = scales[rows[i + 3]];
        float da = 0, db = 0, dc = 0, dd = 0;
        for (size_t k = 0; k < dimension; k++) {
            const float q = query[k];
            da += ((float)a[k] * sa) * q;
            db += ((float)b[k] * sb) * q;
            dc += ((float)c[k] * sc) * q;
            dd += ((float)d[k] * sd) * q;
        }
        out[i] = da; out[i + 1] = db; out[i + 2] = dc; out[i + 3] = dd;
    }
    for (; i < rowCount; i++) {
        const int8_t *a = codes + (size_t)rows[i] * dimension;
        const float sa = scales[rows[i]];
        float da = 0;
        for (size_t k = 0; k < dimension; k++) da += ((float)a[k] * sa) * query[k];
        out[i] = da;
    }
}
