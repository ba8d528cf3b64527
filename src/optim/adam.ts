// Adam (Kingma & Ba, 2015) with PyTorch's semantics: bias-corrected moment estimates, L2 weight
// decay added to the gradient, optional AMSGrad. AdamW (adamw.ts) reuses the update below.

import type { TypedArray } from "../core/dtype.js";
import type { Tensor } from "../core/tensor.js";
import { type FloatArray, fused, sameFloat } from "../backend/fused-registry.js";
import { type ElementLr, checkBetas, checkBool, checkNonNegative, lrAt, mergeOptions } from "./hyperparams.js";
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
  expAvg: TypedArray;
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
 * adamUpdate(p, [2], s, 1, 0.1, { betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false });
 * // the first step moves each element by ≈ η against the gradient's sign: p ≈ [0.9]
 */
export function adamUpdate(p: TypedArray, grad: ArrayLike<number>, s: AdamState, t: number, lr: ElementLr, hp: AdamHyper): void {
  const [beta1, beta2] = hp.betas;
  const { eps, weightDecay, maximize } = hp;
  const { expAvg: m, expAvgSq: v, maxExpAvgSq: vmax } = s;
  const bc1 = 1 - beta1 ** t;
  const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
  for (let i = 0; i < p.length; i++) {
    let g = maximize ? -grad[i]! : grad[i]!;
    if (weightDecay !== 0) g += weightDecay * p[i]!;
    m[i] = m[i]! * beta1 + (1 - beta1) * g;
    v[i] = v[i]! * beta2 + (1 - beta2) * g * g;
    let vi = v[i]!;
    if (vmax !== null) vi = vmax[i] = Math.max(vmax[i]!, vi);
    const denom = Math.sqrt(vi) / bc2Sqrt + eps;
    p[i] = p[i]! - (lrAt(lr, i) / bc1) * (m[i]! / denom);
  }
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

  protected override update(p: Tensor, grad: Tensor, group: ParamGroup<AdamOptions>, state: ParamState, lr: ElementLr): void {
    const t = this.count(state);
    const s = adamState((key) => this.buffer(state, key, p), group.amsgrad);
    if (!fusedAdamUpdate(p._data, grad._data, s, t, lr, group, false)) adamUpdate(p._data, grad._data, s, t, lr, group);
  }
}

/**
 * The same step in one native pass when the backend has a fused Adam kernel and the case is the
 * common one (a number lr, no AMSGrad, not maximizing, all arrays one float type). Returns false
 * when it did nothing, so the caller runs the pure-TypeScript update.
 */
export function fusedAdamUpdate(
  p: TypedArray, grad: TypedArray, s: AdamState, t: number, lr: ElementLr, hp: AdamHyper, decoupled: boolean,
): boolean {
  const kernel = fused.adamStep;
  if (!kernel || typeof lr !== "number" || s.maxExpAvgSq !== null || hp.maximize) return false;
  const arrays = sameFloat(p, grad, s.expAvg, s.expAvgSq);
  if (!arrays) return false;
  const [pa, ga, ma, va] = arrays as [FloatArray, FloatArray, FloatArray, FloatArray];
  kernel(pa, ga, ma, va, lr, hp.betas[0], hp.betas[1], hp.eps, hp.weightDecay, t, decoupled);
  return true;
}
