// Creation functions: st.tensor from nested arrays or typed arrays, zeros/ones/full/arange/
// linspace/eye and their *Like forms.

import { type DType, type TypedArray, allocate, assertDType, checkValueFits, dtypeOfArray } from "./dtype.js";
import { DTypeError, ShapeError, ValueError, fmtShape } from "./errors.js";
import { checkShape, sizeOf } from "./shape.js";
import { checkAllocation, checkSize, readShapeArgs } from "./validate.js";
import { type NestedArray, Tensor } from "./tensor.js";

/** Options of the creation functions: the dtype (inferred or float32 when omitted) and whether the tensor requires grad. */
export interface TensorOptions {
  /** "float32", "float64", "int32" or "bool"; each function documents what it infers when omitted. */
  dtype?: DType;
  /** Track gradients (a leaf of the graph); only float dtypes can (default false). */
  requiresGrad?: boolean;
}

function finish(t: Tensor, opts: TensorOptions | undefined): Tensor {
  if (opts?.requiresGrad) t.requiresGrad_(true);
  return t;
}

function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0] as NestedArray;
  }
  return shape;
}

/**
 * Creates a tensor from a number, a (nested) array of numbers or booleans, or a typed array.
 * The dtype is inferred (booleans → bool, all integers → int32, otherwise float32) unless given;
 * `requiresGrad: true` without a dtype gives float32, since only float tensors have gradients.
 *
 * @example
 * const x = st.tensor([[1, 2], [3, 4]]);              // int32
 * const w = st.tensor([0.5, -1], { requiresGrad: true }); // float32 leaf
 */
export function tensor(data: NestedArray | TypedArray, opts?: TensorOptions & { shape?: number[] }): Tensor {
  if (opts?.dtype !== undefined) assertDType("tensor", opts.dtype);
  if (ArrayBuffer.isView(data)) {
    const src = data as TypedArray;
    const shape = opts?.shape ?? [src.length];
    if (sizeOf(shape) !== src.length) {
      throw new ShapeError(`tensor: shape ${fmtShape(shape)} holds ${sizeOf(shape)} elements but the typed array has ${src.length}`);
    }
    const dtype = opts?.dtype ?? dtypeOfArray(src);
    const out = allocate(dtype, src.length);
    if (dtype === "int32" && !(src instanceof Int32Array) && !(src instanceof Uint8Array)) {
      for (let i = 0; i < src.length; i++) checkValueFits("tensor", "int32", src[i]!);
    }
    if (dtype === "bool") for (let i = 0; i < src.length; i++) out[i] = src[i] ? 1 : 0;
    else out.set(src);
    return finish(Tensor._fromData(out, shape.slice(), dtype), opts);
  }
  const shape = inferShape(data);
  const n = sizeOf(shape);
  const flat: (number | boolean)[] = new Array(n);
  let k = 0;
  let sawBool = false;
  let sawNum = false;
  let allInt = true;
  const walk = (v: NestedArray, dim: number, path: number[]): void => {
    if (dim === shape.length) {
      if (Array.isArray(v)) {
        throw new ShapeError(`tensor: ragged nested array: element at [${path.join("][")}] is an array, but the shape inferred from the first elements is ${fmtShape(shape)} (expected every row at depth ${dim} to be a number)`);
      }
      if (typeof v === "boolean") sawBool = true;
      else if (typeof v === "number") {
        sawNum = true;
        if (!Number.isInteger(v)) allInt = false;
      } else throw new DTypeError(`tensor: element at [${path.join("][")}] is ${typeof v} (expected a number or boolean)`);
      flat[k++] = v;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      const got = Array.isArray(v) ? `length ${v.length}` : `a ${typeof v}`;
      throw new ShapeError(`tensor: ragged nested array: row at [${path.join("][")}] has ${got}, expected length ${shape[dim]} (shape ${fmtShape(shape)} inferred from the first elements)`);
    }
    for (let i = 0; i < v.length; i++) walk(v[i] as NestedArray, dim + 1, [...path, i]);
  };
  walk(data, 0, []);
  if (sawBool && sawNum) throw new DTypeError("tensor: mixes booleans and numbers (expected one kind)");
  // requiresGrad without a dtype means the user wants a float tensor (PyTorch would raise)
  const dtype: DType = opts?.dtype ?? (sawBool ? "bool" : (sawNum && !allInt) || n === 0 || opts?.requiresGrad ? "float32" : "int32");
  const out = allocate(dtype, n);
  for (let i = 0; i < n; i++) {
    const v = flat[i]!;
    const num = typeof v === "boolean" ? (v ? 1 : 0) : v;
    checkValueFits("tensor", dtype, num);
    out[i] = dtype === "bool" ? (num !== 0 ? 1 : 0) : num;
  }
  return finish(Tensor._fromData(out, shape, dtype), opts);
}

/**
 * A 0-d tensor holding `v` (float32 unless v is an integer/bool or dtype says otherwise).
 * @example st.scalar(3.5); // 3.5 (float32)
 */
export function scalar(v: number | boolean, dtype?: DType): Tensor {
  return tensor(v, dtype ? { dtype } : undefined);
}

function filled(op: string, shape: readonly number[], value: number, opts?: TensorOptions): Tensor {
  checkShape(op, shape);
  const dtype = opts?.dtype ?? "float32";
  assertDType(op, dtype);
  checkAllocation(op, shape, dtype);
  checkValueFits(op, dtype, value);
  const data = allocate(dtype, sizeOf(shape));
  if (value !== 0) data.fill(dtype === "bool" ? (value ? 1 : 0) : value);
  return finish(Tensor._fromData(data, shape.slice(), dtype), opts);
}

/**
 * Tensor of zeros. The shape is an array or bare sizes, as in PyTorch: `zeros([2, 3])`,
 * `zeros(2, 3)`, `zeros(3)`; options (dtype, requiresGrad) follow either.
 * @example st.zeros([2, 3]) // or st.zeros(2, 3)
 */
export function zeros(shape: number | readonly number[], opts?: TensorOptions): Tensor;
export function zeros(...sizesAndOptions: [...number[], TensorOptions] | number[]): Tensor;
export function zeros(...args: unknown[]): Tensor {
  const { shape, opts } = readShapeArgs<TensorOptions>("zeros", args);
  return filled("zeros", shape, 0, opts);
}

/**
 * Tensor of ones; the shape as an array or bare sizes, like zeros.
 * @example st.ones([2, 3], { dtype: "float64" }) // or st.ones(2, 3, { dtype: "float64" })
 */
export function ones(shape: number | readonly number[], opts?: TensorOptions): Tensor;
export function ones(...sizesAndOptions: [...number[], TensorOptions] | number[]): Tensor;
export function ones(...args: unknown[]): Tensor {
  const { shape, opts } = readShapeArgs<TensorOptions>("ones", args);
  return filled("ones", shape, 1, opts);
}

/** Tensor filled with `value`. @example st.full([2], 7) */
export function full(shape: number | readonly number[], value: number | boolean, opts?: TensorOptions): Tensor {
  if (typeof value !== "number" && typeof value !== "boolean") {
    throw new DTypeError(`full: value must be a number or a boolean (got ${value === null ? "null" : typeof value === "string" ? `the string ${JSON.stringify(value)}` : typeof value})`);
  }
  const dtype = opts?.dtype ?? (typeof value === "boolean" ? "bool" : "float32");
  return filled("full", readShapeArgs("full", [shape]).shape, Number(value), { ...opts, dtype });
}

type LikeOptions = TensorOptions;
/**
 * Zeros with `t`'s shape and dtype (options override the dtype).
 * @example st.zerosLike(st.tensor([[1, 2]])); // [[0, 0]] (int32)
 */
export const zerosLike = (t: Tensor, o?: LikeOptions) => zeros(t.shape, { dtype: t.dtype, ...o });
/**
 * Ones with `t`'s shape and dtype (options override the dtype).
 * @example st.onesLike(st.tensor([1.5, 2])); // [1, 1] (float32)
 */
export const onesLike = (t: Tensor, o?: LikeOptions) => ones(t.shape, { dtype: t.dtype, ...o });
/**
 * `v` everywhere, with `t`'s shape and dtype (options override the dtype).
 * @example st.fullLike(st.zeros([2]), 7); // [7, 7]
 */
export const fullLike = (t: Tensor, v: number, o?: LikeOptions) => full(t.shape, v, { dtype: t.dtype, ...o });
/**
 * Same as `zerosLike` (tensors are always initialized here; PyTorch's `empty_like`).
 * @example st.emptyLike(st.ones([2])); // [0, 0]
 */
export const emptyLike = zerosLike;

/**
 * Values start, start+step, … below `end` (PyTorch's arange). One argument means [0, end).
 * Integer arguments give int32, otherwise float32. Options may follow any of the numbers.
 *
 * @example st.arange(5) // tensor([0, 1, 2, 3, 4])
 * @example st.arange(3, { dtype: "float64" }) // tensor([0., 1., 2.], dtype=float64)
 */
export function arange(start: number, end?: number | TensorOptions, step: number | TensorOptions = 1, opts?: TensorOptions): Tensor {
  // arange(n, opts) and arange(a, b, opts), as torch.arange(n, dtype=...) reads
  if (typeof end === "object" && end !== null) [opts, end] = [end, undefined];
  if (typeof step === "object" && step !== null) [opts, step] = [step, 1];
  if (end === undefined) {
    end = start;
    start = 0;
  }
  for (const [what, v] of [["start", start], ["end", end], ["step", step]] as const) {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new ValueError(`arange: ${what} must be a finite number (got ${String(v)})`);
  }
  if (step === 0) throw new ValueError("arange: step must be non-zero");
  const n = Math.max(0, Math.ceil((end - start) / step));
  const dtype = opts?.dtype ?? (Number.isInteger(start) && Number.isInteger(end) && Number.isInteger(step) ? "int32" : "float32");
  checkAllocation("arange", [n], dtype);
  const data = allocate(dtype, n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return finish(Tensor._fromData(data, [n], dtype), opts);
}

/**
 * `steps` evenly spaced values from start to end inclusive.
 * @example st.linspace(0, 1, 5) // tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])
 */
export function linspace(start: number, end: number, steps: number, opts?: TensorOptions): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new ValueError(`linspace: steps must be a non-negative integer (got ${steps})`);
  const dtype = opts?.dtype ?? "float32";
  const data = allocate(dtype, steps);
  const h = steps > 1 ? (end - start) / (steps - 1) : 0;
  // fill from both ends so the last value is exactly `end`, as PyTorch does
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) data[i] = i < half ? start + h * i : end - h * (steps - 1 - i);
  if (steps === 1) data[0] = start; // a single step is the start, as in PyTorch
  return finish(Tensor._fromData(data, [steps], dtype), opts);
}

/** Identity matrix n×m. @example st.eye(3) */
export function eye(n: number, m = n, opts?: TensorOptions): Tensor {
  checkSize("eye", "n (the number of rows)", n);
  checkSize("eye", "m (the number of columns)", m);
  const t = zeros([n, m], { dtype: opts?.dtype });
  const d = t._data;
  for (let i = 0; i < Math.min(n, m); i++) d[i * m + i] = 1;
  return finish(t, opts);
}
