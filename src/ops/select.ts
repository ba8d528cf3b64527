// Small shape helpers under PyTorch's names: select (one index of one dim, the dim dropped),
// numel and expandAs.

import { IndexError, ShapeError, fmtShape } from "../core/errors.js";
import { normalizeDim } from "../core/shape.js";
import type { Tensor } from "../core/tensor.js";
import { checkTensorArg } from "../core/validate.js";
import { expand, narrow, reshape } from "./shape.js";

/**
 * The slice at `index` of dim `dim`, with that dim removed (x.select(0, i) is x[i]); negative
 * indices count from the end. Differentiable.
 * @example
 * ```ts
 * st.select(st.tensor([[1, 2], [3, 4]]), 1, 0) // [1, 3]
 * ```
 */
export function select(x: Tensor, dim: number, index: number): Tensor {
  checkTensorArg("select", "the input", x);
  if (x.ndim === 0) throw new ShapeError("select: cannot select from a 0-D tensor (expected at least 1 dim)");
  const d = normalizeDim("select", dim, x.ndim);
  const n = x.shape[d]!;
  if (!Number.isInteger(index) || index < -n || index >= n) {
    throw new IndexError(`select: index ${index} is out of range for dim ${dim} of size ${n} (expected an integer in [${-n}, ${n - 1}])`);
  }
  const i = index < 0 ? index + n : index;
  return reshape(narrow(x, d, i, 1), x.shape.filter((_, j) => j !== d));
}

/**
 * The number of elements (the product of the shape; 1 for a 0-d tensor).
 * @example
 * ```ts
 * st.numel(st.zeros([2, 3])) // 6
 * ```
 */
export function numel(x: Tensor): number {
  checkTensorArg("numel", "the input", x);
  return x.size;
}

/**
 * `x` broadcast to `other`'s shape (expand(x, other.shape)).
 * @example
 * ```ts
 * st.expandAs(st.tensor([1, 2]), st.zeros([3, 2])) // shape [3, 2]
 * ```
 */
export function expandAs(x: Tensor, other: Tensor): Tensor {
  checkTensorArg("expandAs", "the input", x);
  checkTensorArg("expandAs", "other", other);
  if (x.ndim > other.ndim) {
    throw new ShapeError(`expandAs: cannot expand shape ${fmtShape(x.shape)} to the smaller-rank shape ${fmtShape(other.shape)}`);
  }
  return expand(x, other.shape);
}
