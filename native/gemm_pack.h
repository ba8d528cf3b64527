// Packing of A and B blocks into micro-panels for the GEMM micro-kernels.
// A matrix is seen through strides: element (i, j) = p[i * rs + j * cs], so a transposed operand is
// packed straight from its storage, without a copy. Panels past the matrix edge are zero-filled:
// the micro-kernel always computes full tiles.
#pragma once
#include <cstring>

#include "common.h"

namespace steady {

template <class T>
struct MatView {
  const T* p;
  idx rs, cs;
  const T* at(idx i, idx j) const { return p + i * rs + j * cs; }
};

// Packs the mc x kc block of A at `a` into panels of MR rows: panel q holds, for each k step p,
// the MR values A(q*MR + r, p) at out[q*MR*kc + p*MR + r].
template <class T>
void pack_a(MatView<T> a, idx mc, idx kc, int MR, T* __restrict out) {
  for (idx ir = 0; ir < mc; ir += MR) {
    const idx mr = min_idx(MR, mc - ir);
    T* __restrict dst = out + ir * kc;
    const T* src = a.p + ir * a.rs;
    if (a.cs == 1) {
      // Rows contiguous along k (A not transposed): read each row once, write with stride MR.
      for (idx r = 0; r < mr; r++) {
        const T* __restrict row = src + r * a.rs;
        for (idx p = 0; p < kc; p++) dst[p * MR + r] = row[p];
      }
      for (idx r = mr; r < MR; r++)
        for (idx p = 0; p < kc; p++) dst[p * MR + r] = T(0);
    } else {
      // Columns contiguous along m (A transposed) or general strides.
      for (idx p = 0; p < kc; p++) {
        const T* __restrict col = src + p * a.cs;
        T* __restrict d = dst + p * MR;
        if (a.rs == 1) {
          for (idx r = 0; r < mr; r++) d[r] = col[r];
        } else {
          for (idx r = 0; r < mr; r++) d[r] = col[r * a.rs];
        }
        for (idx r = mr; r < MR; r++) d[r] = T(0);
      }
    }
  }
}

// Packs the kc x nc block of B at `b` into panels of NR columns: panel q holds, for each k step p,
// the NR values B(p, q*NR + c) at out[q*NR*kc + p*NR + c].
template <class T>
void pack_b(MatView<T> b, idx kc, idx nc, int NR, T* __restrict out) {
  for (idx jr = 0; jr < nc; jr += NR) {
    const idx nr = min_idx(NR, nc - jr);
    T* __restrict dst = out + jr * kc;
    const T* src = b.p + jr * b.cs;
    if (b.cs == 1) {
      // Rows contiguous along n (B not transposed).
      for (idx p = 0; p < kc; p++) {
        const T* __restrict row = src + p * b.rs;
        T* __restrict d = dst + p * NR;
        if (nr == NR) {
          std::memcpy(d, row, sizeof(T) * NR);
        } else {
          for (idx c = 0; c < nr; c++) d[c] = row[c];
          for (idx c = nr; c < NR; c++) d[c] = T(0);
        }
      }
    } else {
      // Columns contiguous along k (B transposed): read each column once, write with stride NR.
      for (idx c = 0; c < nr; c++) {
        const T* __restrict col = src + c * b.cs;
        if (b.rs == 1) {
          for (idx p = 0; p < kc; p++) dst[p * NR + c] = col[p];
        } else {
          for (idx p = 0; p < kc; p++) dst[p * NR + c] = col[p * b.rs];
        }
      }
      for (idx c = nr; c < NR; c++)
        for (idx p = 0; p < kc; p++) dst[p * NR + c] = T(0);
    }
  }
}

}  // namespace steady
