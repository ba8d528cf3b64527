// Transformer layers, stacks and masks helpers beyond the PyTorch fixtures: PyTorch's keys and
// defaults, stacks of equal but independent copies, xavier init of nn.Transformer, dropout only in
// training, float64 gradchecks of one encoder and one decoder layer (inputs and every parameter)
// with masks, the mask helpers' exact values, and argument errors naming the module.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { expectClose } from "./helpers/close.js";
import { expectError } from "./helpers/expect-error.js";

const f64 = (shape: number[], seed: number, requiresGrad = false) =>
  st.randn(shape, { dtype: "float64", generator: new st.Generator(seed) }).requiresGrad_(requiresGrad);

describe("masks helpers (true = attend)", () => {
  it("generateSquareSubsequentMask is the bool lower triangle", () => {
    expect(st.nn.generateSquareSubsequentMask(3).toArray()).toEqual([[true, false, false], [true, true, false], [true, true, true]]);
    expect(st.nn.Transformer.generateSquareSubsequentMask(2).toArray()).toEqual([[true, false], [true, true]]);
    expect(st.nn.generateSquareSubsequentMask(0).shape).toEqual([0, 0]);
  });

  it("paddingMask from lengths (array or int32 tensor, maxLen) and from tokens with padToken", () => {
    expect(st.nn.paddingMask([3, 1]).toArray()).toEqual([[true, true, true], [true, false, false]]);
    expect(st.nn.paddingMask(st.tensor([0, 2], { dtype: "int32" }), { maxLen: 3 }).toArray()).toEqual([[false, false, false], [true, true, false]]);
    const tokens = st.tensor([[5, 7, 0], [4, 0, 0]], { dtype: "int32" });
    expect(st.nn.paddingMask(tokens, { padToken: 0 }).toArray()).toEqual([[true, true, false], [true, false, false]]);
    expectError(() => st.nn.paddingMask([4, 1], { maxLen: 3 }), st.ValueError, "paddingMask", "exceeds maxLen (3)");
    expectError(() => st.nn.paddingMask(tokens), st.ShapeError, "paddingMask", "1-D", "padToken");
    expectError(() => st.nn.paddingMask([1.5]), st.ValueError, "non-negative integers", "1.5");
  });

  it("fromTorchKeyPaddingMask negates bool masks and keeps additive ones", () => {
    expect(st.nn.fromTorchKeyPaddingMask(st.tensor([[false, true]])).toArray()).toEqual([[true, false]]);
    const add = st.tensor([[0, -Infinity]]);
    expect(st.nn.fromTorchKeyPaddingMask(add)).toBe(add);
    expectError(() => st.nn.fromTorchKeyPaddingMask(st.tensor([[1]], { dtype: "int32" })), st.DTypeError, "fromTorchKeyPaddingMask", "int32");
  });
});

describe("Transformer layers and stacks", () => {
  it("PyTorch's keys and defaults (post-norm, ff 2048, dropout 0.1, eps 1e-5, sequence-first)", () => {
    const enc = new st.nn.TransformerEncoderLayer(8, 2);
    expect(Object.keys(enc.stateDict())).toEqual([
      "self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
      "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias",
    ]);
    expect(enc.linear1.outFeatures).toBe(2048);
    expect(enc.dropout.p).toBe(0.1);
    expect(enc.norm1.eps).toBe(1e-5);
    expect(enc.normFirst).toBe(false);
    expect(enc.selfAttn.batchFirst).toBe(false);
    const dec = new st.nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 16 });
    expect(Object.keys(dec.stateDict()).filter((k) => k.startsWith("multihead_attn.") || k.startsWith("norm3."))).toEqual([
      "multihead_attn.in_proj_weight", "multihead_attn.in_proj_bias", "multihead_attn.out_proj.weight", "multihead_attn.out_proj.bias",
      "norm3.weight", "norm3.bias",
    ]);
  });

  it("a stack holds equal but independent copies of its layer", () => {
    const layer = new st.nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16 });
    const enc = new st.nn.TransformerEncoder(layer, 3, { norm: new st.nn.LayerNorm(8) });
    const keys = Object.keys(enc.stateDict());
    expect(keys.filter((k) => k.endsWith("linear1.weight"))).toEqual(["layers.0.linear1.weight", "layers.1.linear1.weight", "layers.2.linear1.weight"]);
    expect(keys.slice(-2)).toEqual(["norm.weight", "norm.bias"]);
    const sd = enc.stateDict();
    expectClose(sd["layers.2.linear1.weight"]!, layer.linear1.weight, { rtol: 0, atol: 0 });
    st.noGrad(() => enc.layers.at<st.nn.TransformerEncoderLayer>(0).linear1.weight.fill_(0));
    expect(enc.stateDict()["layers.1.linear1.weight"]!.abs().sum().item()).toBeGreaterThan(0);
    expect(layer.linear1.weight.abs().sum().item()).toBeGreaterThan(0);
  });

  it("nn.Transformer: options object, encoder.norm/decoder.norm, xavier-uniform matrices", () => {
    const t = new st.nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 2, numDecoderLayers: 1, dimFeedforward: 16 });
    const keys = Object.keys(t.stateDict());
    expect(keys).toContain("encoder.layers.1.self_attn.in_proj_weight");
    expect(keys).toContain("decoder.layers.0.multihead_attn.out_proj.weight");
    expect(keys).not.toContain("decoder.layers.1.norm1.weight");
    expect(keys.filter((k) => /^(en|de)coder\.norm\./.test(k))).toEqual(["encoder.norm.weight", "encoder.norm.bias", "decoder.norm.weight", "decoder.norm.bias"]);
    // linear1 [16, 8]: xavier bound √(6/24) = 0.5 (the Linear default would be 1/√8 ≈ 0.354)
    const w = t.stateDict()["encoder.layers.0.linear1.weight"]!;
    expect(w.abs().max().item()).toBeLessThanOrEqual(0.5);
    expect(w.abs().max().item()).toBeGreaterThan(0.36);
  });

  it("dropout acts in training mode only", () => {
    const layer = new st.nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0.5 });
    const x = st.randn([4, 2, 8]);
    layer.eval();
    expectClose(layer.call(x), layer.call(x), { rtol: 0, atol: 0 });
    layer.train();
    expect(layer.call(x).sub(layer.call(x)).abs().max().item()).toBeGreaterThan(1e-3);
  });

  it("activation: gelu string, a function and a module give the same result", () => {
    const a = new st.nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, activation: "gelu" }).eval();
    const b = new st.nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, activation: (x) => st.nn.functional.gelu(x) }).eval();
    const c = new st.nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, activation: new st.nn.GELU() }).eval();
    b.loadStateDict(a.stateDict());
    c.loadStateDict(a.stateDict());
    const x = st.randn([3, 2, 8]);
    expectClose(b.call(x), a.call(x));
    expectClose(c.call(x), a.call(x));
  });

  it("isCausal equals srcMask = the look-ahead mask; tgtIsCausal equals tgtMask", () => {
    const enc = new st.nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true }).eval();
    const x = st.randn([2, 5, 8]);
    expectClose(enc.call(x, { isCausal: true }), enc.call(x, { srcMask: st.nn.generateSquareSubsequentMask(5) }));
    const dec = new st.nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true }).eval();
    const mem = st.randn([2, 3, 8]);
    expectClose(dec.call(x, mem, { tgtIsCausal: true }), dec.call(x, mem, { tgtMask: st.nn.generateSquareSubsequentMask(5) }));
  });

  it("errors name the module and what was expected", () => {
    expectError(() => new st.nn.TransformerEncoderLayer(10, 3), st.ValueError, "TransformerEncoderLayer", "dModel (10)", "nhead (3)");
    expectError(() => new st.nn.TransformerDecoderLayer(8, 2, { activation: "swish" as never }), st.ValueError, "TransformerDecoderLayer", "activation", "swish");
    const enc = new st.nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16 });
    expectError(() => enc.call(st.randn([5, 2, 6])), st.ShapeError, "TransformerEncoderLayer(d_model=8, nhead=2)", "[L, B, 8]", "[5, 2, 6]");
    expectError(() => enc.call(st.randn([5, 2, 8]), { srcMask: st.ones([4, 4], { dtype: "bool" }) }), st.ShapeError,
      "TransformerEncoderLayer(d_model=8, nhead=2): srcMask has shape [4, 4], expected [5, 5] or [4, 5, 5]");
    const dec = new st.nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 16 });
    expectError(() => dec.call(st.randn([5, 2, 8]), st.randn([3, 2, 8]), { memoryKeyPaddingMask: st.ones([2, 5], { dtype: "bool" }) }), st.ShapeError,
      "TransformerDecoderLayer(d_model=8, nhead=2): memoryKeyPaddingMask has shape [2, 5], expected [2, 3]");
    const t = new st.nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16 });
    expectError(() => t.call(st.randn([5, 2, 8]), st.randn([4, 3, 8])), st.ShapeError, "Transformer(d_model=8, nhead=2)", "one batch size", "[5, 2, 8]", "[4, 3, 8]");
    expectError(() => t.call(st.randn([5, 2, 8]), st.randn([4, 2, 7])), st.ShapeError, "d_model=8", "[4, 2, 7]");
    expectError(() => new st.nn.TransformerEncoder(new st.nn.Linear(2, 2) as never, 2), st.ValueError, "TransformerEncoder", "Linear");
  });
});

describe("float64 gradchecks of one encoder and one decoder layer (inputs and every parameter)", () => {
  const setNonTrivial = (m: st.nn.AnyModule, seed: number) => st.noGrad(() => {
    let s = seed;
    for (const [k, p] of m.namedParameters()) if (k.includes("bias") || k.includes("norm")) p.add_(f64(p.shape, s++).mul(0.3));
  });

  for (const normFirst of [false, true]) {
    it(`encoder layer, ${normFirst ? "pre" : "post"}-norm, gelu, causal + key padding`, () => {
      const m = new st.nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 6, activation: "gelu", normFirst, dtype: "float64", generator: new st.Generator(3) }).eval();
      setNonTrivial(m, 30);
      const x = f64([3, 2, 4], 4, true);
      const kpm = st.nn.paddingMask([3, 2]);
      const r = st.gradcheck((x) => m.call(x!, { isCausal: true, srcKeyPaddingMask: kpm }), [x, ...m.parameters()], { projections: 1 });
      expect(r.ok, r.message).toBe(true);
    });

    it(`decoder layer, ${normFirst ? "pre" : "post"}-norm, relu, tgt causal + memory padding + additive memory mask`, () => {
      const m = new st.nn.TransformerDecoderLayer(4, 2, { dimFeedforward: 6, normFirst, batchFirst: true, dtype: "float64", generator: new st.Generator(5) }).eval();
      setNonTrivial(m, 50);
      const tgt = f64([2, 3, 4], 6, true), mem = f64([2, 4, 4], 7, true);
      const opts = { tgtIsCausal: true, memoryKeyPaddingMask: st.nn.paddingMask([4, 3]), memoryMask: f64([3, 4], 8) };
      const r = st.gradcheck((t, mm) => m.call(t!, mm!, opts), [tgt, mem, ...m.parameters()], { projections: 1 });
      expect(r.ok, r.message).toBe(true);
    });
  }
});
