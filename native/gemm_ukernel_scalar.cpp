// Portable reference micro-kernels (any CPU): a 4 x 8 tile in plain C++ that the compiler may
// vectorize with the baseline ISA (SSE2 / NEON). Used when the CPU has neither AVX2 nor AVX-512.
#include "gemm_ukernel.h"

namespace steady {
namespace {

template <class T, int MR, int NR>
void ukernel_scalar(idx kc, const T* __restrict a, const T* __restrict b, T* __restrict c, idx ldc, bool acc) {
  T r[MR][NR] = {};
  for (idx p = 0; p < kc; p++) {
    for (int i = 0; i < MR; i++) {
      T av = a[i];
      for (int j = 0; j < NR; j++) r[i][j] += av * b[j];
    }
    a += MR;
    b += NR;
  }
  for (int i = 0; i < MR; i++)
    for (int j = 0; j < NR; j++) c[i * ldc + j] = acc ? c[i * ldc + j] + r[i][j] : r[i][j];
}

}  // namespace

void gemm_f32_4x8_scalar(idx kc, const float* a, const float* b, float* c, idx ldc, bool acc) {
  ukernel_scalar<float, 4, 8>(kc, a, b, c, ldc, acc);
}

void gemm_f64_4x8_scalar(idx kc, const double* a, const double* b, double* c, idx ldc, bool acc) {
  ukernel_scalar<double, 4, 8>(kc, a, b, c, ldc, acc);
}

}  // namespace steady
