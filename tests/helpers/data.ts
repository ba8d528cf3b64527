// Seeded test inputs: reproducible random tensors with the properties op tests need (float32-
// representable values, kept away from kinks at 0, pairwise distinct for max/min), and
// conversion of tensors to the plain `Ref` arrays that tests/helpers/reference.ts works on.

import { type DType, Generator, Tensor, tensor } from "../../src/index.js";
import type { Ref } from "./reference.js";

export interface SampleOptions {
  /** Interval of |value| (or of value when `signed` is false): default [0.5, 1.5]. */
  lo?: number;
  hi?: number;
  /** Random sign (default true), so values lie in ±[lo, hi]: away from 0 when lo > 0. */
  signed?: boolean;
  /** Make every value differ from every other by at least 1e-3 relative (for max/min/sort). */
  distinct?: boolean;
}

/**
 * `n` seeded values, each rounded to float32 so a float64 tensor and its float32 copy hold
 * identical numbers (the float32-vs-float64 comparisons then only see arithmetic error).
 *
 * @example sampleValues(1, 4, { lo: 0.5, hi: 2 }) // four values in ±[0.5, 2]
 */
export function sampleValues(seed: number, n: number, opts: SampleOptions = {}): number[] {
  const g = new Generator(seed);
  const lo = opts.lo ?? 0.5;
  const hi = opts.hi ?? 1.5;
  const u = g.uniform(new Float64Array(n), 0, 1);
  const s = g.uniform(new Float64Array(n), 0, 1);
  let vals = Array.from(u, (v, i) => {
    const mag = lo + (hi - lo) * v;
    return Math.fround((opts.signed ?? true) && s[i]! < 0.5 ? -mag : mag);
  });
  if (opts.distinct) {
    // spread a random permutation evenly over [lo, hi] (jittered), so gaps are ≥ (hi−lo)/(2n)
    const perm = g.randperm(n);
    vals = vals.map((_, i) => {
      const mag = lo + ((hi - lo) * (perm[i]! + 0.25 + 0.5 * u[i]!)) / n;
      return Math.fround((opts.signed ?? true) && s[i]! < 0.5 ? -mag : mag);
    });
  }
  return vals;
}

/**
 * A seeded float64 tensor of `shape` that requires grad (for gradcheck), values as in
 * `sampleValues`.
 *
 * @example const x = randomTensor([2, 3], 7, { distinct: true });
 */
export function randomTensor(shape: number[], seed: number, opts: SampleOptions & { dtype?: DType; requiresGrad?: boolean } = {}): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const dtype = opts.dtype ?? "float64";
  const data = dtype === "float64" ? Float64Array.from(sampleValues(seed, n, opts)) : Float32Array.from(sampleValues(seed, n, opts));
  return tensor(data, { shape, dtype, requiresGrad: opts.requiresGrad ?? true });
}

/** An int32 index tensor. */
export function indexTensor(values: number[], shape: number[] = [values.length]): Tensor {
  return tensor(Int32Array.from(values), { shape, dtype: "int32" });
}

/** A tensor's values as a plain `Ref` (float64 numbers, row-major). */
export function toRef(t: Tensor): Ref {
  return { shape: t.shape.slice(), data: Array.from(t.dataSync() as ArrayLike<number>) };
}

/** A detached copy of `t` converted to `dtype` (no graph, fresh storage). */
export function copyAs(t: Tensor, dtype: DType): Tensor {
  const src = t.dataSync();
  return tensor(src, { shape: t.shape.slice(), dtype });
}
