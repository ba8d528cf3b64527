// Naive float64 reference implementations for tests: index arithmetic, broadcasting, reductions
// and matrix products written as plain loops over JavaScript numbers, independent of src/.

/** A flat row-major array with its shape. */
export interface Ref {
  shape: number[];
  data: number[];
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Row-major strides in elements. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** Multi-index of flat position `i` in `shape`. */
export function unravelIndex(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d]!;
    i = Math.floor(i / shape[d]!);
  }
  return idx;
}

/** Flat position of a multi-index in `shape`. */
export function ravelIndex(idx: readonly number[], shape: readonly number[]): number {
  let f = 0;
  for (let d = 0; d < shape.length; d++) f = f * shape[d]! + idx[d]!;
  return f;
}

/** NumPy broadcast of two shapes, or null when they are incompatible. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** The element of `x` that output index `outIdx` reads under broadcasting. */
function broadcastRead(x: Ref, outIdx: readonly number[]): number {
  const lead = outIdx.length - x.shape.length;
  const idx = x.shape.map((n, d) => (n === 1 ? 0 : outIdx[lead + d]!));
  return x.data[ravelIndex(idx, x.shape)]!;
}

/** out = f(a, b) elementwise with NumPy broadcasting, one output element at a time. */
export function naiveBinary(a: Ref, b: Ref, f: (x: number, y: number) => number): Ref {
  const shape = broadcastShape(a.shape, b.shape);
  if (!shape) throw new Error(`naiveBinary: [${a.shape}] and [${b.shape}] do not broadcast`);
  const data: number[] = [];
  for (let i = 0; i < sizeOf(shape); i++) {
    const idx = unravelIndex(i, shape);
    data.push(f(broadcastRead(a, idx), broadcastRead(b, idx)));
  }
  return { shape, data };
}

/**
 * Reduces `x` over `dims` (all when undefined; negative dims count from the end) by folding
 * `step` from `init`, then `finish(acc, count)`.
 */
export function naiveReduce(
  x: Ref, dims: readonly number[] | undefined, keepdim: boolean,
  init: number, step: (acc: number, v: number) => number, finish: (acc: number, n: number) => number = (a) => a,
): Ref {
  const nd = x.shape.length;
  const red = new Set((dims ?? x.shape.map((_, i) => i)).map((d) => (d < 0 ? d + nd : d)));
  const outShapeKeep = x.shape.map((n, d) => (red.has(d) ? 1 : n));
  const acc = new Array<number>(sizeOf(outShapeKeep)).fill(init);
  const count = sizeOf(x.shape) / Math.max(1, sizeOf(outShapeKeep));
  for (let i = 0; i < x.data.length; i++) {
    const idx = unravelIndex(i, x.shape).map((v, d) => (red.has(d) ? 0 : v));
    const o = ravelIndex(idx, outShapeKeep);
    acc[o] = step(acc[o]!, x.data[i]!);
  }
  const shape = keepdim ? outShapeKeep : x.shape.filter((_, d) => !red.has(d));
  return { shape, data: acc.map((a) => finish(a, sizeOf(x.shape) === 0 ? 0 : count)) };
}

/** C = A·B for 2-D A [m, k] and B [k, n]. */
export function naiveMatmul(a: Ref, b: Ref): Ref {
  const [m, k] = a.shape as [number, number];
  const [k2, n] = b.shape as [number, number];
  if (k !== k2) throw new Error("naiveMatmul: inner dims differ");
  const data = new Array<number>(m * n).fill(0);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += a.data[i * k + p]! * b.data[p * n + j]!;
    data[i * n + j] = s;
  }
  return { shape: [m, n], data };
}

/** Transposes a 2-D Ref. */
export function naiveTranspose(a: Ref): Ref {
  const [m, n] = a.shape as [number, number];
  const data = new Array<number>(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) data[j * m + i] = a.data[i * n + j]!;
  return { shape: [n, m], data };
}

/** Applies `f` to each 1-D lane of `x` along `dim` (f maps a lane to a lane of the same length). */
export function naiveAlongDim(x: Ref, dim: number, f: (lane: number[]) => number[]): Ref {
  const nd = x.shape.length;
  const d = dim < 0 ? dim + nd : dim;
  const st = stridesOf(x.shape);
  const n = x.shape[d]!;
  const out = x.data.slice();
  for (let i = 0; i < x.data.length; i++) {
    if (unravelIndex(i, x.shape)[d] !== 0) continue;
    const lane = Array.from({ length: n }, (_, j) => x.data[i + j * st[d]!]!);
    f(lane).forEach((v, j) => { out[i + j * st[d]!] = v; });
  }
  return { shape: x.shape.slice(), data: out };
}

/**
 * `x` broadcast to `shape` (PyTorch's expand: −1 keeps the size of the aligned trailing dim of x),
 * one output element at a time: output index i reads x at i with broadcast dims pinned to 0.
 */
export function naiveExpand(x: Ref, shape: readonly number[]): Ref {
  const lead = shape.length - x.shape.length;
  const out = shape.map((n, d) => (n === -1 ? x.shape[d - lead]! : n));
  x.shape.forEach((n, d) => {
    if (n !== 1 && n !== out[lead + d]) throw new Error(`naiveExpand: [${x.shape}] cannot expand to [${shape}]`);
  });
  const data: number[] = [];
  for (let i = 0; i < sizeOf(out); i++) data.push(broadcastRead(x, unravelIndex(i, out)));
  return { shape: out, data };
}

/** A copy of `base` with src[i] written at base[starts + i·steps] (per dim), as a plain index map. */
export function naiveSliceScatter(base: Ref, src: Ref, starts: readonly number[], steps: readonly number[]): Ref {
  const data = base.data.slice();
  for (let i = 0; i < src.data.length; i++) {
    const idx = unravelIndex(i, src.shape).map((v, d) => starts[d]! + v * steps[d]!);
    data[ravelIndex(idx, base.shape)] = src.data[i]!;
  }
  return { shape: base.shape.slice(), data };
}
