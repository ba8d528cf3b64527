// Sorting and order statistics: sort/argsort (one stable argsort kernel; values come from gather,
// so they are differentiable), topk, kthvalue, median, quantile. NaN sorts as the largest value
// (PyTorch); median and quantile return NaN for lanes holding a NaN, as PyTorch does.

import { isFloat } from "../core/dtype.js";
import { DTypeError, IndexError, ValueError } from "../core/errors.js";
import { normalizeDim } from "../core/shape.js";
import { Tensor } from "../core/tensor.js";
import { checkTensorArg } from "../core/validate.js";
import { dispatch } from "./dispatch.js";
import { full } from "../core/creation.js";
import { add, cast, gt, isNaN as isNaNOp, mul, sub, where } from "./elementwise.js";
import { gather } from "./indexing.js";
import { sum } from "./reduce.js";
import { flatten, narrow, reshape, squeeze, stack } from "./shape.js";

/**
 * Values with the indices they came from (PyTorch's (values, indices) named tuple): read the
 * fields, or destructure it like the tuple, `const [values, indices] = st.sort(x)`.
 */
export interface ValuesIndices extends Iterable<Tensor> {
  /** The selected values (sorted, top-k, k-th, median, …), the input's dtype. */
  values: Tensor;
  /** int32 positions along the dim. */
  indices: Tensor;
}

/**
 * The indices that sort `x` along `dim` (int32), stably: equal values keep their order, in
 * both directions (PyTorch's `argsort(stable=True)`). NaN counts as the largest value.
 * @example
 * ```ts
 * st.argsort(st.tensor([3, 1, 2])) // [1, 2, 0]
 * ```
 */
export function argsort(x: Tensor, dim = -1, descending = false): Tensor {
  checkTensorArg("argsort", "the input", x);
  if (x.ndim === 0) return full([], 0, { dtype: "int32" });
  const axis = normalizeDim("argsort", dim, x.ndim);
  return dispatch("argsort", [x], x.shape.slice(), "int32", { axis, descending: !!descending });
}

/**
 * Sorts `x` along `dim` (default the last), stably; returns `{ values, indices }`. The values
 * are differentiable (the gradient goes back to where each value came from).
 * @example
 * ```ts
 * const { values, indices } = st.sort(st.tensor([3, 1, 2]));
 * // values [1, 2, 3], indices [1, 2, 0]
 * ```
 */
export function sort(x: Tensor, dim = -1, descending = false): ValuesIndices {
  checkTensorArg("sort", "the input", x);
  if (x.ndim === 0) return vi(x, argsort(x));
  const indices = argsort(x, dim, descending);
  return vi(gather(x, dim, indices), indices);
}

/** A ValuesIndices result: the two fields, iterable as [values, indices]. */
function vi(values: Tensor, indices: Tensor): ValuesIndices {
  return {
    values, indices,
    *[Symbol.iterator]() {
      yield values;
      yield indices;
    },
  };
}

function checkK(op: string, k: number, n: number, lo: number): void {
  if (!Number.isInteger(k) || k < lo || k > n) {
    throw new IndexError(`${op}: k = ${k} is out of range for a dim of size ${n} (expected an integer in [${lo}, ${n}])`);
  }
}

/**
 * The k largest (or, with `largest` false, smallest) entries along `dim`, in order; returns
 * `{ values, indices }`. Differentiable through the values.
 * @example
 * ```ts
 * st.topk(st.tensor([1, 5, 3, 4]), 2).values // [5, 4]
 * ```
 */
export function topk(x: Tensor, k: number, dim = -1, largest = true): ValuesIndices {
  checkTensorArg("topk", "the input", x);
  const d = normalizeDim("topk", dim, x.ndim);
  const n = x.ndim === 0 ? 1 : x.shape[d]!;
  checkK("topk", k, n, 0);
  if (x.ndim === 0) return sort(x);
  const indices = narrow(argsort(x, d, largest), d, 0, k);
  return vi(gather(x, d, indices), indices);
}

/**
 * The k-th smallest entry (k from 1) along `dim`; returns `{ values, indices }` with the dim
 * removed unless `keepdim`.
 * @example
 * ```ts
 * st.kthvalue(st.tensor([3, 1, 2]), 2).values // 2
 * ```
 */
export function kthvalue(x: Tensor, k: number, dim = -1, keepdim = false): ValuesIndices {
  checkTensorArg("kthvalue", "the input", x);
  const d = normalizeDim("kthvalue", dim, x.ndim);
  checkK("kthvalue", k, x.ndim === 0 ? 1 : x.shape[d]!, 1);
  if (x.ndim === 0) return sort(x);
  return pick(x, d, narrow(argsort(x, d), d, k - 1, 1), keepdim);
}

function pick(x: Tensor, d: number, idx: Tensor, keepdim: boolean): ValuesIndices {
  const values = gather(x, d, idx);
  return keepdim ? vi(values, idx) : vi(squeeze(values, d), squeeze(idx, d));
}

/**
 * The lower median: the ⌊(n−1)/2⌋-th smallest entry (PyTorch's convention; no averaging of the
 * two middle values). Without `dim`, of all entries (a 0-d tensor); with `dim`,
 * `{ values, indices }` along it. A lane holding NaN has median NaN.
 * @example
 * ```ts
 * st.median(st.tensor([3, 1, 4, 2])) // 2
 * ```
 */
export function median(x: Tensor): Tensor;
export function median(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function median(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  checkTensorArg("median", "the input", x);
  if (dim === undefined) {
    if (x.size === 0) throw new ValueError("median: the input is empty (expected at least one element)");
    return reshape(median(flatten(x), 0).values, []);
  }
  const d = normalizeDim("median", dim, x.ndim);
  if (x.ndim === 0) return vi(x, argsort(x));
  const n = x.shape[d]!;
  if (n === 0) throw new ValueError(`median: dim ${dim} has size 0 (expected at least one element)`);
  const order = argsort(x, d);
  // NaN sorts last: a lane with c NaNs takes the first of them (position n − c), else the middle
  const nanCount = isFloat(x.dtype) ? sum(cast(isNaNOp(x), "int32"), d, true) : null;
  const mid = Math.floor((n - 1) / 2);
  const pos = nanCount ? where(gt(nanCount, 0), sub(n, nanCount), mid) : null;
  const at = pos ? gather(order, d, cast(pos, "int32")) : narrow(order, d, mid, 1);
  return pick(x, d, at, keepdim);
}

/** How {@link quantile} picks a value between the two entries around q·(n − 1) (PyTorch's interpolation, default "linear"). */
export type QuantileInterpolation = "linear" | "lower" | "higher" | "midpoint" | "nearest";

/**
 * The q-quantiles of `x` along `dim` (of all entries without it), as PyTorch: with the lane
 * sorted and position p = q·(n − 1), "linear" (default) interpolates between the entries at ⌊p⌋
 * and ⌈p⌉, "lower"/"higher" take one of them, "midpoint" their mean, "nearest" the entry at p
 * rounded half to even. `q` is a number in [0, 1] (the dim is reduced) or a 1-D tensor of them
 * (a new leading dim of that length). Lanes holding NaN give NaN. Float inputs only.
 * @example
 * ```ts
 * st.quantile(st.tensor([1, 2, 3, 4], { dtype: "float32" }), 0.5) // 2.5
 * ```
 */
export function quantile(
  x: Tensor, q: number | Tensor, dim?: number | null,
  opts: { keepdim?: boolean; interpolation?: QuantileInterpolation } = {},
): Tensor {
  checkTensorArg("quantile", "the input", x);
  if (!isFloat(x.dtype)) throw new DTypeError(`quantile: expected a float32 or float64 input (got ${x.dtype})`);
  const interp = opts.interpolation ?? "linear";
  if (!["linear", "lower", "higher", "midpoint", "nearest"].includes(interp)) {
    throw new ValueError(`quantile: interpolation must be "linear", "lower", "higher", "midpoint" or "nearest" (got ${JSON.stringify(interp)})`);
  }
  const qs = q instanceof Tensor ? Array.from(q.dataSync(), Number) : [q];
  if (q instanceof Tensor && q.ndim > 1) throw new ValueError(`quantile: q must be a number, a 0-D or a 1-D tensor (got shape [${q.shape.join(", ")}])`);
  for (const v of qs) {
    if (typeof v !== "number" || !(v >= 0 && v <= 1)) throw new ValueError(`quantile: q must lie in [0, 1] (got ${v})`);
  }
  const keepdim = opts.keepdim ?? false;
  const all = dim === undefined || dim === null;
  const xs = all ? flatten(x) : x;
  const d = all ? 0 : normalizeDim("quantile", dim, x.ndim);
  const n = xs.ndim === 0 ? 1 : xs.shape[d]!;
  if (n === 0) throw new ValueError("quantile: the input is empty along the reduced dim (expected at least one element)");
  const lane = xs.ndim === 0 ? reshape(xs, [1]) : xs;
  const sorted = sort(lane, d).values;
  const hasNaN = gt(sum(cast(isNaNOp(lane), "int32"), d, true), 0);
  const f32 = x.dtype === "float32" ? Math.fround : (v: number) => v;
  const at = (i: number) => narrow(sorted, d, i, 1);
  const per = qs.map((qv) => {
    // the position in the input's precision, as PyTorch computes it
    const p = f32(f32(qv) * (n - 1));
    const lo = Math.floor(p), hi = Math.ceil(p);
    let v: Tensor;
    if (interp === "lower") v = at(lo);
    else if (interp === "higher") v = at(hi);
    else if (interp === "nearest") v = at(roundHalfEven(p));
    else {
      const w = interp === "midpoint" ? 0.5 : p - lo;
      v = lo === hi ? at(lo) : lerpTorch(at(lo), at(hi), w);
    }
    return where(hasNaN, NaN, v);
  });
  if (per.length === 0) {
    // an empty q tensor: an empty leading dim over the reduced shape
    const reduced = all ? (keepdim ? x.shape.map(() => 1) : []) : x.shape.map((s, i) => (i === d ? 1 : s)).filter((_, i) => keepdim || i !== d);
    return reshape(narrow(reshape(sorted, [-1]), 0, 0, 0), [0, ...reduced]);
  }
  let out = q instanceof Tensor && q.ndim === 1 ? stack(per, 0) : per[0]!;
  const shift = q instanceof Tensor && q.ndim === 1 ? 1 : 0;
  if (all) {
    const kept = keepdim ? x.shape.map(() => 1) : [];
    return reshape(out, [...(shift ? [qs.length] : []), ...kept]);
  }
  if (!keepdim) out = squeeze(out, d + shift);
  return out;
}

/** PyTorch's lerp: start + w·(end − start) for w < ½, end − (end − start)·(1 − w) above. */
function lerpTorch(a: Tensor, b: Tensor, w: number): Tensor {
  const diff = sub(b, a);
  return w < 0.5 ? add(a, mul(diff, w)) : sub(b, mul(diff, 1 - w));
}

function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const r = v - f;
  return r > 0.5 || (r === 0.5 && f % 2 !== 0) ? f + 1 : f;
}
