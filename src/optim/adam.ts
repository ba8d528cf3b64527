// Adam (Kingma & Ba, 2015) with PyTorch's semantics: bias-corrected moment estimates, L2 weight
// decay added to the gradient, optional AMSGrad. AdamW (adamw.ts) reuses the update below.

import type { TypedArray } from "../core/dtype.js";
import type { Tensor } from "../core/tensor.js";
import { adamStep } from "../backend/js/optim.js";
import { dispatchMany } from "../ops/dispatch.js";
import { type ElementLr, checkBetas, checkBool, checkNonNegative, lrOperand, mergeOptions } from "./hyperparams.js";
import { type OptimizerOptions, type ParamGroup, type ParamState, type Params, Optimizer } from "./optimizer.js";

export interface AdamOptions extends OptimizerOptions {
  /** Decay rates [β₁, β₂] of the first and second moment estimates. Default [0.9, 0.999]. */
  betas: [number, number];
  /** Added to the denominator for numerical stability. Default 1e-8. */
  eps: number;
  /** L2 penalty λ (Adam: added to the gradient; AdamW: decoupled). Default 0 (AdamW: 1e-2). */
  weightDecay: number;
  /** Use the running maximum of the second moment (AMSGrad). Default false. */
  amsgrad: boolean;
  /** Ascend the objective instead of descending it. Default false. */
  maximize: boolean;
}

/** The hyper-parameters `adamUpdate` reads (AMSGrad is on when `maxExpAvgSq` is given). */
export type AdamHyper = Pick<AdamOptions, "betas" | "eps" | "weightDecay" | "maximize">;

/** Adam's per-parameter buffers as flat arrays. */
export interface AdamState {
  /** First moment m (running mean of the gradient). */
  expAvg: TypedArray;
  /** Second moment v (running mean of the squared gradient). */
  expAvgSq: TypedArray;
  /** The running maximum of `expAvgSq` (AMSGrad), or null. */
  maxExpAvgSq: TypedArray | null;
}

/** The buffers under PyTorch's state keys (exp_avg, exp_avg_sq, max_exp_avg_sq with AMSGrad). */
export function adamState(buffer: (key: string) => TypedArray, amsgrad: boolean): AdamState {
  return { expAvg: buffer("exp_avg"), expAvgSq: buffer("exp_avg_sq"), maxExpAvgSq: amsgrad ? buffer("max_exp_avg_sq") : null };
}

const DEFAULTS: AdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false };

/** Option checks shared by Adam and AdamW (PyTorch's, plus booleans). */
export function checkAdamOptions(owner: string, o: AdamOptions, ctx: string): void {
  checkBetas(owner, o.betas, ctx);
  checkNonNegative(owner, "eps", o.eps, ctx);
  checkNonNegative(owner, "weightDecay", o.weightDecay, ctx);
  checkBool(owner, "amsgrad", o.amsgrad, ctx);
  checkBool(owner, "maximize", o.maximize, ctx);
}

/**
 * One Adam step on flat arrays, in place; `t` is the step number (1 on the first call):
 *
 *     g ← ±∇θ + λ·θ
 *     m ← β₁·m + (1 − β₁)·g
 *     v ← β₂·v + (1 − β₂)·g²
 *     v̂ ← max(v̂, v)  (AMSGrad; else v̂ = v)
 *     θ ← θ − η/(1 − β₁ᵗ) · m / (√v̂ / √(1 − β₂ᵗ) + ε)
 *
 * @example
 * const p = new Float64Array([1]);
 * const s = { expAvg: new Float64Array(1), expAvgSq: new Float64Array(1), maxExpAvgSq: null };
 * st.optim.adamUpdate(p, [2], s, 1, 0.1, { betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false });
 * // the first step moves each element by ≈ η against the gradient's sign: p ≈ [0.9]
 */
export function adamUpdate(p: TypedArray, grad: ArrayLike<number>, s: AdamState, t: number, lr: ElementLr, hp: AdamHyper): void {
  // the js kernel of adamStep, which Adam.step dispatches
  adamStep(p, grad, s.expAvg, s.expAvgSq, s.maxExpAvgSq, lr, {
    step: t, beta1: hp.betas[0], beta2: hp.betas[1], eps: hp.eps, weightDecay: hp.weightDecay, maximize: hp.maximize, decoupled: false,
  });
}

/**
 * Adam (PyTorch's `torch.optim.Adam`, same options and defaults: lr 1e-3, betas [0.9, 0.999],
 * eps 1e-8, weightDecay 0 as an L2 term added to the gradient, amsgrad false).
 *
 *     m ← β₁m + (1−β₁)g;   v ← β₂v + (1−β₂)g²;   θ ← θ − η/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε)
 *
 * @example
 * const w = st.tensor([3, -2], { requiresGrad: true });
 * const opt = new st.optim.Adam([w], { lr: 0.1 });
 * opt.zeroGrad();
 * w.square().sum().backward();
 * opt.step(); // w ≈ [2.9, -1.9]
 */
export class Adam extends Optimizer<AdamOptions> {
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super("Adam", params, mergeOptions("Adam", DEFAULTS, options));
  }

  protected override checkOptions(o: AdamOptions, ctx: string): void {
    checkAdamOptions("Adam", o, ctx);
  }

  protected override update(p: Tensor, grad: Tensor, group: ParamGroup<AdamOptions>, state: ParamState): void {
    const t = this.count(state);
    const bufs = [this.stateTensor(state, "exp_avg", p), this.stateTensor(state, "exp_avg_sq", p)];
    if (group.amsgrad) bufs.push(this.stateTensor(state, "max_exp_avg_sq", p));
    dispatchAdamStep(p, grad, bufs, t, lrOperand(this.name, group.lr, p), group, false);
  }
}

/**
 * One Adam/AdamW step through dispatch (kernel adamStep; observers see it): in place on p and
 * the buffers [exp_avg, exp_avg_sq, max_exp_avg_sq?]. A backend with a fused kernel runs the
 * common case (number lr, no AMSGrad, not maximizing) in one pass; js runs every case.
 */
export function dispatchAdamStep(
  p: Tensor, grad: Tensor, bufs: Tensor[], t: number, lr: number | Tensor, hp: AdamHyper, decoupled: boolean,
): void {
  const inputs = [p, grad, ...bufs];
  if (typeof lr !== "number") inputs.push(lr);
  dispatchMany("adamStep", inputs, [], {
    step: t, beta1: hp.betas[0], beta2: hp.betas[1], eps: hp.eps, weightDecay: hp.weightDecay, maximize: hp.maximize,
    decoupled, amsgrad: bufs.length > 2, lr: typeof lr === "number" ? lr : null,
  });
}
