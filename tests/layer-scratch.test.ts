// The Transformer layers' scratch memory (nn/scratch.ts): intermediates that never leave a layer go
// back to the buffer pool once autograd is done with them, so a training step takes almost no fresh
// memory; anything a user can reach — the layer's output, what a forward hook or a custom
// activation kept, a graph kept for a second backward — is never given back. Buffers given back
// are poisoned (all bits set, NaN as float), so a reuse too early shows up as a changed value.
// tests/buffer-pool.test.ts checks the gradients bit for bit against a run without the pool.

import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import * as st from "../src/node.js";
import type { Tensor } from "../src/index.js";
import { POOL_MIN_BYTES, setGiveHook } from "../src/core/buffer-pool.js";
import { type RawAllocator, setRawAllocator } from "../src/core/dtype.js";
import { nodeRawAllocator } from "../src/backend/native/raw-allocator.js";

const poison = (b: ArrayBuffer) => new Uint8Array(b).fill(0xff);
beforeEach(() => setGiveHook(poison));
afterEach(() => setRawAllocator(nodeRawAllocator));
afterAll(() => setGiveHook(null));

/** Batch 4, sequence 32, dModel 128, FF 512: every intermediate is at least 64 KiB. */
function encoder(opts: Record<string, unknown> = {}) {
  const layer = new st.nn.TransformerEncoderLayer(128, 4, { dimFeedforward: 512, dropout: 0, batchFirst: true, generator: new st.Generator(1), ...opts });
  const x = st.randn([4, 32, 128], { generator: new st.Generator(2) });
  const step = () => {
    for (const p of layer.parameters()) p.grad = null;
    const out = layer.call(x);
    out.square().mean().backward();
    return out;
  };
  return { layer, x, step };
}

/** Counts the buffers of at least POOL_MIN_BYTES that `f` takes from the system rather than the pool. */
function freshBuffers(f: () => void): number {
  let n = 0;
  const counting: RawAllocator = (bytes) => {
    if (bytes >= POOL_MIN_BYTES) n++;
    return nodeRawAllocator(bytes);
  };
  setRawAllocator(counting);
  try {
    f();
  } finally {
    setRawAllocator(nodeRawAllocator);
  }
  return n;
}

const values = (t: Tensor) => Array.from(t.dataSync());

describe("Transformer layers' scratch memory", () => {
  it("a training step in steady state takes only the memory that leaves it: the output and the weight gradients", () => {
    const { step } = encoder();
    for (let i = 0; i < 3; i++) step();
    const fresh = freshBuffers(step);
    // the output [4,32,128] and the .grad of the four weight matrices; the activations and the
    // other gradients come from the pool
    expect(fresh).toBeLessThanOrEqual(6);
    // the same step with a forward hook registered keeps every intermediate out of the pool
    const { layer, step: hooked } = encoder();
    const remove = layer.norm2.registerForwardHook(() => {});
    for (let i = 0; i < 3; i++) hooked();
    const freshHooked = freshBuffers(hooked);
    remove();
    expect(freshHooked).toBeGreaterThanOrEqual(fresh + 6);
  });

  it("the output a user keeps is never given back", () => {
    const { layer, x, step } = encoder();
    const out = step();
    const kept = values(out);
    for (let i = 0; i < 3; i++) step();
    expect(values(out)).toEqual(kept);
    expect(values(st.noGrad(() => layer.call(x)))).toEqual(kept); // no optimizer: the weights did not change
    expect(kept.every(Number.isFinite)).toBe(true);
  });

  it("what a forward hook or a custom activation keeps is never given back", () => {
    const seen: Tensor[] = [];
    const stash: Tensor[] = [];
    const { layer, step } = encoder({ activation: (h: Tensor) => { stash.push(h); return st.relu(h); } });
    layer.linear1.registerForwardHook((_m, _a, out) => { seen.push(out as Tensor); });
    step();
    const snapSeen = values(seen[0]!), snapStash = values(stash[0]!);
    for (let i = 0; i < 3; i++) step();
    expect(values(seen[0]!)).toEqual(snapSeen);
    expect(values(stash[0]!)).toEqual(snapStash);
    expect(snapSeen.every(Number.isFinite)).toBe(true);
  });

  it("in a stack, what a LayerNorm subclass (user code) is given as the final norm is never given back", () => {
    const kept: Tensor[] = [];
    class KeepingNorm extends st.nn.LayerNorm {
      override forward(x: Tensor): Tensor {
        kept.push(x); // the last layer's output
        return super.forward(x);
      }
    }
    const layer = new st.nn.TransformerEncoderLayer(128, 4, { dimFeedforward: 512, dropout: 0, batchFirst: true, generator: new st.Generator(3) });
    const stack = new st.nn.TransformerEncoder(layer, 3, { norm: new KeepingNorm(128) });
    const x = st.randn([4, 32, 128], { generator: new st.Generator(4) });
    const step = () => stack.call(x).square().mean().backward();
    step();
    const snap = values(kept[0]!);
    for (let i = 0; i < 3; i++) step();
    expect(values(kept[0]!)).toEqual(snap);
    expect(snap.every(Number.isFinite)).toBe(true);
  });

  it("what a module swapped into the layer (user code) makes or is given is never given back", () => {
    const made: Tensor[] = [];
    const given: Tensor[] = [];
    class Keeping extends st.nn.Linear {
      override forward(x: Tensor): Tensor {
        given.push(x);
        const y = super.forward(x);
        made.push(y);
        return y;
      }
    }
    const { layer, step } = encoder();
    layer.linear1 = new Keeping(128, 512, { generator: new st.Generator(5) });
    step();
    const snap = [values(given[0]!), values(made[0]!)];
    for (let i = 0; i < 3; i++) step();
    expect([values(given[0]!), values(made[0]!)]).toEqual(snap);
    expect(snap.flat().every(Number.isFinite)).toBe(true);
  });

  it("a graph kept with retainGraph gives the same gradients on a second backward", () => {
    const { layer, x } = encoder();
    const loss = layer.call(x).square().mean();
    loss.backward(undefined, { retainGraph: true });
    const first = layer.parameters().map((p) => values(p.grad!));
    for (const p of layer.parameters()) p.grad = null;
    // another step in between would take any buffer given back too early
    layer.call(x).square().mean().backward();
    for (const p of layer.parameters()) p.grad = null;
    loss.backward();
    expect(layer.parameters().map((p) => values(p.grad!))).toEqual(first);
  });

  it("inference (noGrad, eval) reuses the intermediates at once and gives the training-mode output", () => {
    const { layer, x } = encoder();
    const want = values(layer.call(x));
    layer.eval();
    const before = st.bufferPoolInfo().returned;
    const got = st.noGrad(() => layer.call(x));
    expect(st.bufferPoolInfo().returned).toBeGreaterThan(before);
    expect(values(got)).toEqual(want);
  });
});
