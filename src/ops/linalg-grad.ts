// Backward rules of the linear-algebra primitives (solve, solveTriangular, det, slogdet,
// cholesky, qr, eigh, svd), written as tensor ops — solves included — so gradients of gradients
// work. ops/gradients.ts holds the rows and save contracts; the formulas follow PyTorch's
// FunctionsManual.cpp (real case) and TensorFlow's linalg_grad.py for QR.

import { AutogradError } from "../core/errors.js";
import type { Tensor } from "../core/tensor.js";
import { eye } from "../core/creation.js";
import { add, div, mul, neg, square, sub, where } from "./elementwise.js";
import { prod } from "./reduce.js";
import { tril, triu } from "./indexing.js";
import { matmulT } from "./linalg.js";
import { svd, unpackEigh, unpackQr, unpackSvd } from "./linalg-decomp.js";
import { det, scaledEye, solveImpl, solveTriangularImpl } from "./linalg-solve.js";
import { diagEmbed, eyeOf, mT } from "./linalg-util.js";
import { cat } from "./shape.js";
import { unsqueeze } from "./shape.js";

const mm = (a: Tensor, b: Tensor) => matmulT(a, b, false, false);

/** X = A⁻¹B ⇒ ∂B = A⁻ᵀG, ∂A = −∂B·Xᵀ. */
export function solveBackward(g: Tensor, A: Tensor, X: Tensor, needs: boolean[]): (Tensor | null)[] {
  const gB = solveImpl("linalg.solve (backward)", mT(A), g, true);
  return [needs[0] ? neg(matmulT(gB, X, false, true)) : null, needs[1] ? gB : null];
}

/** As solve, with ∂A kept on A's triangle (the strict triangle when unitriangular). */
export function solveTriangularBackward(
  g: Tensor, A: Tensor, X: Tensor, upper: boolean, unitriangular: boolean, needs: boolean[],
): (Tensor | null)[] {
  const gB = solveTriangularImpl("linalg.solveTriangular (backward)", mT(A), g, !upper, true, unitriangular);
  let gA: Tensor | null = null;
  if (needs[0]) {
    const full = neg(matmulT(gB, X, false, true));
    gA = upper ? triu(full, unitriangular ? 1 : 0) : tril(full, unitriangular ? -1 : 0);
  }
  return [gA, needs[1] ? gB : null];
}

/** log|det A| ⇒ ∂A = g·A⁻ᵀ = solve(Aᵀ, g·I). */
export function slogdetBackward(g: Tensor, A: Tensor): Tensor {
  const n = A.shape[A.ndim - 1]!;
  return solveImpl("linalg.slogdet (backward)", mT(A), scaledEye(g, n), true);
}

/**
 * det A ⇒ ∂A = g·cof(A), the cofactor matrix: det·A⁻ᵀ = solve(Aᵀ, g·det·I) for invertible A.
 * When some matrix of the batch is singular (det exactly 0) the solve cannot run, and — as
 * PyTorch does — the cofactors come from the SVD A = U·diag(s)·Vh instead:
 * cof(A) = det(U)·det(Vh)·U·diag(Πⱼ≠ᵢ sⱼ)·Vh, which is finite for any A (nonzero for rank n − 1).
 */
export function detBackward(g: Tensor, A: Tensor, d: Tensor): Tensor {
  const n = A.shape[A.ndim - 1]!;
  const singular = (Array.from(d.dataSync() as ArrayLike<number>)).some((v) => v === 0);
  if (!singular) return solveImpl("linalg.det (backward)", mT(A), scaledEye(mul(g, d), n), true);
  const { U, S, Vh } = svd(A);
  // Πⱼ≠ᵢ sⱼ: each row of an n×n copy of s with its own entry replaced by 1, multiplied out
  const others = prod(where(eye(n, n, { dtype: "bool" }), 1, unsqueeze(S, -2)), -1);
  const sign = mul(det(U), det(Vh));
  const cof = mul(matmulT(mul(U, unsqueeze(others, -2)), Vh, false, false), unsqueeze(unsqueeze(sign, -1), -1));
  return mul(cof, unsqueeze(unsqueeze(g, -1), -1));
}

/**
 * A = L·Lᵀ ⇒ with P = tril(Lᵀ·G), Φ = ½(P + tril(P, −1)ᵀ) (symmetric, half diagonal),
 * ∂A = L⁻ᵀ·Φ·L⁻¹ (Iain Murray 2016; PyTorch's cholesky_backward).
 */
export function choleskyBackward(g: Tensor, L: Tensor): Tensor {
  const who = "linalg.cholesky (backward)";
  const P = tril(matmulT(L, g, true, false));
  const phi = mul(add(P, mT(tril(P, -1))), 0.5);
  const left = solveTriangularImpl(who, mT(L), phi, true, true, false); // L⁻ᵀΦ
  return solveTriangularImpl(who, L, left, false, false, false); // (L⁻ᵀΦ)·L⁻¹
}

/** X·R⁻ᵀ for upper-triangular square R. */
const timesRinvT = (X: Tensor, R: Tensor) => solveTriangularImpl("linalg.qr (backward)", mT(R), X, false, false, false);

/** ∂A of the square / tall QR (m ≥ n, R square): TensorFlow's QrGrad. */
function qrBackwardTall(gQ: Tensor, gR: Tensor, Q: Tensor, R: Tensor): Tensor {
  const qdq = matmulT(Q, gQ, true, false);
  const rdr = matmulT(R, gR, false, true);
  const low = tril(add(sub(qdq, mT(qdq)), sub(rdr, mT(rdr))));
  const gradA = mm(Q, add(gR, timesRinvT(low, R)));
  const gradB = timesRinvT(sub(gQ, mm(Q, qdq)), R);
  return add(gradA, gradB);
}

/** qr backward: the tall rule, or for m < n the split A = [X | Y], R = [R₁ | R₂] (Y = Q·R₂). */
export function qrBackward(g: Tensor, packed: Tensor, m: number, n: number, complete: boolean): Tensor {
  if (complete && m > n) {
    throw new AutogradError("linalg.qr: the QR decomposition is not differentiable when mode is \"complete\" and m > n (use mode \"reduced\")");
  }
  const { Q, R } = unpackQr(packed, m, n, complete);
  const { Q: gQ, R: gR } = unpackQr(g, m, n, complete);
  if (m >= n) return qrBackwardTall(gQ, gR, Q, R);
  const cols = (t: Tensor, a: number, b: number) => t.index(...t.shape.slice(0, -1).map(() => null), [a, b]);
  const R1 = cols(R, 0, m), R2 = cols(R, m, n);
  const gR1 = cols(gR, 0, m), gR2 = cols(gR, m, n);
  const Y = mm(Q, R2);
  const gY = mm(Q, gR2);
  const gQp = add(gQ, matmulT(Y, gR2, false, true));
  return cat([qrBackwardTall(gQp, gR1, Q, R1), gY], -1);
}

/**
 * A = V·diag(w)·Vᵀ (symmetric) ⇒ ∂A = V·(diag(g_w) + ½(VᵀG_V − G_VᵀV) ⊘ E)·Vᵀ, E_ij = w_j − w_i
 * (1 on the diagonal, where the skew part is 0). PyTorch's linalg_eig_backward, hermitian case.
 */
export function eighBackward(g: Tensor, packed: Tensor, n: number): Tensor {
  const { eigenvalues: w, eigenvectors: V } = unpackEigh(packed, n);
  const { eigenvalues: gw, eigenvectors: gV } = unpackEigh(g, n);
  const VtgV = matmulT(V, gV, true, false);
  const skew = mul(sub(VtgV, mT(VtgV)), 0.5);
  const E = add(sub(unsqueeze(w, -2), unsqueeze(w, -1)), eyeOf(n, w.dtype));
  const inner = add(div(skew, E), diagEmbed(gw));
  return matmulT(mm(V, inner), V, false, true);
}

/**
 * Backward of the thin SVD A = U·diag(S)·Vh (as PyTorch's svd_backward, real case), batched, with
 * E_jk = S_k² − S_j² off the diagonal and skew(X) = X − Xᵀ:
 *   core = (skew(Uᵀ gU) ∘ S_row + S_col ∘ skew(Vh·gVhᵀ)) / E + diag(gS)
 *   gA   = U·core·Vh + (I − UUᵀ)·gU·S⁻¹·Vh (m > n) or + U·S⁻¹·gVh·(I − VVᵀ) (m < n).
 * The gradient is undefined for repeated or zero singular values (E or S vanish), as in PyTorch.
 */
export function svdBackward(g: Tensor, packed: Tensor, m: number, n: number): Tensor {
  const { U, S, Vh } = unpackSvd(packed, m, n);
  const { U: gU, S: gS, Vh: gVh } = unpackSvd(g, m, n);
  const k = Math.min(m, n);
  const skew = (x: Tensor) => sub(x, mT(x));
  const UtgU = skew(matmulT(U, gU, true, false)); // Uᵀ·gU
  const VhgV = skew(matmulT(Vh, gVh, false, true)); // Vh·gVhᵀ = Vᵀ·gV
  const S2 = square(S);
  const I = eyeOf(k, S.dtype);
  const sRow = unsqueeze(S, -2);
  const sCol = unsqueeze(S, -1);
  // E[j][k] = S_k² − S_j², with 1 on the diagonal (those entries of skew(·) are 0 anyway)
  const Emat = add(sub(unsqueeze(S2, -2), unsqueeze(S2, -1)), I);
  let core = div(add(mul(UtgU, sRow), mul(sCol, VhgV)), Emat);
  core = add(core, diagEmbed(gS));
  if (m > n) {
    const gUSinv = div(gU, sRow);
    const proj = sub(gUSinv, mm(U, matmulT(U, gUSinv, true, false)));
    return mm(add(mm(U, core), proj), Vh);
  }
  if (m < n) {
    const SinvgVh = div(gVh, sCol);
    const proj = sub(SinvgVh, mm(matmulT(SinvgVh, Vh, false, true), Vh));
    return mm(U, add(mm(core, Vh), proj));
  }
  return mm(U, mm(core, Vh));
}
