// What the kernels' run-time choice reads from the processor; private to this target.
#ifndef CUSTOMSHUB_CEMBEDDINGKERNELS_CPU_H
#define CUSTOMSHUB_CEMBEDDINGKERNELS_CPU_H

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
/// 1 when the processor has AVX2 and the OS saves its registers (defined in `dots.c`).
int hub_cpu_has_avx2(void);
#endif

#endif
