// Shape ops: reshape/view, squeeze/unsqueeze/flatten, expand, permute/transpose, slicing, cat/stack,
// split/chunk, pad, repeat, tril/triu.

import { IndexError, ShapeError, ValueError, fmtShape } from "../core/errors.js";
import { broadcastShapes, normalizeDim, shapesEqual, sizeOf } from "../core/shape.js";
import type { Tensor } from "../core/tensor.js";
import { full } from "../core/creation.js";
import { dispatch, dispatchMany } from "./dispatch.js";
import { promoteTypes } from "../core/dtype.js";
import { cast } from "./elementwise.js";
import { type SliceArgs, type SliceSpec, resolveIndex, sliceArgsToRanges } from "./slice-args.js";
import { checkAllocation, describeValue } from "../core/validate.js";

/** Sizes must be integers ≥ 0 (≥ −1 where −1 means "keep"), named in the op's terms. */
function checkShapeEntries(op: string, list: readonly unknown[], allowMinus1: boolean, what = "sizes"): void {
  if (!Array.isArray(list)) throw new ShapeError(`${op}: expected an array of ${what} (got ${describeValue(list)})`);
  for (const d of list) {
    if (typeof d !== "number" || !Number.isInteger(d) || d < (allowMinus1 ? -1 : 0)) {
      throw new ShapeError(`${op}: ${what} must be ${allowMinus1 ? "integers >= -1 (-1 keeps a size)" : "non-negative integers"} (got ${describeValue(list)})`);
    }
  }
}

/**
 * A tensor with the same data and a new shape (one size may be −1). No copy: the result shares
 * storage and in-place version counter with `x`, like PyTorch's `view`.
 * @example st.reshape(st.arange(6), [2, -1]); // [[0, 1, 2], [3, 4, 5]] (int32)
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const n = x.size;
  let infer = -1;
  let known = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (d === -1) {
      if (infer >= 0) throw new ShapeError(`reshape: only one dim can be -1 (got ${fmtShape(shape)})`);
      infer = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`reshape: invalid size ${d} in ${fmtShape(shape)} (expected non-negative integers or a single -1)`);
    } else known *= d;
  }
  const out = shape.slice();
  if (infer >= 0) {
    if (known === 0 || n % known !== 0) {
      throw new ShapeError(`reshape: cannot reshape ${n} elements (shape ${fmtShape(x.shape)}) into ${fmtShape(shape)}`);
    }
    out[infer] = n / known;
  } else if (known !== n) {
    throw new ShapeError(`reshape: cannot reshape ${n} elements (shape ${fmtShape(x.shape)}) into ${fmtShape(shape)} (${known} elements)`);
  }
  if (shapesEqual(out, x.shape)) return x;
  const v = dispatch("reshape", [x], out, x.dtype, null); // a view: no kernel runs
  v._copyOf = x._copyOf; // a view of a copy is no view of the copy's source either
  return v;
}

/**
 * Alias of reshape (all tensors are contiguous, so every view is a reshape).
 * @example st.view(st.arange(6), [2, 3]); // [[0, 1, 2], [3, 4, 5]] (int32)
 */
export const view = reshape;

/**
 * Flattens dims `startDim` (default 0) through `endDim` (default −1) into one.
 * @example st.flatten(st.zeros([2, 3, 4]), 1).shape; // [2, 12]: [N, C, L] → [N, C·L]
 */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeDim("flatten", startDim, x.ndim);
  const e = normalizeDim("flatten", endDim, x.ndim);
  if (s > e) throw new ShapeError(`flatten: startDim ${startDim} comes after endDim ${endDim}`);
  const shape = [...x.shape.slice(0, s), sizeOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return reshape(x, shape);
}

/**
 * Removes size-1 dims (all of them, or the given ones).
 * @example st.squeeze(st.zeros([1, 3, 1])).shape; // [3]
 */
export function squeeze(x: Tensor, dim?: number | number[]): Tensor {
  if (dim === undefined) return reshape(x, x.shape.filter((d) => d !== 1));
  const dims = (typeof dim === "number" ? [dim] : dim).map((d) => normalizeDim("squeeze", d, x.ndim));
  return reshape(x, x.shape.filter((d, i) => !(dims.includes(i) && d === 1)));
}

/**
 * Inserts a size-1 dim at `dim` (−1 appends).
 * @example st.unsqueeze(st.tensor([1, 2]), 0); // [[1, 2]] (int32)
 */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normalizeDim("unsqueeze", dim, x.ndim + 1);
  const shape = x.shape.slice();
  shape.splice(d, 0, 1);
  return reshape(x, shape);
}

/**
 * Broadcasts to `shape` (−1 keeps a size). Copies (tensors are contiguous); the gradient sums
 * over the broadcast dims.
 * @example st.expand(st.tensor([[1], [2]]), [2, 3]); // [[1, 1, 1], [2, 2, 2]] (int32)
 */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  checkShapeEntries("expand", shape, true);
  const target = shape.map((d, i) => (d === -1 ? x.shape[x.shape.length - shape.length + i] ?? -1 : d));
  if (target.some((d) => d < 0) || shape.length < x.ndim) {
    throw new ShapeError(`expand: cannot expand shape ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
  }
  const b = broadcastShapes("expand", x.shape, target);
  if (!shapesEqual(b, target)) {
    throw new ShapeError(`expand: cannot expand shape ${fmtShape(x.shape)} to ${fmtShape(shape)} (only size-1 dims can grow)`);
  }
  if (shapesEqual(x.shape, target)) return x;
  checkAllocation("expand", target, x.dtype); // expand copies: 10¹² elements must not be tried
  const out = dispatch("expand", [x], target, x.dtype, null);
  out._copyOf = "expand";
  return out;
}

/**
 * Alias of expand with NumPy's name.
 * @example st.broadcastTo(st.tensor([1, 2]), [2, 2]); // [[1, 2], [1, 2]] (int32)
 */
export const broadcastTo = expand;

/**
 * Reorders dims: dim i of the result is dim `perm[i]` of `x`.
 * @example st.permute(st.zeros([2, 3, 4]), [0, 2, 1]).shape; // [2, 4, 3]
 */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  if (perm.length !== x.ndim) throw new ShapeError(`permute: got ${perm.length} dims ${fmtShape(perm)} for a ${x.ndim}-D tensor (expected ${x.ndim})`);
  const p = perm.map((d) => normalizeDim("permute", d, x.ndim));
  if (new Set(p).size !== p.length) throw new ShapeError(`permute: dims ${fmtShape(perm)} repeat a dim`);
  if (p.every((d, i) => d === i)) return x;
  const out = dispatch("permute", [x], p.map((d) => x.shape[d]!), x.dtype, { perm: p });
  out._copyOf = "permute";
  return out;
}

/**
 * Swaps two dims.
 * @example st.transpose(st.tensor([[1, 2, 3]])); // [[1], [2], [3]] (int32)
 */
export function transpose(x: Tensor, dim0 = -2, dim1 = -1): Tensor {
  if (x.ndim < 2) return x;
  const a = normalizeDim("transpose", dim0, x.ndim);
  const b = normalizeDim("transpose", dim1, x.ndim);
  const p = Array.from({ length: x.ndim }, (_, i) => i);
  p[a] = b;
  p[b] = a;
  return permute(x, p);
}

export type { SliceArgs, SliceRange, SliceSpec } from "./slice-args.js";

/**
 * Slicing that reads like JavaScript. Two forms, never mixed:
 * - positional numbers slice dim 0 exactly like `Array.prototype.slice`: `x.slice(start, end?,
 *   step?)` takes rows start..end−1 (negative values count from the end, out-of-range bounds
 *   clamp, `x.slice(1)` is every row from 1 on and keeps the dim);
 * - one range per leading dim, each `[start?, stop?, step?]` or null for the whole dim:
 *   `x.slice(null, [1, 3])` takes columns 1..2, `x.slice([0, 2], [1, 3])` a block,
 *   `x.slice([null, null, 2])` every other row.
 * A single number per dim (NumPy's `x[1, 3]`, which drops dims) is `x.index(...)`; bounds must be
 * integers. The result is a copy, not a view: write into part of a tensor with `sliceAssign_`.
 * @example
 * const x = st.arange(12).reshape(3, 4);
 * x.slice(1, 3);          // rows 1..2, shape [2, 4]
 * x.slice(null, [1, 3]);  // columns 1..2, shape [3, 2]
 * x.index(1, 3);          // the element x[1][3], shape []
 */
export function slice(x: Tensor, ...args: SliceArgs): Tensor {
  return indexImpl("slice", x, sliceArgsToRanges(args));
}

/**
 * NumPy-style basic indexing, one spec per leading dim: a number picks one index and drops the
 * dim, null keeps the whole dim, `[start?, stop?, step?]` takes a range (negative values count
 * from the end, ranges clamp like Python, indices must be in range). A copy, like `slice`.
 * @example
 * const x = st.arange(12).reshape(3, 4);
 * x.index(0);               // row 0, shape [4]
 * x.index(null, 2);         // column 2, shape [3]
 * x.index(-1, [1, null, 2]); // last row, columns 1 and 3, shape [2]
 */
export function index(x: Tensor, ...specs: SliceSpec[]): Tensor {
  return indexImpl("index", x, specs);
}

function indexImpl(op: string, x: Tensor, specs: readonly SliceSpec[]): Tensor {
  const { starts, steps, keptShape: outShape, drop } = resolveIndex(op, x.shape, specs);
  const whole = outShape.every((d, i) => d === x.shape[i] && steps[i] === 1);
  let out = x;
  if (!whole) {
    out = dispatch("slice", [x], outShape, x.dtype, { starts, steps });
    out._copyOf = "slice";
  }
  return drop.length ? reshape(out, outShape.filter((_, i) => !drop.includes(i))) : out;
}

/**
 * Returns a copy of `base` with `src` written at the positions start + i·step per dim.
 * @example st.sliceScatter(st.zeros([5]), st.ones([2]), [1], [2]); // [0, 1, 0, 1, 0] (float32)
 */
export function sliceScatter(base: Tensor, src: Tensor, starts: number[], steps: number[]): Tensor {
  const dtype = promoteTypes(base.dtype, src.dtype);
  const b = cast(base, dtype);
  const s = cast(src, dtype);
  return dispatch("sliceScatter", [b, s], b.shape.slice(), dtype, { starts, steps });
}

/**
 * `length` entries of `dim` from `start`.
 * @example st.narrow(st.arange(6), 0, 2, 3); // [2, 3, 4] (int32)
 */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normalizeDim("narrow", dim, x.ndim);
  const n = x.shape[d]!;
  const s = start < 0 ? start + n : start;
  if (s < 0 || length < 0 || s + length > n) {
    throw new IndexError(`narrow: start ${start} and length ${length} do not fit dim ${dim} of size ${n}`);
  }
  const specs: SliceSpec[] = x.shape.map(() => null);
  specs[d] = [s, s + length];
  return indexImpl("narrow", x, specs);
}

/**
 * Joins tensors along an existing dim (default 0); the other dims must agree.
 * @example st.cat([st.tensor([[1, 2]]), st.tensor([[3, 4]])], 0); // [[1, 2], [3, 4]] (int32)
 */
export function cat(xs: readonly Tensor[], dim = 0): Tensor {
  if (xs.length === 0) throw new ValueError("cat: expected a non-empty list of tensors");
  const first = xs[0]!;
  const zeroD = xs.findIndex((t) => t.ndim === 0);
  if (zeroD >= 0) throw new ShapeError(`cat: tensor ${zeroD} is 0-d and cannot be concatenated (expected tensors with at least 1 dim; use stack)`);
  const ax = normalizeDim("cat", dim, first.ndim);
  let dtype = first.dtype;
  for (const t of xs) dtype = promoteTypes(dtype, t.dtype);
  const outShape = first.shape.slice();
  outShape[ax] = 0;
  xs.forEach((t, i) => {
    if (t.ndim !== first.ndim || t.shape.some((d, j) => j !== ax && d !== first.shape[j])) {
      throw new ShapeError(`cat: tensor ${i} has shape ${fmtShape(t.shape)}, which does not match ${fmtShape(first.shape)} outside dim ${ax}`);
    }
    outShape[ax]! += t.shape[ax]!;
  });
  const ins = xs.map((t) => cast(t, dtype));
  return dispatch("cat", ins, outShape, dtype, { axis: ax });
}

/**
 * Joins tensors along a new dim.
 * @example st.stack([st.tensor([1, 2]), st.tensor([3, 4])], 1); // [[1, 3], [2, 4]] (int32)
 */
export function stack(xs: readonly Tensor[], dim = 0): Tensor {
  if (xs.length === 0) throw new ValueError("stack: expected a non-empty list of tensors");
  const d = normalizeDim("stack", dim, xs[0]!.ndim + 1);
  xs.forEach((t, i) => {
    if (!shapesEqual(t.shape, xs[0]!.shape)) throw new ShapeError(`stack: tensor ${i} has shape ${fmtShape(t.shape)}, expected ${fmtShape(xs[0]!.shape)} like tensor 0`);
  });
  return cat(xs.map((t) => unsqueeze(t, d)), d);
}

/**
 * Splits into pieces of `size` (the last may be smaller) or of the listed sizes, along `dim`
 * (negative counts from the end; default 0). The pieces are copies (in-place writes into them are
 * refused, as for slices), written by one kernel; their gradients meet in one node, so the
 * input's gradient is one `cat` of theirs (zeros for a piece that got none), as in PyTorch.
 * A single piece is `x` itself.
 * @example st.split(st.arange(5), 2); // [[0, 1], [2, 3], [4]]
 */
export function split(x: Tensor, sizeOrSections: number | readonly number[], dim = 0): Tensor[] {
  const d = normalizeDim("split", dim, x.ndim);
  const n = x.shape[d]!;
  let sizes: number[];
  if (typeof sizeOrSections === "number") {
    if (!Number.isInteger(sizeOrSections) || sizeOrSections <= 0) throw new ValueError(`split: size must be a positive integer (got ${sizeOrSections})`);
    sizes = [];
    for (let s = 0; s < n; s += sizeOrSections) sizes.push(Math.min(sizeOrSections, n - s));
  } else {
    sizes = sizeOrSections.slice();
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total !== n) throw new ShapeError(`split: sections ${fmtShape(sizes)} sum to ${total}, but dim ${dim} has size ${n}`);
  }
  // one piece is x itself (as narrow of the whole dim gives); none for an empty dim
  if (sizes.length <= 1) return sizes.map((len) => narrow(x, d, 0, len));
  const specs = sizes.map((len) => ({ shape: x.shape.map((m, i) => (i === d ? len : m)), dtype: x.dtype }));
  // one kernel writes every piece and one autograd node takes all their gradients (one cat)
  const pieces = dispatchMany("split", [x], specs, { axis: d, sizes });
  for (const p of pieces) p._copyOf = "slice"; // copies, as slices are: in-place ops on them never reach x
  return pieces;
}

/**
 * Splits into `chunks` nearly equal pieces along `dim` (PyTorch's rule: size ⌈n/chunks⌉).
 * @example st.chunk(st.arange(6), 3); // [[0, 1], [2, 3], [4, 5]]
 */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  const d = normalizeDim("chunk", dim, x.ndim);
  if (!Number.isInteger(chunks) || chunks <= 0) throw new ValueError(`chunk: chunks must be a positive integer (got ${chunks})`);
  return split(x, Math.max(1, Math.ceil(x.shape[d]! / chunks)), d);
}

/**
 * Pads with a constant, PyTorch's F.pad order: [left, right] for the last dim, then
 * [top, bottom] for the one before, and so on.
 * @example st.pad(st.tensor([1, 2]), [1, 2]); // [0, 1, 2, 0, 0] (int32)
 */
export function pad(x: Tensor, pads: readonly number[], value = 0): Tensor {
  if (pads.length % 2 !== 0 || pads.length / 2 > x.ndim) {
    throw new ShapeError(`pad: expected an even number of pads covering at most ${x.ndim} dims (got ${pads.length})`);
  }
  if (pads.some((p) => !Number.isInteger(p) || p < 0)) throw new ValueError(`pad: pads must be non-negative integers (got ${fmtShape(pads)}); use slice to crop`);
  const outShape = x.shape.slice();
  const starts = new Array<number>(x.ndim).fill(0);
  for (let i = 0; i < pads.length / 2; i++) {
    const d = x.ndim - 1 - i;
    outShape[d]! += pads[2 * i]! + pads[2 * i + 1]!;
    starts[d] = pads[2 * i]!;
  }
  const base = full(outShape, value, { dtype: x.dtype });
  return sliceScatter(base, x, starts, new Array<number>(x.ndim).fill(1));
}

/**
 * Tiles the tensor `reps[i]` times along each dim (PyTorch's repeat).
 * @example st.repeat(st.tensor([1, 2]), [2]); // [1, 2, 1, 2] (int32)
 */
export function repeat(x: Tensor, reps: readonly number[]): Tensor {
  checkShapeEntries("repeat", reps, false, "repeats");
  if (reps.length < x.ndim) throw new ShapeError(`repeat: got ${reps.length} repeats for a ${x.ndim}-D tensor (expected at least ${x.ndim})`);
  const lead = reps.length - x.ndim;
  const shape = [...new Array<number>(lead).fill(1), ...x.shape];
  // interleave a size-1 dim before each dim, expand it to the repeat count, then merge
  const inter: number[] = [];
  const target: number[] = [];
  shape.forEach((d, i) => {
    inter.push(1, d);
    target.push(reps[i]!, d);
  });
  checkAllocation("repeat", shape.map((d, i) => d * reps[i]!), x.dtype);
  const e = expand(reshape(x, inter), target);
  return reshape(e, shape.map((d, i) => d * reps[i]!));
}
