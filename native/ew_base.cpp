// The elementwise/reduction/fused kernel table for any CPU (128-bit vectors: SSE2 on x86-64, NEON
// on arm64), plus the run-time choice of table.
#include <cmath>
#include <cstring>

#include "ew_table.h"

#if STEADY_X86
#include <emmintrin.h>
#endif

namespace steady {
namespace {

#define VB 16
typedef float vf_ __attribute__((vector_size(16)));
typedef double vd_ __attribute__((vector_size(16)));
#if STEADY_X86
static inline vf_ vsqrt_f(vf_ x) { return (vf_)_mm_sqrt_ps((__m128)x); }
static inline vd_ vsqrt_d(vd_ x) { return (vd_)_mm_sqrt_pd((__m128d)x); }
#else
static inline vf_ vsqrt_f(vf_ x) { for (int i = 0; i < 4; i++) x[i] = __builtin_sqrtf(x[i]); return x; }
static inline vd_ vsqrt_d(vd_ x) { for (int i = 0; i < 2; i++) x[i] = __builtin_sqrt(x[i]); return x; }
#endif
static inline vf_ vfloor_f(vf_ x) { for (int i = 0; i < 4; i++) x[i] = __builtin_floorf(x[i]); return x; }
static inline vd_ vfloor_d(vd_ x) { for (int i = 0; i < 2; i++) x[i] = __builtin_floor(x[i]); return x; }
static inline vf_ vceil_f(vf_ x) { for (int i = 0; i < 4; i++) x[i] = __builtin_ceilf(x[i]); return x; }
static inline vd_ vceil_d(vd_ x) { for (int i = 0; i < 2; i++) x[i] = __builtin_ceil(x[i]); return x; }

#include "ew_kernels.inc.h"

}  // namespace

// Built on first use, never during static initialization: on a CPU without the ISA this code
// must not run at all.
const EwTable& ew_table_base() {
  static const EwTable table{"base", make_kernels<float>(), make_kernels<double>()};
  return table;
}

const EwTable& ew_table() {
#if STEADY_X86
  if (active_isa() != Isa::scalar) return ew_table_avx2();
#endif
  return ew_table_base();
}

}  // namespace steady
