// N-API entry points of the tensor toolbox (issue 15): the transcendental maps tan … erfinv over
// float32/float64 arrays (libm per element, float32 evaluated in double and rounded once, the
// same as the js kernels), and a stable argsort of lanes (std::stable_sort, NaN last; descending
// keeps ties in order, as PyTorch's sort(stable=True)). Both split their work over the pool.
#include <node_api.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "napi_util.h"
#include "threadpool.h"

namespace steady {
namespace {

// Codes shared with src/backend/native/toolbox.ts (the order of TOOLBOX_UNARY_NAMES).
enum ToolboxUnary : int {
  T_TAN = 0, T_ASIN, T_ACOS, T_ATAN, T_SINH, T_COSH, T_ASINH, T_ACOSH, T_ATANH, T_LOG2, T_LOG10, T_EXP2, T_ERFINV,
  T_COUNT
};

// erf⁻¹: Giles' approximation polished by two Newton steps on erf (the js kernel's algorithm).
double erfinv_scalar(double y) {
  if (std::isnan(y) || y < -1 || y > 1) return NAN;
  if (y == 1) return INFINITY;
  if (y == -1) return -INFINITY;
  if (y == 0) return y;
  double w = -std::log((1 - y) * (1 + y));
  double p;
  if (w < 5) {
    w -= 2.5;
    p = 2.81022636e-8;
    p = 3.43273939e-7 + p * w; p = -3.5233877e-6 + p * w; p = -4.39150654e-6 + p * w; p = 0.00021858087 + p * w;
    p = -0.00125372503 + p * w; p = -0.00417768164 + p * w; p = 0.246640727 + p * w; p = 1.50140941 + p * w;
  } else {
    w = std::sqrt(w) - 3;
    p = -0.000200214257;
    p = 0.000100950558 + p * w; p = 0.00134934322 + p * w; p = -0.00367342844 + p * w; p = 0.00573950773 + p * w;
    p = -0.0076224613 + p * w; p = 0.00943887047 + p * w; p = 1.00167406 + p * w; p = 2.83297682 + p * w;
  }
  double x = p * y;
  for (int i = 0; i < 2; i++) {
    const double dx = (std::erf(x) - y) / (1.1283791670955126 * std::exp(-x * x));
    if (!std::isfinite(dx)) break;
    x -= dx;
  }
  return x;
}

double apply(int op, double v) {
  switch (op) {
    case T_TAN: return std::tan(v);
    case T_ASIN: return std::asin(v);
    case T_ACOS: return std::acos(v);
    case T_ATAN: return std::atan(v);
    case T_SINH: return std::sinh(v);
    case T_COSH: return std::cosh(v);
    case T_ASINH: return std::asinh(v);
    case T_ACOSH: return std::acosh(v);
    case T_ATANH: return std::atanh(v);
    case T_LOG2: return std::log2(v);
    case T_LOG10: return std::log10(v);
    case T_EXP2: return std::exp2(v);
    default: return erfinv_scalar(v);
  }
}

template <class T, int OP>
void map_op(const T* x, T* y, idx n) {
  for (idx i = 0; i < n; i++) y[i] = static_cast<T>(apply(OP, static_cast<double>(x[i])));
}

template <class T>
using MapFn = void (*)(const T*, T*, idx);

template <class T>
MapFn<T> map_fn(int op) {
  static const MapFn<T> table[T_COUNT] = {
    map_op<T, T_TAN>, map_op<T, T_ASIN>, map_op<T, T_ACOS>, map_op<T, T_ATAN>, map_op<T, T_SINH>,
    map_op<T, T_COSH>, map_op<T, T_ASINH>, map_op<T, T_ACOSH>, map_op<T, T_ATANH>, map_op<T, T_LOG2>,
    map_op<T, T_LOG10>, map_op<T, T_EXP2>, map_op<T, T_ERFINV>,
  };
  return table[op];
}

// Work per task below which the pool is not worth waking (elements of a libm call each).
constexpr idx kGrain = idx(1) << 12;

// unaryMath(op, x, out) -> handled
napi_value UnaryMath(napi_env env, napi_callback_info info) {
  napi_value args[3];
  if (!get_args(env, info, 3, args)) return nullptr;
  const int op = static_cast<int>(get_num(env, args[0]));
  Arr x, y;
  if (!get_arr(env, args[1], x) || !get_arr(env, args[2], y)) return nullptr;
  if (op < 0 || op >= T_COUNT || x.type != y.type || !(x.is_f32() || x.is_f64())) return make_bool(env, false);
  if (y.length < x.length) return range_error(env, "steady_native.unaryMath: out is shorter than x");
  if (x.is_f32()) {
    MapFn<float> f = map_fn<float>(op);
    const float* a = x.as<float>();
    float* b = y.as<float>();
    parallel_for(x.length, kGrain, [&](idx s, idx e) { f(a + s, b + s, e - s); });
  } else {
    MapFn<double> f = map_fn<double>(op);
    const double* a = x.as<double>();
    double* b = y.as<double>();
    parallel_for(x.length, kGrain, [&](idx s, idx e) { f(a + s, b + s, e - s); });
  }
  return make_bool(env, true);
}

// Ascending with NaN last (PyTorch's order); integers have no NaN.
template <class T>
inline bool less_nan_last(T a, T b) {
  if (a != a) return false;
  if (b != b) return true;
  return a < b;
}

template <class T>
void argsort_lanes(const T* x, int32_t* out, idx outer, idx len, idx inner, bool descending) {
  const idx lanes = outer * inner;
  parallel_for(lanes, std::max<idx>(1, (idx(1) << 14) / std::max<idx>(len, 1)), [&](idx b, idx e) {
    std::vector<int32_t> idxs(static_cast<std::size_t>(len));
    for (idx lane = b; lane < e; lane++) {
      const idx o = lane / inner, i = lane % inner;
      const T* base = x + o * len * inner + i;
      for (idx j = 0; j < len; j++) idxs[j] = static_cast<int32_t>(j);
      if (descending) {
        std::stable_sort(idxs.begin(), idxs.end(), [&](int32_t p, int32_t q) { return less_nan_last(base[q * inner], base[p * inner]); });
      } else {
        std::stable_sort(idxs.begin(), idxs.end(), [&](int32_t p, int32_t q) { return less_nan_last(base[p * inner], base[q * inner]); });
      }
      int32_t* dst = out + o * len * inner + i;
      for (idx j = 0; j < len; j++) dst[j * inner] = idxs[j];
    }
  });
}

// argsort(x, out, outer, len, inner, descending) -> handled; out is an Int32Array of x's length
napi_value Argsort(napi_env env, napi_callback_info info) {
  napi_value args[6];
  if (!get_args(env, info, 6, args)) return nullptr;
  Arr x, y;
  if (!get_arrs(env, args, x, y)) return nullptr;
  const idx outer = static_cast<idx>(get_num(env, args[2]));
  const idx len = static_cast<idx>(get_num(env, args[3]));
  const idx inner = static_cast<idx>(get_num(env, args[4]));
  const bool descending = get_bool(env, args[5]);
  if (y.type != napi_int32_array || !(x.is_f32() || x.is_f64() || x.type == napi_int32_array)) return make_bool(env, false);
  if (outer < 0 || len < 0 || inner < 0 || len > INT32_MAX) return range_error(env, "steady_native.argsort: bad sizes");
  if (x.length != outer * len * inner || y.length != x.length) return range_error(env, "steady_native.argsort: array lengths do not match the sizes");
  if (x.is_f32()) argsort_lanes(x.as<float>(), y.as<int32_t>(), outer, len, inner, descending);
  else if (x.is_f64()) argsort_lanes(x.as<double>(), y.as<int32_t>(), outer, len, inner, descending);
  else argsort_lanes(x.as<int32_t>(), y.as<int32_t>(), outer, len, inner, descending);
  return make_bool(env, true);
}

}  // namespace

napi_value register_toolbox(napi_env env, napi_value exports) {
  set_fn(env, exports, "unaryMath", UnaryMath);
  set_fn(env, exports, "argsort", Argsort);
  return exports;
}

}  // namespace steady
