// js reference GEMM: C = op(A)·op(B) per batch entry, accumulated in float64.
// Loop order i-k-j keeps the inner loop contiguous in B and C when B is not transposed.

import type { TypedArray } from "../../core/dtype.js";
import type { MatmulParams } from "../backend.js";

export function matmul(a: TypedArray, b: TypedArray, out: TypedArray, p: MatmulParams): void {
  const { batch, m, n, k, strideA, strideB, transA, transB } = p;
  const row = new Float64Array(n);
  for (let t = 0; t < batch; t++) {
    const oa = t * strideA;
    const ob = t * strideB;
    const oc = t * m * n;
    for (let i = 0; i < m; i++) {
      row.fill(0);
      for (let kk = 0; kk < k; kk++) {
        const av = transA ? a[oa + kk * m + i]! : a[oa + i * k + kk]!;
        if (transB) {
          for (let j = 0; j < n; j++) row[j]! += av * b[ob + j * k + kk]!;
        } else {
          const bo = ob + kk * n;
          for (let j = 0; j < n; j++) row[j]! += av * b[bo + j]!;
        }
      }
      for (let j = 0; j < n; j++) out[oc + i * n + j] = row[j]!;
    }
  }
}
