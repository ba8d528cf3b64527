// The MSE loss as one primitive, `mseLoss`, over the mseLoss / mseLossBackward kernels: one pass
// forward and one backward where mean(square(sub(x, t))) runs sub, square and a reduction forward
// and div, expand, mul, mul (and neg) backward. nn.functional.mseLoss (nn/losses/regression.ts)
// validates its arguments and calls mseLossPrimitive; the values equal the composite's (on the js
// backend bit for bit: the kernels round where the composite does).

import type { MseReduction } from "../backend/backend.js";
import { isGradEnabled } from "../core/grad-mode.js";
import type { Tensor } from "../core/tensor.js";
import { dispatch, dispatchMany, type OutSpec } from "./dispatch.js";
import { div, mul, neg, sub } from "./elementwise.js";
import type { OpAttrs, OpNode } from "./op.js";

/**
 * (x − t)² per element ("none", x's shape) or its sum / mean (shape []), recorded as the
 * primitive `mseLoss`. The caller has checked that x and t are float tensors of one dtype and
 * one shape (nn/losses/reduction.ts checkPair).
 */
export function mseLossPrimitive(x: Tensor, t: Tensor, reduction: MseReduction): Tensor {
  return dispatch("mseLoss", [x, t], reduction === "none" ? x.shape.slice() : [], x.dtype, { reduction });
}

/**
 * Backward of `mseLoss` (saved [x, t]): with d = x − t and c = g/n (mean), g (sum) or g itself
 * (none), dx = c·2d and dt = −dx. Without createGraph the mseLossBackward kernel writes both in
 * one pass; with it the same formula runs as differentiable ops (in the composite's order), so
 * gradients of gradients reach x, t and g.
 */
export function mseLossBackward(g: Tensor, saved: Tensor[], a: OpAttrs["mseLoss"], _node: OpNode<"mseLoss">, needs: boolean[]): (Tensor | null)[] {
  const [x, t] = saved as [Tensor, Tensor];
  if (isGradEnabled() || g.dtype !== x.dtype) {
    const c = a.reduction === "mean" ? div(g, x.size) : g;
    const dx = mul(c, mul(sub(x, t), 2));
    return [needs[0] ? dx : null, needs[1] ? neg(dx) : null];
  }
  const outs: OutSpec[] = [];
  if (needs[0]) outs.push({ shape: x.shape.slice(), dtype: x.dtype });
  if (needs[1]) outs.push({ shape: x.shape.slice(), dtype: x.dtype });
  if (outs.length === 0) return [null, null];
  const r = dispatchMany("mseLossBackward", [g, x, t], outs, { reduction: a.reduction, dx: needs[0]!, dt: needs[1]! });
  return [needs[0] ? r[0]! : null, needs[1] ? r[needs[0] ? 1 : 0]! : null];
}
