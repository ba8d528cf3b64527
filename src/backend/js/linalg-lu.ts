// LU factorization with partial pivoting (float64, pure TS) and what it gives: batched linear
// solves (linalg.solve, linalg.inv) and log-determinants (linalg.slogdet).
//
// Why float64 inside even for float32 tensors: the solve's error grows with cond(A)·ε, and
// computing in double costs nothing extra here while keeping float32 results correctly rounded
// for any reasonably conditioned matrix.

import type { TypedArray } from "../../core/dtype.js";
import { LinAlgError, NonFiniteError } from "../../core/errors.js";

/** "(batch element 3): " when there are several matrices, "" for one (PyTorch's wording). */
export function batchPrefix(batch: number, b: number): string {
  return batch > 1 ? `(batch element ${b}): ` : "";
}

/** Copies matrix `b` of a batch into a float64 work array, refusing NaN and ±Infinity. */
export function loadMatrix(who: string, src: TypedArray, off: number, len: number, dst: Float64Array, batch: number, b: number): void {
  for (let i = 0; i < len; i++) {
    const v = Number(src[off + i]!);
    if (!Number.isFinite(v)) {
      throw new NonFiniteError(`${who}: ${batchPrefix(batch, b)}the input holds ${v} at flat index ${i} of the matrix (expected finite values)`);
    }
    dst[i] = v;
  }
}

/**
 * In-place LU = P·A of a row-major n×n matrix (Doolittle, partial pivoting: the largest |entry|
 * of each column becomes the pivot, which bounds the multipliers by 1). `piv[j]` is the row
 * swapped with row j. Returns the 0-based index of the first exactly-zero pivot, or −1.
 * Returns the number of row swaps in `swaps[0]` (the determinant's sign).
 */
export function luFactor(lu: Float64Array, n: number, piv: Int32Array, swaps: Int32Array): number {
  let zero = -1;
  swaps[0] = 0;
  for (let j = 0; j < n; j++) {
    let p = j;
    let best = Math.abs(lu[j * n + j]!);
    for (let i = j + 1; i < n; i++) {
      const v = Math.abs(lu[i * n + j]!);
      if (v > best) { best = v; p = i; }
    }
    piv[j] = p;
    if (p !== j) {
      swaps[0]!++;
      for (let c = 0; c < n; c++) {
        const t = lu[j * n + c]!;
        lu[j * n + c] = lu[p * n + c]!;
        lu[p * n + c] = t;
      }
    }
    const d = lu[j * n + j]!;
    if (d === 0) {
      // LAPACK's getrf carries on past a zero pivot; the first one is what the error reports
      if (zero < 0) zero = j;
      continue;
    }
    for (let i = j + 1; i < n; i++) {
      const l = lu[i * n + j]! / d;
      lu[i * n + j] = l;
      if (l === 0) continue;
      for (let c = j + 1; c < n; c++) lu[i * n + c] = lu[i * n + c]! - l * lu[j * n + c]!;
    }
  }
  return zero;
}

/**
 * X = A⁻¹B for a batch of n×n matrices A and n×k right-hand sides B (row-major, equal batch
 * counts), by LU with partial pivoting then forward and back substitution.
 * @throws LinAlgError naming `who`, the batch element and the 1-based zero pivot when A is singular.
 */
export function luSolve(a: TypedArray, bIn: TypedArray, out: TypedArray, batch: number, n: number, k: number, who: string): void {
  const lu = new Float64Array(n * n);
  const x = new Float64Array(n * k);
  const piv = new Int32Array(n);
  const swaps = new Int32Array(1);
  for (let b = 0; b < batch; b++) {
    loadMatrix(who, a, b * n * n, n * n, lu, batch, b);
    loadMatrix(who, bIn, b * n * k, n * k, x, batch, b);
    const zero = luFactor(lu, n, piv, swaps);
    if (zero >= 0) {
      throw new LinAlgError(
        `${who}: ${batchPrefix(batch, b)}The diagonal element ${zero + 1} of the LU factorization is zero, so the input matrix is singular ` +
          "and the system cannot be solved (expected an invertible matrix; linalg.lstsq or linalg.pinv handle singular ones)",
      );
    }
    // apply P to the right-hand sides in the order the swaps happened
    for (let j = 0; j < n; j++) {
      const p = piv[j]!;
      if (p === j) continue;
      for (let c = 0; c < k; c++) {
        const t = x[j * k + c]!;
        x[j * k + c] = x[p * k + c]!;
        x[p * k + c] = t;
      }
    }
    // L·y = P·B (unit lower), then U·x = y
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        const l = lu[i * n + j]!;
        if (l !== 0) for (let c = 0; c < k; c++) x[i * k + c] = x[i * k + c]! - l * x[j * k + c]!;
      }
    }
    for (let i = n - 1; i >= 0; i--) {
      for (let j = i + 1; j < n; j++) {
        const u = lu[i * n + j]!;
        if (u !== 0) for (let c = 0; c < k; c++) x[i * k + c] = x[i * k + c]! - u * x[j * k + c]!;
      }
      const d = lu[i * n + i]!;
      for (let c = 0; c < k; c++) x[i * k + c] = x[i * k + c]! / d;
    }
    const o = b * n * k;
    for (let t = 0; t < n * k; t++) out[o + t] = x[t]!;
  }
}

/**
 * sign(det A) and log|det A| of each n×n matrix of a batch, from LU: det = (−1)^swaps·Π u_ii.
 * A singular matrix gives sign 0 and logabsdet −Infinity (as PyTorch); n = 0 gives 1 and 0.
 */
export function luSlogdet(a: TypedArray, sign: TypedArray, logabs: TypedArray, batch: number, n: number, who: string): void {
  const lu = new Float64Array(n * n);
  const piv = new Int32Array(n);
  const swaps = new Int32Array(1);
  for (let b = 0; b < batch; b++) {
    loadMatrix(who, a, b * n * n, n * n, lu, batch, b);
    const zero = luFactor(lu, n, piv, swaps);
    if (zero >= 0) {
      sign[b] = 0;
      logabs[b] = -Infinity;
      continue;
    }
    let s = swaps[0]! % 2 === 0 ? 1 : -1;
    let l = 0;
    // Σ log|u_ii| rather than log|Π u_ii|: the product over- or underflows for large n
    for (let i = 0; i < n; i++) {
      const d = lu[i * n + i]!;
      if (d < 0) s = -s;
      l += Math.log(Math.abs(d));
    }
    sign[b] = s;
    logabs[b] = l;
  }
}

/**
 * det A of each n×n matrix of a batch: (−1)^swaps·Π u_ii from LU with partial pivoting (0 for a
 * singular matrix; 1 for n = 0). The product is formed directly, as LAPACK-based libraries do,
 * so small integer matrices give their exact determinants.
 */
export function luDet(a: TypedArray, out: TypedArray, batch: number, n: number, who: string): void {
  const lu = new Float64Array(n * n);
  const piv = new Int32Array(n);
  const swaps = new Int32Array(1);
  for (let b = 0; b < batch; b++) {
    loadMatrix(who, a, b * n * n, n * n, lu, batch, b);
    luFactor(lu, n, piv, swaps);
    let p = swaps[0]! % 2 === 0 ? 1 : -1;
    for (let i = 0; i < n; i++) p *= lu[i * n + i]!;
    out[b] = p;
  }
}
