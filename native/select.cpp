// N-API entry points for comparisons (eq ne lt le gt ge → uint8) and `where` (uint8 cond selects
// a or b). Two entry points each: the fast layouts training hits most (operands of the output's
// size, or one scalar operand: relu's backward is where(gt(y, 0), g, 0)), and any broadcast
// (attention masks [B, 1, 1, S] or [L, S] against [B, H, L, S] scores) walked by merged strides
// (strided_dims.h) with an inner loop specialised for unit / zero strides. The strided entry also
// takes logicalAnd / logicalOr and int32 / uint8 operands.
// Plain loops that GCC vectorizes for any x86-64 (the select works on bit patterns); both are
// memory bound. Semantics match the js backend: a comparison with NaN is false except ne; where copies the
// selected element bit for bit and never reads arithmetic from the other side (NaN there is inert).
#include <node_api.h>

#include "napi_util.h"
#include "strided_dims.h"
#include "threadpool.h"

namespace steady {
namespace {

constexpr idx kGrain = idx(1) << 16;

enum CmpOp : int { C_EQ = 0, C_NE, C_LT, C_LE, C_GT, C_GE, C_COUNT };
// Operand layouts: both full, b scalar, a scalar (and for where: both scalar).
enum Mode : int { M_VV = 0, M_VS, M_SV, M_SS, M_COUNT };

template <class T, class F>
void cmp_loop(const T* __restrict a, const T* __restrict b, std::uint8_t* __restrict y, idx n, int mode, F f) {
  if (mode == M_VV) {
    for (idx i = 0; i < n; i++) y[i] = f(a[i], b[i]);
  } else if (mode == M_VS) {
    const T bv = b[0];
    for (idx i = 0; i < n; i++) y[i] = f(a[i], bv);
  } else {
    const T av = a[0];
    for (idx i = 0; i < n; i++) y[i] = f(av, b[i]);
  }
}

template <class T>
__attribute__((noinline)) void cmp_range(int op, const T* a, const T* b, std::uint8_t* y, idx n, int mode) {
  switch (op) {
    case C_EQ: cmp_loop(a, b, y, n, mode, [](T x, T z) -> std::uint8_t { return x == z; }); break;
    case C_NE: cmp_loop(a, b, y, n, mode, [](T x, T z) -> std::uint8_t { return x != z; }); break;
    case C_LT: cmp_loop(a, b, y, n, mode, [](T x, T z) -> std::uint8_t { return x < z; }); break;
    case C_LE: cmp_loop(a, b, y, n, mode, [](T x, T z) -> std::uint8_t { return x <= z; }); break;
    case C_GT: cmp_loop(a, b, y, n, mode, [](T x, T z) -> std::uint8_t { return x > z; }); break;
    default: cmp_loop(a, b, y, n, mode, [](T x, T z) -> std::uint8_t { return x >= z; }); break;
  }
}

// Operand lengths required by each mode, given the output length n.
bool lengths_ok(int mode, idx alen, idx blen, idx n) {
  switch (mode) {
    case M_VV: return alen >= n && blen >= n;
    case M_VS: return alen >= n && blen >= 1;
    case M_SV: return alen >= 1 && blen >= n;
    case M_SS: return alen >= 1 && blen >= 1;
    default: return false;
  }
}

// compare(op, a, b, out, mode): out (Uint8Array) = a op b elementwise -> handled
napi_value Compare(napi_env env, napi_callback_info info) {
  napi_value args[5];
  if (!get_args(env, info, 5, args)) return nullptr;
  const int op = static_cast<int>(get_num(env, args[0]));
  Arr a, b, y;
  if (!get_arr(env, args[1], a) || !get_arr(env, args[2], b) || !get_arr(env, args[3], y)) return nullptr;
  const int mode = static_cast<int>(get_num(env, args[4]));
  if (op < 0 || op >= C_COUNT || mode < M_VV || mode > M_SV || a.type != b.type || !(a.is_f32() || a.is_f64()) ||
      y.type != napi_uint8_array)
    return make_bool(env, false);
  const idx n = y.length;
  if (!lengths_ok(mode, a.length, b.length, n)) return range_error(env, "steady_native.compare: a or b shorter than out");
  std::uint8_t* py = y.as<std::uint8_t>();
  // A scalar operand is not advanced with the range.
  const idx da = mode == M_SV ? 0 : 1, db = mode == M_VS ? 0 : 1;
  if (a.is_f32()) {
    const float *pa = a.as<float>(), *pb = b.as<float>();
    parallel_for(n, kGrain, [&](idx s, idx e) { cmp_range(op, pa + s * da, pb + s * db, py + s, e - s, mode); });
  } else {
    const double *pa = a.as<double>(), *pb = b.as<double>();
    parallel_for(n, kGrain, [&](idx s, idx e) { cmp_range(op, pa + s * da, pb + s * db, py + s, e - s, mode); });
  }
  return make_bool(env, true);
}

// The select on bit patterns: m = all ones where cond is nonzero, y = (a & m) | (b & ~m). Integer
// masks vectorize with plain SSE2 (a float `c ? a : b` from a byte condition does not, and as a
// branch it mispredicts on random masks); copying bits also keeps NaN payloads and -0 exactly.
template <class T>
struct Bits;
template <>
struct Bits<float> { using U = std::uint32_t; };
template <>
struct Bits<double> { using U = std::uint64_t; };

// noinline: inlined into the N-API function the __restrict promises were lost and the loop ran
// scalar (8x slower).
template <class T>
__attribute__((noinline)) void where_range(const std::uint8_t* __restrict c, const T* __restrict a, const T* __restrict b, T* __restrict y,
                 idx n, int mode) {
  using U = typename Bits<T>::U;
  const U* __restrict ua = reinterpret_cast<const U*>(a);
  const U* __restrict ub = reinterpret_cast<const U*>(b);
  U* __restrict uy = reinterpret_cast<U*>(y);
  auto sel = [](std::uint8_t ci, U x, U z) -> U {
    const U m = U(0) - U(ci != 0);
    return (x & m) | (z & ~m);
  };
  switch (mode) {
    case M_VV:
      for (idx i = 0; i < n; i++) uy[i] = sel(c[i], ua[i], ub[i]);
      break;
    case M_VS: {
      const U bv = ub[0];
      for (idx i = 0; i < n; i++) uy[i] = sel(c[i], ua[i], bv);
      break;
    }
    case M_SV: {
      const U av = ua[0];
      for (idx i = 0; i < n; i++) uy[i] = sel(c[i], av, ub[i]);
      break;
    }
    default: {
      const U av = ua[0], bv = ub[0];
      for (idx i = 0; i < n; i++) uy[i] = sel(c[i], av, bv);
      break;
    }
  }
}

// where(cond, a, b, out, mode): out = cond ? a : b with cond (Uint8Array) of out's length -> handled
napi_value Where(napi_env env, napi_callback_info info) {
  napi_value args[5];
  if (!get_args(env, info, 5, args)) return nullptr;
  Arr c, a, b, y;
  if (!get_arrs(env, args, c, a, b, y)) return nullptr;
  const int mode = static_cast<int>(get_num(env, args[4]));
  if (mode < M_VV || mode >= M_COUNT || c.type != napi_uint8_array || a.type != b.type || a.type != y.type ||
      !(a.is_f32() || a.is_f64()))
    return make_bool(env, false);
  const idx n = y.length;
  if (c.length < n || !lengths_ok(mode, a.length, b.length, n))
    return range_error(env, "steady_native.where: cond, a or b shorter than out");
  const std::uint8_t* pc = c.as<std::uint8_t>();
  const idx da = mode == M_VV || mode == M_VS ? 1 : 0, db = mode == M_VV || mode == M_SV ? 1 : 0;
  if (a.is_f32()) {
    const float *pa = a.as<float>(), *pb = b.as<float>();
    float* py = y.as<float>();
    parallel_for(n, kGrain, [&](idx s, idx e) { where_range(pc + s, pa + s * da, pb + s * db, py + s, e - s, mode); });
  } else {
    const double *pa = a.as<double>(), *pb = b.as<double>();
    double* py = y.as<double>();
    parallel_for(n, kGrain, [&](idx s, idx e) { where_range(pc + s, pa + s * da, pb + s * db, py + s, e - s, mode); });
  }
  return make_bool(env, true);
}

// ---- any broadcast, by merged strides ------------------------------------------------------

enum : int { C_AND = 6, C_OR = 7, C_ALL = 8 };

// One row of a strided comparison: unit and zero inner strides get their own loops (vectorised),
// anything else the general one.
template <class T, class F>
__attribute__((noinline)) void cmp_row(const T* __restrict a, idx sa, const T* __restrict b, idx sb, std::uint8_t* __restrict y,
                                       idx n, F f) {
  if (sa == 1 && sb == 1) {
    for (idx i = 0; i < n; i++) y[i] = f(a[i], b[i]);
  } else if (sa == 1 && sb == 0) {
    const T bv = b[0];
    for (idx i = 0; i < n; i++) y[i] = f(a[i], bv);
  } else if (sa == 0 && sb == 1) {
    const T av = a[0];
    for (idx i = 0; i < n; i++) y[i] = f(av, b[i]);
  } else {
    for (idx i = 0; i < n; i++) y[i] = f(a[i * sa], b[i * sb]);
  }
}

template <class T>
void cmp_row_op(int op, const T* a, idx sa, const T* b, idx sb, std::uint8_t* y, idx n) {
  switch (op) {
    case C_EQ: cmp_row(a, sa, b, sb, y, n, [](T x, T z) -> std::uint8_t { return x == z; }); break;
    case C_NE: cmp_row(a, sa, b, sb, y, n, [](T x, T z) -> std::uint8_t { return x != z; }); break;
    case C_LT: cmp_row(a, sa, b, sb, y, n, [](T x, T z) -> std::uint8_t { return x < z; }); break;
    case C_LE: cmp_row(a, sa, b, sb, y, n, [](T x, T z) -> std::uint8_t { return x <= z; }); break;
    case C_GT: cmp_row(a, sa, b, sb, y, n, [](T x, T z) -> std::uint8_t { return x > z; }); break;
    case C_GE: cmp_row(a, sa, b, sb, y, n, [](T x, T z) -> std::uint8_t { return x >= z; }); break;
    // js: (x !== 0) & (y !== 0); NaN !== 0 is true, so NaN counts as true here as well.
    case C_AND: cmp_row(a, sa, b, sb, y, n, [](T x, T z) -> std::uint8_t { return (x != T(0)) & (z != T(0)); }); break;
    default: cmp_row(a, sa, b, sb, y, n, [](T x, T z) -> std::uint8_t { return (x != T(0)) | (z != T(0)); }); break;
  }
}

// The furthest element operand k reads, +1 (0 for an empty shape).
template <int N>
idx extent_of(const StridedDimsN<N>& w, int k) {
  if (w.total == 0) return 0;
  idx m = 0;
  for (int d = 0; d < w.rank; d++) m += (w.size[d] - 1) * w.st[k][d];
  return m + 1;
}

// Reads desc = [rank, shape(rank), strides of operand 0 (rank), ..., of operand N-1] into w; false
// when it is malformed (bad rank, negative stride or extent).
template <int N>
bool read_desc(napi_env env, napi_value v, StridedDimsN<N>& w) {
  Arr d;
  if (!get_arr(env, v, d) || d.type != napi_int32_array || d.length < 1) return false;
  const int* p = d.as<int>();
  const int r = p[0];
  if (r < 0 || r > kMaxRank || d.length < 1 + idx(N + 1) * r) return false;
  const int* strides[N];
  for (int k = 0; k < N; k++) {
    strides[k] = p + 1 + (k + 1) * r;
    for (int i = 0; i < r; i++)
      if (strides[k][i] < 0) return false;
  }
  return merge_dims_n<N>(r, p + 1, strides, w);
}

template <class T>
void compare_strided(int op, const T* pa, const T* pb, std::uint8_t* py, const StridedDimsN<2>& w) {
  const idx n0 = w.size[0], rows = w.total / (n0 > 0 ? n0 : 1);
  const idx sa = w.st[0][0], sb = w.st[1][0];
  const idx grain = max_idx(1, kGrain / max_idx(1, n0));
  parallel_for(rows, grain, [&](idx r0, idx r1) {
    for_rows_n(w, r0, r1, [&](idx r, const idx* off) { cmp_row_op(op, pa + off[0], sa, pb + off[1], sb, py + r * n0, n0); });
  });
}

// compareStrided(op, a, b, out, desc): out (Uint8Array, contiguous) = a op b broadcast, op 0..7 =
// eq ne lt le gt ge logicalAnd logicalOr; desc = [rank, ...outShape, ...aStrides, ...bStrides]
// (0 on broadcast dims) -> handled
napi_value CompareStrided(napi_env env, napi_callback_info info) {
  napi_value args[5];
  if (!get_args(env, info, 5, args)) return nullptr;
  const int op = static_cast<int>(get_num(env, args[0]));
  Arr a, b, y;
  if (!get_arr(env, args[1], a) || !get_arr(env, args[2], b) || !get_arr(env, args[3], y)) return nullptr;
  StridedDimsN<2> w;
  if (op < 0 || op >= C_ALL || a.type != b.type || y.type != napi_uint8_array || !read_desc(env, args[4], w))
    return make_bool(env, false);
  if (y.length < w.total || extent_of(w, 0) > a.length || extent_of(w, 1) > b.length)
    return range_error(env, "steady_native.compareStrided: out, a or b shorter than the shape and strides need");
  if (w.total == 0) return make_bool(env, true);
  std::uint8_t* py = y.as<std::uint8_t>();
  switch (a.type) {
    case napi_float32_array: compare_strided(op, a.as<float>(), b.as<float>(), py, w); break;
    case napi_float64_array: compare_strided(op, a.as<double>(), b.as<double>(), py, w); break;
    case napi_int32_array: compare_strided(op, a.as<std::int32_t>(), b.as<std::int32_t>(), py, w); break;
    case napi_uint8_array: compare_strided(op, a.as<std::uint8_t>(), b.as<std::uint8_t>(), py, w); break;
    default: return make_bool(env, false);
  }
  return make_bool(env, true);
}

// One row of a strided where on bit patterns U (any element of that size): the cond / a / b unit-
// or zero-stride combinations that masks produce get vectorised loops.
template <class U>
__attribute__((noinline)) void where_row(const std::uint8_t* __restrict c, idx sc, const U* __restrict a, idx sa,
                                         const U* __restrict b, idx sb, U* __restrict y, idx n) {
  auto sel = [](std::uint8_t ci, U x, U z) -> U {
    const U m = U(0) - U(ci != 0);
    return (x & m) | (z & ~m);
  };
  if (sc == 1 && sa == 1 && sb == 1) {
    for (idx i = 0; i < n; i++) y[i] = sel(c[i], a[i], b[i]);
  } else if (sc == 1 && sa == 1 && sb == 0) {
    const U bv = b[0];
    for (idx i = 0; i < n; i++) y[i] = sel(c[i], a[i], bv);
  } else if (sc == 1 && sa == 0 && sb == 1) {
    const U av = a[0];
    for (idx i = 0; i < n; i++) y[i] = sel(c[i], av, b[i]);
  } else if (sc == 1 && sa == 0 && sb == 0) {
    const U av = a[0], bv = b[0];
    for (idx i = 0; i < n; i++) y[i] = sel(c[i], av, bv);
  } else if (sc == 0) {
    // one condition for the whole row: a row copy of one side
    const bool pick = c[0] != 0;
    const U* s = pick ? a : b;
    const idx ss = pick ? sa : sb;
    if (ss == 1) for (idx i = 0; i < n; i++) y[i] = s[i];
    else for (idx i = 0; i < n; i++) y[i] = s[i * ss];
  } else {
    for (idx i = 0; i < n; i++) y[i] = sel(c[i * sc], a[i * sa], b[i * sb]);
  }
}

template <class U>
void where_strided(const std::uint8_t* pc, const U* pa, const U* pb, U* py, const StridedDimsN<3>& w) {
  const idx n0 = w.size[0], rows = w.total / (n0 > 0 ? n0 : 1);
  const idx sc = w.st[0][0], sa = w.st[1][0], sb = w.st[2][0];
  const idx grain = max_idx(1, kGrain / max_idx(1, n0));
  parallel_for(rows, grain, [&](idx r0, idx r1) {
    for_rows_n(w, r0, r1, [&](idx r, const idx* off) {
      where_row(pc + off[0], sc, pa + off[1], sa, pb + off[2], sb, py + r * n0, n0);
    });
  });
}

// whereStrided(cond, a, b, out, desc): out (contiguous) = cond ? a : b broadcast; desc = [rank,
// ...outShape, ...condStrides, ...aStrides, ...bStrides] (0 on broadcast dims) -> handled
napi_value WhereStrided(napi_env env, napi_callback_info info) {
  napi_value args[5];
  if (!get_args(env, info, 5, args)) return nullptr;
  Arr c, a, b, y;
  if (!get_arrs(env, args, c, a, b, y)) return nullptr;
  StridedDimsN<3> w;
  if (c.type != napi_uint8_array || a.type != b.type || a.type != y.type || !read_desc(env, args[4], w))
    return make_bool(env, false);
  if (y.length < w.total || extent_of(w, 0) > c.length || extent_of(w, 1) > a.length || extent_of(w, 2) > b.length)
    return range_error(env, "steady_native.whereStrided: out, cond, a or b shorter than the shape and strides need");
  if (w.total == 0) return make_bool(env, true);
  const std::uint8_t* pc = c.as<std::uint8_t>();
  switch (a.type) {
    case napi_float64_array:
      where_strided(pc, a.as<std::uint64_t>(), b.as<std::uint64_t>(), y.as<std::uint64_t>(), w);
      break;
    case napi_float32_array:
    case napi_int32_array:
      where_strided(pc, a.as<std::uint32_t>(), b.as<std::uint32_t>(), y.as<std::uint32_t>(), w);
      break;
    case napi_uint8_array:
      where_strided(pc, a.as<std::uint8_t>(), b.as<std::uint8_t>(), y.as<std::uint8_t>(), w);
      break;
    default: return make_bool(env, false);
  }
  return make_bool(env, true);
}

}  // namespace

napi_value register_select(napi_env env, napi_value exports) {
  set_fn(env, exports, "compare", Compare);
  set_fn(env, exports, "where", Where);
  set_fn(env, exports, "compareStrided", CompareStrided);
  set_fn(env, exports, "whereStrided", WhereStrided);
  return exports;
}

}  // namespace steady
