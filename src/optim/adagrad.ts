// Adagrad (Duchi, Hazan & Singer, 2011): per-element steps scaled by the root of the summed squared
// gradients, with PyTorch's learning-rate decay, initial accumulator and L2 weight decay.

import type { TypedArray } from "../core/dtype.js";
import type { Tensor } from "../core/tensor.js";
import { type ElementLr, checkBool, checkNonNegative, lrOperand, mergeOptions } from "./hyperparams.js";
import { adagradStep } from "../backend/js/optim.js";
import { dispatchMany } from "../ops/dispatch.js";
import { type OptimizerOptions, type ParamGroup, type ParamGroupSpec, type ParamState, type Params, Optimizer } from "./optimizer.js";

export interface AdagradOptions extends OptimizerOptions {
  /** Learning-rate decay: step t uses η/(1 + (t − 1)·lrDecay). Default 0. */
  lrDecay: number;
  /** L2 penalty λ, added to the gradient. Default 0. */
  weightDecay: number;
  /** Starting value of the squared-gradient sum. Default 0. */
  initialAccumulatorValue: number;
  /** Added to the denominator for numerical stability. Default 1e-10. */
  eps: number;
  /** Ascend the objective instead of descending it. Default false. */
  maximize: boolean;
}

/** The hyper-parameters `adagradUpdate` reads. */
export type AdagradHyper = Pick<AdagradOptions, "lrDecay" | "weightDecay" | "eps" | "maximize">;

const DEFAULTS: AdagradOptions = { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false };

/**
 * One Adagrad step on flat arrays, in place; `t` is the step number (1 on the first call):
 *
 *     g ← ±∇θ + λ·θ
 *     η̃ ← η / (1 + (t − 1)·lrDecay)
 *     S ← S + g²
 *     θ ← θ − η̃ · g / (√S + ε)
 *
 * @example
 * const p = new Float64Array([1]);
 * st.optim.adagradUpdate(p, [2], new Float64Array(1), 1, 0.1, { lrDecay: 0, weightDecay: 0, eps: 1e-10, maximize: false });
 * // S = 4, p = 1 − 0.1·2/2 = [0.9]
 */
export function adagradUpdate(p: TypedArray, grad: ArrayLike<number>, sum: TypedArray, t: number, lr: ElementLr, hp: AdagradHyper): void {
  // the js kernel of adagradStep, which Adagrad.step dispatches
  adagradStep(p, grad, sum, lr, { step: t, lrDecay: hp.lrDecay, weightDecay: hp.weightDecay, eps: hp.eps, maximize: hp.maximize });
}

/**
 * Adagrad (PyTorch's `torch.optim.Adagrad`, same options and defaults: lr 1e-2, lrDecay 0,
 * weightDecay 0, initialAccumulatorValue 0, eps 1e-10).
 *
 *     S ← S + g²;   θ ← θ − η/(1 + (t−1)·lrDecay) · g/(√S + ε)
 *
 * @example
 * const w = st.tensor([3, -2], { requiresGrad: true });
 * const opt = new st.optim.Adagrad([w], { lr: 0.1 });
 * opt.zeroGrad();
 * w.square().sum().backward();
 * opt.step(); // w ≈ [2.9, -1.9]
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: Params<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    super("Adagrad", params, mergeOptions("Adagrad", DEFAULTS, options));
  }

  /**
   * Adds a group and fills its accumulators with `initialAccumulatorValue` right away, as PyTorch
   * does at construction (so `stateDict()` shows them before any step).
   */
  override addParamGroup(spec: ParamGroupSpec<AdagradOptions>): void {
    super.addParamGroup(spec);
    const group = this.paramGroups[this.paramGroups.length - 1]!;
    for (const p of group.params) {
      const state: ParamState = { step: 0 };
      this.stateTensor(state, "sum", p, group.initialAccumulatorValue);
      this.state.set(p, state);
    }
  }

  protected override checkOptions(o: AdagradOptions, ctx: string): void {
    checkNonNegative("Adagrad", "lrDecay", o.lrDecay, ctx);
    checkNonNegative("Adagrad", "weightDecay", o.weightDecay, ctx);
    checkNonNegative("Adagrad", "initialAccumulatorValue", o.initialAccumulatorValue, ctx);
    checkNonNegative("Adagrad", "eps", o.eps, ctx);
    checkBool("Adagrad", "maximize", o.maximize, ctx);
  }

  protected override update(p: Tensor, grad: Tensor, group: ParamGroup<AdagradOptions>, state: ParamState): void {
    const t = this.count(state);
    const lr = lrOperand(this.name, group.lr, p);
    const inputs = [p, grad, this.stateTensor(state, "sum", p, group.initialAccumulatorValue)];
    if (typeof lr !== "number") inputs.push(lr);
    dispatchMany("adagradStep", inputs, [], {
      step: t, lrDecay: group.lrDecay, weightDecay: group.weightDecay, eps: group.eps, maximize: group.maximize, lr: typeof lr === "number" ? lr : null,
    });
  }
}
