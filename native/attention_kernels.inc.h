// The attention kernels, written once and compiled per ISA (attention_base.cpp for any CPU,
// attention_avx2.cpp with AVX2+FMA, attention_avx512.cpp with AVX-512F). Inner loops run over a
// contiguous dimension (keys of a packed Kᵀ / Vᵀ tile, or features) so that GCC vectorises them
// without reassociating a reduction.
// Included inside namespace steady { namespace { ... } } after attention.h and ew_table.h.

// Per-thread scratch, grown on demand (a task never calls the pool, so one buffer per thread and
// slot): slot 0 the tiles, slot 1 the running max / sum of the forward.
template <class T>
T* attn_scratch(idx n, int slot = 0) {
  thread_local std::vector<double> buf[2];
  const std::size_t need = static_cast<std::size_t>((n * idx(sizeof(T)) + 7) / 8);
  if (buf[slot].size() < need) buf[slot].resize(need);
  return reinterpret_cast<T*>(buf[slot].data());
}

// s[j] ← exp(s[j] − shift) for j < n, in place; returns Σ s[j] (in double). float32 uses the
// polynomial below in the kernel's own vector width; float64 uses libm's exp.
template <class T>
inline double attn_exp_shift(T* __restrict s, T shift, idx n);

// exp(x) for x ≤ 0 in float32 vectors (Cephes' expf: x = n·ln2 + r, |r| ≤ ln2/2, a degree-6
// polynomial, 2ⁿ put into the exponent bits): within 2 ulp of the exact value, which is what
// PyTorch's vectorised softmax (Sleef u10) promises too. The float32 exp of ew_table goes through
// double and a degree-11 series (correctly rounded almost everywhere) at a third of the speed,
// and attention spent more time there than in its matrix products. Below −87.3 (2ⁿ would be
// subnormal) and at −∞ (a masked key) the result is 0.
template <class V, class VI>
inline V attn_expf_neg(V x) {
  const V lo = V{} - 87.33654f;
  const auto under = x < lo;
  x = x < lo ? lo : x;
  const V magic = V{} + 12582912.0f;  // 1.5·2²³: adding it rounds to an integer
  const V t = x * 1.44269504088896341f + magic;
  const V n = t - magic;
  V r = x - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  V p = V{} + 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * (r * r) + r + 1.0f;
  const VI e = ((VI)t - (VI)magic + 127) << 23;  // 2ⁿ, n ∈ [−126, 0]
  const V y = p * (V)e;
  return under ? V{} : y;
}

// kT[d·BK + jj] = k row (j0 + jj), feature d, for jj < nb; zero up to the padded width np.
template <class T>
inline void attn_pack_t(const T* __restrict k, idx row, idx j0, idx nb, idx np, idx E, T* __restrict kT) {
  for (idx jj = 0; jj < nb; jj++) {
    const T* kr = k + (j0 + jj) * row;
    for (idx d = 0; d < E; d++) kT[d * kAttnBK + jj] = kr[d];
  }
  for (idx d = 0; d < E; d++)
    for (idx jj = nb; jj < np; jj++) kT[d * kAttnBK + jj] = T(0);
}

// Vectors of ATTN_VB bytes (set by the including file: 16 for any CPU, 32 with AVX2, 64 with
// AVX-512; ATTN_ACC vector registers hold a tile product's accumulators).
template <class T>
struct AV;
template <>
struct AV<float> {
  typedef float V __attribute__((vector_size(ATTN_VB)));
  static constexpr int W = ATTN_VB / 4;
};
template <>
struct AV<double> {
  typedef double V __attribute__((vector_size(ATTN_VB)));
  static constexpr int W = ATTN_VB / 8;
};
template <class V, class T>
inline V attn_ld(const T* p) {
  V v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}
template <class V, class T>
inline void attn_st(T* p, V v) {
  __builtin_memcpy(p, &v, sizeof v);
}

template <>
inline double attn_exp_shift<float>(float* __restrict s, float shift, idx n) {
  using V = AV<float>::V;
  typedef int VI __attribute__((vector_size(ATTN_VB)));
  constexpr int W = AV<float>::W;
  // the sum in double lanes: float lanes would add up to 16 terms each and cost lse and the
  // normalisation several ulp
  typedef float VH __attribute__((vector_size(ATTN_VB / 2)));
  typedef double VD __attribute__((vector_size(ATTN_VB)));
  VD acc{};
  const auto add = [&acc](V y) {
    VH lo, hi;
    __builtin_memcpy(&lo, &y, sizeof lo);
    __builtin_memcpy(&hi, reinterpret_cast<const char*>(&y) + sizeof lo, sizeof hi);
    acc += __builtin_convertvector(lo, VD) + __builtin_convertvector(hi, VD);
  };
  idx j = 0;
  for (; j + W <= n; j += W) {
    const V y = attn_expf_neg<V, VI>(attn_ld<V>(s + j) - shift);
    attn_st(s + j, y);
    add(y);
  }
  if (j < n) {
    V x = V{} - std::numeric_limits<float>::infinity();
    __builtin_memcpy(&x, s + j, sizeof(float) * (n - j));
    const V y = attn_expf_neg<V, VI>(x - shift);
    __builtin_memcpy(s + j, &y, sizeof(float) * (n - j));
    add(y);
  }
  double sum = 0;
  for (int u = 0; u < W / 2; u++) sum += acc[u];
  return sum;
}

template <>
inline double attn_exp_shift<double>(double* __restrict s, double shift, idx n) {
  double sum = 0;
  for (idx j = 0; j < n; j++) sum += (s[j] = std::exp(s[j] - shift));
  return sum;
}

// The tile products of attention, Y (+)= C·X for small blocks (a query block against a key block,
// heads of 32–128 features): Y[r·ys + d] (+)= Σ_{t<m} C[r·cs + t·ct] · X[t·xs + d] for r < rows,
// d < n. A register tile of R rows × CH vectors holds its accumulators over the whole sum, so each
// X vector loaded serves R rows and each broadcast coefficient CH vectors (a loop of one row at a
// time, as before, loaded one X vector per multiply-add and ran at a third of the FMA rate). The
// coefficient strides let one routine read C row-wise (cs = row stride, ct = 1: Q·Kᵀ, P·V, dS·K)
// or transposed (cs = 1, ct = row stride: Pᵀ·dO, dSᵀ·Q) without copying it.
template <class T, int R, int CH, bool ACC>
inline void attn_mm_tile(const T* __restrict c, idx cs, idx ct, idx m, const T* __restrict x, idx xs, idx d0,
                         T* __restrict y, idx ys) {
  using V = typename AV<T>::V;
  constexpr int W = AV<T>::W;
  V a[R][CH];
  for (int r = 0; r < R; r++)
    for (int u = 0; u < CH; u++) a[r][u] = ACC ? attn_ld<V>(y + r * ys + d0 + u * W) : V{};
  for (idx t = 0; t < m; t++) {
    const T* xr = x + t * xs + d0;
    V xv[CH];
    for (int u = 0; u < CH; u++) xv[u] = attn_ld<V>(xr + u * W);
    const T* ctp = c + t * ct;
    for (int r = 0; r < R; r++) {
      const V cv = V{} + ctp[r * cs];
      for (int u = 0; u < CH; u++) a[r][u] += cv * xv[u];
    }
  }
  for (int r = 0; r < R; r++)
    for (int u = 0; u < CH; u++) attn_st(y + r * ys + d0 + u * W, a[r][u]);
}

// The last rows (fewer than a full register tile): one tile of exactly `rows` rows.
template <class T, int R, int CH, bool ACC>
inline void attn_mm_rows_tail(idx rows, const T* c, idx cs, idx ct, idx m, const T* x, idx xs, idx d0, T* y, idx ys) {
  if (rows == R) attn_mm_tile<T, R, CH, ACC>(c, cs, ct, m, x, xs, d0, y, ys);
  else if constexpr (R > 1) attn_mm_rows_tail<T, R - 1, CH, ACC>(rows, c, cs, ct, m, x, xs, d0, y, ys);
}

// Columns d0 .. d0 + CH·W of every row, in register tiles of as many rows as the accumulator
// registers allow (ATTN_ACC vectors: 12 of 16 registers for SSE/AVX2, 24 of 32 for AVX-512).
template <class T, int CH, bool ACC>
inline void attn_mm_cols(idx rows, const T* c, idx cs, idx ct, idx m, const T* x, idx xs, idx d0, T* y, idx ys) {
  constexpr int RB = ATTN_ACC / CH > 0 ? ATTN_ACC / CH : 1;
  idx r = 0;
  for (; r + RB <= rows; r += RB) attn_mm_tile<T, RB, CH, ACC>(c + r * cs, cs, ct, m, x, xs, d0, y + r * ys, ys);
  if (r < rows) attn_mm_rows_tail<T, RB, CH, ACC>(rows - r, c + r * cs, cs, ct, m, x, xs, d0, y + r * ys, ys);
}

template <class T, bool ACC>
inline void attn_mm(idx rows, idx m, const T* c, idx cs, idx ct, const T* x, idx xs, idx n, T* y, idx ys) {
  constexpr int W = AV<T>::W;
  idx d0 = 0;
  for (; d0 + 4 * W <= n; d0 += 4 * W) attn_mm_cols<T, 4, ACC>(rows, c, cs, ct, m, x, xs, d0, y, ys);
  if (d0 + 2 * W <= n) attn_mm_cols<T, 2, ACC>(rows, c, cs, ct, m, x, xs, d0, y, ys), d0 += 2 * W;
  if (d0 + W <= n) attn_mm_cols<T, 1, ACC>(rows, c, cs, ct, m, x, xs, d0, y, ys), d0 += W;
  for (; d0 < n; d0++)  // features beyond the last whole vector
    for (idx r = 0; r < rows; r++) {
      T a = ACC ? y[r * ys + d0] : T(0);
      for (idx t = 0; t < m; t++) a += c[r * cs + t * ct] * x[t * xs + d0];
      y[r * ys + d0] = a;
    }
}

// Scales the scores of query i against keys j0..j0+nb and applies the mask and causality: masked
// entries become −∞.
template <class T>
inline void attn_scores(const AttnCall& c, idx b, idx h, idx i, idx j0, idx nb, T* __restrict s) {
  const T scale = T(c.scale);
  const T ninf = -std::numeric_limits<T>::infinity();
  for (idx jj = 0; jj < nb; jj++) s[jj] *= scale;
  if (c.mask_kind != ATTN_MASK_NONE) {
    const idx base = b * c.ms[0] + h * c.ms[1] + i * c.ms[2] + j0 * c.ms[3], sj = c.ms[3];
    if (c.mask_kind == ATTN_MASK_BOOL) {
      const std::uint8_t* m = static_cast<const std::uint8_t*>(c.mp) + base;
      for (idx jj = 0; jj < nb; jj++)
        if (m[jj * sj] == 0) s[jj] = ninf;
    } else {
      const T* m = static_cast<const T*>(c.mp) + base;
      for (idx jj = 0; jj < nb; jj++) s[jj] += m[jj * sj];
    }
  }
  if (c.causal)
    for (idx jj = i - j0 + 1; jj < nb; jj++) s[jj] = ninf;
}

// max of s[0..nb) in vector lanes (s is writable up to the padded width np; NaN is ignored here,
// and reaches the output through exp anyway).
template <class T>
inline T attn_row_max(T* s, idx nb, idx np) {
  using V = typename AV<T>::V;
  constexpr int W = AV<T>::W;
  const T ninf = -std::numeric_limits<T>::infinity();
  for (idx jj = nb; jj < np; jj++) s[jj] = ninf;
  V m0 = V{} + ninf, m1 = m0;
  idx jj = 0;
  for (; jj + 2 * W <= np; jj += 2 * W) {
    const V a = attn_ld<V>(s + jj), b2 = attn_ld<V>(s + jj + W);
    m0 = a > m0 ? a : m0;
    m1 = b2 > m1 ? b2 : m1;
  }
  for (; jj + W <= np; jj += W) {
    const V a = attn_ld<V>(s + jj);
    m0 = a > m0 ? a : m0;
  }
  m0 = m1 > m0 ? m1 : m0;
  T mx = ninf;
  for (int u = 0; u < W; u++) mx = m0[u] > mx ? m0[u] : mx;
  for (; jj < np; jj++) mx = s[jj] > mx ? s[jj] : mx;
  return mx;
}

// Asks for every cache line of `rows` rows of `n` values (row stride `rs`) at once. A head's rows
// are 64–512 bytes each at a stride of the whole [B, L, H·D] row, and when the kernel reads them
// one after another from memory (the usual case in a training step: they were written long ago)
// each miss waits for the one before; requested up front, the misses overlap. B16 H4 L64 D32 with
// the caches flushed before each call (bench/attention-native.ts), medians of 5 alternating runs:
// forward 0.41 → 0.34 ms, backward 0.70 → 0.52 ms on 2 threads.
template <class T>
inline void attn_prefetch_rows(const T* p, idx rows, idx rs, idx n) {
  const idx bytes = n * idx(sizeof(T));
  for (idx r = 0; r < rows; r++) {
    const char* row = reinterpret_cast<const char*>(p + r * rs);
    for (idx b = 0; b < bytes; b += 64) __builtin_prefetch(row + b);
  }
}

inline idx attn_pad(idx n) { return (n + 7) & ~idx(7); }

// Forward of head bh for query rows [i0, i1) (at most kAttnBQ), key block by key block with an
// online softmax: the block's scores S = Q·Kᵀ and, after the softmax update, acc += P·V are tile
// products; the running max m and sum l per row are kept in double.
template <class T>
void attn_fwd(const AttnCall& c, idx bh, idx i0, idx i1) {
  const idx b = bh / c.H, h = bh % c.H, E = c.E, Ev = c.Ev;
  const idx nq = i1 - i0;
  constexpr idx BK = kAttnBK;
  const T* q = static_cast<const T*>(c.qp) + c.q.at(b, h);
  const T* k = static_cast<const T*>(c.kp) + c.k.at(b, h);
  const T* v = static_cast<const T*>(c.vp) + c.v.at(b, h);
  T* o = static_cast<T*>(c.op) + c.o.at(b, h);
  T* lse = static_cast<T*>(c.lsep) + bh * c.L;
  T* kT = attn_scratch<T>(E * BK + nq * BK + nq * Ev);
  T* S = kT + E * BK;  // [nq][BK] scores, then probabilities
  T* acc = S + nq * BK;  // [nq][Ev]
  double* ml = attn_scratch<double>(2 * nq, 1);
  double* m = ml;
  double* l = ml + nq;
  for (idx ii = 0; ii < nq; ii++) m[ii] = -std::numeric_limits<double>::infinity(), l[ii] = 0;
  for (idx t = 0; t < nq * Ev; t++) acc[t] = T(0);
  // Causal: query rows below i1 see keys below i1 only.
  const idx jend = c.causal ? min_idx(c.S, i1) : c.S;
  attn_prefetch_rows(q + i0 * c.q.row, nq, c.q.row, E);
  attn_prefetch_rows(k, min_idx(jend, kAttnBK), c.k.row, E);
  attn_prefetch_rows(v, min_idx(jend, kAttnBK), c.v.row, Ev);
  for (idx j0 = 0; j0 < jend; j0 += BK) {
    const idx nb = min_idx(BK, jend - j0), np = attn_pad(nb);
    attn_pack_t(k, c.k.row, j0, nb, np, E, kT);
    attn_mm<T, false>(nq, E, q + i0 * c.q.row, c.q.row, 1, kT, BK, np, S, BK);
    for (idx ii = 0; ii < nq; ii++) {
      const idx i = i0 + ii;
      T* s = S + ii * BK;
      // a row that sees no key of this block (causal) or none so far (masked) adds nothing
      bool skip = c.causal && j0 > i;
      if (!skip) {
        attn_scores(c, b, h, i, j0, nb, s);
        const double mb = attn_row_max(s, nb, np);
        const double mnew = mb > m[ii] ? mb : m[ii];
        skip = mnew == -std::numeric_limits<double>::infinity();
        if (!skip) {
          const double sum = attn_exp_shift(s, T(mnew), nb);
          const double corr = std::exp(m[ii] - mnew);
          l[ii] = l[ii] * corr + sum;
          m[ii] = mnew;
          if (corr != 1.0) {
            T* __restrict a = acc + ii * Ev;
            const T ct = T(corr);
            for (idx d = 0; d < Ev; d++) a[d] *= ct;
          }
        }
      }
      if (skip)
        for (idx jj = 0; jj < nb; jj++) s[jj] = T(0);
    }
    attn_mm<T, true>(nq, nb, S, BK, 1, v + j0 * c.v.row, c.v.row, Ev, acc, Ev);
  }
  for (idx ii = 0; ii < nq; ii++) {
    const idx i = i0 + ii;
    T* __restrict oi = o + i * c.o.row;
    const T* a = acc + ii * Ev;
    if (l[ii] > 0) {
      const T inv = T(1.0 / l[ii]);
      for (idx d = 0; d < Ev; d++) oi[d] = a[d] * inv;
      lse[i] = T(m[ii] + std::log(l[ii]));
    } else {
      for (idx d = 0; d < Ev; d++) oi[d] = T(0);
      lse[i] = -std::numeric_limits<T>::infinity();
    }
  }
}

// Backward of one head, key block by key block, and inside it query blocks of kAttnBQB rows:
// P = exp(Q·Kᵀ·scale − lse) and dP = dO·Vᵀ are tile products, dS = P∘(dP − D)·scale, then
// dq += dS·K, dv += Pᵀ·dO and dk += dSᵀ·Q are tile products reading P and dS transposed in place.
template <class T>
void attn_bwd(const AttnCall& c, idx bh) {
  const idx b = bh / c.H, h = bh % c.H, E = c.E, Ev = c.Ev, L = c.L, S = c.S;
  const T* q = static_cast<const T*>(c.qp) + c.q.at(b, h);
  const T* k = static_cast<const T*>(c.kp) + c.k.at(b, h);
  const T* v = static_cast<const T*>(c.vp) + c.v.at(b, h);
  const T* o = static_cast<const T*>(c.op) + c.o.at(b, h);
  const T* dO = static_cast<const T*>(c.dop) + c.o.at(b, h);
  const T* lse = static_cast<const T*>(c.lsep) + bh * L;
  T* dq = static_cast<T*>(c.dqp) + c.q.at(b, h);
  T* dk = static_cast<T*>(c.dkp) + c.k.at(b, h);
  T* dv = static_cast<T*>(c.dvp) + c.v.at(b, h);
  constexpr idx BQ = kAttnBQB, BK = kAttnBK;
  T* kT = attn_scratch<T>(E * BK + Ev * BK + 3 * BQ * BK + BK * (E + Ev) + L);
  T* vT = kT + E * BK;
  T* P = vT + Ev * BK;   // [BQ][BK]
  T* dP = P + BQ * BK;   // [BQ][BK]
  T* dS = dP + BQ * BK;  // [BQ][BK]
  T* dkb = dS + BQ * BK;
  T* dvb = dkb + BK * E;
  T* Di = dvb + BK * Ev;
  attn_prefetch_rows(q, L, c.q.row, E);
  attn_prefetch_rows(k, min_idx(S, BK), c.k.row, E);
  attn_prefetch_rows(v, min_idx(S, BK), c.v.row, Ev);
  for (idx i = 0; i < L; i++) {
    const T* oi = o + i * c.o.row;
    const T* gi = dO + i * c.o.row;
    double acc = 0;
    for (idx d = 0; d < Ev; d++) acc += double(oi[d]) * double(gi[d]);
    Di[i] = T(acc);
    T* dqi = dq + i * c.q.row;
    for (idx d = 0; d < E; d++) dqi[d] = T(0);
  }
  const T scale = T(c.scale);
  const T ninf = -std::numeric_limits<T>::infinity();
  for (idx j0 = 0; j0 < S; j0 += BK) {
    const idx nb = min_idx(BK, S - j0), np = attn_pad(nb);
    attn_pack_t(k, c.k.row, j0, nb, np, E, kT);
    attn_pack_t(v, c.v.row, j0, nb, np, Ev, vT);
    for (idx t = 0; t < nb * E; t++) dkb[t] = T(0);
    for (idx t = 0; t < nb * Ev; t++) dvb[t] = T(0);
    for (idx i0 = c.causal ? (j0 / BQ) * BQ : 0; i0 < L; i0 += BQ) {
      const idx nq = min_idx(BQ, L - i0);
      attn_mm<T, false>(nq, E, q + i0 * c.q.row, c.q.row, 1, kT, BK, np, P, BK);
      attn_mm<T, false>(nq, Ev, dO + i0 * c.o.row, c.o.row, 1, vT, BK, np, dP, BK);
      bool any = false;
      for (idx ii = 0; ii < nq; ii++) {
        const idx i = i0 + ii;
        T* Pi = P + ii * BK;
        T* dSi = dS + ii * BK;
        const T li = lse[i];
        if (li == ninf || (c.causal && j0 > i)) {  // fully masked row, or no key of this block: no gradient
          for (idx jj = 0; jj < nb; jj++) Pi[jj] = T(0), dSi[jj] = T(0);
          continue;
        }
        attn_scores(c, b, h, i, j0, nb, Pi);
        attn_exp_shift(Pi, li, nb);  // P_ij (0 where masked)
        const T* dPi = dP + ii * BK;
        const T Dv = Di[i];
        for (idx jj = 0; jj < nb; jj++) dSi[jj] = Pi[jj] * (dPi[jj] - Dv) * scale;
        any = true;
      }
      if (!any) continue;
      attn_mm<T, true>(nq, nb, dS, BK, 1, k + j0 * c.k.row, c.k.row, E, dq + i0 * c.q.row, c.q.row);
      attn_mm<T, true>(nb, nq, P, 1, BK, dO + i0 * c.o.row, c.o.row, Ev, dvb, Ev);
      attn_mm<T, true>(nb, nq, dS, 1, BK, q + i0 * c.q.row, c.q.row, E, dkb, E);
    }
    for (idx jj = 0; jj < nb; jj++) {
      T* dkj = dk + (j0 + jj) * c.k.row;
      T* dvj = dv + (j0 + jj) * c.v.row;
      for (idx d = 0; d < E; d++) dkj[d] = dkb[jj * E + d];
      for (idx d = 0; d < Ev; d++) dvj[d] = dvb[jj * Ev + d];
    }
  }
}

AttnKernels make_attn_kernels() {
  AttnKernels t;
  t.fwd[0] = attn_fwd<float>;
  t.fwd[1] = attn_fwd<double>;
  t.bwd[0] = attn_bwd<float>;
  t.bwd[1] = attn_bwd<double>;
  return t;
}
