// js reference kernels of the tensor toolbox (issue 15): trig/hyperbolic maps, log2/log10/exp2,
// erfinv, atan2/remainder/fmod/hypot, stable argsort, cumsum/cumprod (and cumprod's exact
// gradient), scatterReduce. Arithmetic in float64, rounded once on store.

import type { TypedArray } from "../../core/dtype.js";
import type { BinaryKernel, UnaryKernel } from "../backend.js";
import type { ScatterReduceMode, ToolboxBinaryName, ToolboxKernels, ToolboxUnaryName } from "../toolbox-kernels.js";
import { binaryKernel, erf, mapKernel } from "./elementwise.js";
import { axisSplit } from "./reduce.js";
import { indexWalk } from "./shape.js";

/**
 * erf⁻¹(y): Giles' approximation ("Approximating the erfinv function", 2010) polished by two
 * Newton steps on erf, so float64 results are accurate to a few ulps away from |y| → 1.
 */
export function erfinv(y: number): number {
  if (Number.isNaN(y) || y < -1 || y > 1) return NaN;
  if (y === 1) return Infinity;
  if (y === -1) return -Infinity;
  if (y === 0) return y; // keeps −0
  let w = -Math.log((1 - y) * (1 + y));
  let p: number;
  if (w < 5) {
    w -= 2.5;
    p = 2.81022636e-8;
    p = 3.43273939e-7 + p * w; p = -3.5233877e-6 + p * w; p = -4.39150654e-6 + p * w; p = 0.00021858087 + p * w;
    p = -0.00125372503 + p * w; p = -0.00417768164 + p * w; p = 0.246640727 + p * w; p = 1.50140941 + p * w;
  } else {
    w = Math.sqrt(w) - 3;
    p = -0.000200214257;
    p = 0.000100950558 + p * w; p = 0.00134934322 + p * w; p = -0.00367342844 + p * w; p = 0.00573950773 + p * w;
    p = -0.0076224613 + p * w; p = 0.00943887047 + p * w; p = 1.00167406 + p * w; p = 2.83297682 + p * w;
  }
  let x = p * y;
  for (let i = 0; i < 2; i++) {
    const dx = (erf(x) - y) / ((2 / Math.sqrt(Math.PI)) * Math.exp(-x * x));
    if (!Number.isFinite(dx)) break;
    x -= dx;
  }
  return x;
}

const UNARY: Record<ToolboxUnaryName, (x: number) => number> = {
  tan: Math.tan, asin: Math.asin, acos: Math.acos, atan: Math.atan,
  sinh: Math.sinh, cosh: Math.cosh, asinh: Math.asinh, acosh: Math.acosh, atanh: Math.atanh,
  log2: Math.log2, log10: Math.log10, exp2: (x) => 2 ** x, erfinv,
};

/** Python's sign convention: the result has the divisor's sign (PyTorch's remainder). */
function remainder(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
}

const BINARY: Record<ToolboxBinaryName, (a: number, b: number) => number> = {
  atan2: Math.atan2,
  remainder,
  // C's fmod: the result has the dividend's sign (JavaScript's % is exactly that)
  fmod: (a, b) => a % b,
  hypot: Math.hypot,
};

/** Ascending order with NaN last (PyTorch's sort order). */
const ascending = (a: number, b: number) => (a < b ? -1 : a > b ? 1 : a === b ? 0 : a !== a ? (b !== b ? 0 : 1) : -1);

function argsort(x: TypedArray, shape: readonly number[], axis: number, descending: boolean, out: Int32Array): void {
  const [outer, len, inner] = axisSplit(shape, axis);
  const idx = new Array<number>(len);
  const vals = new Float64Array(len);
  const sign = descending ? -1 : 1;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      for (let j = 0; j < len; j++) { idx[j] = j; vals[j] = x[base + j * inner]!; }
      // ties by position in both directions: the stable order PyTorch's sort(stable=True) gives
      idx.sort((p, q) => sign * ascending(vals[p]!, vals[q]!) || p - q);
      for (let j = 0; j < len; j++) out[base + j * inner] = idx[j]!;
    }
  }
}

function cumsum(x: TypedArray, shape: readonly number[], axis: number, reverse: boolean, out: TypedArray): void {
  const [outer, len, inner] = axisSplit(shape, axis);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let acc = 0;
      for (let jj = 0; jj < len; jj++) {
        const p = base + (reverse ? len - 1 - jj : jj) * inner;
        acc += x[p]!;
        out[p] = acc;
      }
    }
  }
}

function cumprod(x: TypedArray, shape: readonly number[], axis: number, out: TypedArray): void {
  const [outer, len, inner] = axisSplit(shape, axis);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let acc = 1;
      for (let j = 0; j < len; j++) { acc *= x[base + j * inner]!; out[base + j * inner] = acc; }
    }
  }
}

function cumprodBackward(x: TypedArray, g: TypedArray, shape: readonly number[], axis: number, out: TypedArray): void {
  const [outer, len, inner] = axisSplit(shape, axis);
  const s = new Float64Array(len);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      // S_k = g_k + x_{k+1}·S_{k+1}, from the end
      let acc = 0;
      for (let k = len - 1; k >= 0; k--) {
        acc = g[base + k * inner]! + (k + 1 < len ? x[base + (k + 1) * inner]! * acc : 0);
        s[k] = acc;
      }
      let prefix = 1;
      for (let k = 0; k < len; k++) {
        out[base + k * inner] = prefix * s[k]!;
        prefix *= x[base + k * inner]!;
      }
    }
  }
}

function scatterReduce(
  out: TypedArray, shape: readonly number[], dim: number, index: Int32Array, indexShape: readonly number[],
  src: TypedArray, reduce: ScatterReduceMode, includeSelf: boolean,
): void {
  const n = out.length;
  const acc = Float64Array.from(out);
  // how many values each position combined (the base counts once when included)
  const count = new Float64Array(n).fill(includeSelf ? 1 : 0);
  indexWalk(shape, dim, indexShape, (p, off, ds) => {
    const q = off + index[p]! * ds;
    const v = src[p]!;
    if (reduce === "assign" || count[q] === 0) acc[q] = v;
    else if (reduce === "sum" || reduce === "mean") acc[q]! += v;
    else if (reduce === "prod") acc[q]! *= v;
    else if (reduce === "amax") acc[q] = v > acc[q]! || v !== v ? v : acc[q]!;
    else acc[q] = v < acc[q]! || v !== v ? v : acc[q]!;
    count[q]!++;
  });
  const isInt = out instanceof Int32Array;
  for (let q = 0; q < n; q++) {
    if (reduce === "mean" && count[q]! > 0) {
      // integer means round down (floor division), as PyTorch does
      out[q] = isInt ? Math.floor(acc[q]! / count[q]!) : acc[q]! / count[q]!;
    } else out[q] = acc[q]!;
  }
}

export const toolboxJsKernels: ToolboxKernels = {
  unaryMath: Object.fromEntries(Object.entries(UNARY).map(([k, f]) => [k, mapKernel(f)])) as Record<ToolboxUnaryName, UnaryKernel>,
  binaryMath: Object.fromEntries(Object.entries(BINARY).map(([k, f]) => [k, binaryKernel(f)])) as Record<ToolboxBinaryName, BinaryKernel>,
  argsort,
  cumsum,
  cumprod,
  cumprodBackward,
  scatterReduce,
};
