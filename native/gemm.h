// GEMM: C[batch, m, n] = op(A) · op(B), beta = 0 (C is overwritten and never read).
// Layout: gemm.cpp holds the BLIS-style loops and threading, gemm_pack.h the packing of A and B
// panels, gemm_ukernel_*.cpp the register micro-kernels (one file per ISA).
#pragma once
#include "common.h"

namespace steady {

struct GemmArgs {
  idx batch, m, n, k;
  idx stride_a, stride_b;  // elements between batch entries (0 = broadcast)
  bool trans_a, trans_b;   // A stored [k, m] / B stored [n, k]
};

void gemm_f32(const float* a, const float* b, float* c, const GemmArgs& g);
void gemm_f64(const double* a, const double* b, double* c, const GemmArgs& g);

// Name of the micro-kernel the active ISA uses, e.g. "gemm_f32_6x16_avx2".
const char* gemm_kernel_name(bool f64);

}  // namespace steady
