// Random tensors: rand, randn, randint, bernoulli, randperm, each from the default generator or
// an explicit one (st.manualSeed(n) makes runs reproducible).

import { type DType, allocate, isFloat } from "./dtype.js";
import { DTypeError } from "./errors.js";
import { type Generator, defaultGenerator } from "./random.js";
import { checkShape, sizeOf } from "./shape.js";
import { checkAllocation, readShapeArgs } from "./validate.js";
import { Tensor } from "./tensor.js";

/** Options of the random creation functions. */
export interface RandomOptions {
  /** Float dtype of the result (default float32). */
  dtype?: DType;
  /** Track gradients (default false). */
  requiresGrad?: boolean;
  /** Random source (default: the global generator `st.manualSeed` seeds). */
  generator?: Generator;
}

function make(op: string, shape: readonly number[], opts: RandomOptions | undefined, fill: (g: Generator, out: Float32Array | Float64Array) => void): Tensor {
  checkShape(op, shape);
  const dtype = opts?.dtype ?? "float32";
  if (!isFloat(dtype)) throw new DTypeError(`${op}: dtype must be float32 or float64 (got ${dtype})`);
  checkAllocation(op, shape, dtype);
  const data = allocate(dtype, sizeOf(shape)) as Float32Array | Float64Array;
  fill(opts?.generator ?? defaultGenerator, data);
  const t = Tensor._fromData(data, shape.slice(), dtype);
  if (opts?.requiresGrad) t.requiresGrad_(true);
  return t;
}

/** Uniform samples in [0, 1); the shape as an array or bare sizes. @example st.rand([2, 3]) // or st.rand(2, 3) */
export function rand(shape: number | readonly number[], opts?: RandomOptions): Tensor;
export function rand(...sizesAndOptions: [...number[], RandomOptions] | number[]): Tensor;
export function rand(...args: unknown[]): Tensor {
  const { shape, opts } = readShapeArgs<RandomOptions>("rand", args);
  return make("rand", shape, opts, (g, d) => g.uniform(d, 0, 1));
}

/**
 * Uniform samples in [low, high).
 * @example st.uniform([3], -1, 1); // samples of U(−1, 1)
 */
export function uniform(shape: readonly number[], low: number, high: number, opts?: RandomOptions): Tensor {
  return make("uniform", shape, opts, (g, d) => g.uniform(d, low, high));
}

/** Standard normal samples N(0, 1); the shape as an array or bare sizes. @example st.randn([2, 3]) // or st.randn(2, 3) */
export function randn(shape: number | readonly number[], opts?: RandomOptions): Tensor;
export function randn(...sizesAndOptions: [...number[], RandomOptions] | number[]): Tensor;
export function randn(...args: unknown[]): Tensor {
  const { shape, opts } = readShapeArgs<RandomOptions>("randn", args);
  return make("randn", shape, opts, (g, d) => g.normal(d, 0, 1));
}

/**
 * Normal samples N(mean, std²).
 * @example st.normal([3], 10, 2); // samples of N(10, 2²)
 */
export function normal(shape: readonly number[], mean: number, std: number, opts?: RandomOptions): Tensor {
  return make("normal", shape, opts, (g, d) => g.normal(d, mean, std));
}

/** Uniform integers in [low, high) as int32. @example st.randint(0, 10, [5]) */
export function randint(low: number, high: number, shape: readonly number[], opts?: { generator?: Generator }): Tensor {
  checkShape("randint", shape);
  checkAllocation("randint", shape, "int32");
  const data = new Int32Array(sizeOf(shape));
  (opts?.generator ?? defaultGenerator).randint(data, low, high);
  return Tensor._fromData(data, shape.slice(), "int32");
}

/**
 * Bernoulli draws: 1 with probability p (a number, or a tensor of probabilities), in the dtype of
 * p (float32 for a number).
 * @example
 * st.manualSeed(0);
 * st.bernoulli(st.full([4], 0.5)); // 0/1 values, each 1 with probability 0.5
 */
export function bernoulli(p: Tensor | number, shapeOrOpts?: readonly number[] | { generator?: Generator }, maybeOpts?: { generator?: Generator }): Tensor {
  const opts = Array.isArray(shapeOrOpts) ? maybeOpts : (shapeOrOpts as { generator?: Generator } | undefined);
  const g = opts?.generator ?? defaultGenerator;
  if (typeof p === "number") {
    const shape = Array.isArray(shapeOrOpts) ? (shapeOrOpts as number[]) : [];
    const d = new Float32Array(sizeOf(shape));
    g.bernoulli(d, p);
    return Tensor._fromData(d, shape.slice(), "float32");
  }
  if (!isFloat(p.dtype)) throw new DTypeError(`bernoulli: probabilities must be a float tensor (got ${p.dtype})`);
  const d = allocate(p.dtype, p.size) as Float32Array | Float64Array;
  g.bernoulli(d, p._data as Float32Array | Float64Array);
  return Tensor._fromData(d, p.shape.slice(), p.dtype);
}

/**
 * A random permutation of 0..n−1 (int32).
 * @example
 * st.manualSeed(0);
 * st.randperm(5); // the numbers 0..4 in random order (int32)
 */
export function randperm(n: number, opts?: { generator?: Generator }): Tensor {
  const d = (opts?.generator ?? defaultGenerator).randperm(n);
  return Tensor._fromData(d, [n], "int32");
}

/**
 * Random tensors shaped like `t`.
 * @example st.randLike(st.zeros([2, 3])).shape; // [2, 3]
 */
export const randLike = (t: Tensor, o?: RandomOptions) => rand(t.shape, { dtype: t.dtype, ...o });
/**
 * Standard normal samples with `t`'s shape and dtype.
 * @example st.randnLike(st.zeros([2, 3])).shape; // [2, 3]
 */
export const randnLike = (t: Tensor, o?: RandomOptions) => randn(t.shape, { dtype: t.dtype, ...o });
