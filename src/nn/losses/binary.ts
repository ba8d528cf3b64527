// Binary cross-entropy on probabilities (PyTorch's log clamp at −100 and its gradient at exactly
// 0 and 1) and on logits (the softplus form, finite and exact for any logit, with posWeight).

import { ValueError, fmtShape } from "../../core/errors.js";
import type { Tensor } from "../../core/tensor.js";
import { add, div, ge, mul, neg, sub, where } from "../../ops/elementwise.js";
import { detach } from "../../autograd/api.js";
import { safeLog, softplus } from "../../numerics/index.js";
import { type ReductionOptions, checkPair, checkReduction, checkWeight, reduceLoss } from "./reduction.js";

export interface BCEOptions extends ReductionOptions {
  /** Rescales each element's loss; broadcasts to the input's shape. */
  weight?: Tensor | null;
}

export interface BCEWithLogitsOptions extends BCEOptions {
  /** Weight of the positive term, broadcast along the last (class) dim: pos/neg balance per class. */
  posWeight?: Tensor | null;
}

/** PyTorch's floor under x(1 − x) in the BCE gradient (x − y)/max(x(1 − x), ε). */
const BCE_GRAD_EPS = 1e-12;

/** −(y·log x + (1 − y)·log(1 − x)), each log floored at −100. */
function bceTerms(x: Tensor, y: Tensor): Tensor {
  return neg(add(mul(y, safeLog(x)), mul(sub(1, y), safeLog(sub(1, x)))));
}

/**
 * Binary cross-entropy of probabilities x ∈ [0, 1] against targets y (same shape and dtype):
 * ℓᵢ = −wᵢ·(yᵢ·log xᵢ + (1 − yᵢ)·log(1 − xᵢ)), each log clamped to ≥ −100 as in PyTorch, so a
 * saturated x of exactly 0 or 1 gives a finite loss. The gradient is PyTorch's
 * wᵢ·(xᵢ − yᵢ)/max(xᵢ(1 − xᵢ), 1e−12) — the derivative of the formula inside (0, 1), and 0 when a
 * saturated x agrees with its target. Inputs outside [0, 1] raise a ValueError.
 * Prefer binaryCrossEntropyWithLogits: it never needs the clamp.
 * @example
 * st.nn.functional.binaryCrossEntropy(st.tensor([0.9, 0.2]), st.tensor([1, 0]).float())
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, opts: BCEOptions = {}): Tensor {
  const L = "binaryCrossEntropy";
  const reduction = checkReduction(L, opts.reduction);
  checkPair(L, input, target);
  const weight = opts.weight ? checkWeight(L, "weight", opts.weight, input) : null;
  const xs = input.dataSync(); // validated element by element so the error can name the bad index
  let saturated = false;
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i]!;
    if (v < 0 || v > 1) {
      throw new ValueError(`${L}: input must hold probabilities in [0, 1] (got ${v} at flat index ${i} of shape ${fmtShape(input.shape)}); for logits use binaryCrossEntropyWithLogits`);
    }
    if (v * (1 - v) < BCE_GRAD_EPS) saturated = true;
  }
  let per = bceTerms(input, target);
  if (saturated) {
    // Where x(1 − x) < 1e−12 take PyTorch's gradient (x − y)/1e−12 (0 when x agrees with y)
    // instead of the clamped logs' one; the value and the gradient in y are unchanged.
    const xd = detach(input);
    const interior = ge(mul(xd, sub(1, xd)), BCE_GRAD_EPS);
    const slope = detach(div(sub(xd, target), BCE_GRAD_EPS));
    const edge = add(bceTerms(xd, target), mul(sub(input, xd), slope));
    per = where(interior, per, edge);
  }
  if (weight) per = mul(per, weight);
  return reduceLoss(per, reduction);
}

/**
 * Binary cross-entropy of logits x against targets y ∈ [0, 1] (same shape and dtype), with
 * σ the sigmoid and p the positive weight (default 1):
 *
 *   ℓᵢ = wᵢ·(p·yᵢ·softplus(−xᵢ) + (1 − yᵢ)·softplus(xᵢ)) = −wᵢ·(p·yᵢ·log σ(xᵢ) + (1 − yᵢ)·log(1 − σ(xᵢ)))
 *
 * softplus is evaluated as max(x, 0) + log1p(e^(−|x|)), so the loss is finite and exact for any
 * finite logit (±100, ±1e4) and the gradient wᵢ·((1 − yᵢ)·σ(xᵢ) − p·yᵢ·σ(−xᵢ)) is too.
 * @example
 * st.nn.functional.binaryCrossEntropyWithLogits(st.tensor([1e4, -1e4], { dtype: "float32" }), st.tensor([1, 0], { dtype: "float32" })); // 0
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, opts: BCEWithLogitsOptions = {}): Tensor {
  const L = "binaryCrossEntropyWithLogits";
  const reduction = checkReduction(L, opts.reduction);
  checkPair(L, input, target);
  const weight = opts.weight ? checkWeight(L, "weight", opts.weight, input) : null;
  const posWeight = opts.posWeight ? checkWeight(L, "posWeight", opts.posWeight, input) : null;
  // threshold ∞: the smooth form everywhere (it is already exact; the switch would only add a kink)
  const pos = mul(target, softplus(neg(input), 1, Infinity));
  const negTerm = mul(sub(1, target), softplus(input, 1, Infinity));
  let per = add(posWeight ? mul(pos, posWeight) : pos, negTerm);
  if (weight) per = mul(per, weight);
  return reduceLoss(per, reduction);
}
