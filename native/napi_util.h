// Small helpers over the plain C Node-API: typed-array access without copies, positional numbers.
#pragma once
#include <node_api.h>

#include <cstddef>

#include "common.h"

namespace steady {

struct Arr {
  void* data = nullptr;
  idx length = 0;
  napi_typedarray_type type = napi_int8_array;
  bool is_f32() const { return type == napi_float32_array; }
  bool is_f64() const { return type == napi_float64_array; }
  template <class T>
  T* as() const { return static_cast<T*>(data); }
};

// Reads argv into `args` (n expected); throws a TypeError and returns false when fewer were given.
bool get_args(napi_env env, napi_callback_info info, std::size_t n, napi_value* args);
// The typed array behind v (data already offset by byteOffset); false (and a TypeError) if not one.
bool get_arr(napi_env env, napi_value v, Arr& out);
// The typed arrays behind args[0], args[1], ... in order; false (and a TypeError) at the first that
// is not one.
template <class... A>
bool get_arrs(napi_env env, const napi_value* args, A&... out) {
  std::size_t i = 0;
  return (get_arr(env, args[i++], out) && ...);
}
double get_num(napi_env env, napi_value v);
bool get_bool(napi_env env, napi_value v);
napi_value make_bool(napi_env env, bool b);
napi_value make_num(napi_env env, double d);
napi_value make_str(napi_env env, const char* s);
napi_value undefined(napi_env env);
// Throws RangeError(msg) and returns nullptr, for `return range_error(env, "...")`.
napi_value range_error(napi_env env, const char* msg);
void set_fn(napi_env env, napi_value exports, const char* name, napi_callback cb);

}  // namespace steady
