// The register-tile loop shared by the SIMD micro-kernels. Included by gemm_ukernel_avx2.cpp and
// gemm_ukernel_avx512.cpp after their `#pragma GCC target`, inside an anonymous namespace, with a
// traits type V giving: T, Vec, W (lanes), zero(), load(p) (aligned), loadu(p), storeu(p, v),
// bcast(p), fma(a, b, c) = a*b + c, add(a, b).
// The MR x NV accumulators stay in registers: MR*NV + NV + 1 must not exceed the register count.

template <class V, int MR, int NV>
inline __attribute__((always_inline)) void ukernel_tile(idx kc, const typename V::T* __restrict a,
                                                        const typename V::T* __restrict b,
                                                        typename V::T* __restrict c, idx ldc, bool acc) {
  using Vec = typename V::Vec;
  constexpr int W = V::W;
  Vec r[MR][NV];
#pragma GCC unroll 16
  for (int i = 0; i < MR; i++)
#pragma GCC unroll 4
    for (int j = 0; j < NV; j++) r[i][j] = V::zero();
  // Every cache line of the C tile, fetched while the k loop runs: JavaScript allocations are only
  // 16-byte aligned, so a tile row usually straddles one line more than its length suggests
  // (prefetching only each row's first line cost 3-5% at 1024², in-process A/B).
  constexpr int kLine = 64 / int(sizeof(typename V::T));
#pragma GCC unroll 16
  for (int i = 0; i < MR; i++) {
#pragma GCC unroll 4
    for (int e = 0; e < NV * W; e += kLine) __builtin_prefetch(c + i * ldc + e, 1, 3);
    __builtin_prefetch(c + i * ldc + NV * W - 1, 1, 3);
  }

#pragma GCC unroll 2
  for (idx p = 0; p < kc; p++) {
    Vec bv[NV];
#pragma GCC unroll 4
    for (int j = 0; j < NV; j++) bv[j] = V::load(b + j * W);
    __builtin_prefetch(b + 8 * NV * W, 0, 3);
#pragma GCC unroll 16
    for (int i = 0; i < MR; i++) {
      Vec av = V::bcast(a + i);
#pragma GCC unroll 4
      for (int j = 0; j < NV; j++) r[i][j] = V::fma(av, bv[j], r[i][j]);
    }
    a += MR;
    b += NV * W;
  }

  if (acc) {
#pragma GCC unroll 16
    for (int i = 0; i < MR; i++)
#pragma GCC unroll 4
      for (int j = 0; j < NV; j++) V::storeu(c + i * ldc + j * W, V::add(V::loadu(c + i * ldc + j * W), r[i][j]));
  } else {
#pragma GCC unroll 16
    for (int i = 0; i < MR; i++)
#pragma GCC unroll 4
      for (int j = 0; j < NV; j++) V::storeu(c + i * ldc + j * W, r[i][j]);
  }
}
