// Class targets for crossEntropy and nllLoss: deciding whether a target holds class indices or
// class probabilities (from its dtype and shape, like PyTorch), validating every index up front,
// and the weighted negative log-likelihood over the class dim with ignoreIndex.

import { isFloat } from "../../core/dtype.js";
import { DTypeError, IndexError, ShapeError, ValueError, fmtShape } from "../../core/errors.js";
import { tensor } from "../../core/creation.js";
import { shapesEqual } from "../../core/shape.js";
import { Tensor } from "../../core/tensor.js";
import { add, cast, div, mul, neg, where } from "../../ops/elementwise.js";
import { gather, indexSelect } from "../../ops/indexing.js";
import { sum } from "../../ops/reduce.js";
import { flatten, reshape, squeeze, unsqueeze } from "../../ops/shape.js";
import { type Reduction, checkFloatTensor } from "./reduction.js";

/** The class dim of an input: 0 for an unbatched [C] input, 1 for [N, C, d1, ...]. */
export const classDim = (input: Tensor): number => (input.ndim === 1 ? 0 : 1);

/** The shape class indices must have for `input`: its shape without the class dim. */
export function indexShape(input: Tensor): number[] {
  const s = input.shape.slice();
  s.splice(classDim(input), 1);
  return s;
}

/** Checks the input of a class loss: a float tensor with a class dim. */
export function checkClassInput(loss: string, input: unknown): asserts input is Tensor {
  if (!(input instanceof Tensor)) throw new DTypeError(`${loss}: input must be a Tensor (got ${input === null ? "null" : typeof input})`);
  if (!isFloat(input.dtype)) throw new DTypeError(`${loss}: input must be float32 or float64 (got ${input.dtype})`);
  if (input.ndim === 0) throw new ShapeError(`${loss}: input must have a class dim: shape [C] or [N, C, d1, ...] (got a 0-d tensor)`);
}

/**
 * "index" for int32 targets of the input's shape without the class dim, "prob" for float targets
 * of the input's own shape (when `allowProb`); anything else is a DTypeError (right shape, wrong
 * kind) or a ShapeError naming both shapes and what was expected.
 */
export function targetKind(loss: string, input: Tensor, target: unknown, allowProb: boolean): "index" | "prob" {
  if (!(target instanceof Tensor)) throw new DTypeError(`${loss}: target must be a Tensor (got ${target === null ? "null" : typeof target})`);
  const idx = indexShape(input);
  const asIndex = shapesEqual(target.shape, idx);
  const asProb = shapesEqual(target.shape, input.shape);
  const expected = allowProb
    ? `int32 class indices of shape ${fmtShape(idx)} or ${input.dtype} class probabilities of shape ${fmtShape(input.shape)}`
    : `int32 class indices of shape ${fmtShape(idx)}`;
  if (target.dtype === "int32") {
    if (asIndex) return "index";
    if (asProb && allowProb) {
      throw new DTypeError(`${loss}: target has the input's shape ${fmtShape(input.shape)}, i.e. class probabilities, but dtype int32 (expected ${input.dtype}: convert with target.to("${input.dtype}"), or pass class indices of shape ${fmtShape(idx)})`);
    }
  } else if (isFloat(target.dtype)) {
    if (asProb && allowProb) {
      if (target.dtype !== input.dtype) throw new DTypeError(`${loss}: input is ${input.dtype} but probability target is ${target.dtype} (expected the same dtype)`);
      return "prob";
    }
    if (asIndex) throw new DTypeError(`${loss}: target of shape ${fmtShape(target.shape)} holds class indices but has dtype ${target.dtype} (expected ${expected}; convert with target.to("int32"))`);
    if (asProb) throw new DTypeError(`${loss}: got a ${target.dtype} target of the input's shape ${fmtShape(input.shape)} (expected ${expected}; for probability targets use crossEntropy)`);
  } else {
    throw new DTypeError(`${loss}: target has dtype ${target.dtype} (expected ${expected})`);
  }
  throw new ShapeError(`${loss}: target shape ${fmtShape(target.shape)} does not fit input shape ${fmtShape(input.shape)} (expected ${expected})`);
}

function position(flat: number, shape: readonly number[]): string {
  const idx: number[] = new Array(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flat % shape[d]!;
    flat = Math.floor(flat / shape[d]!);
  }
  return fmtShape(idx);
}

/** Validates ignoreIndex (an integer) and labelSmoothing (in [0, 1]). */
export function checkClassOptions(loss: string, ignoreIndex: number, labelSmoothing: number): void {
  if (!Number.isInteger(ignoreIndex)) throw new ValueError(`${loss}: ignoreIndex must be an integer (got ${ignoreIndex})`);
  if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) throw new ValueError(`${loss}: labelSmoothing must be in [0, 1] (got ${labelSmoothing})`);
}

export interface ClassTargets {
  /** The targets with ignored entries replaced by class 0 (safe to gather with). */
  safe: Tensor;
  /** true where the target is not ignoreIndex. */
  keep: Tensor;
}

/** Checks every class index is in [0, C) or equals ignoreIndex; IndexError otherwise. */
export function checkClassIndices(loss: string, input: Tensor, target: Tensor, ignoreIndex: number): ClassTargets {
  const C = input.shape[classDim(input)]!;
  const d = target.dataSync(); // a copy of the targets (one per sample): small next to the input
  const safe = new Int32Array(d.length);
  const keep = new Uint8Array(d.length);
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v === ignoreIndex) continue;
    if (v < 0 || v >= C) {
      throw new IndexError(`${loss}: target ${v} at ${position(i, target.shape)} is out of range for ${C} classes (input shape ${fmtShape(input.shape)}, target shape ${fmtShape(target.shape)}; expected 0 <= target < ${C} or ignoreIndex ${ignoreIndex})`);
    }
    safe[i] = v;
    keep[i] = 1;
  }
  return {
    safe: tensor(safe, { shape: target.shape, dtype: "int32" }),
    keep: tensor(keep, { shape: target.shape, dtype: "bool" }),
  };
}

/** A class-weight option: a float tensor of shape [C], converted to the input's dtype. */
export function checkClassWeight(loss: string, weight: unknown, input: Tensor): Tensor {
  checkFloatTensor(loss, weight, "weight");
  const C = input.shape[classDim(input)]!;
  if (weight.ndim !== 1 || weight.shape[0] !== C) {
    throw new ShapeError(`${loss}: weight must have shape [${C}], one entry per class (got ${fmtShape(weight.shape)} for input shape ${fmtShape(input.shape)})`);
  }
  return weight.dtype === input.dtype ? weight : cast(weight, input.dtype);
}

/** `weight` [C] shaped to broadcast along dim 1 of an [N, C, d1, ...] tensor. */
export function classWeightView(weight: Tensor, ndim: number): Tensor {
  return reshape(weight, [1, weight.size, ...new Array<number>(Math.max(0, ndim - 2)).fill(1)]);
}

/**
 * Weighted NLL of batched log-probabilities logp [N, C, d1, ...] at class targets [N, d1, ...]:
 * ℓᵢ = −w[yᵢ]·logp[i, yᵢ] (0 where ignored), with label smoothing ε mixing in the uniform
 * target: ℓᵢ = (1 − ε)·ℓᵢ + (ε/C)·Σ_c −w[c]·logp[i, c]. "mean" divides the sum by Σᵢ w[yᵢ] over
 * non-ignored targets — PyTorch's weighted mean (NaN when every target is ignored, like PyTorch).
 */
export function classIndexNll(logp: Tensor, t: ClassTargets, weight: Tensor | null, labelSmoothing: number, reduction: Reduction): Tensor {
  const C = logp.shape[1]!;
  const tShape = t.safe.shape;
  const lpT = squeeze(gather(logp, 1, unsqueeze(t.safe, 1)), 1);
  // `where`, not a multiply by the mask: an ignored target's entry may be −∞ (masked logits)
  const wT = weight ? where(t.keep, reshape(indexSelect(weight, 0, flatten(t.safe)), tShape), 0) : cast(t.keep, logp.dtype);
  let per = where(t.keep, neg(weight ? mul(wT, lpT) : lpT), 0);
  if (labelSmoothing > 0) {
    const wl = weight ? mul(logp, classWeightView(weight, logp.ndim)) : logp;
    const smooth = where(t.keep, neg(sum(wl, 1)), 0);
    per = add(mul(per, 1 - labelSmoothing), mul(smooth, labelSmoothing / C));
  }
  if (reduction === "none") return per;
  if (reduction === "sum") return sum(per);
  return div(sum(per), sum(wT));
}
