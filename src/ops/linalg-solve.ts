// Linear systems and determinants: linalg.solve, solveTriangular, inv, det, slogdet. solve,
// solveTriangular and slogdet are primitives (LU / substitution kernels in
// backend/js/linalg-lu.ts and linalg-cholesky.ts); inv and det are composites of them.

import { ShapeError, ValueError, fmtShape } from "../core/errors.js";
import type { Tensor } from "../core/tensor.js";
import { dispatch, dispatchMany } from "./dispatch.js";
import { cast, mul } from "./elementwise.js";
import { expand, reshape, squeeze, unsqueeze } from "./shape.js";
import { broadcastBatch, checkSquare, commonFloat, eyeOf, floatInput, mT } from "./linalg-util.js";

/** Options of linalg.solve. */
export interface SolveOptions {
  /** Solve A·X = B (true, default) or X·A = B (false). */
  left?: boolean;
}

/**
 * Solution X of the square system A·X = B (PyTorch's `torch.linalg.solve`), batched: A is
 * (*, n, n), B is (*, n, k) or a batch of vectors (*, n) when B has one dim less than A (or is
 * 1-D); batch dims broadcast. With `left: false`, solves X·A = B instead. LU with partial pivoting,
 * computed in float64 and returned in the inputs' float dtype.
 *
 * Differentiable: with X = A⁻¹B, ∂B = A⁻ᵀ·G and ∂A = −A⁻ᵀ·G·Xᵀ (itself a solve, so gradients of
 * gradients work).
 *
 * @throws LinAlgError naming the batch element when A is singular (an exactly zero pivot);
 *   ShapeError for non-square A or batch dims that do not broadcast.
 * @example
 * const A = st.tensor([[3, 1], [1, 2]], { dtype: "float64" });
 * st.linalg.solve(A, st.tensor([9, 8], { dtype: "float64" })); // [2, 3]
 */
export function solve(A: Tensor, B: Tensor, opts: SolveOptions = {}): Tensor {
  return solveImpl("linalg.solve", A, B, opts.left ?? true);
}

/** A (square, float) and B of a linear system, cast to their common float dtype; n = A's order. */
function squareSystem(who: string, A0: Tensor, B0: Tensor): { A: Tensor; B: Tensor; n: number } {
  const A = floatInput(who, "A", A0);
  const B = floatInput(who, "B", B0);
  const n = checkSquare(who, A);
  const dtype = commonFloat(A, B);
  return { A: cast(A, dtype), B: cast(B, dtype), n };
}

/** @internal solve with the public op's name in its errors (inv, matrixPower, backward rules). */
export function solveImpl(who: string, A0: Tensor, B0: Tensor, left: boolean): Tensor {
  let { A, B, n } = squareSystem(who, A0, B0);
  // PyTorch's rule: B is a (batch of) vector(s) when it is 1-D or has exactly A's batch dims
  const vector = B.ndim === 1 || (B.ndim === A.ndim - 1 && B.shape.every((d, i) => d === A.shape[i]));
  if (vector) B = unsqueeze(B, -1);
  if (!left) {
    // X·A = B ⇔ Aᵀ·Xᵀ = Bᵀ
    if (vector) throw new ShapeError(`${who}: with left: false, B must be a batch of matrices (*, k, n) (got shape ${fmtShape(B0.shape)})`);
    return mT(solveImpl(who, mT(A), mT(B), true));
  }
  if (B.ndim < 2 || B.shape[B.ndim - 2] !== n) {
    throw new ShapeError(
      `${who}: A of shape ${fmtShape(A0.shape)} needs B of shape (*, ${n}, k) or (*, ${n}) (got ${fmtShape(B0.shape)}, whose dim −2 is not ${n})`,
    );
  }
  const [Ab, Bb] = broadcastBatch(who, A, B);
  const X = dispatch("solve", [Ab, Bb], Bb.shape.slice(), Bb.dtype, { n, k: Bb.shape[Bb.ndim - 1]!, who });
  return vector ? squeeze(X, -1) : X;
}

/** Options of linalg.solveTriangular. */
export interface SolveTriangularOptions {
  /** A is upper (true) or lower (false) triangular; only that triangle is read. Required. */
  upper: boolean;
  /** Solve A·X = B (true, default) or X·A = B (false). */
  left?: boolean;
  /** Take A's diagonal as all ones (not read). Default false. */
  unitriangular?: boolean;
}

/**
 * Solution X of the triangular system A·X = B (or X·A = B with `left: false`), as PyTorch's
 * `torch.linalg.solve_triangular`: A (*, n, n), B (*, n, k), batch dims broadcast. Forward or back
 * substitution in float64.
 *
 * Differentiable: ∂B = A⁻ᵀ·G (a triangular solve with the other triangle), ∂A = −∂B·Xᵀ kept on
 * A's triangle (the strict one when `unitriangular`).
 *
 * @throws LinAlgError when a diagonal entry is zero (naming it and the batch element).
 * @example
 * const L = st.tensor([[2, 0], [1, 1]], { dtype: "float64" });
 * st.linalg.solveTriangular(L, st.tensor([[4], [5]], { dtype: "float64" }), { upper: false }); // [[2], [3]]
 */
export function solveTriangular(A0: Tensor, B0: Tensor, opts: SolveTriangularOptions): Tensor {
  const who = "linalg.solveTriangular";
  if (typeof opts?.upper !== "boolean") throw new ValueError(`${who}: the option upper (true or false) is required, as in PyTorch (got ${String(opts?.upper)})`);
  return solveTriangularImpl(who, A0, B0, opts.upper, opts.left ?? true, opts.unitriangular ?? false);
}

/** @internal */
export function solveTriangularImpl(who: string, A0: Tensor, B0: Tensor, upper: boolean, left: boolean, unitriangular: boolean): Tensor {
  let { A, B, n } = squareSystem(who, A0, B0);
  if (B.ndim < 2) throw new ShapeError(`${who}: B must be a batch of matrices (*, ${n}, k) (got shape ${fmtShape(B0.shape)})`);
  if (!left) return mT(solveTriangularImpl(who, mT(A), mT(B), !upper, true, unitriangular));
  if (B.shape[B.ndim - 2] !== n) {
    throw new ShapeError(`${who}: A of shape ${fmtShape(A0.shape)} needs B of shape (*, ${n}, k) (got ${fmtShape(B0.shape)})`);
  }
  const [Ab, Bb] = broadcastBatch(who, A, B);
  return dispatch("solveTriangular", [Ab, Bb], Bb.shape.slice(), Bb.dtype, { n, k: Bb.shape[Bb.ndim - 1]!, upper, unitriangular, who });
}

/**
 * Inverse A⁻¹ of each square matrix (PyTorch's `torch.linalg.inv`): solve(A, I) by LU with
 * partial pivoting in float64. Differentiable: ∂A = −A⁻ᵀ·G·A⁻ᵀ (through solve's rule).
 *
 * @throws LinAlgError naming the batch element and the zero pivot when A is singular.
 * @example
 * st.linalg.inv(st.tensor([[4, 7], [2, 6]], { dtype: "float64" })); // [[0.6, -0.7], [-0.2, 0.4]]
 */
export function inv(A0: Tensor): Tensor {
  const who = "linalg.inv";
  const A = floatInput(who, "A", A0);
  const n = checkSquare(who, A);
  return solveImpl(who, A, expand(eyeOf(n, A.dtype), A.shape.slice()), true);
}

/** Result of linalg.slogdet: det A = sign · exp(logabsdet). */
export interface SlogdetResult {
  /** ±1, or 0 for a singular matrix (no gradient). */
  sign: Tensor;
  /** log|det A|, −Infinity for a singular matrix. */
  logabsdet: Tensor;
}

/**
 * Sign and natural log of |det A| for each square matrix (PyTorch's `torch.linalg.slogdet`), from
 * LU: log|det A| = Σᵢ log|uᵢᵢ| (no overflow where det itself would), sign = (−1)^swaps·Π sign(uᵢᵢ).
 * A singular matrix gives sign 0 and logabsdet −Infinity. Differentiable: ∂A = G·A⁻ᵀ.
 *
 * @example
 * const { sign, logabsdet } = st.linalg.slogdet(st.tensor([[0, 2], [3, 0]], { dtype: "float64" }));
 * // sign −1, logabsdet log 6
 */
export function slogdet(A0: Tensor): SlogdetResult {
  const who = "linalg.slogdet";
  const A = floatInput(who, "A", A0);
  const n = checkSquare(who, A);
  const batch = A.shape.slice(0, -2);
  const [logabsdet, sign] = dispatchMany("slogdet", [A], [{ shape: batch, dtype: A.dtype }, { shape: batch, dtype: A.dtype }], { n, who });
  return { sign: sign!, logabsdet: logabsdet! };
}

/**
 * Determinant of each square matrix (PyTorch's `torch.linalg.det`): the signed product of the
 * pivots of LU with partial pivoting, in float64 (0 for a singular matrix). Differentiable:
 * ∂A = G·cof(A), the cofactor matrix — G·det(A)·A⁻ᵀ by a solve for invertible A, from the SVD
 * (as PyTorch) when a matrix of the batch is singular.
 *
 * @example
 * st.linalg.det(st.tensor([[1, 2], [3, 4]], { dtype: "float64" })); // -2
 */
export function det(A0: Tensor): Tensor {
  const who = "linalg.det";
  const A = floatInput(who, "A", A0);
  const n = checkSquare(who, A);
  return dispatch("det", [A], A.shape.slice(0, -2), A.dtype, { n, who });
}

/** @internal g broadcast to (…, 1, 1) times the identity: the right-hand side of slogdet's backward. */
export function scaledEye(g: Tensor, n: number): Tensor {
  return mul(reshape(g, [...g.shape, 1, 1]), eyeOf(n, g.dtype));
}
