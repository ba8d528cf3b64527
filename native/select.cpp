// N-API entry points for comparisons (eq ne lt le gt ge → uint8) and `where` (uint8 cond selects
// a or b), on the two layouts training hits: operands of the output's size, or one scalar operand
// (relu's backward is where(gt(y, 0), g, 0)). General broadcasting stays in js (returns false).
// Plain loops that GCC vectorizes for any x86-64 (the select works on bit patterns); both are
// memory bound. Semantics match the js backend: a comparison with NaN is false except ne; where copies the
// selected element bit for bit and never reads arithmetic from the other side (NaN there is inert).
#include <node_api.h>

#include "napi_util.h"
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

}  // namespace

napi_value register_select(napi_env env, napi_value exports) {
  set_fn(env, exports, "compare", Compare);
  set_fn(env, exports, "where", Where);
  return exports;
}

}  // namespace steady
