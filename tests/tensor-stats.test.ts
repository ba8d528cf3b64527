// The fused tensorStats kernel (what the training monitor measures per tensor): exact values on the
// js backend, and the native kernel against it on float32/float64 arrays of awkward lengths, with
// zeros, NaN, a reference and a tail threshold (blocks of 65536 combined in order).
import { describe, expect, it } from "vitest";
import { jsKernels } from "../src/backend/js/index.js";
import { loadNativeBackend } from "../src/backend/native/index.js";
import * as st from "../src/node.js";
import { tensorStats } from "../src/ops/reduce.js";

const native = loadNativeBackend().backend;

function run(k: typeof jsKernels.tensorStats, x: Float32Array | Float64Array, ref: Float32Array | Float64Array | null, c: number, t: number): number[] {
  const out = new Float64Array(7);
  k(x, ref, c, t, out);
  return [...out];
}

describe("tensorStats", () => {
  it("one pass gives Σx, Σx², zeros, min, max, the tail count and Σ(x − ref)²", () => {
    expect(tensorStats(st.tensor([0, -1, 2]))).toEqual({ sum: 1, sumSq: 5, zeros: 1, min: -1, max: 2, tail: 0, diffSq: 0 });
    const s = tensorStats(st.tensor([0.005, 0.5, 0.995, 1]), { ref: st.tensor([0, 0.5, 1, 1]), center: 0.5, threshold: 0.49 });
    expect(s.tail).toBe(3);
    expect(s.diffSq).toBeCloseTo(0.005 ** 2 * 2, 9); // float32 entries, float64 sums
    expect(tensorStats(st.tensor([1, NaN])).max).toBeNaN();
    expect(() => tensorStats(st.tensor([1, 2]), { ref: st.tensor([1]) })).toThrow(/ref must have x's size/);
  });

  it.skipIf(!native)("native agrees with js (float32 and float64, any length)", () => {
    const nk = native!.kernels.tensorStats!;
    for (const n of [0, 1, 7, 33, 1000, 65536 + 17, 200_003]) {
      for (const F of [Float32Array, Float64Array]) {
        const x = new F(n), r = new F(n);
        for (let i = 0; i < n; i++) {
          x[i] = i % 5 === 0 ? 0 : Math.sin(i * 0.37) * (1 + (i % 3));
          r[i] = x[i]! + 0.001 * Math.cos(i);
        }
        for (const [ref, c, t] of [[null, 0, Infinity], [r, 0.5, 0.49], [r, 0, 0.99]] as const) {
          const a = run(nk, x, ref, c, t), b = run(jsKernels.tensorStats, x, ref, c, t);
          for (let k = 0; k < 7; k++) {
            if (k === 2 || k === 3 || k === 4 || k === 5) expect(a[k], `${F.name} n=${n} [${k}]`).toBe(b[k]);
            // float32 data is summed in float32 lanes over short blocks (relative error < 1e-6)
            // (of Σ|x| for Σx, which may cancel; Σx² and Σ(x − ref)² have non-negative terms)
            else {
              const scale = k === 0 ? Array.from(x).reduce((p, v) => p + Math.abs(v), 0) : Math.abs(b[k]!);
              expect(Math.abs(a[k]! - b[k]!), `${F.name} n=${n} [${k}]`).toBeLessThanOrEqual((F === Float32Array ? 1e-6 : 1e-12) * scale + 1e-12);
            }
          }
        }
        if (n > 0) {
          x[n >> 1] = NaN;
          const a = run(nk, x, null, 0, Infinity);
          expect([a[3], a[4]]).toEqual([NaN, NaN]);
        }
      }
    }
  });
});
