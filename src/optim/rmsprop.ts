// RMSprop (Hinton's lecture 6e) with PyTorch's options: smoothing constant alpha, optional
// centering by the running mean gradient, optional momentum, L2 weight decay.

import type { TypedArray } from "../core/dtype.js";
import type { Tensor } from "../core/tensor.js";
import { rmspropStep } from "../backend/js/optim.js";
import { dispatchMany } from "../ops/dispatch.js";
import { type ElementLr, checkBool, checkNonNegative, lrOperand, mergeOptions } from "./hyperparams.js";
import { type OptimizerOptions, type ParamGroup, type ParamState, type Params, Optimizer } from "./optimizer.js";

export interface RMSpropOptions extends OptimizerOptions {
  /** Smoothing constant α of the squared-gradient average. Default 0.99. */
  alpha: number;
  /** Added to the denominator for numerical stability. Default 1e-8. */
  eps: number;
  /** L2 penalty λ, added to the gradient. Default 0. */
  weightDecay: number;
  /** Momentum factor μ. Default 0. */
  momentum: number;
  /** Normalize by an estimate of the gradient's variance instead of its second moment. Default false. */
  centered: boolean;
  /** Ascend the objective instead of descending it. Default false. */
  maximize: boolean;
}

/** The hyper-parameters `rmspropUpdate` reads (centering/momentum are on when their buffers are given). */
export type RMSpropHyper = Pick<RMSpropOptions, "alpha" | "eps" | "weightDecay" | "momentum" | "maximize">;

/** RMSprop's per-parameter buffers as flat arrays. */
export interface RMSpropState {
  /** Running mean of the squared gradient. */
  squareAvg: TypedArray;
  /** Running mean of the gradient (centered), or null. */
  gradAvg: TypedArray | null;
  /** Momentum buffer (momentum > 0), or null. */
  momentumBuffer: TypedArray | null;
}

const DEFAULTS: RMSpropOptions = { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false };

/**
 * One RMSprop step on flat arrays, in place:
 *
 *     g ← ±∇θ + λ·θ
 *     s ← α·s + (1 − α)·g²
 *     ḡ ← α·ḡ + (1 − α)·g,   d ← √(s − ḡ²) + ε      (centered)
 *                            d ← √s + ε             (otherwise)
 *     b ← μ·b + g/d,   θ ← θ − η·b                  (μ > 0)
 *     θ ← θ − η·g/d                                 (otherwise)
 *
 * @example
 * const p = new Float64Array([1]);
 * const s = { squareAvg: new Float64Array(1), gradAvg: null, momentumBuffer: null };
 * st.optim.rmspropUpdate(p, [2], s, 0.01, { alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, maximize: false });
 * // s = 0.01·4 = 0.04, p = 1 − 0.01·2/0.2 = [0.9]
 */
export function rmspropUpdate(p: TypedArray, grad: ArrayLike<number>, s: RMSpropState, lr: ElementLr, hp: RMSpropHyper): void {
  // the js kernel of rmspropStep, which RMSprop.step dispatches
  rmspropStep(p, grad, s.squareAvg, s.momentumBuffer, s.gradAvg, lr, pickRmsprop(hp));
}

function pickRmsprop(hp: RMSpropHyper) {
  return { alpha: hp.alpha, eps: hp.eps, weightDecay: hp.weightDecay, momentum: hp.momentum, maximize: hp.maximize };
}

/**
 * RMSprop (PyTorch's `torch.optim.RMSprop`, same options and defaults: lr 1e-2, alpha 0.99,
 * eps 1e-8, weightDecay 0, momentum 0, centered false).
 *
 *     s ← αs + (1−α)g²;   θ ← θ − η·g/(√s + ε)    (see rmspropUpdate for centering and momentum)
 *
 * @example
 * const w = st.tensor([3, -2], { requiresGrad: true });
 * const opt = new st.optim.RMSprop([w], { lr: 0.01 });
 * opt.zeroGrad();
 * w.square().sum().backward();
 * opt.step(); // w ≈ [2.9, -1.9]  (the first step is η/√(1−α) against the gradient's sign)
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: Params<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    super("RMSprop", params, mergeOptions("RMSprop", DEFAULTS, options));
  }

  protected override checkOptions(o: RMSpropOptions, ctx: string): void {
    checkNonNegative("RMSprop", "alpha", o.alpha, ctx);
    checkNonNegative("RMSprop", "eps", o.eps, ctx);
    checkNonNegative("RMSprop", "weightDecay", o.weightDecay, ctx);
    checkNonNegative("RMSprop", "momentum", o.momentum, ctx);
    checkBool("RMSprop", "centered", o.centered, ctx);
    checkBool("RMSprop", "maximize", o.maximize, ctx);
  }

  protected override update(p: Tensor, grad: Tensor, group: ParamGroup<RMSpropOptions>, state: ParamState): void {
    this.count(state); // PyTorch keeps the step count although the update does not use it
    const inputs = [p, grad, this.stateTensor(state, "square_avg", p)];
    if (group.momentum > 0) inputs.push(this.stateTensor(state, "momentum_buffer", p));
    if (group.centered) inputs.push(this.stateTensor(state, "grad_avg", p));
    const lr = lrOperand(this.name, group.lr, p);
    if (typeof lr !== "number") inputs.push(lr);
    // one kernel through dispatch (observers see it); fused on backends that have it
    dispatchMany("rmspropStep", inputs, [], { ...pickRmsprop(group), centered: group.centered, lr: typeof lr === "number" ? lr : null });
  }
}
