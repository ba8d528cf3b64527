// Positional encodings: the sinusoidal table's exact values and layouts, the learned table
// (nn.Embedding-compatible weight, gradients only on the rows used), and rotary embeddings
// (exact rotation of the half-split form, identity at position 0, norms kept, scores depending on
// relative positions only, float64 gradcheck), with their argument errors.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { expectClose } from "./helpers/close.js";
import { expectError } from "./helpers/expect-error.js";

describe("SinusoidalPositionalEncoding", () => {
  it("PE[pos, 2i] = sin(pos·10000^(−2i/d)), PE[pos, 2i+1] = cos(…), also for odd d", () => {
    const pe = new st.nn.SinusoidalPositionalEncoding(5, { maxLen: 8, dropout: 0, dtype: "float64" });
    const y = pe.call(st.zeros([3, 1, 5], { dtype: "float64" })); // [L, B, D]
    const expected = [0, 1, 2].map((p) => [
      Math.sin(p), Math.cos(p), Math.sin(p / 10000 ** (2 / 5)), Math.cos(p / 10000 ** (2 / 5)), Math.sin(p / 10000 ** (4 / 5)),
    ]);
    expectClose(y.squeeze(1), expected, { rtol: 1e-12, atol: 1e-15 });
  });

  it("adds the table along the sequence dim of each layout, with an offset; not in the state dict", () => {
    const seqFirst = new st.nn.SinusoidalPositionalEncoding(4, { maxLen: 10, dropout: 0 });
    const bf = new st.nn.SinusoidalPositionalEncoding(4, { maxLen: 10, dropout: 0, batchFirst: true });
    const x = st.randn([2, 3, 4]); // bf: B=2, L=3
    const a = bf.call(x, 2);
    const b = seqFirst.call(x.transpose(0, 1), 2).transpose(0, 1);
    expectClose(a, b);
    expectClose(a.sub(x).index(1), seqFirst.pe.slice(2, 5));
    expect(Object.keys(bf.stateDict())).toEqual([]);
    expectClose(seqFirst.call(st.zeros([3, 4])), seqFirst.pe.slice(0, 3)); // unbatched [L, D]
  });

  it("default dropout 0.1 acts in training only; positions beyond maxLen are an error", () => {
    const pe = new st.nn.SinusoidalPositionalEncoding(4, { maxLen: 6 });
    expect(pe.dropout.p).toBe(0.1);
    expectError(() => pe.call(st.zeros([4, 1, 4]), 3), st.ValueError, "SinusoidalPositionalEncoding", "exceed maxLen 6");
    expectError(() => pe.call(st.zeros([4, 1, 5])), st.ShapeError, "[L, B, 4]", "[4, 1, 5]");
  });
});

describe("LearnedPositionalEmbedding", () => {
  it("weight [maxLen, d] loads an nn.Embedding state dict; gradients reach only the rows used", () => {
    const emb = new st.nn.Embedding(6, 3);
    const pos = new st.nn.LearnedPositionalEmbedding(6, 3, { batchFirst: true });
    expect(pos.loadStateDict(emb.stateDict())).toEqual({ missingKeys: [], unexpectedKeys: [] });
    const x = st.zeros([2, 2, 3]);
    const y = pos.call(x, 3);
    expectClose(y.index(0), emb.weight.slice(3, 5));
    y.sum().backward();
    expect(pos.weight.grad!.toArray()).toEqual([[0, 0, 0], [0, 0, 0], [0, 0, 0], [2, 2, 2], [2, 2, 2], [0, 0, 0]]);
    expectError(() => pos.call(x, 5), st.ValueError, "LearnedPositionalEmbedding(6, 3)", "exceed maxLen 6");
  });
});

describe("RotaryEmbedding (half-split, GPT-NeoX / HF LLaMA)", () => {
  it("rotates pair (i, i + d/2) by p·θᵢ, θᵢ = base^(−2i/d); position 0 is the identity", () => {
    const rope = new st.nn.RotaryEmbedding(4);
    const x = st.tensor([[1, 0, 0, 0], [1, 0, 0, 0], [0, 2, 0, 3]], { dtype: "float64" }); // positions 0, 1, 2
    const y = rope.call(x);
    const t = 0.01; // θ₁ = 10000^(−2/4)
    expectClose(y, [
      [1, 0, 0, 0],
      [Math.cos(1), 0, Math.sin(1), 0],
      [0, 2 * Math.cos(2 * t) - 3 * Math.sin(2 * t), 0, 2 * Math.sin(2 * t) + 3 * Math.cos(2 * t)],
    ], { rtol: 1e-12, atol: 1e-15 });
  });

  it("keeps norms; q·k depends on the relative position only (offset-invariant scores)", () => {
    const rope = new st.nn.RotaryEmbedding(8, { base: 500 });
    const g = new st.Generator(3);
    const q = st.randn([2, 3, 5, 8], { dtype: "float64", generator: g }), k = st.randn([2, 3, 5, 8], { dtype: "float64", generator: g });
    const [q0, k0] = rope.apply(q, k);
    const [q7, k7] = rope.apply(q, k, { offset: 7 });
    expectClose(q0.norm(2, -1), q.norm(2, -1));
    expectClose(q0.matmul(k0.transpose(-2, -1)), q7.matmul(k7.transpose(-2, -1)), { rtol: 1e-10, atol: 1e-12 });
    // and it is not the identity: absolute positions change the vectors
    expect(q7.sub(q0).abs().max().item()).toBeGreaterThan(0.1);
  });

  it("extends its table past maxSeqLen; float32 input gives float32; model.apply(fn) still walks it", () => {
    const rope = new st.nn.RotaryEmbedding(4, { maxSeqLen: 2 });
    const y = rope.call(st.ones([6, 4]), 3);
    expect(y.dtype).toBe("float32");
    expect(y.shape).toEqual([6, 4]);
    const seen: string[] = [];
    rope.apply((m) => { seen.push(m.constructor.name); });
    expect(seen).toEqual(["RotaryEmbedding"]);
  });

  it("float64 gradcheck", () => {
    const rope = new st.nn.RotaryEmbedding(4);
    const x = st.randn([2, 3, 4], { dtype: "float64", requiresGrad: true });
    const r = st.gradcheck((x) => rope.call(x!, 1), [x]);
    expect(r.ok, r.message).toBe(true);
  });

  it("errors: odd headDim, wrong last dim, integer input", () => {
    expectError(() => new st.nn.RotaryEmbedding(5), st.ValueError, "RotaryEmbedding", "even", "5");
    const rope = new st.nn.RotaryEmbedding(4);
    expectError(() => rope.call(st.ones([3, 6])), st.ShapeError, "RotaryEmbedding(head_dim=4)", "[..., L, 4]", "[3, 6]");
    expectError(() => rope.call(st.ones([3, 4], { dtype: "int32" })), st.DTypeError, "RotaryEmbedding", "int32");
  });
});
