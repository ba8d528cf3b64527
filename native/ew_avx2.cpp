// The elementwise/reduction/fused kernel table compiled for AVX2 + FMA (256-bit vectors).
// Standard headers come before the target pragma so that no inline library function is compiled
// for AVX2 (it could be picked by the linker for callers on older CPUs).
#include <cmath>
#include <cstring>

#include "ew_table.h"

#if STEADY_X86
#include <immintrin.h>

#pragma GCC push_options
#pragma GCC target("avx2,fma")

namespace steady {
namespace {

#define VB 32
typedef float vf_ __attribute__((vector_size(32)));
typedef double vd_ __attribute__((vector_size(32)));
static inline vf_ vsqrt_f(vf_ x) { return (vf_)_mm256_sqrt_ps((__m256)x); }
static inline vd_ vsqrt_d(vd_ x) { return (vd_)_mm256_sqrt_pd((__m256d)x); }
static inline vf_ vfloor_f(vf_ x) { return (vf_)_mm256_floor_ps((__m256)x); }
static inline vd_ vfloor_d(vd_ x) { return (vd_)_mm256_floor_pd((__m256d)x); }
static inline vf_ vceil_f(vf_ x) { return (vf_)_mm256_ceil_ps((__m256)x); }
static inline vd_ vceil_d(vd_ x) { return (vd_)_mm256_ceil_pd((__m256d)x); }

#include "ew_kernels.inc.h"

}  // namespace

// Built on first use, never during static initialization: on a CPU without the ISA this code
// must not run at all.
const EwTable& ew_table_avx2() {
  static const EwTable table{"avx2", make_kernels<float>(), make_kernels<double>()};
  return table;
}

}  // namespace steady

#pragma GCC pop_options
#endif
