// Sharpness (the top eigenvalue of the loss Hessian) by power iteration on exact Hessian-vector
// products, and the edge-of-stability check that compares it with what the learning rate allows.
// Why: gradient descent on a quadratic with curvature λ multiplies the error by (1 − ηλ) each step,
// so it diverges exactly when η·λ_max > 2 (Cohen et al. 2021, "Gradient descent on neural networks
// typically occurs at the edge of stability"). Adam's analogue uses the preconditioned Hessian
// (Cohen et al. 2022, "Adaptive gradient methods at the edge of stability"), see edgeOfStability.

import { ValueError } from "../core/errors.js";
import { Generator } from "../core/random.js";
import { tensor } from "../core/creation.js";
import type { Tensor } from "../core/tensor.js";
import type { Optimizer } from "../optim/optimizer.js";
import { grad } from "../autograd/api.js";
import { mul } from "../ops/elementwise.js";
import { sum } from "../ops/reduce.js";

/** Options of `sharpness`. */
export interface SharpnessOptions {
  /** Maximum power iterations (default 50). */
  iters?: number;
  /** Stop when the eigenvalue estimate changes by less than `tol` relative (default 1e-6). */
  tol?: number;
  /** Seed of the random start vector (default 0). */
  seed?: number;
  /**
   * Preconditioner diagonal per parameter (same shapes as `params`): when given, the result is the
   * top eigenvalue of P⁻¹H (computed as the symmetric P^{-1/2} H P^{-1/2}), as for Adam.
   */
  preconditioner?: Tensor[];
}

/** What `sharpness` returns. */
export interface SharpnessResult {
  /** Top Hessian eigenvalue (largest in magnitude; the Rayleigh quotient of the last iterate). */
  lambdaMax: number;
  /** Power iterations run. */
  iters: number;
  /** Whether the relative change fell below `tol`. */
  converged: boolean;
  /** Eigenvalue estimate after each iteration. */
  trace: number[];
}

function dotAll(a: readonly Float64Array[], b: readonly Float64Array[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) for (let j = 0; j < a[i]!.length; j++) s += a[i]![j]! * b[i]![j]!;
  return s;
}

/**
 * Top eigenvalue λ_max of the Hessian of `lossFn()` with respect to `params`, by power iteration
 * v ← Hv/‖Hv‖ on exact Hessian-vector products Hv = ∇(∇L·v) (double backward, Pearlmutter's trick);
 * the estimate is the Rayleigh quotient vᵀHv. `lossFn` recomputes the loss from the current
 * `params` (which must require gradients). Costs two backward passes per iteration.
 *
 * Power iteration finds the eigenvalue of largest magnitude; for a loss near a minimum that is the
 * sharpness. With `preconditioner` d (e.g. Adam's √v̂ + ε) it returns λ_max of diag(d)⁻¹H.
 * The monitor measures it every K checks with
 * `st.stability.monitor({ sharpness: () => st.stability.sharpness(lossOfFixedBatch, net.parameters()).lambdaMax, sharpnessEvery: K })`.
 *
 * @example
 * const w = st.tensor([1, 1], { dtype: "float64", requiresGrad: true });
 * const a = st.tensor([10, 1], { dtype: "float64" });
 * const { lambdaMax } = st.stability.sharpness(() => w.square().mul(a).sum().mul(0.5), [w]); // ≈ 10
 */
export function sharpness(lossFn: () => Tensor, params: readonly Tensor[], opts: SharpnessOptions = {}): SharpnessResult {
  const iters = opts.iters ?? 50;
  const tol = opts.tol ?? 1e-6;
  if (!Number.isInteger(iters) || iters < 1) throw new ValueError(`sharpness: iters must be a positive integer, got ${iters}`);
  if (!(tol >= 0)) throw new ValueError(`sharpness: tol must be ≥ 0, got ${tol}`);
  if (params.length === 0) throw new ValueError("sharpness: params is empty; pass the tensors the loss depends on");
  params.forEach((p, i) => {
    if (!p.requiresGrad) throw new ValueError(`sharpness: params[${i}] (shape [${p.shape.join(", ")}]) does not require gradients; the Hessian needs requiresGrad parameters`);
  });
  const pre = opts.preconditioner;
  if (pre && (pre.length !== params.length || pre.some((d, i) => d.size !== params[i]!.size))) {
    throw new ValueError(`sharpness: preconditioner must hold one tensor per parameter with the parameter's size (got ${pre.length} for ${params.length} params)`);
  }
  // s = P^{-1/2} per entry: the symmetric form S H S has the eigenvalues of P⁻¹H
  const scale = pre?.map((d) => Float64Array.from(d.dataSync() as ArrayLike<number>, (x) => 1 / Math.sqrt(x)));
  const gen = new Generator(opts.seed ?? 0);
  let v = params.map((p) => Float64Array.from({ length: p.size }, () => gen.nextNormal()));
  let nv = Math.sqrt(dotAll(v, v));
  v = v.map((a) => a.map((x) => x / nv));

  const loss = lossFn();
  const g = grad(loss, params, { createGraph: true, allowUnused: true });
  const hv = (vec: Float64Array[]): Float64Array[] => {
    const u = scale ? vec.map((a, i) => a.map((x, j) => x * scale[i]![j]!)) : vec;
    let dotp: Tensor | null = null;
    g.forEach((gi, i) => {
      if (!gi) return;
      const t = sum(mul(gi, tensor(u[i]!, { shape: params[i]!.shape.slice(), dtype: params[i]!.dtype })));
      dotp = dotp ? (dotp as Tensor).add(t) : t;
    });
    const zero = params.map((p) => new Float64Array(p.size));
    if (!dotp || !(dotp as Tensor).requiresGrad) return zero;
    const h = grad(dotp, params, { retainGraph: true, allowUnused: true });
    return h.map((t, i) => {
      if (!t) return zero[i]!;
      const a = Float64Array.from(t.dataSync() as ArrayLike<number>);
      return scale ? a.map((x, j) => x * scale[i]![j]!) : a;
    });
  };

  const trace: number[] = [];
  let lambda = NaN;
  let converged = false;
  let it = 0;
  for (it = 1; it <= iters; it++) {
    const w = hv(v);
    const rq = dotAll(v, w);
    trace.push(rq);
    nv = Math.sqrt(dotAll(w, w));
    const prev = lambda;
    lambda = rq;
    if (!Number.isFinite(nv)) throw new ValueError(`sharpness: the Hessian-vector product became non-finite at iteration ${it}; the loss or its gradient is not finite at these parameters`);
    if (nv === 0) { converged = true; break; }
    v = w.map((a) => a.map((x) => x / nv));
    if (Number.isFinite(prev) && Math.abs(rq - prev) <= tol * Math.abs(rq)) { converged = true; break; }
  }
  return { lambdaMax: lambda, iters: Math.min(it, iters), converged, trace };
}

/**
 * Adam's preconditioner P = √v̂ + ε per parameter, from the optimizer's state (v̂ = exp_avg_sq / (1 − β₂ᵗ),
 * bias-corrected as in the update), to pass as `sharpness(..., {preconditioner})`. Parameters the
 * optimizer has not stepped yet get P = 1 (no preconditioning known).
 * @example
 * const params = [st.tensor([1, 2], { requiresGrad: true })];
 * const opt = new st.optim.Adam(params, { lr: 0.01 });
 * params[0]!.square().sum().backward();
 * opt.step();
 * const pre = st.stability.adamPreconditioner(opt, params);
 */
export function adamPreconditioner(optimizer: Optimizer, params: readonly Tensor[]): Tensor[] {
  return params.map((p) => {
    const group = optimizer.paramGroups.find((g) => g.params.includes(p));
    if (!group) throw new ValueError(`adamPreconditioner: a parameter of shape [${p.shape.join(", ")}] is not in ${optimizer.name}'s parameter groups`);
    const betas = group.betas as [number, number] | undefined;
    const eps = group.eps as number | undefined;
    if (!Array.isArray(betas) || typeof eps !== "number") throw new ValueError(`adamPreconditioner: ${optimizer.name} has no betas/eps; expected an Adam-family optimizer`);
    const s = optimizer.state.get(p);
    const v = s?.exp_avg_sq;
    const t = s?.step;
    if (!v || typeof v === "number" || typeof t !== "number" || t === 0) return tensor(new Float64Array(p.size).fill(1), { shape: p.shape.slice(), dtype: "float64" });
    const bc = 1 - Math.pow(betas[1], t);
    const d = Float64Array.from(v.dataSync() as ArrayLike<number>, (x) => Math.sqrt(x / bc) + eps);
    return tensor(d, { shape: p.shape.slice(), dtype: "float64" });
  });
}

/** Input of `edgeOfStability`. */
export interface EdgeOfStabilityInput {
  /** Learning rate η. */
  lr: number;
  /** Sharpness: λ_max of H (gradient descent) or of P⁻¹H (Adam, `sharpness(..., {preconditioner})`). */
  lambdaMax: number;
  /** "sgd" / "gd" (default) or "adam"; `beta1` matters for Adam (default 0.9) and momentum for SGD. */
  optimizer?: "gd" | "sgd" | "adam";
  /** Adam's β₁ (default 0.9). */
  beta1?: number;
  /** SGD heavy-ball momentum β (default 0): the threshold becomes (2 + 2β)/η. */
  momentum?: number;
}

/** What `edgeOfStability` returns. */
export interface EdgeOfStabilityResult {
  /** The stability threshold on λ_max for this optimizer and learning rate. */
  threshold: number;
  /** lambdaMax / threshold; above 1 the iteration is unstable along the top eigenvector. */
  ratio: number;
  /** True when λ_max exceeds the threshold. */
  warn: boolean;
  /** Plain-words explanation with the numbers. */
  message: string;
}

/**
 * The edge-of-stability check. Gradient descent on a quadratic with curvature λ multiplies the
 * error along the top eigenvector by (1 − ηλ), so it diverges when η·λ_max > 2: the threshold is
 * **2/η**. With heavy-ball momentum β it is **(2 + 2β)/η**. For Adam (Cohen et al. 2022, "Adaptive
 * gradient methods at the edge of stability", eq. for EMA momentum): the relevant quantity is the
 * *preconditioned* sharpness λ_max(P⁻¹H) with P = diag(√v̂ + ε) from the optimizer's state, and the
 * threshold is **(2 + 2β₁) / ((1 − β₁)·η)**, i.e. **38/η for β₁ = 0.9**.
 *
 * @example
 * st.stability.edgeOfStability({ lr: 0.202, lambdaMax: 10 }).warn; // true: 0.202·10 = 2.02 > 2
 */
export function edgeOfStability(input: EdgeOfStabilityInput): EdgeOfStabilityResult {
  const { lr, lambdaMax } = input;
  const kind = input.optimizer ?? "gd";
  if (!(lr > 0) || !Number.isFinite(lr)) throw new ValueError(`edgeOfStability: lr must be a positive finite number, got ${lr}`);
  if (Number.isNaN(lambdaMax)) throw new ValueError("edgeOfStability: lambdaMax is NaN; compute it with st.stability.sharpness first");
  let threshold: number;
  let formula: string;
  if (kind === "adam") {
    const b1 = input.beta1 ?? 0.9;
    if (!(b1 >= 0 && b1 < 1)) throw new ValueError(`edgeOfStability: beta1 must be in [0, 1), got ${b1}`);
    threshold = (2 + 2 * b1) / ((1 - b1) * lr);
    formula = `(2+2β₁)/((1−β₁)η) with β₁ = ${b1}`;
  } else {
    const m = input.momentum ?? 0;
    if (!(m >= 0 && m < 1)) throw new ValueError(`edgeOfStability: momentum must be in [0, 1), got ${m}`);
    threshold = (2 + 2 * m) / lr;
    formula = m === 0 ? "2/η" : `(2+2β)/η with β = ${m}`;
  }
  const ratio = lambdaMax / threshold;
  const warn = ratio > 1;
  const what = kind === "adam" ? "preconditioned sharpness λ_max(P⁻¹H)" : "sharpness λ_max";
  const message = warn
    ? `${what} = ${fmt(lambdaMax)} exceeds the stability threshold ${formula} = ${fmt(threshold)} at lr ${lr} (×${ratio.toFixed(2)}): ` +
      `the step overshoots along the sharpest direction and the loss will oscillate or diverge; lower the learning rate below ${fmt(lr / ratio)}`
    : `${what} = ${fmt(lambdaMax)} is below the stability threshold ${formula} = ${fmt(threshold)} at lr ${lr} (×${ratio.toFixed(2)})`;
  return { threshold, ratio, warn, message };
}

function fmt(x: number): string {
  return Number.isFinite(x) ? Number(x.toPrecision(4)).toString() : String(x);
}
