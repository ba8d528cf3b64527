// The attention kernels compiled for AVX-512F (512-bit vectors; 24 of the 32 registers hold a tile
// product's accumulators, so a 64-key row of scores is 4 vectors and 6 query rows share each load). Standard headers come before
// the target pragma (see ew_avx2.cpp); the table is built on first use only.
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "attention.h"
#include "ew_table.h"

#if STEADY_X86
#pragma GCC push_options
#pragma GCC target("avx512f,avx2,fma")

namespace steady {
namespace {
#define ATTN_VB 64
#define ATTN_ACC 24
#include "attention_kernels.inc.h"
#undef ATTN_ACC
#undef ATTN_VB
}  // namespace

const AttnKernels& attn_kernels_avx512() {
  static const AttnKernels table = make_attn_kernels();
  return table;
}

}  // namespace steady

#pragma GCC pop_options
#endif
