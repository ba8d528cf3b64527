// Adamax (Kingma & Ba, 2015, §7): Adam with the second moment replaced by an exponentially
// weighted infinity norm (PyTorch's torch.optim.Adamax).

import type { TypedArray } from "../core/dtype.js";
import type { Tensor } from "../core/tensor.js";
import { type ElementLr, checkBetas, checkBool, checkNonNegative, lrOperand, mergeOptions } from "./hyperparams.js";
import { adamaxStep } from "../backend/js/optim.js";
import { dispatchMany } from "../ops/dispatch.js";
import { type OptimizerOptions, type ParamGroup, type ParamState, type Params, Optimizer } from "./optimizer.js";

export interface AdamaxOptions extends OptimizerOptions {
  /** Decay rates [β₁, β₂] of the first moment and of the infinity norm. Default [0.9, 0.999]. */
  betas: [number, number];
  /** Added to |g| inside the norm for numerical stability. Default 1e-8. */
  eps: number;
  /** L2 penalty λ, added to the gradient. Default 0. */
  weightDecay: number;
  /** Ascend the objective instead of descending it. Default false. */
  maximize: boolean;
}

/** The hyper-parameters `adamaxUpdate` reads. */
export type AdamaxHyper = Pick<AdamaxOptions, "betas" | "eps" | "weightDecay" | "maximize">;

/** Adamax's per-parameter buffers as flat arrays. */
export interface AdamaxState {
  /** First moment m (running mean of the gradient). */
  expAvg: TypedArray;
  /** The exponentially weighted infinity norm u. */
  expInf: TypedArray;
}

const DEFAULTS: AdamaxOptions = { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false };

/**
 * One Adamax step on flat arrays, in place; `t` is the step number (1 on the first call):
 *
 *     g ← ±∇θ + λ·θ
 *     m ← β₁·m + (1 − β₁)·g
 *     u ← max(β₂·u, |g| + ε)
 *     θ ← θ − η/(1 − β₁ᵗ) · m/u
 *
 * @example
 * const p = new Float64Array([1]);
 * const s = { expAvg: new Float64Array(1), expInf: new Float64Array(1) };
 * st.optim.adamaxUpdate(p, [2], s, 1, 0.1, { betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false });
 * // m = 0.2, u ≈ 2, p ≈ 1 − (0.1/0.1)·0.1 = [0.9]
 */
export function adamaxUpdate(p: TypedArray, grad: ArrayLike<number>, s: AdamaxState, t: number, lr: ElementLr, hp: AdamaxHyper): void {
  // the js kernel of adamaxStep, which Adamax.step dispatches
  adamaxStep(p, grad, s.expAvg, s.expInf, lr, {
    step: t, beta1: hp.betas[0], beta2: hp.betas[1], eps: hp.eps, weightDecay: hp.weightDecay, maximize: hp.maximize,
  });
}

/**
 * Adamax (PyTorch's `torch.optim.Adamax`, same options and defaults: lr 2e-3, betas
 * [0.9, 0.999], eps 1e-8, weightDecay 0).
 *
 *     m ← β₁m + (1−β₁)g;   u ← max(β₂u, |g| + ε);   θ ← θ − η/(1−β₁ᵗ) · m/u
 *
 * @example
 * const w = st.tensor([3, -2], { requiresGrad: true });
 * const opt = new st.optim.Adamax([w], { lr: 0.1 });
 * opt.zeroGrad();
 * w.square().sum().backward();
 * opt.step(); // w ≈ [2.9, -1.9]
 */
export class Adamax extends Optimizer<AdamaxOptions> {
  constructor(params: Params<AdamaxOptions>, options: Partial<AdamaxOptions> = {}) {
    super("Adamax", params, mergeOptions("Adamax", DEFAULTS, options));
  }

  protected override checkOptions(o: AdamaxOptions, ctx: string): void {
    checkBetas("Adamax", o.betas, ctx);
    checkNonNegative("Adamax", "eps", o.eps, ctx);
    checkNonNegative("Adamax", "weightDecay", o.weightDecay, ctx);
    checkBool("Adamax", "maximize", o.maximize, ctx);
  }

  protected override update(p: Tensor, grad: Tensor, group: ParamGroup<AdamaxOptions>, state: ParamState): void {
    const t = this.count(state);
    const lr = lrOperand(this.name, group.lr, p);
    const inputs = [p, grad, this.stateTensor(state, "exp_avg", p), this.stateTensor(state, "exp_inf", p)];
    if (typeof lr !== "number") inputs.push(lr);
    dispatchMany("adamaxStep", inputs, [], {
      step: t, beta1: group.betas[0], beta2: group.betas[1], eps: group.eps, weightDecay: group.weightDecay, maximize: group.maximize,
      lr: typeof lr === "number" ? lr : null,
    });
  }
}
