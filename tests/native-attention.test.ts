// Native attention kernels (native/attention*.cpp) against the js kernels (the oracle,
// src/backend/js/attention.ts): sizes below, at, above and at multiples of the query block (32) and
// key block (64); plain [B, H, L, E], heads read in place from [B, L, H·E], and q/k/v packed in one
// [B, L, 3·H·E] array; no mask, bool masks broadcast over batch / heads, an additive mask with −∞,
// causal alone and with a mask; fully masked rows (zeros, lse −∞, zero gradients); float32 and
// float64; 1 and 2 threads.
import { describe, expect, it } from "vitest";

import type { AttentionParams, AttentionStrides, FloatArray } from "../src/backend/backend.js";
import { jsBackend } from "../src/backend/js/index.js";
import { loadAddon } from "../src/backend/native/addon.js";
import { loadNativeBackend, nativeInfo, setNativeIsa } from "../src/backend/native/index.js";
import { FLOAT_DTYPES, type FloatCtor, rng, withThreads } from "./helpers/native.js";
import { requireNative } from "./helpers/require-native.js";

const native = loadNativeBackend().backend;
const addon = loadAddon().addon;
if (!native) requireNative("native-attention", false, loadNativeBackend().reason);

type Layout = "plain" | "heads" | "packed";
type MaskKind = "none" | "keyPad" | "square" | "additive" | "causal" | "causalPad" | "deadRows";

interface Case { B: number; H: number; L: number; S: number; E: number; Ev: number }

// Sizes around the blocks: 64 query rows per forward task, 32 per backward block, BK = 64 keys per block.
const CASES: Case[] = [
  { B: 1, H: 1, L: 1, S: 1, E: 4, Ev: 4 },
  { B: 2, H: 3, L: 5, S: 7, E: 8, Ev: 5 },
  { B: 1, H: 2, L: 31, S: 63, E: 16, Ev: 16 },
  { B: 2, H: 2, L: 32, S: 64, E: 8, Ev: 12 },
  { B: 1, H: 2, L: 33, S: 65, E: 9, Ev: 7 },
  { B: 2, H: 1, L: 64, S: 128, E: 16, Ev: 16 },
  { B: 1, H: 2, L: 70, S: 130, E: 8, Ev: 8 },
  { B: 1, H: 1, L: 97, S: 40, E: 32, Ev: 32 },
  { B: 1, H: 2, L: 40, S: 72, E: 64, Ev: 80 }, // wide heads: 4-vector tiles and a 1-vector rest
  { B: 2, H: 2, L: 3, S: 0, E: 4, Ev: 2 }, // no keys: zeros, lse −∞
  { B: 2, H: 2, L: 0, S: 3, E: 4, Ev: 2 }, // no queries: dk = dv = 0
];
const MASKS: MaskKind[] = ["none", "keyPad", "square", "additive", "causal", "causalPad", "deadRows"];
const LAYOUTS: Layout[] = ["plain", "heads", "packed"];

function fill(C: FloatCtor, n: number, r: () => number): FloatArray {
  const a = new C(n);
  for (let i = 0; i < n; i++) a[i] = r() * 2 - 1;
  return a;
}

/** q, k, v, out strides (and array lengths) for a layout; "packed" puts q, k, v in one array. */
function layouts(c: Case, layout: Layout): { q: AttentionStrides; k: AttentionStrides; v: AttentionStrides; out: AttentionStrides } {
  const { H, L, S, E, Ev } = c;
  if (layout === "plain") {
    return {
      q: { offset: 0, batch: H * L * E, head: L * E, row: E }, k: { offset: 0, batch: H * S * E, head: S * E, row: E },
      v: { offset: 0, batch: H * S * Ev, head: S * Ev, row: Ev }, out: { offset: 0, batch: H * L * Ev, head: L * Ev, row: Ev },
    };
  }
  if (layout === "heads") {
    return {
      q: { offset: 0, batch: L * H * E, head: E, row: H * E }, k: { offset: 0, batch: S * H * E, head: E, row: H * E },
      v: { offset: 0, batch: S * H * Ev, head: Ev, row: H * Ev }, out: { offset: 0, batch: L * H * Ev, head: Ev, row: H * Ev },
    };
  }
  // packed self-attention needs L = S and E = Ev: [B, L, 3·H·E]
  const row = 3 * H * E;
  return {
    q: { offset: 0, batch: L * row, head: E, row }, k: { offset: H * E, batch: L * row, head: E, row },
    v: { offset: 2 * H * E, batch: L * row, head: E, row }, out: { offset: 0, batch: L * H * E, head: E, row: H * E },
  };
}

function makeMask(C: FloatCtor, c: Case, kind: MaskKind, r: () => number): { mask: Uint8Array | FloatArray | null; m: AttentionParams["mask"]; causal: boolean } {
  const { B, H, L, S } = c;
  switch (kind) {
    case "none": return { mask: null, m: null, causal: false };
    case "causal": return { mask: null, m: null, causal: true };
    case "keyPad":
    case "causalPad": {
      // [B, 1, 1, S]: batch entry b attends to its first S − b keys (at least one)
      const mask = new Uint8Array(B * S);
      for (let b = 0; b < B; b++) for (let j = 0; j < S; j++) mask[b * S + j] = j < Math.max(1, S - b) ? 1 : 0;
      return { mask, m: { kind: "bool", strides: [S, 0, 0, 1] }, causal: kind === "causalPad" };
    }
    case "square": {
      // [L, S] random, broadcast over batch and heads
      const mask = new Uint8Array(L * S);
      for (let t = 0; t < L * S; t++) mask[t] = r() < 0.7 ? 1 : 0;
      return { mask, m: { kind: "bool", strides: [0, 0, S, 1] }, causal: false };
    }
    case "deadRows": {
      // [1, H, L, S] with every other query row (of head 0) fully masked
      const mask = new Uint8Array(H * L * S).fill(1);
      for (let i = 0; i < L; i += 2) mask.fill(0, i * S, (i + 1) * S);
      return { mask, m: { kind: "bool", strides: [0, L * S, S, 1] }, causal: false };
    }
    default: {
      // additive [B, H, L, S] with −∞ entries and a fully −∞ first row
      const mask = new C(B * H * L * S);
      for (let t = 0; t < mask.length; t++) mask[t] = r() < 0.2 ? -Infinity : r() * 4 - 2;
      mask.fill(-Infinity, 0, S);
      return { mask, m: { kind: "additive", strides: [H * L * S, L * S, S, 1] }, causal: false };
    }
  }
}

function expectClose(got: FloatArray, want: FloatArray, f32: boolean, what: string): void {
  const atol = f32 ? 5e-5 : 1e-12, rtol = f32 ? 5e-4 : 1e-10;
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!, w = want[i]!;
    if (Object.is(g, w)) continue;
    if (!(Math.abs(g - w) <= atol + rtol * Math.abs(w))) throw new Error(`${what} [${i}]: got ${g}, want ${w}`);
  }
}

function runCase(C: FloatCtor, c: Case, layout: Layout, kind: MaskKind, seed: number): void {
  const f32 = C === Float32Array;
  const r = rng(seed);
  const { B, H, L, S, E, Ev } = c;
  const lay = layouts(c, layout);
  const { mask, m, causal } = makeMask(C, c, kind, r);
  const p: AttentionParams = { batch: B, heads: H, lq: L, lk: S, dk: E, dv: Ev, ...lay, scale: 1 / Math.sqrt(E), causal, mask: m };
  let q: FloatArray, k: FloatArray, v: FloatArray, gradLen: [number, number, number];
  if (layout === "packed") {
    q = k = v = fill(C, B * L * 3 * H * E, r);
    gradLen = [q.length, q.length, q.length];
  } else {
    q = fill(C, B * H * L * E, r), k = fill(C, B * H * S * E, r), v = fill(C, B * H * S * Ev, r);
    gradLen = [q.length, k.length, v.length];
  }
  const what = `${f32 ? "f32" : "f64"} ${JSON.stringify(c)} ${layout} ${kind}`;
  const nOut = B * H * L * Ev, nLse = B * H * L;
  const out = new C(nOut).fill(7), lse = new C(nLse).fill(7), outJ = new C(nOut), lseJ = new C(nLse);
  native!.kernels.attentionForward!(q, k, v, mask, out, lse, p);
  jsBackend.kernels.attentionForward!(q, k, v, mask, outJ, lseJ, p);
  expectClose(out, outJ, f32, `out ${what}`);
  expectClose(lse, lseJ, f32, `lse ${what}`);
  const dOut = fill(C, nOut, r);
  const grads = () => {
    if (layout === "packed") { const g = new C(gradLen[0]).fill(7); return [g, g, g] as const; }
    return [new C(gradLen[0]).fill(7), new C(gradLen[1]).fill(7), new C(gradLen[2]).fill(7)] as const;
  };
  const [dq, dk, dv] = grads(), [dqJ, dkJ, dvJ] = grads();
  native!.kernels.attentionBackward!(q, k, v, outJ, dOut, lseJ, mask, dq, dk, dv, p);
  jsBackend.kernels.attentionBackward!(q, k, v, outJ, dOut, lseJ, mask, dqJ, dkJ, dvJ, p);
  expectClose(dq, dqJ, f32, `dq ${what}`);
  if (layout !== "packed") {
    expectClose(dk, dkJ, f32, `dk ${what}`);
    expectClose(dv, dvJ, f32, `dv ${what}`);
  }
}

// Every ISA setting this CPU can run (scalar selects the 128-bit table):
// the best with 1 and 2 threads, the lower ones with 2.
const ISAS = native ? (["scalar", "avx2", "avx512"] as const).slice(0, ["scalar", "avx2", "avx512"].indexOf(nativeInfo()!.detectedIsa) + 1) : [];
const BEST = ISAS[ISAS.length - 1];

describe.skipIf(!native)("native attention vs js", () => {
  for (const [dname, C] of FLOAT_DTYPES) {
    for (const isa of ISAS) {
      for (const threads of isa === BEST ? [1, 2] : [2]) {
        it(`${dname}, ${isa}, ${threads} thread(s): forward and backward at every size, layout and mask kind`, () => {
          expect(setNativeIsa(isa)).toBe(isa);
          try {
            withThreads(threads, () => {
              let seed = 1;
              for (const c of CASES) {
                for (const layout of LAYOUTS) {
                  if (layout === "packed" && (c.L !== c.S || c.E !== c.Ev)) continue;
                  for (const kind of MASKS) runCase(C, c, layout, kind, seed++);
                }
              }
            });
          } finally {
            setNativeIsa(BEST!);
          }
        });
      }
    }
  }

  it("float32 probabilities are within 6e-7 relative of float64 softmax at scores from −100 to 5 (the polynomial exp), on every ISA", () => {
    // one key per output feature (v = identity), so out = the softmax row itself; scores q·k_j
    // with q = 1 are the float32 keys, spread over [−100, 5] and into the underflow below −87.3.
    // One key block (64): across blocks the online softmax's rescaling rounds too, by design.
    const S = 64, L = 3;
    const kf = new Float32Array(S);
    for (let j = 0; j < S; j++) kf[j] = -100 + (105 * j) / (S - 1) + (j % 7) * 0.013;
    const q = new Float32Array(L).fill(1), v = new Float32Array(S * S);
    for (let j = 0; j < S; j++) v[j * S + j] = 1;
    const lay = (row: number, n: number): AttentionStrides => ({ offset: 0, batch: n, head: n, row });
    const p: AttentionParams = {
      batch: 1, heads: 1, lq: L, lk: S, dk: 1, dv: S, q: lay(1, L), k: lay(1, S), v: lay(S, S * S), out: lay(S, L * S), scale: 1, causal: false, mask: null,
    };
    // the reference takes exp of the float32 differences s_j − max, as every float32 softmax does
    // (their rounding alone is up to 2e-6 relative at −60); what is checked is exp and the sums
    const max = Math.max(...kf);
    const e64 = Array.from(kf, (x) => Math.exp(Math.fround(x - max)));
    const l64 = e64.reduce((a, x) => a + x, 0);
    const lse64 = max + Math.log(l64);
    for (const isa of ISAS) {
      expect(setNativeIsa(isa)).toBe(isa);
      try {
        const out = new Float32Array(L * S), lse = new Float32Array(L);
        native!.kernels.attentionForward!(q, kf, v, null, out, lse, p);
        for (let i = 0; i < L; i++) {
          expect(Math.abs(lse[i]! - lse64) / Math.abs(lse64), `${isa} lse`).toBeLessThan(2e-7);
          for (let j = 0; j < S; j++) {
            const want = e64[j]! / l64, got = out[i * S + j]!;
            if (!(Math.abs(got - want) <= 1e-37 + 6e-7 * want)) throw new Error(`${isa} p[${j}] at score ${kf[j]}: got ${got}, want ${want}`);
          }
        }
      } finally {
        setNativeIsa(BEST!);
      }
    }
  });

  it("packed self-attention (q = k = v in one [B, L, 3·H·E] array) runs and matches js", () => {
    for (const [, C] of FLOAT_DTYPES) for (const kind of MASKS) runCase(C, { B: 2, H: 2, L: 40, S: 40, E: 8, Ev: 8 }, "packed", kind, 99);
  });

  it("the addon runs these calls itself, writes zeros and lse −∞ for a fully masked row, and declines what it does not handle", () => {
    const p: AttentionParams = {
      batch: 1, heads: 1, lq: 2, lk: 3, dk: 2, dv: 1, scale: 1, causal: false, mask: { kind: "bool", strides: [0, 0, 3, 1] },
      q: { offset: 0, batch: 4, head: 4, row: 2 }, k: { offset: 0, batch: 6, head: 6, row: 2 },
      v: { offset: 0, batch: 3, head: 3, row: 1 }, out: { offset: 0, batch: 2, head: 2, row: 1 },
    };
    const q = new Float64Array([1, 0, 5, 5]), k = new Float64Array([1, 0, 0, 1, 2, 0]), v = new Float64Array([1, 2, 4]);
    const mask = Uint8Array.from([1, 1, 0, 0, 0, 0]); // row 0 sees keys 0, 1; row 1 sees nothing
    const out = new Float64Array(2).fill(9), lse = new Float64Array(2).fill(9);
    const desc = new Float64Array([1, 1, 2, 3, 2, 1, 0, 4, 4, 2, 0, 6, 6, 2, 0, 3, 3, 1, 0, 2, 2, 1, 1, 0, 1, 0, 0, 3, 1]);
    expect(addon!.attentionForward(q, k, v, mask, out, lse, desc)).toBe(true);
    // row 0: scores [1, 0] → softmax [e/(e+1), 1/(e+1)] · [1, 2]
    expect(out[0]).toBeCloseTo((Math.E + 2) / (Math.E + 1), 14);
    expect(lse[0]).toBeCloseTo(Math.log(Math.E + 1), 14);
    expect(out[1]).toBe(0);
    expect(lse[1]).toBe(-Infinity);
    const dq = new Float64Array(4).fill(9), dk = new Float64Array(6).fill(9), dv = new Float64Array(3).fill(9);
    expect(addon!.attentionBackward(q, k, v, out, new Float64Array([1, 1]), lse, mask, dq, dk, dv, desc)).toBe(true);
    expect([dq[2], dq[3]]).toEqual([0, 0]); // the dead row gets no gradient
    expect(dv[2]).toBe(0); // the masked key neither
    // declined: mixed dtypes, a bool mask given as floats, and heads sharing k in the backward
    expect(addon!.attentionForward(new Float32Array(4), k, v, mask, out, lse, desc)).toBe(false);
    expect(addon!.attentionForward(q, k, v, new Float64Array(6), out, lse, desc)).toBe(false);
    const shared = Float64Array.from(desc);
    shared[1] = 2; // two heads ...
    shared[12] = 0; // ... reading the same k
    expect(addon!.attentionBackward(q, k, v, out, new Float64Array(4), new Float64Array(4), mask, new Float64Array(8), dk, dv, shared)).toBe(false);
    expect(() => addon!.attentionForward(q, k.subarray(0, 4), v, mask, out, lse, desc)).toThrow(RangeError);
  });
});
