// AVX-512F micro-kernels: gemm_f32_12x32_avx512 and gemm_f64_12x16_avx512 (24 zmm accumulators,
// 2 B vectors, 1 broadcast: 27 of 32 registers). Same tile loop as the AVX2 kernels
// (gemm_ukernel_simd.inc.h), only wider; compiled for avx512f by pragma and called only when the
// CPU has it.
#include "gemm_ukernel.h"

#if STEADY_X86
#include <immintrin.h>

#include <cstdint>

#pragma GCC push_options
#if defined(STEADY_EMULATE_AVX512)
// Test build (tests/native-avx512-emulated.test.ts): the same 12x32 / 12x16 tiles over GCC's
// generic 64-byte vectors, so the AVX-512 configuration (tile sizes, packing, edge tiles) can be
// checked on a machine without AVX-512. Only the intrinsic wrappers below differ.
#pragma GCC target("avx2,fma")

namespace steady {
namespace {

template <class TT, int WW>
struct Emulated {
  using T = TT;
  typedef T Vec __attribute__((vector_size(64)));
  static constexpr int W = WW;
  static inline Vec zero() { return Vec{}; }
  static inline Vec load(const T* p) {
    if (reinterpret_cast<std::uintptr_t>(p) % 64 != 0) __builtin_trap();  // _mm512_load_* would fault
    return *reinterpret_cast<const Vec*>(p);
  }
  static inline Vec loadu(const T* p) { Vec v; __builtin_memcpy(&v, p, sizeof v); return v; }
  static inline void storeu(T* p, Vec v) { __builtin_memcpy(p, &v, sizeof v); }
  static inline Vec bcast(const T* p) { return Vec{} + *p; }
  static inline Vec fma(Vec a, Vec b, Vec c) { return a * b + c; }
  static inline Vec add(Vec a, Vec b) { return a + b; }
};
using F32x16 = Emulated<float, 16>;
using F64x8 = Emulated<double, 8>;
#else
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

#endif

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
