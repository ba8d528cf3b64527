// Native convolution and pooling kernels (native/conv.cpp: im2col + the GEMM; native/pool.cpp)
// against the js kernels (the oracle, src/backend/js/conv.ts, pool.ts): output channels and
// output-plane sizes below, at and above the GEMM micro-tiles (6x16 AVX2, 12x32 AVX-512), batch 1,
// groups, stride / padding / dilation, the 1x1 shortcut, a batch large enough to be cut in
// chunks of the column buffer; float32 and float64; 1 and 2 threads.
import { describe, expect, it } from "vitest";

import type { ConvParams, FloatArray, PoolParams } from "../src/backend/backend.js";
import { jsBackend } from "../src/backend/js/index.js";
import { loadNativeBackend } from "../src/backend/native/index.js";
import { convOutSize, poolOutSize } from "../src/backend/conv-params.js";
import { FLOAT_DTYPES, type FloatCtor, rng, withThreads } from "./helpers/native.js";
import { requireNative } from "./helpers/require-native.js";

const load = loadNativeBackend();
const native = load.backend;
if (!native) requireNative("native-conv", false, load.reason);

interface Case { n: number; c: number; h: number; w: number; o: number; k: [number, number]; s?: number; p?: number; d?: number; g?: number }

const CASES: Case[] = [
  { n: 1, c: 1, h: 5, w: 5, o: 1, k: [3, 3] },
  { n: 2, c: 3, h: 7, w: 6, o: 5, k: [3, 2], s: 2, p: 1 },
  { n: 1, c: 4, h: 6, w: 8, o: 6, k: [3, 3], p: 1 }, // O = 6 rows (AVX2 tile), plane 48 = 3·16
  { n: 3, c: 4, h: 4, w: 4, o: 7, k: [1, 1] }, // 1x1 shortcut, plane 16
  { n: 2, c: 6, h: 9, w: 9, o: 12, k: [3, 3], d: 2, p: 2 }, // O = 12 (AVX-512 tile)
  { n: 2, c: 6, h: 9, w: 7, o: 13, k: [2, 3], g: 3, s: 2 }, // groups, O past a tile
  { n: 1, c: 8, h: 12, w: 12, o: 33, k: [5, 5], p: 2 }, // O = 33 > 32, k = 200
  { n: 4, c: 16, h: 10, w: 10, o: 17, k: [3, 3], g: 4, p: 1 },
  { n: 2, c: 32, h: 8, w: 8, o: 16, k: [3, 3], p: 1 }, // k = 288 past the KC block of some ISAs
];
// 60·16·9·1024 columns > the 2^23-element budget: two chunks, the weight gradient summed over them
const BIG: Case = { n: 60, c: 16, h: 32, w: 32, o: 4, k: [3, 3], p: 1 };

function params(c: Case): ConvParams {
  const s = c.s ?? 1, p = c.p ?? 0, d = c.d ?? 1;
  return {
    n: c.n, c: c.c, h: c.h, w: c.w, o: c.o, kh: c.k[0], kw: c.k[1],
    oh: convOutSize(c.h, c.k[0], s, p, d), ow: convOutSize(c.w, c.k[1], s, p, d), sh: s, sw: s, ph: p, pw: p, dh: d, dw: d, groups: c.g ?? 1,
  };
}

function fill(C: FloatCtor, n: number, r: () => number): FloatArray {
  const a = new C(n);
  for (let i = 0; i < n; i++) a[i] = r() * 2 - 1;
  return a;
}

/** |a − b| ≤ rtol·|b| + atol·max|b| elementwise (float32 GEMM sums in float32, js in float64). */
function expectNear(a: FloatArray, b: FloatArray, rtol: number, atol: number, what: string): void {
  let scale = 0;
  for (let i = 0; i < b.length; i++) if (!Number.isNaN(b[i]!)) scale = Math.max(scale, Math.abs(b[i]!));
  for (let i = 0; i < b.length; i++) {
    if (Number.isNaN(b[i]!) && Number.isNaN(a[i]!)) continue;
    const err = Math.abs(a[i]! - b[i]!);
    if (!(err <= rtol * Math.abs(b[i]!) + atol * scale)) {
      expect.fail(`${what}: element ${i} is ${a[i]} (js ${b[i]}, max |js| ${scale})`);
    }
  }
  expect(a.length).toBe(b.length);
}

function checkConv(c: Case, C: FloatCtor, seed: number): void {
  const p = params(c);
  const r = rng(seed);
  const x = fill(C, p.n * p.c * p.h * p.w, r);
  const w = fill(C, p.o * (p.c / p.groups) * p.kh * p.kw, r);
  const dy = fill(C, p.n * p.o * p.oh * p.ow, r);
  const [rtol, atol] = C === Float32Array ? [1e-4, 1e-5] : [1e-11, 1e-12];
  const nk = native!.kernels, jk = jsBackend.kernels;
  const run = (k: typeof nk, name: "conv2d" | "conv2dInput" | "conv2dWeight", len: number): FloatArray => {
    const out = new C(len).fill(Number.NaN); // every element must be written
    if (name === "conv2d") k.conv2d!(x, w, out, p);
    else if (name === "conv2dInput") k.conv2dInput!(dy, w, out, p);
    else k.conv2dWeight!(x, dy, out, p);
    return out;
  };
  expectNear(run(nk, "conv2d", dy.length), run(jk, "conv2d", dy.length), rtol, atol, "conv2d");
  expectNear(run(nk, "conv2dInput", x.length), run(jk, "conv2dInput", x.length), rtol, atol, "conv2dInput");
  expectNear(run(nk, "conv2dWeight", w.length), run(jk, "conv2dWeight", w.length), rtol, atol, "conv2dWeight");
}

describe.skipIf(!native)("native conv2d / conv2dInput / conv2dWeight match the js kernels", () => {
  for (const threads of [1, 2]) {
    for (const [dtype, C] of FLOAT_DTYPES) {
      it.each(CASES.map((c, i) => [JSON.stringify(c), c, i] as const))(`${dtype}, ${threads} thread(s): %s`, (_n, c, i) => {
        withThreads(threads, () => checkConv(c, C, 100 + i));
      });
    }
  }
  it("a batch cut in two chunks of the column buffer (float32, 2 threads)", () => {
    withThreads(2, () => checkConv(BIG, Float32Array, 7));
  });
});

interface PoolCase { planes: number; h: number; w: number; k: [number, number]; s: [number, number]; p: [number, number]; d?: number; ceil?: boolean; inc?: boolean; div?: number }

const POOLS: PoolCase[] = [
  { planes: 1, h: 4, w: 4, k: [2, 2], s: [2, 2], p: [0, 0] },
  { planes: 6, h: 7, w: 9, k: [3, 3], s: [2, 2], p: [1, 1], ceil: true, inc: false },
  { planes: 5, h: 8, w: 5, k: [3, 2], s: [1, 2], p: [1, 1], d: 2 },
  { planes: 4, h: 6, w: 6, k: [2, 3], s: [2, 2], p: [1, 1], div: 5 },
  { planes: 40, h: 24, w: 24, k: [2, 2], s: [2, 2], p: [0, 0] },
];

function poolParamsOf(c: PoolCase): PoolParams {
  const d = c.d ?? 1, ceil = c.ceil ?? false;
  return {
    planes: c.planes, h: c.h, w: c.w, kh: c.k[0], kw: c.k[1], sh: c.s[0], sw: c.s[1], ph: c.p[0], pw: c.p[1], dh: d, dw: d,
    oh: poolOutSize(c.h, c.k[0], c.s[0], c.p[0], d, ceil), ow: poolOutSize(c.w, c.k[1], c.s[1], c.p[1], d, ceil),
    countIncludePad: c.inc ?? true, divisorOverride: c.div ?? 0,
  };
}

describe.skipIf(!native)("native pooling matches the js kernels", () => {
  for (const threads of [1, 2]) {
    for (const [dtype, C] of FLOAT_DTYPES) {
      it.each(POOLS.map((c, i) => [JSON.stringify(c), c, i] as const))(`${dtype}, ${threads} thread(s): %s`, (_n, c, i) => {
        withThreads(threads, () => {
          const p = poolParamsOf(c);
          const r = rng(300 + i);
          const x = fill(C, p.planes * p.h * p.w, r);
          if (i === 1) x[5] = Number.NaN; // NaN wins the max, as in PyTorch
          const dy = fill(C, p.planes * p.oh * p.ow, r);
          const nk = native!.kernels, jk = jsBackend.kernels;
          const yn = new C(dy.length), yj = new C(dy.length);
          const in_ = new Int32Array(dy.length), ij = new Int32Array(dy.length);
          nk.maxPool2d!(x, yn, in_, p);
          jk.maxPool2d!(x, yj, ij, p);
          expect(Array.from(in_)).toEqual(Array.from(ij));
          expect(Array.from(yn)).toEqual(Array.from(yj));
          // the backward: each dy added at its window's argmax (windows overlap with stride < kernel)
          const mn = new C(x.length).fill(Number.NaN), mj = new C(x.length);
          nk.maxPool2dBackward!(dy, ij, mn, p.planes, p.h * p.w, p.oh * p.ow);
          jk.maxPool2dBackward!(dy, ij, mj, p.planes, p.h * p.w, p.oh * p.ow);
          expectNear(mn, mj, 1e-6, 0, "maxPool2dBackward");
          const an = new C(dy.length), aj = new C(dy.length);
          nk.avgPool2d!(x, an, p);
          jk.avgPool2d!(x, aj, p);
          expectNear(an, aj, 1e-6, 0, "avgPool2d");
          const bn = new C(x.length), bj = new C(x.length);
          nk.avgPool2dBackward!(dy, bn, p);
          jk.avgPool2dBackward!(dy, bj, p);
          expectNear(bn, bj, 1e-6, 0, "avgPool2dBackward");
        });
      });
    }
  }
});
