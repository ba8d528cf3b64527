// MultiheadAttention behaviour beyond the PyTorch fixtures: parameters, keys and init as PyTorch,
// the weights path and the fused path agree, isCausal equals the look-ahead mask, unbatched input,
// fully masked rows give zeros (not NaN), float64 gradchecks with masks, and argument errors that
// name the module and the expected shape.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { expectClose } from "./helpers/close.js";
import { expectError } from "./helpers/expect-error.js";

const f64 = (shape: number[], seed: number, requiresGrad = false) =>
  st.randn(shape, { dtype: "float64", generator: new st.Generator(seed) }).requiresGrad_(requiresGrad);

describe("MultiheadAttention: parameters and init as PyTorch", () => {
  it("packed in_proj when kdim = vdim = embedDim; state-dict keys in PyTorch's order", () => {
    const m = new st.nn.MultiheadAttention(8, 2);
    expect(Object.keys(m.stateDict())).toEqual(["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"]);
    expect(m.inProjWeight!.shape).toEqual([24, 8]);
    expect(m.headDim).toBe(4);
    // zero biases; xavier-uniform bound √(6 / (fan_in + fan_out)) = √(6 / 32)
    expect(m.inProjBias!.abs().max().item()).toBe(0);
    expect(m.outProj.bias!.abs().max().item()).toBe(0);
    const w = m.inProjWeight!;
    expect(w.abs().max().item()).toBeLessThanOrEqual(Math.sqrt(6 / 32));
    expect(w.abs().max().item()).toBeGreaterThan(0.5 * Math.sqrt(6 / 32));
  });

  it("separate q/k/v projections when kdim or vdim differ; bias_k/bias_v with addBiasKv; no biases with bias false", () => {
    const m = new st.nn.MultiheadAttention(8, 4, { kdim: 6, vdim: 3, addBiasKv: true, bias: false });
    expect(Object.keys(m.stateDict())).toEqual(["q_proj_weight", "k_proj_weight", "v_proj_weight", "bias_k", "bias_v", "out_proj.weight"]);
    expect(m.kProjWeight!.shape).toEqual([8, 6]);
    expect(m.vProjWeight!.shape).toEqual([8, 3]);
    expect(m.biasK!.shape).toEqual([1, 1, 8]);
    expect(m.inProjWeight).toBeNull();
  });

  it("rejects embedDim not divisible by numHeads, naming both", () => {
    expectError(() => new st.nn.MultiheadAttention(10, 3), st.ValueError, "MultiheadAttention", "embedDim (10)", "numHeads (3)");
  });
});

describe("MultiheadAttention: forward", () => {
  const m = new st.nn.MultiheadAttention(8, 2, { dtype: "float64", generator: new st.Generator(1) });
  const x = f64([5, 2, 8], 2), mem = f64([7, 2, 8], 3);

  it("the weights path (needWeights) and the fused path give one output; weights rows sum to 1", () => {
    const kpm = st.nn.paddingMask([7, 4]);
    const [a, w] = m.call(x, mem, mem, { keyPaddingMask: kpm });
    const [b, none] = m.call(x, mem, mem, { keyPaddingMask: kpm, needWeights: false });
    expect(none).toBeNull();
    expectClose(a, b);
    expect(w!.shape).toEqual([2, 5, 7]);
    expectClose(w!.sum(-1), st.ones([2, 5], { dtype: "float64" }));
    // padded keys get no weight
    expect(w!.index(1).slice(null, [4, 7]).abs().max().item()).toBe(0);
    const [, perHead] = m.call(x, mem, mem, { averageAttnWeights: false });
    expect(perHead!.shape).toEqual([2, 2, 5, 7]);
  });

  it("isCausal equals the look-ahead mask, bool or additive, with and without weights", () => {
    const mask = st.nn.generateSquareSubsequentMask(5);
    const [ref] = m.call(x, x, x, { attnMask: mask });
    const additive = st.where(mask, 0, -Infinity);
    expectClose(m.call(x, x, x, { attnMask: additive })[0], ref);
    expectClose(m.call(x, x, x, { isCausal: true })[0], ref);
    expectClose(m.call(x, x, x, { isCausal: true, needWeights: false })[0], ref);
  });

  it("a PyTorch key_padding_mask converts with fromTorchKeyPaddingMask", () => {
    const torchMask = st.tensor([[false, false, false, false, false, false, true], [false, false, true, true, true, true, true]]);
    const ours = st.nn.fromTorchKeyPaddingMask(torchMask);
    expect(ours.toArray()).toEqual(st.nn.paddingMask([6, 2], { maxLen: 7 }).toArray());
  });

  it("batchFirst input is the transposed sequence-first input", () => {
    const bf = new st.nn.MultiheadAttention(8, 2, { dtype: "float64", batchFirst: true });
    bf.loadStateDict(m.stateDict());
    const [y] = bf.call(x.transpose(0, 1), mem.transpose(0, 1), mem.transpose(0, 1));
    expectClose(y, m.call(x, mem, mem)[0].transpose(0, 1));
  });

  it("unbatched [L, E] input gives the batch-of-one result", () => {
    const x1 = x.index(null, 0); // [5, 8]
    const [y, w] = m.call(x1, x1, x1, { keyPaddingMask: st.tensor([true, true, true, true, false]) });
    const [y3, w3] = m.call(x1.unsqueeze(1), x1.unsqueeze(1), x1.unsqueeze(1), { keyPaddingMask: st.tensor([[true, true, true, true, false]]) });
    expect(y.shape).toEqual([5, 8]);
    expectClose(y, y3.squeeze(1));
    expectClose(w!, w3!.squeeze(0));
  });

  it("a query whose keys are all masked gets a zero attention output and finite gradients", () => {
    const q = f64([3, 1, 8], 4, true);
    const mask = st.tensor([[true, false], [false, false], [true, true]]); // query 1 sees nothing
    const k = f64([2, 1, 8], 5);
    for (const needWeights of [true, false]) {
      const [y, w] = m.call(q, k, k, { attnMask: mask, needWeights });
      expect(y.isNaN().sum().item()).toBe(0);
      // the attention output of query 1 is 0, so the layer output is out_proj's bias (zero here)
      expectClose(y.index(1), st.zeros([1, 8], { dtype: "float64" }));
      if (w) expect(w.index(0, 1).abs().sum().item()).toBe(0);
      q.grad = null;
      y.sum().backward();
      expect(q.grad!.isNaN().sum().item()).toBe(0);
      expect(q.grad!.index(1).abs().sum().item()).toBe(0);
    }
  });

  it("a sequence of length 1 and a batch of one: the output is out_proj(v-projection) of the one key", () => {
    const q = f64([1, 1, 8], 20), kv = f64([1, 1, 8], 21);
    for (const needWeights of [true, false]) {
      const [y, w] = m.call(q, kv, kv, { needWeights, isCausal: true });
      const vProj = st.nn.functional.linear(kv, m.inProjWeight!.slice(16, 24), m.inProjBias!.slice(16, 24));
      expectClose(y, m.outProj.call(vProj));
      if (w) expect(w.toArray()).toEqual([[[1]]]);
    }
  });

  it("scores of ±1e4 stay finite (the softmax is shifted), with and without weights", () => {
    const big = new st.nn.MultiheadAttention(4, 1, { dtype: "float64", bias: false });
    const i4 = st.eye(4, 4, { dtype: "float64" });
    st.noGrad(() => big.inProjWeight!.copy_(st.cat([i4, i4, i4]).mul(100))); // q = k = v = 100·x
    const x = st.tensor([[[1, 0, 0, 0]], [[-1, 0, 0, 0]]], { dtype: "float64" }); // scores q·k/√4 = ±5000
    for (const needWeights of [true, false]) {
      const [y] = big.call(x, x, x, { needWeights });
      expect(y.isFinite().logicalNot().sum().item()).toBe(0);
      // each query attends to itself with weight 1 − e^(−10000): the output is out_proj(100·x)
      expectClose(y, big.outProj.call(x.mul(100)));
    }
  });

  it("bad masks and inputs raise errors naming the module and the expected shape", () => {
    expectError(() => m.call(x, mem, mem, { attnMask: st.ones([5, 5], { dtype: "bool" }) }), st.ShapeError,
      "MultiheadAttention(embed_dim=8, num_heads=2)", "attnMask", "[5, 5]", "[5, 7] or [4, 5, 7]");
    expectError(() => m.call(x, mem, mem, { keyPaddingMask: st.ones([2, 5], { dtype: "bool" }) }), st.ShapeError,
      "keyPaddingMask", "[2, 5]", "expected [2, 7]");
    expectError(() => m.call(x, mem, mem, { keyPaddingMask: st.ones([2, 7], { dtype: "int32" }) }), st.DTypeError,
      "keyPaddingMask", "int32", "[2, 7]");
    expectError(() => m.call(x, f64([7, 2, 6], 1), mem), st.ShapeError, "key", "[·, B, 8]", "[7, 2, 6]");
    expectError(() => m.call(x, f64([7, 3, 8], 1), f64([7, 3, 8], 1)), st.ShapeError, "one batch size");
    expectError(() => m.call(f64([8], 1), mem, mem), st.ShapeError, "query", "[L, B, E]", "[8]");
    expectError(() => m.call([[1]] as never, mem, mem), st.DTypeError, "query (argument 1) must be a Tensor");
  });
});

describe("MultiheadAttention: float64 gradchecks with masks", () => {
  it("self-attention with a causal mask and key padding: inputs and every parameter", () => {
    const m = new st.nn.MultiheadAttention(4, 2, { dtype: "float64", generator: new st.Generator(7) });
    st.noGrad(() => m.inProjBias!.copy_(f64([12], 8)));
    const x = f64([3, 2, 4], 9, true);
    const kpm = st.nn.paddingMask([3, 2]);
    const r = st.gradcheck(() => m.call(x, x, x, { isCausal: true, keyPaddingMask: kpm, needWeights: false })[0], [x, ...m.parameters()], { projections: 1 });
    expect(r.ok, r.message).toBe(true);
  });

  it("cross-attention with an additive mask, kdim ≠ embedDim and bias_k/bias_v; weights are differentiable too", () => {
    const m = new st.nn.MultiheadAttention(4, 2, { dtype: "float64", kdim: 3, vdim: 5, addBiasKv: true, generator: new st.Generator(10) });
    const q = f64([2, 2, 4], 11, true), k = f64([3, 2, 3], 12, true), v = f64([3, 2, 5], 13, true);
    const mask = f64([2, 3], 14);
    const r = st.gradcheck((q, k, v) => {
      const [y, w] = m.call(q!, k!, v!, { attnMask: mask });
      return y.sum().add(w!.mul(w!).sum());
    }, [q, k, v, ...m.parameters()], { projections: 1 });
    expect(r.ok, r.message).toBe(true);
  });
});
