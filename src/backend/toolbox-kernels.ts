// The typed-array kernels of issue 15's tensor toolbox (trig and friends, atan2/remainder/fmod/
// hypot, stable argsort, cumulative sums and products, scatterReduce). Kept in their own
// interface, merged into Kernels (backend.ts), so that a backend may implement any of them and
// the registry falls back to js per kernel like every other entry.

import type { TypedArray } from "../core/dtype.js";
import type { BinaryKernel, UnaryKernel } from "./backend.js";

/** Elementwise maps of one input added by the toolbox (float results). */
export type ToolboxUnaryName =
  | "tan" | "asin" | "acos" | "atan" | "sinh" | "cosh" | "asinh" | "acosh" | "atanh"
  | "log2" | "log10" | "exp2" | "erfinv";

/** Elementwise maps of two broadcast inputs added by the toolbox. */
export type ToolboxBinaryName = "atan2" | "remainder" | "fmod" | "hypot";

/** The reductions scatterReduce knows ("assign" is plain scatter: the last write wins). */
export type ScatterReduceMode = "sum" | "prod" | "mean" | "amax" | "amin" | "assign";

export interface ToolboxKernels {
  /** One elementwise kernel per toolbox unary function (tan, asin, …, erfinv), by name. */
  unaryMath: Record<ToolboxUnaryName, UnaryKernel>;
  /** One elementwise kernel of two inputs per toolbox binary function (atan2, remainder, fmod, hypot), by name. */
  binaryMath: Record<ToolboxBinaryName, BinaryKernel>;
  /**
   * Indices that sort each lane along `axis`, stably (ties keep their order, in both directions);
   * NaN sorts as the largest value, as in PyTorch.
   */
  argsort(x: TypedArray, shape: readonly number[], axis: number, descending: boolean, out: Int32Array): void;
  /** Running sum along `axis` (from the end when `reverse`), accumulated in float64. */
  cumsum(x: TypedArray, shape: readonly number[], axis: number, reverse: boolean, out: TypedArray): void;
  /** Running product along `axis`. */
  cumprod(x: TypedArray, shape: readonly number[], axis: number, out: TypedArray): void;
  /**
   * Gradient of cumprod, exact with zeros and free of division: per lane,
   * dx_k = (Π_{j<k} x_j) · S_k with S_k = g_k + x_{k+1}·S_{k+1}.
   */
  cumprodBackward(x: TypedArray, g: TypedArray, shape: readonly number[], axis: number, out: TypedArray): void;
  /**
   * out (already a copy of the base, `shape`) combined with src (index's shape) at index along
   * dim by `reduce`; without includeSelf a position's first scattered value replaces the base.
   * "mean" divides by the number of values combined (the base counting when included).
   */
  scatterReduce(
    out: TypedArray, shape: readonly number[], dim: number, index: Int32Array, indexShape: readonly number[],
    src: TypedArray, reduce: ScatterReduceMode, includeSelf: boolean,
  ): void;
}
