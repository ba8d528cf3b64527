// Two operands walked over one shape by their own strides (a copy's source and destination, a
// broadcasting binary op's two inputs): the dims are merged from the inside out wherever both
// strides let two dims act as one, and dims of extent 1 are dropped, so that kernels loop over as
// few dims as possible.
#pragma once
#include "common.h"

namespace steady {

constexpr int kMaxRank = 16;

struct StridedDims {
  int rank = 0;  // merged dims, index 0 innermost
  idx size[kMaxRank];
  idx s0[kMaxRank];  // strides of the first operand
  idx s1[kMaxRank];  // strides of the second
  idx total = 1;     // elements in the shape
};

// Merges r dims given outer-to-inner (shape, and each operand's strides in elements). False for a
// negative extent or more than kMaxRank dims after merging. A shape of one element gives rank 1.
inline bool merge_dims(int r, const int* shape, const int* s0, const int* s1, StridedDims& w) {
  w.rank = 0;
  w.total = 1;
  for (int d = r - 1; d >= 0; d--) {
    const idx n = shape[d];
    if (n < 0) return false;
    w.total *= n;
    if (n == 1) continue;
    if (w.rank > 0) {
      const int c = w.rank - 1;
      if (s0[d] == w.s0[c] * w.size[c] && s1[d] == w.s1[c] * w.size[c]) {
        w.size[c] *= n;
        continue;
      }
    }
    if (w.rank == kMaxRank) return false;
    w.size[w.rank] = n;
    w.s0[w.rank] = s0[d];
    w.s1[w.rank] = s1[d];
    w.rank++;
  }
  if (w.rank == 0) {
    w.size[0] = 1;
    w.s0[0] = 1;
    w.s1[0] = 1;
    w.rank = 1;
  }
  return true;
}

// Calls row(r, o0, o1) for rows r0 <= r < r1, a row being one run of the innermost dim: o0 and o1
// are the offsets of its first element in each operand (an odometer over the outer dims).
template <class F>
inline void for_rows(const StridedDims& w, idx r0, idx r1, F&& row) {
  idx cnt[kMaxRank] = {0};
  idx o0 = 0, o1 = 0, q = r0;
  for (int d = 1; d < w.rank; d++) {
    cnt[d] = q % w.size[d];
    q /= w.size[d];
    o0 += cnt[d] * w.s0[d];
    o1 += cnt[d] * w.s1[d];
  }
  for (idx r = r0; r < r1; r++) {
    row(r, o0, o1);
    for (int d = 1; d < w.rank; d++) {
      o0 += w.s0[d];
      o1 += w.s1[d];
      if (++cnt[d] < w.size[d]) break;
      o0 -= w.size[d] * w.s0[d];
      o1 -= w.size[d] * w.s1[d];
      cnt[d] = 0;
    }
  }
}

// The same merge for N operands (a broadcasting `where` reads cond, a and b): st[k][d] is operand
// k's stride of merged dim d. The output is contiguous, so row r starts at r * size[0] there.
template <int N>
struct StridedDimsN {
  int rank = 0;
  idx size[kMaxRank];
  idx st[N][kMaxRank];
  idx total = 1;
};

// strides: N arrays of r strides each (outer to inner). Same rules as merge_dims.
template <int N>
inline bool merge_dims_n(int r, const int* shape, const int* const* strides, StridedDimsN<N>& w) {
  w.rank = 0;
  w.total = 1;
  for (int d = r - 1; d >= 0; d--) {
    const idx n = shape[d];
    if (n < 0) return false;
    w.total *= n;
    if (n == 1) continue;
    if (w.rank > 0) {
      const int c = w.rank - 1;
      bool ok = true;
      for (int k = 0; k < N; k++) ok = ok && strides[k][d] == w.st[k][c] * w.size[c];
      if (ok) {
        w.size[c] *= n;
        continue;
      }
    }
    if (w.rank == kMaxRank) return false;
    w.size[w.rank] = n;
    for (int k = 0; k < N; k++) w.st[k][w.rank] = strides[k][d];
    w.rank++;
  }
  if (w.rank == 0) {
    w.size[0] = 1;
    for (int k = 0; k < N; k++) w.st[k][0] = 1;
    w.rank = 1;
  }
  return true;
}

// Calls row(r, off) for rows r0 <= r < r1 with off[k] the offset of the row's first element in
// operand k (an odometer over the outer dims, as for_rows).
template <int N, class F>
inline void for_rows_n(const StridedDimsN<N>& w, idx r0, idx r1, F&& row) {
  idx cnt[kMaxRank] = {0};
  idx off[N] = {0};
  idx q = r0;
  for (int d = 1; d < w.rank; d++) {
    cnt[d] = q % w.size[d];
    q /= w.size[d];
    for (int k = 0; k < N; k++) off[k] += cnt[d] * w.st[k][d];
  }
  for (idx r = r0; r < r1; r++) {
    row(r, static_cast<const idx*>(off));
    for (int d = 1; d < w.rank; d++) {
      for (int k = 0; k < N; k++) off[k] += w.st[k][d];
      if (++cnt[d] < w.size[d]) break;
      for (int k = 0; k < N; k++) off[k] -= w.size[d] * w.st[k][d];
      cnt[d] = 0;
    }
  }
}

}  // namespace steady
