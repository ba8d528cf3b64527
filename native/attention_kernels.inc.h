// The attention kernels, written once and compiled per ISA (attention_base.cpp for any CPU,
// attention_avx2.cpp with AVX2+FMA). Inner loops run over a contiguous dimension (keys of a packed
// Kᵀ / Vᵀ tile, or features) so that GCC vectorises them without reassociating a reduction.
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

template <class T>
inline void attn_exp(const T* x, T* y, idx n) {
  const EwTable& t = ew_table();
  if constexpr (sizeof(T) == 4) t.f32.unary[U_EXP](x, y, n);
  else t.f64.unary[U_EXP](x, y, n);
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

// Vectors of ATTN_VB bytes (set by the including file: 16 for any CPU, 32 with AVX2).
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

// CH vectors of y at d0 (+)= Σ_t c[t]·x[t·xs + d0 ..]: the accumulators stay in registers over
// the whole sum (a loop of y[d] += c·x[d] per t would chain every t through a store and a load).
template <class T, int CH, bool ACC>
inline void attn_gemv_chunk(const T* __restrict c, idx m, const T* __restrict x, idx xs, idx d0, T* __restrict y) {
  using V = typename AV<T>::V;
  constexpr int W = AV<T>::W;
  V a[CH];
  for (int u = 0; u < CH; u++) a[u] = ACC ? attn_ld<V>(y + d0 + u * W) : V{};
  for (idx t = 0; t < m; t++) {
    const T ct = c[t];
    if (ct == T(0)) continue;  // masked keys (p = 0) cost nothing
    const V cv = V{} + ct;
    const T* xr = x + t * xs + d0;
    for (int u = 0; u < CH; u++) a[u] += cv * attn_ld<V>(xr + u * W);
  }
  for (int u = 0; u < CH; u++) attn_st(y + d0 + u * W, a[u]);
}

// y[0..n) (+)= Σ_{t<m} c[t]·x[t·xs + 0..n): QKᵀ rows (x = the packed Kᵀ tile), P·V and dS·K rows.
template <class T, bool ACC>
inline void attn_gemv(const T* __restrict c, idx m, const T* __restrict x, idx xs, idx n, T* __restrict y) {
  constexpr int W = AV<T>::W;
  idx d0 = 0;
  for (; d0 + 8 * W <= n; d0 += 8 * W) attn_gemv_chunk<T, 8, ACC>(c, m, x, xs, d0, y);
  if (d0 + 4 * W <= n) attn_gemv_chunk<T, 4, ACC>(c, m, x, xs, d0, y), d0 += 4 * W;
  if (d0 + 2 * W <= n) attn_gemv_chunk<T, 2, ACC>(c, m, x, xs, d0, y), d0 += 2 * W;
  if (d0 + W <= n) attn_gemv_chunk<T, 1, ACC>(c, m, x, xs, d0, y), d0 += W;
  for (; d0 < n; d0++) {
    T a = ACC ? y[d0] : T(0);
    for (idx t = 0; t < m; t++) a += c[t] * x[t * xs + d0];
    y[d0] = a;
  }
}

// s[jj] = q_i · k_(j0+jj) for jj < np (np a multiple of 8; kT zero-padded).
template <class T>
inline void attn_dot_row(const T* __restrict qi, const T* __restrict kT, idx E, idx np, T* __restrict s) {
  attn_gemv<T, false>(qi, E, kT, kAttnBK, np, s);
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

inline idx attn_pad(idx n) { return (n + 7) & ~idx(7); }

template <class T>
void attn_fwd(const AttnCall& c, idx bh, idx i0, idx i1) {
  const idx b = bh / c.H, h = bh % c.H, E = c.E, Ev = c.Ev;
  const idx nq = i1 - i0;
  const T* q = static_cast<const T*>(c.qp) + c.q.at(b, h);
  const T* k = static_cast<const T*>(c.kp) + c.k.at(b, h);
  const T* v = static_cast<const T*>(c.vp) + c.v.at(b, h);
  T* o = static_cast<T*>(c.op) + c.o.at(b, h);
  T* lse = static_cast<T*>(c.lsep) + bh * c.L;
  T* kT = attn_scratch<T>(E * kAttnBK + 2 * kAttnBK + nq * Ev + 2 * nq);
  T* s = kT + E * kAttnBK;
  T* e = s + kAttnBK;
  T* acc = e + kAttnBK;
  double* ml = attn_scratch<double>(2 * nq, 1);
  double* m = ml;
  double* l = ml + nq;
  for (idx ii = 0; ii < nq; ii++) m[ii] = -std::numeric_limits<double>::infinity(), l[ii] = 0;
  for (idx t = 0; t < nq * Ev; t++) acc[t] = T(0);
  // Causal: query rows below i1 see keys below i1 only.
  const idx jend = c.causal ? min_idx(c.S, i1) : c.S;
  for (idx j0 = 0; j0 < jend; j0 += kAttnBK) {
    const idx nb = min_idx(kAttnBK, jend - j0), np = attn_pad(nb);
    attn_pack_t(k, c.k.row, j0, nb, np, E, kT);
    for (idx ii = 0; ii < nq; ii++) {
      const idx i = i0 + ii;
      if (c.causal && j0 > i) continue;  // this row sees no key of the block
      attn_dot_row(q + i * c.q.row, kT, E, np, s);
      attn_scores(c, b, h, i, j0, nb, s);
      const double mb = attn_row_max(s, nb, np);
      const double mnew = mb > m[ii] ? mb : m[ii];
      if (mnew == -std::numeric_limits<double>::infinity()) continue;  // every key so far masked
      const T mt = T(mnew);
      for (idx jj = 0; jj < nb; jj++) e[jj] = s[jj] - mt;
      attn_exp(e, s, nb);
      const double corr = std::exp(m[ii] - mnew);
      double sum = 0;
      for (idx jj = 0; jj < nb; jj++) sum += s[jj];
      l[ii] = l[ii] * corr + sum;
      m[ii] = mnew;
      T* __restrict a = acc + ii * Ev;
      if (corr != 1.0) {
        const T ct = T(corr);
        for (idx d = 0; d < Ev; d++) a[d] *= ct;
      }
      attn_gemv<T, true>(s, nb, v + j0 * c.v.row, c.v.row, Ev, a);
    }
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

// Backward of one head, key block by key block; inside a key block, query rows go in blocks of
// kAttnBQ: the P and dS tiles of a query block are kept (and transposed) so that dv_j += Σ_i P_ij·dO_i
// and dk_j += Σ_i dS_ij·q_i, like dq_i += Σ_j dS_ij·k_j, are sums held in registers (attn_gemv).
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
  constexpr idx BQ = kAttnBQ, BK = kAttnBK;
  T* kT = attn_scratch<T>(E * BK + Ev * BK + 2 * BK + 4 * BQ * BK + BK * (E + Ev) + L);
  T* vT = kT + E * BK;
  T* e = vT + Ev * BK;
  T* dp = e + BK;
  T* P = dp + BK;        // [BQ][BK]
  T* dS = P + BQ * BK;   // [BQ][BK]
  T* PT = dS + BQ * BK;  // [BK][BQ]
  T* dST = PT + BQ * BK; // [BK][BQ]
  T* dkb = dST + BQ * BK;
  T* dvb = dkb + BK * E;
  T* Di = dvb + BK * Ev;
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
    for (idx i0 = c.causal ? j0 : 0; i0 < L; i0 += BQ) {
      const idx nq = min_idx(BQ, L - i0);
      bool any = false;
      for (idx ii = 0; ii < nq; ii++) {
        const idx i = i0 + ii;
        T* Pi = P + ii * BK;
        T* dSi = dS + ii * BK;
        const T li = lse[i];
        if (li == ninf) {  // fully masked row: no gradient anywhere
          for (idx jj = 0; jj < nb; jj++) Pi[jj] = T(0), dSi[jj] = T(0);
          continue;
        }
        attn_dot_row(q + i * c.q.row, kT, E, np, Pi);
        attn_scores(c, b, h, i, j0, nb, Pi);
        for (idx jj = 0; jj < nb; jj++) e[jj] = Pi[jj] - li;
        attn_exp(e, Pi, nb);  // P_ij (0 where masked)
        attn_dot_row(dO + i * c.o.row, vT, Ev, np, dp);  // dO_i · v_j
        const T Dv = Di[i];
        for (idx jj = 0; jj < nb; jj++) dSi[jj] = Pi[jj] * (dp[jj] - Dv) * scale;
        any = true;
        attn_gemv<T, true>(dSi, nb, k + j0 * c.k.row, c.k.row, E, dq + i * c.q.row);
      }
      if (!any) continue;
      for (idx ii = 0; ii < nq; ii++)
        for (idx jj = 0; jj < nb; jj++) PT[jj * BQ + ii] = P[ii * BK + jj], dST[jj * BQ + ii] = dS[ii * BK + jj];
      for (idx jj = 0; jj < nb; jj++) {
        attn_gemv<T, true>(PT + jj * BQ, nq, dO + i0 * c.o.row, c.o.row, Ev, dvb + jj * Ev);
        attn_gemv<T, true>(dST + jj * BQ, nq, q + i0 * c.q.row, c.q.row, E, dkb + jj * E);
      }
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
