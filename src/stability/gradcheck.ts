// Gradient checking: analytical gradients from autograd against float64 central differences,
// and second derivatives (gradgradcheck) by checking the createGraph backward the same way.

import { DTypeError, ValueError } from "../core/errors.js";
import { enableGrad, noGrad } from "../core/grad-mode.js";
import { Generator } from "../core/random.js";
import { Tensor } from "../core/tensor.js";
import { grad } from "../autograd/api.js";
import { mul } from "../ops/elementwise.js";
import { sum } from "../ops/reduce.js";

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

export interface GradcheckReport {
  ok: boolean;
  /** Largest |analytical − numerical| seen. */
  maxAbsError: number;
  /** Where the worst violation happened (input index, flat element, both values). */
  worst: { input: number; element: number; analytical: number; numerical: number } | null;
  /** Human-readable summary. */
  message: string;
}

type Fn = (...xs: Tensor[]) => Tensor | Tensor[];

function outputsOf(r: Tensor | Tensor[]): Tensor[] {
  return Array.isArray(r) ? r : [r];
}

/** Σₖ ⟨vₖ, fₖ(x)⟩ for fixed cotangents v: a scalar whose gradient is vᵀJ. */
function projected(fn: Fn, xs: Tensor[], vs: Tensor[]): Tensor {
  const outs = outputsOf(fn(...xs));
  let s: Tensor | null = null;
  outs.forEach((o, i) => {
    if (o.dtype !== "float64") throw new DTypeError(`gradcheck: output ${i} has dtype ${o.dtype} (expected float64: finite differences need double precision)`);
    const t = sum(mul(o, vs[i]!));
    s = s ? s.add(t) : t;
  });
  return s!;
}

/**
 * Checks autograd's gradient of `fn` at `inputs` against central differences
 * (f(x + ε) − f(x − ε)) / 2ε, projected on random output cotangents v (so each check compares
 * vᵀJ, catching wrong rows and columns of J alike). Inputs must be float64 and require grad.
 * Passes when |analytical − numerical| ≤ atol + rtol·|numerical| everywhere.
 *
 * @example
 * const x = st.randn([3], { dtype: "float64", requiresGrad: true });
 * st.gradcheck((x) => x.tanh(), [x]).ok // true
 */
export function gradcheck(fn: Fn, inputs: readonly Tensor[], opts: GradcheckOptions = {}): GradcheckReport {
  const eps = opts.eps ?? 1e-6;
  const atol = opts.atol ?? 1e-5;
  const rtol = opts.rtol ?? 1e-3;
  inputs.forEach((x, i) => {
    if (x.dtype !== "float64") throw new DTypeError(`gradcheck: input ${i} has dtype ${x.dtype} (expected float64)`);
  });
  const diff = inputs.map((x) => x.requiresGrad);
  if (!diff.some(Boolean)) throw new ValueError("gradcheck: no input requires grad");
  const gen = new Generator(opts.seed ?? 0);
  const outs0 = noGrad(() => outputsOf(fn(...inputs)));
  let maxAbs = 0;
  let worst: GradcheckReport["worst"] = null;
  let ok = true;
  for (let p = 0; p < (opts.projections ?? 2); p++) {
    const vs = outs0.map((o) => Tensor._fromData(gen.normal(new Float64Array(o.size)), o.shape.slice(), "float64"));
    const target = projected(fn, inputs as Tensor[], vs);
    const diffInputs = inputs.filter((_, i) => diff[i]);
    const analytical = target.requiresGrad ? grad(target, diffInputs, { allowUnused: true }) : diffInputs.map(() => null);
    let k = 0;
    inputs.forEach((x, i) => {
      if (!diff[i]) return;
      const a = analytical[k++];
      const d = x._data as Float64Array;
      for (let e = 0; e < d.length; e++) {
        const orig = d[e]!;
        d[e] = orig + eps;
        const fp = noGrad(() => projected(fn, inputs as Tensor[], vs).item());
        d[e] = orig - eps;
        const fm = noGrad(() => projected(fn, inputs as Tensor[], vs).item());
        d[e] = orig;
        const num = (fp - fm) / (2 * eps);
        const ana = a ? a._data[e]! : 0;
        const err = Math.abs(ana - num);
        const bad = !(err <= atol + rtol * Math.abs(num));
        if (err > maxAbs || (bad && ok) || Number.isNaN(err)) {
          if (err > maxAbs) maxAbs = err;
          if (bad || worst === null) worst = { input: i, element: e, analytical: ana, numerical: num };
        }
        if (bad) ok = false;
      }
    });
  }
  const message = ok
    ? `gradcheck passed (max abs error ${maxAbs.toExponential(2)})`
    : `gradcheck failed: input ${worst!.input}, element ${worst!.element}: analytical ${worst!.analytical} vs numerical ${worst!.numerical} ` +
      `(max abs error ${maxAbs.toExponential(2)}, atol ${atol}, rtol ${rtol})`;
  return { ok, maxAbsError: maxAbs, worst, message };
}

/**
 * Checks second derivatives: the gradient of vᵀ∇f (computed with createGraph) against central
 * differences of that gradient.
 */
export function gradgradcheck(fn: Fn, inputs: readonly Tensor[], opts: GradcheckOptions = {}): GradcheckReport {
  const gen = new Generator((opts.seed ?? 0) + 1);
  const outs0 = noGrad(() => outputsOf(fn(...inputs)));
  const vs = outs0.map((o) => Tensor._fromData(gen.normal(new Float64Array(o.size)), o.shape.slice(), "float64"));
  // enableGrad: the numerical pass evaluates this under noGrad, but it needs a graph to differentiate
  const firstGrads = (...xs: Tensor[]): Tensor[] => enableGrad(() => {
    const target = projected(fn, xs, vs);
    const dx = xs.filter((x) => x.requiresGrad);
    const g = grad(target, dx, { createGraph: true, allowUnused: true });
    return g.map((t, i) => t ?? mul(dx[i]!, 0));
  });
  return gradcheck(firstGrads, inputs, opts);
}
