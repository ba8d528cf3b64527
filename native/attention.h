// The native attention kernels (forward with an online softmax over key blocks, FlashAttention-2
// backward from the saved log-sum-exp): one call's description and the per-ISA kernel tables.
// Layouts are strided per (batch, head, row) with features contiguous, so the heads of a
// [B, L, H·D] array are read and written in place (see AttentionStrides in src/backend/backend.ts).
#pragma once
#include "common.h"

namespace steady {

struct AttnLayout {
  idx offset, batch, head, row;
  idx at(idx b, idx h) const { return offset + b * batch + h * head; }
};

enum AttnMaskKind : int { ATTN_MASK_NONE = 0, ATTN_MASK_BOOL = 1, ATTN_MASK_ADD = 2 };

struct AttnCall {
  idx B, H, L, S, E, Ev;
  AttnLayout q, k, v, o;
  double scale;
  bool causal;
  int mask_kind;
  idx ms[4];  // mask strides over (batch, head, query row, key); 0 on broadcast dims
  const void* qp;
  const void* kp;
  const void* vp;
  const void* mp;  // mask (uint8 or q's float type) or null
  void* op;        // out (written by forward, read by backward)
  void* lsep;      // lse [B, H, L] contiguous (written by forward, read by backward)
  const void* dop; // dOut (backward)
  void* dqp;
  void* dkp;
  void* dvp;
};

// Query rows per forward task (one packed Kᵀ block serves them all), per backward query block
// (its P, dP and dS tiles, [BQB, BK] each, live in L1), and keys per block.
constexpr idx kAttnBQ = 64;
constexpr idx kAttnBQB = 32;
constexpr idx kAttnBK = 64;

struct AttnKernels {
  // Forward for head bh = b·H + h and query rows [i0, i1); index 0 float32, 1 float64.
  void (*fwd[2])(const AttnCall& c, idx bh, idx i0, idx i1);
  // Backward for head bh: all of its dq, dk, dv (their rows of one head are written by one task).
  void (*bwd[2])(const AttnCall& c, idx bh);
};

const AttnKernels& attn_kernels_base();
#if STEADY_X86
const AttnKernels& attn_kernels_avx2();
const AttnKernels& attn_kernels_avx512();
#endif

}  // namespace steady
