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

void hub_accumulate_postings_batch(const int32_t *offsets, const HubPosting *postings, size_t parts, size_t queries,
                                   const uint32_t *const *queryIndices, const float *const *queryValues,
                                   const size_t *queryCounts, float *const *outs) {
    enum { ahead = 4 };
    size_t at[hub_postings_batch_limit] = {0};
    if (queries > hub_postings_batch_limit) queries = hub_postings_batch_limit;
    for (size_t j = 0; j < queries; j++)
        for (size_t k = 0; k < queryCounts[j] && k < ahead; k++) __builtin_prefetch(offsets + (size_t)queryIndices[j][k] * parts);
    for (;;) {
        // The smallest bucket any query has not read yet, and the queries that hold it.
        uint32_t bucket = UINT32_MAX;
        int any = 0;
        for (size_t j = 0; j < queries; j++) {
            if (at[j] < queryCounts[j] && (!any || queryIndices[j][at[j]] < bucket)) { bucket = queryIndices[j][at[j]]; any = 1; }
        }
        if (!any) break;
        size_t holders[hub_postings_batch_limit];
        float values[hub_postings_batch_limit];
        size_t n = 0;
        for (size_t j = 0; j < queries; j++) {
            const size_t k = at[j];
            if (k < queryCounts[j] && queryIndices[j][k] == bucket) {
                holders[n] = j;
                values[n] = queryValues[j][k];
                n++;
                if (k + ahead < queryCounts[j]) __builtin_prefetch(offsets + (size_t)queryIndices[j][k + ahead] * parts);
                if (k + 1 < queryCounts[j]) {
                    const HubPosting *run = postings + offsets[(size_t)queryIndices[j][k + 1] * parts];
                    __builtin_prefetch(run);
                    __builtin_prefetch(run + 8);
                }
                at[j] = k + 1;
            }
        }
        const int32_t *cell = offsets + (size_t)bucket * parts;
        for (size_t p = 0; p < parts; p++) {
            const HubPosting *begin = postings + cell[p], *end = postings + cell[p + 1];
            for (size_t h = 0; h < n; h++) {
                float *out = outs[holders[h] * parts + p];
                const float qv = values[h];
                const HubPosting *e = begin;
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
}
