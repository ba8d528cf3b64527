// Data-dependent selections, whose output sizes depend on the values: nonzero, maskedSelect and
// unique. They read the values on the host (dataSync) to size their results; maskedSelect
// gathers through indexSelect, so it stays differentiable.

import { DTypeError, ShapeError } from "../core/errors.js";
import { broadcastShapes, normalizeDim } from "../core/shape.js";
import { tensor } from "../core/creation.js";
import { Tensor } from "../core/tensor.js";
import { checkTensorArg } from "../core/validate.js";
import { indexSelect } from "./indexing.js";
import { expand, permute, reshape } from "./shape.js";

/**
 * The indices of the nonzero entries, one row per entry in row-major order: an int32 tensor
 * [count, ndim]. With `asTuple`, one 1-D int32 tensor per dim instead (NumPy's nonzero).
 * @example
 * ```ts
 * st.nonzero(st.tensor([[1, 0], [0, 2]]))  // [[0, 0], [1, 1]]
 * st.nonzero(st.tensor([0, 3, 4]), { asTuple: true }) // [tensor([1, 2])]
 * ```
 */
export function nonzero(x: Tensor): Tensor;
export function nonzero(x: Tensor, opts: { asTuple: true }): Tensor[];
export function nonzero(x: Tensor, opts: { asTuple?: false }): Tensor;
export function nonzero(x: Tensor, opts: { asTuple?: boolean } = {}): Tensor | Tensor[] {
  checkTensorArg("nonzero", "the input", x);
  const v = x.dataSync();
  const nd = x.ndim;
  const hits: number[] = [];
  for (let i = 0; i < v.length; i++) if (v[i] !== 0) hits.push(i);
  const coords = new Int32Array(hits.length * nd);
  const strides = x.shape.map((_, i) => x.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  hits.forEach((flat, r) => {
    for (let d = 0; d < nd; d++) coords[r * nd + d] = Math.floor(flat / strides[d]!) % x.shape[d]!;
  });
  const rows = tensor(coords, { shape: [hits.length, nd], dtype: "int32" });
  if (!opts.asTuple) return rows;
  if (nd === 0) return [tensor(new Int32Array(hits.length), { shape: [hits.length], dtype: "int32" })];
  return Array.from({ length: nd }, (_, d) => tensor(Int32Array.from(hits, (_h, r) => coords[r * nd + d]!), { shape: [hits.length], dtype: "int32" }));
}

/**
 * The entries of `x` where the bool `mask` is true (both broadcast together), as a 1-D tensor in
 * row-major order. Differentiable in x.
 * @example
 * ```ts
 * st.maskedSelect(st.tensor([1, 2, 3]), st.tensor([true, false, true])) // [1, 3]
 * ```
 */
export function maskedSelect(x: Tensor, mask: Tensor): Tensor {
  checkTensorArg("maskedSelect", "the input", x);
  checkTensorArg("maskedSelect", "mask", mask);
  if (mask.dtype !== "bool") throw new DTypeError(`maskedSelect: mask must be a bool tensor (got ${mask.dtype})`);
  const shape = broadcastShapes("maskedSelect", x.shape, mask.shape);
  const xs = reshape(expand(x, shape), [-1]);
  const m = mask.dataSync();
  const ms = mask.size === xs.size ? m : reshape(expand(mask, shape), [-1]).dataSync();
  const idx: number[] = [];
  for (let i = 0; i < ms.length; i++) if (ms[i]) idx.push(i);
  return indexSelect(xs, 0, tensor(Int32Array.from(idx), { shape: [idx.length], dtype: "int32" }));
}

/**
 * What unique returns when asked for inverse indices or counts; it also destructures like
 * PyTorch's tuple (values, then the inverse and/or counts that were asked for).
 */
export interface UniqueResult extends Iterable<Tensor> {
  /** The distinct values (1-D), or the distinct slices along dim (the input's shape with that dim shortened). */
  values: Tensor;
  /** For each input entry (or slice along dim), the position of its value in `values` (int32, the input's shape / [size along dim]). */
  inverse?: Tensor;
  /** How often each value (or slice) occurs (int32). */
  counts?: Tensor;
}

/** Options of {@link unique} (PyTorch's torch.unique arguments, camelCase). */
export interface UniqueOptions {
  /** Sort the values ascending (default true); false keeps the order of first appearance. */
  sorted?: boolean;
  /** Also return `inverse`, each entry's position in `values` (default false). */
  returnInverse?: boolean;
  /** Also return `counts`, how often each value occurs (default false). */
  returnCounts?: boolean;
  /** Unique slices along this dim, compared lexicographically; without it, of the flattened input. */
  dim?: number;
}

const cmpNum = (a: number, b: number) => (a < b ? -1 : a > b ? 1 : a === b ? 0 : a !== a ? (b !== b ? 0 : 1) : -1);

/**
 * The distinct values of `x` (flattened), or the distinct slices along `opts.dim`, sorted
 * ascending by default (NaN last). Returns the values alone, or `{ values, inverse, counts }`
 * when `returnInverse` / `returnCounts` ask for them. Not differentiable.
 * @example
 * ```ts
 * st.unique(st.tensor([3, 1, 3, 2]))  // [1, 2, 3]
 * st.unique(st.tensor([3, 1, 3]), { returnCounts: true }).counts // [1, 2]
 * ```
 */
export function unique(x: Tensor, opts?: UniqueOptions & { returnInverse?: false; returnCounts?: false }): Tensor;
export function unique(x: Tensor, opts: UniqueOptions): UniqueResult;
export function unique(x: Tensor, opts: UniqueOptions = {}): Tensor | UniqueResult {
  checkTensorArg("unique", "the input", x);
  const sorted = opts.sorted ?? true;
  const useDim = opts.dim !== undefined && opts.dim !== null;
  if (useDim && x.ndim === 0) throw new ShapeError("unique: dim given for a 0-D tensor (expected at least 1 dim)");
  const d = useDim ? normalizeDim("unique", opts.dim!, x.ndim) : 0;
  // rows to compare: the flattened entries, or the slices along dim moved first and flattened
  const moved = useDim ? (d === 0 ? x : permute(x, [d, ...x.shape.map((_, i) => i).filter((i) => i !== d)])) : reshape(x, [-1]);
  const n = useDim ? x.shape[d]! : x.size;
  const width = n === 0 ? 0 : moved.size / n;
  const data = moved.dataSync();
  const row = (r: number) => data.subarray(r * width, (r + 1) * width);
  const cmpRows = (a: number, b: number) => {
    for (let k = 0; k < width; k++) {
      const c = cmpNum(data[a * width + k]!, data[b * width + k]!);
      if (c !== 0) return c;
    }
    return 0;
  };
  let order = Array.from({ length: n }, (_, i) => i);
  if (sorted) order.sort((a, b) => cmpRows(a, b) || a - b);
  const groupOf = new Int32Array(n);
  const reps: number[] = [];
  const counts: number[] = [];
  if (sorted) {
    for (const r of order) {
      if (reps.length === 0 || cmpRows(reps[reps.length - 1]!, r) !== 0) { reps.push(r); counts.push(0); }
      groupOf[r] = reps.length - 1;
      counts[reps.length - 1]!++;
    }
  } else {
    // first appearance: a hash of each row's values
    const seen = new Map<string, number>();
    order = order.slice();
    for (const r of order) {
      const key = Array.from(row(r), (v) => (v !== v ? "NaN" : Object.is(v, -0) ? "0" : String(v))).join(",");
      let g = seen.get(key);
      if (g === undefined) { g = reps.length; seen.set(key, g); reps.push(r); counts.push(0); }
      groupOf[r] = g;
      counts[g]!++;
    }
  }
  const picked = indexSelect(moved, 0, tensor(Int32Array.from(reps), { shape: [reps.length], dtype: "int32" }));
  let values = picked;
  if (useDim && d !== 0) {
    const inv = [...Array(x.ndim).keys()].map((i) => (i === d ? 0 : i < d ? i + 1 : i));
    values = permute(picked, inv);
  }
  if (!opts.returnInverse && !opts.returnCounts) return values;
  const inverse = opts.returnInverse ? tensor(groupOf, { shape: useDim ? [n] : x.shape.slice(), dtype: "int32" }) : undefined;
  const countsT = opts.returnCounts ? tensor(Int32Array.from(counts), { shape: [counts.length], dtype: "int32" }) : undefined;
  const parts = [values, inverse, countsT].filter((t): t is Tensor => t !== undefined);
  return {
    values,
    ...(inverse ? { inverse } : {}),
    ...(countsT ? { counts: countsT } : {}),
    [Symbol.iterator]: () => parts[Symbol.iterator](),
  };
}
