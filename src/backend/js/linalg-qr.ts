// Householder QR of a batch of row-major m×n matrices (float64 inside, pure TS), with LAPACK's
// sign convention (geqrf + orgqr) so Q and R agree with PyTorch's, column signs included.

import type { TypedArray } from "../../core/dtype.js";
import { loadMatrix } from "./linalg-lu.js";

/**
 * A = Q·R for each m×n matrix, k = min(m, n). `complete` false: Q is m×k with orthonormal columns
 * and R is k×n upper triangular; true: Q is m×m orthogonal and R is m×n. The output holds, per
 * matrix, Q (row-major) followed by R.
 *
 * Algorithm: for column j, the reflector H_j = I − τ·v·vᵀ (v₀ = 1) maps x = A[j:, j] to β·e₀ with
 * β = −sign(x₀)·‖x‖ (sign(0) = +1), τ = (β − x₀)/β, v = x[1:]/(x₀ − β) — LAPACK's dlarfg, so
 * R's diagonal signs match LAPACK's; τ = 0 (H = I) when x[1:] = 0. Q = H₀⋯H_{k−1} applied to the
 * first columns of the identity, last reflector first.
 */
export function householderQr(a: TypedArray, out: TypedArray, batch: number, m: number, n: number, complete: boolean, who: string): void {
  const k = Math.min(m, n);
  const kq = complete ? m : k; // columns of Q, rows of R
  const A = new Float64Array(m * n);
  const tau = new Float64Array(k);
  const Q = new Float64Array(m * kq);
  const w = new Float64Array(Math.max(n, kq));
  const per = m * kq + kq * n;
  for (let b = 0; b < batch; b++) {
    loadMatrix(who, a, b * m * n, m * n, A, batch, b);
    for (let j = 0; j < k; j++) {
      const alpha = A[j * n + j]!;
      let xnorm = 0;
      // ‖x[1:]‖ scaled by its largest entry, so the squares neither overflow nor underflow
      let scale = 0;
      for (let i = j + 1; i < m; i++) scale = Math.max(scale, Math.abs(A[i * n + j]!));
      if (scale > 0) {
        let s = 0;
        for (let i = j + 1; i < m; i++) { const v = A[i * n + j]! / scale; s += v * v; }
        xnorm = scale * Math.sqrt(s);
      }
      if (xnorm === 0) { tau[j] = 0; continue; }
      const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, xnorm);
      tau[j] = (beta - alpha) / beta;
      const f = 1 / (alpha - beta);
      for (let i = j + 1; i < m; i++) A[i * n + j] = A[i * n + j]! * f;
      A[j * n + j] = beta;
      // apply H_j to the remaining columns: a_c ← a_c − τ·(vᵀa_c)·v, row by row (contiguous)
      applyReflector(A, n, j, j + 1, n, m, tau[j]!, A, n, j, w);
    }
    // Q = H₀⋯H_{k−1}·I[:, :kq]
    Q.fill(0);
    for (let i = 0; i < kq; i++) Q[i * kq + i] = 1;
    for (let j = k - 1; j >= 0; j--) {
      const t = tau[j]!;
      if (t === 0) continue;
      applyReflector(Q, kq, j, 0, kq, m, t, A, n, j, w);
    }
    const o = b * per;
    for (let t = 0; t < m * kq; t++) out[o + t] = Q[t]!;
    const r0 = o + m * kq;
    for (let i = 0; i < kq; i++) for (let c = 0; c < n; c++) out[r0 + i * n + c] = c >= i && i < m ? A[i * n + c]! : 0;
  }
}

/**
 * M[j:, c0:c1] ← (I − τ·v·vᵀ)·M[j:, c0:c1] for the reflector v = (1, V[j+1:, vc]) stored below the
 * diagonal of column vc of V (row stride vs); M has row stride ms. Rows are walked in the outer
 * loop so every inner loop reads contiguous memory; w (≥ c1 entries) is scratch.
 */
function applyReflector(
  M: Float64Array, ms: number, j: number, c0: number, c1: number, m: number, tau: number,
  V: Float64Array, vs: number, vc: number, w: Float64Array,
): void {
  for (let c = c0; c < c1; c++) w[c] = M[j * ms + c]!;
  for (let i = j + 1; i < m; i++) {
    const v = V[i * vs + vc]!;
    if (v === 0) continue;
    const row = i * ms;
    for (let c = c0; c < c1; c++) w[c] = w[c]! + v * M[row + c]!;
  }
  for (let c = c0; c < c1; c++) {
    w[c] = w[c]! * tau;
    M[j * ms + c] = M[j * ms + c]! - w[c]!;
  }
  for (let i = j + 1; i < m; i++) {
    const v = V[i * vs + vc]!;
    if (v === 0) continue;
    const row = i * ms;
    for (let c = c0; c < c1; c++) M[row + c] = M[row + c]! - w[c]! * v;
  }
}
