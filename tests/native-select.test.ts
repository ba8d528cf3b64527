// Native comparisons (eq ne lt le gt ge → uint8) and where against the js backend (the oracle):
// full-size and scalar operands, float32 and float64, NaN / ±Inf / ±0, 1 and 2 threads, sizes that
// do and do not split over the pool; layouts native leaves to js (broadcast, int32) still agree.
import { describe, expect, it } from "vitest";

import type { BinaryKernelName } from "../src/backend/backend.js";
import { jsBackend } from "../src/backend/js/index.js";
import { loadAddon } from "../src/backend/native/addon.js";
import { loadNativeBackend, setNativeSmallSizeFallback } from "../src/backend/native/index.js";
import { FLOAT_DTYPES, type FloatCtor, rng, withThreads } from "./helpers/native.js";
import { requireNative } from "./helpers/require-native.js";

const native = loadNativeBackend().backend;
const addon = loadAddon().addon;
setNativeSmallSizeFallback(false);
if (!native) requireNative("native-select", false, loadNativeBackend().reason);

const DTYPES = FLOAT_DTYPES;
const CMP: BinaryKernelName[] = ["eq", "ne", "lt", "le", "gt", "ge"];
const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5];
// 1 element, below a vector, a vector tail, and above 2 × the 65536-element grain (threaded).
const SIZES = [1, 7, 33, 1000, 140_001];

/** Values with many ties and every special value, so every comparison outcome occurs. */
function input(C: FloatCtor, n: number, seed: number): Float32Array | Float64Array {
  const r = rng(seed);
  const a = new C(n);
  for (let i = 0; i < n; i++) a[i] = r() < 0.2 ? SPECIAL[Math.floor(r() * SPECIAL.length)]! : Math.round(r() * 6 - 3) / 2;
  return a;
}

function mask(n: number, seed: number): Uint8Array {
  const r = rng(seed);
  const c = new Uint8Array(n);
  for (let i = 0; i < n; i++) c[i] = r() < 0.5 ? 1 : 0;
  return c;
}

/** Element-by-element identity (Object.is: NaN equals NaN, -0 differs from 0). */
function expectSame(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) throw new Error(`${what} [${i}]: got ${got[i]}, want ${want[i]}`);
  }
}

describe.skipIf(!native)("native comparisons vs js", () => {
  for (const [dname, C] of DTYPES) {
    it(`${dname}: eq ne lt le gt ge, full-size and scalar operands, 1 and 2 threads, match js exactly`, () => {
      for (const threads of [1, 2]) {
        withThreads(threads, () => {
          let seed = 1;
          for (const n of SIZES) {
            const a = input(C, n, seed++), b = input(C, n, seed++);
            for (const s of SPECIAL) {
              const sc = new C([s]);
              for (const op of CMP) {
                for (const [x, xs, y, ys] of [[a, [n], b, [n]], [a, [n], sc, []], [sc, [], b, [n]]] as const) {
                  const got = new Uint8Array(n), want = new Uint8Array(n);
                  native!.kernels.binary![op]!(x, xs, y, ys, got, [n]);
                  jsBackend.kernels.binary![op]!(x, xs, y, ys, want, [n]);
                  expectSame(got, want, `${op} ${dname} n=${n} scalar=${s} threads=${threads}`);
                }
              }
              if (n > 1000) break; // the large size once (with NaN as the scalar) is enough
            }
          }
        });
      }
    });

    it(`${dname}: NaN compares false except ne; ±0 are equal; ±Inf order`, () => {
      const a = new C([NaN, NaN, 0, -0, Infinity, -Infinity, 1]);
      const b = new C([NaN, 1, -0, 0, Infinity, 0, NaN]);
      const run = (op: BinaryKernelName) => {
        const out = new Uint8Array(7);
        native!.kernels.binary![op]!(a, [7], b, [7], out, [7]);
        return [...out];
      };
      expect(run("eq")).toEqual([0, 0, 1, 1, 1, 0, 0]);
      expect(run("ne")).toEqual([1, 1, 0, 0, 0, 1, 1]);
      expect(run("lt")).toEqual([0, 0, 0, 0, 0, 1, 0]);
      expect(run("le")).toEqual([0, 0, 1, 1, 1, 1, 0]);
      expect(run("gt")).toEqual([0, 0, 0, 0, 0, 0, 0]);
      expect(run("ge")).toEqual([0, 0, 1, 1, 1, 0, 0]);
    });
  }

  it("the addon handles the fast layouts itself and declines others (which then go to js)", () => {
    const a = new Float32Array([1, 2, 3]), out = new Uint8Array(3);
    expect(addon!.compare(4, a, new Float32Array([2]), out, 1)).toBe(true);
    expect([...out]).toEqual([0, 0, 1]);
    expect(addon!.compare(4, a, new Float64Array([2]), out, 1)).toBe(false); // mixed dtypes
    expect(addon!.compare(4, new Int32Array(3), new Int32Array(3), out, 0)).toBe(false);
    expect(addon!.compare(4, a, a, new Float32Array(3), 0)).toBe(false); // out must be uint8
    expect(() => addon!.compare(4, a, new Float32Array(2), out, 0)).toThrow(RangeError);
  });

  it("broadcast shapes and int32 inputs (left to js) give js's results", () => {
    const a = input(Float32Array, 12, 5), b = input(Float32Array, 20, 6);
    for (const op of CMP) {
      const got = new Uint8Array(240), want = new Uint8Array(240);
      native!.kernels.binary![op]!(a, [3, 1, 4], b, [5, 4], got, [3, 5, 4]);
      jsBackend.kernels.binary![op]!(a, [3, 1, 4], b, [5, 4], want, [3, 5, 4]);
      expectSame(got, want, `${op} broadcast`);
      const ia = Int32Array.from([1, 2, 3, 4]), ib = Int32Array.from([4, 2, 2, 4]);
      const gi = new Uint8Array(4), wi = new Uint8Array(4);
      native!.kernels.binary![op]!(ia, [4], ib, [4], gi, [4]);
      jsBackend.kernels.binary![op]!(ia, [4], ib, [4], wi, [4]);
      expectSame(gi, wi, `${op} int32`);
    }
  });
});

describe.skipIf(!native)("native where vs js", () => {
  for (const [dname, C] of DTYPES) {
    it(`${dname}: full-size and scalar a / b, 1 and 2 threads, bit-identical to js (NaN, -0 kept)`, () => {
      for (const threads of [1, 2]) {
        withThreads(threads, () => {
          let seed = 50;
          for (const n of SIZES) {
            const c = mask(n, seed++), a = input(C, n, seed++), b = input(C, n, seed++);
            for (const s of [NaN, -0, 2.5]) {
              const sc = new C([s]);
              for (const [x, y] of [[a, b], [a, sc], [sc, b], [sc, new C([-s])]] as const) {
                const got = new C(n), want = new C(n);
                const xs = x.length === 1 ? [] : [n], ys = y.length === 1 ? [] : [n];
                native!.kernels.where!(c, [n], x, xs, y, ys, got, [n]);
                jsBackend.kernels.where!(c, [n], x, xs, y, ys, want, [n]);
                expectSame(got, want, `where ${dname} n=${n} scalar=${s} threads=${threads}`);
              }
            }
          }
        });
      }
    });

    it(`${dname}: NaN on the unselected side never reaches the output`, () => {
      const c = Uint8Array.from([1, 0, 1, 0]);
      const a = new C([1, NaN, -0, NaN]), b = new C([NaN, 2, NaN, -0]);
      const out = new C(4);
      native!.kernels.where!(c, [4], a, [4], b, [4], out, [4]);
      expectSame(out, [1, 2, -0, -0], "where with NaN on the unselected side");
      native!.kernels.where!(c, [4], new C([NaN]), [], b, [4], out, [4]);
      expectSame(out, [NaN, 2, NaN, -0], "where with scalar NaN a");
    });
  }

  it("the addon handles the fast layouts itself and declines others", () => {
    const c = Uint8Array.from([1, 0, 1]), a = new Float64Array([1, 2, 3]), out = new Float64Array(3);
    expect(addon!.where(c, a, new Float64Array([9]), out, 1)).toBe(true);
    expect([...out]).toEqual([1, 9, 3]);
    expect(addon!.where(c, a, new Float32Array([9]), out, 1)).toBe(false);
    expect(addon!.where(new Int32Array(3), a, a, out, 0)).toBe(false);
    expect(() => addon!.where(Uint8Array.from([1]), a, a, out, 0)).toThrow(RangeError);
  });

  it("broadcast cond and int32 operands (left to js) give js's results", () => {
    const c = mask(4, 9), a = input(Float32Array, 12, 10), b = new Float32Array([7]);
    const got = new Float32Array(12), want = new Float32Array(12);
    native!.kernels.where!(c, [1, 4], a, [3, 4], b, [], got, [3, 4]);
    jsBackend.kernels.where!(c, [1, 4], a, [3, 4], b, [], want, [3, 4]);
    expectSame(got, want, "where broadcast cond");
    const ia = Int32Array.from([1, 2, 3, 4]), ib = Int32Array.from([5, 6, 7, 8]), gi = new Int32Array(4), wi = new Int32Array(4);
    native!.kernels.where!(c, [4], ia, [4], ib, [4], gi, [4]);
    jsBackend.kernels.where!(c, [4], ia, [4], ib, [4], wi, [4]);
    expectSame(gi, wi, "where int32");
  });
});
