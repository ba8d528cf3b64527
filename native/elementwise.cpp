// N-API entry points for elementwise ops, reductions, softmax and clamp: argument checks,
// broadcasting (dimension coalescing down to a contiguous or scalar inner loop) and the split
// over the thread pool. The array kernels themselves come from ew_table().
#include <node_api.h>

#include "ew_table.h"
#include "napi_util.h"
#include "strided_dims.h"
#include "threadpool.h"

namespace steady {
namespace {

// Work per task below which the pool is not worth waking (elements).
constexpr idx kGrainCheap = idx(1) << 15;
constexpr idx kGrainHeavy = idx(1) << 12;

bool heavy_unary(int op) { return op == U_EXP || op == U_LOG || op == U_TANH || op == U_SIGMOID || op >= U_ERF; }

// Whether [p, p + pn) and [q, q + qn) share memory.
template <class T>
bool overlaps(const T* p, idx pn, const T* q, idx qn) {
  return pn > 0 && qn > 0 && p < q + qn && q < p + pn;
}

// Whether an operand of a broadcasting binary op reads exactly the element the output writes at
// each position (same base, its merged strides those of the contiguous output): in place.
template <class T>
bool same_layout(const T* x, idx xlen, const T* y, idx ylen, const idx* strides, const StridedDims& bc) {
  if (x != y || xlen != ylen || ylen != bc.total) return false;
  idx s = 1;
  for (int d = 0; d < bc.rank; d++) {
    if (bc.size[d] > 1 && strides[d] != s) return false;
    s *= bc.size[d];
  }
  return true;
}

template <class T>
void run_unary(const EwKernels<T>& k, int op, const T* x, T* y, idx n) {
  UnaryFn<T> f = k.unary[op];
  parallel_for(n, heavy_unary(op) ? kGrainHeavy : kGrainCheap, [&](idx b, idx e) { f(x + b, y + b, e - b); });
}

// unary(op, x, out) -> handled
napi_value Unary(napi_env env, napi_callback_info info) {
  napi_value args[3];
  if (!get_args(env, info, 3, args)) return nullptr;
  const int op = static_cast<int>(get_num(env, args[0]));
  Arr x, y;
  if (!get_arr(env, args[1], x) || !get_arr(env, args[2], y)) return nullptr;
  if (op < 0 || op >= U_COUNT || x.type != y.type || !(x.is_f32() || x.is_f64())) return make_bool(env, false);
  if (y.length < x.length) return range_error(env, "steady_native.unary: out is shorter than x");
  // the unary kernels declare x and y __restrict; no caller writes in place, and any that did
  // gets the js kernel rather than undefined behaviour
  if (x.is_f32() ? overlaps(x.as<float>(), x.length, y.as<float>(), y.length)
                 : overlaps(x.as<double>(), x.length, y.as<double>(), y.length))
    return make_bool(env, false);
  const EwTable& t = ew_table();
  if (x.is_f32()) run_unary(t.f32, op, x.as<float>(), y.as<float>(), x.length);
  else run_unary(t.f64, op, x.as<double>(), y.as<double>(), x.length);
  return make_bool(env, true);
}

// ---- binary with broadcasting --------------------------------------------------------------

template <class T>
bool run_binary(const EwKernels<T>& k, int op, const T* a, idx alen, const T* b, idx blen, T* y, idx ylen,
                const StridedDims& bc) {
  const idx sa0 = bc.s0[0], sb0 = bc.s1[0], n0 = bc.size[0];
  if (sa0 > 1 || sb0 > 1) return false;
  if (ylen < bc.total) return false;
  // Extent each operand is read over must lie inside it.
  idx amax = 0, bmax = 0;
  for (int d = 0; d < bc.rank; d++) {
    amax += (bc.size[d] - 1) * bc.s0[d];
    bmax += (bc.size[d] - 1) * bc.s1[d];
  }
  if (bc.total > 0 && (amax >= alen || bmax >= blen)) return false;
  const bool both_scalar = sa0 == 0 && sb0 == 0;
  const int mode = both_scalar ? BM_VV : sa0 == 1 && sb0 == 1 ? BM_VV : sa0 == 1 ? BM_VS : BM_SV;
  // The kernels of k.binary promise (__restrict) that y overlaps neither operand. In place,
  // y == a (or b) element for element, takes the kernels without that promise; any other
  // overlap (a shifted or broadcast self-read) is left to the js backend.
  const bool ov_a = overlaps(a, alen, static_cast<const T*>(y), ylen);
  const bool ov_b = overlaps(b, blen, static_cast<const T*>(y), ylen);
  if ((ov_a && !same_layout<T>(a, alen, y, ylen, bc.s0, bc)) || (ov_b && !same_layout<T>(b, blen, y, ylen, bc.s1, bc)))
    return false;
  BinaryFn<T> f = ov_a || ov_b ? k.binary_inplace[op][mode] : k.binary[op][mode];
  const idx rows = bc.total / (n0 == 0 ? 1 : n0);
  if (bc.total == 0) return true;
  auto do_row = [&](const T* pa, const T* pb, T* py, idx len) {
    if (both_scalar) {
      f(pa, pb, py, 1);
      for (idx i = 1; i < len; i++) py[i] = py[0];
    } else {
      f(pa, pb, py, len);
    }
  };
  if (rows == 1) {
    parallel_for(n0, kGrainCheap, [&](idx s, idx e) { do_row(a + s * sa0, b + s * sb0, y + s, e - s); });
    return true;
  }
  const idx grain_rows = max_idx(1, kGrainCheap / max_idx(n0, 1));
  parallel_for(rows, grain_rows, [&](idx r0, idx r1) {
    for_rows(bc, r0, r1, [&](idx r, idx oa, idx ob) { do_row(a + oa, b + ob, y + r * n0, n0); });
  });
  return true;
}

// binary(op, a, b, out, desc) with desc = [rank, ...outShape, ...aStrides, ...bStrides] -> handled
napi_value Binary(napi_env env, napi_callback_info info) {
  napi_value args[5];
  if (!get_args(env, info, 5, args)) return nullptr;
  const int op = static_cast<int>(get_num(env, args[0]));
  Arr a, b, y, d;
  if (!get_arr(env, args[1], a) || !get_arr(env, args[2], b) || !get_arr(env, args[3], y) ||
      !get_arr(env, args[4], d))
    return nullptr;
  if (op < 0 || op >= B_COUNT || a.type != b.type || a.type != y.type || !(a.is_f32() || a.is_f64()) ||
      d.type != napi_int32_array || d.length < 1)
    return make_bool(env, false);
  const int* desc = d.as<int>();
  const int r = desc[0];
  if (r < 0 || d.length < 1 + 3 * idx(r)) return make_bool(env, false);
  StridedDims bc;
  if (!merge_dims(r, desc + 1, desc + 1 + r, desc + 1 + 2 * r, bc)) return make_bool(env, false);
  const EwTable& t = ew_table();
  bool ok = a.is_f32()
      ? run_binary(t.f32, op, a.as<float>(), a.length, b.as<float>(), b.length, y.as<float>(), y.length, bc)
      : run_binary(t.f64, op, a.as<double>(), a.length, b.as<double>(), b.length, y.as<double>(), y.length, bc);
  return make_bool(env, ok);
}

// ---- reductions ------------------------------------------------------------------------------

template <class T>
void run_reduce(const EwKernels<T>& k, int op, const T* x, T* y, idx outer, idx red, idx inner) {
  if (inner == 1) {
    auto f = k.reduce_rows[op];
    parallel_for(outer, max_idx(1, kGrainCheap / max_idx(red, 1)), [&](idx s, idx e) { f(x + s * red, e - s, red, y + s); });
    return;
  }
  auto f = k.reduce_cols[op];
  if (outer >= num_threads() || outer * red * inner < 2 * kGrainCheap) {
    parallel_for(outer, max_idx(1, kGrainCheap / max_idx(red * inner, 1)),
                 [&](idx s, idx e) {
                   for (idx o = s; o < e; o++) f(x + o * red * inner, red, inner, inner, y + o * inner);
                 });
    return;
  }
  // Few outer blocks: split the columns instead.
  for (idx o = 0; o < outer; o++) {
    const T* xo = x + o * red * inner;
    T* yo = y + o * inner;
    parallel_for(inner, max_idx(16, kGrainCheap / max_idx(red, 1)), [&](idx s, idx e) { f(xo + s, red, e - s, inner, yo + s); });
  }
}

// reduce(op, x, out, outer, red, inner): x viewed as [outer, red, inner], reduced over red -> handled
napi_value Reduce(napi_env env, napi_callback_info info) {
  napi_value args[6];
  if (!get_args(env, info, 6, args)) return nullptr;
  const int op = static_cast<int>(get_num(env, args[0]));
  Arr x, y;
  if (!get_arr(env, args[1], x) || !get_arr(env, args[2], y)) return nullptr;
  const idx outer = static_cast<idx>(get_num(env, args[3]));
  const idx red = static_cast<idx>(get_num(env, args[4]));
  const idx inner = static_cast<idx>(get_num(env, args[5]));
  if (op < 0 || op >= R_COUNT || x.type != y.type || !(x.is_f32() || x.is_f64())) return make_bool(env, false);
  if (outer < 0 || red < 1 || inner < 1) return make_bool(env, false);
  if (x.length < outer * red * inner || y.length < outer * inner)
    return range_error(env, "steady_native.reduce: x or out too short for [outer, red, inner]");
  const EwTable& t = ew_table();
  if (x.is_f32()) run_reduce(t.f32, op, x.as<float>(), y.as<float>(), outer, red, inner);
  else run_reduce(t.f64, op, x.as<double>(), y.as<double>(), outer, red, inner);
  return make_bool(env, true);
}

// softmax(x, out, rows, cols, log) along the last axis -> handled
napi_value Softmax(napi_env env, napi_callback_info info) {
  napi_value args[5];
  if (!get_args(env, info, 5, args)) return nullptr;
  Arr x, y;
  if (!get_arrs(env, args, x, y)) return nullptr;
  const idx rows = static_cast<idx>(get_num(env, args[2]));
  const idx cols = static_cast<idx>(get_num(env, args[3]));
  const bool log = get_bool(env, args[4]);
  if (x.type != y.type || !(x.is_f32() || x.is_f64()) || rows < 0 || cols < 1) return make_bool(env, false);
  if (x.length < rows * cols || y.length < rows * cols)
    return range_error(env, "steady_native.softmax: x or out too short for [rows, cols]");
  const EwTable& t = ew_table();
  const idx grain = max_idx(1, kGrainHeavy / cols);
  if (x.is_f32()) {
    const float* px = x.as<float>();
    float* py = y.as<float>();
    parallel_for(rows, grain, [&](idx s, idx e) { t.f32.softmax_rows(px + s * cols, py + s * cols, e - s, cols, log); });
  } else {
    const double* px = x.as<double>();
    double* py = y.as<double>();
    parallel_for(rows, grain, [&](idx s, idx e) { t.f64.softmax_rows(px + s * cols, py + s * cols, e - s, cols, log); });
  }
  return make_bool(env, true);
}

// clamp(x, lo, hi, out) -> handled
napi_value Clamp(napi_env env, napi_callback_info info) {
  napi_value args[4];
  if (!get_args(env, info, 4, args)) return nullptr;
  Arr x, y;
  if (!get_arr(env, args[0], x) || !get_arr(env, args[3], y)) return nullptr;
  const double lo = get_num(env, args[1]), hi = get_num(env, args[2]);
  if (x.type != y.type || !(x.is_f32() || x.is_f64())) return make_bool(env, false);
  if (y.length < x.length) return range_error(env, "steady_native.clamp: out is shorter than x");
  const EwTable& t = ew_table();
  if (x.is_f32()) {
    const float* px = x.as<float>();
    float* py = y.as<float>();
    parallel_for(x.length, kGrainCheap, [&](idx s, idx e) { t.f32.clamp(px + s, py + s, e - s, float(lo), float(hi)); });
  } else {
    const double* px = x.as<double>();
    double* py = y.as<double>();
    parallel_for(x.length, kGrainCheap, [&](idx s, idx e) { t.f64.clamp(px + s, py + s, e - s, lo, hi); });
  }
  return make_bool(env, true);
}

}  // namespace

napi_value register_fused(napi_env env, napi_value exports);

napi_value register_elementwise(napi_env env, napi_value exports) {
  set_fn(env, exports, "unary", Unary);
  set_fn(env, exports, "binary", Binary);
  set_fn(env, exports, "reduce", Reduce);
  set_fn(env, exports, "softmax", Softmax);
  set_fn(env, exports, "clamp", Clamp);
  register_fused(env, exports);
  return exports;
}

}  // namespace steady
