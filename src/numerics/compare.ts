// Comparing numbers the way numerical code should: allclose with rtol/atol, distances in units in
// the last place (ULPs), and assertClose with per-dtype default tolerances and a report that says
// where and by how much two tensors differ.

import type { DType } from "../core/dtype.js";
import { DTypeError, ShapeError, ValueError, fmtShape } from "../core/errors.js";
import { noGrad } from "../core/grad-mode.js";
import { broadcastShapes, shapesEqual } from "../core/shape.js";
import { Tensor, type NestedArray } from "../core/tensor.js";
import { tensor } from "../core/creation.js";
import { expand } from "../ops/shape.js";

/** Options of `allclose`. */
export interface AllcloseOptions {
  /** Relative tolerance (default 1e-5, PyTorch's). */
  rtol?: number;
  /** Absolute tolerance (default 1e-8, PyTorch's). */
  atol?: number;
  /** Count NaN as equal to NaN (default false). */
  equalNaN?: boolean;
}

/** |a − b| ≤ atol + rtol·|b|, with equal infinities close and NaN close only to NaN if asked. */
function close(a: number, b: number, rtol: number, atol: number, equalNaN: boolean): boolean {
  if (a === b) return true; // also equal infinities, for which a − b is NaN
  if (Number.isNaN(a) || Number.isNaN(b)) return equalNaN && Number.isNaN(a) && Number.isNaN(b);
  // an infinity is close only to itself (atol + rtol·∞ would otherwise admit anything)
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= atol + rtol * Math.abs(b);
}

function asTensor(op: string, x: Tensor | number | NestedArray, dtype?: DType): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === "number" || typeof x === "boolean" || Array.isArray(x)) {
    return tensor(x as NestedArray, dtype && typeof x !== "boolean" ? { dtype: dtype === "bool" ? "float64" : dtype } : undefined);
  }
  throw new DTypeError(`${op}: expected a Tensor, number or nested array (got ${x === null ? "null" : typeof x})`);
}

/** Values of a and b laid out over their broadcast shape. */
function broadcastPair(op: string, a: Tensor, b: Tensor): [ArrayLike<number>, ArrayLike<number>, number[]] {
  if (shapesEqual(a.shape, b.shape)) return [a.dataSync(), b.dataSync(), a.shape.slice()];
  const shape = broadcastShapes(op, a.shape, b.shape);
  return noGrad(() => [expand(a, shape).dataSync(), expand(b, shape).dataSync(), shape]);
}

/**
 * True when every element satisfies |a − b| ≤ atol + rtol·|b| (b is the reference), after
 * broadcasting — PyTorch's `torch.allclose`. Equal infinities are close; NaN is close to NaN only
 * with `equalNaN`. Values are compared in float64, so tensors of different dtypes can be compared.
 * @example
 * st.allclose(st.tensor([1, 2]), st.tensor([1, 2 + 1e-7])) // true
 */
export function allclose(a: Tensor | number, b: Tensor | number, opts: AllcloseOptions = {}): boolean {
  const rtol = opts.rtol ?? 1e-5;
  const atol = opts.atol ?? 1e-8;
  if (!(rtol >= 0) || !(atol >= 0)) throw new ValueError(`allclose: tolerances must be >= 0 (got rtol ${rtol}, atol ${atol})`);
  const [x, y] = broadcastPair("allclose", asTensor("allclose", a), asTensor("allclose", b));
  for (let i = 0; i < x.length; i++) if (!close(x[i]!, y[i]!, rtol, atol, opts.equalNaN ?? false)) return false;
  return true;
}

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** A key that orders floats like integers: −0 and +0 map to 0, negatives below. */
function key32(v: number): number {
  f32[0] = v;
  const bits = i32[0]!;
  return bits < 0 ? -(bits & 0x7fffffff) : bits;
}

function key64(v: number): bigint {
  f64[0] = v;
  const bits = i64[0]!;
  return bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits;
}

function ulpScalar(a: number, b: number, dtype: "float32" | "float64"): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (dtype === "float32") return Math.abs(key32(a) - key32(b));
  const d = key64(a) - key64(b);
  return Number(d < 0n ? -d : d);
}

/**
 * The number of representable `dtype` values between a and b (0 when equal, 1 for neighbours;
 * +0 and −0 are 0 apart; the largest finite value and ∞ are 1 apart; NaN gives NaN). Numbers are
 * first rounded to `dtype`. For tensors (broadcast together) the largest distance is returned and
 * `dtype` defaults to the wider of the two dtypes.
 * @example
 * st.numerics.ulpDistance(1, 1 + 2 ** -52)          // 1
 * st.numerics.ulpDistance(1, 1 + 2 ** -23, "float32") // 1
 */
export function ulpDistance(a: Tensor | number, b: Tensor | number, dtype?: "float32" | "float64"): number {
  let dt = dtype;
  if (dt === undefined) {
    const tensors = [a, b].filter((t): t is Tensor => t instanceof Tensor);
    dt = tensors.length > 0 && tensors.every((t) => t.dtype === "float32") ? "float32" : "float64";
  }
  if (dt !== "float32" && dt !== "float64") throw new DTypeError(`ulpDistance: dtype must be "float32" or "float64" (got ${String(dt)})`);
  if (typeof a === "number" && typeof b === "number") return ulpScalar(a, b, dt);
  // plain numbers become float64 tensors, so they are rounded only once (to dt, in ulpScalar)
  const [x, y] = broadcastPair("ulpDistance", asTensor("ulpDistance", a, "float64"), asTensor("ulpDistance", b, "float64"));
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const d = ulpScalar(x[i]!, y[i]!, dt);
    if (Number.isNaN(d)) return NaN;
    if (d > worst) worst = d;
  }
  return worst;
}

/** Options of `assertClose`. */
export interface AssertCloseOptions {
  /** Relative tolerance; default by dtype: float32 1.3e-6, float64 1e-7, integers and bool 0. */
  rtol?: number;
  /** Absolute tolerance; default by dtype: float32 1e-5, float64 1e-7, integers and bool 0. */
  atol?: number;
  /** NaN equals NaN (default true, like torch.testing.assert_close). */
  equalNaN?: boolean;
  /** Require equal dtypes when both are tensors (default true). */
  checkDtype?: boolean;
  /** Prefix of the error message (say what was being compared). */
  msg?: string;
}

/**
 * Default (rtol, atol) per dtype: PyTorch's `assert_close` table (DESIGN.md §4).
 * @example st.numerics.defaultTolerances("float32"); // {"rtol":0.0000013,"atol":0.00001}
 */
export function defaultTolerances(dtype: DType): {
  /** Relative tolerance. */
  rtol: number;
  /** Absolute tolerance. */
  atol: number;
} {
  if (dtype === "float32") return { rtol: 1.3e-6, atol: 1e-5 };
  if (dtype === "float64") return { rtol: 1e-7, atol: 1e-7 };
  return { rtol: 0, atol: 0 };
}

function indexOf(flat: number, shape: readonly number[]): string {
  const idx: number[] = new Array(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flat % shape[d]!;
    flat = Math.floor(flat / shape[d]!);
  }
  return fmtShape(idx);
}

/**
 * Throws unless `actual` and `expected` have the same shape (ShapeError), the same dtype when both
 * are tensors (DTypeError) and every element satisfies |actual − expected| ≤ atol + rtol·|expected|
 * (ValueError saying how many elements failed and where the worst one is). `expected` may be a
 * tensor, a number or a nested array (taken in `actual`'s dtype). Tolerances default by dtype.
 * @example
 * st.numerics.assertClose(st.tensor([1, 2]).float().exp(), [Math.E, Math.exp(2)]);
 */
export function assertClose(actual: Tensor, expected: Tensor | number | NestedArray, opts: AssertCloseOptions = {}): void {
  const pre = opts.msg ? `${opts.msg}: ` : "";
  if (!(actual instanceof Tensor)) throw new DTypeError(`${pre}assertClose: actual must be a Tensor (got ${actual === null ? "null" : typeof actual})`);
  // a plain reference (number, nested array) is kept in float64 so it is not rounded before comparing
  const exp = asTensor("assertClose", expected, "float64");
  if (!shapesEqual(actual.shape, exp.shape)) {
    throw new ShapeError(`${pre}assertClose: actual has shape ${fmtShape(actual.shape)} but expected has shape ${fmtShape(exp.shape)}`);
  }
  if ((opts.checkDtype ?? true) && expected instanceof Tensor && actual.dtype !== expected.dtype) {
    throw new DTypeError(`${pre}assertClose: actual has dtype ${actual.dtype} but expected has dtype ${expected.dtype} (pass checkDtype: false to compare values only)`);
  }
  const def = defaultTolerances(actual.dtype);
  const rtol = opts.rtol ?? def.rtol;
  const atol = opts.atol ?? def.atol;
  const equalNaN = opts.equalNaN ?? true;
  const a = actual.dataSync();
  const e = exp.dataSync();
  let bad = 0;
  let worstAbs = -1;
  let worstAt = 0;
  for (let i = 0; i < a.length; i++) {
    if (close(a[i]!, e[i]!, rtol, atol, equalNaN)) continue;
    bad++;
    const d = Math.abs(a[i]! - e[i]!);
    const score = Number.isNaN(d) ? Infinity : d;
    if (score > worstAbs) { worstAbs = score; worstAt = i; }
  }
  if (bad === 0) return;
  const pct = ((100 * bad) / a.length).toFixed(1);
  throw new ValueError(
    `${pre}assertClose: ${bad} of ${a.length} elements (${pct}%) are not close (rtol ${rtol}, atol ${atol}); ` +
      `worst at index ${indexOf(worstAt, actual.shape)}: actual ${a[worstAt]} vs expected ${e[worstAt]} ` +
      `(absolute difference ${Math.abs(a[worstAt]! - e[worstAt]!)}, allowed ${atol + rtol * Math.abs(e[worstAt]!)})`,
  );
}
