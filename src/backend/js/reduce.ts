// js reference kernels for reductions, arg-reductions and the stable softmax family.
// Sums accumulate in float64 (JavaScript numbers), so float32 sums carry no accumulation error
// beyond the final rounding.

import type { TypedArray } from "../../core/dtype.js";
import type { ReduceKernel, ReduceKernelName } from "../backend.js";

/**
 * Splits `shape` around `axes` into a walk that visits, for every output element, each of its
 * input elements. `axes` are sorted and unique.
 */
function reduceWalk(
  shape: readonly number[],
  axes: readonly number[],
  init: () => void,
  step: (v: number) => void,
  emit: (o: number) => void,
  x: TypedArray,
): void {
  const nd = shape.length;
  const isRed = new Array<boolean>(nd).fill(false);
  for (const a of axes) isRed[a] = true;
  const inStrides = new Array<number>(nd);
  let acc = 1;
  for (let i = nd - 1; i >= 0; i--) {
    inStrides[i] = acc;
    acc *= shape[i]!;
  }
  const keptDims: number[] = [];
  const redDims: number[] = [];
  for (let i = 0; i < nd; i++) (isRed[i] ? redDims : keptDims).push(i);
  let outSize = 1;
  for (const d of keptDims) outSize *= shape[d]!;
  let redSize = 1;
  for (const d of redDims) redSize *= shape[d]!;

  // Fast path: reducing a suffix of contiguous dims — each output is a contiguous run.
  const suffix = redDims.length > 0 && redDims.every((d, i) => d === nd - redDims.length + i);
  if (suffix || redDims.length === 0) {
    for (let o = 0; o < outSize; o++) {
      init();
      const base = o * redSize;
      for (let j = 0; j < redSize; j++) step(x[base + j]!);
      emit(o);
    }
    return;
  }
  const kIdx = new Array<number>(keptDims.length).fill(0);
  const rIdx = new Array<number>(redDims.length).fill(0);
  for (let o = 0; o < outSize; o++) {
    let base = 0;
    for (let i = 0; i < keptDims.length; i++) base += kIdx[i]! * inStrides[keptDims[i]!]!;
    init();
    rIdx.fill(0);
    let off = 0;
    for (let j = 0; j < redSize; j++) {
      step(x[base + off]!);
      for (let d = redDims.length - 1; d >= 0; d--) {
        const dim = redDims[d]!;
        rIdx[d]!++;
        off += inStrides[dim]!;
        if (rIdx[d]! < shape[dim]!) break;
        off -= inStrides[dim]! * shape[dim]!;
        rIdx[d] = 0;
      }
    }
    emit(o);
    for (let d = keptDims.length - 1; d >= 0; d--) {
      kIdx[d]!++;
      if (kIdx[d]! < shape[keptDims[d]!]!) break;
      kIdx[d] = 0;
    }
  }
}

function makeReduce(kind: ReduceKernelName): ReduceKernel {
  return (x, shape, axes, out) => {
    let acc = 0;
    let sawNaN = false;
    const init =
      kind === "sum" ? () => { acc = 0; }
      : kind === "prod" ? () => { acc = 1; }
      : kind === "max" ? () => { acc = -Infinity; sawNaN = false; }
      : () => { acc = Infinity; sawNaN = false; };
    const step =
      kind === "sum" ? (v: number) => { acc += v; }
      : kind === "prod" ? (v: number) => { acc *= v; }
      : kind === "max" ? (v: number) => { if (v > acc) acc = v; else if (v !== v) sawNaN = true; }
      : (v: number) => { if (v < acc) acc = v; else if (v !== v) sawNaN = true; };
    const emit = (o: number) => { out[o] = sawNaN ? NaN : acc; };
    reduceWalk(shape, axes, init, step, emit, x);
  };
}

export const reduceKernels: Record<ReduceKernelName, ReduceKernel> = {
  sum: makeReduce("sum"),
  prod: makeReduce("prod"),
  max: makeReduce("max"),
  min: makeReduce("min"),
};

/** outer × len × inner decomposition of `shape` around `axis`. */
export function axisSplit(shape: readonly number[], axis: number): [number, number, number] {
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  let inner = 1;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  return [outer, shape[axis] ?? 1, inner];
}

function argReduce(better: (v: number, best: number) => boolean) {
  return (x: TypedArray, shape: readonly number[], axis: number, out: Int32Array): void => {
    const [outer, len, inner] = axisSplit(shape, axis);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * len * inner + i;
        let best = x[base]!;
        let bi = 0;
        if (best === best) {
          for (let j = 1; j < len; j++) {
            const v = x[base + j * inner]!;
            if (v !== v) { bi = j; break; } // NaN wins, like PyTorch
            if (better(v, best)) { best = v; bi = j; }
          }
        }
        out[o * inner + i] = bi;
      }
    }
  };
}

export const argmax = argReduce((v, b) => v > b);
export const argmin = argReduce((v, b) => v < b);

/**
 * softmax(x)_i = exp(x_i − m) / Σ_j exp(x_j − m), m = max_j x_j. Subtracting the max keeps every
 * exponent ≤ 0, so nothing overflows; a row that is all −∞ gives NaN like PyTorch.
 */
export function softmax(x: TypedArray, shape: readonly number[], axis: number, out: TypedArray): void {
  rowWise(x, shape, axis, out, false);
}

/** logSoftmax(x)_i = x_i − m − log Σ_j exp(x_j − m): exact even where softmax underflows to 0. */
export function logSoftmax(x: TypedArray, shape: readonly number[], axis: number, out: TypedArray): void {
  rowWise(x, shape, axis, out, true);
}

function rowWise(x: TypedArray, shape: readonly number[], axis: number, out: TypedArray, log: boolean): void {
  const [outer, len, inner] = axisSplit(shape, axis);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let m = -Infinity;
      for (let j = 0; j < len; j++) {
        const v = x[base + j * inner]!;
        if (v > m || v !== v) m = v;
      }
      let s = 0;
      for (let j = 0; j < len; j++) s += Math.exp(x[base + j * inner]! - m);
      if (log) {
        const ls = Math.log(s) + m;
        for (let j = 0; j < len; j++) out[base + j * inner] = x[base + j * inner]! - ls;
      } else {
        for (let j = 0; j < len; j++) out[base + j * inner] = Math.exp(x[base + j * inner]! - m) / s;
      }
    }
  }
}

/** Kernels.tensorStats: one pass in float64 (see backend.ts). */
export function tensorStats(x: TypedArray, ref: TypedArray | null, center: number, threshold: number, out: Float64Array): void {
  let s = 0, q = 0, zeros = 0, lo = Infinity, hi = -Infinity, tail = 0, dq = 0, nan = false;
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    s += v;
    q += v * v;
    if (v === 0) zeros++;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    if (v !== v) nan = true;
    if (Math.abs(v - center) > threshold) tail++;
  }
  if (ref !== null) {
    for (let i = 0; i < n; i++) {
      const dv = x[i]! - ref[i]!;
      dq += dv * dv;
    }
  }
  out[0] = s; out[1] = q; out[2] = zeros; out[3] = nan ? NaN : lo; out[4] = nan ? NaN : hi; out[5] = tail; out[6] = dq;
}
