// AdamW (Loshchilov & Hutter, 2019): Adam with decoupled weight decay, θ ← θ − η·λ·θ applied
// before the Adam step instead of adding λ·θ to the gradient (PyTorch's torch.optim.AdamW).

import type { TypedArray } from "../core/dtype.js";
import type { Tensor } from "../core/tensor.js";
import { adamStep } from "../backend/js/optim.js";
import { type AdamHyper, type AdamOptions, type AdamState, checkAdamOptions, dispatchAdamStep } from "./adam.js";
import { type ElementLr, lrOperand, mergeOptions } from "./hyperparams.js";
import { type ParamGroup, type ParamState, type Params, Optimizer } from "./optimizer.js";

/** Options of `AdamW`: those of Adam (its `weightDecay` is decoupled here, default 0.01). */
export type AdamWOptions = AdamOptions;

const DEFAULTS: AdamWOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, maximize: false };

/**
 * One AdamW step on flat arrays, in place; `t` is the step number (1 on the first call):
 *
 *     θ ← θ − η·λ·θ                     (decoupled decay, on the old θ)
 *     g ← ±∇θ
 *     m ← β₁·m + (1 − β₁)·g
 *     v ← β₂·v + (1 − β₂)·g²
 *     v̂ ← max(v̂, v)  (AMSGrad; else v̂ = v)
 *     θ ← θ − η/(1 − β₁ᵗ) · m / (√v̂ / √(1 − β₂ᵗ) + ε)
 *
 * @example
 * const p = new Float64Array([1]);
 * const s = { expAvg: new Float64Array(1), expAvgSq: new Float64Array(1), maxExpAvgSq: null };
 * st.optim.adamwUpdate(p, [0], s, 1, 0.1, { betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.5, maximize: false });
 * // zero gradient: only the decay acts, p = [1 − 0.1·0.5] = [0.95]
 */
export function adamwUpdate(p: TypedArray, grad: ArrayLike<number>, s: AdamState, t: number, lr: ElementLr, hp: AdamHyper): void {
  // the js kernel of adamStep with decoupled decay, which AdamW.step dispatches
  adamStep(p, grad, s.expAvg, s.expAvgSq, s.maxExpAvgSq, lr, {
    step: t, beta1: hp.betas[0], beta2: hp.betas[1], eps: hp.eps, weightDecay: hp.weightDecay, maximize: hp.maximize, decoupled: true,
  });
}

/**
 * AdamW (PyTorch's `torch.optim.AdamW`, same options and defaults: lr 1e-3, betas [0.9, 0.999],
 * eps 1e-8, weightDecay 1e-2 decoupled from the gradient, amsgrad false).
 *
 *     θ ← θ − ηλθ;   then the Adam step with λ = 0
 *
 * @example
 * const w = st.tensor([3, -2], { requiresGrad: true });
 * const opt = new st.optim.AdamW([w], { lr: 0.1, weightDecay: 0.1 });
 * opt.zeroGrad();
 * w.square().sum().backward();
 * opt.step(); // w ≈ [2.87, -1.88]
 */
export class AdamW extends Optimizer<AdamWOptions> {
  constructor(params: Params<AdamWOptions>, options: Partial<AdamWOptions> = {}) {
    super("AdamW", params, mergeOptions("AdamW", DEFAULTS, options));
  }

  protected override checkOptions(o: AdamWOptions, ctx: string): void {
    checkAdamOptions("AdamW", o, ctx);
  }

  protected override update(p: Tensor, grad: Tensor, group: ParamGroup<AdamWOptions>, state: ParamState): void {
    const t = this.count(state);
    const bufs = [this.stateTensor(state, "exp_avg", p), this.stateTensor(state, "exp_avg_sq", p)];
    if (group.amsgrad) bufs.push(this.stateTensor(state, "max_exp_avg_sq", p));
    dispatchAdamStep(p, grad, bufs, t, lrOperand(this.name, group.lr, p), group, true);
  }
}
