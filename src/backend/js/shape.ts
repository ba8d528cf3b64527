// js reference kernels that move data: permute, expand, slice, cat, gather/scatter, index ops.

import type { TypedArray } from "../../core/dtype.js";
import { stridesOf } from "../../core/shape.js";
import { axisSplit } from "./reduce.js";
import { broadcastStrides, forEachBroadcast } from "./elementwise.js";

/** Copies x viewed with arbitrary per-dim input strides (and a base offset) into contiguous out. */
function gatherStrided(x: TypedArray, base: number, inStrides: readonly number[], outShape: readonly number[], out: TypedArray): void {
  forEachBroadcast(outShape, [inStrides], (o, offs, is, len) => {
    let ix = base + offs[0]!;
    const d = is[0]!;
    for (let j = 0; j < len; j++, ix += d) out[o + j] = x[ix]!;
  });
}

export function permute(x: TypedArray, shape: readonly number[], perm: readonly number[], out: TypedArray): void {
  const st = stridesOf(shape);
  gatherStrided(x, 0, perm.map((p) => st[p]!), perm.map((p) => shape[p]!), out);
}

export function expand(x: TypedArray, shape: readonly number[], outShape: readonly number[], out: TypedArray): void {
  if (x.length === 1) {
    out.fill(x[0]!);
    return;
  }
  gatherStrided(x, 0, broadcastStrides(shape, outShape), outShape, out);
}

export function slice(
  x: TypedArray, shape: readonly number[], starts: readonly number[], steps: readonly number[],
  out: TypedArray, outShape: readonly number[],
): void {
  const st = stridesOf(shape);
  let base = 0;
  for (let i = 0; i < shape.length; i++) base += starts[i]! * st[i]!;
  gatherStrided(x, base, st.map((s, i) => s * steps[i]!), outShape, out);
}

export function sliceScatter(
  out: TypedArray, shape: readonly number[], src: TypedArray, srcShape: readonly number[],
  starts: readonly number[], steps: readonly number[],
): void {
  const st = stridesOf(shape);
  let base = 0;
  for (let i = 0; i < shape.length; i++) base += starts[i]! * st[i]!;
  forEachBroadcast(srcShape, [st.map((s, i) => s * steps[i]!)], (o, offs, is, len) => {
    let io = base + offs[0]!;
    const d = is[0]!;
    for (let j = 0; j < len; j++, io += d) out[io] = src[o + j]!;
  });
}

export function cat(xs: readonly TypedArray[], shapes: readonly (readonly number[])[], axis: number, out: TypedArray): void {
  const [outer] = axisSplit(shapes[0]!, axis);
  const chunk = shapes.map((s) => axisSplit(s, axis)[1] * axisSplit(s, axis)[2]);
  const rowLen = chunk.reduce((a, b) => a + b, 0);
  for (let o = 0; o < outer; o++) {
    let off = o * rowLen;
    for (let t = 0; t < xs.length; t++) {
      const c = chunk[t]!;
      out.set(xs[t]!.subarray(o * c, o * c + c), off);
      off += c;
    }
  }
}

/**
 * cat's inverse: piece t gets `sizes[t]` entries of `axis`. Per outer row each piece is one
 * contiguous run of x, copied with set (a memcpy) when long, element by element when short
 * (a subarray per run would cost more than the copy).
 */
export function split(x: TypedArray, shape: readonly number[], axis: number, sizes: readonly number[], outs: readonly TypedArray[]): void {
  const [outer, n, inner] = axisSplit(shape, axis);
  const rowLen = n * inner;
  for (let t = 0, start = 0; t < outs.length; t++) {
    const out = outs[t]!, c = sizes[t]! * inner;
    if (c >= 64) {
      for (let o = 0; o < outer; o++) out.set(x.subarray(o * rowLen + start, o * rowLen + start + c), o * c);
    } else {
      for (let o = 0; o < outer; o++) {
        const src = o * rowLen + start, dst = o * c;
        for (let j = 0; j < c; j++) out[dst + j] = x[src + j]!;
      }
    }
    start += c;
  }
}

/** Index strides for gather/scatter: walk `indexShape`, reading x at the same index except along dim. */
export function indexWalk(
  shape: readonly number[], dim: number, indexShape: readonly number[],
  visit: (pos: number, xOffNoDim: number, dimStride: number) => void,
): void {
  const st = stridesOf(shape);
  const nd = indexShape.length;
  const idx = new Array<number>(nd).fill(0);
  let total = 1;
  for (const d of indexShape) total *= d;
  let off = 0;
  for (let p = 0; p < total; p++) {
    visit(p, off, st[dim]!);
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]!++;
      if (d !== dim) off += st[d]!;
      if (idx[d]! < indexShape[d]!) break;
      if (d !== dim) off -= st[d]! * indexShape[d]!;
      idx[d] = 0;
    }
  }
}

export function gather(
  x: TypedArray, shape: readonly number[], dim: number, index: Int32Array, indexShape: readonly number[], out: TypedArray,
): void {
  indexWalk(shape, dim, indexShape, (p, off, ds) => {
    out[p] = x[off + index[p]! * ds]!;
  });
}

export function scatterAdd(
  out: TypedArray, shape: readonly number[], dim: number, index: Int32Array, indexShape: readonly number[], src: TypedArray,
): void {
  // the op layer passes src with exactly the index's shape
  indexWalk(shape, dim, indexShape, (p, off, ds) => {
    out[off + index[p]! * ds]! += src[p]!;
  });
}

export function indexSelect(x: TypedArray, shape: readonly number[], dim: number, index: Int32Array, out: TypedArray): void {
  const [outer, len, inner] = axisSplit(shape, dim);
  const n = index.length;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < n; i++) {
      const src = (o * len + index[i]!) * inner;
      out.set(x.subarray(src, src + inner), (o * n + i) * inner);
    }
  }
}

export function indexAdd(out: TypedArray, shape: readonly number[], dim: number, index: Int32Array, src: TypedArray): void {
  const [outer, len, inner] = axisSplit(shape, dim);
  const n = index.length;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < n; i++) {
      const dst = (o * len + index[i]!) * inner;
      const s = (o * n + i) * inner;
      for (let j = 0; j < inner; j++) out[dst + j]! += src[s + j]!;
    }
  }
}
