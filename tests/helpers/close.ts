// Numeric assertions shared by every test: `expectClose` compares tensors, numbers, nested arrays
// or typed arrays elementwise with PyTorch's `assert_close` rule, and reports the worst element.

import { expect } from "vitest";
import { type DType, type NestedArray, Tensor } from "../../src/index.js";

/** Tolerances of PyTorch's `assert_close` per dtype (DESIGN.md §4); integers and bools are exact. */
export const TOLERANCES: Record<DType, { rtol: number; atol: number }> = {
  float32: { rtol: 1.3e-6, atol: 1e-5 },
  float64: { rtol: 1e-7, atol: 1e-7 },
  int32: { rtol: 0, atol: 0 },
  bool: { rtol: 0, atol: 0 },
};

/** Anything `expectClose` can compare: a tensor, a number, a (nested) array, a typed array. */
export type Numeric = Tensor | number | boolean | NestedArray | ArrayLike<number>;

/**
 * Tolerances: both or neither, as in PyTorch's assert_close (which raises when only one is given).
 * Neither: the actual tensor's dtype's defaults from TOLERANCES (float64 for plain values).
 */
export type Tolerances = { rtol: number; atol: number } | { rtol?: undefined; atol?: undefined };

export type CloseOptions = Tolerances & {
  /** NaN equals NaN (default true, like assert_close(equal_nan=True)). */
  equalNaN?: boolean;
  /** Require equal shapes where both sides have one (tensors, nested arrays, numbers). Default true. */
  checkShape?: boolean;
  /** Require the actual tensor to have this dtype. */
  dtype?: DType;
  /** Prefix for the failure message (what was compared). */
  message?: string;
};

/** Shape of a nested array (the first element of each level decides; raggedness is not checked). */
function nestedShape(x: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = x;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0] as NestedArray;
  }
  return shape;
}

function isArrayLike(x: unknown): x is ArrayLike<number> {
  return ArrayBuffer.isView(x) || Array.isArray(x);
}

/**
 * Flattens `x` to row-major numbers (booleans → 0/1). `shape` is null for typed arrays and other
 * flat array-likes, whose shape is unknown.
 *
 * @example flatten([[1, 2], [3, 4]]) // { shape: [2, 2], values: [1, 2, 3, 4] }
 */
export function flatten(x: Numeric): { shape: number[] | null; values: number[] } {
  if (x instanceof Tensor) return { shape: x.shape.slice(), values: Array.from(x.dataSync() as ArrayLike<number>) };
  if (typeof x === "number") return { shape: [], values: [x] };
  if (typeof x === "boolean") return { shape: [], values: [x ? 1 : 0] };
  if (ArrayBuffer.isView(x)) return { shape: null, values: Array.from(x as ArrayLike<number>) };
  if (Array.isArray(x)) {
    const values: number[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else values.push(typeof v === "boolean" ? (v ? 1 : 0) : (v as number));
    };
    walk(x);
    return { shape: nestedShape(x as NestedArray), values };
  }
  if (isArrayLike(x)) return { shape: null, values: Array.from(x) };
  throw new Error(`flatten: cannot compare a value of type ${typeof x}`);
}

/** True when |a − e| ≤ atol + rtol·|e| (infinities must match exactly; NaN per equalNaN). */
export function isClose(a: number, e: number, rtol: number, atol: number, equalNaN = true): boolean {
  if (Number.isNaN(a) || Number.isNaN(e)) return equalNaN && Number.isNaN(a) && Number.isNaN(e);
  if (!Number.isFinite(a) || !Number.isFinite(e)) return a === e;
  return Math.abs(a - e) <= atol + rtol * Math.abs(e);
}

/**
 * Asserts that `actual` equals `expected` elementwise within |a − e| ≤ atol + rtol·|e| (PyTorch's
 * assert_close). Give both rtol and atol, or neither for the actual tensor's dtype's defaults
 * (TOLERANCES: float32 1.3e-6 / 1e-5, float64 1e-7 / 1e-7, int32 and bool exact; plain values
 * count as float64); giving only one throws. Shapes must match where both sides have one. On failure the message names the worst element, its
 * index, both values and the number of mismatches.
 *
 * @example
 * expectClose(st.tensor([1, 2]).mul(2), [2, 4]);
 * expectClose(x.sum(), 6.0000001, { rtol: 1e-6, atol: 0, message: "sum of x" });
 */
export function expectClose(actual: Numeric, expected: Numeric, opts: CloseOptions = {}): void {
  const what = opts.message ? `${opts.message}: ` : "";
  if (opts.dtype !== undefined) {
    expect(actual instanceof Tensor ? actual.dtype : typeof actual, `${what}dtype`).toBe(opts.dtype);
  }
  const a = flatten(actual);
  const e = flatten(expected);
  if ((opts.rtol === undefined) !== (opts.atol === undefined)) {
    // an implicit second tolerance was a silent choice (atol used to default to rtol): say both
    throw new Error(`expectClose: got ${opts.rtol === undefined ? "atol" : "rtol"} only (give both rtol and atol, or neither for the dtype's defaults)`);
  }
  const dflt = TOLERANCES[actual instanceof Tensor ? actual.dtype : "float64"];
  const rtol = opts.rtol ?? dflt.rtol;
  const atol = opts.atol ?? dflt.atol;
  if ((opts.checkShape ?? true) && a.shape !== null && e.shape !== null) {
    expect(a.shape, `${what}shape`).toEqual(e.shape);
  }
  expect(a.values.length, `${what}number of elements`).toBe(e.values.length);
  let bad = 0;
  let worst = -1;
  let worstErr = -1;
  for (let i = 0; i < a.values.length; i++) {
    const av = a.values[i]!;
    const ev = e.values[i]!;
    if (isClose(av, ev, rtol, atol, opts.equalNaN ?? true)) continue;
    bad++;
    const err = Number.isNaN(av - ev) ? Infinity : Math.abs(av - ev);
    if (err > worstErr) {
      worstErr = err;
      worst = i;
    }
  }
  if (bad > 0) {
    const shape = a.shape ?? e.shape;
    const where = shape && shape.length > 0 ? `[${unravel(worst, shape).join(", ")}]` : `${worst}`;
    expect(false,
      `${what}${bad} of ${a.values.length} elements differ (rtol ${rtol}, atol ${atol}); worst at ${where}: ` +
        `actual ${a.values[worst]} vs expected ${e.values[worst]} (|diff| ${worstErr})`,
    ).toBe(true);
  }
}

/** Multi-index of flat position `i` in a row-major `shape`. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d]!;
    idx[d] = n === 0 ? 0 : i % n;
    i = n === 0 ? 0 : Math.floor(i / n);
  }
  return idx;
}
