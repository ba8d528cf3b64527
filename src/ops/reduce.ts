// Reductions: sum/mean/prod/max/min over one dim, several or all (negative dims, keepdim),
// argmax/argmin, var/std with correction, logsumexp, softmax/logSoftmax, norms.

import { type DType, isFloat } from "../core/dtype.js";
import { ShapeError, ValueError, fmtShape } from "../core/errors.js";
import { normalizeDim, normalizeDims, reducedShape } from "../core/shape.js";
import { Tensor } from "../core/tensor.js";
import { viewOf } from "../core/tensor-internals.js";
import { abs, add, cast, div, exp, isFinite, log, mul, pow, sqrt, sub, where, gt, square } from "./elementwise.js";
import { dispatch } from "./dispatch.js";
import { reshape } from "./shape.js";
import { intSum } from "./int-sum.js";

/** A dim, a list of dims, or undefined for all dims. */
export type Dims = number | readonly number[] | undefined;

function reduce(op: "sum" | "prod" | "max" | "min", x: Tensor, dims: Dims, keepdim: boolean, dtype: DType): Tensor {
  const ax = normalizeDims(op, dims, x.ndim);
  if ((op === "max" || op === "min") && x.size === 0) {
    throw new ShapeError(`${op}: cannot reduce an empty tensor (shape ${fmtShape(x.shape)}) — there is no identity for ${op}`);
  }
  return dispatch(op, [x], reducedShape(x.shape, ax, keepdim), dtype, { dims: ax, keepdim });
}

/**
 * Σ over `dims` (all by default). Bool/int sums give int32, accumulated in float64 and checked:
 * a result outside int32 raises a DTypeError instead of wrapping around.
 * @example st.sum(st.tensor([[1, 2], [3, 4]]), -1, true); // [[3], [7]] (int32)
 */
export function sum(x: Tensor, dims?: Dims, keepdim = false): Tensor {
  if (x instanceof Tensor && !isFloat(x.dtype)) return intSum(x, dims, keepdim);
  return reduce("sum", x, dims, keepdim, x.dtype === "bool" ? "int32" : x.dtype);
}

/**
 * Mean over `dims`; integer inputs give float32.
 * @example st.mean(st.tensor([[1, 2], [3, 4]]), 0); // [2, 3] (float32)
 */
export function mean(x: Tensor, dims?: Dims, keepdim = false): Tensor {
  const ax = normalizeDims("mean", dims, x.ndim);
  let n = 1;
  for (const d of ax) n *= x.shape[d]!;
  const xf = isFloat(x.dtype) ? x : cast(x, "float32");
  return div(sum(xf, ax, keepdim), n);
}

/**
 * Π over `dims`.
 * @example st.prod(st.tensor([1, 2, 3, 4])); // 24 (int32)
 */
export function prod(x: Tensor, dims?: Dims, keepdim = false): Tensor {
  return reduce("prod", x, dims, keepdim, x.dtype === "bool" ? "int32" : x.dtype);
}

/**
 * Maximum values over `dims` (use argmax for the indices); NaN propagates.
 * @example st.max(st.tensor([[1, 5], [7, 2]]), 1); // [5, 7] (int32)
 */
export function max(x: Tensor, dims?: Dims, keepdim = false): Tensor {
  return reduce("max", x, dims, keepdim, x.dtype);
}

/**
 * Minimum values over `dims`.
 * @example st.min(st.tensor([[1, 5], [7, 2]]), 1); // [1, 2] (int32)
 */
export function min(x: Tensor, dims?: Dims, keepdim = false): Tensor {
  return reduce("min", x, dims, keepdim, x.dtype);
}

/**
 * Maximum over `dims`, the same as `st.max` (PyTorch's `amax`).
 * @example st.amax(st.tensor([[1, 5], [7, 2]]), 0); // [7, 5]
 */
export const amax = max;
/**
 * Minimum over `dims`, the same as `st.min` (PyTorch's `amin`).
 * @example st.amin(st.tensor([[1, 5], [7, 2]]), 0); // [1, 2]
 */
export const amin = min;

function argReduce(op: "argmax" | "argmin", x: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  if (x.size === 0) throw new ShapeError(`${op}: cannot reduce an empty tensor`);
  if (dim === undefined) {
    const flat = reshape(x, [x.size]);
    const out = dispatch(op, [flat], [], "int32", { axis: 0 });
    return keepdim ? reshape(out, x.shape.map(() => 1)) : out;
  }
  const d = normalizeDim(op, dim, x.ndim);
  return dispatch(op, [x], reducedShape(x.shape, [d], keepdim), "int32", { axis: d });
}

/**
 * Index of the maximum along `dim` (of the flattened tensor when dim is omitted).
 * @example st.argmax(st.tensor([[1, 5], [7, 2]]), 1); // [1, 0] (int32)
 */
export const argmax = (x: Tensor, dim?: number, keepdim = false) => argReduce("argmax", x, dim, keepdim);
/**
 * Index of the minimum along `dim`.
 * @example st.argmin(st.tensor([[1, 5], [7, 2]]), 1); // [0, 1] (int32)
 */
export const argmin = (x: Tensor, dim?: number, keepdim = false) => argReduce("argmin", x, dim, keepdim);

/** Options of `st.var` and `st.std`. */
export interface VarOptions {
  /** Subtracted from the count in the denominator: 1 (default) is Bessel's unbiased estimate. */
  correction?: number;
  /** Keep the reduced dims with size 1 (default false). */
  keepdim?: boolean;
}

/**
 * Variance Σ(x − x̄)² / (N − correction), computed in two passes (mean first), so values far from
 * zero (1e4 ± 1 in float32) keep their precision.
 * @example st.var(st.tensor([1, 2, 3, 4]), undefined, { correction: 0 }); // 1.25 (float32)
 */
export function variance(x: Tensor, dims?: Dims, opts: VarOptions = {}): Tensor {
  const correction = opts.correction ?? 1;
  const ax = normalizeDims("var", dims, x.ndim);
  let n = 1;
  for (const d of ax) n *= x.shape[d]!;
  const xf = isFloat(x.dtype) ? x : cast(x, "float32");
  const centered = sub(xf, mean(xf, ax, true));
  return div(sum(square(centered), ax, opts.keepdim ?? false), Math.max(0, n - correction));
}

/**
 * Standard deviation √var.
 * @example st.std(st.tensor([1, 2, 3, 4])); // 1.291 (float32)
 */
export function std(x: Tensor, dims?: Dims, opts: VarOptions = {}): Tensor {
  return sqrt(variance(x, dims, opts));
}

/**
 * log Σ exp(x) over `dims`, as m + log Σ exp(x − m) with m the (detached) max, so large inputs do
 * not overflow; all −∞ inputs give −∞, not NaN.
 * @example st.logsumexp(st.tensor([1000, 1000])); // 1000.7 (float32)
 */
export function logsumexp(x: Tensor, dims?: Dims, keepdim = false): Tensor {
  const ax = normalizeDims("logsumexp", dims, x.ndim);
  const xf = isFloat(x.dtype) ? x : cast(x, "float32");
  const mRaw = max(detachData(xf), ax, true);
  const m = where(isFinite(mRaw), mRaw, 0);
  const r = add(log(sum(exp(sub(xf, m)), ax, true)), m);
  return keepdim ? r : reshape(r, reducedShape(x.shape, ax, false));
}

/** The values of `x` outside the graph: a view of the same storage (autograd's detach, which ops cannot import). */
function detachData(x: Tensor): Tensor {
  return x.requiresGrad ? viewOf(x, x.shape) : x;
}

function softmaxLike(op: "softmax" | "logSoftmax", x: Tensor, dim: number): Tensor {
  const axis = normalizeDim(op, dim, x.ndim);
  const xf = isFloat(x.dtype) ? x : cast(x, "float32");
  return dispatch(op, [xf], xf.shape.slice(), xf.dtype, { axis });
}

/**
 * softmax(x)ᵢ = exp(xᵢ − m) / Σⱼ exp(xⱼ − m) along `dim`, m the row max: never overflows.
 * @example st.softmax(st.tensor([1e4, 0, -1e4]), 0) // [1, 0, 0]
 */
export const softmax = (x: Tensor, dim = -1) => softmaxLike("softmax", x, dim);

/**
 * log softmax(x)ᵢ = xᵢ − m − log Σⱼ exp(xⱼ − m): exact where softmax underflows.
 * @example st.logSoftmax(st.tensor([0, 0])); // [-0.69315, -0.69315] (float32)
 */
export const logSoftmax = (x: Tensor, dim = -1) => softmaxLike("logSoftmax", x, dim);

// The vector norm lives in norm.ts (its NaN/Inf handling is a file of its own).
export { norm, type NormOrd } from "./norm.js";

/** Statistics of one tensor from `tensorStats` (all accumulated in float64 in one pass). */
export interface TensorStats {
  /** Σx */
  sum: number;
  /** Σx² */
  sumSq: number;
  /** #(x = 0) */
  zeros: number;
  /** smallest and largest entry (NaN when x holds a NaN) */
  min: number;
  max: number;
  /** #(|x − center| > threshold) (0 without a threshold) */
  tail: number;
  /** Σ(x − ref)² (0 without ref) */
  diffSq: number;
}

/**
 * One fused pass over `x` (the `tensorStats` kernel, outside autograd): Σx, Σx², the count of
 * zeros, min, max, the count of entries with |x − center| > threshold and, given `ref` (same
 * size), Σ(x − ref)², all accumulated in float64. What the training monitor measures per tensor.
 * @example
 * import { tensorStats } from "./reduce.js";
 * tensorStats(st.tensor([0, -1, 2])); // { sum: 1, sumSq: 5, zeros: 1, min: -1, max: 2, tail: 0, diffSq: 0 }
 */
export function tensorStats(x: Tensor, opts: { ref?: Tensor | null; center?: number; threshold?: number } = {}): TensorStats {
  const ref = opts.ref ?? null;
  if (ref !== null && ref.size !== x.size) {
    throw new ShapeError(`tensorStats: ref must have x's size (got shapes ${fmtShape(x.shape)} and ${fmtShape(ref.shape)})`);
  }
  const inputs = ref === null ? [x] : [x, ref];
  const a = dispatch("tensorStats", inputs, [7], "float64", { center: opts.center ?? 0, threshold: opts.threshold ?? Infinity }).dataSync();
  return { sum: a[0]!, sumSq: a[1]!, zeros: a[2]!, min: a[3]!, max: a[4]!, tail: a[5]!, diffSq: a[6]! };
}
