// Array kernels for elementwise ops, reductions and softmax (the fused kernels are in
// ew_fused_kernels.inc.h), written once with GCC vector extensions and compiled per ISA. The
// including file defines, before including this inside `namespace steady { namespace { ... } }`:
//   VB                      vector width in bytes (16 for SSE2/NEON, 32 for AVX2)
//   vsqrt_f / vsqrt_d       sqrt of a vf / vd vector
//   vfloor_f / vfloor_d / vceil_f / vceil_d
// Float32 transcendentals (exp, log, tanh, sigmoid) are evaluated in float64 lanes with
// polynomials accurate to ~1e-13 and rounded once, so they are within 1 ulp of the correctly
// rounded result; float64 transcendentals call libm (exact to libm's ulp).

typedef float vf __attribute__((vector_size(VB)));
typedef int vi __attribute__((vector_size(VB)));
typedef double vd __attribute__((vector_size(VB)));
typedef long long vl __attribute__((vector_size(VB)));
typedef float vfh __attribute__((vector_size(VB / 2)));
constexpr int WF = VB / 4;
constexpr int WD = VB / 8;

#define SINL static inline __attribute__((always_inline))

template <class V, class T>
SINL V ld(const T* p) {
  V v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}
template <class V, class T>
SINL void st(T* p, V v) {
  __builtin_memcpy(p, &v, sizeof v);
}
// Broadcast of a scalar (not `V{} + s`, which would turn -0 into +0).
template <class V, class S>
SINL V splat(S s) {
  using E = __typeof__(V{}[0]);
  V r;
  for (unsigned i = 0; i < sizeof(V) / sizeof(E); i++) r[i] = E(s);
  return r;
}

template <class T>
struct VT;
template <>
struct VT<float> {
  using V = vf;
  using M = vi;
  static constexpr int W = WF;
  static constexpr int ABSMASK = 0x7fffffff;
  static V sqrt(V x) { return vsqrt_f(x); }
  static V floor(V x) { return vfloor_f(x); }
  static V ceil(V x) { return vceil_f(x); }
};
template <>
struct VT<double> {
  using V = vd;
  using M = vl;
  static constexpr int W = WD;
  static constexpr long long ABSMASK = 0x7fffffffffffffffLL;
  static V sqrt(V x) { return vsqrt_d(x); }
  static V floor(V x) { return vfloor_d(x); }
  static V ceil(V x) { return vceil_d(x); }
};

// Applies a vector op over n elements; the tail goes through a zero-padded vector.
template <class T, class F>
SINL void map1(const T* __restrict x, T* __restrict y, idx n, F f) {
  using V = typename VT<T>::V;
  constexpr int W = VT<T>::W;
  idx i = 0;
  for (; i + 2 * W <= n; i += 2 * W) {
    V a = ld<V>(x + i), b = ld<V>(x + i + W);
    st(y + i, f(a));
    st(y + i + W, f(b));
  }
  for (; i + W <= n; i += W) st(y + i, f(ld<V>(x + i)));
  if (i < n) {
    V t{};
    __builtin_memcpy(&t, x + i, sizeof(T) * (n - i));
    t = f(t);
    __builtin_memcpy(y + i, &t, sizeof(T) * (n - i));
  }
}

// ---- float64-lane math used for float32 transcendentals --------------------------------------

// exp(x) for x in float range; |rel err| < 1e-13. NaN in, NaN out; clamps keep 2^n finite.
SINL vd exp_d(vd x) {
  const vd lo = splat<vd>(-160.0), hi = splat<vd>(160.0);
  x = x < lo ? lo : x;
  x = x > hi ? hi : x;
  const vd magic = splat<vd>(6755399441055744.0);  // 1.5 * 2^52: adding it rounds to an integer
  const vd t = x * splat<vd>(1.4426950408889634) + magic;
  const vd n = t - magic;
  vd r = x - n * splat<vd>(0.6931471805599453094);
  r = r - n * splat<vd>(2.319046813846299558e-17);
  // Taylor series of exp on |r| <= 0.35 through r^11.
  vd p = splat<vd>(1.0 / 39916800.0);
  p = p * r + splat<vd>(1.0 / 3628800.0);
  p = p * r + splat<vd>(1.0 / 362880.0);
  p = p * r + splat<vd>(1.0 / 40320.0);
  p = p * r + splat<vd>(1.0 / 5040.0);
  p = p * r + splat<vd>(1.0 / 720.0);
  p = p * r + splat<vd>(1.0 / 120.0);
  p = p * r + splat<vd>(1.0 / 24.0);
  p = p * r + splat<vd>(1.0 / 6.0);
  p = p * r + splat<vd>(0.5);
  p = p * r + splat<vd>(1.0);
  p = p * r + splat<vd>(1.0);
  const vl ni = (vl)t - (vl)magic;
  const vd scale = (vd)((ni + 1023) << 52);
  return p * scale;
}

// log(x) for positive normal doubles (every float32 is one); other inputs fixed up by the caller.
SINL vd log_pos_d(vd x) {
  vl bits = (vl)x;
  vl e = ((bits >> 52) & 0x7ff) - 1023;
  vd m = (vd)((bits & 0x000fffffffffffffLL) | 0x3ff0000000000000LL);  // [1, 2)
  const vl big = m > splat<vd>(1.4142135623730951);
  m = big ? m * splat<vd>(0.5) : m;
  e = big ? e + 1 : e;
  // log m = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.1716.
  const vd s = (m - splat<vd>(1.0)) / (m + splat<vd>(1.0));
  const vd z = s * s;
  vd p = splat<vd>(1.0 / 17.0);
  p = p * z + splat<vd>(1.0 / 15.0);
  p = p * z + splat<vd>(1.0 / 13.0);
  p = p * z + splat<vd>(1.0 / 11.0);
  p = p * z + splat<vd>(1.0 / 9.0);
  p = p * z + splat<vd>(1.0 / 7.0);
  p = p * z + splat<vd>(1.0 / 5.0);
  p = p * z + splat<vd>(1.0 / 3.0);
  p = p * z + splat<vd>(1.0);
  const vd ed = __builtin_convertvector(e, vd);
  return ed * splat<vd>(0.6931471805599453094) + (ed * splat<vd>(2.319046813846299558e-17) + 2.0 * s * p);
}

SINL vd log_d(vd x) {
  vd r = log_pos_d(x);
  const vd zero = splat<vd>(0.0);
  r = x == zero ? splat<vd>(-__builtin_inf()) : r;
  r = x == splat<vd>(__builtin_inf()) ? x : r;
  r = x < zero ? splat<vd>(__builtin_nan("")) : r;
  r = x != x ? x : r;
  return r;
}

// tanh(x) = (e - 1) / (e + 1) with e = exp(2|x|), sign restored; tiny |x| returns x.
SINL vd tanh_d(vd x) {
  const vl neg = x < splat<vd>(0.0);
  vd a = neg ? -x : x;
  const vd a2 = a > splat<vd>(20.0) ? splat<vd>(20.0) : a;
  const vd e = exp_d(a2 + a2);
  vd t = (e - splat<vd>(1.0)) / (e + splat<vd>(1.0));
  t = neg ? -t : t;
  return a < splat<vd>(1.0 / 4096.0) ? x : t;  // also passes NaN through
}

SINL vd sigmoid_d(vd x) { return splat<vd>(1.0) / (splat<vd>(1.0) + exp_d(-x)); }

// Runs a float64-lane function over float32 data.
template <class F>
SINL void map_f32_via_d(const float* __restrict x, float* __restrict y, idx n, F f) {
  idx i = 0;
  for (; i + WD <= n; i += WD) st(y + i, __builtin_convertvector(f(__builtin_convertvector(ld<vfh>(x + i), vd)), vfh));
  if (i < n) {
    vfh t{};
    __builtin_memcpy(&t, x + i, sizeof(float) * (n - i));
    t = __builtin_convertvector(f(__builtin_convertvector(t, vd)), vfh);
    __builtin_memcpy(y + i, &t, sizeof(float) * (n - i));
  }
}

// ---- unary ------------------------------------------------------------------------------------

template <class T>
struct Unary {
  using V = typename VT<T>::V;
  using M = typename VT<T>::M;
  static void neg(const T* x, T* y, idx n) { map1<T>(x, y, n, [](V v) { return -v; }); }
  static void abs(const T* x, T* y, idx n) {
    map1<T>(x, y, n, [](V v) { return (V)((M)v & splat<M>(VT<T>::ABSMASK)); });
  }
  static void sqrt(const T* x, T* y, idx n) { map1<T>(x, y, n, [](V v) { return VT<T>::sqrt(v); }); }
  static void rsqrt(const T* x, T* y, idx n) {
    map1<T>(x, y, n, [](V v) { return splat<V>(T(1)) / VT<T>::sqrt(v); });
  }
  static void square(const T* x, T* y, idx n) { map1<T>(x, y, n, [](V v) { return v * v; }); }
  static void relu(const T* x, T* y, idx n) {
    map1<T>(x, y, n, [](V v) { return v <= splat<V>(T(0)) ? splat<V>(T(0)) : v; });  // NaN stays NaN
  }
  static void floor(const T* x, T* y, idx n) { map1<T>(x, y, n, [](V v) { return VT<T>::floor(v); }); }
  static void ceil(const T* x, T* y, idx n) { map1<T>(x, y, n, [](V v) { return VT<T>::ceil(v); }); }
  static void sign(const T* x, T* y, idx n) {
    map1<T>(x, y, n, [](V v) {
      const V z = splat<V>(T(0));
      return v > z ? splat<V>(T(1)) : v < z ? splat<V>(T(-1)) : v;  // keeps ±0 and NaN
    });
  }
};

// erf, expm1, log1p, sin, cos: libm in double, element by element, rounded once to T — what the js
// backend computes (Math.* or its double-precision erf) before storing. Not vectorized, but a
// C loop and the thread pool instead of a JIT-compiled one (the exact GELU spends its time in erf).
template <class T, double (*F)(double)>
void libm_map(const T* x, T* y, idx n) {
  for (idx i = 0; i < n; i++) y[i] = static_cast<T>(F(static_cast<double>(x[i])));
}
inline double erf_d(double v) { return std::erf(v); }
inline double expm1_d(double v) { return std::expm1(v); }
inline double log1p_d(double v) { return std::log1p(v); }
inline double sin_d(double v) { return std::sin(v); }
inline double cos_d(double v) { return std::cos(v); }

void exp_f32(const float* x, float* y, idx n) { map_f32_via_d(x, y, n, [](vd v) { return exp_d(v); }); }
void log_f32(const float* x, float* y, idx n) { map_f32_via_d(x, y, n, [](vd v) { return log_d(v); }); }
void tanh_f32(const float* x, float* y, idx n) { map_f32_via_d(x, y, n, [](vd v) { return tanh_d(v); }); }
void sigmoid_f32(const float* x, float* y, idx n) { map_f32_via_d(x, y, n, [](vd v) { return sigmoid_d(v); }); }

// float64: libm, element by element (same functions the js backend's Math.* agree with to 1 ulp).
double sigmoid_scalar(double x) {
  if (x >= 0) return 1.0 / (1.0 + ::exp(-x));
  const double e = ::exp(x);
  return e / (1.0 + e);
}
void exp_f64(const double* x, double* y, idx n) { for (idx i = 0; i < n; i++) y[i] = ::exp(x[i]); }
void log_f64(const double* x, double* y, idx n) { for (idx i = 0; i < n; i++) y[i] = ::log(x[i]); }
void tanh_f64(const double* x, double* y, idx n) { for (idx i = 0; i < n; i++) y[i] = ::tanh(x[i]); }
void sigmoid_f64(const double* x, double* y, idx n) { for (idx i = 0; i < n; i++) y[i] = sigmoid_scalar(x[i]); }

// ---- binary -----------------------------------------------------------------------------------

template <class V>
SINL V op_max(V a, V b) {
  V r = a > b ? a : b;
  return (a != a) | (b != b) ? a + b : r;  // NaN if either is NaN (a + b is then NaN)
}
template <class V>
SINL V op_min(V a, V b) {
  V r = a < b ? a : b;
  return (a != a) | (b != b) ? a + b : r;
}

// The loop of a binary op. Written once as a macro body so that it exists in two forms: map2,
// whose operands and output are declared __restrict (the compiler may keep values in registers
// across the store to y), and map2_inplace, without the qualifier, for calls where y is one of
// the operands (linear adds its bias in place into the GEMM output): breaking a __restrict
// promise is undefined behaviour that a compiler upgrade may turn into wrong results.
#define STEADY_MAP2_BODY                                                                              \
  using V = typename VT<T>::V;                                                                        \
  constexpr int W = VT<T>::W;                                                                         \
  idx i = 0;                                                                                          \
  if (mode == BM_VV) {                                                                                \
    for (; i + W <= n; i += W) st(y + i, f(ld<V>(a + i), ld<V>(b + i)));                              \
  } else if (mode == BM_VS) {                                                                         \
    const V s = splat<V>(b[0]);                                                                       \
    for (; i + W <= n; i += W) st(y + i, f(ld<V>(a + i), s));                                         \
  } else {                                                                                            \
    const V s = splat<V>(a[0]);                                                                       \
    for (; i + W <= n; i += W) st(y + i, f(s, ld<V>(b + i)));                                         \
  }                                                                                                   \
  if (i < n) {                                                                                        \
    V ta{}, tb{};                                                                                     \
    if (mode == BM_SV) ta = splat<V>(a[0]); else __builtin_memcpy(&ta, a + i, sizeof(T) * (n - i));   \
    if (mode == BM_VS) tb = splat<V>(b[0]); else __builtin_memcpy(&tb, b + i, sizeof(T) * (n - i));   \
    V t = f(ta, tb);                                                                                  \
    __builtin_memcpy(y + i, &t, sizeof(T) * (n - i));                                                 \
  }

template <class T, class F>
SINL void map2(const T* __restrict a, const T* __restrict b, T* __restrict y, idx n, int mode, F f) {
  STEADY_MAP2_BODY
}

// y may be a or b itself (exactly, element i over element i): each vector is loaded before the
// store to the same place, so the result is the out-of-place one.
template <class T, class F>
SINL void map2_inplace(const T* a, const T* b, T* y, idx n, int mode, F f) {
  STEADY_MAP2_BODY
}
#undef STEADY_MAP2_BODY

template <class V, int OP>
SINL V binary_op(V p, V q) {
  switch (OP) {
    case B_ADD: return p + q;
    case B_SUB: return p - q;
    case B_MUL: return p * q;
    case B_DIV: return p / q;
    case B_MAX: return op_max(p, q);
    default: return op_min(p, q);
  }
}

template <class T, int OP, int MODE>
void binary_kernel(const T* a, const T* b, T* y, idx n) {
  using V = typename VT<T>::V;
  map2<T>(a, b, y, n, MODE, [](V p, V q) { return binary_op<V, OP>(p, q); });
}

// The same op where y is a or b (see map2_inplace).
template <class T, int OP, int MODE>
void binary_kernel_inplace(const T* a, const T* b, T* y, idx n) {
  using V = typename VT<T>::V;
  map2_inplace<T>(a, b, y, n, MODE, [](V p, V q) { return binary_op<V, OP>(p, q); });
}

// ---- reductions -------------------------------------------------------------------------------

// Sum of n values in float64: 4 vector accumulators over blocks of 1024, block sums added with
// Neumaier compensation. The compensation is only updated while the running sum is finite: once it
// is ±inf or NaN, (total - t) would be inf - inf = NaN and turn an infinite sum into NaN.
template <class T>
SINL double sum_contig(const T* x, idx n) {
  double total = 0, comp = 0;
  for (idx b0 = 0; b0 < n; b0 += 1024) {
    const idx bn = min_idx(1024, n - b0);
    const T* p = x + b0;
    vd s0{}, s1{}, s2{}, s3{};
    idx i = 0;
    if constexpr (sizeof(T) == 4) {
      for (; i + 4 * WD <= bn; i += 4 * WD) {
        s0 += __builtin_convertvector(ld<vfh>(p + i), vd);
        s1 += __builtin_convertvector(ld<vfh>(p + i + WD), vd);
        s2 += __builtin_convertvector(ld<vfh>(p + i + 2 * WD), vd);
        s3 += __builtin_convertvector(ld<vfh>(p + i + 3 * WD), vd);
      }
    } else {
      for (; i + 4 * WD <= bn; i += 4 * WD) {
        s0 += ld<vd>(p + i);
        s1 += ld<vd>(p + i + WD);
        s2 += ld<vd>(p + i + 2 * WD);
        s3 += ld<vd>(p + i + 3 * WD);
      }
    }
    vd s = (s0 + s1) + (s2 + s3);
    double bs = 0;
    for (int l = 0; l < WD; l++) bs += s[l];
    for (; i < bn; i++) bs += double(p[i]);
    const double t = total + bs;
    if (__builtin_isfinite(t)) comp += (__builtin_fabs(total) >= __builtin_fabs(bs)) ? (total - t) + bs : (bs - t) + total;
    total = t;
  }
  return __builtin_isfinite(total) ? total + comp : total;
}

template <class T, bool IS_MAX>
SINL T minmax_contig(const T* x, idx n) {
  using V = typename VT<T>::V;
  constexpr int W = VT<T>::W;
  const T init = IS_MAX ? -__builtin_inf() : __builtin_inf();
  V acc0 = splat<V>(init), acc1 = acc0;
  idx i = 0;
  // A lane that saw NaN keeps it: neither v > NaN nor v < NaN is true.
  for (; i + 2 * W <= n; i += 2 * W) {
    V a = ld<V>(x + i), b = ld<V>(x + i + W);
    if (IS_MAX) {
      acc0 = (a > acc0) | (a != a) ? a : acc0;
      acc1 = (b > acc1) | (b != b) ? b : acc1;
    } else {
      acc0 = (a < acc0) | (a != a) ? a : acc0;
      acc1 = (b < acc1) | (b != b) ? b : acc1;
    }
  }
  T r = init;
  for (int l = 0; l < W; l++) {
    const T pair[2] = {acc0[l], acc1[l]};
    for (const T v : pair) {
      if (v != v) return v;
      if (IS_MAX ? v > r : v < r) r = v;
    }
  }
  for (; i < n; i++) {
    const T v = x[i];
    if (v != v) return v;
    if (IS_MAX ? v > r : v < r) r = v;
  }
  return r;
}

template <class T, int OP>
void reduce_rows(const T* x, idx rows, idx n, T* out) {
  for (idx r = 0; r < rows; r++) {
    const T* p = x + r * n;
    if (OP == R_SUM) out[r] = T(sum_contig(p, n));
    else if (OP == R_MAX) out[r] = minmax_contig<T, true>(p, n);
    else out[r] = minmax_contig<T, false>(p, n);
  }
}

// Column reduction of x[red, inner] (row stride `stride`) into out[inner], in chunks of columns that
// stay in L1.
template <class T, int OP>
void reduce_cols(const T* x, idx red, idx inner, idx stride, T* out) {
  using V = typename VT<T>::V;
  constexpr int W = VT<T>::W;
  constexpr idx CH = 256;
  for (idx j0 = 0; j0 < inner; j0 += CH) {
    const idx cn = min_idx(CH, inner - j0);
    if (OP == R_SUM) {
      double acc[CH];
      for (idx j = 0; j < cn; j++) acc[j] = 0;
      for (idx r = 0; r < red; r++) {
        const T* p = x + r * stride + j0;
        idx j = 0;
        for (; j + WD <= cn; j += WD) {
          vd v;
          if constexpr (sizeof(T) == 4) v = __builtin_convertvector(ld<vfh>(p + j), vd);
          else v = ld<vd>(p + j);
          st(acc + j, ld<vd>(acc + j) + v);
        }
        for (; j < cn; j++) acc[j] += double(p[j]);
      }
      for (idx j = 0; j < cn; j++) out[j0 + j] = T(acc[j]);
    } else {
      T* o = out + j0;
      const T init = OP == R_MAX ? -__builtin_inf() : __builtin_inf();
      for (idx j = 0; j < cn; j++) o[j] = init;
      for (idx r = 0; r < red; r++) {
        const T* p = x + r * stride + j0;
        idx j = 0;
        for (; j + W <= cn; j += W) {
          V a = ld<V>(p + j), acc = ld<V>(o + j);
          if (OP == R_MAX) acc = (a > acc) | (a != a) ? a : acc;
          else acc = (a < acc) | (a != a) ? a : acc;
          st(o + j, acc);
        }
        for (; j < cn; j++) {
          const T a = p[j];
          if ((OP == R_MAX ? a > o[j] : a < o[j]) || a != a) o[j] = a;
        }
      }
    }
  }
}

// ---- softmax ----------------------------------------------------------------------------------

// softmax: y = exp(x - m) / Σ exp(x - m); log-softmax: y = x - m - log Σ exp(x - m); m = max x.
template <class T>
void softmax_rows(const T* x, T* y, idx rows, idx n, bool log) {
  for (idx r = 0; r < rows; r++) {
    const T* xr = x + r * n;
    T* yr = y + r * n;
    const double m = double(minmax_contig<T, true>(xr, n));
    double sum = 0;
    if constexpr (sizeof(T) == 4) {
      const vd mv = splat<vd>(m);
      vd acc{};
      idx i = 0;
      for (; i + WD <= n; i += WD) {
        const vd e = exp_d(__builtin_convertvector(ld<vfh>(xr + i), vd) - mv);
        acc += e;
        if (!log) st(yr + i, __builtin_convertvector(e, vfh));
      }
      for (int l = 0; l < WD; l++) sum += acc[l];
      if (i < n) {
        vfh t{};
        __builtin_memcpy(&t, xr + i, sizeof(float) * (n - i));
        const vd e = exp_d(__builtin_convertvector(t, vd) - mv);
        for (idx l = 0; l < n - i; l++) sum += e[l];
        if (!log) {
          t = __builtin_convertvector(e, vfh);
          __builtin_memcpy(yr + i, &t, sizeof(float) * (n - i));
        }
      }
    } else {
      for (idx i = 0; i < n; i++) {
        const double e = ::exp(double(xr[i]) - m);
        sum += e;
        if (!log) yr[i] = T(e);
      }
    }
    if (log) {
      const double c = m + ::log(sum);
      for (idx i = 0; i < n; i++) yr[i] = T(double(xr[i]) - c);
    } else {
      const double inv = 1.0 / sum;
      for (idx i = 0; i < n; i++) yr[i] = T(double(yr[i]) * inv);
    }
  }
}

template <class T>
void clamp_kernel(const T* x, T* y, idx n, T lo, T hi) {
  using V = typename VT<T>::V;
  const V l = splat<V>(lo), h = splat<V>(hi);
  map1<T>(x, y, n, [&](V v) {
    V r = v < l ? l : v;
    return r > h ? h : r;  // NaN stays NaN
  });
}

// ---- fused kernels (bias + activation, optimizer updates, LayerNorm) --------------------------

#include "ew_fused_kernels.inc.h"

// ---- the table ----------------------------------------------------------------------------------

template <class T>
EwKernels<T> make_kernels() {
  EwKernels<T> k{};
  k.unary[U_NEG] = Unary<T>::neg;
  k.unary[U_ABS] = Unary<T>::abs;
  k.unary[U_SQRT] = Unary<T>::sqrt;
  k.unary[U_RSQRT] = Unary<T>::rsqrt;
  k.unary[U_SQUARE] = Unary<T>::square;
  k.unary[U_RELU] = Unary<T>::relu;
  k.unary[U_FLOOR] = Unary<T>::floor;
  k.unary[U_CEIL] = Unary<T>::ceil;
  k.unary[U_SIGN] = Unary<T>::sign;
  k.unary[U_ERF] = libm_map<T, erf_d>;
  k.unary[U_EXPM1] = libm_map<T, expm1_d>;
  k.unary[U_LOG1P] = libm_map<T, log1p_d>;
  k.unary[U_SIN] = libm_map<T, sin_d>;
  k.unary[U_COS] = libm_map<T, cos_d>;
  if constexpr (sizeof(T) == 4) {
    k.unary[U_EXP] = exp_f32;
    k.unary[U_LOG] = log_f32;
    k.unary[U_TANH] = tanh_f32;
    k.unary[U_SIGMOID] = sigmoid_f32;
  } else {
    k.unary[U_EXP] = exp_f64;
    k.unary[U_LOG] = log_f64;
    k.unary[U_TANH] = tanh_f64;
    k.unary[U_SIGMOID] = sigmoid_f64;
  }
#define STEADY_BIN(OP)                                                   \
  k.binary[OP][BM_VV] = binary_kernel<T, OP, BM_VV>;                     \
  k.binary[OP][BM_VS] = binary_kernel<T, OP, BM_VS>;                     \
  k.binary[OP][BM_SV] = binary_kernel<T, OP, BM_SV>;                     \
  k.binary_inplace[OP][BM_VV] = binary_kernel_inplace<T, OP, BM_VV>;     \
  k.binary_inplace[OP][BM_VS] = binary_kernel_inplace<T, OP, BM_VS>;     \
  k.binary_inplace[OP][BM_SV] = binary_kernel_inplace<T, OP, BM_SV>;
  STEADY_BIN(B_ADD)
  STEADY_BIN(B_SUB)
  STEADY_BIN(B_MUL)
  STEADY_BIN(B_DIV)
  STEADY_BIN(B_MAX)
  STEADY_BIN(B_MIN)
#undef STEADY_BIN
  k.reduce_rows[R_SUM] = reduce_rows<T, R_SUM>;
  k.reduce_rows[R_MAX] = reduce_rows<T, R_MAX>;
  k.reduce_rows[R_MIN] = reduce_rows<T, R_MIN>;
  k.reduce_cols[R_SUM] = reduce_cols<T, R_SUM>;
  k.reduce_cols[R_MAX] = reduce_cols<T, R_MAX>;
  k.reduce_cols[R_MIN] = reduce_cols<T, R_MIN>;
  k.softmax_rows = softmax_rows<T>;
  k.clamp = clamp_kernel<T>;
  k.bias_act_rows = bias_act_rows<T>;
  k.adam = adam_kernel<T>;
  k.sgd = sgd_kernel<T>;
  k.rmsprop = rmsprop_kernel<T>;
  k.layernorm_fwd_rows = layernorm_fwd_rows<T>;
  k.layernorm_bwd_rows = layernorm_bwd_rows<T>;
  k.tensor_stats = tensor_stats<T>;
  return k;
}

#undef SINL
