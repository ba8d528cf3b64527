// The attention kernels for any CPU (128-bit vectors), and the run-time choice of table.
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "attention.h"
#include "ew_table.h"

namespace steady {
namespace {
#define ATTN_VB 16
#define ATTN_ACC 12
#include "attention_kernels.inc.h"
#undef ATTN_ACC
#undef ATTN_VB
}  // namespace

const AttnKernels& attn_kernels_base() {
  static const AttnKernels table = make_attn_kernels();
  return table;
}

}  // namespace steady
