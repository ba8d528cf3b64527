// N-API entry point for strided copies, the one kernel behind permute, expand (broadcast), slice
// and sliceScatter: y[dstOffset + Σ i_d·dstStride_d] = x[srcOffset + Σ i_d·srcStride_d] over every
// index i of `shape`. Dimensions that are contiguous in both are merged first, so a head split
// ([B, S, H, Dh] → [B, H, S, Dh]) becomes rows of Dh elements copied with memcpy. Works on the
// bytes of any element size (1, 4 or 8: bool, int32, float32, float64), so no dtype goes to js.
#include <node_api.h>

#include <cstring>

#include "napi_util.h"
#include "strided_dims.h"
#include "threadpool.h"

namespace steady {
namespace {

constexpr idx kGrain = idx(1) << 15;  // elements per task below which the pool is not woken

// Lowest and highest element offset the walk touches from `base` with strides s.
void extent(const StridedDims& w, const idx* s, idx base, idx& lo, idx& hi) {
  lo = hi = base;
  for (int d = 0; d < w.rank; d++) {
    const idx span = (w.size[d] - 1) * s[d];
    if (span < 0) lo += span;
    else hi += span;
  }
}

template <class U>
void copy_rows(const U* x, U* y, const StridedDims& w, idx r0, idx r1) {
  const idx n0 = w.size[0], sx0 = w.s0[0], sy0 = w.s1[0];
  for_rows(w, r0, r1, [&](idx, idx ox, idx oy) {
    const U* px = x + ox;
    U* py = y + oy;
    if (sx0 == 1 && sy0 == 1) std::memcpy(py, px, sizeof(U) * n0);
    else if (sx0 == 0) { const U v = *px; for (idx i = 0; i < n0; i++) py[i * sy0] = v; }
    else for (idx i = 0; i < n0; i++) py[i * sy0] = px[i * sx0];
  });
}

template <class U>
void run_copy(const void* xv, void* yv, const StridedDims& w) {
  const U* x = static_cast<const U*>(xv);
  U* y = static_cast<U*>(yv);
  const idx rows = w.total / w.size[0];
  parallel_for(rows, max_idx(1, kGrain / w.size[0]), [&](idx r0, idx r1) { copy_rows(x, y, w, r0, r1); });
}

int elem_size(napi_typedarray_type t) {
  switch (t) {
    case napi_int8_array: case napi_uint8_array: case napi_uint8_clamped_array: return 1;
    case napi_int16_array: case napi_uint16_array: return 2;
    case napi_int32_array: case napi_uint32_array: case napi_float32_array: return 4;
    case napi_float64_array: case napi_bigint64_array: case napi_biguint64_array: return 8;
    default: return 0;
  }
}

// stridedCopy(x, out, desc) with desc (Int32Array) = [rank, ...shape, ...srcStrides, ...dstStrides,
// srcOffset, dstOffset] -> handled (false for mismatched element types or rank > 16)
napi_value StridedCopy(napi_env env, napi_callback_info info) {
  napi_value args[3];
  if (!get_args(env, info, 3, args)) return nullptr;
  Arr x, y, d;
  if (!get_arrs(env, args, x, y, d)) return nullptr;
  if (x.type != y.type || d.type != napi_int32_array || d.length < 1) return make_bool(env, false);
  const int* desc = d.as<int>();
  const int r = desc[0];
  const int es = elem_size(x.type);
  if (r < 0 || r > kMaxRank || d.length < 3 + 3 * idx(r) || es == 0) return make_bool(env, false);
  for (int i = 0; i < r; i++)
    if (desc[1 + i] < 0) return range_error(env, "steady_native.stridedCopy: negative extent");
  StridedDims w;
  if (!merge_dims(r, desc + 1, desc + 1 + r, desc + 1 + 2 * r, w)) return make_bool(env, false);
  if (w.total == 0) return make_bool(env, true);
  idx lo, hi;
  extent(w, w.s0, desc[1 + 3 * r], lo, hi);
  if (lo < 0 || hi >= x.length) return range_error(env, "steady_native.stridedCopy: source walk leaves x");
  const idx src0 = desc[1 + 3 * r];
  extent(w, w.s1, desc[2 + 3 * r], lo, hi);
  if (lo < 0 || hi >= y.length) return range_error(env, "steady_native.stridedCopy: destination walk leaves out");
  const idx dst0 = desc[2 + 3 * r];
  const char* px = static_cast<const char*>(x.data) + src0 * es;
  char* py = static_cast<char*>(y.data) + dst0 * es;
  switch (es) {
    case 1: run_copy<std::uint8_t>(px, py, w); break;
    case 2: run_copy<std::uint16_t>(px, py, w); break;
    case 4: run_copy<std::uint32_t>(px, py, w); break;
    default: run_copy<std::uint64_t>(px, py, w); break;
  }
  return make_bool(env, true);
}

}  // namespace

napi_value register_copy(napi_env env, napi_value exports) {
  set_fn(env, exports, "stridedCopy", StridedCopy);
  return exports;
}

}  // namespace steady
