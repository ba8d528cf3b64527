// N-API entry points of the attention kernels: argument checks, the per-ISA table and the split over
// the thread pool (forward: one task per (batch, head, block of kAttnBQ query rows); backward: one
// task per (batch, head), which owns that head's rows of dq, dk and dv). The kernels themselves are
// in attention_kernels.inc.h.
#include <node_api.h>

#include <initializer_list>

#include "attention.h"
#include "napi_util.h"
#include "threadpool.h"

namespace steady {
namespace {

const AttnKernels& attn_kernels() {
#if STEADY_X86
  if (active_isa() == Isa::avx512) return attn_kernels_avx512();
  if (active_isa() != Isa::scalar) return attn_kernels_avx2();
#endif
  return attn_kernels_base();
}

// desc (Float64Array) = [B, H, L, S, E, Ev, q(offset, batch, head, row), k(4), v(4), out(4), scale,
// causal, maskKind (0 none, 1 bool, 2 additive), mask strides (batch, head, query, key)].
constexpr idx kDescLen = 29;

bool read_call(napi_env env, napi_value v, AttnCall& c) {
  Arr d;
  if (!get_arr(env, v, d) || !d.is_f64() || d.length < kDescLen) return false;
  const double* p = d.as<double>();
  for (int i = 0; i < kDescLen; i++)
    if (!(p[i] == p[i])) return false;
  c.B = idx(p[0]), c.H = idx(p[1]), c.L = idx(p[2]), c.S = idx(p[3]), c.E = idx(p[4]), c.Ev = idx(p[5]);
  AttnLayout* ls[4] = {&c.q, &c.k, &c.v, &c.o};
  for (int t = 0; t < 4; t++) *ls[t] = AttnLayout{idx(p[6 + 4 * t]), idx(p[7 + 4 * t]), idx(p[8 + 4 * t]), idx(p[9 + 4 * t])};
  c.scale = p[22];
  c.causal = p[23] != 0;
  c.mask_kind = int(p[24]);
  for (int t = 0; t < 4; t++) c.ms[t] = idx(p[25 + t]);
  if (c.B < 0 || c.H < 0 || c.L < 0 || c.S < 0 || c.E < 0 || c.Ev < 0 || c.mask_kind < 0 || c.mask_kind > 2) return false;
  for (int t = 0; t < 4; t++) {
    const AttnLayout& l = *ls[t];
    if (l.offset < 0 || l.batch < 0 || l.head < 0 || l.row < 0) return false;
  }
  for (int t = 0; t < 4; t++)
    if (c.ms[t] < 0) return false;
  return true;
}

// One past the last element a layout reaches for `rows` rows of `cols` features (0 if empty).
idx extent(const AttnCall& c, const AttnLayout& l, idx rows, idx cols) {
  if (c.B == 0 || c.H == 0 || rows == 0 || cols == 0) return 0;
  return l.offset + (c.B - 1) * l.batch + (c.H - 1) * l.head + (rows - 1) * l.row + cols;
}

idx mask_extent(const AttnCall& c) {
  if (c.B == 0 || c.H == 0 || c.L == 0 || c.S == 0) return 0;
  return (c.B - 1) * c.ms[0] + (c.H - 1) * c.ms[1] + (c.L - 1) * c.ms[2] + (c.S - 1) * c.ms[3] + 1;
}

// Whether the mask argument fits the call: null for no mask, Uint8Array for bool, q's type for additive.
bool mask_ok(napi_env env, napi_value v, const Arr& q, AttnCall& c, Arr& m) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t == napi_null || t == napi_undefined) {
    c.mp = nullptr;
    return c.mask_kind == ATTN_MASK_NONE;
  }
  if (c.mask_kind == ATTN_MASK_NONE || !get_arr(env, v, m)) return false;
  if (c.mask_kind == ATTN_MASK_BOOL ? m.type != napi_uint8_array : m.type != q.type) return false;
  c.mp = m.data;
  return true;
}

// attentionForward(q, k, v, mask | null, out, lse, desc) -> handled
napi_value AttentionForward(napi_env env, napi_callback_info info) {
  napi_value args[7];
  if (!get_args(env, info, 7, args)) return nullptr;
  Arr q, k, v, o, lse, m;
  if (!get_arr(env, args[0], q) || !get_arr(env, args[1], k) || !get_arr(env, args[2], v) || !get_arr(env, args[4], o) ||
      !get_arr(env, args[5], lse))
    return nullptr;
  AttnCall c{};
  if (!(q.is_f32() || q.is_f64()) || k.type != q.type || v.type != q.type || o.type != q.type || lse.type != q.type ||
      !read_call(env, args[6], c) || !mask_ok(env, args[3], q, c, m))
    return make_bool(env, false);
  if (extent(c, c.q, c.L, c.E) > q.length || extent(c, c.k, c.S, c.E) > k.length || extent(c, c.v, c.S, c.Ev) > v.length ||
      extent(c, c.o, c.L, c.Ev) > o.length || c.B * c.H * c.L > lse.length || (c.mp && mask_extent(c) > m.length))
    return range_error(env, "steady_native.attentionForward: an array is shorter than the sizes and strides need");
  c.qp = q.data, c.kp = k.data, c.vp = v.data, c.op = o.data, c.lsep = lse.data;
  const idx qblocks = ceil_div(c.L, kAttnBQ), ntasks = c.B * c.H * qblocks;
  if (ntasks == 0) return make_bool(env, true);
  struct Ctx { const AttnCall* c; idx qblocks; void (*f)(const AttnCall&, idx, idx, idx); } ctx{&c, qblocks, attn_kernels().fwd[q.is_f64() ? 1 : 0]};
  parallel_run(static_cast<int>(ntasks), [](void* p, int t, int) {
    const Ctx* x = static_cast<const Ctx*>(p);
    const idx bh = t / x->qblocks, i0 = (t % x->qblocks) * kAttnBQ;
    x->f(*x->c, bh, i0, min_idx(x->c->L, i0 + kAttnBQ));
  }, &ctx);
  return make_bool(env, true);
}

// attentionBackward(q, k, v, out, dOut, lse, mask | null, dq, dk, dv, desc) -> handled. Declines
// (js runs) when two heads would share rows of dq, dk or dv (a stride of 0 over batch or heads).
napi_value AttentionBackward(napi_env env, napi_callback_info info) {
  napi_value args[11];
  if (!get_args(env, info, 11, args)) return nullptr;
  Arr q, k, v, o, dO, lse, m, dq, dk, dv;
  if (!get_arr(env, args[0], q) || !get_arr(env, args[1], k) || !get_arr(env, args[2], v) || !get_arr(env, args[3], o) ||
      !get_arr(env, args[4], dO) || !get_arr(env, args[5], lse) || !get_arr(env, args[7], dq) || !get_arr(env, args[8], dk) ||
      !get_arr(env, args[9], dv))
    return nullptr;
  AttnCall c{};
  const Arr* all[] = {&k, &v, &o, &dO, &lse, &dq, &dk, &dv};
  bool ok = q.is_f32() || q.is_f64();
  for (const Arr* a : all) ok = ok && a->type == q.type;
  if (!ok || !read_call(env, args[10], c) || !mask_ok(env, args[6], q, c, m)) return make_bool(env, false);
  for (const AttnLayout* l : {&c.q, &c.k, &c.v})
    if ((c.B > 1 && l->batch == 0) || (c.H > 1 && l->head == 0)) return make_bool(env, false);
  const idx eq = extent(c, c.q, c.L, c.E), ek = extent(c, c.k, c.S, c.E), ev = extent(c, c.v, c.S, c.Ev), eo = extent(c, c.o, c.L, c.Ev);
  if (eq > q.length || eq > dq.length || ek > k.length || ek > dk.length || ev > v.length || ev > dv.length || eo > o.length ||
      eo > dO.length || c.B * c.H * c.L > lse.length || (c.mp && mask_extent(c) > m.length))
    return range_error(env, "steady_native.attentionBackward: an array is shorter than the sizes and strides need");
  c.qp = q.data, c.kp = k.data, c.vp = v.data, c.op = o.data, c.dop = dO.data, c.lsep = lse.data;
  c.dqp = dq.data, c.dkp = dk.data, c.dvp = dv.data;
  const idx ntasks = c.B * c.H;
  if (ntasks == 0) return make_bool(env, true);
  struct Ctx { const AttnCall* c; void (*f)(const AttnCall&, idx); } ctx{&c, attn_kernels().bwd[q.is_f64() ? 1 : 0]};
  parallel_run(static_cast<int>(ntasks), [](void* p, int t, int) {
    const Ctx* x = static_cast<const Ctx*>(p);
    x->f(*x->c, t);
  }, &ctx);
  return make_bool(env, true);
}

}  // namespace

napi_value register_attention(napi_env env, napi_value exports) {
  set_fn(env, exports, "attentionForward", AttentionForward);
  set_fn(env, exports, "attentionBackward", AttentionBackward);
  return exports;
}

}  // namespace steady
