// The N-API surface of steady_native: argument checking and dispatch only. Every kernel takes its
// typed arrays zero-copy and its sizes as positional numbers, and returns true when it handled the
// call or false when the dtype/layout is not one it implements (the TS wrapper then falls back to js).
#include <node_api.h>

#include "gemm.h"
#include "napi_util.h"
#include "threadpool.h"

#include <string_view>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace steady {

napi_value register_elementwise(napi_env env, napi_value exports);
napi_value register_select(napi_env env, napi_value exports);
napi_value register_copy(napi_env env, napi_value exports);
napi_value register_attention(napi_env env, napi_value exports);
napi_value register_conv(napi_env env, napi_value exports);
napi_value register_pool(napi_env env, napi_value exports);
napi_value register_toolbox(napi_env env, napi_value exports);
napi_value register_relu_mse(napi_env env, napi_value exports);

namespace {

// matmul(a, b, out, batch, m, n, k, strideA, strideB, transA, transB) -> handled
napi_value Matmul(napi_env env, napi_callback_info info) {
  napi_value args[11];
  if (!get_args(env, info, 11, args)) return nullptr;
  Arr a, b, c;
  if (!get_arrs(env, args, a, b, c)) return nullptr;
  GemmArgs g;
  g.batch = static_cast<idx>(get_num(env, args[3]));
  g.m = static_cast<idx>(get_num(env, args[4]));
  g.n = static_cast<idx>(get_num(env, args[5]));
  g.k = static_cast<idx>(get_num(env, args[6]));
  g.stride_a = static_cast<idx>(get_num(env, args[7]));
  g.stride_b = static_cast<idx>(get_num(env, args[8]));
  g.trans_a = get_bool(env, args[9]);
  g.trans_b = get_bool(env, args[10]);
  if (a.type != b.type || a.type != c.type || !(a.is_f32() || a.is_f64())) return make_bool(env, false);
  if (g.batch < 0 || g.m < 0 || g.n < 0 || g.k < 0 || g.stride_a < 0 || g.stride_b < 0)
    return range_error(env, "steady_native.matmul: negative size or stride");
  if (g.batch == 0 || g.m == 0 || g.n == 0) return make_bool(env, true);
  if (c.length < g.batch * g.m * g.n) return range_error(env, "steady_native.matmul: out is too short");
  if (g.k > 0 && (a.length < (g.batch - 1) * g.stride_a + g.m * g.k || b.length < (g.batch - 1) * g.stride_b + g.k * g.n))
    return range_error(env, "steady_native.matmul: a or b is too short for the given sizes and strides");
  if (a.is_f32()) gemm_f32(a.as<float>(), b.as<float>(), c.as<float>(), g);
  else gemm_f64(a.as<double>(), b.as<double>(), c.as<double>(), g);
  return make_bool(env, true);
}

// info() -> { isa, detectedIsa, threads, gemmF32, gemmF64 }
napi_value Info(napi_env env, napi_callback_info) {
  napi_value o;
  napi_create_object(env, &o);
  napi_set_named_property(env, o, "isa", make_str(env, isa_name(active_isa())));
  napi_set_named_property(env, o, "detectedIsa", make_str(env, isa_name(detected_isa())));
  napi_set_named_property(env, o, "threads", make_num(env, num_threads()));
  napi_set_named_property(env, o, "gemmF32", make_str(env, gemm_kernel_name(false)));
  napi_set_named_property(env, o, "gemmF64", make_str(env, gemm_kernel_name(true)));
  return o;
}

// setNumThreads(n) -> the pool size now
napi_value SetNumThreads(napi_env env, napi_callback_info info) {
  napi_value args[1];
  if (!get_args(env, info, 1, args)) return nullptr;
  return make_num(env, set_num_threads(static_cast<int>(get_num(env, args[0]))));
}

// setIsa("scalar" | "avx2" | "avx512") -> the ISA now active (clamped to what the CPU has)
napi_value SetIsa(napi_env env, napi_callback_info info) {
  napi_value args[1];
  if (!get_args(env, info, 1, args)) return nullptr;
  char buf[16] = {0};
  std::size_t len = 0;
  napi_get_value_string_utf8(env, args[0], buf, sizeof buf, &len);
  std::string_view s(buf, len);
  Isa want = s == "avx512" ? Isa::avx512 : s == "avx2" ? Isa::avx2 : Isa::scalar;
  return make_str(env, isa_name(set_active_isa(want)));
}

// tuneMalloc(mmapThreshold, trimThreshold) -> whether glibc took both settings (false elsewhere).
// Tensor memory is freed only when the garbage collector runs, in batches; glibc then returns the
// freed top of the heap to the kernel (trim) and serves large blocks with fresh mmaps, so the next
// allocations page-fault on every 4 KiB again (60 faults for one 256x256 float32 output here).
napi_value TuneMalloc(napi_env env, napi_callback_info info) {
  napi_value args[2];
  if (!get_args(env, info, 2, args)) return nullptr;
#if defined(__GLIBC__)
  const double mmap_t = get_num(env, args[0]), trim_t = get_num(env, args[1]);
  const bool ok = mallopt(M_MMAP_THRESHOLD, static_cast<int>(mmap_t)) == 1 && mallopt(M_TRIM_THRESHOLD, static_cast<int>(trim_t)) == 1;
  return make_bool(env, ok);
#else
  return make_bool(env, false);
#endif
}

napi_value Init(napi_env env, napi_value exports) {
  set_fn(env, exports, "tuneMalloc", TuneMalloc);
  set_fn(env, exports, "matmul", Matmul);
  set_fn(env, exports, "info", Info);
  set_fn(env, exports, "setNumThreads", SetNumThreads);
  set_fn(env, exports, "setIsa", SetIsa);
  register_elementwise(env, exports);
  register_select(env, exports);
  register_copy(env, exports);
  register_attention(env, exports);
  register_conv(env, exports);
  register_pool(env, exports);
  register_toolbox(env, exports);
  register_relu_mse(env, exports);
  return exports;
}

}  // namespace
}  // namespace steady

NAPI_MODULE(NODE_GYP_MODULE_NAME, steady::Init)
