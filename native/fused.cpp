// N-API entry points of the fused kernels (bias + activation, optimizer steps, LayerNorm forward
// and backward). Formulas are stated in ew_kernels.inc.h next to each kernel and in
// src/backend/native/fused.ts.
#include <node_api.h>

#include <cmath>
#include <vector>

#include "ew_table.h"
#include "napi_util.h"
#include "threadpool.h"

namespace steady {
namespace {

constexpr idx kGrain = idx(1) << 14;

bool same_float(const Arr& a, const Arr& b) { return a.type == b.type && (a.is_f32() || a.is_f64()); }

// An optional typed array argument: null/undefined gives present = false.
bool opt_arr(napi_env env, napi_value v, Arr& out, bool& present) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  present = !(t == napi_null || t == napi_undefined);
  return !present || get_arr(env, v, out);
}

// biasAct(x, bias, out, m, n, act) -> handled
napi_value BiasAct(napi_env env, napi_callback_info info) {
  napi_value args[6];
  if (!get_args(env, info, 6, args)) return nullptr;
  Arr x, b, y;
  if (!get_arrs(env, args, x, b, y)) return nullptr;
  const idx m = static_cast<idx>(get_num(env, args[3])), n = static_cast<idx>(get_num(env, args[4]));
  const int act = static_cast<int>(get_num(env, args[5]));
  if (!same_float(x, b) || !same_float(x, y) || act < 0 || act >= ACT_COUNT || m < 0 || n < 0) return make_bool(env, false);
  if (x.length < m * n || y.length < m * n || b.length < n) return range_error(env, "steady_native.biasAct: arrays too short");
  if (m == 0 || n == 0) return make_bool(env, true);
  const EwTable& t = ew_table();
  const idx grain = max_idx(1, (act == ACT_NONE || act == ACT_RELU ? 2 * kGrain : kGrain / 4) / n);
  if (x.is_f32()) {
    parallel_for(m, grain, [&](idx s, idx e) {
      t.f32.bias_act_rows(x.as<float>() + s * n, b.as<float>(), y.as<float>() + s * n, e - s, n, act);
    });
  } else {
    parallel_for(m, grain, [&](idx s, idx e) {
      t.f64.bias_act_rows(x.as<double>() + s * n, b.as<double>(), y.as<double>() + s * n, e - s, n, act);
    });
  }
  return make_bool(env, true);
}

// adamStep(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step, decoupled) -> handled
napi_value AdamStep(napi_env env, napi_callback_info info) {
  napi_value args[11];
  if (!get_args(env, info, 11, args)) return nullptr;
  Arr p, g, m, v;
  if (!get_arrs(env, args, p, g, m, v)) return nullptr;
  double h[6];
  for (int i = 0; i < 6; i++) h[i] = get_num(env, args[4 + i]);
  const bool decoupled = get_bool(env, args[10]);
  if (!same_float(p, g) || !same_float(p, m) || !same_float(p, v)) return make_bool(env, false);
  const idx n = p.length;
  if (g.length < n || m.length < n || v.length < n) return range_error(env, "steady_native.adamStep: arrays too short");
  const double lr = h[0], b1 = h[1], b2 = h[2], eps = h[3], wd = h[4], step = h[5];
  const double bc1 = 1.0 - std::pow(b1, step), bc2 = 1.0 - std::pow(b2, step);
  const EwTable& t = ew_table();
  parallel_for(n, kGrain, [&](idx s, idx e) {
    if (p.is_f32())
      t.f32.adam(p.as<float>() + s, g.as<float>() + s, m.as<float>() + s, v.as<float>() + s, e - s, lr, b1, b2, eps, wd,
                 bc1, bc2, decoupled);
    else
      t.f64.adam(p.as<double>() + s, g.as<double>() + s, m.as<double>() + s, v.as<double>() + s, e - s, lr, b1, b2, eps,
                 wd, bc1, bc2, decoupled);
  });
  return make_bool(env, true);
}

// sgdStep(param, grad, buf|null, lr, momentum, dampening, nesterov, weightDecay, firstStep) -> handled
napi_value SgdStep(napi_env env, napi_callback_info info) {
  napi_value args[9];
  if (!get_args(env, info, 9, args)) return nullptr;
  Arr p, g, buf;
  bool has_buf = false;
  if (!get_arrs(env, args, p, g) || !opt_arr(env, args[2], buf, has_buf)) return nullptr;
  const double lr = get_num(env, args[3]), momentum = get_num(env, args[4]), dampening = get_num(env, args[5]);
  const bool nesterov = get_bool(env, args[6]);
  const double wd = get_num(env, args[7]);
  const bool first = get_bool(env, args[8]);
  if (!same_float(p, g) || (has_buf && !same_float(p, buf))) return make_bool(env, false);
  const idx n = p.length;
  if (g.length < n || (has_buf && buf.length < n)) return range_error(env, "steady_native.sgdStep: arrays too short");
  if (momentum != 0 && !has_buf) return range_error(env, "steady_native.sgdStep: momentum needs a buffer");
  const EwTable& t = ew_table();
  parallel_for(n, kGrain, [&](idx s, idx e) {
    if (p.is_f32())
      t.f32.sgd(p.as<float>() + s, g.as<float>() + s, has_buf ? buf.as<float>() + s : nullptr, e - s, lr, momentum,
                dampening, nesterov, wd, first);
    else
      t.f64.sgd(p.as<double>() + s, g.as<double>() + s, has_buf ? buf.as<double>() + s : nullptr, e - s, lr, momentum,
                dampening, nesterov, wd, first);
  });
  return make_bool(env, true);
}

// rmspropStep(param, grad, squareAvg, momentumBuf|null, gradAvg|null, lr, alpha, eps, weightDecay, momentum)
napi_value RmspropStep(napi_env env, napi_callback_info info) {
  napi_value args[10];
  if (!get_args(env, info, 10, args)) return nullptr;
  Arr p, g, sq, mb, ga;
  bool has_mb = false, has_ga = false;
  if (!get_arrs(env, args, p, g, sq) || !opt_arr(env, args[3], mb, has_mb) || !opt_arr(env, args[4], ga, has_ga))
    return nullptr;
  const double lr = get_num(env, args[5]), alpha = get_num(env, args[6]), eps = get_num(env, args[7]);
  const double wd = get_num(env, args[8]), momentum = get_num(env, args[9]);
  if (!same_float(p, g) || !same_float(p, sq) || (has_mb && !same_float(p, mb)) || (has_ga && !same_float(p, ga)))
    return make_bool(env, false);
  const idx n = p.length;
  if (g.length < n || sq.length < n || (has_mb && mb.length < n) || (has_ga && ga.length < n))
    return range_error(env, "steady_native.rmspropStep: arrays too short");
  if (momentum > 0 && !has_mb) return range_error(env, "steady_native.rmspropStep: momentum needs a buffer");
  const EwTable& t = ew_table();
  parallel_for(n, kGrain, [&](idx s, idx e) {
    if (p.is_f32())
      t.f32.rmsprop(p.as<float>() + s, g.as<float>() + s, sq.as<float>() + s, has_mb ? mb.as<float>() + s : nullptr,
                    has_ga ? ga.as<float>() + s : nullptr, e - s, lr, alpha, eps, wd, momentum);
    else
      t.f64.rmsprop(p.as<double>() + s, g.as<double>() + s, sq.as<double>() + s, has_mb ? mb.as<double>() + s : nullptr,
                    has_ga ? ga.as<double>() + s : nullptr, e - s, lr, alpha, eps, wd, momentum);
  });
  return make_bool(env, true);
}

// layerNormForward(x, gamma|null, beta|null, out, mean, rstd, m, n, eps) -> handled
napi_value LayerNormForward(napi_env env, napi_callback_info info) {
  napi_value args[9];
  if (!get_args(env, info, 9, args)) return nullptr;
  Arr x, ga, be, y, mean, rstd;
  bool has_g = false, has_b = false;
  if (!get_arr(env, args[0], x) || !opt_arr(env, args[1], ga, has_g) || !opt_arr(env, args[2], be, has_b) ||
      !get_arr(env, args[3], y) || !get_arr(env, args[4], mean) || !get_arr(env, args[5], rstd))
    return nullptr;
  const idx m = static_cast<idx>(get_num(env, args[6])), n = static_cast<idx>(get_num(env, args[7]));
  const double eps = get_num(env, args[8]);
  if (!same_float(x, y) || !same_float(x, mean) || !same_float(x, rstd) || (has_g && !same_float(x, ga)) ||
      (has_b && !same_float(x, be)) || m < 0 || n < 1)
    return make_bool(env, false);
  if (x.length < m * n || y.length < m * n || mean.length < m || rstd.length < m || (has_g && ga.length < n) ||
      (has_b && be.length < n))
    return range_error(env, "steady_native.layerNormForward: arrays too short");
  const EwTable& t = ew_table();
  parallel_for(m, max_idx(1, kGrain / n), [&](idx s, idx e) {
    if (x.is_f32())
      t.f32.layernorm_fwd_rows(x.as<float>() + s * n, has_g ? ga.as<float>() : nullptr, has_b ? be.as<float>() : nullptr,
                               y.as<float>() + s * n, mean.as<float>() + s, rstd.as<float>() + s, e - s, n, eps);
    else
      t.f64.layernorm_fwd_rows(x.as<double>() + s * n, has_g ? ga.as<double>() : nullptr,
                               has_b ? be.as<double>() : nullptr, y.as<double>() + s * n, mean.as<double>() + s,
                               rstd.as<double>() + s, e - s, n, eps);
  });
  return make_bool(env, true);
}

// dgamma[j] = Σ_r dy[r,j]·x̂[r,j], dbeta[j] = Σ_r dy[r,j] (float64 accumulation, columns split
// over threads).
template <class T>
void layernorm_param_grads(const T* dy, const T* x, const T* mean, const T* rstd, T* dgamma, T* dbeta, idx m, idx n) {
  parallel_for(n, max_idx(64, kGrain / max_idx(m, 1)), [&](idx s, idx e) {
    std::vector<double> acc_g(dgamma ? e - s : 0, 0.0), acc_b(dbeta ? e - s : 0, 0.0);
    for (idx r = 0; r < m; r++) {
      const T* dyr = dy + r * n;
      const T* xr = x + r * n;
      const double mu = double(mean[r]), rs = double(rstd[r]);
      if (dgamma)
        for (idx j = s; j < e; j++) acc_g[j - s] += double(dyr[j]) * ((double(xr[j]) - mu) * rs);
      if (dbeta)
        for (idx j = s; j < e; j++) acc_b[j - s] += double(dyr[j]);
    }
    if (dgamma)
      for (idx j = s; j < e; j++) dgamma[j] = T(acc_g[j - s]);
    if (dbeta)
      for (idx j = s; j < e; j++) dbeta[j] = T(acc_b[j - s]);
  });
}

// layerNormBackward(dy, x, mean, rstd, gamma|null, dx, dgamma|null, dbeta|null, m, n) -> handled
napi_value LayerNormBackward(napi_env env, napi_callback_info info) {
  napi_value args[10];
  if (!get_args(env, info, 10, args)) return nullptr;
  Arr dy, x, mean, rstd, ga, dx, dg, db;
  bool has_g = false, has_dg = false, has_db = false;
  if (!get_arrs(env, args, dy, x, mean, rstd) || !opt_arr(env, args[4], ga, has_g) || !get_arr(env, args[5], dx) ||
      !opt_arr(env, args[6], dg, has_dg) || !opt_arr(env, args[7], db, has_db))
    return nullptr;
  const idx m = static_cast<idx>(get_num(env, args[8])), n = static_cast<idx>(get_num(env, args[9]));
  if (!same_float(x, dy) || !same_float(x, mean) || !same_float(x, rstd) || !same_float(x, dx) ||
      (has_g && !same_float(x, ga)) || (has_dg && !same_float(x, dg)) || (has_db && !same_float(x, db)) || m < 0 || n < 1)
    return make_bool(env, false);
  if (x.length < m * n || dy.length < m * n || dx.length < m * n || mean.length < m || rstd.length < m ||
      (has_g && ga.length < n) || (has_dg && dg.length < n) || (has_db && db.length < n))
    return range_error(env, "steady_native.layerNormBackward: arrays too short");
  const EwTable& t = ew_table();
  parallel_for(m, max_idx(1, kGrain / n), [&](idx s, idx e) {
    if (x.is_f32())
      t.f32.layernorm_bwd_rows(dy.as<float>() + s * n, x.as<float>() + s * n, mean.as<float>() + s, rstd.as<float>() + s,
                               has_g ? ga.as<float>() : nullptr, dx.as<float>() + s * n, e - s, n);
    else
      t.f64.layernorm_bwd_rows(dy.as<double>() + s * n, x.as<double>() + s * n, mean.as<double>() + s,
                               rstd.as<double>() + s, has_g ? ga.as<double>() : nullptr, dx.as<double>() + s * n, e - s, n);
  });
  if (has_dg || has_db) {
    if (x.is_f32())
      layernorm_param_grads(dy.as<float>(), x.as<float>(), mean.as<float>(), rstd.as<float>(),
                            has_dg ? dg.as<float>() : nullptr, has_db ? db.as<float>() : nullptr, m, n);
    else
      layernorm_param_grads(dy.as<double>(), x.as<double>(), mean.as<double>(), rstd.as<double>(),
                            has_dg ? dg.as<double>() : nullptr, has_db ? db.as<double>() : nullptr, m, n);
  }
  return make_bool(env, true);
}

// tensorStats(x, ref|null, center, threshold, out Float64Array[7]) -> handled. Blocks of kStatsBlock
// elements are reduced in parallel and combined in block order (the same result on any thread count).
constexpr idx kStatsBlock = idx(1) << 16;
napi_value TensorStats(napi_env env, napi_callback_info info) {
  napi_value args[5];
  if (!get_args(env, info, 5, args)) return nullptr;
  Arr x, ref, out;
  bool has_ref = false;
  if (!get_arr(env, args[0], x) || !opt_arr(env, args[1], ref, has_ref) || !get_arr(env, args[4], out)) return nullptr;
  const double center = get_num(env, args[2]), thr = get_num(env, args[3]);
  if (!(x.is_f32() || x.is_f64()) || (has_ref && ref.type != x.type) || !out.is_f64()) return make_bool(env, false);
  const idx n = x.length;
  if ((has_ref && ref.length < n) || out.length < 7) return range_error(env, "steady_native.tensorStats: arrays too short");
  const EwTable& t = ew_table();
  const idx nb = max_idx(1, (n + kStatsBlock - 1) / kStatsBlock);
  std::vector<double> part(static_cast<std::size_t>(7 * nb));
  auto run = [&](idx b) {
    const idx s = b * kStatsBlock, len = n - s < kStatsBlock ? n - s : kStatsBlock;
    double* o = part.data() + 7 * b;
    if (x.is_f32())
      t.f32.tensor_stats(x.as<float>() + s, has_ref ? ref.as<float>() + s : nullptr, len, center, thr, o);
    else
      t.f64.tensor_stats(x.as<double>() + s, has_ref ? ref.as<double>() + s : nullptr, len, center, thr, o);
  };
  if (nb == 1) run(0);
  else parallel_for(nb, 1, [&](idx s, idx e) { for (idx b = s; b < e; b++) run(b); });
  double* r = out.as<double>();
  for (int k = 0; k < 7; k++) r[k] = part[k];
  for (idx b = 1; b < nb; b++) {
    const double* o = part.data() + 7 * b;
    r[0] += o[0];
    r[1] += o[1];
    r[2] += o[2];
    r[5] += o[5];
    r[6] += o[6];
    const bool nan = r[3] != r[3] || o[3] != o[3];
    r[3] = nan ? o[3] + r[3] : (o[3] < r[3] ? o[3] : r[3]);
    r[4] = nan ? o[4] + r[4] : (o[4] > r[4] ? o[4] : r[4]);
  }
  return make_bool(env, true);
}

// The pointwise part of an LSTM step (formulas in src/backend/js/rnn-cell.ts, the reference):
// the gate activations through the ISA table's vectorized sigmoid/tanh, the cell update in plain
// loops the compiler vectorizes. Rows of gates [B, 4H] (blocks i, f, g, o) are split over threads.
template <class T>
void lstm_fwd_rows(const EwKernels<T>& k, const T* gates, const T* c, T* hc, T* acts, idx s, idx e, idx B, idx H) {
  std::vector<T> t(static_cast<std::size_t>(H));
  for (idx b = s; b < e; b++) {
    const T* g = gates + b * 4 * H;
    T* a = acts + b * 4 * H;
    k.unary[U_SIGMOID](g, a, 2 * H);
    k.unary[U_TANH](g + 2 * H, a + 2 * H, H);
    k.unary[U_SIGMOID](g + 3 * H, a + 3 * H, H);
    const T* cp = c + b * H;
    T* h = hc + b * H;
    T* c2 = hc + B * H + b * H;
    for (idx j = 0; j < H; j++) c2[j] = a[H + j] * cp[j] + a[j] * a[2 * H + j];
    k.unary[U_TANH](c2, t.data(), H);
    for (idx j = 0; j < H; j++) h[j] = a[3 * H + j] * t[j];
  }
}

template <class T>
void lstm_bwd_rows(const EwKernels<T>& k, const T* dy, const T* c, const T* acts, const T* hc, T* dg, T* dc, idx s, idx e,
                   idx B, idx H) {
  std::vector<T> t(static_cast<std::size_t>(H));
  for (idx b = s; b < e; b++) {
    k.unary[U_TANH](hc + B * H + b * H, t.data(), H);
    const T* a = acts + b * 4 * H;
    const T* cp = c + b * H;
    const T* dh = dy + b * H;
    const T* dco = dy + B * H + b * H;
    T* d = dg + b * 4 * H;
    T* dcp = dc + b * H;
    for (idx j = 0; j < H; j++) {
      const T i = a[j], f = a[H + j], g = a[2 * H + j], o = a[3 * H + j], tj = t[j];
      const T dct = dco[j] + dh[j] * o * (T(1) - tj * tj);
      d[j] = dct * g * i * (T(1) - i);
      d[H + j] = dct * cp[j] * f * (T(1) - f);
      d[2 * H + j] = dct * i * (T(1) - g * g);
      d[3 * H + j] = dh[j] * tj * o * (T(1) - o);
      dcp[j] = dct * f;
    }
  }
}

// lstmCellForward(gates, c, hc, acts, B, H) -> handled
napi_value LstmCellForward(napi_env env, napi_callback_info info) {
  napi_value args[6];
  if (!get_args(env, info, 6, args)) return nullptr;
  Arr gates, c, hc, acts;
  if (!get_arrs(env, args, gates, c, hc, acts)) return nullptr;
  const idx B = static_cast<idx>(get_num(env, args[4])), H = static_cast<idx>(get_num(env, args[5]));
  if (!same_float(gates, c) || !same_float(gates, hc) || !same_float(gates, acts) || B < 0 || H < 1) return make_bool(env, false);
  if (gates.length < 4 * B * H || c.length < B * H || hc.length < 2 * B * H || acts.length < 4 * B * H)
    return range_error(env, "steady_native.lstmCellForward: arrays too short");
  const EwTable& t = ew_table();
  parallel_for(B, max_idx(1, kGrain / (8 * H)), [&](idx s, idx e) {
    if (gates.is_f32())
      lstm_fwd_rows(t.f32, gates.as<float>(), c.as<float>(), hc.as<float>(), acts.as<float>(), s, e, B, H);
    else
      lstm_fwd_rows(t.f64, gates.as<double>(), c.as<double>(), hc.as<double>(), acts.as<double>(), s, e, B, H);
  });
  return make_bool(env, true);
}

// lstmCellBackward(dy, c, acts, hc, dgates, dc, B, H) -> handled
napi_value LstmCellBackward(napi_env env, napi_callback_info info) {
  napi_value args[8];
  if (!get_args(env, info, 8, args)) return nullptr;
  Arr dy, c, acts, hc, dg, dc;
  if (!get_arrs(env, args, dy, c, acts, hc) || !get_arr(env, args[4], dg) || !get_arr(env, args[5], dc)) return nullptr;
  const idx B = static_cast<idx>(get_num(env, args[6])), H = static_cast<idx>(get_num(env, args[7]));
  if (!same_float(dy, c) || !same_float(dy, acts) || !same_float(dy, hc) || !same_float(dy, dg) || !same_float(dy, dc) || B < 0 ||
      H < 1)
    return make_bool(env, false);
  if (dy.length < 2 * B * H || c.length < B * H || acts.length < 4 * B * H || hc.length < 2 * B * H || dg.length < 4 * B * H ||
      dc.length < B * H)
    return range_error(env, "steady_native.lstmCellBackward: arrays too short");
  const EwTable& t = ew_table();
  parallel_for(B, max_idx(1, kGrain / (8 * H)), [&](idx s, idx e) {
    if (dy.is_f32())
      lstm_bwd_rows(t.f32, dy.as<float>(), c.as<float>(), acts.as<float>(), hc.as<float>(), dg.as<float>(), dc.as<float>(), s, e,
                    B, H);
    else
      lstm_bwd_rows(t.f64, dy.as<double>(), c.as<double>(), acts.as<double>(), hc.as<double>(), dg.as<double>(),
                    dc.as<double>(), s, e, B, H);
  });
  return make_bool(env, true);
}

// The pointwise part of a GRU step (formulas in src/backend/js/rnn-cell.ts): gi, gh [B, 3H] (blocks
// r, z, n), h [B, H] → out [B, H], acts [B, 3H] (r, z, n).
template <class T>
void gru_fwd_rows(const EwKernels<T>& k, const T* gi, const T* gh, const T* h, T* out, T* acts, idx s, idx e, idx H) {
  // the unary kernels take __restrict operands: pre-activations go through a separate buffer
  std::vector<T> pre(static_cast<std::size_t>(3 * H));
  for (idx b = s; b < e; b++) {
    const T* x = gi + b * 3 * H;
    const T* y = gh + b * 3 * H;
    T* a = acts + b * 3 * H;
    for (idx j = 0; j < 2 * H; j++) pre[j] = x[j] + y[j];
    k.unary[U_SIGMOID](pre.data(), a, 2 * H);
    for (idx j = 0; j < H; j++) pre[2 * H + j] = x[2 * H + j] + a[j] * y[2 * H + j];
    k.unary[U_TANH](pre.data() + 2 * H, a + 2 * H, H);
    const T* hp = h + b * H;
    T* o = out + b * H;
    for (idx j = 0; j < H; j++) o[j] = a[2 * H + j] + a[H + j] * (hp[j] - a[2 * H + j]);
  }
}

template <class T>
void gru_bwd_rows(const T* dy, const T* gh, const T* h, const T* acts, T* dgi, T* dgh, T* dh, idx s, idx e, idx H) {
  for (idx b = s; b < e; b++) {
    const T* a = acts + b * 3 * H;
    const T* y = gh + b * 3 * H;
    const T* hp = h + b * H;
    const T* g = dy + b * H;
    T* di = dgi + b * 3 * H;
    T* dg = dgh + b * 3 * H;
    T* dhp = dh + b * H;
    for (idx j = 0; j < H; j++) {
      const T r = a[j], z = a[H + j], n = a[2 * H + j];
      const T dz = g[j] * (hp[j] - n) * z * (T(1) - z);
      const T dn = g[j] * (T(1) - z) * (T(1) - n * n);
      const T dr = dn * y[2 * H + j] * r * (T(1) - r);
      di[j] = dr;
      di[H + j] = dz;
      di[2 * H + j] = dn;
      dg[j] = dr;
      dg[H + j] = dz;
      dg[2 * H + j] = dn * r;
      dhp[j] = g[j] * z;
    }
  }
}

// gruCellForward(gi, gh, h, out, acts, B, H) -> handled
napi_value GruCellForward(napi_env env, napi_callback_info info) {
  napi_value args[7];
  if (!get_args(env, info, 7, args)) return nullptr;
  Arr gi, gh, h, out, acts;
  if (!get_arrs(env, args, gi, gh, h, out) || !get_arr(env, args[4], acts)) return nullptr;
  const idx B = static_cast<idx>(get_num(env, args[5])), H = static_cast<idx>(get_num(env, args[6]));
  if (!same_float(h, gi) || !same_float(h, gh) || !same_float(h, out) || !same_float(h, acts) || B < 0 || H < 1)
    return make_bool(env, false);
  if (gi.length < 3 * B * H || gh.length < 3 * B * H || h.length < B * H || out.length < B * H || acts.length < 3 * B * H)
    return range_error(env, "steady_native.gruCellForward: arrays too short");
  const EwTable& t = ew_table();
  parallel_for(B, max_idx(1, kGrain / (6 * H)), [&](idx s, idx e) {
    if (h.is_f32())
      gru_fwd_rows(t.f32, gi.as<float>(), gh.as<float>(), h.as<float>(), out.as<float>(), acts.as<float>(), s, e, H);
    else
      gru_fwd_rows(t.f64, gi.as<double>(), gh.as<double>(), h.as<double>(), out.as<double>(), acts.as<double>(), s, e, H);
  });
  return make_bool(env, true);
}

// gruCellBackward(dy, gh, h, acts, dgi, dgh, dh, B, H) -> handled
napi_value GruCellBackward(napi_env env, napi_callback_info info) {
  napi_value args[9];
  if (!get_args(env, info, 9, args)) return nullptr;
  Arr dy, gh, h, acts, dgi, dgh, dh;
  if (!get_arrs(env, args, dy, gh, h, acts) || !get_arr(env, args[4], dgi) || !get_arr(env, args[5], dgh) ||
      !get_arr(env, args[6], dh))
    return nullptr;
  const idx B = static_cast<idx>(get_num(env, args[7])), H = static_cast<idx>(get_num(env, args[8]));
  if (!same_float(dy, gh) || !same_float(dy, h) || !same_float(dy, acts) || !same_float(dy, dgi) || !same_float(dy, dgh) ||
      !same_float(dy, dh) || B < 0 || H < 1)
    return make_bool(env, false);
  if (dy.length < B * H || gh.length < 3 * B * H || h.length < B * H || acts.length < 3 * B * H || dgi.length < 3 * B * H ||
      dgh.length < 3 * B * H || dh.length < B * H)
    return range_error(env, "steady_native.gruCellBackward: arrays too short");
  parallel_for(B, max_idx(1, kGrain / (6 * H)), [&](idx s, idx e) {
    if (dy.is_f32())
      gru_bwd_rows(dy.as<float>(), gh.as<float>(), h.as<float>(), acts.as<float>(), dgi.as<float>(), dgh.as<float>(),
                   dh.as<float>(), s, e, H);
    else
      gru_bwd_rows(dy.as<double>(), gh.as<double>(), h.as<double>(), acts.as<double>(), dgi.as<double>(), dgh.as<double>(),
                   dh.as<double>(), s, e, H);
  });
  return make_bool(env, true);
}

}  // namespace

napi_value register_fused(napi_env env, napi_value exports) {
  set_fn(env, exports, "biasAct", BiasAct);
  set_fn(env, exports, "adamStep", AdamStep);
  set_fn(env, exports, "sgdStep", SgdStep);
  set_fn(env, exports, "rmspropStep", RmspropStep);
  set_fn(env, exports, "layerNormForward", LayerNormForward);
  set_fn(env, exports, "layerNormBackward", LayerNormBackward);
  set_fn(env, exports, "tensorStats", TensorStats);
  set_fn(env, exports, "lstmCellForward", LstmCellForward);
  set_fn(env, exports, "lstmCellBackward", LstmCellBackward);
  set_fn(env, exports, "gruCellForward", GruCellForward);
  set_fn(env, exports, "gruCellBackward", GruCellBackward);
  return exports;
}

}  // namespace steady
