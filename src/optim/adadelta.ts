// Adadelta (Zeiler, 2012): steps scaled by the ratio of running RMS of past updates to running RMS
// of gradients, with PyTorch's lr multiplier and L2 weight decay.

import type { TypedArray } from "../core/dtype.js";
import type { Tensor } from "../core/tensor.js";
import { type ElementLr, checkBool, checkNonNegative, checkRange, lrOperand, mergeOptions } from "./hyperparams.js";
import { adadeltaStep } from "../backend/js/optim.js";
import { dispatchMany } from "../ops/dispatch.js";
import { type OptimizerOptions, type ParamGroup, type ParamState, type Params, Optimizer } from "./optimizer.js";

export interface AdadeltaOptions extends OptimizerOptions {
  /** Decay ρ of both running averages. Default 0.9. */
  rho: number;
  /** Added inside both square roots for numerical stability. Default 1e-6. */
  eps: number;
  /** L2 penalty λ, added to the gradient. Default 0. */
  weightDecay: number;
  /** Ascend the objective instead of descending it. Default false. */
  maximize: boolean;
}

/** The hyper-parameters `adadeltaUpdate` reads. */
export type AdadeltaHyper = Pick<AdadeltaOptions, "rho" | "eps" | "weightDecay" | "maximize">;

/** Adadelta's per-parameter buffers as flat arrays. */
export interface AdadeltaState {
  /** Running average of g², E[g²]. */
  squareAvg: TypedArray;
  /** Running average of Δ², E[Δ²]. */
  accDelta: TypedArray;
}

const DEFAULTS: AdadeltaOptions = { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false };

/**
 * One Adadelta step on flat arrays, in place:
 *
 *     g ← ±∇θ + λ·θ
 *     E[g²] ← ρ·E[g²] + (1 − ρ)·g²
 *     Δ ← √(E[Δ²] + ε) / √(E[g²] + ε) · g
 *     E[Δ²] ← ρ·E[Δ²] + (1 − ρ)·Δ²
 *     θ ← θ − η·Δ
 *
 * @example
 * const p = new Float64Array([1]);
 * const s = { squareAvg: new Float64Array(1), accDelta: new Float64Array(1) };
 * st.optim.adadeltaUpdate(p, [1], s, 1, { rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false });
 * // E[g²] = 0.1, Δ = √1e-6/√(0.1 + 1e-6) ≈ 0.00316, p ≈ [0.99684]
 */
export function adadeltaUpdate(p: TypedArray, grad: ArrayLike<number>, s: AdadeltaState, lr: ElementLr, hp: AdadeltaHyper): void {
  // the js kernel of adadeltaStep, which Adadelta.step dispatches
  adadeltaStep(p, grad, s.squareAvg, s.accDelta, lr, { rho: hp.rho, eps: hp.eps, weightDecay: hp.weightDecay, maximize: hp.maximize });
}

/**
 * Adadelta (PyTorch's `torch.optim.Adadelta`, same options and defaults: lr 1.0, rho 0.9,
 * eps 1e-6, weightDecay 0).
 *
 *     Δ ← √(E[Δ²] + ε)/√(E[g²] + ε) · g;   θ ← θ − ηΔ
 *
 * @example
 * const w = st.tensor([3, -2], { requiresGrad: true });
 * const opt = new st.optim.Adadelta([w]);
 * opt.zeroGrad();
 * w.square().sum().backward();
 * opt.step(); // the first steps are tiny (≈ √ε/√(1−ρ) ≈ 0.003): w ≈ [2.997, -1.997]
 */
export class Adadelta extends Optimizer<AdadeltaOptions> {
  constructor(params: Params<AdadeltaOptions>, options: Partial<AdadeltaOptions> = {}) {
    super("Adadelta", params, mergeOptions("Adadelta", DEFAULTS, options));
  }

  protected override checkOptions(o: AdadeltaOptions, ctx: string): void {
    checkRange("Adadelta", "rho", o.rho, 0, 1, true, ctx);
    checkNonNegative("Adadelta", "eps", o.eps, ctx);
    checkNonNegative("Adadelta", "weightDecay", o.weightDecay, ctx);
    checkBool("Adadelta", "maximize", o.maximize, ctx);
  }

  protected override update(p: Tensor, grad: Tensor, group: ParamGroup<AdadeltaOptions>, state: ParamState): void {
    this.count(state); // PyTorch keeps the step count although the update does not use it
    const lr = lrOperand(this.name, group.lr, p);
    const inputs = [p, grad, this.stateTensor(state, "square_avg", p), this.stateTensor(state, "acc_delta", p)];
    if (typeof lr !== "number") inputs.push(lr);
    dispatchMany("adadeltaStep", inputs, [], {
      rho: group.rho, eps: group.eps, weightDecay: group.weightDecay, maximize: group.maximize, lr: typeof lr === "number" ? lr : null,
    });
  }
}
