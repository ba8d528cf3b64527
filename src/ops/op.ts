// The closed primitive set. Every op the library offers is either one of these (a kernel plus a
// row in ops/gradients.ts) or a composite of them, differentiable for free.

import type { BinaryKernelName, ReduceKernelName, UnaryKernelName } from "../backend/backend.js";
import type { DType } from "../core/dtype.js";

/** Attributes each primitive records for its backward, keyed by op name. */
export interface OpAttrs {
  // unary elementwise (no attributes; cast records its target dtype)
  neg: null; abs: null; sign: null; exp: null; expm1: null; log: null; log1p: null; sqrt: null;
  rsqrt: null; square: null; sin: null; cos: null; tanh: null; sigmoid: null; relu: null; erf: null;
  floor: null; ceil: null; round: null; cast: { dtype: DType };
  // binary elementwise with broadcasting
  add: null; sub: null; mul: null; div: null; pow: null; maximum: null; minimum: null;
  where: null;
  clamp: { lo: number; hi: number };
  // reductions
  sum: { dims: number[]; keepdim: boolean };
  prod: { dims: number[]; keepdim: boolean };
  max: { dims: number[]; keepdim: boolean };
  min: { dims: number[]; keepdim: boolean };
  softmax: { axis: number };
  /** over the trailing `dims`; inputs [x, weight?, bias?] as the flags say */
  layerNorm: { eps: number; dims: number[]; weight: boolean; bias: boolean };
  logSoftmax: { axis: number };
  // products
  matmul: { transA: boolean; transB: boolean };
  /** y = x·Wᵀ + b, inputs [x (2-D), W, b] */
  linear: null;
  svd: { m: number; n: number };
  // data movement
  reshape: null;
  permute: { perm: number[] };
  expand: null;
  slice: { starts: number[]; steps: number[] };
  sliceScatter: { starts: number[]; steps: number[] };
  cat: { axis: number };
  gather: { dim: number; index: Int32Array; indexShape: number[] };
  scatterAdd: { dim: number; index: Int32Array; indexShape: number[] };
  indexSelect: { dim: number; index: Int32Array };
  indexAdd: { dim: number; index: Int32Array };
}

/** Names of the differentiable primitives (the keys of the backward table). */
export type Op = keyof OpAttrs;

/** Primitives without a derivative (their outputs never require grad). */
export type NonDiffOp = Extract<UnaryKernelName, "isFinite" | "isNaN" | "logicalNot"> |
  Exclude<BinaryKernelName, "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum"> |
  "argmax" | "argmin";

export type { BinaryKernelName, ReduceKernelName, UnaryKernelName };
