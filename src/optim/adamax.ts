// Adamax (Kingma & Ba, 2015, §7): Adam with the second moment replaced by an exponentially
// weighted infinity norm (PyTorch's torch.optim.Adamax).

import type { TypedArray } from "../core/dtype.js";
import type { Tensor } from "../core/tensor.js";
import { type ElementLr, checkBetas, checkBool, checkNonNegative, lrAt, mergeOptions } from "./hyperparams.js";
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
 * adamaxUpdate(p, [2], s, 1, 0.1, { betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false });
 * // m = 0.2, u ≈ 2, p ≈ 1 − (0.1/0.1)·0.1 = [0.9]
 */
export function adamaxUpdate(p: TypedArray, grad: ArrayLike<number>, s: AdamaxState, t: number, lr: ElementLr, hp: AdamaxHyper): void {
  const [beta1, beta2] = hp.betas;
  const { eps, weightDecay, maximize } = hp;
  const { expAvg: m, expInf: u } = s;
  const bc1 = 1 - beta1 ** t;
  for (let i = 0; i < p.length; i++) {
    let g = maximize ? -grad[i]! : grad[i]!;
    if (weightDecay !== 0) g += weightDecay * p[i]!;
    m[i] = m[i]! * beta1 + (1 - beta1) * g;
    // Math.max keeps a NaN, as torch.amax does
    u[i] = Math.max(u[i]! * beta2, Math.abs(g) + eps);
    p[i] = p[i]! - (lrAt(lr, i) / bc1) * (m[i]! / u[i]!);
  }
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

  protected override update(p: Tensor, grad: Tensor, group: ParamGroup<AdamaxOptions>, state: ParamState, lr: ElementLr): void {
    const t = this.count(state);
    const s: AdamaxState = { expAvg: this.buffer(state, "exp_avg", p), expInf: this.buffer(state, "exp_inf", p) };
    adamaxUpdate(p._data, grad._data, s, t, lr, group);
  }
}
