// SGD: stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2
// weight decay (PyTorch's torch.optim.SGD). Plain and mini-batch gradient descent are this class.

import type { TypedArray } from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import type { Tensor } from "../core/tensor.js";
import { sgdStep } from "../backend/js/optim.js";
import { dispatchMany } from "../ops/dispatch.js";
import { type ElementLr, checkBool, checkFinite, checkNonNegative, lrOperand, mergeOptions } from "./hyperparams.js";
import { type OptimizerOptions, type ParamGroup, type ParamState, type Params, Optimizer } from "./optimizer.js";

export interface SGDOptions extends OptimizerOptions {
  /** Momentum factor μ (0 = none). Default 0. */
  momentum: number;
  /** Dampening τ of the momentum's gradient term. Default 0. */
  dampening: number;
  /** Nesterov momentum (needs momentum > 0 and dampening = 0). Default false. */
  nesterov: boolean;
  /** L2 penalty λ, added to the gradient as λ·θ. Default 0. */
  weightDecay: number;
  /** Ascend the objective instead of descending it. Default false. */
  maximize: boolean;
}

/** The hyper-parameters `sgdUpdate` reads. */
export type SGDHyper = Pick<SGDOptions, "momentum" | "dampening" | "nesterov" | "weightDecay" | "maximize">;

const DEFAULTS: Omit<SGDOptions, "lr"> = { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false };

/**
 * One SGD step on flat arrays, in place (PyTorch's rule; η may differ per element):
 *
 *     g ← ±∇θ + λ·θ
 *     b ← g                          on the first step (when μ ≠ 0)
 *     b ← μ·b + (1 − τ)·g            afterwards
 *     g ← g + μ·b  (Nesterov)   or   g ← b
 *     θ ← θ − η·g
 *
 * `buf` is the momentum buffer (null when μ = 0); `first` says it holds nothing yet.
 *
 * @example
 * const p = new Float64Array([1, 2]);
 * st.optim.sgdUpdate(p, [0.5, -1], null, true, 0.1, { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false });
 * // p = [0.95, 2.1]
 */
export function sgdUpdate(p: TypedArray, grad: ArrayLike<number>, buf: TypedArray | null, first: boolean, lr: ElementLr, hp: SGDHyper): void {
  // the js kernel of sgdStep, which SGD.step dispatches
  sgdStep(p, grad, buf, lr, { ...pickSgd(hp), firstStep: first });
}

function pickSgd(hp: SGDHyper) {
  return { momentum: hp.momentum, dampening: hp.dampening, nesterov: hp.nesterov, weightDecay: hp.weightDecay, maximize: hp.maximize };
}

/**
 * Stochastic gradient descent (PyTorch's `torch.optim.SGD`, same options and defaults; `lr` is
 * required). **Plain gradient descent** is SGD stepped on the full-data loss; **mini-batch
 * gradient descent** is SGD stepped on each mini-batch's loss — the update rule is the same, only
 * the loss the gradient comes from differs.
 *
 *     g ← ±∇θ + λ·θ;   b ← μ·b + (1 − τ)·g  (b ← g at first);   g ← g + μ·b (Nesterov) | b;   θ ← θ − η·g
 *
 * @example
 * const w = st.tensor([3, -2], { requiresGrad: true });
 * const opt = new st.optim.SGD([w], { lr: 0.1, momentum: 0.9 });
 * opt.zeroGrad();
 * w.square().sum().backward();
 * opt.step(); // w = [2.4, -1.6]
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: Params<SGDOptions>, options: Partial<SGDOptions> & { lr: SGDOptions["lr"] }) {
    super("SGD", params, mergeOptions<SGDOptions>("SGD", DEFAULTS, options, ["lr"]));
  }

  protected override checkOptions(o: SGDOptions, ctx: string): void {
    checkNonNegative("SGD", "momentum", o.momentum, ctx);
    checkFinite("SGD", "dampening", o.dampening, ctx);
    checkNonNegative("SGD", "weightDecay", o.weightDecay, ctx);
    checkBool("SGD", "nesterov", o.nesterov, ctx);
    checkBool("SGD", "maximize", o.maximize, ctx);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new ValueError(`SGD: option nesterov${ctx ? ` in ${ctx}` : ""} requires momentum > 0 and dampening = 0 (got momentum ${o.momentum}, dampening ${o.dampening})`);
    }
  }

  protected override update(p: Tensor, grad: Tensor, group: ParamGroup<SGDOptions>, state: ParamState): void {
    const first = group.momentum !== 0 && !("momentum_buffer" in state);
    const inputs = [p, grad];
    if (group.momentum !== 0) inputs.push(this.stateTensor(state, "momentum_buffer", p));
    const lr = lrOperand(this.name, group.lr, p);
    if (typeof lr !== "number") inputs.push(lr);
    // one kernel through dispatch (observers see it); fused on backends that have it
    dispatchMany("sgdStep", inputs, [], { ...pickSgd(group), firstStep: first, lr: typeof lr === "number" ? lr : null });
  }
}
