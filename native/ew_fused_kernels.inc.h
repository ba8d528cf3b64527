// The fused kernels of ew_kernels.inc.h: bias + activation, the optimizer updates (Adam, SGD,
// RMSprop) and LayerNorm forward/backward. Included by ew_kernels.inc.h after the vector helpers
// and activations it uses, so it is compiled once per ISA with them; not a standalone header.

// ---- fused kernels ----------------------------------------------------------------------------

// gelu(v) = v/2 · (1 + erf(v/√2)) = v/2 · erfc(-v/√2)  (exact form, PyTorch's default)
SINL double gelu_scalar(double v) { return 0.5 * v * ::erfc(-v * 0.70710678118654752440); }

template <class T>
void bias_act_rows(const T* x, const T* bias, T* y, idx rows, idx n, int act) {
  for (idx r = 0; r < rows; r++) {
    const T* xr = x + r * n;
    T* yr = y + r * n;
    if (act == ACT_NONE || act == ACT_RELU) {
      using V = typename VT<T>::V;
      constexpr int W = VT<T>::W;
      const V z = splat<V>(T(0));
      idx j = 0;
      for (; j + W <= n; j += W) {
        V v = ld<V>(xr + j) + ld<V>(bias + j);
        if (act == ACT_RELU) v = v <= z ? z : v;
        st(yr + j, v);
      }
      for (; j < n; j++) {
        T v = xr[j] + bias[j];
        yr[j] = act == ACT_RELU ? (v <= T(0) ? T(0) : v) : v;
      }
    } else if (act == ACT_GELU) {
      for (idx j = 0; j < n; j++) yr[j] = T(gelu_scalar(double(xr[j] + bias[j])));
    } else {
      for (idx j = 0; j < n; j++) yr[j] = xr[j] + bias[j];
      if constexpr (sizeof(T) == 4) {
        if (act == ACT_TANH) tanh_f32(yr, yr, n);
        else sigmoid_f32(yr, yr, n);
      } else {
        if (act == ACT_TANH) tanh_f64(yr, yr, n);
        else sigmoid_f64(yr, yr, n);
      }
    }
  }
}

// SGD computes in float64 and rounds once on store (memory-bound either way); Adam and RMSprop
// compute in the parameter's type.
//
// Adam computes in the parameter's own type: in float64 a sqrt and a division per element made the
// float32 update compute-bound (vsqrtpd/vdivpd: 0.6 ms for 270k parameters on one core, against
// 0.2 ms in float32). Float32 arithmetic is also what PyTorch's and our op-by-op float32 Adam do.
template <class T>
void adam_kernel(T* __restrict p, const T* __restrict g, T* __restrict m, T* __restrict v, idx n, double lr,
                 double b1, double b2, double eps, double wd, double bc1, double bc2, bool decoupled) {
  const T step = T(lr / bc1), sbc2 = T(::sqrt(bc2));
  const T decay = T(decoupled ? 1.0 - lr * wd : 1.0);
  const T l2 = T(decoupled ? 0.0 : wd);
  const T tb1 = T(b1), tb2 = T(b2), ob1 = T(1.0 - b1), ob2 = T(1.0 - b2), teps = T(eps);
  for (idx i = 0; i < n; i++) {
    const T pi = p[i] * decay;
    const T gi = g[i] + l2 * pi;
    const T mi = tb1 * m[i] + ob1 * gi;
    const T vi = tb2 * v[i] + ob2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = pi - step * mi / (std::sqrt(vi) / sbc2 + teps);
  }
}

template <class T>
void sgd_kernel(T* __restrict p, const T* __restrict g, T* __restrict buf, idx n, double lr, double momentum,
                double dampening, bool nesterov, double wd, bool first) {
  if (momentum == 0 || buf == nullptr) {
    for (idx i = 0; i < n; i++) p[i] = T(double(p[i]) - lr * (double(g[i]) + wd * double(p[i])));
    return;
  }
  for (idx i = 0; i < n; i++) {
    const double pi = double(p[i]);
    const double gi = double(g[i]) + wd * pi;
    // the buffer is stored in the parameter's type and read back rounded, as PyTorch (and the
    // TypeScript rule) do
    const double bi = double(T(first ? gi : momentum * double(buf[i]) + (1.0 - dampening) * gi));
    buf[i] = T(bi);
    p[i] = T(pi - lr * (nesterov ? gi + momentum * bi : bi));
  }
}

// RMSprop, like Adam, computes in the parameter's type (a sqrt and a division per element).
template <class T>
void rmsprop_kernel(T* __restrict p, const T* __restrict g, T* __restrict sq, T* __restrict mbuf,
                    T* __restrict gavg, idx n, double lr, double alpha, double eps, double wd, double momentum) {
  const T ta = T(alpha), oa = T(1.0 - alpha), teps = T(eps), twd = T(wd), tlr = T(lr), tm = T(momentum);
  const bool use_m = momentum > 0 && mbuf != nullptr;
  for (idx i = 0; i < n; i++) {
    const T pi = p[i];
    const T gi = g[i] + twd * pi;
    const T si = ta * sq[i] + oa * gi * gi;
    sq[i] = si;
    T avg;
    if (gavg != nullptr) {
      const T ai = ta * gavg[i] + oa * gi;
      gavg[i] = ai;
      avg = std::sqrt(si - ai * ai) + teps;
    } else {
      avg = std::sqrt(si) + teps;
    }
    if (use_m) {
      const T bi = tm * mbuf[i] + gi / avg;
      mbuf[i] = bi;
      p[i] = pi - tlr * bi;
    } else {
      p[i] = pi - tlr * (gi / avg);
    }
  }
}

// x[j .. j+WD) as float64 lanes, and back (rounded once to T).
template <class T>
SINL vd ln_ld(const T* p) {
  if constexpr (sizeof(T) == 4) return __builtin_convertvector(ld<vfh>(p), vd);
  else return ld<vd>(p);
}
template <class T>
SINL void ln_st(T* p, vd v) {
  if constexpr (sizeof(T) == 4) st(p, __builtin_convertvector(v, vfh));
  else st(p, v);
}

// LayerNorm over rows of n: mean = Σx/n, var = Σ(x-mean)²/n (two passes, float64),
// rstd = 1/√(var + eps), y = (x - mean)·rstd·γ + β (γ, β optional). Every pass runs in float64
// vector lanes: a scalar float64 sum chains each add on the one before (4 cycles an element), and
// made LayerNorm 3× slower than PyTorch's on the Transformer's [1024, 128] rows.
template <class T>
void layernorm_fwd_rows(const T* x, const T* gamma, const T* beta, T* y, T* mean, T* rstd, idx rows, idx n,
                        double eps) {
  for (idx r = 0; r < rows; r++) {
    const T* xr = x + r * n;
    T* yr = y + r * n;
    const double mu = sum_contig(xr, n) / double(n);
    const vd muv = splat<vd>(mu);
    vd s0{}, s1{};
    idx j = 0;
    for (; j + 2 * WD <= n; j += 2 * WD) {
      const vd d0 = ln_ld(xr + j) - muv, d1 = ln_ld(xr + j + WD) - muv;
      s0 += d0 * d0;
      s1 += d1 * d1;
    }
    for (; j + WD <= n; j += WD) {
      const vd d = ln_ld(xr + j) - muv;
      s0 += d * d;
    }
    s0 += s1;
    double ss = 0;
    for (int l = 0; l < WD; l++) ss += s0[l];
    for (; j < n; j++) {
      const double d = double(xr[j]) - mu;
      ss += d * d;
    }
    const double rs = 1.0 / __builtin_sqrt(ss / double(n) + eps);
    mean[r] = T(mu);
    rstd[r] = T(rs);
    const vd rsv = splat<vd>(rs);
    j = 0;
    for (; j + WD <= n; j += WD) {
      vd v = (ln_ld(xr + j) - muv) * rsv;
      if (gamma != nullptr) v *= ln_ld(gamma + j);
      if (beta != nullptr) v += ln_ld(beta + j);
      ln_st(yr + j, v);
    }
    for (; j < n; j++) {
      double v = (double(xr[j]) - mu) * rs;
      if (gamma != nullptr) v *= double(gamma[j]);
      if (beta != nullptr) v += double(beta[j]);
      yr[j] = T(v);
    }
  }
}

// dx = rstd · (g − mean_j(g) − x̂ · mean_j(g·x̂)), g = dy·γ, x̂ = (x − mean)·rstd; float64 lanes as
// in the forward.
template <class T>
void layernorm_bwd_rows(const T* dy, const T* x, const T* mean, const T* rstd, const T* gamma, T* dx, idx rows,
                        idx n) {
  for (idx r = 0; r < rows; r++) {
    const T* dyr = dy + r * n;
    const T* xr = x + r * n;
    T* dxr = dx + r * n;
    const double mu = double(mean[r]), rs = double(rstd[r]);
    const vd muv = splat<vd>(mu), rsv = splat<vd>(rs);
    vd vg{}, vgx{};
    idx j = 0;
    for (; j + WD <= n; j += WD) {
      vd gj = ln_ld(dyr + j);
      if (gamma != nullptr) gj *= ln_ld(gamma + j);
      vg += gj;
      vgx += gj * ((ln_ld(xr + j) - muv) * rsv);
    }
    double sg = 0, sgx = 0;
    for (int l = 0; l < WD; l++) sg += vg[l], sgx += vgx[l];
    for (; j < n; j++) {
      const double gj = gamma != nullptr ? double(dyr[j]) * double(gamma[j]) : double(dyr[j]);
      sg += gj;
      sgx += gj * (double(xr[j]) - mu) * rs;
    }
    const double a = sg / double(n), b = sgx / double(n);
    const vd av = splat<vd>(a), brs = splat<vd>(rs * b);
    j = 0;
    for (; j + WD <= n; j += WD) {
      vd gj = ln_ld(dyr + j);
      if (gamma != nullptr) gj *= ln_ld(gamma + j);
      ln_st(dxr + j, rsv * (gj - av - (ln_ld(xr + j) - muv) * brs));
    }
    for (; j < n; j++) {
      const double gj = gamma != nullptr ? double(dyr[j]) * double(gamma[j]) : double(dyr[j]);
      dxr[j] = T(rs * (gj - a - (double(xr[j]) - mu) * rs * b));
    }
  }
}

// ---- tensor statistics (the training monitor's one pass per tensor) --------------------------

template <class T>
SINL vd load_vd(const T* p) {
  if constexpr (sizeof(T) == 4) return __builtin_convertvector(ld<vfh>(p), vd);
  else return ld<vd>(p);
}

// Comparisons (zeros, min, max, NaN) run in T's own lanes (exact). The sums: in float64 lanes for
// float64 data; for float32 data in float32 lanes over blocks of 16·W entries (each lane adds 16
// terms: relative error < 1e-6; x − ref is one float32 subtraction, exact or within half an ulp)
// and in float64 across blocks, which halves the work per entry. The
// tail test is done in float64, as the js kernel does.
template <class T, bool REF, bool TAIL>
void tensor_stats_impl(const T* __restrict x, const T* __restrict ref, idx n, double center, double thr, double* out) {
  using V = typename VT<T>::V;
  using M = typename VT<T>::M;
  constexpr int W = VT<T>::W;
  constexpr int H = W / WD;  // float64 vectors per V
  constexpr idx BLK = 16 * W;
  vd s[H], q[H], dq[H];
  for (int a = 0; a < H; a++) s[a] = q[a] = dq[a] = vd{};
  M zc{}, nan{};
  vl tc{};
  V lo = splat<V>(T(__builtin_inf())), hi = splat<V>(T(-__builtin_inf()));
  const V zero{};
  const vd c = splat<vd>(center), th = splat<vd>(thr);
  idx i = 0;
  for (; i + BLK <= n; i += BLK) {
    V bs0{}, bs1{}, bq0{}, bq1{}, bd0{}, bd1{};
    for (idx j = i; j < i + BLK; j += 2 * W) {
      const V v0 = ld<V>(x + j), v1 = ld<V>(x + j + W);
      zc -= (M)(v0 == zero);
      zc -= (M)(v1 == zero);
      lo = v0 < lo ? v0 : lo;
      hi = v0 > hi ? v0 : hi;
      lo = v1 < lo ? v1 : lo;
      hi = v1 > hi ? v1 : hi;
      nan |= (M)(v0 != v0) | (M)(v1 != v1);
      if constexpr (sizeof(T) == 4) {
        bs0 += v0;
        bs1 += v1;
        bq0 += v0 * v0;
        bq1 += v1 * v1;
        if (REF) {
          // a float32 difference is exact or off by half an ulp of itself (relative 6e-8)
          const V d0 = v0 - ld<V>(ref + j), d1 = v1 - ld<V>(ref + j + W);
          bd0 += d0 * d0;
          bd1 += d1 * d1;
        }
      } else {
        s[0] += v0 + v1;
        q[0] += v0 * v0 + v1 * v1;
        if (REF) {
          const vd d0 = v0 - ld<vd>(ref + j), d1 = v1 - ld<vd>(ref + j + W);
          dq[0] += d0 * d0 + d1 * d1;
        }
      }
      if (TAIL) {
        for (int h = 0; h < 2 * H; h++) {
          const vd dv = load_vd(x + j + h * WD);
          tc -= (vl)((dv - c > th) | (c - dv > th));
        }
      }
    }
    if constexpr (sizeof(T) == 4) {
      const V bs = bs0 + bs1, bq = bq0 + bq1, bd = bd0 + bd1;
      for (int h = 0; h < H; h++) {
        vfh ls, lq, ld_;
        __builtin_memcpy(&ls, reinterpret_cast<const char*>(&bs) + h * sizeof(vfh), sizeof ls);
        __builtin_memcpy(&lq, reinterpret_cast<const char*>(&bq) + h * sizeof(vfh), sizeof lq);
        s[h] += __builtin_convertvector(ls, vd);
        q[h] += __builtin_convertvector(lq, vd);
        if (REF) {
          __builtin_memcpy(&ld_, reinterpret_cast<const char*>(&bd) + h * sizeof(vfh), sizeof ld_);
          dq[h] += __builtin_convertvector(ld_, vd);
        }
      }
    }
  }
  double S = 0, Q = 0, DQ = 0, LO = __builtin_inf(), HI = -__builtin_inf();
  long long Z = 0, TC = 0;
  bool N = false;
  for (int a = 0; a < H; a++)
    for (int l = 0; l < WD; l++) {
      S += s[a][l];
      Q += q[a][l];
      DQ += dq[a][l];
    }
  for (int l = 0; l < WD; l++) TC += tc[l];
  for (int l = 0; l < W; l++) {
    Z += zc[l];
    N = N || nan[l] != 0;
    if (double(lo[l]) < LO) LO = double(lo[l]);
    if (double(hi[l]) > HI) HI = double(hi[l]);
  }
  for (; i < n; i++) {
    const double v = double(x[i]);
    S += v;
    Q += v * v;
    if (v == 0) Z++;
    if (v < LO) LO = v;
    if (v > HI) HI = v;
    if (v != v) N = true;
    if (TAIL && (v - center > thr || center - v > thr)) TC++;
    if (REF) {
      const double d = v - double(ref[i]);
      DQ += d * d;
    }
  }
  out[0] = S;
  out[1] = Q;
  out[2] = double(Z);
  out[3] = N ? __builtin_nan("") : LO;
  out[4] = N ? __builtin_nan("") : HI;
  out[5] = double(TC);
  out[6] = DQ;
}

template <class T>
void tensor_stats(const T* x, const T* ref, idx n, double center, double thr, double* out) {
  // |x − c| > ∞ never holds: no tail test for an infinite (or NaN) threshold
  const bool tail = thr < __builtin_inf();
  if (ref != nullptr) {
    if (tail) tensor_stats_impl<T, true, true>(x, ref, n, center, thr, out);
    else tensor_stats_impl<T, true, false>(x, ref, n, center, thr, out);
  } else if (tail) tensor_stats_impl<T, false, true>(x, nullptr, n, center, thr, out);
  else tensor_stats_impl<T, false, false>(x, nullptr, n, center, thr, out);
}
