// Masked softmax: softmax over one dim where some entries do not take part. A plain softmax of
// logits with −∞ at the masked entries gives NaN (0/0) on a row whose entries are all masked —
// padding rows of attention hit that every batch. Here such a row is all zeros, with zero
// gradients, while NaN in the logits still propagates (a real NaN is never hidden).

import { isFloat } from "../core/dtype.js";
import { DTypeError, ShapeError, fmtShape } from "../core/errors.js";
import { noGrad } from "../core/grad-mode.js";
import { broadcastShapes, normalizeDim } from "../core/shape.js";
import { Tensor } from "../core/tensor.js";
import { add, cast, div, eq, exp, sub, where } from "../ops/elementwise.js";
import { max, sum } from "../ops/reduce.js";

/**
 * Softmax of `x` along `dim` with a mask, broadcast against x:
 *
 *   y_i = m_i·exp(x_i − c) / Σ_j m_j·exp(x_j − c)   (bool mask m: `true` = take part)
 *   y_i = exp(x_i + a_i − c) / Σ_j exp(x_j + a_j − c)  (float mask a: added to the logits, −∞ = masked)
 *
 * with c the row's largest unmasked logit. A row with no unmasked entry (or whose entries are all
 * −∞) gives zeros and zero gradients instead of NaN. NaN in x propagates to its row; +∞ gives NaN
 * as in PyTorch's softmax. `mask` null/undefined is a plain softmax. Non-float x is cast to float32.
 *
 * @example
 * const x = st.tensor([[1, 2, 3], [4, 5, 6]]);
 * const m = st.tensor([[true, true, false], [false, false, false]]);
 * st.numerics.maskedSoftmax(x, m) // [[0.269, 0.731, 0], [0, 0, 0]]
 */
export function maskedSoftmax(x: Tensor, mask?: Tensor | null, dim = -1): Tensor {
  if (!(x instanceof Tensor)) throw new DTypeError(`maskedSoftmax: expected a Tensor for x (got ${x === null ? "null" : typeof x})`);
  const xf = isFloat(x.dtype) ? x : cast(x, "float32");
  const d = normalizeDim("maskedSoftmax", dim, xf.ndim);
  let s = xf;
  if (mask != null) {
    if (!(mask instanceof Tensor)) throw new DTypeError(`maskedSoftmax: mask must be a bool or float Tensor (got ${typeof mask})`);
    let shape: number[];
    try {
      shape = broadcastShapes("maskedSoftmax", xf.shape, mask.shape);
    } catch {
      throw new ShapeError(`maskedSoftmax: mask of shape ${fmtShape(mask.shape)} does not broadcast to the input's shape ${fmtShape(xf.shape)}`);
    }
    if (shape.length !== xf.ndim || shape.some((n, i) => n !== xf.shape[i])) {
      throw new ShapeError(`maskedSoftmax: mask of shape ${fmtShape(mask.shape)} must broadcast to the input's shape ${fmtShape(xf.shape)} without enlarging it`);
    }
    if (mask.dtype === "bool") s = where(mask, xf, -Infinity);
    else if (isFloat(mask.dtype)) s = add(xf, mask.dtype === xf.dtype ? mask : cast(mask, xf.dtype));
    else throw new DTypeError(`maskedSoftmax: mask must be bool (true = take part) or float (additive), got ${mask.dtype}`);
  }
  if (xf.size === 0) return s; // nothing to normalize (max has no identity on an empty row)
  // The shift c is a constant of the formula (softmax is shift-invariant), so it is taken outside
  // the graph: its gradient would be exactly zero in exact arithmetic and only rounding otherwise.
  // A row whose maximum is −∞ (all masked) is shifted by 0: exp(−∞) = 0 everywhere, sum 0.
  const c = noGrad(() => {
    const m = max(s, d, true);
    return where(eq(m, -Infinity), 0, m);
  });
  const e = exp(sub(s, c));
  const z = sum(e, d, true);
  return div(e, where(eq(z, 0), 1, z));
}

