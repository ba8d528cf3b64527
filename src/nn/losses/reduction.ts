// What every loss shares: the reduction ("mean" | "sum" | "none") and the up-front checks of
// dtypes and shapes, so bad input is reported by the loss that received it, with both shapes.

import { isFloat } from "../../core/dtype.js";
import { DTypeError, ShapeError, ValueError, fmtShape } from "../../core/errors.js";
import { broadcastShapes, shapesEqual } from "../../core/shape.js";
import { Tensor } from "../../core/tensor.js";
import { cast } from "../../ops/elementwise.js";
import { mean, sum } from "../../ops/reduce.js";

/** How per-element losses become the result: their mean (default), their sum, or unreduced. */
export type Reduction = "mean" | "sum" | "none";

/** Options every loss takes. */
export interface ReductionOptions {
  /** "mean" (default), "sum" or "none" (per-element losses, same shape as the batch). */
  reduction?: Reduction;
}

/** Validates `reduction` (default "mean"). */
export function checkReduction(loss: string, reduction: unknown): Reduction {
  const r = reduction ?? "mean";
  if (r !== "mean" && r !== "sum" && r !== "none") {
    throw new ValueError(`${loss}: reduction must be "mean", "sum" or "none" (got ${JSON.stringify(r)})`);
  }
  return r;
}

/** Applies a mean/sum/none reduction over all elements. */
export function reduceLoss(per: Tensor, reduction: Reduction): Tensor {
  if (reduction === "none") return per;
  return reduction === "sum" ? sum(per) : mean(per);
}

/** Throws unless `x` is a floating tensor; `what` names the argument ("input", "target"). */
export function checkFloatTensor(loss: string, x: unknown, what: string): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new DTypeError(`${loss}: ${what} must be a Tensor (got ${x === null ? "null" : typeof x})`);
  if (!isFloat(x.dtype)) {
    throw new DTypeError(`${loss}: ${what} must be a float32 or float64 tensor (got ${x.dtype}${x.dtype === "int32" ? "; class indices belong to crossEntropy/nllLoss" : ""})`);
  }
}

/**
 * The checks of an elementwise loss (regression, BCE): both floating, the same dtype, the same
 * shape. Shapes are not broadcast: a [N] target against a [N, 1] input would silently give an
 * [N, N] loss, the classic bug PyTorch only warns about.
 */
export function checkPair(loss: string, input: unknown, target: unknown): asserts input is Tensor {
  checkFloatTensor(loss, input, "input");
  checkFloatTensor(loss, target, "target");
  const t = target as Tensor;
  if (!shapesEqual(input.shape, t.shape)) {
    throw new ShapeError(`${loss}: input shape ${fmtShape(input.shape)} and target shape ${fmtShape(t.shape)} differ (expected the same shape; losses do not broadcast the target)`);
  }
  if (input.dtype !== t.dtype) {
    throw new DTypeError(`${loss}: input is ${input.dtype} but target is ${t.dtype} (expected the same dtype; convert with target.to("${input.dtype}"))`);
  }
}

/**
 * A weight option as a tensor of the input's dtype that broadcasts to `shape` (weights are
 * settings, so a float32 weight with a float64 input is converted rather than refused).
 */
export function checkWeight(loss: string, name: string, w: unknown, input: Tensor, shape: readonly number[] = input.shape): Tensor {
  checkFloatTensor(loss, w, name);
  let ok = true;
  try {
    ok = shapesEqual(broadcastShapes(loss, shape, w.shape), shape);
  } catch {
    ok = false;
  }
  if (!ok) throw new ShapeError(`${loss}: ${name} of shape ${fmtShape(w.shape)} does not broadcast to the input's shape ${fmtShape(shape)}`);
  return w.dtype === input.dtype ? w : cast(w, input.dtype);
}
