// Kernel outputs may come from uninitialised memory (allocateUninitialized; on Node, large
// outputs do). Every kernel given such an output must write all of it. Here the raw allocator
// hands out memory full of NaN bytes for every size, and each op-table row — forward and
// gradients — must give bit-for-bit what it gives on zeroed memory, on the js backend and on the
// native one (tiny inputs included) when the addon is present; the native results must also match
// the js ones (the oracle), so a kernel that writes every element but writes it wrong is caught.

import { afterAll, describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { loadNativeBackend, setNativeSmallSizeFallback } from "../src/backend/native/index.js";
import { nodeRawAllocator } from "../src/backend/native/raw-allocator.js";
import { allocateUninitialized, setRawAllocator } from "../src/core/dtype.js";
import { OP_TABLE } from "./helpers/op-table.js";
import { expectClose } from "./helpers/close.js";
import { requireNative } from "./helpers/require-native.js";

/** Memory of all-ones bits: NaN as float32 and float64, −1 as int32. */
const poisoned = (bytes: number) => {
  const buf = new ArrayBuffer(bytes);
  new Uint8Array(buf).fill(0xff);
  return buf;
};

const outputsOf = (r: Tensor | Tensor[]): Tensor[] => (Array.isArray(r) ? r : [r]);

/** Every output's values and every input's gradient of Σ outputs·seeded weights, as flat arrays. */
function run(fn: (...xs: Tensor[]) => Tensor | Tensor[], inputs: Tensor[]): number[][] {
  const outs = outputsOf(fn(...inputs));
  let s: Tensor | null = null;
  outs.forEach((o, i) => {
    const w = st.arange(o.size, { dtype: o.dtype }).add(i + 1).reshape(o.shape).div(o.size + 1);
    const t = o.mul(w).sum();
    s = s ? s.add(t) : t;
  });
  const diff = inputs.filter((x) => x.requiresGrad);
  const grads = st.autograd.grad(s!, diff, { allowUnused: true });
  return [...outs.map((o) => Array.from(o.dataSync())), ...grads.map((g) => (g ? Array.from(g.dataSync()) : []))];
}

const native = loadNativeBackend();
const backends = native.backend ? ["js", "native"] : ["js"];
if (!native.backend) requireNative("uninitialized-outputs", false, native.reason);

describe("kernels write every element of an uninitialised output", () => {
  if (native.backend) st.registerBackend(native.backend);
  const prevSmall = setNativeSmallSizeFallback(false);
  afterAll(() => {
    setRawAllocator(null);
    setNativeSmallSizeFallback(prevSmall);
    st.setBackend("js");
  });

  it("the poisoned allocator is in effect (the test would catch an unwritten element)", () => {
    setRawAllocator(poisoned);
    const a = allocateUninitialized("float32", 4);
    setRawAllocator(null);
    expect(Array.from(a).every(Number.isNaN)).toBe(true);
  });

  for (const backend of backends) {
    describe(backend, () => {
      for (const row of OP_TABLE) {
        it(row.name, () => {
          st.setBackend(backend);
          setRawAllocator(null);
          const clean = run(row.fn, row.inputs());
          setRawAllocator(poisoned);
          const dirty = run(row.fn, row.inputs());
          setRawAllocator(null);
          expect(dirty).toEqual(clean);
          if (backend !== "js") {
            // and native agrees with js (float64 rows: only the summation order may differ)
            st.setBackend("js");
            const oracle = run(row.fn, row.inputs());
            st.setBackend(backend);
            expect(clean.length).toBe(oracle.length);
            clean.forEach((v, i) => expectClose(v, oracle[i]!, { rtol: 1e-12, atol: 1e-12, message: `${backend} vs js, output/gradient ${i}` }));
          }
        });
      }
    });
  }

  it("Node's allocator: uninitialised memory from 64 KiB, zeroed (null) below", () => {
    expect(nodeRawAllocator(1000)).toBeNull();
    const big = nodeRawAllocator(1 << 16);
    expect(big).toBeInstanceOf(ArrayBuffer);
    expect(big!.byteLength).toBe(1 << 16);
  });
});
