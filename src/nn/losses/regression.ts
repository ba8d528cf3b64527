// Regression losses on the difference d = input − target: squared error, absolute error, and the
// two quadratic-near-zero / linear-far-away blends (Huber, smooth L1), with PyTorch's semantics.

import { ValueError } from "../../core/errors.js";
import type { Tensor } from "../../core/tensor.js";
import { abs, lt, mul, square, sub, where } from "../../ops/elementwise.js";
import { type ReductionOptions, checkPair, checkReduction, reduceLoss } from "./reduction.js";
import { mseLossPrimitive } from "../../ops/mse-loss.js";

/**
 * Mean squared error: ℓᵢ = (xᵢ − yᵢ)², reduced by mean (default), sum or none.
 * Input and target must have the same shape and dtype; both get gradients (dx = 2(x − y)·g/n for
 * the mean, dy = −dx). One fused op forward and one backward (the sum accumulated in float64, as
 * st.sum does); gradients of gradients work.
 * @example
 * st.nn.functional.mseLoss(st.tensor([1, 2], { dtype: "float32" }), st.tensor([1, 4], { dtype: "float32" })); // 2
 */
export function mseLoss(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  const reduction = checkReduction("mseLoss", opts.reduction);
  checkPair("mseLoss", input, target);
  // one fused primitive (ops/mse-loss.ts) instead of sub, square and the reduction
  return mseLossPrimitive(input, target as Tensor, reduction);
}

/**
 * Mean absolute error: ℓᵢ = |xᵢ − yᵢ| (gradient sign(d), 0 at d = 0 like PyTorch).
 * @example
 * st.nn.functional.l1Loss(st.tensor([1, 2], { dtype: "float32" }), st.tensor([1, 4], { dtype: "float32" })); // 1
 */
export function l1Loss(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  const reduction = checkReduction("l1Loss", opts.reduction);
  checkPair("l1Loss", input, target);
  return reduceLoss(abs(sub(input, target)), reduction);
}

export interface HuberOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear, δ > 0 (default 1). */
  delta?: number;
}

/**
 * Huber loss: ℓᵢ = ½d² for |d| < δ, δ(|d| − ½δ) otherwise (d = xᵢ − yᵢ). Its gradient is d
 * clipped to [−δ, δ]. Equals δ·smoothL1Loss with β = δ.
 * @example
 * st.nn.functional.huberLoss(st.zeros([2]), st.tensor([0.5, 3])); // (0.125 + 2.5) / 2
 */
export function huberLoss(input: Tensor, target: Tensor, opts: HuberOptions = {}): Tensor {
  const reduction = checkReduction("huberLoss", opts.reduction);
  const delta = opts.delta ?? 1;
  if (!(delta > 0) || !Number.isFinite(delta)) throw new ValueError(`huberLoss: delta must be a finite number > 0 (got ${delta})`);
  checkPair("huberLoss", input, target);
  const d = sub(input, target);
  const a = abs(d);
  // both branches are finite everywhere, so where's masked gradient is a clean 0
  const per = where(lt(a, delta), mul(square(d), 0.5), mul(sub(a, 0.5 * delta), delta));
  return reduceLoss(per, reduction);
}

export interface SmoothL1Options extends ReductionOptions {
  /** Width of the quadratic zone, β ≥ 0 (default 1); β = 0 is the L1 loss. */
  beta?: number;
}

/**
 * Smooth L1 loss: ℓᵢ = ½d²/β for |d| < β, |d| − ½β otherwise. Its gradient is d/β clipped to
 * [−1, 1]; β = 0 gives l1Loss (PyTorch's rule).
 * @example
 * st.nn.functional.smoothL1Loss(st.zeros([2]), st.tensor([0.5, 3])); // (0.125 + 2.5) / 2
 */
export function smoothL1Loss(input: Tensor, target: Tensor, opts: SmoothL1Options = {}): Tensor {
  const reduction = checkReduction("smoothL1Loss", opts.reduction);
  const beta = opts.beta ?? 1;
  if (!(beta >= 0) || !Number.isFinite(beta)) throw new ValueError(`smoothL1Loss: beta must be a finite number >= 0 (got ${beta})`);
  checkPair("smoothL1Loss", input, target);
  const d = sub(input, target);
  const a = abs(d);
  if (beta === 0) return reduceLoss(a, reduction);
  const per = where(lt(a, beta), mul(square(d), 0.5 / beta), sub(a, 0.5 * beta));
  return reduceLoss(per, reduction);
}
