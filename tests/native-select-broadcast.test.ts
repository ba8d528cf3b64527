// Native broadcasting comparisons (eq ne lt le gt ge logicalAnd logicalOr → uint8) and where
// against the js backend (the oracle): the broadcast patterns of attention masks ([B,1,1,S],
// [L,S], [B,H,L,1] against [B,H,L,S] scores), outer-product shapes, rank-changing operands and
// scalars; float32, float64, int32 and uint8 operands; NaN / ±Inf / ±0; 1 and 2 threads, with a
// size large enough to split over the pool.
import { describe, expect, it } from "vitest";

import type { BinaryKernelName } from "../src/backend/backend.js";
import { jsBackend } from "../src/backend/js/index.js";
import { loadAddon } from "../src/backend/native/addon.js";
import { loadNativeBackend, setNativeSmallSizeFallback } from "../src/backend/native/index.js";
import { rng, withThreads } from "./helpers/native.js";
import { requireNative } from "./helpers/require-native.js";

const native = loadNativeBackend().backend;
const addon = loadAddon().addon;
setNativeSmallSizeFallback(false);
if (!native) requireNative("native-select-broadcast", false, loadNativeBackend().reason);

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor;
const CTORS: [string, Ctor][] = [["float32", Float32Array], ["float64", Float64Array], ["int32", Int32Array], ["uint8", Uint8Array]];
const OPS: BinaryKernelName[] = ["eq", "ne", "lt", "le", "gt", "ge", "logicalAnd", "logicalOr"];
const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5];

// [outShape, first operand's shape, second operand's shape, cond's shape (for where)]
const PATTERNS: [number[], number[], number[], number[]][] = [
  [[2, 3, 5, 7], [2, 3, 5, 7], [2, 1, 1, 7], [2, 1, 1, 7]], // key padding mask over heads and queries
  [[2, 3, 5, 7], [5, 7], [2, 3, 5, 7], [5, 7]], // [L, S] mask over batch and heads
  [[2, 3, 5, 7], [2, 3, 5, 1], [1, 1, 5, 7], [1, 3, 1, 7]], // row-constant operand (inner stride 0)
  [[3, 4], [3, 1], [1, 4], [3, 1]], // outer product
  [[4, 6], [4, 6], [], [6]], // scalar and a vector
  [[2, 1, 9], [9], [2, 1, 1], [2, 1, 9]], // extent-1 dims inside
  [[3, 5], [], [], [3, 5]], // both scalars, full cond
  [[0, 4], [1, 4], [0, 1], [4]], // empty
  [[4, 8, 64, 65], [4, 8, 64, 65], [4, 1, 1, 65], [4, 1, 64, 65]], // > 2 × the 65536 grain: threaded
];

const size = (s: readonly number[]) => s.reduce((p, q) => p * q, 1);

function values(C: Ctor, n: number, seed: number): Float32Array | Float64Array | Int32Array | Uint8Array {
  const r = rng(seed);
  const a = new C(n);
  const float = C === Float32Array || C === Float64Array;
  for (let i = 0; i < n; i++) {
    a[i] = float && r() < 0.2 ? SPECIAL[Math.floor(r() * SPECIAL.length)]! : C === Uint8Array ? Math.floor(r() * 3) : Math.round(r() * 4 - 2);
  }
  return a;
}

function expectSame(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) throw new Error(`${what} [${i}]: got ${got[i]}, want ${want[i]}`);
  }
}

describe.skipIf(!native)("native broadcasting comparisons and where vs js", () => {
  for (const [dname, C] of CTORS) {
    it(`${dname}: eq ne lt le gt ge logicalAnd logicalOr under every broadcast pattern, 1 and 2 threads`, () => {
      for (const threads of [1, 2]) {
        withThreads(threads, () => {
          let seed = 7;
          for (const [os, as, bs] of PATTERNS) {
            const a = values(C, size(as), seed++), b = values(C, size(bs), seed++);
            for (const op of OPS) {
              const got = new Uint8Array(size(os)).fill(9), want = new Uint8Array(size(os));
              native!.kernels.binary![op]!(a, as, b, bs, got, os);
              jsBackend.kernels.binary![op]!(a, as, b, bs, want, os);
              expectSame(got, want, `${op} ${dname} ${JSON.stringify([os, as, bs])} threads=${threads}`);
            }
          }
        });
      }
    });

    it(`${dname}: where under every broadcast pattern (cond broadcast too), bit-identical, 1 and 2 threads`, () => {
      for (const threads of [1, 2]) {
        withThreads(threads, () => {
          let seed = 70;
          for (const [os, as, bs, cs] of PATTERNS) {
            const a = values(C, size(as), seed++), b = values(C, size(bs), seed++);
            const cond = Uint8Array.from(values(Uint8Array, size(cs), seed++), (v) => (v > 0 ? 1 : 0));
            const got = new C(size(os)).fill(5), want = new C(size(os));
            native!.kernels.where!(cond, cs, a, as, b, bs, got, os);
            jsBackend.kernels.where!(cond, cs, a, as, b, bs, want, os);
            expectSame(got, want, `where ${dname} ${JSON.stringify([os, as, bs, cs])} threads=${threads}`);
          }
        });
      }
    });
  }

  it("the strided entry points run the broadcast themselves (not the js fallback) and give exact values", () => {
    // [2, 1, 3] scores against a [2, 1] threshold per batch row: 2 rows × 3 keys
    const a = new Float32Array([1, NaN, 3, -1, 0, 5]), b = new Float32Array([2, 0]);
    const out = new Uint8Array(6);
    const desc = Int32Array.from([2, 2, 3, 3, 1, 1, 0]);
    expect(addon!.compareStrided(4, a, b, out, desc)).toBe(true); // gt
    expect([...out]).toEqual([0, 0, 1, 0, 0, 1]);
    const cond = Uint8Array.from([1, 0, 1]), y = new Float64Array(6);
    const wdesc = Int32Array.from([2, 2, 3, 0, 1, 3, 1, 0, 0]); // cond [3], a [2, 3], b scalar
    expect(addon!.whereStrided(cond, new Float64Array([1, 2, 3, 4, 5, 6]), new Float64Array([-0]), y, wdesc)).toBe(true);
    expectSame(y, [1, -0, 3, 4, -0, 6], "whereStrided");
    // mixed element types are declined (js runs them), a too-short operand is a RangeError
    expect(addon!.compareStrided(4, a, new Float64Array(2), out, desc)).toBe(false);
    expect(() => addon!.compareStrided(4, a, new Float32Array(1), out, Int32Array.from([2, 2, 3, 3, 1, 1, 1]))).toThrow(RangeError);
  });
});
