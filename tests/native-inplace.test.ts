// Native binary kernels declare their operands and output __restrict; linear adds its bias in
// place (the output is also the first operand), which broke that promise (undefined behaviour).
// In-place calls now take kernels without the qualifier (native/ew_kernels.inc.h map2_inplace),
// and any other overlap goes to the js kernel. Checked here: in-place results equal the js
// backend's out-of-place results bit for bit, in every operand layout, on every ISA this CPU
// has, and are computed natively (the fallback is a spy that must not be called).

import { afterAll, describe, expect, it } from "vitest";
import type { Backend, BinaryKernelName } from "../src/backend/backend.js";
import { jsBackend } from "../src/backend/js/index.js";
import { loadNativeBackend, nativeInfo, setNativeIsa, setNativeSmallSizeFallback } from "../src/backend/native/index.js";
import { FLOAT_DTYPES, rng } from "./helpers/native.js";
import * as st from "../src/node.js";

let fallbackCalls = 0;
const spyBinary = Object.fromEntries(
  Object.entries(jsBackend.kernels.binary!).map(([k, f]) => [k, (...a: Parameters<typeof f>) => { fallbackCalls++; return f(...a); }]),
);
const spy: Backend = { ...jsBackend, name: "spy", kernels: { ...jsBackend.kernels, binary: spyBinary } };
const loaded = loadNativeBackend(spy);
const native = loaded.backend;
const prevSmall = setNativeSmallSizeFallback(false);
const isas = (["scalar", "avx2", "avx512"] as const).filter((i) => nativeInfo() !== null && setNativeIsa(i) !== null);
const bestIsa = nativeInfo()?.isa;
if (!native) console.warn(`[native-inplace] SKIPPED: the native addon is not available (${loaded.reason})`);
const initial = st.getBackend();
afterAll(() => {
  setNativeSmallSizeFallback(prevSmall);
  if (bestIsa) setNativeIsa(bestIsa as "avx2");
  st.setBackend(initial);
});

const OPS: BinaryKernelName[] = ["add", "sub", "mul", "div", "maximum", "minimum"];

function rand(C: Float32ArrayConstructor | Float64ArrayConstructor, n: number, seed: number) {
  const r = rng(seed);
  const a = new C(n);
  for (let i = 0; i < n; i++) a[i] = 2 * r() - 1;
  if (n > 3) a[3] = NaN;
  return a;
}

/** [description, aShape, bShape, which operand is also the output]. */
const CASES: [string, number[], number[], "a" | "b"][] = [
  ["bias add: out [m, n] += b [n] (linear)", [37, 53], [53], "a"],
  ["same shape, out is a", [1000], [1000], "a"],
  ["same shape, out is b", [7, 129], [7, 129], "b"],
  ["scalar b, out is a", [4, 33], [1], "a"],
  ["column broadcast, out is b", [5, 1], [5, 67], "b"],
];

describe.skipIf(!native)("native binary ops in place", () => {
  for (const isa of isas) {
    for (const [dt, C] of FLOAT_DTYPES) {
      it.each(CASES)(`${isa} ${dt}: %s`, (_, aShape, bShape, alias) => {
        setNativeIsa(isa);
        const outShape = aShape.length >= bShape.length && aShape.reduce((x, y) => x * y, 1) >= bShape.reduce((x, y) => x * y, 1) ? aShape : bShape;
        const n = outShape.reduce((x, y) => x * y, 1);
        for (const op of OPS) {
          const a = rand(C, aShape.reduce((x, y) => x * y, 1), 1);
          const b = rand(C, bShape.reduce((x, y) => x * y, 1), 2);
          const want = new C(n);
          jsBackend.kernels.binary![op]!(a, aShape, b, bShape, want, outShape);
          const before = fallbackCalls;
          const out = alias === "a" ? a : b;
          native!.kernels.binary![op]!(a, aShape, b, bShape, out, outShape);
          expect(fallbackCalls, `${op} ran natively`).toBe(before);
          expect(Array.from(out).map(String), op).toEqual(Array.from(want).map(String));
        }
      });
    }
  }

  it("a shifted overlap (out one element after a) is left to the js kernel", () => {
    const buf = new Float32Array(101);
    for (let i = 0; i < 101; i++) buf[i] = i;
    const a = buf.subarray(0, 100);
    const out = buf.subarray(1, 101);
    const b = new Float32Array(100).fill(1);
    const before = fallbackCalls;
    native!.kernels.binary!.add!(a, [100], b, [100], out, [100]);
    expect(fallbackCalls).toBe(before + 1);
  });

  it("st.nn.functional.linear on the native backend equals the js backend", () => {
    const g = new st.Generator(4);
    const x = st.randn([64, 48], { generator: g });
    const w = st.randn([40, 48], { generator: g });
    const bias = st.randn([40], { generator: g });
    st.setBackend("native");
    const yn = st.nn.functional.linear(x, w, bias).dataSync();
    st.setBackend("js");
    const yj = st.nn.functional.linear(x, w, bias).dataSync();
    let maxErr = 0;
    for (let i = 0; i < yj.length; i++) maxErr = Math.max(maxErr, Math.abs(yn[i]! - yj[i]!));
    expect(maxErr).toBeLessThan(1e-4);
  });
});
