// AVX-512F micro-kernels: gemm_f32_12x32_avx512 and gemm_f64_12x16_avx512 (24 zmm accumulators,
// 2 B vectors, 1 broadcast: 27 of 32 registers). Same tile loop as the AVX2 kernels
// (gemm_ukernel_simd.inc.h), only wider; compiled for avx512f by pragma and called only when the
// CPU has it.
#include "gemm_ukernel.h"

#if STEADY_X86
#include <immintrin.h>

#pragma GCC push_options
#pragma GCC target("avx512f,avx2,fma")

namespace steady {
namespace {

struct F32x16 {
  using T = float;
  using Vec = __m512;
  static constexpr int W = 16;
  static inline __attribute__((always_inline)) Vec zero() { return _mm512_setzero_ps(); }
  static inline __attribute__((always_inline)) Vec load(const T* p) { return _mm512_load_ps(p); }
  static inline __attribute__((always_inline)) Vec loadu(const T* p) { return _mm512_loadu_ps(p); }
  static inline __attribute__((always_inline)) void storeu(T* p, Vec v) { _mm512_storeu_ps(p, v); }
  static inline __attribute__((always_inline)) Vec bcast(const T* p) { return _mm512_set1_ps(*p); }
  static inline __attribute__((always_inline)) Vec fma(Vec a, Vec b, Vec c) { return _mm512_fmadd_ps(a, b, c); }
  static inline __attribute__((always_inline)) Vec add(Vec a, Vec b) { return _mm512_add_ps(a, b); }
};

struct F64x8 {
  using T = double;
  using Vec = __m512d;
  static constexpr int W = 8;
  static inline __attribute__((always_inline)) Vec zero() { return _mm512_setzero_pd(); }
  static inline __attribute__((always_inline)) Vec load(const T* p) { return _mm512_load_pd(p); }
  static inline __attribute__((always_inline)) Vec loadu(const T* p) { return _mm512_loadu_pd(p); }
  static inline __attribute__((always_inline)) void storeu(T* p, Vec v) { _mm512_storeu_pd(p, v); }
  static inline __attribute__((always_inline)) Vec bcast(const T* p) { return _mm512_set1_pd(*p); }
  static inline __attribute__((always_inline)) Vec fma(Vec a, Vec b, Vec c) { return _mm512_fmadd_pd(a, b, c); }
  static inline __attribute__((always_inline)) Vec add(Vec a, Vec b) { return _mm512_add_pd(a, b); }
};

#include "gemm_ukernel_simd.inc.h"

}  // namespace

void gemm_f32_12x32_avx512(idx kc, const float* a, const float* b, float* c, idx ldc, bool acc) {
  ukernel_tile<F32x16, 12, 2>(kc, a, b, c, ldc, acc);
}

void gemm_f64_12x16_avx512(idx kc, const double* a, const double* b, double* c, idx ldc, bool acc) {
  ukernel_tile<F64x8, 12, 2>(kc, a, b, c, ldc, acc);
}

}  // namespace steady

#pragma GCC pop_options
#endif
