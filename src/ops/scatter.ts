// scatter (write src, or a value, at index positions along a dim) and scatterReduce (combine
// them by sum, prod, mean, amax or amin, with or without the base's own value): one primitive
// whose backward row (gradients-toolbox.ts) follows PyTorch, ties of amax/amin sharing equally.

import { promoteTypes } from "../core/dtype.js";
import { DTypeError, ShapeError, ValueError, fmtShape } from "../core/errors.js";
import { normalizeDim } from "../core/shape.js";
import { Tensor } from "../core/tensor.js";
import { checkTensorArg } from "../core/validate.js";
import type { ScatterReduceMode } from "../backend/toolbox-kernels.js";
import { dispatch } from "./dispatch.js";
import { cast } from "./elementwise.js";
import { full } from "../core/creation.js";
import { slice } from "./shape.js";

/** The reductions of scatterReduce, as PyTorch names them. */
export type ScatterReduce = "sum" | "prod" | "mean" | "amax" | "amin";

function scatterImpl(op: string, x: Tensor, dim: number, index: Tensor, src: Tensor | number, reduce: ScatterReduceMode, includeSelf: boolean): Tensor {
  checkTensorArg(op, "the input", x);
  checkTensorArg(op, "index", index);
  if (index.dtype !== "int32") throw new DTypeError(`${op}: index must be an int32 tensor (got ${index.dtype})`);
  const d = normalizeDim(op, dim, x.ndim);
  if (index.ndim !== x.ndim && !(x.ndim === 0 && index.ndim <= 1)) {
    throw new ShapeError(`${op}: index has ${index.ndim} dims but the input has ${x.ndim} (expected the same number)`);
  }
  for (let i = 0; i < x.ndim; i++) {
    if (i !== d && index.shape[i]! > x.shape[i]!) {
      throw new ShapeError(`${op}: index shape ${fmtShape(index.shape)} exceeds the input shape ${fmtShape(x.shape)} at dim ${i}`);
    }
  }
  let s: Tensor;
  if (typeof src === "number") s = full(index.shape, src, { dtype: x.dtype });
  else {
    checkTensorArg(op, "src", src);
    if (src.ndim !== index.ndim || index.shape.some((n, i) => n > src.shape[i]!)) {
      throw new ShapeError(`${op}: src shape ${fmtShape(src.shape)} must be at least the index shape ${fmtShape(index.shape)} in every dim`);
    }
    // only the index-shaped corner of src is read (PyTorch semantics)
    s = src.shape.some((n, i) => n !== index.shape[i]) ? slice(src, ...index.shape.map((n) => [0, n] as [number, number])) : src;
  }
  const dtype = typeof src === "number" ? x.dtype : promoteTypes(x.dtype, s.dtype);
  if (dtype === "bool" && reduce !== "assign") throw new DTypeError(`${op}: reduce "${reduce}" needs a numeric input (got bool)`);
  return dispatch("scatterReduce", [cast(x, dtype), index, cast(s, dtype)], x.shape.slice(), dtype, { dim: d, reduce, includeSelf });
}

/**
 * A copy of `x` with `src` (a tensor at least index's shape, or one number) written at
 * `index` along `dim`: for dim 1, out[i][index[i][j]] = src[i][j] (PyTorch's scatter). Where an
 * index repeats, the last write wins. Differentiable in x (0 where overwritten) and src.
 * @example
 * ```ts
 * st.scatter(st.zeros([3]), 0, st.tensor([2, 0], { dtype: "int32" }), st.tensor([5, 7])) // [7, 0, 5]
 * ```
 */
export function scatter(x: Tensor, dim: number, index: Tensor, src: Tensor | number): Tensor {
  return scatterImpl("scatter", x, dim, index, src, "assign", true);
}

/**
 * A copy of `x` with the entries of `src` combined into the positions `index` names along
 * `dim` by `reduce` ("sum", "prod", "mean", "amax", "amin"), PyTorch's scatter_reduce. With
 * `includeSelf` (default true) x's own value takes part; without it a position that receives
 * values forgets x's. "mean" divides by the number of values combined (floor division for
 * integers). Differentiable as in PyTorch (amax/amin ties share the gradient equally).
 * @example
 * ```ts
 * const x = st.tensor([1, 1]);
 * st.scatterReduce(x, 0, st.tensor([0, 0, 1], { dtype: "int32" }), st.tensor([2, 3, 4]), "sum") // [6, 5]
 * ```
 */
export function scatterReduce(
  x: Tensor, dim: number, index: Tensor, src: Tensor, reduce: ScatterReduce, includeSelf: boolean | { includeSelf?: boolean } = true,
): Tensor {
  const inc = typeof includeSelf === "object" ? includeSelf.includeSelf ?? true : includeSelf;
  if (!["sum", "prod", "mean", "amax", "amin"].includes(reduce)) {
    throw new ValueError(`scatterReduce: reduce must be "sum", "prod", "mean", "amax" or "amin" (got ${JSON.stringify(reduce)})`);
  }
  if (!(src instanceof Tensor)) throw new DTypeError(`scatterReduce: src must be a Tensor (got ${typeof src})`);
  return scatterImpl("scatterReduce", x, dim, index, src, reduce, !!inc);
}
