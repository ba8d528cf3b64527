// Native strided copy (permute, expand, slice, sliceScatter) against the js backend (the oracle):
// every permutation of rank-3/4 shapes with size-1 dims, broadcasts, stepped slices and scatters,
// all element sizes (float32, float64, int32, bool), 1 and 2 threads, sizes that split over the pool.
import { describe, expect, it } from "vitest";

import type { TypedArray } from "../src/core/dtype.js";
import { jsBackend } from "../src/backend/js/index.js";
import { loadAddon } from "../src/backend/native/addon.js";
import { loadNativeBackend, setNativeSmallSizeFallback } from "../src/backend/native/index.js";
import { withThreads } from "./helpers/native.js";
import { requireNative } from "./helpers/require-native.js";

const native = loadNativeBackend().backend;
const addon = loadAddon().addon;
setNativeSmallSizeFallback(false);
if (!native) requireNative("native-copy", false, loadNativeBackend().reason);

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor;
const TYPES: Ctor[] = [Float32Array, Float64Array, Int32Array, Uint8Array];

const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Distinct values (mod 256 for bytes), with NaN and -0 among the floats to check bit copies. */
function filled(C: Ctor, n: number): TypedArray {
  const a = new C(n);
  for (let i = 0; i < n; i++) a[i] = C === Uint8Array ? (i * 7) & 255 : i % 97 === 5 ? (C === Int32Array ? -i : NaN) : i % 89 === 3 ? -0 : i * 0.5 - 3;
  return a;
}

function expectSame(got: TypedArray, want: TypedArray, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) throw new Error(`${what} [${i}]: got ${got[i]}, want ${want[i]}`);
  }
}

function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  const out: number[][] = [];
  for (const p of permutations(n - 1)) for (let i = 0; i <= p.length; i++) out.push([...p.slice(0, i), n - 1, ...p.slice(i)]);
  return out;
}

describe.skipIf(!native)("native strided copy vs js", () => {
  it("permute: every permutation of rank-3 and rank-4 shapes (size-1 dims, head split sizes), all dtypes", () => {
    for (const threads of [1, 2]) {
      withThreads(threads, () => {
        for (const shape of [[2, 3, 5], [4, 1, 7, 3], [8, 64, 4, 32], [3, 5, 1, 1]]) {
          for (const C of TYPES) {
            const x = filled(C, prod(shape));
            for (const perm of permutations(shape.length)) {
              const got = new C(x.length), want = new C(x.length);
              native!.kernels.permute!(x, shape, perm, got);
              jsBackend.kernels.permute!(x, shape, perm, want);
              expectSame(got, want, `permute ${C.name} [${shape}] by [${perm}] threads=${threads}`);
            }
          }
        }
      });
    }
  });

  it("expand: scalars, leading and inner broadcast dims, rank growth, all dtypes", () => {
    const cases: [number[], number[]][] = [[[], [3, 4]], [[1], [5]], [[4], [3, 4]], [[3, 1], [3, 5]], [[1, 4, 1], [2, 4, 6]], [[128], [300, 128]], [[7, 1], [9, 7, 600]]];
    for (const threads of [1, 2]) {
      withThreads(threads, () => {
        for (const [shape, outShape] of cases) {
          for (const C of TYPES) {
            const x = filled(C, prod(shape)), n = prod(outShape);
            const got = new C(n), want = new C(n);
            native!.kernels.expand!(x, shape, outShape, got);
            jsBackend.kernels.expand!(x, shape, outShape, want);
            expectSame(got, want, `expand ${C.name} [${shape}] -> [${outShape}] threads=${threads}`);
          }
        }
      });
    }
  });

  it("slice and sliceScatter: starts, steps 1-3, chunks of the last axis (q/k/v split), all dtypes", () => {
    const cases: { shape: number[]; starts: number[]; steps: number[]; outShape: number[] }[] = [
      { shape: [10, 12], starts: [1, 2], steps: [2, 3], outShape: [4, 3] },
      { shape: [4, 64, 384], starts: [0, 0, 128], steps: [1, 1, 1], outShape: [4, 64, 128] },
      { shape: [5, 6, 7], starts: [4, 0, 6], steps: [1, 2, 1], outShape: [1, 3, 1] },
      { shape: [300, 40], starts: [3, 1], steps: [1, 2], outShape: [290, 20] },
    ];
    for (const threads of [1, 2]) {
      withThreads(threads, () => {
        for (const { shape, starts, steps, outShape } of cases) {
          for (const C of TYPES) {
            const x = filled(C, prod(shape)), n = prod(outShape);
            const got = new C(n), want = new C(n);
            native!.kernels.slice!(x, shape, starts, steps, got, outShape);
            jsBackend.kernels.slice!(x, shape, starts, steps, want, outShape);
            expectSame(got, want, `slice ${C.name} [${shape}] threads=${threads}`);
            const src = filled(C, n).map((v) => (C === Uint8Array ? 255 - v : v + 1000));
            const outN = new C(x), outJ = new C(x);
            native!.kernels.sliceScatter!(outN, shape, src, outShape, starts, steps);
            jsBackend.kernels.sliceScatter!(outJ, shape, src, outShape, starts, steps);
            expectSame(outN, outJ, `sliceScatter ${C.name} [${shape}] threads=${threads}`);
          }
        }
      });
    }
  });

  it("the addon does the copy itself, declines mismatched element types, and refuses walks outside the arrays", () => {
    const x = Float32Array.from([1, 2, 3, 4, 5, 6]), out = new Float32Array(6);
    // transpose of [2, 3]: shape [3, 2], source strides [1, 3]
    expect(addon!.stridedCopy(x, out, Int32Array.from([2, 3, 2, 1, 3, 2, 1, 0, 0]))).toBe(true);
    expect([...out]).toEqual([1, 4, 2, 5, 3, 6]);
    expect(addon!.stridedCopy(x, new Float64Array(6), Int32Array.from([1, 6, 1, 1, 0, 0]))).toBe(false);
    expect(() => addon!.stridedCopy(x, out, Int32Array.from([1, 6, 1, 1, 1, 0]))).toThrow(RangeError); // reads x[6]
    expect(() => addon!.stridedCopy(x, out, Int32Array.from([1, 6, 1, 2, 0, 0]))).toThrow(RangeError); // writes out[10]
  });
});
