// Register micro-kernels of the GEMM, named by dtype, tile (MR x NR) and ISA.
// Each computes a full MR x NR tile: C = Apanel · Bpanel (acc = false: C overwritten, never read)
// or C += Apanel · Bpanel (acc = true), where Apanel is kc x MR (MR values per k step) and Bpanel is
// kc x NR (NR values per k step), both packed and 64-byte aligned; C is row-major with stride ldc.
#pragma once
#include "common.h"

namespace steady {

template <class T>
using UKernelFn = void (*)(idx kc, const T* a, const T* b, T* c, idx ldc, bool acc);

// Optional packing specialised for the tile (rows x cols block at p, element (i, j) at
// p[i * rs + j * cs]); returns false for layouts it does not handle (generic packing then runs).
template <class T>
using PackFn = bool (*)(const T* p, idx rs, idx cs, idx rows, idx cols, T* out);

// A micro-kernel with the cache blocking it was tuned with.
template <class T>
struct UKernel {
  const char* name;
  int mr, nr;
  idx mc, kc, nc;  // block sizes: mc multiple of mr, nc multiple of nr
  UKernelFn<T> fn;
  PackFn<T> pack_a = nullptr;  // mc x kc block of A into MR-row panels
  PackFn<T> pack_b = nullptr;  // kc x nc block of B into NR-column panels
};

void gemm_f32_4x8_scalar(idx kc, const float* a, const float* b, float* c, idx ldc, bool acc);
void gemm_f64_4x8_scalar(idx kc, const double* a, const double* b, double* c, idx ldc, bool acc);

#if STEADY_X86
void gemm_f32_6x16_avx2(idx kc, const float* a, const float* b, float* c, idx ldc, bool acc);
void gemm_f64_6x8_avx2(idx kc, const double* a, const double* b, double* c, idx ldc, bool acc);
void gemm_f32_12x32_avx512(idx kc, const float* a, const float* b, float* c, idx ldc, bool acc);
void gemm_f64_12x16_avx512(idx kc, const double* a, const double* b, double* c, idx ldc, bool acc);
#endif

}  // namespace steady
