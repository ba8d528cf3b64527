// Rprop (Riedmiller & Braun, 1993): per-element step sizes that grow while the gradient keeps its
// sign and shrink when it flips; only the gradient's sign is used (PyTorch's torch.optim.Rprop).

import { scalar } from "../core/creation.js";
import type { Tensor } from "../core/tensor.js";
import { clamp, eq, gt, lt, mul, neg, sign, sub, where } from "../ops/elementwise.js";
import { assign } from "./assign.js";
import { ValueError } from "../core/errors.js";
import { checkBool, checkFinite, mergeOptions } from "./hyperparams.js";
import { type OptimizerOptions, type ParamGroup, type ParamState, type Params, Optimizer } from "./optimizer.js";

export interface RpropOptions extends OptimizerOptions {
  /** The step-size factors (η₋, η₊) on a sign flip and on an unchanged sign, 0 < η₋ < 1 < η₊. Default [0.5, 1.2]. */
  etas: [number, number];
  /** The range (Γmin, Γmax) the step sizes are clipped to. Default [1e-6, 50]. */
  stepSizes: [number, number];
  /** Ascend the objective instead of descending it. Default false. */
  maximize: boolean;
}

/** The hyper-parameters `rpropUpdate` reads. */
export type RpropHyper = Pick<RpropOptions, "etas" | "stepSizes" | "maximize">;

/** Rprop's per-parameter state: the previous (masked) gradient and the step sizes. */
export interface RpropState {
  /** The previous step's gradient, zeroed where its sign flipped (zeros at the start). */
  prev: Tensor;
  /** The per-element step sizes Δ (lr everywhere at the start). */
  stepSize: Tensor;
}

const DEFAULTS: RpropOptions = { lr: 1e-2, etas: [0.5, 1.2], stepSizes: [1e-6, 50], maximize: false };

/**
 * One Rprop step as tensor ops, returning the new parameter and state (nothing is modified):
 *
 *     g ← ±∇θ;   s = sign(g·g_prev)
 *     Δ ← clip(Δ·(η₊ if s > 0, η₋ if s < 0, 1 if s = 0), Γmin, Γmax)
 *     g ← 0 where s < 0          (after a sign flip, skip the step and forget the gradient)
 *     θ ← θ − sign(g)·Δ,   g_prev ← g
 *
 * The step sizes Δ start at the learning rate.
 * @example
 * const s = { prev: st.zeros([1]), stepSize: st.full([1], 0.1) };
 * const r = st.optim.rpropUpdate(st.tensor([1]), st.tensor([-3]), s, { etas: [0.5, 1.2], stepSizes: [1e-6, 50], maximize: false });
 * r.param.item(); // 1 + 0.1 = 1.1 (the first step: the sign only)
 */
export function rpropUpdate(p: Tensor, grad: Tensor, s: RpropState, hp: RpropHyper): {
  /** The updated parameter θ. */
  param: Tensor;
  /** The gradient to compare signs with next step (zero where the sign flipped). */
  prev: Tensor;
  /** The updated step sizes Δ. */
  stepSize: Tensor;
} {
  const [etaMinus, etaPlus] = hp.etas;
  const [lo, hi] = hp.stepSizes;
  const g = hp.maximize ? neg(grad) : grad;
  const prod = mul(g, s.prev);
  const pos = gt(prod, 0);
  const negSign = lt(prod, 0);
  // the factors as scalars of the parameter's dtype (plain numbers would make a float32 where)
  const dt = s.stepSize.dtype;
  const factor = where(pos, scalar(etaPlus, dt), where(negSign, scalar(etaMinus, dt), scalar(1, dt)));
  const stepSize = clamp(mul(s.stepSize, factor), lo, hi);
  // PyTorch masks where the factor equals η₋ (the same elements unless η₋ is 1 or η₊)
  const masked = where(eq(factor, etaMinus), 0, g);
  return { param: sub(p, mul(sign(masked), stepSize)), prev: masked, stepSize };
}

/**
 * Rprop (PyTorch's `torch.optim.Rprop`, same options and defaults: lr 1e-2 (the initial step
 * size), etas [0.5, 1.2], stepSizes [1e-6, 50]). Full-batch only: the sign logic assumes the
 * gradient of one fixed objective. State keys: step, prev, step_size.
 *
 * @example
 * const w = st.tensor([3, -2], { requiresGrad: true });
 * const opt = new st.optim.Rprop([w], { lr: 0.1 });
 * for (let i = 0; i < 2; i++) {
 *   opt.zeroGrad();
 *   w.square().sum().backward();
 *   opt.step();
 * }
 * // w = [3 − 0.1 − 0.12, −2 + 0.1 + 0.12] = [2.78, -1.78]
 */
export class Rprop extends Optimizer<RpropOptions> {
  constructor(params: Params<RpropOptions>, options: Partial<RpropOptions> = {}) {
    super("Rprop", params, mergeOptions("Rprop", DEFAULTS, options));
  }

  protected override checkOptions(o: RpropOptions, ctx: string): void {
    const pair = (key: string, v: unknown): [number, number] => {
      if (!Array.isArray(v) || v.length !== 2) throw new ValueError(`Rprop: option ${key}${ctx ? ` in ${ctx}` : ""} must be an array of two numbers (got ${JSON.stringify(v)})`);
      checkFinite("Rprop", `${key}[0]`, v[0], ctx);
      checkFinite("Rprop", `${key}[1]`, v[1], ctx);
      return v as [number, number];
    };
    const [em, ep] = pair("etas", o.etas);
    if (!(em > 0 && em < 1 && ep > 1)) throw new ValueError(`Rprop: option etas must satisfy 0 < etaminus < 1 < etaplus (got [${em}, ${ep}])`);
    const [lo, hi] = pair("stepSizes", o.stepSizes);
    if (!(lo >= 0 && lo <= hi)) throw new ValueError(`Rprop: option stepSizes must satisfy 0 <= min <= max (got [${lo}, ${hi}])`);
    checkBool("Rprop", "maximize", o.maximize, ctx);
  }

  protected override update(p: Tensor, grad: Tensor, group: ParamGroup<RpropOptions>, state: ParamState): void {
    if (typeof group.lr !== "number") throw new ValueError("Rprop: lr must be a number (it is the initial step size)");
    this.count(state);
    const prev = this.stateTensor(state, "prev", p);
    const stepSize = this.stateTensor(state, "step_size", p, group.lr);
    const r = rpropUpdate(p, grad, { prev, stepSize }, group);
    assign("Rprop.step", prev, r.prev);
    assign("Rprop.step", stepSize, r.stepSize);
    assign("Rprop.step", p, r.param);
  }
}
