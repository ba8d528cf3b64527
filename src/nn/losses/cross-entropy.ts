// Cross-entropy from logits (class indices or class probabilities, ignoreIndex, label smoothing,
// class weights) and the negative log-likelihood of log-probabilities, with PyTorch's semantics.
// Cross-entropy goes through logSoftmax, never log(softmax): exact at logits of ±1e4.

import { noGrad } from "../../core/grad-mode.js";
import type { Tensor } from "../../core/tensor.js";
import { add, eq, logicalAnd, mul, neg, where } from "../../ops/elementwise.js";
import { mean, min, sum } from "../../ops/reduce.js";
import { squeeze, unsqueeze } from "../../ops/shape.js";
import { logSoftmax } from "../../numerics/index.js";
import {
  checkClassIndices, checkClassInput, checkClassOptions, checkClassWeight, classDim, classIndexNll, classWeightView, targetKind,
} from "./class-targets.js";
import { type ReductionOptions, checkReduction } from "./reduction.js";

export interface NLLOptions extends ReductionOptions {
  /** Per-class weights, shape [C] (a float32 weight is converted to a float64 input's dtype). */
  weight?: Tensor | null;
  /** Targets equal to this contribute nothing, to the sum nor to the mean's count (default −100). */
  ignoreIndex?: number;
}

export interface CrossEntropyOptions extends NLLOptions {
  /** ε ∈ [0, 1]: the target becomes (1 − ε)·target + ε/C (default 0). */
  labelSmoothing?: number;
}

/** Runs `fn` on an unbatched [C] input as a batch of one and drops the batch dim again. */
function batched(input: Tensor, target: Tensor, reduction: string, fn: (x: Tensor, t: Tensor) => Tensor): Tensor {
  if (input.ndim !== 1) return fn(input, target);
  const out = fn(unsqueeze(input, 0), unsqueeze(target, 0));
  return reduction === "none" ? squeeze(out, 0) : out;
}

/**
 * Cross-entropy between logits x [N, C, d1, ...] (or [C]) and targets, computed from
 * logp = logSoftmax(x, classDim):
 *
 * - class indices y (int32, shape [N, d1, ...]): ℓᵢ = −w[yᵢ]·logp[i, yᵢ]; targets equal to
 *   `ignoreIndex` give 0; "mean" = Σℓᵢ / Σᵢ w[yᵢ] over non-ignored targets (PyTorch's weighted
 *   mean). With label smoothing ε: ℓᵢ = (1 − ε)·ℓᵢ + (ε/C)·Σ_c −w[c]·logp[i, c].
 * - class probabilities p (float, the input's shape): ℓᵢ = −Σ_c w[c]·pᵢ_c·logp[i, c] (with
 *   p ← (1 − ε)p + ε/C); "mean" divides by the number of rows N·d1·…, not by the weights.
 *
 * Out-of-range indices raise IndexError, wrong shapes ShapeError, a float index target or an
 * int probability target DTypeError — before anything is computed. Entries where p = 0 and the
 * logit is −∞ (masked classes) contribute 0, not NaN.
 * @example
 * const logits = st.tensor([[2, 0, -1], [0, 3, 0]]).float();
 * st.nn.functional.crossEntropy(logits, st.tensor([0, 1])) // mean of −log softmax at the targets
 */
export function crossEntropy(input: Tensor, target: Tensor, opts: CrossEntropyOptions = {}): Tensor {
  const L = "crossEntropy";
  const reduction = checkReduction(L, opts.reduction);
  const ignoreIndex = opts.ignoreIndex ?? -100;
  const ls = opts.labelSmoothing ?? 0;
  checkClassOptions(L, ignoreIndex, ls);
  checkClassInput(L, input);
  const kind = targetKind(L, input, target, true);
  const C = input.shape[classDim(input)]!;
  const weight = opts.weight ? checkClassWeight(L, opts.weight, input) : null;
  const targets = kind === "index" ? checkClassIndices(L, input, target, ignoreIndex) : null;
  return batched(input, target, reduction, (x, t) => {
    const logp = logSoftmax(x, 1);
    if (targets) {
      const tt = input.ndim === 1 ? { safe: unsqueeze(targets.safe, 0), keep: unsqueeze(targets.keep, 0) } : targets;
      return classIndexNll(logp, tt, weight, ls, reduction);
    }
    const p = ls > 0 ? add(mul(t, 1 - ls), ls / C) : t;
    // 0·(−∞) would be NaN: where p = 0 at a masked (−∞) class, use logp = 0 (also for the gradient)
    const lp = hasNegInf(logp) ? where(logicalAnd(eq(p, 0), eq(logp, -Infinity)), 0, logp) : logp;
    let prod = mul(p, lp);
    if (weight) prod = mul(prod, classWeightView(weight, x.ndim));
    const per = neg(sum(prod, 1));
    return reduction === "none" ? per : reduction === "sum" ? sum(per) : mean(per);
  });
}

/**
 * Negative log-likelihood of log-probabilities x [N, C, d1, ...] (or [C]) at int32 class indices
 * y [N, d1, ...]: ℓᵢ = −w[yᵢ]·x[i, yᵢ], 0 where yᵢ = ignoreIndex; "mean" = Σℓᵢ / Σᵢ w[yᵢ] over
 * non-ignored targets. crossEntropy(x, y) = nllLoss(logSoftmax(x, 1), y).
 * @example
 * const logp = st.logSoftmax(st.tensor([[2, 0, -1]]).float(), 1);
 * st.nn.functional.nllLoss(logp, st.tensor([0]))
 */
export function nllLoss(input: Tensor, target: Tensor, opts: NLLOptions = {}): Tensor {
  const L = "nllLoss";
  const reduction = checkReduction(L, opts.reduction);
  const ignoreIndex = opts.ignoreIndex ?? -100;
  checkClassOptions(L, ignoreIndex, 0);
  checkClassInput(L, input);
  targetKind(L, input, target, false);
  const weight = opts.weight ? checkClassWeight(L, opts.weight, input) : null;
  const targets = checkClassIndices(L, input, target, ignoreIndex);
  return batched(input, target, reduction, (x) => {
    const tt = input.ndim === 1 ? { safe: unsqueeze(targets.safe, 0), keep: unsqueeze(targets.keep, 0) } : targets;
    return classIndexNll(x, tt, weight, 0, reduction);
  });
}

/** Whether any entry is −∞: one min-reduction (no copy); a NaN minimum needs an exact count. */
function hasNegInf(t: Tensor): boolean {
  if (t.size === 0) return false;
  return noGrad(() => {
    const m = min(t).item();
    return m === -Infinity || (Number.isNaN(m) && sum(eq(t, -Infinity)).item() > 0);
  });
}
