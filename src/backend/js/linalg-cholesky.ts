// Cholesky factorization A = L·Lᵀ and triangular solves (float64 inside, pure TS), batched over
// row-major matrices. linalg.cholesky and linalg.solveTriangular dispatch here; the backward of
// cholesky is written with solveTriangular.

import type { TypedArray } from "../../core/dtype.js";
import { LinAlgError } from "../../core/errors.js";
import { batchPrefix, loadMatrix } from "./linalg-lu.js";

/**
 * Lower Cholesky factor of each symmetric positive-definite n×n matrix of a batch. Only the lower
 * triangle is read (LAPACK potrf with uplo 'L', as PyTorch); the strict upper triangle of L is 0.
 * Column by column: l_jj = √(a_jj − Σ_{p<j} l_jp²), l_ij = (a_ij − Σ_{p<j} l_ip·l_jp)/l_jj.
 * @throws LinAlgError naming `who`, the batch element and the order of the first leading minor
 *   that is not positive-definite (PyTorch's message).
 */
export function choleskyLower(a: TypedArray, out: TypedArray, batch: number, n: number, who: string): void {
  const A = new Float64Array(n * n);
  const L = new Float64Array(n * n);
  for (let b = 0; b < batch; b++) {
    loadMatrix(who, a, b * n * n, n * n, A, batch, b);
    L.fill(0);
    for (let j = 0; j < n; j++) {
      let d = A[j * n + j]!;
      for (let p = 0; p < j; p++) d -= L[j * n + p]! * L[j * n + p]!;
      if (!(d > 0)) {
        throw new LinAlgError(
          `${who}: ${batchPrefix(batch, b)}The factorization could not be completed because the input is not positive-definite ` +
            `(the leading minor of order ${j + 1} is not positive-definite)`,
        );
      }
      const ljj = Math.sqrt(d);
      L[j * n + j] = ljj;
      for (let i = j + 1; i < n; i++) {
        let s = A[i * n + j]!;
        for (let p = 0; p < j; p++) s -= L[i * n + p]! * L[j * n + p]!;
        L[i * n + j] = s / ljj;
      }
    }
    const o = b * n * n;
    for (let t = 0; t < n * n; t++) out[o + t] = L[t]!;
  }
}

/**
 * X = A⁻¹B for triangular n×n matrices A and n×k right-hand sides B (equal batch counts):
 * forward substitution when `upper` is false, back substitution when true. Only A's triangle is
 * read; with `unitriangular` its diagonal is taken as 1 and not read.
 * @throws LinAlgError naming `who`, the batch element and the 1-based zero diagonal entry.
 */
export function triangularSolve(
  a: TypedArray, bIn: TypedArray, out: TypedArray, batch: number, n: number, k: number,
  upper: boolean, unitriangular: boolean, who: string,
): void {
  const A = new Float64Array(n * n);
  const x = new Float64Array(n * k);
  for (let b = 0; b < batch; b++) {
    loadMatrix(who, a, b * n * n, n * n, A, batch, b);
    loadMatrix(who, bIn, b * n * k, n * k, x, batch, b);
    for (let step = 0; step < n; step++) {
      const i = upper ? n - 1 - step : step;
      const j0 = upper ? i + 1 : 0;
      const j1 = upper ? n : i;
      for (let j = j0; j < j1; j++) {
        const l = A[i * n + j]!;
        if (l !== 0) for (let c = 0; c < k; c++) x[i * k + c] = x[i * k + c]! - l * x[j * k + c]!;
      }
      if (unitriangular) continue;
      const d = A[i * n + i]!;
      if (d === 0) {
        throw new LinAlgError(
          `${who}: ${batchPrefix(batch, b)}The diagonal element ${i + 1} is zero, so the triangular matrix is singular and the system cannot be solved`,
        );
      }
      for (let c = 0; c < k; c++) x[i * k + c] = x[i * k + c]! / d;
    }
    const o = b * n * k;
    for (let t = 0; t < n * k; t++) out[o + t] = x[t]!;
  }
}
