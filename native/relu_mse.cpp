// ReLU's backward from its output and the MSE loss forward and backward (src/backend/js/relu-mse.ts
// is the reference; backend.ts states the formulas): the array kernels, their N-API entry points
// and the split over the thread pool. The loops are branch-free selects and straight arithmetic
// so the compiler vectorizes them (memory-bound: the baseline ISA's vectors saturate bandwidth).
#include <node_api.h>

#include <vector>

#include "napi_util.h"
#include "threadpool.h"

namespace steady {
namespace {

// Elements per task below which the pool is not worth waking (as elementwise.cpp's cheap ops).
constexpr idx kGrain = idx(1) << 15;
// The MSE sum is taken in fixed blocks whose partial sums are added in order, so the result does
// not depend on the number of threads.
constexpr idx kBlock = idx(1) << 13;

enum Reduction : int { RED_NONE = 0, RED_SUM = 1, RED_MEAN = 2 };

template <class T>
void relu_backward(const T* __restrict g, const T* __restrict y, T* __restrict out, idx n) {
  for (idx i = 0; i < n; i++) {
    // both loads unconditional, so the select vectorizes; y <= 0 (not !(y > 0)): NaN passes g
    const T gv = g[i], yv = y[i];
    out[i] = yv <= T(0) ? T(0) : gv;
  }
}

template <class T>
void sq_err(const T* __restrict x, const T* __restrict t, T* __restrict out, idx n) {
  for (idx i = 0; i < n; i++) {
    const T d = x[i] - t[i];
    out[i] = d * d;
  }
}

// Σ (x − t)² of one block: d and d² rounded to T (as the composite's kernels round them), the sum
// in float64 over four interleaved accumulators.
template <class T>
double sq_err_sum(const T* __restrict x, const T* __restrict t, idx n) {
  double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  idx i = 0;
  for (; i + 4 <= n; i += 4) {
    const T d0 = x[i] - t[i], d1 = x[i + 1] - t[i + 1], d2 = x[i + 2] - t[i + 2], d3 = x[i + 3] - t[i + 3];
    const T q0 = d0 * d0, q1 = d1 * d1, q2 = d2 * d2, q3 = d3 * d3;
    a0 += double(q0);
    a1 += double(q1);
    a2 += double(q2);
    a3 += double(q3);
  }
  for (; i < n; i++) {
    const T d = x[i] - t[i];
    const T q = d * d;
    a0 += double(q);
  }
  return (a0 + a1) + (a2 + a3);
}

// dx = c·(2d), dt = −dx; c = cs (scalar) or g[i] (g non-null, "none").
template <class T>
void sq_err_backward(const T* __restrict g, T cs, const T* __restrict x, const T* __restrict t, T* __restrict dx,
                     T* __restrict dt, idx n) {
  for (idx i = 0; i < n; i++) {
    const T c = g ? g[i] : cs;
    const T v = c * ((x[i] - t[i]) * T(2));
    if (dx) dx[i] = v;
    if (dt) dt[i] = -v;
  }
}

template <class T>
bool overlaps(const Arr& a, const Arr& b) {
  const T* p = a.as<T>();
  const T* q = b.as<T>();
  return a.length > 0 && b.length > 0 && p < q + b.length && q < p + a.length;
}

bool same_float(const Arr& a, const Arr& b) { return a.type == b.type && (a.is_f32() || a.is_f64()); }

// An optional typed array argument: null/undefined gives present = false.
bool opt_arr(napi_env env, napi_value v, Arr& out, bool& present) {
  napi_valuetype ty;
  napi_typeof(env, v, &ty);
  present = !(ty == napi_null || ty == napi_undefined);
  return !present || get_arr(env, v, out);
}

template <class T>
void run_relu_backward(const Arr& g, const Arr& y, const Arr& o) {
  const T* pg = g.as<T>();
  const T* py = y.as<T>();
  T* po = o.as<T>();
  parallel_for(y.length, kGrain, [&](idx s, idx e) { relu_backward(pg + s, py + s, po + s, e - s); });
}

// reluBackward(g, y, out) -> handled
napi_value ReluBackward(napi_env env, napi_callback_info info) {
  napi_value args[3];
  if (!get_args(env, info, 3, args)) return nullptr;
  Arr g, y, o;
  if (!get_arrs(env, args, g, y, o)) return nullptr;
  if (!same_float(g, y) || !same_float(g, o) || g.length != y.length || o.length != y.length) return make_bool(env, false);
  // the kernel declares its arrays __restrict: an in-place call goes to the js kernel
  if (g.is_f32() ? overlaps<float>(o, g) || overlaps<float>(o, y) : overlaps<double>(o, g) || overlaps<double>(o, y))
    return make_bool(env, false);
  if (g.is_f32()) run_relu_backward<float>(g, y, o);
  else run_relu_backward<double>(g, y, o);
  return make_bool(env, true);
}

template <class T>
void run_mse(const Arr& x, const Arr& t, const Arr& o, int red) {
  const T* px = x.as<T>();
  const T* pt = t.as<T>();
  T* po = o.as<T>();
  const idx n = x.length;
  if (red == RED_NONE) {
    parallel_for(n, kGrain, [&](idx s, idx e) { sq_err(px + s, pt + s, po + s, e - s); });
    return;
  }
  const idx blocks = (n + kBlock - 1) / kBlock;
  std::vector<double> part(static_cast<std::size_t>(blocks), 0.0);
  parallel_for(blocks, max_idx(1, kGrain / kBlock), [&](idx b0, idx b1) {
    for (idx b = b0; b < b1; b++) part[b] = sq_err_sum(px + b * kBlock, pt + b * kBlock, min_idx(kBlock, n - b * kBlock));
  });
  double s = 0;
  for (double p : part) s += p;
  // the mean divides the sum rounded to T, as sum-then-divide does (0/0 = NaN for an empty input)
  po[0] = red == RED_SUM ? T(s) : T(double(T(s)) / double(n));
}

// mseLoss(x, t, out, reduction: 0 none | 1 sum | 2 mean) -> handled
napi_value MseLoss(napi_env env, napi_callback_info info) {
  napi_value args[4];
  if (!get_args(env, info, 4, args)) return nullptr;
  Arr x, t, o;
  if (!get_arrs(env, args, x, t, o)) return nullptr;
  const int red = static_cast<int>(get_num(env, args[3]));
  if (!same_float(x, t) || !same_float(x, o) || x.length != t.length || red < RED_NONE || red > RED_MEAN) return make_bool(env, false);
  if (o.length != (red == RED_NONE ? x.length : 1)) return make_bool(env, false);
  if (red == RED_NONE && (x.is_f32() ? overlaps<float>(o, x) || overlaps<float>(o, t) : overlaps<double>(o, x) || overlaps<double>(o, t)))
    return make_bool(env, false);
  if (x.is_f32()) run_mse<float>(x, t, o, red);
  else run_mse<double>(x, t, o, red);
  return make_bool(env, true);
}

template <class T>
void run_mse_backward(const Arr& g, const Arr& x, const Arr& t, const Arr* dx, const Arr* dt, int red) {
  const idx n = x.length;
  const T* pg = red == RED_NONE ? g.as<T>() : nullptr;
  // c for mean: g/n rounded to T (the composite's div); the quotient in float64 then one rounding
  const T cs = red == RED_NONE ? T(0) : red == RED_SUM ? g.as<T>()[0] : T(double(g.as<T>()[0]) / double(n));
  const T* px = x.as<T>();
  const T* pt = t.as<T>();
  T* pdx = dx ? dx->as<T>() : nullptr;
  T* pdt = dt ? dt->as<T>() : nullptr;
  parallel_for(n, kGrain, [&](idx s, idx e) {
    sq_err_backward(pg ? pg + s : nullptr, cs, px + s, pt + s, pdx ? pdx + s : nullptr, pdt ? pdt + s : nullptr, e - s);
  });
}

template <class T>
bool any_overlap(const Arr& g, const Arr& x, const Arr& t, const Arr* dx, const Arr* dt) {
  for (const Arr* o : {dx, dt}) {
    if (o && (overlaps<T>(*o, g) || overlaps<T>(*o, x) || overlaps<T>(*o, t))) return true;
  }
  return dx && dt && overlaps<T>(*dx, *dt);
}

// mseLossBackward(g, x, t, dx|null, dt|null, reduction) -> handled
napi_value MseLossBackward(napi_env env, napi_callback_info info) {
  napi_value args[6];
  if (!get_args(env, info, 6, args)) return nullptr;
  Arr g, x, t, dx, dt;
  bool has_dx = false, has_dt = false;
  if (!get_arrs(env, args, g, x, t) || !opt_arr(env, args[3], dx, has_dx) || !opt_arr(env, args[4], dt, has_dt)) return nullptr;
  const int red = static_cast<int>(get_num(env, args[5]));
  if (!same_float(g, x) || !same_float(x, t) || x.length != t.length || red < RED_NONE || red > RED_MEAN) return make_bool(env, false);
  if (g.length != (red == RED_NONE ? x.length : 1)) return make_bool(env, false);
  if ((has_dx && (!same_float(x, dx) || dx.length != x.length)) || (has_dt && (!same_float(x, dt) || dt.length != x.length)))
    return make_bool(env, false);
  const Arr* pdx = has_dx ? &dx : nullptr;
  const Arr* pdt = has_dt ? &dt : nullptr;
  if (x.is_f32() ? any_overlap<float>(g, x, t, pdx, pdt) : any_overlap<double>(g, x, t, pdx, pdt)) return make_bool(env, false);
  if (x.is_f32()) run_mse_backward<float>(g, x, t, pdx, pdt, red);
  else run_mse_backward<double>(g, x, t, pdx, pdt, red);
  return make_bool(env, true);
}

}  // namespace

napi_value register_relu_mse(napi_env env, napi_value exports) {
  set_fn(env, exports, "reluBackward", ReluBackward);
  set_fn(env, exports, "mseLoss", MseLoss);
  set_fn(env, exports, "mseLossBackward", MseLossBackward);
  return exports;
}

}  // namespace steady
