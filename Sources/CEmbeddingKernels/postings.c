#include "EmbeddingKernels.h"

// Each product is rounded before it is added (no fused multiply-add), as Swift's `out[doc] += q * w`
// is, so every similarity is the same float whichever code computes it.
#pragma STDC FP_CONTRACT OFF

void hub_accumulate_postings(const int32_t *offsets, const HubPosting *postings, size_t parts,
                             const uint32_t *queryIndices, const float *queryValues, size_t queryCount,
                             float *const *outs) {
    // How many features ahead the next posting runs are fetched: a ruling's few hundred features
    // each start a run somewhere in a table of tens of megabytes, and each start missed the cache.
    enum { ahead = 4 };
    for (size_t k = 0; k < queryCount && k < ahead; k++) {
        const int32_t *cell = offsets + (size_t)queryIndices[k] * parts;
        __builtin_prefetch(cell);
    }
    for (size_t k = 0; k < queryCount; k++) {
        if (k + ahead < queryCount) __builtin_prefetch(offsets + (size_t)queryIndices[k + ahead] * parts);
        if (k + 1 < queryCount) {
            const int32_t *next = offsets + (size_t)queryIndices[k + 1] * parts;
            const HubPosting *run = postings + next[0];
            __builtin_prefetch(run);
            __builtin_prefetch(run + 8);
        }
        const int32_t *cell = offsets + (size_t)queryIndices[k] * parts;
        const float qv = queryValues[k];
        for (size_t p = 0; p < parts; p++) {
            float *out = outs[p];
            const HubPosting *e = postings + cell[p], *end = postings + cell[p + 1];
            for (; e + 2 <= end; e += 2) {
                const float a = qv * e[0].weight, b = qv * e[1].weight;
                out[e[0].doc] += a;
                out[e[1].doc] += b;
            }
            if (e < end) {
                const float a = qv * e->weight;
                out[e->doc] += a;
            }
        }
    }
}

void hub_accumulate_postings6(const int32_t *offsets, const uint8_t *postings, size_t parts,
                              const uint32_t *queryIndices, const float *queryValues, size_t queryCount,
                              float *const *outs) {
    // A document number of two bytes, then the weight's four, in the machine's byte order.
    enum { ahead = 4, size = 6 };
    for (size_t k = 0; k < queryCount && k < ahead; k++) __builtin_prefetch(offsets + (size_t)queryIndices[k] * parts);
    for (size_t k = 0; k < queryCount; k++) {
        if (k + ahead < queryCount) __builtin_prefetch(offsets + (size_t)queryIndices[k + ahead] * parts);
        if (k + 1 < queryCount) {
            const int32_t *next = offsets + (size_t)queryIndices[k + 1] * parts;
            const uint8_t *run = postings + (size_t)next[0] * size;
            __builtin_prefetch(run);
            __builtin_prefetch(run + 64);
        }
        const int32_t *cell = offsets + (size_t)queryIndices[k] * parts;
        const float qv = queryValues[k];
        for (size_t p = 0; p < parts; p++) {
            float *out = outs[p];
            const uint8_t *e = postings + (size_t)cell[p] * size, *end = postings + (size_t)cell[p + 1] * size;
            for (; e < end; e += size) {
                uint16_t doc;
                float weight;
                __builtin_memcpy(&doc, e, 2);
                __builtin_memcpy(&weight, e + 2, 4);
                const float a = qv * weight;
                out[doc] += a;
            }
        }
    }
}
