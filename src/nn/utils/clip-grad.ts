// Gradient clipping (PyTorch's torch.nn.utils.clip_grad_norm_ / clip_grad_value_): rescale all
// gradients together when their joint norm is too large, or clamp each entry. Gradients are
// changed in place, between backward() and the optimizer step.

import { NonFiniteError, ValueError, fmtShape } from "../../core/errors.js";
import { tensor } from "../../core/creation.js";
import { noGrad } from "../../core/grad-mode.js";
import { Tensor } from "../../core/tensor.js";
import { clamp_, mul_ } from "../../autograd/inplace.js";

/** Parameters as PyTorch takes them: one tensor or any iterable of tensors. */
export type ParamsLike = Tensor | Iterable<Tensor>;

/** Options of `clipGradNorm`. */
export interface ClipGradNormOptions {
  /** Raise a NonFiniteError when the total norm is NaN or ±∞ instead of clipping (default false). */
  errorIfNonfinite?: boolean;
  /** Accepted for PyTorch compatibility; the CPU backends have one implementation. */
  foreach?: boolean;
}

/** The distinct gradients of `params` with their parameter's position (null grads skipped). */
function gradsOf(op: string, params: ParamsLike): { grad: Tensor; index: number; param: Tensor }[] {
  const list = params instanceof Tensor ? [params] : Array.from(params as Iterable<Tensor>);
  const out: { grad: Tensor; index: number; param: Tensor }[] = [];
  const seen = new Set<Tensor>();
  list.forEach((p, index) => {
    if (!(p instanceof Tensor)) throw new ValueError(`${op}: parameter ${index} is not a Tensor (got ${p === null ? "null" : typeof p})`);
    if (p.grad === null || seen.has(p.grad)) return;
    seen.add(p.grad);
    out.push({ grad: p.grad, index, param: p });
  });
  return out;
}

function checkNormType(op: string, normType: number | "inf"): number {
  const p = normType === "inf" ? Infinity : normType;
  if (typeof p !== "number" || !(p > 0)) throw new ValueError(`${op}: normType must be a number > 0 or Infinity / "inf" (got ${String(normType)})`);
  return p;
}

/** ‖g‖_p of one flat array, accumulated in float64 and scaled by max|g| so it never overflows. */
function normOf(d: ArrayLike<number>, p: number): number {
  let m = 0;
  for (let i = 0; i < d.length; i++) {
    const a = Math.abs(d[i]!);
    if (a > m || a !== a) m = a;
    if (m !== m) return NaN;
  }
  if (p === Infinity || m === 0 || m === Infinity) return m;
  let s = 0;
  if (p === 2) for (let i = 0; i < d.length; i++) { const r = d[i]! / m; s += r * r; }
  else if (p === 1) for (let i = 0; i < d.length; i++) s += Math.abs(d[i]!) / m;
  else for (let i = 0; i < d.length; i++) s += (Math.abs(d[i]!) / m) ** p;
  return m * (p === 2 ? Math.sqrt(s) : p === 1 ? s : s ** (1 / p));
}

/** The joint norm of per-gradient norms: (Σ‖gᵢ‖ᵖ)^(1/p), or max‖gᵢ‖∞. */
function combine(norms: number[], p: number): number {
  return normOf(norms, p);
}

function normTensor(v: number, grads: { grad: Tensor }[]): Tensor {
  const f64 = grads.some((g) => g.grad.dtype === "float64");
  return tensor(v, { dtype: f64 ? "float64" : "float32" });
}

/**
 * The norm of all gradients taken together, as if concatenated into one vector:
 * ‖g‖_p = (Σᵢ ‖gᵢ‖_pᵖ)^(1/p), max |g| for p = ∞ (PyTorch's `get_total_norm`). Computed in float64
 * with scaling, so float32 gradients of 1e20 do not overflow. A 0-d float32 tensor (float64 if
 * any gradient is), 0 when no parameter has a gradient.
 * @example
 * const model = new st.nn.Linear(3, 1);
 * model.call(st.ones([2, 3])).sum().backward();
 * st.nn.utils.getTotalNorm(model.parameters()).item(); // ‖(∇W, ∇b)‖₂
 */
export function getTotalNorm(params: ParamsLike, normType: number | "inf" = 2): Tensor {
  const p = checkNormType("getTotalNorm", normType);
  const grads = gradsOf("getTotalNorm", params);
  return normTensor(combine(grads.map((g) => normOf(g.grad.dataSync(), p)), p), grads);
}

/**
 * Rescales all gradients in place when their total norm (see getTotalNorm) exceeds `maxNorm`:
 * every gradient is multiplied by min(1, maxNorm / (total + 1e−6)) — PyTorch's rule, so below the
 * threshold nothing changes. Returns the total norm from **before** clipping (log it: it is the
 * best single signal of exploding gradients).
 *
 * A NaN or infinite total makes every gradient NaN (or 0), as in PyTorch; with
 * `errorIfNonfinite: true` it raises a NonFiniteError naming the first parameter whose gradient is
 * not finite instead, and leaves the gradients untouched.
 * @example
 * const model = new st.nn.Linear(3, 1);
 * const opt = new st.optim.SGD(model.parameters(), { lr: 0.1 });
 * const loss = model.call(st.ones([2, 3])).square().sum();
 * loss.backward();
 * const norm = st.nn.utils.clipGradNorm(model.parameters(), 1.0); // the norm before clipping
 * opt.step();
 */
export function clipGradNorm(params: ParamsLike, maxNorm: number, normType: number | "inf" = 2, opts: ClipGradNormOptions = {}): Tensor {
  const op = "clipGradNorm";
  if (typeof maxNorm !== "number" || !(maxNorm >= 0)) throw new ValueError(`${op}: maxNorm must be a number >= 0 (got ${String(maxNorm)})`);
  const p = checkNormType(op, normType);
  const grads = gradsOf(op, params);
  if (grads.length === 0) return normTensor(0, grads);
  const norms = grads.map((g) => normOf(g.grad.dataSync(), p));
  const total = combine(norms, p);
  const out = normTensor(total, grads);
  if (!Number.isFinite(total) && opts.errorIfNonfinite) {
    const bad = grads[norms.findIndex((n) => !Number.isFinite(n))] ?? grads[0]!;
    const what = bad.param.name ? `"${bad.param.name}" (parameter ${bad.index})` : `parameter ${bad.index}`;
    throw new NonFiniteError(
      `${op}: the total gradient norm (order ${p}) of ${grads.length} parameters is ${total}; the gradient of ${what}, ` +
        `shape ${fmtShape(bad.param.shape)}, is not finite. Gradients were left unchanged; pass errorIfNonfinite: false to clip anyway`,
    );
  }
  const f32 = out.dtype === "float32";
  // in float32 PyTorch computes maxNorm / (total + 1e−6) in float32; do the same so results match bit for bit
  const coef = f32 ? Math.fround(maxNorm / Math.fround(Math.fround(total) + 1e-6)) : maxNorm / (total + 1e-6);
  if (coef >= 1) return out; // also excludes NaN, which falls through and poisons every gradient like PyTorch
  // in place and outside autograd (a gradient built with createGraph may itself have a graph)
  noGrad(() => {
    for (const { grad } of grads) mul_(grad, coef);
  });
  return out;
}

/**
 * Clamps every gradient entry to [−clipValue, clipValue] in place (PyTorch's `clip_grad_value_`);
 * NaN entries stay NaN. Unlike clipGradNorm this changes the gradient's direction.
 * @example
 * const model = new st.nn.Linear(3, 1);
 * model.call(st.ones([2, 3])).sum().backward();
 * st.nn.utils.clipGradValue(model.parameters(), 0.5); // every gradient element in [-0.5, 0.5]
 */
export function clipGradValue(params: ParamsLike, clipValue: number, opts: { foreach?: boolean } = {}): void {
  void opts;
  if (typeof clipValue !== "number" || !(clipValue >= 0)) throw new ValueError(`clipGradValue: clipValue must be a number >= 0 (got ${String(clipValue)})`);
  noGrad(() => {
    for (const { grad } of gradsOf("clipGradValue", params)) clamp_(grad, -clipValue, clipValue);
  });
}
