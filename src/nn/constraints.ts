// Weight constraints (Keras's kernel constraints): projections applied to parameters after each
// optimizer step, in place and outside the graph — clipValue (WGAN's weight clipping), maxNorm,
// nonNeg, unitNorm, minMaxNorm — attached with `constrain`, applied by `applyConstraints(model)`.

import { ValueError } from "../core/errors.js";
import { noGrad } from "../core/grad-mode.js";
import { shapesEqual } from "../core/shape.js";
import { Tensor } from "../core/tensor.js";
import { copy_ } from "../autograd/inplace.js";
import { reshape } from "../ops/shape.js";
import { add, clamp, cast, div, ge, mul, sqrt, square } from "../ops/elementwise.js";
import { sum } from "../ops/reduce.js";
import { type ParamSource, collectParams } from "./utils/params.js";

/** A projection of a weight tensor onto an allowed set: returns the constrained values. */
export interface Constraint {
  /** Returns the constrained weight (the projection applied after each optimizer step). */
  apply(w: Tensor): Tensor;
  /** How it prints, e.g. "maxNorm(2, axis=0)". */
  toString(): string;
}

/** A constraint object, or a plain function of the weight returning its new values. */
export type ConstraintLike = Constraint | ((w: Tensor) => Tensor);

/** Keras's backend epsilon, added to norms before dividing. */
const EPSILON = 1e-7;

type Axis = number | readonly number[];

function normsAlong(w: Tensor, axis: Axis): Tensor {
  return sqrt(sum(square(w), axis, true));
}

function checkNum(name: string, field: string, v: number, min = -Infinity): number {
  if (typeof v !== "number" || Number.isNaN(v) || v < min) throw new ValueError(`${name}: ${field} must be a number${min > -Infinity ? ` >= ${min}` : ""} (got ${String(v)})`);
  return v;
}

/**
 * Clips every weight to [min, max] — the "weight clipping" of the original WGAN critic
 * (clipValue(−0.01, 0.01)).
 * @example
 * const critic = new st.nn.Linear(4, 1);
 * st.nn.constrain(critic.weight, st.nn.clipValue(-0.01, 0.01));
 */
export function clipValue(min: number, max: number): Constraint {
  checkNum("clipValue", "min", min);
  checkNum("clipValue", "max", max);
  if (min > max) throw new ValueError(`clipValue: min ${min} is greater than max ${max}`);
  return { apply: (w) => clamp(w, min, max), toString: () => `clipValue(${min}, ${max})` };
}

/**
 * Caps the L2 norm of each slice along `axis` at `maxValue` (Keras's MaxNorm, default 2, axis 0):
 * w ← w · clip(‖w‖, 0, maxValue) / (ε + ‖w‖), ε = 1e−7, norms over `axis` (kept dims).
 * Keras's axis 0 is each output unit of a Dense kernel laid out [in, out]; a Linear weight here is
 * [out, in] (PyTorch's layout), so per-unit incoming norms are `maxNorm(m, 1)`.
 * @example
 * const fc = new st.nn.Linear(4, 8);
 * st.nn.constrain(fc.weight, st.nn.maxNorm(3, 1));
 */
export function maxNorm(maxValue = 2, axis: Axis = 0): Constraint {
  checkNum("maxNorm", "maxValue", maxValue, 0);
  return {
    apply: (w) => {
      const n = normsAlong(w, axis);
      return mul(w, div(clamp(n, 0, maxValue), add(n, EPSILON)));
    },
    toString: () => `maxNorm(${maxValue}, axis=${JSON.stringify(axis)})`,
  };
}

/**
 * Zeroes negative weights (Keras's NonNeg): w ← w · [w ≥ 0].
 * @example
 * const fc = new st.nn.Linear(4, 2);
 * st.nn.constrain(fc.weight, st.nn.nonNeg());
 */
export function nonNeg(): Constraint {
  return { apply: (w) => mul(w, cast(ge(w, 0), w.dtype)), toString: () => "nonNeg()" };
}

/**
 * Scales each slice along `axis` to unit L2 norm (Keras's UnitNorm): w ← w / (ε + ‖w‖).
 * @example
 * const emb = new st.nn.Embedding(10, 4);
 * st.nn.constrain(emb.weight, st.nn.unitNorm(1)); // each embedding row on the unit sphere
 */
export function unitNorm(axis: Axis = 0): Constraint {
  return { apply: (w) => div(w, add(normsAlong(w, axis), EPSILON)), toString: () => `unitNorm(axis=${JSON.stringify(axis)})` };
}

/** Options of `minMaxNorm`. */
export interface MinMaxNormOptions {
  /** Lower bound of the norm (default 0). */
  minValue?: number;
  /** Upper bound of the norm (default 1). */
  maxValue?: number;
  /** 1 (default) enforces strictly; r < 1 moves the norm a fraction r of the way each step. */
  rate?: number;
  /** Dims the norm is taken over (default 0). */
  axis?: Axis;
}

/**
 * Keeps each slice's L2 norm in [minValue, maxValue] (Keras's MinMaxNorm):
 * desired = rate·clip(‖w‖, min, max) + (1 − rate)·‖w‖; w ← w · desired / (ε + ‖w‖).
 * @example
 * const fc = new st.nn.Linear(4, 8);
 * st.nn.constrain(fc.weight, st.nn.minMaxNorm({ minValue: 0.5, maxValue: 2, axis: 1 }));
 */
export function minMaxNorm(opts: MinMaxNormOptions = {}): Constraint {
  const lo = checkNum("minMaxNorm", "minValue", opts.minValue ?? 0, 0);
  const hi = checkNum("minMaxNorm", "maxValue", opts.maxValue ?? 1, 0);
  const rate = checkNum("minMaxNorm", "rate", opts.rate ?? 1, 0);
  const axis = opts.axis ?? 0;
  if (lo > hi) throw new ValueError(`minMaxNorm: minValue ${lo} is greater than maxValue ${hi}`);
  if (rate > 1) throw new ValueError(`minMaxNorm: rate must be in [0, 1] (got ${rate})`);
  return {
    apply: (w) => {
      const n = normsAlong(w, axis);
      const desired = add(mul(clamp(n, lo, hi), rate), mul(n, 1 - rate));
      return mul(w, div(desired, add(n, EPSILON)));
    },
    toString: () => `minMaxNorm(minValue=${lo}, maxValue=${hi}, rate=${rate}, axis=${JSON.stringify(axis)})`,
  };
}

const attached = new WeakMap<Tensor, ConstraintLike>();

/**
 * Attaches a constraint to a parameter (replacing any earlier one; `null` removes it) and returns
 * the parameter. Besides `applyConstraints`, the optimizers enforce it after every `step()`: the
 * parameter carries it as a non-enumerable `constraint` function, the hook `st.optim.Optimizer`
 * calls after updating a parameter (so neither module imports the other).
 * @example
 * const fc = new st.nn.Linear(4, 8);
 * st.nn.constrain(fc.weight, st.nn.maxNorm(3, 1)); // applied after each optimizer step
 */
export function constrain<T extends Tensor>(param: T, constraint: ConstraintLike | null): T {
  if (!(param instanceof Tensor)) throw new ValueError(`constrain: expected a parameter tensor (got ${param === null ? "null" : typeof param})`);
  if (constraint === null) {
    attached.delete(param);
    delete (param as { constraint?: unknown }).constraint;
    return param;
  }
  if (typeof constraint !== "function" && (typeof constraint !== "object" || typeof constraint.apply !== "function")) {
    throw new ValueError(`constrain: expected a constraint (an object with apply(w), e.g. st.nn.maxNorm(3), or a function of w), got ${typeof constraint}`);
  }
  attached.set(param, constraint);
  const fn = typeof constraint === "function" ? constraint : (w: Tensor) => constraint.apply(w);
  Object.defineProperty(param, "constraint", { value: fn, writable: true, configurable: true, enumerable: false });
  return param;
}

/**
 * The constraint attached to `param`, if any.
 * @example
 * const fc = new st.nn.Linear(2, 2);
 * st.nn.constrain(fc.weight, st.nn.nonNeg());
 * st.nn.getConstraint(fc.weight); // the NonNeg constraint; undefined for fc.bias
 */
export function getConstraint(param: Tensor): ConstraintLike | undefined {
  return attached.get(param);
}

/**
 * Applies every attached constraint to the parameters of `model` (a Module, a tensor or
 * tensors), in place and without recording a graph. Call it right after `optimizer.step()`
 * (optimizers that know about it do so themselves). Returns the number of tensors constrained.
 * @example
 * const model = new st.nn.Linear(4, 2);
 * st.nn.constrain(model.weight, st.nn.nonNeg());
 * const opt = new st.optim.SGD(model.parameters(), { lr: 0.1 });
 * model.call(st.ones([1, 4])).sum().backward();
 * opt.step();
 * st.nn.applyConstraints(model); // model.weight ≥ 0 again
 */
export function applyConstraints(model: ParamSource): number {
  let n = 0;
  noGrad(() => {
    for (const p of collectParams("applyConstraints", model)) {
      const c = attached.get(p);
      if (c === undefined) continue;
      const v = typeof c === "function" ? c(p) : c.apply(p);
      if (!(v instanceof Tensor) || v.size !== p.size) {
        throw new ValueError(`applyConstraints: the constraint of a parameter of shape [${p.shape.join(", ")}] returned ${v instanceof Tensor ? `shape [${v.shape.join(", ")}]` : typeof v} (expected the parameter's shape)`);
      }
      copy_(p, shapesEqual(v.shape, p.shape) ? v : reshape(v, p.shape)); // casts to p's dtype
      n++;
    }
  });
  return n;
}
