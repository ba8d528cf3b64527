// The user-facing autograd API: tensor.backward, autograd.grad (with createGraph for gradients of
// gradients), detach, retainGrad, registerHook, and functional vjp / hvp built on them.

import { AutogradError, ShapeError, fmtShape } from "../core/errors.js";
import { type GradHook, Tensor } from "../core/tensor.js";
import { viewOf } from "../core/tensor-internals.js";
import { mul } from "../ops/elementwise.js";
import { checkNotStale } from "../ops/record.js";
import { sum } from "../ops/reduce.js";
import { ones } from "../core/creation.js";
import { empty } from "../ops/util.js";
import { runBackward } from "./engine.js";

/** Options of `backward` (and the base of `GradOptions`). */
export interface BackwardOptions {
  /** Keep saved tensors so backward can run through this graph again. */
  retainGraph?: boolean;
  /** Record the backward pass itself, so gradients are differentiable. */
  createGraph?: boolean;
}

function onesLike(t: Tensor): Tensor {
  return ones(t.shape, { dtype: t.dtype });
}

function defaultGrad(op: string, t: Tensor, g: Tensor | undefined): Tensor {
  if (g) {
    if (g.shape.length !== t.shape.length || g.shape.some((d, i) => d !== t.shape[i])) {
      throw new ShapeError(`${op}: gradient has shape ${fmtShape(g.shape)} but the output has shape ${fmtShape(t.shape)} (expected the same)`);
    }
    return g;
  }
  if (t.size !== 1) {
    throw new AutogradError(
      `${op}: grad can be created implicitly only for scalar outputs (got shape ${fmtShape(t.shape)}); ` +
        "pass a gradient of the output's shape, e.g. y.backward(st.onesLike(y)), or reduce first (y.sum().backward())",
    );
  }
  return onesLike(t);
}

function checkRequiresGrad(op: string, t: Tensor, i: number): void {
  if (t.requiresGrad) checkNotStale(op, t, i);
  if (!t.requiresGrad) {
    throw new AutogradError(
      `${op}: output ${i} does not require grad and has no gradFn (shape ${fmtShape(t.shape)}). ` +
        "Did you create the inputs with { requiresGrad: true }, or compute it inside st.noGrad?",
    );
  }
}

/**
 * Computes d(this)/d(leaves) and accumulates into each leaf's `.grad` (PyTorch's backward).
 *
 * @example
 * const w = st.tensor([1, 2], { requiresGrad: true, dtype: "float32" });
 * w.mul(w).sum().backward(); // w.grad = [2, 4]
 */
export function backward(t: Tensor, gradient?: Tensor, opts: BackwardOptions = {}): void {
  checkRequiresGrad("backward", t, 0);
  const g = defaultGrad("backward", t, gradient);
  runBackward([t], [g], { retainGraph: opts.retainGraph ?? opts.createGraph ?? false, createGraph: opts.createGraph ?? false });
}

/** Options of `st.autograd.grad`: those of backward, plus the output gradients and `allowUnused`. */
export interface GradOptions extends BackwardOptions {
  /** Gradients of the outputs (default: ones for scalar outputs). */
  gradOutputs?: Tensor | readonly (Tensor | undefined)[];
  /** Return null for inputs the outputs do not depend on, instead of raising. */
  allowUnused?: boolean;
}

/**
 * Gradients of `outputs` w.r.t. `inputs`, returned (not accumulated into `.grad`). With
 * `createGraph: true` the results are differentiable, so gradients of gradients work.
 *
 * @example
 * const x = st.tensor([3], { requiresGrad: true, dtype: "float64" });
 * const [dy] = st.autograd.grad(x.pow(3), [x], { createGraph: true }); // 3x² = 27
 * const [d2y] = st.autograd.grad(dy!, [x]);                            // 6x = 18
 */
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], opts: GradOptions = {}): (Tensor | null)[] {
  const outs = outputs instanceof Tensor ? [outputs] : outputs;
  const ins = inputs instanceof Tensor ? [inputs] : inputs;
  const gos = opts.gradOutputs instanceof Tensor ? [opts.gradOutputs] : opts.gradOutputs ?? [];
  outs.forEach((o, i) => checkRequiresGrad("grad", o, i));
  ins.forEach((t, i) => {
    if (!t.requiresGrad) throw new AutogradError(`grad: input ${i} (shape ${fmtShape(t.shape)}) does not require grad`);
  });
  const gs = outs.map((o, i) => defaultGrad("grad", o, gos[i]));
  const createGraph = opts.createGraph ?? false;
  const res = runBackward(outs, gs, { retainGraph: opts.retainGraph ?? createGraph, createGraph, inputs: ins });
  if (!opts.allowUnused) {
    res.forEach((r, i) => {
      if (r === null) {
        throw new AutogradError(`grad: input ${i} (shape ${fmtShape(ins[i]!.shape)}) was not used to compute the outputs; pass { allowUnused: true } to get null`);
      }
    });
  }
  return res;
}

/**
 * A tensor sharing `t`'s data but cut out of the graph (PyTorch's detach).
 * @example st.detach(st.tensor([1, 2], { requiresGrad: true }).mul(2)).requiresGrad; // false
 */
export function detach(t: Tensor): Tensor {
  const d = viewOf(t, t.shape);
  d._copyOf = t._copyOf; // y.T.detach().mul_(2) would not reach y either
  return d;
}

/** Makes a non-leaf keep its `.grad` after backward. */
export function retainGrad(t: Tensor): Tensor {
  if (t.gradFn) t.gradFn.retain = t;
  return t;
}

/**
 * Registers a hook run with this tensor's gradient during backward; it may return a replacement.
 * Returns a function that removes the hook.
 */
export function registerHook(t: Tensor, hook: GradHook): () => void {
  if (!t.requiresGrad) throw new AutogradError("registerHook: cannot register a hook on a tensor that does not require grad");
  const list = t.gradFn ? (t.gradFn.hooks ??= []) : (t._hooks ??= []);
  list.push(hook);
  return () => {
    const i = list.indexOf(hook);
    if (i >= 0) list.splice(i, 1);
  };
}

/**
 * Vector-Jacobian product: returns f(x) and vᵀ·∂f/∂x for each input.
 * @example
 * const x = st.tensor([1, 2, 3], { dtype: "float32" });
 * const { out, vjp } = st.autograd.vjp((x) => x.square(), [x], st.onesLike(x));
 * // out: [1, 4, 9]; vjp[0]: 2x·v = [2, 4, 6]
 */
export function vjp(fn: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[], v?: Tensor, opts: { createGraph?: boolean } = {}): {
  /** f(inputs). */
  out: Tensor;
  /** vᵀ·∂f/∂xᵢ, one per input. */
  vjp: Tensor[];
} {
  const xs = inputs.map((x) => (x.requiresGrad ? x : detach(x).requiresGrad_(true)));
  const out = fn(...xs);
  const g = grad(out, xs, { gradOutputs: v, createGraph: opts.createGraph ?? false, allowUnused: true });
  return { out, vjp: g.map((t, i) => t ?? empty(xs[i]!.shape.slice(), xs[i]!.dtype)) };
}

/**
 * Hessian-vector product H·v of a scalar function at `inputs`, by double backward (Pearlmutter):
 * H·v = ∇ₓ (∇ₓf · v). The stability tools use it for sharpness.
 */
export function hvp(fn: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[], v: readonly Tensor[]): {
  /** f(inputs). */
  out: Tensor;
  /** H·v (Hessian of f times v), one per input. */
  hvp: Tensor[];
} {
  const xs = inputs.map((x) => (x.requiresGrad ? x : detach(x).requiresGrad_(true)));
  const out = fn(...xs);
  const g = grad(out, xs, { createGraph: true, allowUnused: true });
  let dotp: Tensor | null = null;
  g.forEach((gi, i) => {
    if (!gi) return;
    const term = sum(mul(gi, v[i]!));
    dotp = dotp ? dotp.add(term) : term;
  });
  if (!dotp || !(dotp as Tensor).requiresGrad) return { out, hvp: xs.map((x) => empty(x.shape.slice(), x.dtype)) };
  const h = grad(dotp, xs, { allowUnused: true });
  return { out, hvp: h.map((t, i) => t ?? empty(xs[i]!.shape.slice(), xs[i]!.dtype)) };
}

