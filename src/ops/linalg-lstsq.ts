// Least squares and pseudo-inverses through the SVD: linalg.lstsq (the closed form of linear
// regression), linalg.pinv and linalg.matrixRank. Composites of the svd / eigh primitives, so
// they are differentiable where the SVD is (distinct non-zero singular values).

import { ShapeError, ValueError, fmtShape } from "../core/errors.js";
import type { Tensor } from "../core/tensor.js";
import { noGrad } from "../core/grad-mode.js";
import { abs, cast, div, gt, maximum, mul, sub, where } from "./elementwise.js";
import { matmul } from "./linalg.js";
import { eigh, svd } from "./linalg-decomp.js";
import { max, sum } from "./reduce.js";
import { squeeze, unsqueeze } from "./shape.js";
import { empty } from "./util.js";
import { broadcastBatch, checkMatrix, checkTolerance, commonFloat, epsOf, floatInput, mT } from "./linalg-util.js";

/** Tolerances of pinv and matrixRank (PyTorch's atol / rtol; rcond is rtol's older name). */
export interface RankTolerance {
  /** Absolute threshold: singular values ≤ atol count as zero. Default 0. */
  atol?: number;
  /** Relative threshold, times the largest singular value. Default eps·max(m, n) when atol is not given, else 0. */
  rtol?: number;
  /** Alias of rtol (torch.linalg.pinv's older argument). */
  rcond?: number;
  /** A is symmetric: use eigh (|eigenvalues|) instead of the SVD. Default false. */
  hermitian?: boolean;
}

/** The (…, 1) threshold max(atol, rtol·σ_max) of PyTorch's pinv / matrix_rank, from σ (…, k). */
function threshold(who: string, sv: Tensor, m: number, n: number, o: RankTolerance): Tensor {
  const atol = checkTolerance(who, "atol", o.atol);
  let rtol = checkTolerance(who, "rtol", o.rtol);
  const rcond = checkTolerance(who, "rcond", o.rcond);
  if (rtol !== undefined && rcond !== undefined) throw new ValueError(`${who}: give rtol or rcond (its older name), not both`);
  rtol ??= rcond;
  rtol ??= atol !== undefined && atol > 0 ? 0 : epsOf(sv.dtype) * Math.max(m, n);
  const smax = sv.shape[sv.ndim - 1] === 0 ? sv : max(sv, -1, true);
  return maximum(mul(smax, rtol), atol ?? 0);
}

/** Singular values (or |eigenvalues| when hermitian) and the factors that rebuild A⁺ from them. */
function spectrum(A: Tensor, hermitian: boolean): { sv: Tensor; left: Tensor; vals: Tensor; rightT: Tensor } {
  if (hermitian) {
    const { eigenvalues: w, eigenvectors: V } = eigh(A);
    return { sv: abs(w), left: V, vals: w, rightT: V };
  }
  const { U, S, Vh } = svd(A);
  return { sv: S, left: U, vals: S, rightT: mT(Vh) };
}

/**
 * Moore–Penrose pseudo-inverse A⁺ of each matrix (PyTorch's `torch.linalg.pinv`), through the SVD
 * A = U·diag(σ)·Vh: A⁺ = Vhᵀ·diag(σ⁺)·Uᵀ with σ⁺ = 1/σ where σ > max(atol, rtol·σ_max), else 0.
 * Defaults: atol 0, rtol eps·max(m, n) (0 when atol > 0 is given); `rcond` is rtol's older name.
 * With `hermitian: true`, A is taken as symmetric and eigh replaces the SVD (|λ| as σ).
 * Differentiable through the SVD (distinct non-zero singular values).
 *
 * @example
 * st.linalg.pinv(st.tensor([[1, 2], [2, 4], [3, 6]], { dtype: "float64" })); // rank 1: A⁺ = Aᵀ/70
 */
export function pinv(A0: Tensor, opts: RankTolerance = {}): Tensor {
  const who = "linalg.pinv";
  const A = floatInput(who, "A", A0);
  const [m, n] = checkMatrix(who, A);
  const { sv, left, vals, rightT } = spectrum(A, opts.hermitian ?? false);
  const tol = noGrad(() => threshold(who, sv.detach(), m, n, opts));
  const keep = gt(sv, tol);
  // 1/σ only where kept: the safe denominator keeps a zero σ from sending NaN through where's backward
  const inv = where(keep, div(1, where(keep, vals, 1)), 0);
  return matmul(mul(rightT, unsqueeze(inv, -2)), mT(left));
}

/**
 * Numerical rank of each matrix (PyTorch's `torch.linalg.matrix_rank`): the number of singular
 * values above max(atol, rtol·σ_max), defaults as pinv. int32 result of the batch shape.
 * @example st.linalg.matrixRank(st.tensor([[1, 2], [2, 4]], { dtype: "float64" })); // 1
 */
export function matrixRank(A0: Tensor, opts: RankTolerance = {}): Tensor {
  const who = "linalg.matrixRank";
  const A = floatInput(who, "A", A0);
  const [m, n] = checkMatrix(who, A);
  return noGrad(() => {
    const { sv } = spectrum(A, opts.hermitian ?? false);
    return sum(gt(sv, threshold(who, sv, m, n, opts)), -1);
  });
}

/** Result of linalg.lstsq (PyTorch's field names, camelCased). */
export interface LstsqResult {
  /** X minimizing ‖A·X − B‖_F, (*, n, k) (or (*, n) for a vector B); the minimum-norm one when A is rank-deficient. */
  solution: Tensor;
  /** ‖A·X − B‖² per column, (*, k), when m > n and every A has full rank; else an empty tensor. */
  residuals: Tensor;
  /** Numerical rank of each A (int32, batch shape). */
  rank: Tensor;
  /** Singular values of each A, descending, (*, min(m, n)). */
  singularValues: Tensor;
}

/** Options of linalg.lstsq. */
export interface LstsqOptions {
  /** Singular values ≤ rcond·σ_max count as zero. Default eps(dtype)·max(m, n), as PyTorch. */
  rcond?: number;
  /**
   * PyTorch's LAPACK driver name, accepted so ported calls run: every driver computes the same
   * SVD-based (gelsd-style) solution here and fills every field. For full-rank A the answers of
   * PyTorch's drivers agree with it to rounding.
   */
  driver?: "gels" | "gelsy" | "gelsd" | "gelss";
}

/**
 * Least-squares solution of A·X ≈ B (PyTorch's `torch.linalg.lstsq`): A is (*, m, n), B is
 * (*, m, k) or a vector (m) for a single A; batch dims broadcast. Computed through the SVD as
 * LAPACK's gelsd driver does: X = Vhᵀ·diag(σ⁺)·Uᵀ·B, where singular values ≤ rcond·σ_max count as
 * zero (default rcond: eps·max(m, n)), so rank-deficient and under-determined systems get the
 * minimum-norm solution. For full-rank A with m ≥ n this is the closed form of linear regression,
 * X = (AᵀA)⁻¹AᵀB, without forming AᵀA (whose condition number is cond(A)²).
 * Differentiable through the SVD (solution and residuals).
 *
 * @example
 * // fit y = w·x + b
 * const X = st.tensor([[0, 1], [1, 1], [2, 1], [3, 1]], { dtype: "float64" });
 * const y = st.tensor([1, 3, 5, 7], { dtype: "float64" });
 * st.linalg.lstsq(X, y).solution; // [2, 1]
 */
export function lstsq(A0: Tensor, B0: Tensor, opts: LstsqOptions = {}): LstsqResult {
  const who = "linalg.lstsq";
  if (opts.driver !== undefined && !["gels", "gelsy", "gelsd", "gelss"].includes(opts.driver)) {
    throw new ValueError(`${who}: driver must be "gels", "gelsy", "gelsd" or "gelss" (got ${JSON.stringify(opts.driver)})`);
  }
  let A = floatInput(who, "A", A0);
  let B = floatInput(who, "B", B0);
  const [m, n] = checkMatrix(who, A);
  const dtype = commonFloat(A, B);
  A = cast(A, dtype);
  B = cast(B, dtype);
  const vector = B.ndim === 1;
  if (vector) {
    if (A.ndim !== 2) throw new ShapeError(`${who}: a 1-D B needs a single matrix A (got A of shape ${fmtShape(A0.shape)}); give B as (*, m, k)`);
    B = unsqueeze(B, -1);
  }
  if (B.shape[B.ndim - 2] !== m) {
    throw new ShapeError(`${who}: A of shape ${fmtShape(A0.shape)} has ${m} rows, so B must be (*, ${m}, k) or (${m}) (got ${fmtShape(B0.shape)})`);
  }
  [A, B] = broadcastBatch(who, A, B);
  const rcond = checkTolerance(who, "rcond", opts.rcond) ?? epsOf(dtype) * Math.max(m, n);
  const { U, S, Vh } = svd(A);
  const tol = noGrad(() => mul(S.shape[S.ndim - 1] === 0 ? S.detach() : max(S.detach(), -1, true), rcond));
  const keep = gt(S, tol);
  const sInv = where(keep, div(1, where(keep, S, 1)), 0);
  // X = V·diag(σ⁺)·(Uᵀ·B): the k×… product first keeps the work at O(mnk)
  let X = matmul(mul(mT(Vh), unsqueeze(sInv, -2)), matmul(mT(U), B));
  const rank = noGrad(() => sum(keep, -1));
  const fullRank = noGrad(() => (rank.dtype === "int32" ? (Array.from(rank.dataSync() as Int32Array).every((r) => r === n)) : false));
  let residuals: Tensor;
  if (m > n && fullRank) {
    const r = sub(matmul(A, X), B);
    residuals = sum(mul(r, r), -2);
    if (vector) residuals = squeeze(residuals, -1);
  } else {
    residuals = empty([0], dtype);
  }
  if (vector) X = squeeze(X, -1);
  return { solution: X, residuals, rank, singularValues: S };
}
