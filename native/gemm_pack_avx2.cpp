// AVX2 packing of float32 GEMM panels for gemm_f32_6x16_avx2 (MR = 6, NR = 16), for the layouts
// where the generic loops of gemm_pack.h write with a stride: A not transposed (rows contiguous
// along k), A transposed (6 values per k step) and B transposed (columns contiguous along k, the
// x·Wᵀ of every linear layer). Profiles of the training shapes showed the scalar strided packing
// at 30-40 % of GEMM time when k or m is small; 8x8 register transposes make it a few % again.
// Panels past the matrix edge (fewer than MR rows / NR columns) go to the generic code.
// Stores are 8 floats wide even for 6-float A steps: each overwrites 2 floats that the next store
// (or the next panel, or the scalar tail) writes again, so the packing buffer needs
// kGemmPackSlack floats of slack past its end.
#include "gemm_pack_simd.h"

#if STEADY_X86
#include <immintrin.h>

#pragma GCC push_options
#pragma GCC target("avx2,fma")

namespace steady {
namespace {

// In-place transpose of the 8x8 block held in r[0..7] (row i of the result = column i of the input).
inline __attribute__((always_inline)) void transpose8(__m256 r[8]) {
  __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
  __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
  __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
  __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
  __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
  __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
  __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
  __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
  r[0] = _mm256_permute2f128_ps(s0, s4, 0x20);
  r[1] = _mm256_permute2f128_ps(s1, s5, 0x20);
  r[2] = _mm256_permute2f128_ps(s2, s6, 0x20);
  r[3] = _mm256_permute2f128_ps(s3, s7, 0x20);
  r[4] = _mm256_permute2f128_ps(s0, s4, 0x31);
  r[5] = _mm256_permute2f128_ps(s1, s5, 0x31);
  r[6] = _mm256_permute2f128_ps(s2, s6, 0x31);
  r[7] = _mm256_permute2f128_ps(s3, s7, 0x31);
}

}  // namespace

bool pack_a_f32_6_avx2(const float* a, idx rs, idx cs, idx mc, idx kc, float* out) {
  constexpr int MR = 6;
  if (cs != 1 && rs != 1) return false;
  const idx full = mc / MR * MR;
  for (idx ir = 0; ir < full; ir += MR) {
    float* __restrict dst = out + ir * kc;
    const float* src = a + ir * rs;
    if (cs == 1) {
      // Rows contiguous along k: 6 rows x 8 k steps (+2 zero rows) transposed into 8 steps of 6.
      idx p = 0;
      for (; p + 8 <= kc; p += 8) {
        __m256 r[8];
        for (int i = 0; i < MR; i++) r[i] = _mm256_loadu_ps(src + i * rs + p);
        r[6] = _mm256_setzero_ps();
        r[7] = _mm256_setzero_ps();
        transpose8(r);
        for (int j = 0; j < 8; j++) _mm256_storeu_ps(dst + (p + j) * MR, r[j]);
      }
      for (; p < kc; p++)
        for (int i = 0; i < MR; i++) dst[p * MR + i] = src[i * rs + p];
    } else {
      // A transposed: the 6 values of one k step are contiguous; a masked load never reads past them.
      const __m256i mask = _mm256_setr_epi32(-1, -1, -1, -1, -1, -1, 0, 0);
      for (idx p = 0; p < kc; p++) _mm256_storeu_ps(dst + p * MR, _mm256_maskload_ps(src + p * cs, mask));
    }
  }
  if (full < mc) pack_a(MatView<float>{a + full * rs, rs, cs}, mc - full, kc, MR, out + full * kc);
  return true;
}

bool pack_b_f32_16_avx2(const float* b, idx rs, idx cs, idx kc, idx nc, float* out) {
  constexpr int NR = 16;
  if (rs != 1 || cs == 1) return false;  // only B transposed (columns contiguous along k)
  const idx full = nc / NR * NR;
  for (idx jr = 0; jr < full; jr += NR) {
    float* __restrict dst = out + jr * kc;
    for (int g = 0; g < NR; g += 8) {
      const float* src = b + (jr + g) * cs;
      idx p = 0;
      for (; p + 8 <= kc; p += 8) {
        __m256 r[8];
        for (int c = 0; c < 8; c++) r[c] = _mm256_loadu_ps(src + c * cs + p);
        transpose8(r);
        for (int j = 0; j < 8; j++) _mm256_store_ps(dst + (p + j) * NR + g, r[j]);
      }
      for (; p < kc; p++)
        for (int c = 0; c < 8; c++) dst[p * NR + g + c] = src[c * cs + p];
    }
  }
  if (full < nc) pack_b(MatView<float>{b + full * cs, rs, cs}, kc, nc - full, NR, out + full * kc);
  return true;
}

}  // namespace steady

#pragma GCC pop_options
#endif
