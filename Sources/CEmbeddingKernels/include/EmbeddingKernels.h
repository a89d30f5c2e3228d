// Integer dot products for the classifier's embedding scan: every 8-bit example row against one
// 16-bit query, once per classified line. Swift on x86-64 is compiled for the baseline (SSE2) and
// vectorised this loop four products per instruction; here it runs on AVX-512 VNNI or AVX2 when the
// processor has them (chosen at run time, so the binary still runs on any x86-64), and as a plain
// loop elsewhere.
// The sums are exact integers, so every path gives the same result.
#ifndef CUSTOMSHUB_CEMBEDDINGKERNELS_H
#define CUSTOMSHUB_CEMBEDDINGKERNELS_H
#include <stddef.h>
#include <stdint.h>

/// out[r] = Σₖ rows[r·dimension + k] · query[k], for r < rowCount. The caller keeps
/// dimension × 127 × 32767 within an int32 (dimension ≤ 516).
void hub_dots_i8_i16(const int8_t *_Nonnull rows, size_t rowCount, size_t dimension,
                     const int16_t *_Nonnull query, int32_t *_Nonnull out);

/// The same sums, given each row's sum of codes: on AVX-512 VNNI with a dimension of whole 64-byte
/// blocks (up to 1024) from byte products (vpdpbusd), which need no widening of the rows; elsewhere
/// as `hub_dots_i8_i16`.
void hub_dots_i8_i16_summed(const int8_t *_Nonnull rows, const int32_t *_Nonnull rowSums, size_t rowCount, size_t dimension,
                            const int16_t *_Nonnull query, int32_t *_Nonnull out);

/// The byte-product kernel alone, for the tests; returns 0 (and writes nothing) when the processor
/// lacks VNNI or the dimension is not whole 64-byte blocks up to 1024.
int hub_dots_i8_i16_bytes(const int8_t *_Nonnull rows, const int32_t *_Nonnull rowSums, size_t rowCount, size_t dimension,
                          const int16_t *_Nonnull query, int32_t *_Nonnull out);

/// How many queries `hub_dots_i8_i16_batch` scores in one pass over the rows.
enum { hub_dots_batch_width = 8 };

/// The sums of `hub_dots_i8_i16_summed` for `queryCount` queries (query-major: query j at
/// queries[j·dimension]), written query-major (out[j·rowCount + r]): on AVX2 eight queries per
/// pass over the rows, which are then read from memory once for eight lines; elsewhere one query
/// after another. The sums are the same.
void hub_dots_i8_i16_batch(const int8_t *_Nonnull rows, const int32_t *_Nonnull rowSums, size_t rowCount, size_t dimension,
                           const int16_t *_Nonnull queries, size_t queryCount, int32_t *_Nonnull out);

/// The batch on one kernel (0 portable, 1 AVX2) for 1 to `hub_dots_batch_width` queries, for the
/// tests; returns 0 (and writes nothing) when the processor lacks that kernel or the count is out of range.
int hub_dots_i8_i16_batch_on(int kernel, const int8_t *_Nonnull rows, size_t rowCount, size_t dimension, const int16_t *_Nonnull queries,
                             size_t queryCount, int32_t *_Nonnull out);

/// Which kernel `hub_dots_i8_i16` runs on this processor ("avx512-vnni", "avx2" or "portable").
const char *_Nonnull hub_dots_kernel(void);

/// The same on one kernel (0 portable, 1 AVX2, 2 AVX-512 VNNI), for the tests to check each path
/// the processor has; returns 0 (and writes nothing) when it lacks that kernel's instructions.
int hub_dots_i8_i16_on(int kernel, const int8_t *_Nonnull rows, size_t rowCount, size_t dimension,
                       const int16_t *_Nonnull query, int32_t *_Nonnull out);


// The TF-IDF posting scan of the classifier's stacked index, in C so that the next features'
// posting runs can be fetched while the current one is summed.
/// One posting: a document of a part and the feature's weight in it (the layout of Swift's
/// `StackedIndex.Posting`).
typedef struct HubPosting {
    int32_t doc;
    float weight;
} HubPosting;

/// For each query feature k in order and each part p in order, outs[p][doc] += queryValues[k] · weight
/// over the postings offsets[queryIndices[k]·parts + p] ..< offsets[… + p + 1] (the product rounded
/// first, then added: the same floats as the plain loop).
void hub_accumulate_postings(const int32_t *_Nonnull offsets, const HubPosting *_Nonnull postings, size_t parts,
                             const uint32_t *_Nonnull queryIndices, const float *_Nonnull queryValues, size_t queryCount,
                             float *_Nonnull const *_Nonnull outs);

/// The same sums over postings of six bytes each (a document number below 65,536 in two bytes, then the
/// weight's four, in the machine's byte order, unaligned): a quarter fewer bytes read than `HubPosting`s.
void hub_accumulate_postings6(const int32_t *_Nonnull offsets, const uint8_t *_Nonnull postings, size_t parts,
                              const uint32_t *_Nonnull queryIndices, const float *_Nonnull queryValues, size_t queryCount,
                              float *_Nonnull const *_Nonnull outs);


// The static sentence encoder's float loops and the candidates' centroid cosines, on AVX2 when the
// processor has it; every path computes each element as the plain loop does (a product rounded,
// then added, in the same order), so the floats are the same.
/// sum[k] += (float)codes[k] · scale, for k < dimension.
void hub_add_scaled_i8(const int8_t *_Nonnull codes, float scale, size_t dimension, float *_Nonnull sum);

/// out[j] += x[k] · matrix[k·dimension + j] for every k in order with x[k] ≠ 0, for j < dimension.
void hub_project_f32(const float *_Nonnull x, const float *_Nonnull matrix, size_t dimension, float *_Nonnull out);

/// One of the two loops above (which: 0 `hub_add_scaled_i8` on codes and scale, 1 `hub_project_f32`
/// on x and matrix) on one kernel (0 plain, 1 AVX2), for the tests; returns 0 (and writes nothing)
/// when the processor lacks that kernel's instructions.
int hub_vector_loops_on(int kernel, int which, const int8_t *_Nullable codes, float scale, const float *_Nullable x,
                        const float *_Nullable matrix, size_t dimension, float *_Nonnull out);

/// The first i from `from` on (below `count`) with values[i] · scales[i] > floor (values[i] when
/// `scales` is null), the product rounded as a float; `count` when there is none. Eight at a time
/// on AVX2: the top-k scans pass over the many values under their floor.
size_t hub_next_above(const float *_Nonnull values, const float *_Nullable scales, size_t from, size_t count, float floor);

/// The same on one kernel (0 plain, 1 AVX2), for the tests; SIZE_MAX when the processor lacks it.
size_t hub_next_above_on(int kernel, const float *_Nonnull values, const float *_Nullable scales, size_t from, size_t count, float floor);

/// out[i] = Σₖ ((float)codes[rows[i]·dimension + k] · scales[rows[i]]) · query[k], summed in k order
/// from 0, for i < rowCount.
void hub_dot_rows_i8_f32(const int8_t *_Nonnull codes, const float *_Nonnull scales, size_t dimension,
                         const int32_t *_Nonnull rows, size_t rowCount, const float *_Nonnull query, float *_Nonnull out);

#endif
