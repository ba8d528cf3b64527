// Native pooling over N·C independent H×W planes (float32 / float64), split over planes with the
// thread pool; the semantics are the js kernels' (src/backend/js/pool.ts): max pooling keeps the
// first maximum (NaN wins) and its flat in-plane index, padding never wins; average pooling divides
// by divisorOverride, else the window clipped to the padded input (countIncludePad) or the input.
#include <node_api.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "napi_util.h"
#include "threadpool.h"

namespace steady {
namespace {

struct PoolP {
  idx planes, h, w, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw, include_pad, divisor;
};

template <class T>
void max_pool(const PoolP& p, const T* x, T* y, int32_t* ind) {
  parallel_for(p.planes, 1, [&](idx b, idx e) {
    for (idx pl = b; pl < e; pl++) {
      const T* xp = x + pl * p.h * p.w;
      T* yp = y + pl * p.oh * p.ow;
      int32_t* ip = ind + pl * p.oh * p.ow;
      for (idx i = 0; i < p.oh; i++) {
        for (idx j = 0; j < p.ow; j++) {
          T best = T(0);
          idx at = -1;
          for (idx a = 0; a < p.kh; a++) {
            const idx r = i * p.sh - p.ph + a * p.dh;
            if (r < 0 || r >= p.h) continue;
            for (idx c = 0; c < p.kw; c++) {
              const idx col = j * p.sw - p.pw + c * p.dw;
              if (col < 0 || col >= p.w) continue;
              const T v = xp[r * p.w + col];
              if (at < 0 || v > best || (std::isnan(v) && !std::isnan(best))) { best = v; at = r * p.w + col; }
            }
          }
          yp[i * p.ow + j] = at < 0 ? T(-INFINITY) : best;
          ip[i * p.ow + j] = static_cast<int32_t>(at);
        }
      }
    }
  });
}

// The window [r0, r1) × [c0, c1) clipped to the input, and its divisor.
inline void window(const PoolP& p, idx i, idx j, idx& r0, idx& r1, idx& c0, idx& c1, double& div) {
  r0 = i * p.sh - p.ph, c0 = j * p.sw - p.pw;
  r1 = std::min(r0 + p.kh, p.h + p.ph), c1 = std::min(c0 + p.kw, p.w + p.pw);
  const idx padded = (r1 - r0) * (c1 - c0);
  r0 = std::max<idx>(r0, 0), c0 = std::max<idx>(c0, 0);
  r1 = std::min(r1, p.h), c1 = std::min(c1, p.w);
  div = p.divisor > 0 ? double(p.divisor) : p.include_pad ? double(padded) : double((r1 - r0) * (c1 - c0));
}

template <class T>
void avg_pool(const PoolP& p, const T* x, T* y) {
  parallel_for(p.planes, 1, [&](idx b, idx e) {
    for (idx pl = b; pl < e; pl++) {
      const T* xp = x + pl * p.h * p.w;
      T* yp = y + pl * p.oh * p.ow;
      for (idx i = 0; i < p.oh; i++) {
        for (idx j = 0; j < p.ow; j++) {
          idx r0, r1, c0, c1;
          double div;
          window(p, i, j, r0, r1, c0, c1, div);
          double s = 0;
          for (idx r = r0; r < r1; r++)
            for (idx c = c0; c < c1; c++) s += xp[r * p.w + c];
          yp[i * p.ow + j] = T(s / div);
        }
      }
    }
  });
}

template <class T>
void avg_pool_backward(const PoolP& p, const T* dy, T* dx) {
  parallel_for(p.planes, 1, [&](idx b, idx e) {
    std::vector<double> acc(static_cast<std::size_t>(p.h * p.w));
    for (idx pl = b; pl < e; pl++) {
      std::fill(acc.begin(), acc.end(), 0.0);
      const T* gp = dy + pl * p.oh * p.ow;
      for (idx i = 0; i < p.oh; i++) {
        for (idx j = 0; j < p.ow; j++) {
          idx r0, r1, c0, c1;
          double div;
          window(p, i, j, r0, r1, c0, c1, div);
          const double g = double(gp[i * p.ow + j]) / div;
          for (idx r = r0; r < r1; r++)
            for (idx c = c0; c < c1; c++) acc[r * p.w + c] += g;
        }
      }
      T* dp = dx + pl * p.h * p.w;
      for (idx k = 0; k < p.h * p.w; k++) dp[k] = T(acc[k]);
    }
  });
}

// desc (Int32Array) = [planes, h, w, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw, countIncludePad, divisorOverride]
bool read_pool(napi_env env, napi_value v, PoolP& p) {
  Arr d;
  if (!get_arr(env, v, d) || d.type != napi_int32_array || d.length < 15) return false;
  const int32_t* q = d.as<int32_t>();
  idx* f[] = {&p.planes, &p.h, &p.w, &p.oh, &p.ow, &p.kh, &p.kw, &p.sh, &p.sw, &p.ph, &p.pw, &p.dh, &p.dw, &p.include_pad, &p.divisor};
  for (int i = 0; i < 15; i++) *f[i] = q[i];
  for (int i = 0; i < 15; i++)
    if (*f[i] < 0) return false;
  return p.sh >= 1 && p.sw >= 1 && p.dh >= 1 && p.dw >= 1;
}

// maxPool2d(x, y, indices, desc) -> handled
napi_value MaxPool(napi_env env, napi_callback_info info) {
  napi_value args[4];
  if (!get_args(env, info, 4, args)) return nullptr;
  Arr x, y, ind;
  if (!get_arrs(env, args, x, y, ind)) return nullptr;
  PoolP p{};
  if (!(x.is_f32() || x.is_f64()) || y.type != x.type || ind.type != napi_int32_array || !read_pool(env, args[3], p)) return make_bool(env, false);
  if (x.length < p.planes * p.h * p.w || y.length < p.planes * p.oh * p.ow || ind.length < p.planes * p.oh * p.ow)
    return range_error(env, "steady_native.maxPool2d: an array is shorter than the sizes need");
  if (x.is_f32()) max_pool(p, x.as<float>(), y.as<float>(), ind.as<int32_t>());
  else max_pool(p, x.as<double>(), y.as<double>(), ind.as<int32_t>());
  return make_bool(env, true);
}

// maxPool2dBackward(dy, indices, dx, planes, inPlane, outPlane) -> handled: dx = 0, then
// dx[plane, idx] += dy per output (split over planes); declines (js raises) on an index out of range
napi_value MaxPoolBackward(napi_env env, napi_callback_info info) {
  napi_value args[6];
  if (!get_args(env, info, 6, args)) return nullptr;
  Arr dy, ind, dx;
  if (!get_arrs(env, args, dy, ind, dx)) return nullptr;
  const idx planes = idx(get_num(env, args[3])), in = idx(get_num(env, args[4])), out = idx(get_num(env, args[5]));
  if (!(dy.is_f32() || dy.is_f64()) || dx.type != dy.type || ind.type != napi_int32_array || planes < 0 || in < 0 || out < 0)
    return make_bool(env, false);
  if (dy.length < planes * out || ind.length < planes * out || dx.length < planes * in)
    return range_error(env, "steady_native.maxPool2dBackward: an array is shorter than the sizes need");
  const int32_t* ip = ind.as<int32_t>();
  for (idx k = 0; k < planes * out; k++)
    if (ip[k] < 0 || ip[k] >= in) return make_bool(env, false);
  auto run = [&](auto* g, auto* d) {
    parallel_for(planes, 4, [&](idx b, idx e) {
      for (idx pl = b; pl < e; pl++) {
        auto* dp = d + pl * in;
        for (idx k = 0; k < in; k++) dp[k] = 0;
        const auto* gp = g + pl * out;
        const int32_t* q = ip + pl * out;
        for (idx k = 0; k < out; k++) dp[q[k]] += gp[k];
      }
    });
  };
  if (dy.is_f32()) run(dy.as<float>(), dx.as<float>());
  else run(dy.as<double>(), dx.as<double>());
  return make_bool(env, true);
}

// avgPool2d(x, y, desc) / avgPool2dBackward(dy, dx, desc) -> handled
template <bool backward>
napi_value AvgPool(napi_env env, napi_callback_info info) {
  napi_value args[3];
  if (!get_args(env, info, 3, args)) return nullptr;
  Arr a, b;
  if (!get_arrs(env, args, a, b)) return nullptr;
  PoolP p{};
  if (!(a.is_f32() || a.is_f64()) || b.type != a.type || !read_pool(env, args[2], p)) return make_bool(env, false);
  const idx in = p.planes * p.h * p.w, out = p.planes * p.oh * p.ow;
  if (a.length < (backward ? out : in) || b.length < (backward ? in : out))
    return range_error(env, "steady_native.avgPool2d: an array is shorter than the sizes need");
  if (backward) {
    if (a.is_f32()) avg_pool_backward(p, a.as<float>(), b.as<float>());
    else avg_pool_backward(p, a.as<double>(), b.as<double>());
  } else {
    if (a.is_f32()) avg_pool(p, a.as<float>(), b.as<float>());
    else avg_pool(p, a.as<double>(), b.as<double>());
  }
  return make_bool(env, true);
}

}  // namespace

napi_value register_pool(napi_env env, napi_value exports) {
  set_fn(env, exports, "maxPool2d", MaxPool);
  set_fn(env, exports, "maxPool2dBackward", MaxPoolBackward);
  set_fn(env, exports, "avgPool2d", AvgPool<false>);
  set_fn(env, exports, "avgPool2dBackward", AvgPool<true>);
  return exports;
}

}  // namespace steady
