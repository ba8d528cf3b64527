// Gradient checking: analytical gradients from autograd against float64 central differences
// (gradcheck), and second derivatives (gradgradcheck) by checking the createGraph backward the
// same way — with respect to the inputs and to the output cotangent, as PyTorch does.
// Values are read and written through tensor methods only (dataSync, copy_ under noGrad), never the
// raw storage. Inputs are perturbed in place, as PyTorch does, because fn may close over them
// (a module's parameters passed as inputs) rather than use its arguments; they are restored after.

import { DTypeError, ValueError } from "../core/errors.js";
import { enableGrad, noGrad } from "../core/grad-mode.js";
import { Generator } from "../core/random.js";
import { tensor } from "../core/creation.js";
import type { Tensor } from "../core/tensor.js";
import { grad } from "../autograd/api.js";
import { mul } from "../ops/elementwise.js";
import { sum } from "../ops/reduce.js";

/** Options of `gradcheck` (PyTorch's defaults, for float64 inputs). */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
  /** Seed of the random output cotangents (default 0). */
  seed?: number;
  /** Number of random cotangents to project the outputs with (default 2). */
  projections?: number;
}

/** What `gradcheck` returns (with `raiseException: false`). */
export interface GradcheckReport {
  /** True when every analytical gradient matched the finite differences. */
  ok: boolean;
  /** Largest |analytical − numerical| seen. */
  maxAbsError: number;
  /**
   * Where the worst violation happened: input index (for gradgradcheck, the cotangent of output k
   * is input `inputs.length + k`), flat element, both values, and `label` naming the input in words.
   */
  worst: {
    /** Index of the input. */
    input: number;
    /** Flat index of the element within it. */
    element: number;
    /** The gradient autograd computed. */
    analytical: number;
    /** The central finite difference. */
    numerical: number;
    /** The input named in words ("input 0", "cotangent of output 0 (input 2)"). */
    label: string;
  } | null;
  /** Human-readable summary. */
  message: string;
}

type Fn = (...xs: Tensor[]) => Tensor | Tensor[];

function outputsOf(r: Tensor | Tensor[]): Tensor[] {
  return Array.isArray(r) ? r : [r];
}

/** A float64 tensor of `shape` holding `values`. */
function f64(values: Float64Array, shape: readonly number[], requiresGrad: boolean): Tensor {
  return tensor(values, { shape: shape.slice(), dtype: "float64", requiresGrad });
}

/** Σₖ ⟨vₖ, fₖ(x)⟩ for cotangents v: a scalar whose gradient is vᵀJ. */
function projected(fn: Fn, xs: Tensor[], vs: readonly Tensor[], who: string): Tensor {
  const outs = outputsOf(fn(...xs));
  let s: Tensor | null = null;
  outs.forEach((o, i) => {
    if (o.dtype !== "float64") throw new DTypeError(`${who}: output ${i} has dtype ${o.dtype} (expected float64: finite differences need double precision)`);
    const t = sum(mul(o, vs[i]!));
    s = s ? s.add(t) : t;
  });
  return s!;
}

/** The shared checker; `label(i)` names input i in the failure message. */
function check(fn: Fn, inputs: readonly Tensor[], opts: GradcheckOptions, who: string, label: (i: number) => string): GradcheckReport {
  const eps = opts.eps ?? 1e-6;
  const atol = opts.atol ?? 1e-5;
  const rtol = opts.rtol ?? 1e-3;
  inputs.forEach((x, i) => {
    if (x.dtype !== "float64") throw new DTypeError(`${who}: ${label(i)} has dtype ${x.dtype} (expected float64)`);
  });
  const diff = inputs.map((x) => x.requiresGrad);
  if (!diff.some(Boolean)) throw new ValueError(`${who}: no input requires grad (expected at least one float64 input with requiresGrad)`);
  const gen = new Generator(opts.seed ?? 0);
  const outs0 = noGrad(() => outputsOf(fn(...inputs)));
  const values = inputs.map((x) => x.dataSync() as Float64Array);
  let maxAbs = 0;
  let worst: GradcheckReport["worst"] = null;
  let ok = true;
  for (let p = 0; p < (opts.projections ?? 2); p++) {
    const vs = outs0.map((o) => f64(gen.normal(new Float64Array(o.size)), o.shape, false));
    const target = projected(fn, inputs as Tensor[], vs, who);
    const diffInputs = inputs.filter((_, i) => diff[i]);
    const analytical = target.requiresGrad ? grad(target, diffInputs, { allowUnused: true }) : diffInputs.map(() => null);
    // f with input i set to `perturbed` (written in place; restored by the caller)
    const at = (i: number, perturbed: Float64Array): number => noGrad(() => {
      inputs[i]!.copy_(f64(perturbed, inputs[i]!.shape, false));
      return projected(fn, inputs as Tensor[], vs, who).item();
    });
    let k = 0;
    inputs.forEach((x, i) => {
      if (!diff[i]) return;
      const a = analytical[k++];
      const ana = a ? (a.dataSync() as Float64Array) : null;
      const d = values[i]!.slice();
      try {
        for (let e = 0; e < d.length; e++) {
          const orig = values[i]![e]!;
          d[e] = orig + eps;
          const fp = at(i, d);
          d[e] = orig - eps;
          const fm = at(i, d);
          d[e] = orig;
          const num = (fp - fm) / (2 * eps);
          const an = ana ? ana[e]! : 0;
          const err = Math.abs(an - num);
          const bad = !(err <= atol + rtol * Math.abs(num));
          if (err > maxAbs || (bad && ok) || Number.isNaN(err)) {
            if (err > maxAbs) maxAbs = err;
            if (bad || worst === null) worst = { input: i, element: e, analytical: an, numerical: num, label: label(i) };
          }
          if (bad) ok = false;
        }
      } finally {
        noGrad(() => x.copy_(f64(values[i]!, x.shape, false)));
      }
    });
  }
  const w = worst as GradcheckReport["worst"];
  const message = ok
    ? `${who} passed (max abs error ${maxAbs.toExponential(2)})`
    : `${who} failed: ${w!.label}, element ${w!.element}: analytical ${w!.analytical} vs numerical ${w!.numerical} ` +
      `(max abs error ${maxAbs.toExponential(2)}, atol ${atol}, rtol ${rtol})`;
  return { ok, maxAbsError: maxAbs, worst, message };
}

/**
 * Checks autograd's gradient of `fn` at `inputs` against central differences
 * (f(x + ε) − f(x − ε)) / 2ε, projected on random output cotangents v (so each check compares
 * vᵀJ, catching wrong rows and columns of J alike). Inputs must be float64; those that require
 * grad are checked. Passes when |analytical − numerical| ≤ atol + rtol·|numerical| everywhere;
 * otherwise `worst` names the input and flat element of the largest violation.
 * Defaults: eps 1e-6, atol 1e-5, rtol 1e-3, 2 projections, seed 0.
 *
 * @example
 * const x = st.randn([3], { dtype: "float64", requiresGrad: true });
 * st.gradcheck((x) => x.tanh(), [x]).ok // true
 */
export function gradcheck(fn: Fn, inputs: readonly Tensor[], opts: GradcheckOptions = {}): GradcheckReport {
  return check(fn, inputs, opts, "gradcheck", (i) => `input ${i}`);
}

/**
 * Checks second derivatives as PyTorch's gradgradcheck does: with random cotangents v (which
 * require grad), the first derivative g(x, v) = vᵀ·∂f/∂x is computed with `createGraph`, and
 * `gradcheck` checks g with respect to both x and v. The v part checks that the backward is itself
 * differentiable in its incoming gradient — the only second-order content of a linear op, which a
 * check with v held fixed never sees. Failures on a cotangent are reported as input
 * `inputs.length + k` ("cotangent of output k"). Same options and defaults as `gradcheck`.
 *
 * @example
 * const x = st.randn([3], { dtype: "float64", requiresGrad: true });
 * st.gradgradcheck((x) => x.sin(), [x]).ok // true
 */
export function gradgradcheck(fn: Fn, inputs: readonly Tensor[], opts: GradcheckOptions = {}): GradcheckReport {
  const gen = new Generator((opts.seed ?? 0) + 1);
  const outs0 = noGrad(() => outputsOf(fn(...inputs)));
  const vs = outs0.map((o) => f64(gen.normal(new Float64Array(o.size)), o.shape, true));
  const n = inputs.length;
  // enableGrad: the numerical pass evaluates this under noGrad, but it needs a graph to differentiate
  const firstGrads = (...args: Tensor[]): Tensor[] => enableGrad(() => {
    const xs = args.slice(0, n);
    const target = projected(fn, xs, args.slice(n), "gradgradcheck");
    const dx = xs.filter((x) => x.requiresGrad);
    const g = target.requiresGrad ? grad(target, dx, { createGraph: true, allowUnused: true }) : dx.map(() => null);
    return g.map((t, i) => t ?? mul(dx[i]!, 0));
  });
  const label = (i: number) => (i < n ? `input ${i}` : `cotangent of output ${i - n} (input ${i})`);
  return check(firstGrads, [...inputs, ...vs], opts, "gradgradcheck", label);
}
