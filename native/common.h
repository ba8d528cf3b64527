// Shared definitions of the native kernels: index types, ISA ids, alignment helpers.
#pragma once
#include <cstddef>
#include <cstdint>

namespace steady {

using idx = std::int64_t;

enum class Isa : int { scalar = 0, avx2 = 1, avx512 = 2 };

const char* isa_name(Isa isa);

// The best ISA this CPU supports (decided once), possibly lowered by STEADY_ISA=scalar|avx2|avx512.
Isa detected_isa();
// The ISA the kernels use now (tests may lower it to cover every path available on the machine).
Isa active_isa();
// Sets the active ISA; asking for more than the CPU has is clamped to what it has. Returns the result.
Isa set_active_isa(Isa isa);

#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__)
#define STEADY_X86 1
#else
#define STEADY_X86 0
#endif

inline idx ceil_div(idx a, idx b) { return (a + b - 1) / b; }
inline idx round_up(idx a, idx b) { return ceil_div(a, b) * b; }
inline idx min_idx(idx a, idx b) { return a < b ? a : b; }
inline idx max_idx(idx a, idx b) { return a > b ? a : b; }

}  // namespace steady
