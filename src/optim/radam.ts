// RAdam (Liu et al., 2020, "On the variance of the adaptive learning rate and beyond"): Adam whose
// adaptive step is switched on only once the variance of its second-moment estimate is tractable,
// and then rectified (PyTorch's torch.optim.RAdam, plus PyTorch 2's decoupledWeightDecay).

import type { Tensor } from "../core/tensor.js";
import { add, div, mul, sqrt, sub } from "../ops/elementwise.js";
import { assign } from "./assign.js";
import { type LearningRate, checkBetas, checkBool, checkNonNegative, lrOperand, mergeOptions } from "./hyperparams.js";
import { type OptimizerOptions, type ParamGroup, type ParamState, type Params, Optimizer } from "./optimizer.js";

export interface RAdamOptions extends OptimizerOptions {
  /** Decay rates [β₁, β₂] of the first and second moment averages. Default [0.9, 0.999]. */
  betas: [number, number];
  /** Added to √v for numerical stability. Default 1e-8. */
  eps: number;
  /** Weight decay λ. Default 0. */
  weightDecay: number;
  /** Decay the weights directly (θ ← θ(1 − ηλ), as AdamW) instead of adding λθ to the gradient. Default false. */
  decoupledWeightDecay: boolean;
}

/** The hyper-parameters `radamUpdate` reads. */
export type RAdamHyper = Pick<RAdamOptions, "betas" | "eps" | "weightDecay" | "decoupledWeightDecay">;

/** RAdam's per-parameter moment estimates. */
export interface RAdamState {
  /** The first moment m: an exponential moving average of the gradient (zeros at the start). */
  expAvg: Tensor;
  /** The second moment v: an exponential moving average of the squared gradient (zeros at the start). */
  expAvgSq: Tensor;
}

const DEFAULTS: RAdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, decoupledWeightDecay: false };

/**
 * One RAdam step as tensor ops, returning the new parameter and moments (nothing is modified);
 * `t` is the step number (1 on the first call):
 *
 *     θ ← θ(1 − ηλ)  (decoupled)   or   g ← g + λθ  (otherwise)
 *     m ← β₁m + (1 − β₁)g,   v ← β₂v + (1 − β₂)g²,   m̂ = m/(1 − β₁ᵗ)
 *     ρ∞ = 2/(1 − β₂) − 1,   ρₜ = ρ∞ − 2tβ₂ᵗ/(1 − β₂ᵗ)
 *     ρₜ > 5:  r = √((ρₜ−4)(ρₜ−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρₜ)),   θ ← θ − η·m̂·r·√(1 − β₂ᵗ)/(√v + ε)
 *     else:    θ ← θ − η·m̂          (SGD with momentum while the variance is intractable)
 *
 * @example
 * const s = { expAvg: st.zeros([1]), expAvgSq: st.zeros([1]) };
 * const r = st.optim.radamUpdate(st.tensor([1]), st.tensor([2]), s, 1, 0.1, { betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, decoupledWeightDecay: false });
 * r.param.item(); // 1 − 0.1·2 = 0.8 (ρ₁ = 1 ≤ 5: the unrectified step)
 */
export function radamUpdate(p: Tensor, grad: Tensor, s: RAdamState, t: number, lr: number | Tensor, hp: RAdamHyper): {
  /** The updated parameter θ. */
  param: Tensor;
  /** The updated first moment m. */
  expAvg: Tensor;
  /** The updated second moment v. */
  expAvgSq: Tensor;
} {
  const [b1, b2] = hp.betas;
  let param = p;
  let g = grad;
  if (hp.weightDecay !== 0) {
    if (hp.decoupledWeightDecay) param = mul(p, typeof lr === "number" ? 1 - lr * hp.weightDecay : sub(1, mul(lr, hp.weightDecay)));
    else g = add(g, mul(p, hp.weightDecay));
  }
  const expAvg = add(mul(s.expAvg, b1), mul(g, 1 - b1));
  const expAvgSq = add(mul(s.expAvgSq, b2), mul(mul(g, g), 1 - b2));
  const bc1 = 1 - b1 ** t;
  const bc2 = 1 - b2 ** t;
  const mHat = div(expAvg, bc1);
  const rhoInf = 2 / (1 - b2) - 1;
  const rhoT = rhoInf - (2 * t * b2 ** t) / bc2;
  if (rhoT > 5) {
    const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
    const adaptive = div(Math.sqrt(bc2), add(sqrt(expAvgSq), hp.eps));
    return { param: sub(param, mul(mul(mul(mHat, lr), adaptive), rect)), expAvg, expAvgSq };
  }
  return { param: sub(param, mul(mHat, lr)), expAvg, expAvgSq };
}

/**
 * RAdam (PyTorch's `torch.optim.RAdam`, same options and defaults: lr 1e-3, betas [0.9, 0.999],
 * eps 1e-8, weightDecay 0; `decoupledWeightDecay` as in PyTorch 2). The first steps (while
 * ρₜ ≤ 5, i.e. 5 steps at β₂ = 0.999) are plain momentum steps; then the rectified Adam step
 * (formulas at radamUpdate), so no warm-up schedule is needed. State keys: exp_avg, exp_avg_sq, step.
 *
 * @example
 * const w = st.tensor([3, -2], { requiresGrad: true });
 * const opt = new st.optim.RAdam([w], { lr: 0.1 });
 * opt.zeroGrad();
 * w.square().sum().backward();
 * opt.step(); // w = [3 − 0.1·6, −2 + 0.1·4] = [2.4, -1.6]
 */
export class RAdam extends Optimizer<RAdamOptions> {
  constructor(params: Params<RAdamOptions>, options: Partial<RAdamOptions> = {}) {
    super("RAdam", params, mergeOptions("RAdam", DEFAULTS, options));
  }

  protected override checkOptions(o: RAdamOptions, ctx: string): void {
    checkBetas("RAdam", o.betas, ctx);
    checkNonNegative("RAdam", "eps", o.eps, ctx);
    checkNonNegative("RAdam", "weightDecay", o.weightDecay, ctx);
    checkBool("RAdam", "decoupledWeightDecay", o.decoupledWeightDecay, ctx);
  }

  protected override update(p: Tensor, grad: Tensor, group: ParamGroup<RAdamOptions>, state: ParamState): void {
    const t = this.count(state);
    const expAvg = this.stateTensor(state, "exp_avg", p);
    const expAvgSq = this.stateTensor(state, "exp_avg_sq", p);
    const lr = lrOperand(this.name, group.lr as LearningRate, p);
    const r = radamUpdate(p, grad, { expAvg, expAvgSq }, t, lr, group);
    assign("RAdam.step", expAvg, r.expAvg);
    assign("RAdam.step", expAvgSq, r.expAvgSq);
    assign("RAdam.step", p, r.param);
  }
}
