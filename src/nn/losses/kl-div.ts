// Kullback–Leibler divergence loss (PyTorch's F.kl_div): the input holds log-probabilities, the
// target probabilities (or log-probabilities with logTarget); 0·log 0 = 0 through numerics.xlogy.

import { ValueError } from "../../core/errors.js";
import type { Tensor } from "../../core/tensor.js";
import { exp, mul, sub } from "../../ops/elementwise.js";
import { sum } from "../../ops/reduce.js";
import { xlogy } from "../../numerics/log-forms.js";
import { checkPair, reduceLoss } from "./reduction.js";

/** KL reductions: PyTorch's, plus "batchmean" (the sum over the batch's first dim's size — the true KL per sample). */
export type KLReduction = "mean" | "sum" | "none" | "batchmean";

/** Options of klDiv and KLDivLoss; every one is optional. */
export interface KLDivOptions {
  /** "mean" (default, PyTorch's: the mean over every element, which is not the KL divergence), "batchmean", "sum" or "none". */
  reduction?: KLReduction;
  /** The target holds log-probabilities (default false). */
  logTarget?: boolean;
}

/** Validates a KL reduction (default "mean"). */
export function checkKLReduction(loss: string, r: unknown): KLReduction {
  const v = r ?? "mean";
  if (v !== "mean" && v !== "sum" && v !== "none" && v !== "batchmean") {
    throw new ValueError(`${loss}: reduction must be "mean", "batchmean", "sum" or "none" (got ${JSON.stringify(v)})`);
  }
  return v;
}

/**
 * KL divergence of the target distribution from the input's, elementwise:
 *
 *     ℓ = t·(log t − x)          (x = input log-probabilities, t = target probabilities; 0 where t = 0)
 *     ℓ = eᵗ·(t − x)             (logTarget: t are log-probabilities)
 *
 * reduced by "mean" (default, as PyTorch — over every element), "batchmean" (Σℓ / batch size, the
 * mathematically correct KL per sample), "sum" or "none". Input and target must have the same
 * shape and dtype; both get gradients.
 * @example
 * const logp = st.tensor([[0.25, 0.75]]).log();
 * st.nn.functional.klDiv(logp, st.tensor([[0.5, 0.5]]), { reduction: "batchmean" }) // 0.1438
 */
export function klDiv(input: Tensor, target: Tensor, opts: KLDivOptions = {}): Tensor {
  const reduction = checkKLReduction("klDiv", opts.reduction);
  checkPair("klDiv", input, target);
  const per = opts.logTarget === true ? mul(exp(target), sub(target, input)) : sub(xlogy(target, target), mul(target, input));
  if (reduction === "batchmean") {
    const n = input.ndim === 0 ? 1 : input.shape[0]!;
    return mul(sum(per), 1 / n);
  }
  return reduceLoss(per, reduction);
}
