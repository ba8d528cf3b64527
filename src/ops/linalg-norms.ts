// Matrix norms and the products of st.linalg: matrixNorm, cond, vecdot, matrixPower, multiDot.
// Composites of reductions, the SVD and matmul (differentiable for free).

import { ShapeError, ValueError, fmtShape } from "../core/errors.js";
import type { Tensor } from "../core/tensor.js";
import { checkTensorArg } from "../core/validate.js";
import { noGrad } from "../core/grad-mode.js";
import { abs, div, eq, mul, sqrt, square, where } from "./elementwise.js";
import { matmul } from "./linalg.js";
import { svdvals } from "./linalg-decomp.js";
import { det, inv } from "./linalg-solve.js";
import { max, min, sum } from "./reduce.js";
import { expand, permute, reshape, unsqueeze, index } from "./shape.js";
import { checkMatrix, checkSquare, eyeOf, floatInput } from "./linalg-util.js";

/**
 * The orders matrixNorm takes (PyTorch's `ord` of torch.linalg.matrix_norm): "fro", "nuc", or one
 * of the numbers 1, −1, 2, −2, Infinity, −Infinity (checked at run time; TypeScript has no
 * literal type for Infinity).
 */
export type MatrixNormOrd = "fro" | "nuc" | number;

const ORDS: readonly unknown[] = ["fro", "nuc", 1, -1, 2, -2, Infinity, -Infinity];

/** Options of matrixNorm. */
export interface MatrixNormOptions {
  /** The two dims holding the matrices (rows, columns). Default [−2, −1]. */
  dim?: [number, number];
  /** Keep the two reduced dims as size 1. Default false. */
  keepdim?: boolean;
}

/**
 * Matrix norm of each matrix (PyTorch's `torch.linalg.matrix_norm`), ord:
 * "fro" √(Σ a_ij²) (default), "nuc" Σσᵢ, 2 / −2 the largest / smallest singular value, 1 / −1 the
 * max / min over columns of Σᵢ|a_ij|, Infinity / −Infinity the max / min over rows of Σⱼ|a_ij|.
 * Differentiable (through the SVD for "nuc" and ±2).
 *
 * @example
 * const A = st.tensor([[1, -2], [3, 4]], { dtype: "float64" });
 * st.linalg.matrixNorm(A);           // √30
 * st.linalg.matrixNorm(A, 1);        // 6
 * st.linalg.matrixNorm(A, Infinity); // 7
 */
export function matrixNorm(A0: Tensor, ord: MatrixNormOrd = "fro", opts: MatrixNormOptions = {}): Tensor {
  const who = "linalg.matrixNorm";
  const A = floatInput(who, "A", A0);
  if (!ORDS.includes(ord)) throw new ValueError(`${who}: ord must be one of "fro", "nuc", 1, -1, 2, -2, Infinity, -Infinity (got ${String(ord)})`);
  checkMatrix(who, A);
  const [d0, d1] = (opts.dim ?? [-2, -1]).map((d) => {
    if (!Number.isInteger(d) || d < -A.ndim || d >= A.ndim) throw new ShapeError(`${who}: dim ${d} is out of range for shape ${fmtShape(A.shape)}`);
    return d < 0 ? d + A.ndim : d;
  }) as [number, number];
  if (d0 === d1) throw new ShapeError(`${who}: dim must name two different dims (got [${opts.dim}])`);
  // move the two matrix dims last (rows, then columns)
  const rest = A.shape.map((_, i) => i).filter((i) => i !== d0 && i !== d1);
  const M = permute(A, [...rest, d0, d1]);
  let out: Tensor;
  if (ord === "fro") out = sqrt(sum(square(M), [-2, -1]));
  else if (ord === "nuc") out = sum(svdvals(M), -1);
  else if (ord === 2 || ord === -2) {
    const s = svdvals(M);
    out = index(s, ...s.shape.slice(0, -1).map(() => null), ord === 2 ? 0 : s.shape[s.ndim - 1]! - 1);
  } else if (ord === 1 || ord === -1) {
    const colSums = sum(abs(M), -2);
    out = ord === 1 ? max(colSums, -1) : min(colSums, -1);
  } else {
    const rowSums = sum(abs(M), -1);
    out = ord === Infinity ? max(rowSums, -1) : min(rowSums, -1);
  }
  if (opts.keepdim) for (const d of [d0, d1].sort((a, b) => a - b)) out = unsqueeze(out, d);
  return out;
}

/**
 * Condition number of each matrix (PyTorch's `torch.linalg.cond`): for p = 2 (default) σ_max/σ_min
 * and for −2 σ_min/σ_max (any m×n, from the SVD; Infinity for a singular matrix);
 * for "fro", "nuc", ±1, ±Infinity ‖A‖_p·‖A⁻¹‖_p (square A; Infinity for a singular one).
 * @example st.linalg.cond(st.tensor([[1, 0], [0, 1e-3]], { dtype: "float64" })); // 1000
 */
export function cond(A0: Tensor, p: MatrixNormOrd = 2): Tensor {
  const who = "linalg.cond";
  const A = floatInput(who, "A", A0);
  checkMatrix(who, A);
  if (!ORDS.includes(p)) throw new ValueError(`${who}: p must be one of "fro", "nuc", 1, -1, 2, -2, Infinity, -Infinity (got ${String(p)})`);
  if (p === 2 || p === -2) {
    const s = svdvals(A);
    const lead = s.shape.slice(0, -1).map(() => null);
    const first = index(s, ...lead, 0), last = index(s, ...lead, s.shape[s.ndim - 1]! - 1);
    return p === 2 ? div(first, last) : div(last, first);
  }
  const n = checkSquare(who, A);
  // a singular matrix has condition number Infinity (PyTorch), not an inv error: those matrices
  // (det exactly 0, the same LU zero pivot inv would hit) are swapped for I and masked after
  const singular = noGrad(() => eq(det(A), 0));
  if (!(Array.from(singular.dataSync() as ArrayLike<number>)).some(Boolean)) return mul(matrixNorm(A, p), matrixNorm(inv(A), p));
  const safe = where(unsqueeze(unsqueeze(singular, -1), -1), eyeOf(n, A.dtype), A);
  return where(singular, Infinity, mul(matrixNorm(A, p), matrixNorm(inv(safe), p)));
}

/**
 * Dot product of vectors along `dim` (PyTorch's `torch.linalg.vecdot`, real case): Σ xᵢ·yᵢ, with
 * broadcasting. Default dim −1.
 * @example st.linalg.vecdot(st.tensor([[1, 2], [3, 4]]), st.tensor([1, 1])); // [3, 7]
 */
export function vecdot(x: Tensor, y: Tensor, opts: { dim?: number } = {}): Tensor {
  checkTensorArg("linalg.vecdot", "x", x);
  checkTensorArg("linalg.vecdot", "y", y);
  return sum(mul(x, y), opts.dim ?? -1);
}

/**
 * A raised to the integer power n (PyTorch's `torch.linalg.matrix_power`), by repeated squaring:
 * n = 0 gives the identity, n < 0 the power of inv(A). Differentiable.
 * @example st.linalg.matrixPower(st.tensor([[1, 1], [0, 1]], { dtype: "float64" }), 3); // [[1, 3], [0, 1]]
 */
export function matrixPower(A0: Tensor, n: number): Tensor {
  const who = "linalg.matrixPower";
  checkTensorArg(who, "A", A0);
  if (!Number.isInteger(n)) throw new ValueError(`${who}: n must be an integer (got ${n})`);
  const k = checkSquare(who, A0);
  if (n === 0) return expand(eyeOf(k, A0.dtype), A0.shape.slice());
  let base = n < 0 ? inv(A0) : A0;
  let e = Math.abs(n);
  let result: Tensor | null = null;
  for (;;) {
    if (e & 1) result = result === null ? base : matmul(result, base);
    e = Math.floor(e / 2);
    if (e === 0) break;
    base = matmul(base, base);
  }
  return result!;
}

/**
 * Product of two or more matrices in the cheapest order (PyTorch's `torch.linalg.multi_dot`):
 * the first may be a 1-D row vector and the last a 1-D column vector; the others are 2-D. The
 * order is chosen by the classic O(N³) dynamic programme over the chain's dims.
 * @example st.linalg.multiDot([st.ones([10, 100]), st.ones([100, 5]), st.ones([5])]).shape; // [10]
 */
export function multiDot(tensors: readonly Tensor[]): Tensor {
  const who = "linalg.multiDot";
  if (!Array.isArray(tensors) || tensors.length < 2) throw new ValueError(`${who}: expected a list of at least 2 tensors (got ${Array.isArray(tensors) ? tensors.length : typeof tensors})`);
  tensors.forEach((t, i) => checkTensorArg(who, `tensor ${i}`, t));
  const N = tensors.length;
  const first1d = tensors[0]!.ndim === 1, last1d = tensors[N - 1]!.ndim === 1;
  const mats = tensors.map((t, i) => {
    if (i === 0 && first1d) return reshape(t, [1, t.shape[0]!]);
    if (i === N - 1 && last1d) return reshape(t, [t.shape[0]!, 1]);
    if (t.ndim !== 2) throw new ShapeError(`${who}: tensor ${i} must be 2-D${i === 0 || i === N - 1 ? " (or 1-D)" : ""} (got shape ${fmtShape(t.shape)})`);
    return t;
  });
  const dims = [mats[0]!.shape[0]!, ...mats.map((t) => t.shape[1]!)];
  mats.forEach((t, i) => {
    if (t.shape[0] !== dims[i]) {
      throw new ShapeError(`${who}: tensor ${i} of shape ${fmtShape(tensors[i]!.shape)} does not chain with tensor ${i - 1} of shape ${fmtShape(tensors[i - 1]!.shape)}`);
    }
  });
  // cost[i][j]: fewest multiplications for mats i..j; split[i][j]: where the last product splits
  const cost = Array.from({ length: N }, () => new Array<number>(N).fill(0));
  const split = Array.from({ length: N }, () => new Array<number>(N).fill(0));
  for (let len = 1; len < N; len++) {
    for (let i = 0; i + len < N; i++) {
      const j = i + len;
      cost[i]![j] = Infinity;
      for (let s = i; s < j; s++) {
        const c = cost[i]![s]! + cost[s + 1]![j]! + dims[i]! * dims[s + 1]! * dims[j + 1]!;
        if (c < cost[i]![j]!) { cost[i]![j] = c; split[i]![j] = s; }
      }
    }
  }
  const chain = (i: number, j: number): Tensor => (i === j ? mats[i]! : matmul(chain(i, split[i]![j]!), chain(split[i]![j]! + 1, j)));
  let out = chain(0, N - 1);
  if (first1d && last1d) return reshape(out, []);
  if (first1d) out = reshape(out, [out.shape[1]!]);
  else if (last1d) out = reshape(out, [out.shape[0]!]);
  return out;
}
