// Reuse of dead gradient buffers (core/buffer-pool.ts, autograd/grad-memory.ts). Every buffer
// given back is filled with all-ones bits (NaN as float) at once, so a buffer given back while
// something still reads it shows up as NaN or as a wrong value; each model's gradients with the
// pool must equal, bit for bit, those without it, over several steps (so buffers are reused), on
// the js backend and the native one. Tensors are large enough to be pooled (≥ 64 KiB).

import { afterAll, beforeEach, describe, expect, it } from "vitest";
import * as st from "../src/node.js";
import type { Tensor } from "../src/index.js";
import { POOL_MIN_BYTES, setGiveHook } from "../src/core/buffer-pool.js";
import { expectClose } from "./helpers/close.js";

const F = st.nn.functional;
const poison = (b: ArrayBuffer) => new Uint8Array(b).fill(0xff);
const backends = st.backendInfo().native.loaded ? ["js", "native"] : ["js"];
const initial = st.getBackend();

afterAll(() => {
  setGiveHook(null);
  st.setBufferPoolLimit(256 * 2 ** 20);
  st.setBackend(initial);
});
beforeEach(() => {
  setGiveHook(poison);
  st.setBufferPoolLimit(256 * 2 ** 20);
});

type Model = { params: Tensor[]; loss: () => Tensor };

/** "equal" or where the first difference is (a failing toEqual on 100k numbers takes minutes to diff). */
function compare(got: number[][], want: number[][]): string {
  if (got.length !== want.length) return `${got.length} arrays, expected ${want.length}`;
  for (let i = 0; i < got.length; i++) {
    const a = got[i]!, b = want[i]!;
    if (a.length !== b.length) return `array ${i}: length ${a.length}, expected ${b.length}`;
    for (let j = 0; j < a.length; j++) {
      if (!Object.is(a[j], b[j])) return `array ${i}[${j}]: ${a[j]}, expected ${b[j]}`;
    }
  }
  return "equal";
}

/** Models whose every activation and gradient is at least 64 KiB. */
const MODELS: Record<string, () => Model> = {
  mlp() {
    const g = new st.Generator(1);
    const x = st.randn([256, 200], { generator: g });
    const y = st.randint(0, 10, [256], { generator: g });
    const l1 = new st.nn.Linear(200, 128, { generator: g });
    const l2 = new st.nn.Linear(128, 10, { generator: g });
    return { params: [...l1.parameters(), ...l2.parameters()], loss: () => F.crossEntropy(l2.call(st.relu(l1.call(x))), y) };
  },
  attention() {
    const g = new st.Generator(2);
    const B = 4, S = 64, D = 96, H = 3;
    const x = st.randn([B, S, D], { generator: g, requiresGrad: true });
    const w = st.randn([3 * D, D], { generator: g }).mul(0.1).requiresGrad_();
    const gamma = st.ones([D]).requiresGrad_();
    return {
      params: [x, w, gamma],
      loss: () => {
        const [q, k, v] = F.linear(F.layerNorm(x, [D], gamma), w).chunk(3, -1).map((t) => t.reshape([B, S, H, D / H]).permute([0, 2, 1, 3]));
        const p = st.softmax(q!.matmul(k!.transpose(-1, -2)).div(Math.sqrt(D / H)), -1);
        const o = p.matmul(v!).permute([0, 2, 1, 3]).reshape([B, S, D]);
        return o.add(x).square().mean();
      },
    };
  },
  // the layers' scratch memory (nn/scratch.ts): intermediates given back during forward and backward
  encoderPostNormRelu: () => transformerModel("encoder", { normFirst: false, activation: "relu", dropout: 0 }),
  encoderPreNormGeluDropout: () => transformerModel("encoder", { normFirst: true, activation: "gelu", dropout: 0.2 }),
  decoderPostNormDropout: () => transformerModel("decoder", { normFirst: false, activation: "relu", dropout: 0.1 }),
  decoderPreNormSeqFirstMasks: () => transformerModel("decoder", { normFirst: true, activation: "gelu", dropout: 0, batchFirst: false }),
  transformerStacks() {
    // 2+2 layers with final norms: the tensors between the layers of each stack are scratch too
    const g = new st.Generator(9);
    const src = st.randn([4, 32, 128], { generator: g, requiresGrad: true });
    const tgt = st.randn([4, 24, 128], { generator: g, requiresGrad: true });
    const model = new st.nn.Transformer({ dModel: 128, nhead: 4, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 256, dropout: 0.1, batchFirst: true, generator: g });
    const mask = st.nn.generateSquareSubsequentMask(24);
    return {
      params: [src, tgt, ...model.parameters()],
      loss: () => { st.manualSeed(13); return model.call(src, tgt, { tgtMask: mask }).square().mean(); },
    };
  },
  mhaWeightsBiasKvKdim() {
    // the unfused path (weights formed and returned), biasK/biasV appended, separate projections
    const g = new st.Generator(8);
    const q = st.randn([4, 32, 128], { generator: g, requiresGrad: true });
    const kv = st.randn([4, 40, 96], { generator: g, requiresGrad: true });
    const mha = new st.nn.MultiheadAttention(128, 4, { batchFirst: true, addBiasKv: true, kdim: 96, vdim: 96, dropout: 0.1, generator: g });
    return {
      params: [q, kv, ...mha.parameters()],
      loss: () => {
        st.manualSeed(12);
        const [o, w] = mha.call(q, kv, kv, { needWeights: true, averageAttnWeights: false });
        return o.square().mean().add(w!.square().mean());
      },
    };
  },
  broadcastAndReuse() {
    // one input used by many ops (gradient sums), broadcasting (bias-like reductions), views
    const g = new st.Generator(3);
    const a = st.randn([128, 256], { generator: g, requiresGrad: true });
    const b = st.randn([256], { generator: g, requiresGrad: true });
    const c = st.randn([128, 1], { generator: g, requiresGrad: true });
    return {
      params: [a, b, c],
      loss: () => {
        const h = a.add(b).mul(c).tanh();
        const k = st.cat([h, a.mul(2)], 0).reshape([512, 128]);
        return st.where(k.gt(0), k, k.mul(0.1)).sum().add(a.mul(h).mean()).add(st.maximum(a, h.mul(c)).sum());
      },
    };
  },
};

/**
 * A Transformer layer in training mode (dropout masks from a seeded generator, so that two runs
 * draw the same ones) whose intermediates are ≥ 64 KiB: batch 4, sequence 32, dModel 128, FF 256.
 */
function transformerModel(kind: "encoder" | "decoder", o: { normFirst: boolean; activation: "relu" | "gelu"; dropout: number; batchFirst?: boolean }): Model {
  const g = new st.Generator(7);
  const bf = o.batchFirst ?? true;
  const shape = bf ? [4, 32, 128] : [32, 4, 128];
  const x = st.randn(shape, { generator: g, requiresGrad: true });
  const mem = st.randn(shape, { generator: g, requiresGrad: true });
  const opts = { dimFeedforward: 256, dropout: o.dropout, activation: o.activation, normFirst: o.normFirst, batchFirst: bf, generator: g };
  const causal = st.nn.generateSquareSubsequentMask(32);
  const pad = st.nn.paddingMask([32, 20, 32, 9]);
  if (kind === "encoder") {
    const layer = new st.nn.TransformerEncoderLayer(128, 4, opts);
    return { params: [x, ...layer.parameters()], loss: () => { st.manualSeed(11); return layer.call(x, { srcKeyPaddingMask: pad }).square().mean(); } };
  }
  const layer = new st.nn.TransformerDecoderLayer(128, 4, opts);
  return {
    params: [x, mem, ...layer.parameters()],
    loss: () => { st.manualSeed(11); return layer.call(x, mem, { tgtMask: causal, memoryKeyPaddingMask: pad }).square().mean(); },
  };
}

function grads(m: Model, steps: number): number[][] {
  const out: number[][] = [];
  for (let s = 0; s < steps; s++) {
    for (const p of m.params) p.grad = null;
    m.loss().backward();
    out.push(...m.params.map((p) => Array.from(p.grad!.dataSync())));
  }
  return out;
}

describe.each(backends)("gradient buffer reuse on %s", (backend) => {
  for (const [name, make] of Object.entries(MODELS)) {
    it(`${name}: gradients with reuse (and poisoned buffers given back) equal those without, bit for bit`, () => {
      st.setBackend(backend);
      st.setBufferPoolLimit(0);
      const ref = grads(make(), 3);
      st.setBufferPoolLimit(256 * 2 ** 20);
      const before = st.bufferPoolInfo();
      const got = grads(make(), 3);
      const after = st.bufferPoolInfo();
      expect(after.returned).toBeGreaterThan(before.returned); // the pool was in play
      expect(after.reused).toBeGreaterThan(before.reused);
      expect(compare(got, ref)).toBe("equal");
    });
  }

  it("gradients that escape — .grad, retained, captured by grad(), seen or made by hooks — are never reused", () => {
    st.setBackend(backend);
    const g = new st.Generator(4);
    const x = st.randn([128, 256], { generator: g, requiresGrad: true });
    const h = x.mul(3);
    h.retainGrad();
    const seen: Tensor[] = [];
    const made: Tensor[] = [];
    const h2 = h.tanh();
    h2.registerHook((gr) => {
      seen.push(gr);
      made.push(gr.mul(2)); // user allocation inside a hook
    });
    const loss = h2.mul(h2).sum();
    loss.backward(undefined, { retainGraph: true });
    const snap = (ts: Tensor[]) => ts.map((t) => Array.from(t.dataSync()));
    const kept = [x.grad!, h.grad!, ...seen, ...made];
    const expected = snap(kept);
    const [captured] = st.autograd.grad(loss, [h], { retainGraph: true });
    const capturedVals = snap([captured!]);
    // more passes: any of those buffers given back would now be poisoned or overwritten
    x.grad = null;
    for (let i = 0; i < 3; i++) h2.mul(h).sum().backward(undefined, { retainGraph: true });
    expect(st.bufferPoolInfo().reused).toBeGreaterThan(0);
    expect(compare(snap(kept), expected)).toBe("equal");
    expect(compare(snap([captured!]), capturedVals)).toBe("equal");
    expect(expected.flat().every(Number.isFinite)).toBe(true);
  });

  it("createGraph gradients are graph nodes: nothing is given back", () => {
    st.setBackend(backend);
    const x = st.randn([128, 256], { generator: new st.Generator(5), requiresGrad: true });
    const before = st.bufferPoolInfo().returned;
    const [gx] = st.autograd.grad(x.tanh().square().sum(), [x], { createGraph: true });
    expect(st.bufferPoolInfo().returned).toBe(before);
    const [ggx] = st.autograd.grad(gx!.sum(), [x]);
    // d/dx of d/dx tanh²(x) = 2(1 − t²)(1 − 3t²) with t = tanh x, elementwise (float64 reference)
    const xs = x.dataSync();
    const want = Array.from(xs, (v) => {
      const t = Math.tanh(v);
      return 2 * (1 - t * t) * (1 - 3 * t * t);
    });
    expectClose(ggx!, want, { rtol: 1e-5, atol: 1e-6, checkShape: false });
  });
});

describe("buffer pool limits", () => {
  it("a limit of 0 turns reuse off; only buffers of at least POOL_MIN_BYTES are pooled", () => {
    st.setBufferPoolLimit(0);
    const r0 = st.bufferPoolInfo().returned;
    const x = st.randn([128, 256], { requiresGrad: true });
    x.tanh().sum().backward();
    expect(st.bufferPoolInfo()).toMatchObject({ pooledBytes: 0, limitBytes: 0, returned: r0 });
    st.setBufferPoolLimit(1 << 30);
    const small = st.randn([8, 8], { requiresGrad: true }); // 256 bytes: V8's heap, not pooled
    small.tanh().sum().backward();
    expect(st.bufferPoolInfo().returned).toBe(r0);
    expect(8 * 8 * 4).toBeLessThan(POOL_MIN_BYTES);
  });

  it("rejects a negative or NaN limit with the library's ValueError", () => {
    expect(() => st.setBufferPoolLimit(-1)).toThrow(st.ValueError);
    expect(() => st.setBufferPoolLimit(-1)).toThrow(/setBufferPoolLimit: expected a byte count >= 0, got -1/);
    expect(() => st.setBufferPoolLimit(NaN)).toThrow(st.ValueError);
  });
});
