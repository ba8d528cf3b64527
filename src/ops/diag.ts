// Diagonals: diagonal (any offset, any pair of dims, PyTorch's layout: the diagonal becomes the
// last dim), diag (vector → matrix with the vector on a diagonal, matrix → that diagonal) and
// trace. All are views-by-copy built from permute, reshape and strided slices, so they are
// differentiable for free.

import { zeros } from "../core/creation.js";
import { ShapeError, ValueError, fmtShape } from "../core/errors.js";
import { normalizeDim } from "../core/shape.js";
import type { Tensor } from "../core/tensor.js";
import { checkTensorArg } from "../core/validate.js";
import { sum } from "./reduce.js";
import { index, permute, reshape, sliceScatter, type SliceSpec } from "./shape.js";

/**
 * The diagonal of `x` over dims `dim1` and `dim2` (default 0 and 1), shifted by `offset` (> 0
 * above the main diagonal: entries x[i, i + offset]; < 0 below). The two dims are removed and
 * the diagonal appended as the last dim, as in PyTorch. A copy, differentiable.
 * @example
 * ```ts
 * st.diagonal(st.tensor([[1, 2], [3, 4]]))    // [1, 4]
 * st.diagonal(st.tensor([[1, 2], [3, 4]]), 1) // [2]
 * ```
 */
export function diagonalGeneral(x: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  checkTensorArg("diagonal", "the input", x);
  if (x.ndim < 2) throw new ShapeError(`diagonal: expected a tensor with at least 2 dims (got shape ${fmtShape(x.shape)})`);
  if (!Number.isInteger(offset)) throw new ValueError(`diagonal: offset must be an integer (got ${offset})`);
  const d1 = normalizeDim("diagonal", dim1, x.ndim);
  const d2 = normalizeDim("diagonal", dim2, x.ndim);
  if (d1 === d2) throw new ValueError(`diagonal: dim1 and dim2 are both dim ${d1} (expected two different dims)`);
  const rest = x.shape.map((_, i) => i).filter((i) => i !== d1 && i !== d2);
  const perm = [...rest, d1, d2];
  const p = perm.every((v, i) => v === i) ? x : permute(x, perm);
  const n = x.shape[d1]!, m = x.shape[d2]!;
  const len = Math.max(0, offset >= 0 ? Math.min(n, m - offset) : Math.min(n + offset, m));
  const lead = rest.map((i) => x.shape[i]!);
  const flat = reshape(p, [...lead, n * m]);
  const specs: SliceSpec[] = lead.map(() => null);
  const start = offset >= 0 ? offset : -offset * m;
  specs.push(len === 0 ? [0, 0] : [start, start + (len - 1) * (m + 1) + 1, m + 1]);
  return index(flat, ...specs);
}

/**
 * For a 1-D `x` of length n: the square matrix of size n + |offset| with x on diagonal
 * `offset` and zeros elsewhere. For a 2-D `x`: its diagonal `offset` as a 1-D tensor.
 * @example
 * ```ts
 * st.diag(st.tensor([1, 2]))            // [[1, 0], [0, 2]]
 * st.diag(st.tensor([[1, 2], [3, 4]]))  // [1, 4]
 * ```
 */
export function diag(x: Tensor, offset = 0): Tensor {
  checkTensorArg("diag", "the input", x);
  if (!Number.isInteger(offset)) throw new ValueError(`diag: offset must be an integer (got ${offset})`);
  if (x.ndim === 2) return diagonalGeneral(x, offset, 0, 1);
  if (x.ndim !== 1) throw new ShapeError(`diag: expected a 1-D or 2-D tensor (got shape ${fmtShape(x.shape)})`);
  const n = x.shape[0]!;
  const size = n + Math.abs(offset);
  const base = zeros([size * size], { dtype: x.dtype });
  if (n === 0) return reshape(base, [size, size]);
  const start = offset >= 0 ? offset : -offset * size;
  return reshape(sliceScatter(base, x, [start], [size + 1]), [size, size]);
}

/**
 * The sum of the main diagonal of a 2-D tensor, Σᵢ x[i, i] (a 0-d tensor).
 * @example
 * ```ts
 * st.trace(st.tensor([[1, 2], [3, 4]])) // 5
 * ```
 */
export function trace(x: Tensor): Tensor {
  checkTensorArg("trace", "the input", x);
  if (x.ndim !== 2) throw new ShapeError(`trace: expected a 2-D tensor (got shape ${fmtShape(x.shape)})`);
  return sum(diagonalGeneral(x, 0, 0, 1));
}
