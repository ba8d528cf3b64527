// Cumulative ops along one dim: cumsum and cumprod (primitives with an O(n) kernel each; cumsum's
// gradient is the reverse cumsum of g, cumprod's an exact kernel that needs no division, so
// zeros in the input are fine).

import { type DType, isFloat } from "../core/dtype.js";
import { checkDType, checkTensorArg } from "../core/validate.js";
import { normalizeDim } from "../core/shape.js";
import type { Tensor } from "../core/tensor.js";
import { dispatch } from "./dispatch.js";
import { cast } from "./elementwise.js";

function prepare(op: string, x: Tensor, dim: number, dtype: DType | undefined): { x: Tensor; axis: number } {
  checkTensorArg(op, "the input", x);
  if (dtype !== undefined) checkDType(op, dtype);
  // bool counts as int32 (PyTorch promotes bool and integers to int64; we have int32)
  const out = dtype ?? (x.dtype === "bool" ? "int32" : x.dtype);
  return { x: cast(x, out), axis: normalizeDim(op, dim, x.ndim) };
}

/**
 * Running sum along `dim`: yᵢ = Σ_{j≤i} xⱼ (accumulated in float64). Integers and bool give
 * int32; `opts.dtype` casts first. The gradient is the reverse running sum of the upstream
 * gradient.
 * @example
 * ```ts
 * st.cumsum(st.tensor([1, 2, 3]), 0) // [1, 3, 6]
 * ```
 */
export function cumsum(x: Tensor, dim: number, opts: { dtype?: DType } = {}): Tensor {
  const p = prepare("cumsum", x, dim, opts.dtype);
  if (p.x.ndim === 0) return p.x;
  return dispatch("cumsum", [p.x], p.x.shape.slice(), p.x.dtype, { axis: p.axis, reverse: false });
}

/** Running sum along a normalized axis, from the end when `reverse` (cumsum's gradient). */
export function cumsumAlong(x: Tensor, axis: number, reverse: boolean): Tensor {
  if (x.ndim === 0) return x;
  return dispatch("cumsum", [x], x.shape.slice(), x.dtype, { axis, reverse });
}

/**
 * Running product along `dim`: yᵢ = Π_{j≤i} xⱼ. Integers and bool give int32; `opts.dtype`
 * casts first. Differentiable, with the exact gradient Σ_{i≥k} gᵢ·Π_{j≤i, j≠k} xⱼ even where the
 * input holds zeros (as PyTorch).
 * @example
 * ```ts
 * st.cumprod(st.tensor([1, 2, 3]), 0) // [1, 2, 6]
 * ```
 */
export function cumprod(x: Tensor, dim: number, opts: { dtype?: DType } = {}): Tensor {
  const p = prepare("cumprod", x, dim, opts.dtype);
  if (p.x.ndim === 0) return p.x;
  return dispatch("cumprod", [p.x], p.x.shape.slice(), p.x.dtype, { axis: p.axis });
}

/** cumprod's gradient through its kernel (not differentiable: the backward table uses it outside createGraph). */
export function cumprodBackwardKernel(x: Tensor, g: Tensor, axis: number): Tensor {
  const dtype = isFloat(g.dtype) ? g.dtype : "float32";
  return dispatch("cumprodBackward", [cast(x, dtype), cast(g, dtype)], x.shape.slice(), dtype, { axis });
}
