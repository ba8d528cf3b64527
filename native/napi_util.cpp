// Node-API helpers (see napi_util.h).
#include "napi_util.h"

namespace steady {

bool get_args(napi_env env, napi_callback_info info, std::size_t n, napi_value* args) {
  std::size_t argc = n;
  if (napi_get_cb_info(env, info, &argc, args, nullptr, nullptr) != napi_ok || argc < n) {
    napi_throw_type_error(env, nullptr, "steady_native: too few arguments");
    return false;
  }
  return true;
}

bool get_arr(napi_env env, napi_value v, Arr& out) {
  std::size_t length = 0;
  napi_value ab;
  std::size_t offset = 0;
  if (napi_get_typedarray_info(env, v, &out.type, &length, &out.data, &ab, &offset) != napi_ok) {
    napi_throw_type_error(env, nullptr, "steady_native: expected a typed array");
    return false;
  }
  out.length = static_cast<idx>(length);
  return true;
}

double get_num(napi_env env, napi_value v) {
  double d = 0;
  napi_get_value_double(env, v, &d);
  return d;
}

bool get_bool(napi_env env, napi_value v) {
  bool b = false;
  if (napi_get_value_bool(env, v, &b) != napi_ok) {
    double d = 0;
    if (napi_get_value_double(env, v, &d) == napi_ok) b = d != 0;
  }
  return b;
}

napi_value make_bool(napi_env env, bool b) {
  napi_value r;
  napi_get_boolean(env, b, &r);
  return r;
}

napi_value make_num(napi_env env, double d) {
  napi_value r;
  napi_create_double(env, d, &r);
  return r;
}

napi_value make_str(napi_env env, const char* s) {
  napi_value r;
  napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &r);
  return r;
}

napi_value undefined(napi_env env) {
  napi_value r;
  napi_get_undefined(env, &r);
  return r;
}

napi_value range_error(napi_env env, const char* msg) {
  napi_throw_range_error(env, nullptr, msg);
  return nullptr;
}

void set_fn(napi_env env, napi_value exports, const char* name, napi_callback cb) {
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, nullptr, &fn);
  napi_set_named_property(env, exports, name, fn);
}

}  // namespace steady
