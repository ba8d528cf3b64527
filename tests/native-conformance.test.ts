// Native kernels against the js backend (the oracle): GEMM on sizes below, at, above and at
// multiples of each micro-tile and cache block, transposed and batched (stride 0) operands,
// NaN/Inf, float32 and float64, on every ISA this CPU has, with 1 and 2 threads; then the
// elementwise, reduction and softmax kernels and the fused kernels.
import { describe, expect, it } from "vitest";

import type { TypedArray } from "../src/core/dtype.js";
import type { Backend, BinaryKernelName, MatmulParams, ReduceKernelName, UnaryKernelName } from "../src/backend/backend.js";
import { jsBackend } from "../src/backend/js/index.js";
import {
  loadNativeBackend, nativeInfo, setNativeIsa, setNativeSmallSizeFallback, setNumThreads,
} from "../src/backend/native/index.js";
import { referenceFused } from "../src/backend/native/fused-reference.js";
import type { FloatArray, FusedActivation } from "../src/backend/native/fused.js";
import { FLOAT_DTYPES, type FloatCtor, rng } from "./helpers/native.js";
import { requireNative } from "./helpers/require-native.js";

const loaded = loadNativeBackend();
const native = loaded.backend;
// Tiny inputs normally go to js (cheaper than the N-API call); here they must run natively.
setNativeSmallSizeFallback(false);
if (!native) requireNative("native-conformance", false, loaded.reason);

const DTYPES = FLOAT_DTYPES;

function randArray(C: FloatCtor, n: number, seed: number, lo = -1, hi = 1): FloatArray {
  const r = rng(seed);
  const a = new C(n);
  for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * r();
  return a;
}

const EPS = { float32: 2 ** -23, float64: 2 ** -52 } as const;

/** Distance in units in the last place (same sign-magnitude ordering as the bits). */
function ulpDiff(a: number, b: number, f32: boolean): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0;
  if (f32) {
    const buf = new Float32Array([a, b]);
    const bits = new Int32Array(buf.buffer);
    const ord = (x: number) => (x < 0 ? -2147483648 - x : x);
    return Math.abs(ord(bits[0]!) - ord(bits[1]!));
  }
  const buf = new Float64Array([a, b]);
  const bits = new BigInt64Array(buf.buffer);
  const ord = (x: bigint) => (x < 0n ? -9223372036854775808n - x : x);
  const d = ord(bits[0]!) - ord(bits[1]!);
  return Number(d < 0n ? -d : d);
}

const ISAS = (() => {
  if (!native) return [] as string[];
  const best = nativeInfo()!.detectedIsa;
  return ["scalar", "avx2", "avx512"].slice(0, ["scalar", "avx2", "avx512"].indexOf(best) + 1);
})();

const POOL_THREADS = native ? nativeInfo()!.threads : 1;

function withSetting<T>(isa: string, threads: number, f: () => T): T {
  setNativeIsa(isa as "scalar");
  setNumThreads(threads);
  try {
    return f();
  } finally {
    setNativeIsa(nativeInfo()!.detectedIsa as "scalar");
    setNumThreads(POOL_THREADS);
  }
}

// ---- GEMM --------------------------------------------------------------------------------------

function checkMatmul(C: FloatCtor, p: MatmulParams, seed: number, opts: { nanA?: boolean; infB?: boolean } = {}): void {
  const { batch, m, n, k, strideA, strideB } = p;
  const aLen = Math.max(1, (batch - 1) * strideA + m * k), bLen = Math.max(1, (batch - 1) * strideB + k * n);
  const a = randArray(C, aLen, seed), b = randArray(C, bLen, seed + 1);
  if (opts.nanA && m * k > 0) a[Math.floor(aLen / 2)] = NaN;
  if (opts.infB && k * n > 0) b[Math.floor(bLen / 3)] = Infinity;
  const out = new C(batch * m * n).fill(NaN); // beta = 0: must never be read
  native!.kernels.matmul!(a, b, out, p);
  const ref = new Float64Array(batch * m * n);
  jsBackend.kernels.matmul!(Float64Array.from(a), Float64Array.from(b), ref, p);
  const absRef = new Float64Array(batch * m * n);
  jsBackend.kernels.matmul!(Float64Array.from(a, Math.abs), Float64Array.from(b, Math.abs), absRef, p);
  const tol = (k + 2) * EPS[C === Float32Array ? "float32" : "float64"];
  for (let i = 0; i < out.length; i++) {
    const got = out[i]!, want = ref[i]!;
    if (Number.isNaN(want) || !Number.isFinite(want)) {
      if (!Object.is(got, want) && !(Number.isNaN(got) && Number.isNaN(want))) {
        throw new Error(`matmul ${JSON.stringify(p)} [${i}]: got ${got}, want ${want}`);
      }
      continue;
    }
    const err = Math.abs(got - want);
    if (!(err <= tol * absRef[i]! + 1e-300)) {
      throw new Error(`matmul ${C.name} ${JSON.stringify(p)} [${i}]: got ${got}, want ${want} (err ${err}, bound ${tol * absRef[i]!})`);
    }
  }
}

// Tile edges of every micro-kernel: MR ∈ {4, 6, 12}, NR ∈ {8, 16, 32}, MC ≥ 72, KC = 256.
const SIZES = [1, 5, 6, 7, 11, 12, 13, 16, 31, 32, 33, 64, 100, 257];

describe.skipIf(!native)("native matmul vs js", () => {
  for (const isa of ISAS) {
    for (const threads of [1, 2]) {
      for (const [dname, C] of DTYPES) {
        it(`${isa}, ${threads} thread(s), ${dname}: all tile-edge sizes m, n ∈ {1..257}, k ∈ {1, 7, 33}, all transposes`, () => {
          withSetting(isa, threads, () => {
            let seed = 1;
            for (const m of SIZES) for (const n of SIZES) for (const k of [1, 7, 33]) {
              const tA = (m + n) % 2 === 0, tB = (m + 2 * n + k) % 3 === 0;
              checkMatmul(C, { batch: 1, m, n, k, strideA: 0, strideB: 0, transA: tA, transB: tB }, seed++);
            }
          });
        });
        it(`${isa}, ${threads} thread(s), ${dname}: SIMD-packed panels (m ≈ 6q, n ≈ 16q, k around multiples of 8), all transposes`, () => {
          withSetting(isa, threads, () => {
            let seed = 300;
            for (const m of [6, 12, 13, 130]) for (const n of [10, 16, 33, 48]) for (const k of [8, 15, 16, 17, 264]) {
              for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
                checkMatmul(C, { batch: 1, m, n, k, strideA: 0, strideB: 0, transA: tA, transB: tB }, seed++);
              }
            }
          });
        });
        it(`${isa}, ${threads} thread(s), ${dname}: k across the depth block (k ∈ {1..600}) and every transpose pair`, () => {
          withSetting(isa, threads, () => {
            let seed = 100;
            for (const k of SIZES.concat([255, 256, 300, 513, 600])) {
              for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
                checkMatmul(C, { batch: 1, m: 37, n: 45, k, strideA: 0, strideB: 0, transA: tA, transB: tB }, seed++);
              }
            }
          });
        });
        it(`${isa}, ${threads} thread(s), ${dname}: blocks larger than MC and NC, and big squares`, () => {
          withSetting(isa, threads, () => {
            checkMatmul(C, { batch: 1, m: 3, n: 4200, k: 5, strideA: 0, strideB: 0, transA: false, transB: false }, 7);
            checkMatmul(C, { batch: 1, m: 300, n: 20, k: 9, strideA: 0, strideB: 0, transA: true, transB: false }, 8);
            checkMatmul(C, { batch: 1, m: 257, n: 257, k: 257, strideA: 0, strideB: 0, transA: false, transB: true }, 9);
            checkMatmul(C, { batch: 1, m: 128, n: 96, k: 300, strideA: 0, strideB: 0, transA: false, transB: false }, 10);
          });
        });
        it(`${isa}, ${threads} thread(s), ${dname}: batched, with stride 0 (broadcast) on either side`, () => {
          withSetting(isa, threads, () => {
            const [m, n, k] = [33, 17, 40];
            checkMatmul(C, { batch: 3, m, n, k, strideA: m * k, strideB: k * n, transA: false, transB: false }, 20);
            checkMatmul(C, { batch: 4, m, n, k, strideA: 0, strideB: k * n, transA: true, transB: false }, 21);
            checkMatmul(C, { batch: 5, m, n, k, strideA: m * k, strideB: 0, transA: false, transB: true }, 22);
            checkMatmul(C, { batch: 16, m: 6, n: 16, k: 8, strideA: 48, strideB: 0, transA: false, transB: false }, 23);
            checkMatmul(C, { batch: 3, m: 100, n: 130, k: 70, strideA: 0, strideB: 70 * 130, transA: false, transB: false }, 24);
          });
        });
        it(`${isa}, ${threads} thread(s), ${dname}: NaN in A propagates, Inf in B matches js, NaN in C never leaks`, () => {
          withSetting(isa, threads, () => {
            for (const [m, n, k] of [[7, 9, 5], [64, 64, 64], [100, 33, 300]] as const) {
              checkMatmul(C, { batch: 1, m, n, k, strideA: 0, strideB: 0, transA: false, transB: false }, 30, { nanA: true });
              checkMatmul(C, { batch: 1, m, n, k, strideA: 0, strideB: 0, transA: true, transB: true }, 31, { infB: true });
            }
          });
        });
      }
    }
  }

  it("results are bitwise identical for 1, 2, 3 and 4 threads (each element has one owner and one k order)", () => {
    for (const [, C] of DTYPES) {
      const p: MatmulParams = { batch: 2, m: 301, n: 257, k: 300, strideA: 301 * 300, strideB: 0, transA: false, transB: true };
      const a = randArray(C, 2 * 301 * 300, 1), b = randArray(C, 257 * 300, 2);
      const outs = [1, 2, 3, 4].map((t) => {
        setNumThreads(t);
        const out = new C(2 * 301 * 257);
        native!.kernels.matmul!(a, b, out, p);
        return out;
      });
      setNumThreads(POOL_THREADS);
      for (const o of outs.slice(1)) {
        let bad = 0;
        for (let i = 0; i < o.length; i++) if (!Object.is(o[i], outs[0]![i])) bad++;
        expect(bad).toBe(0);
      }
    }
  });

  it("k = 0 writes zeros; empty m or n writes nothing", () => {
    const out = new Float32Array(6).fill(NaN);
    native!.kernels.matmul!(new Float32Array(0), new Float32Array(0), out, { batch: 1, m: 2, n: 3, k: 0, strideA: 0, strideB: 0, transA: false, transB: false });
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
    const out2 = new Float64Array(2).fill(7);
    native!.kernels.matmul!(new Float64Array(0), new Float64Array(4), out2, { batch: 1, m: 0, n: 2, k: 2, strideA: 0, strideB: 0, transA: false, transB: false });
    expect(Array.from(out2)).toEqual([7, 7]);
  });

  it("int32 matmul falls back to js", () => {
    const a = Int32Array.from([1, 2, 3, 4]), b = Int32Array.from([5, 6, 7, 8]);
    const out = new Int32Array(4), ref = new Int32Array(4);
    const p = { batch: 1, m: 2, n: 2, k: 2, strideA: 0, strideB: 0, transA: false, transB: false };
    native!.kernels.matmul!(a, b, out, p);
    jsBackend.kernels.matmul!(a, b, ref, p);
    expect(Array.from(out)).toEqual(Array.from(ref));
  });

  it("reports the ISA and thread count", () => {
    const info = nativeInfo()!;
    expect(["scalar", "avx2", "avx512"]).toContain(info.isa);
    expect(info.threads).toBeGreaterThanOrEqual(1);
    expect(info.gemmF32).toMatch(/^gemm_f32_\d+x\d+_(scalar|avx2|avx512)$/);
    expect(setNumThreads(1)).toBe(1);
    expect(nativeInfo()!.threads).toBe(1);
    expect(setNumThreads(2)).toBe(2);
    setNumThreads(POOL_THREADS);
  });
});

// ---- elementwise ---------------------------------------------------------------------------------

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1e-40, -1e-40, 1e-30, 3.4e38, -3.4e38, 88.7, 88.8, -87.3, -103.9, -104,
  -150, 0.5, -0.5, 1.5, 2.5, -2.5, 1e-5, -1e-5, 9.5, -9.5, 20, -20, 700, -745, 1e300];

function unaryInput(C: FloatCtor, n: number, seed: number, scale: number): FloatArray {
  const x = randArray(C, n, seed, -scale, scale);
  for (let i = 0; i < SPECIAL.length && i < n; i++) x[(i * 7919) % n] = SPECIAL[i]!;
  return x;
}

const UNARY: UnaryKernelName[] = ["neg", "abs", "exp", "log", "sqrt", "rsqrt", "square", "tanh", "sigmoid", "relu", "floor", "ceil", "sign", "erf", "expm1", "log1p", "sin", "cos"];

function expectUlps(got: TypedArray, want: TypedArray, maxUlp: number, f32: boolean, what: string): void {
  for (let i = 0; i < got.length; i++) {
    const d = ulpDiff(got[i]!, want[i]!, f32);
    if (d > maxUlp) throw new Error(`${what} [${i}]: got ${got[i]}, want ${want[i]} (${d} ulp)`);
  }
}

describe.skipIf(!native)("native elementwise vs js", () => {
  for (const isa of ISAS.filter((i) => i !== "avx512")) {
    for (const [dname, C] of DTYPES) {
      for (const op of UNARY) {
        it(`${isa} ${dname} unary ${op} (float32 within 1 ulp, float64 within 2 ulp of V8's Math; specials included; 1 and 2 threads)`, () => {
          for (const threads of [1, 2]) {
            withSetting(isa, threads, () => {
              for (const [n, scale] of [[1, 3], [7, 3], [33, 30], [1000, 100], [70001, 12]] as const) {
                const x = unaryInput(C, n, n + 3, scale);
                const out = new C(n).fill(NaN), ref = new C(n);
                native!.kernels.unary![op]!(x, out);
                jsBackend.kernels.unary![op]!(x, ref);
                // float64 erf: the js kernel (Cody's rational approximations) is itself up to ~3 ulp
                // off (at x = -0.191708…: js …866, glibc …874, true …8763), so 4 ulp here
                expectUlps(out, ref, C === Float32Array ? 1 : op === "erf" ? 4 : 2, C === Float32Array, `${op} n=${n}`);
              }
            });
          }
        });
      }
      it(`${isa} ${dname} exp/log/tanh/sigmoid: a dense sweep stays within 1 ulp (float32) / 2 ulp (float64)`, () => {
        withSetting(isa, 1, () => {
          const n = 200001;
          const x = new C(n);
          for (let i = 0; i < n; i++) x[i] = -110 + (220 * i) / (n - 1);
          for (const op of ["exp", "tanh", "sigmoid"] as const) {
            const out = new C(n), ref = new C(n);
            native!.kernels.unary![op]!(x, out);
            jsBackend.kernels.unary![op]!(x, ref);
            expectUlps(out, ref, C === Float32Array ? 1 : 2, C === Float32Array, op);
          }
          const xl = new C(n);
          for (let i = 0; i < n; i++) xl[i] = Math.exp(-80 + (160 * i) / (n - 1));
          const out = new C(n), ref = new C(n);
          native!.kernels.unary!.log!(xl, out);
          jsBackend.kernels.unary!.log!(xl, ref);
          expectUlps(out, ref, C === Float32Array ? 1 : 2, C === Float32Array, "log");
        });
      });

      const BIN: BinaryKernelName[] = ["add", "sub", "mul", "div", "maximum", "minimum"];
      const SHAPES: [number[], number[]][] = [
        [[7, 33], [7, 33]], [[7, 33], []], [[], [7, 33]], [[1], [9]], [[5, 33], [33]], [[33], [5, 33]],
        [[6, 1], [6, 17]], [[6, 17], [6, 1]], [[2, 1, 5], [3, 1]], [[4, 3, 1, 2], [3, 5, 1]], [[1, 1], [1, 1]],
        [[300, 301], [301]], [[300, 301], [300, 1]], [[200003], [200003]], [[200003], [1]], [[2, 70000], [2, 70000]],
        [[0, 3], [3]],
      ];
      it(`${isa} ${dname} binary ops with broadcasting match js exactly (1 and 2 threads)`, () => {
        for (const threads of [1, 2]) {
          withSetting(isa, threads, () => {
            let seed = 50;
            for (const op of BIN) {
              for (const [as, bs] of SHAPES) {
                const r = Math.max(as.length, bs.length);
                const outShape: number[] = [];
                for (let d = 0; d < r; d++) {
                  const x = as[d - (r - as.length)] ?? 1, y = bs[d - (r - bs.length)] ?? 1;
                  outShape.push(x === 1 ? y : x);
                }
                const size = (s: number[]) => s.reduce((p, q) => p * q, 1);
                const a = unaryInput(C, Math.max(1, size(as)), seed++, 5).subarray(0, size(as));
                const b = unaryInput(C, Math.max(1, size(bs)), seed++, 5).subarray(0, size(bs));
                if (b.length > 3) b[3] = a.length > 3 ? a[3]! : 0; // equal pairs (±0 ties)
                const out = new C(size(outShape)).fill(NaN), ref = new C(size(outShape));
                native!.kernels.binary![op]!(a, as, b, bs, out, outShape);
                jsBackend.kernels.binary![op]!(a, as, b, bs, ref, outShape);
                for (let i = 0; i < out.length; i++) {
                  if (!Object.is(out[i], ref[i]) && !(Number.isNaN(out[i]) && Number.isNaN(ref[i]))) {
                    throw new Error(`${op} ${JSON.stringify(as)} ${JSON.stringify(bs)} [${i}]: got ${out[i]}, want ${ref[i]}`);
                  }
                }
              }
            }
          });
        }
      });

      it(`${isa} ${dname} clamp matches js exactly`, () => {
        withSetting(isa, 2, () => {
          const x = unaryInput(C, 100003, 9, 3);
          const out = new C(x.length), ref = new C(x.length);
          native!.kernels.clamp!(x, -1.5, 0.25, out);
          jsBackend.kernels.clamp!(x, -1.5, 0.25, ref);
          expectUlps(out, ref, 0, C === Float32Array, "clamp");
        });
      });

      const REDUCE_CASES: [number[], number[]][] = [
        [[37], [0]], [[5, 1000], [1]], [[1000, 5], [0]], [[3, 4, 5], [0]], [[3, 4, 5], [1]], [[3, 4, 5], [2]],
        [[3, 4, 5], [0, 1]], [[3, 4, 5], [1, 2]], [[3, 4, 5], [0, 2]], [[3, 4, 5], [0, 1, 2]], [[2, 1, 7], [1]],
        [[130000], [0]], [[3, 90000], [1]], [[90000, 3], [0]], [[4, 600, 300], [1]], [[1, 3000, 70], [1]],
      ];
      for (const op of ["sum", "max", "min"] as ReduceKernelName[]) {
        it(`${isa} ${dname} reduce ${op} over leading, middle, trailing and all axes (1 and 2 threads)`, () => {
          for (const threads of [1, 2]) {
            withSetting(isa, threads, () => {
              let seed = 70;
              for (const [shape, axes] of REDUCE_CASES) {
                const size = shape.reduce((p, q) => p * q, 1);
                const x = randArray(C, size, seed++, -10, 10);
                const outSize = shape.reduce((p, q, d) => (axes.includes(d) ? p : p * q), 1);
                const out = new C(outSize).fill(NaN), ref = new C(outSize);
                native!.kernels.reduce![op]!(x, shape, axes, out);
                jsBackend.kernels.reduce![op]!(x, shape, axes, ref);
                const red = size / outSize;
                for (let i = 0; i < outSize; i++) {
                  const tol = op === "sum" ? red * 10 * EPS.float64 * 10 + (C === Float32Array ? Math.abs(ref[i]!) * EPS.float32 : 0) : 0;
                  if (!(Math.abs(out[i]! - ref[i]!) <= tol)) {
                    throw new Error(`${op} ${JSON.stringify(shape)} axes ${JSON.stringify(axes)} [${i}]: got ${out[i]}, want ${ref[i]}`);
                  }
                }
              }
              // NaN propagates in max/min/sum
              const x = randArray(C, 600, 3);
              x[123] = NaN;
              const out = new C(6), ref = new C(6);
              native!.kernels.reduce![op]!(x, [6, 100], [1], out);
              jsBackend.kernels.reduce![op]!(x, [6, 100], [1], ref);
              expect(Array.from(out, Number.isNaN)).toEqual(Array.from(ref, Number.isNaN));
              const colOut = new C(100), colRef = new C(100);
              native!.kernels.reduce![op]!(x, [6, 100], [0], colOut);
              jsBackend.kernels.reduce![op]!(x, [6, 100], [0], colRef);
              expect(Array.from(colOut, Number.isNaN)).toEqual(Array.from(colRef, Number.isNaN));
            });
          }
        });
      }

      for (const kind of ["softmax", "logSoftmax"] as const) {
        it(`${isa} ${dname} ${kind} along the last axis, extreme inputs included`, () => {
          withSetting(isa, 2, () => {
            const cases: [number[], number][] = [[[4, 10], 1], [[3, 1000], 1], [[1, 1], 1], [[2, 3, 4], 2], [[2, 3, 4], 1], [[64, 2000], 1], [[5, 7, 1], 1]];
            let seed = 90;
            for (const [shape, axis] of cases) {
              const size = shape.reduce((p, q) => p * q, 1);
              const x = randArray(C, size, seed++, -20, 20);
              if (size >= 10) {
                x[1] = 1e4;
                x[2] = -1e4;
                x[3] = -Infinity;
              }
              const out = new C(size).fill(NaN), ref = new C(size);
              native!.kernels[kind]!(x, shape, axis, out);
              jsBackend.kernels[kind]!(x, shape, axis, ref);
              const f32 = C === Float32Array;
              for (let i = 0; i < size; i++) {
                const tol = (f32 ? 4 * EPS.float32 : 8 * EPS.float64) * Math.max(Math.abs(ref[i]!), kind === "softmax" ? 0 : 1) + 1e-300;
                if (!(Math.abs(out[i]! - ref[i]!) <= tol) && !Object.is(out[i], ref[i])) {
                  throw new Error(`${kind} ${JSON.stringify(shape)} [${i}]: got ${out[i]}, want ${ref[i]}`);
                }
              }
            }
            const rowNaN = new C([1, NaN, 3, 0, 0, 0]);
            const out = new C(6), ref = new C(6);
            native!.kernels[kind]!(rowNaN, [2, 3], 1, out);
            jsBackend.kernels[kind]!(rowNaN, [2, 3], 1, ref);
            expect(Array.from(out, Number.isNaN)).toEqual(Array.from(ref, Number.isNaN));
          });
        });
      }
    }
  }

  it("int32 and bool inputs fall back to js", () => {
    const a = Int32Array.from([1, -2, 3]), out = new Int32Array(3), ref = new Int32Array(3);
    native!.kernels.unary!.abs!(a, out);
    jsBackend.kernels.unary!.abs!(a, ref);
    expect(Array.from(out)).toEqual(Array.from(ref));
    native!.kernels.binary!.add!(a, [3], Int32Array.from([5]), [1], out, [3]);
    expect(Array.from(out)).toEqual([6, 3, 8]);
    const s = new Int32Array(1);
    native!.kernels.reduce!.sum!(a, [3], [0], s);
    expect(s[0]).toBe(2);
  });
});

// ---- fused -----------------------------------------------------------------------------------------

function expectClose(got: FloatArray, want: FloatArray, rtol: number, atol: number, what: string): void {
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!, w = want[i]!;
    if (Number.isNaN(w) ? !Number.isNaN(g) : !(Math.abs(g - w) <= atol + rtol * Math.abs(w))) {
      throw new Error(`${what} [${i}]: got ${g}, want ${w}`);
    }
  }
}

describe.skipIf(!native)("native fused kernels vs the TypeScript reference", () => {
  const fused = loaded.fused!;
  for (const [dname, C] of DTYPES) {
    const f32 = C === Float32Array;
    const rtol = f32 ? 4e-7 : 1e-13, atol = f32 ? 1e-7 : 1e-15;
    for (const act of ["none", "relu", "gelu", "tanh", "sigmoid"] as FusedActivation[]) {
      it(`${dname} biasAct ${act}`, () => {
        for (const [m, n] of [[1, 1], [7, 33], [300, 129]] as const) {
          const x = randArray(C, m * n, m + n, -8, 8), bias = randArray(C, n, 5, -2, 2);
          x[0] = NaN;
          const out = new C(m * n), ref = new C(m * n);
          fused.biasAct!(x, bias, act, out);
          referenceFused.biasAct(x, bias, act, ref);
          expectClose(out, ref, 2 * rtol, atol, `biasAct ${act}`);
        }
      });
    }

    it(`${dname} adamStep (L2 and decoupled weight decay) over several steps`, () => {
      for (const decoupled of [false, true]) {
        const n = 1003;
        const p1 = randArray(C, n, 1), p2 = C.from(p1);
        const m1 = new C(n), m2 = new C(n), v1 = new C(n), v2 = new C(n);
        for (let step = 1; step <= 5; step++) {
          const g = randArray(C, n, 10 + step);
          fused.adamStep!(p1, g, m1, v1, 1e-2, 0.9, 0.999, 1e-8, 0.01, step, decoupled);
          referenceFused.adamStep(p2, g, m2, v2, 1e-2, 0.9, 0.999, 1e-8, 0.01, step, decoupled);
        }
        expectClose(p1, p2, 4 * rtol, atol, "adam param");
        expectClose(m1, m2, 4 * rtol, atol, "adam m");
        expectClose(v1, v2, 4 * rtol, atol, "adam v");
      }
    });

    it(`${dname} sgdStep (plain, momentum, dampening, nesterov, weight decay)`, () => {
      for (const [momentum, dampening, nesterov] of [[0, 0, false], [0.9, 0, false], [0.9, 0.1, false], [0.9, 0, true]] as const) {
        const n = 517;
        const p1 = randArray(C, n, 2), p2 = C.from(p1);
        const b1 = momentum ? new C(n) : null, b2 = momentum ? new C(n) : null;
        for (let step = 1; step <= 4; step++) {
          const g = randArray(C, n, 20 + step);
          fused.sgdStep!(p1, g, b1, 0.1, momentum, dampening, nesterov, 1e-3, step === 1);
          referenceFused.sgdStep(p2, g, b2, 0.1, momentum, dampening, nesterov, 1e-3, step === 1);
        }
        expectClose(p1, p2, 4 * rtol, atol, "sgd param");
        if (b1 && b2) expectClose(b1, b2, 4 * rtol, atol, "sgd buf");
      }
    });

    it(`${dname} rmspropStep (plain, centered, momentum)`, () => {
      for (const [centered, momentum] of [[false, 0], [true, 0], [false, 0.9], [true, 0.5]] as const) {
        const n = 333;
        const p1 = randArray(C, n, 3), p2 = C.from(p1);
        const s1 = new C(n), s2 = new C(n);
        const mb1 = momentum ? new C(n) : null, mb2 = momentum ? new C(n) : null;
        const g1 = centered ? new C(n) : null, g2 = centered ? new C(n) : null;
        for (let step = 1; step <= 4; step++) {
          const g = randArray(C, n, 30 + step);
          fused.rmspropStep!(p1, g, s1, mb1, g1, 1e-2, 0.99, 1e-8, 1e-4, momentum);
          referenceFused.rmspropStep(p2, g, s2, mb2, g2, 1e-2, 0.99, 1e-8, 1e-4, momentum);
        }
        expectClose(p1, p2, 4 * rtol, atol, "rmsprop param");
        expectClose(s1, s2, 4 * rtol, atol, "rmsprop squareAvg");
      }
    });

    it(`${dname} layerNormForward / layerNormBackward (with and without affine, constant rows)`, () => {
      for (const [m, n, affine] of [[1, 1, true], [4, 7, true], [33, 100, false], [257, 300, true]] as const) {
        const x = randArray(C, m * n, m * n, -3, 3);
        for (let j = 0; j < n; j++) x[j] = 1e4 + 0.5; // a constant row: zero variance
        const gamma = affine ? randArray(C, n, 7, 0.5, 1.5) : null, beta = affine ? randArray(C, n, 8) : null;
        const out1 = new C(m * n), out2 = new C(m * n);
        const mean1 = new C(m), mean2 = new C(m), rstd1 = new C(m), rstd2 = new C(m);
        fused.layerNormForward!(x, gamma, beta, 1e-5, out1, mean1, rstd1);
        referenceFused.layerNormForward(x, gamma, beta, 1e-5, out2, mean2, rstd2);
        expectClose(out1, out2, 8 * rtol, 8 * atol, "layerNorm out");
        expectClose(mean1, mean2, rtol, atol, "layerNorm mean");
        expectClose(rstd1, rstd2, 2 * rtol, atol, "layerNorm rstd");
        const dy = randArray(C, m * n, 99);
        const dx1 = new C(m * n), dx2 = new C(m * n);
        const dg1 = affine ? new C(n).fill(NaN) : null, dg2 = affine ? new C(n) : null;
        const db1 = affine ? new C(n).fill(NaN) : null, db2 = affine ? new C(n) : null;
        fused.layerNormBackward!(dy, x, mean2, rstd2, gamma, dx1, dg1, db1);
        referenceFused.layerNormBackward(dy, x, mean2, rstd2, gamma, dx2, dg2, db2);
        expectClose(dx1, dx2, 64 * rtol, 64 * atol * Math.sqrt(n), "layerNorm dx");
        if (dg1 && dg2) expectClose(dg1, dg2, 8 * rtol, 8 * atol * m, "layerNorm dgamma");
        if (db1 && db2) expectClose(db1, db2, 8 * rtol, 8 * atol * m, "layerNorm dbeta");
      }
    });
  }

  it("fused kernels refuse mixed dtypes", () => {
    expect(() => fused.adamStep!(new Float32Array(2), new Float64Array(2), new Float32Array(2), new Float32Array(2), 1, 0.9, 0.99, 1e-8, 0, 1)).toThrow(TypeError);
  });
});

describe.skipIf(!native)("native backend: tiny inputs", () => {
  it("go to js by default, and give the same results either way", () => {
    const p: MatmulParams = { batch: 1, m: 3, n: 4, k: 5, strideA: 0, strideB: 0, transA: false, transB: true };
    const a = randArray(Float32Array, 15, 1), b = randArray(Float32Array, 20, 2);
    const viaJs = new Float32Array(12), viaNative = new Float32Array(12);
    expect(setNativeSmallSizeFallback(true)).toBe(false);
    native!.kernels.matmul!(a, b, viaJs, p);
    native!.kernels.unary!.exp!(a, a);
    setNativeSmallSizeFallback(false);
    native!.kernels.matmul!(a.map(Math.log), b, viaNative, p);
    expectClose(viaNative, viaJs, 1e-6, 1e-6, "tiny matmul");
  });
});

describe("native backend loading", () => {
  it("loadNativeBackend never throws and says why when the addon is missing", () => {
    const r = loadNativeBackend();
    expect(typeof r.reason).toBe("string");
    if (r.backend === null) expect(r.reason.length).toBeGreaterThan(0);
    else expect(r.reason).toBe("loaded");
  });
});

export type { Backend };
