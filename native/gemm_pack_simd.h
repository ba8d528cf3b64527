// SIMD packing routines for particular micro-kernel tiles (see gemm_pack_avx2.cpp). Each returns
// false for a layout it does not handle; the caller then uses the generic loops of gemm_pack.h.
// They may write up to kGemmPackSlack elements past the packed block, so buffers carry that slack.
#pragma once
#include "gemm_pack.h"

namespace steady {

constexpr idx kGemmPackSlack = 16;

#if STEADY_X86
// A block (mc x kc, element (i, p) at a[i * rs + p * cs]) into 6-row panels.
bool pack_a_f32_6_avx2(const float* a, idx rs, idx cs, idx mc, idx kc, float* out);
// B block (kc x nc, element (p, j) at b[p * rs + j * cs]) into 16-column panels.
bool pack_b_f32_16_avx2(const float* b, idx rs, idx cs, idx kc, idx nc, float* out);
#endif

}  // namespace steady
