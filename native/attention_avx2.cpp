// The attention kernels compiled for AVX2 + FMA (256-bit vectors; 12 of the 16 registers hold a
// tile product's accumulators). Standard headers come before
// the target pragma (see ew_avx2.cpp); the table is built on first use only.
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "attention.h"
#include "ew_table.h"

#if STEADY_X86
#pragma GCC push_options
#pragma GCC target("avx2,fma")

namespace steady {
namespace {
#define ATTN_VB 32
#define ATTN_ACC 12
#include "attention_kernels.inc.h"
#undef ATTN_ACC
#undef ATTN_VB
}  // namespace

const AttnKernels& attn_kernels_avx2() {
  static const AttnKernels table = make_attn_kernels();
  return table;
}

}  // namespace steady

#pragma GCC pop_options
#endif
