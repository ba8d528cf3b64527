// Run-time ISA selection: decided once from __builtin_cpu_supports, overridable by STEADY_ISA.
#include <atomic>
#include <cstdlib>
#include <cstring>

#include "common.h"

namespace steady {

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::avx512: return "avx512";
    case Isa::avx2: return "avx2";
    default: return "scalar";
  }
}

static Isa cpu_best() {
#if STEADY_X86 && defined(__GNUC__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return Isa::avx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return Isa::avx2;
#endif
  return Isa::scalar;
}

static Isa clamp_isa(Isa want) {
  static const Isa best = cpu_best();
  return static_cast<int>(want) > static_cast<int>(best) ? best : want;
}

Isa detected_isa() {
  static const Isa isa = [] {
    Isa best = clamp_isa(Isa::avx512);
    const char* env = std::getenv("STEADY_ISA");
    if (env != nullptr) {
      if (std::strcmp(env, "scalar") == 0) return clamp_isa(Isa::scalar);
      if (std::strcmp(env, "avx2") == 0) return clamp_isa(Isa::avx2);
      if (std::strcmp(env, "avx512") == 0) return clamp_isa(Isa::avx512);
    }
    return best;
  }();
  return isa;
}

static std::atomic<int> g_active{-1};

Isa active_isa() {
  int v = g_active.load(std::memory_order_relaxed);
  if (v < 0) {
    v = static_cast<int>(detected_isa());
    g_active.store(v, std::memory_order_relaxed);
  }
  return static_cast<Isa>(v);
}

Isa set_active_isa(Isa isa) {
  Isa r = clamp_isa(isa);
  g_active.store(static_cast<int>(r), std::memory_order_relaxed);
  return r;
}

}  // namespace steady
