// AVX2 + FMA micro-kernels: gemm_f32_6x16_avx2 and gemm_f64_6x8_avx2 (12 ymm accumulators,
// 2 B vectors, 1 broadcast: 15 of 16 registers). Compiled for avx2,fma by pragma only for the
// functions defined here, so the rest of the addon runs on any x86-64; called only when the CPU
// has AVX2 and FMA.
#include "gemm_ukernel.h"

#if STEADY_X86
#include <immintrin.h>

#pragma GCC push_options
#pragma GCC target("avx2,fma")

namespace steady {
namespace {

struct F32x8 {
  using T = float;
  using Vec = __m256;
  static constexpr int W = 8;
  static inline __attribute__((always_inline)) Vec zero() { return _mm256_setzero_ps(); }
  static inline __attribute__((always_inline)) Vec load(const T* p) { return _mm256_load_ps(p); }
  static inline __attribute__((always_inline)) Vec loadu(const T* p) { return _mm256_loadu_ps(p); }
  static inline __attribute__((always_inline)) void storeu(T* p, Vec v) { _mm256_storeu_ps(p, v); }
  static inline __attribute__((always_inline)) Vec bcast(const T* p) { return _mm256_broadcast_ss(p); }
  static inline __attribute__((always_inline)) Vec fma(Vec a, Vec b, Vec c) { return _mm256_fmadd_ps(a, b, c); }
  static inline __attribute__((always_inline)) Vec add(Vec a, Vec b) { return _mm256_add_ps(a, b); }
};

struct F64x4 {
  using T = double;
  using Vec = __m256d;
  static constexpr int W = 4;
  static inline __attribute__((always_inline)) Vec zero() { return _mm256_setzero_pd(); }
  static inline __attribute__((always_inline)) Vec load(const T* p) { return _mm256_load_pd(p); }
  static inline __attribute__((always_inline)) Vec loadu(const T* p) { return _mm256_loadu_pd(p); }
  static inline __attribute__((always_inline)) void storeu(T* p, Vec v) { _mm256_storeu_pd(p, v); }
  static inline __attribute__((always_inline)) Vec bcast(const T* p) { return _mm256_broadcast_sd(p); }
  static inline __attribute__((always_inline)) Vec fma(Vec a, Vec b, Vec c) { return _mm256_fmadd_pd(a, b, c); }
  static inline __attribute__((always_inline)) Vec add(Vec a, Vec b) { return _mm256_add_pd(a, b); }
};

#include "gemm_ukernel_simd.inc.h"

}  // namespace

void gemm_f32_6x16_avx2(idx kc, const float* a, const float* b, float* c, idx ldc, bool acc) {
  ukernel_tile<F32x8, 6, 2>(kc, a, b, c, ldc, acc);
}

void gemm_f64_6x8_avx2(idx kc, const double* a, const double* b, double* c, idx ldc, bool acc) {
  ukernel_tile<F64x4, 6, 2>(kc, a, b, c, ldc, acc);
}

}  // namespace steady

#pragma GCC pop_options
#endif
