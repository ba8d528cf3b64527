// NAdam (Dozat, 2016): Adam with Nesterov momentum and a momentum schedule μₜ, with PyTorch ≥ 2.0
// semantics (the product of μ's enters the second correction once, pytorch/pytorch#92699).

import type { TypedArray } from "../core/dtype.js";
import type { Tensor } from "../core/tensor.js";
import { type ElementLr, checkBetas, checkBool, checkNonNegative, lrOperand, mergeOptions } from "./hyperparams.js";
import { nadamMu, nadamStep } from "../backend/js/optim.js";
import { dispatchMany } from "../ops/dispatch.js";
import { type OptimizerOptions, type ParamGroup, type ParamState, type Params, Optimizer } from "./optimizer.js";

export interface NAdamOptions extends OptimizerOptions {
  /** Decay rates [β₁, β₂] of the first and second moment estimates. Default [0.9, 0.999]. */
  betas: [number, number];
  /** Added to the denominator for numerical stability. Default 1e-8. */
  eps: number;
  /** Weight decay λ: L2 (added to the gradient) unless `decoupledWeightDecay`. Default 0. */
  weightDecay: number;
  /** ψ of the momentum schedule μₜ = β₁(1 − ½·0.96^(tψ)). Default 4e-3. */
  momentumDecay: number;
  /** Apply the weight decay as θ ← θ − ηλθ (AdamW-style) instead of as L2 (PyTorch ≥ 2.1). Default false. */
  decoupledWeightDecay: boolean;
  /** Ascend the objective instead of descending it. Default false. */
  maximize: boolean;
}

/** The hyper-parameters `nadamUpdate` reads. */
export type NAdamHyper = Pick<NAdamOptions, "betas" | "eps" | "weightDecay" | "momentumDecay" | "decoupledWeightDecay" | "maximize">;

/** NAdam's per-parameter buffers as flat arrays. */
export interface NAdamState {
  /** First moment m (running mean of the gradient). */
  expAvg: TypedArray;
  /** Second moment v (running mean of the squared gradient). */
  expAvgSq: TypedArray;
}

const DEFAULTS: NAdamOptions = {
  lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3, decoupledWeightDecay: false, maximize: false,
};

/**
 * One NAdam step on flat arrays, in place; `t` is the step number (1 on the first call) and
 * `muProduct` is Π_{k<t} μₖ (1 before the first step). Returns Π_{k≤t} μₖ for the next call.
 *
 *     μₜ = β₁(1 − ½·0.96^(tψ)),   μₜ₊₁ = β₁(1 − ½·0.96^((t+1)ψ)),   Πₜ = Πₜ₋₁·μₜ
 *     g ← ±∇θ + λ·θ          (or θ ← θ − ηλθ when decoupled)
 *     m ← β₁·m + (1 − β₁)·g
 *     v ← β₂·v + (1 − β₂)·g²
 *     d ← √(v / (1 − β₂ᵗ)) + ε
 *     θ ← θ − η(1 − μₜ)/(1 − Πₜ) · g/d − η·μₜ₊₁/(1 − Πₜ·μₜ₊₁) · m/d
 *
 * @example
 * const p = new Float64Array([1]);
 * const s = { expAvg: new Float64Array(1), expAvgSq: new Float64Array(1) };
 * const hp = { betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3, decoupledWeightDecay: false, maximize: false };
 * const muProduct = st.optim.nadamUpdate(p, [2], s, 1, 1, 0.1, hp); // p ≈ [0.894], muProduct ≈ 0.4501
 */
export function nadamUpdate(p: TypedArray, grad: ArrayLike<number>, s: NAdamState, t: number, muProduct: number, lr: ElementLr, hp: NAdamHyper): number {
  // the js kernel of nadamStep, which NAdam.step dispatches
  nadamStep(p, grad, s.expAvg, s.expAvgSq, lr, nadamAttrs(hp, t, muProduct));
  return muProduct * nadamMu(t, hp.betas[0], hp.momentumDecay);
}

function nadamAttrs(hp: NAdamHyper, t: number, muProduct: number) {
  return {
    step: t, beta1: hp.betas[0], beta2: hp.betas[1], eps: hp.eps, weightDecay: hp.weightDecay, momentumDecay: hp.momentumDecay,
    decoupledWeightDecay: hp.decoupledWeightDecay, maximize: hp.maximize, muProduct,
  };
}

/**
 * NAdam (PyTorch's `torch.optim.NAdam` ≥ 2.0, same options and defaults: lr 2e-3, betas
 * [0.9, 0.999], eps 1e-8, weightDecay 0, momentumDecay 4e-3).
 *
 *     θ ← θ − η(1−μₜ)/(1−Πₜ) · g/d − ημₜ₊₁/(1−Πₜμₜ₊₁) · m/d,   d = √(v/(1−β₂ᵗ)) + ε
 *
 * @example
 * const w = st.tensor([3, -2], { requiresGrad: true });
 * const opt = new st.optim.NAdam([w], { lr: 0.1 });
 * opt.zeroGrad();
 * w.square().sum().backward();
 * opt.step(); // w ≈ [2.894, -1.894]
 */
export class NAdam extends Optimizer<NAdamOptions> {
  constructor(params: Params<NAdamOptions>, options: Partial<NAdamOptions> = {}) {
    super("NAdam", params, mergeOptions("NAdam", DEFAULTS, options));
  }

  protected override checkOptions(o: NAdamOptions, ctx: string): void {
    checkBetas("NAdam", o.betas, ctx);
    checkNonNegative("NAdam", "eps", o.eps, ctx);
    checkNonNegative("NAdam", "weightDecay", o.weightDecay, ctx);
    checkNonNegative("NAdam", "momentumDecay", o.momentumDecay, ctx);
    checkBool("NAdam", "decoupledWeightDecay", o.decoupledWeightDecay, ctx);
    checkBool("NAdam", "maximize", o.maximize, ctx);
  }

  protected override update(p: Tensor, grad: Tensor, group: ParamGroup<NAdamOptions>, state: ParamState): void {
    const t = this.count(state);
    if (state.mu_product === undefined) state.mu_product = 1;
    const muProduct = state.mu_product as number;
    const lr = lrOperand(this.name, group.lr, p);
    const inputs = [p, grad, this.stateTensor(state, "exp_avg", p), this.stateTensor(state, "exp_avg_sq", p)];
    if (typeof lr !== "number") inputs.push(lr);
    dispatchMany("nadamStep", inputs, [], { ...nadamAttrs(group, t, muProduct), lr: typeof lr === "number" ? lr : null });
    // Π_{k≤t} μₖ, the same product the kernel used (nadamMu is its formula)
    state.mu_product = muProduct * nadamMu(t, group.betas[0], group.momentumDecay);
  }
}
