// ONNX export of attention and the Transformer, checked by ONNX Runtime at two batch sizes and
// two sequence lengths: MultiheadAttention with key-padding and attention masks (bool, true =
// attend, and additive), the fused attention primitive and the weights path, encoder and decoder
// layers pre- and post-norm, and a small Transformer with look-ahead and padding masks.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { decodeModel } from "../src/io/onnx/schema.js";
import { checkOrt } from "./helpers/onnx-check.js";

st.manualSeed(1412);
const E = 8, H = 2;

/** A [B, S] key-padding mask (true = a real key): sequence b has S − (b mod 3) real keys. */
function padMask(B: number, S: number, fullyPaddedRow = false): st.Tensor {
  const m: boolean[][] = [];
  for (let b = 0; b < B; b++) m.push(Array.from({ length: S }, (_, j) => !(fullyPaddedRow && b === 1) && j < S - (b % 3)));
  return st.tensor(m);
}

describe("onnx export: attention in ONNX Runtime", () => {
  it("MultiheadAttention (sequence-first) with key-padding and look-ahead masks, returning the averaged weights", async () => {
    const mha = new st.nn.MultiheadAttention(E, H);
    const args = (B: number, L: number) => {
      const x = st.randn([L, B, E]);
      return [x, x, x, { keyPaddingMask: padMask(B, L), attnMask: st.nn.generateSquareSubsequentMask(L) }];
    };
    const { session } = await checkOrt(mha, [args(2, 5), args(4, 3)], {
      dynamicAxes: { input: { 0: "seq", 1: "batch" }, keyPaddingMask: { 0: "batch", 1: "seq" }, attnMask: { 0: "seq", 1: "seq" } },
    });
    expect(session.inputNames).toEqual(["input", "keyPaddingMask", "attnMask"]);
    expect(session.outputNames).toEqual(["output_0", "output_1"]);
  });

  it("MultiheadAttention (batch-first, needWeights false: the attention primitive) with a fully padded sequence", async () => {
    const mha = new st.nn.MultiheadAttention(E, H, { batchFirst: true });
    const args = (B: number, L: number) => {
      const x = st.randn([B, L, E]);
      return [x, x, x, { keyPaddingMask: padMask(B, L, true), attnMask: st.nn.generateSquareSubsequentMask(L), needWeights: false }];
    };
    const { bytes } = await checkOrt(mha, [args(3, 4), args(2, 6)], {
      dynamicAxes: { input: { 0: "batch", 1: "seq" }, keyPaddingMask: { 0: "batch", 1: "seq" }, attnMask: { 0: "seq", 1: "seq" } },
    });
    // the attention primitive became MatMul / Where / Softmax (no custom op)
    const ops = new Set(decodeModel(bytes).graph.node.map((n) => n.op_type));
    for (const op of ["MatMul", "Softmax", "Where"]) expect(ops.has(op)).toBe(true);
  });

  it("MultiheadAttention cross-attention with an additive float mask and isCausal", async () => {
    const mha = new st.nn.MultiheadAttention(E, H, { batchFirst: true });
    const additive = (B: number, S: number) => st.where(padMask(B, S), st.zeros([B, S]), st.full([B, S], -Infinity));
    const args = (B: number, L: number, S: number) => [st.randn([B, L, E]), st.randn([B, S, E]), st.randn([B, S, E]), { keyPaddingMask: additive(B, S), needWeights: false }];
    await checkOrt(mha, [args(2, 3, 5), args(3, 4, 2)], {
      dynamicAxes: { input_0: { 0: "batch", 1: "tgt" }, input_1: { 0: "batch", 1: "src" }, input_2: { 0: "batch", 1: "src" }, keyPaddingMask: { 0: "batch", 1: "src" } },
    });
    // isCausal alone runs the primitive's causal flag; with the weights, a [L, L] mask made in forward
    for (const needWeights of [false, true]) {
      const causal = (B: number, L: number) => { const x = st.randn([B, L, E]); return [x, x, x, { isCausal: true, needWeights }]; };
      await checkOrt(mha, [causal(2, 5), causal(3, 4)], { dynamicAxes: { input: { 0: "batch", 1: "seq" } } });
    }
  });
});

describe("onnx export: Transformer layers in ONNX Runtime", () => {
  for (const normFirst of [false, true]) {
    it(`TransformerEncoderLayer (${normFirst ? "pre" : "post"}-norm) with a key-padding mask`, async () => {
      const layer = new st.nn.TransformerEncoderLayer(E, H, { dimFeedforward: 16, dropout: 0.1, batchFirst: true, normFirst, activation: normFirst ? "gelu" : "relu" });
      const args = (B: number, L: number) => [st.randn([B, L, E]), { srcKeyPaddingMask: padMask(B, L) }];
      await checkOrt(layer, [args(2, 5), args(3, 3)], { dynamicAxes: { input: { 0: "batch", 1: "seq" }, srcKeyPaddingMask: { 0: "batch", 1: "seq" } } });
    });

    it(`TransformerDecoderLayer (${normFirst ? "pre" : "post"}-norm) with look-ahead and memory padding masks`, async () => {
      const layer = new st.nn.TransformerDecoderLayer(E, H, { dimFeedforward: 16, batchFirst: true, normFirst });
      const args = (B: number, T: number, S: number) => [st.randn([B, T, E]), st.randn([B, S, E]), {
        tgtMask: st.nn.generateSquareSubsequentMask(T), memoryKeyPaddingMask: padMask(B, S),
      }];
      await checkOrt(layer, [args(2, 4, 5), args(3, 2, 6)], {
        dynamicAxes: {
          input_0: { 0: "batch", 1: "tgt" }, input_1: { 0: "batch", 1: "src" }, tgtMask: { 0: "tgt", 1: "tgt" }, memoryKeyPaddingMask: { 0: "batch", 1: "src" },
        },
      });
    });
  }

  it("a 2+2-layer Transformer (sequence-first) with look-ahead and padding masks", async () => {
    const model = new st.nn.Transformer({ dModel: E, nhead: H, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 16 });
    const args = (B: number, S: number, T: number) => [st.randn([S, B, E]), st.randn([T, B, E]), {
      tgtMask: st.nn.generateSquareSubsequentMask(T), srcKeyPaddingMask: padMask(B, S), tgtKeyPaddingMask: padMask(B, T),
      memoryKeyPaddingMask: padMask(B, S),
    }];
    const { bytes } = await checkOrt(model, [args(2, 5, 4), args(3, 3, 6)], {
      inputNames: ["src", "tgt", "tgt_mask", "src_key_padding_mask", "tgt_key_padding_mask", "memory_key_padding_mask"],
      dynamicAxes: {
        src: { 0: "src_len", 1: "batch" }, tgt: { 0: "tgt_len", 1: "batch" }, tgt_mask: { 0: "tgt_len", 1: "tgt_len" },
        src_key_padding_mask: { 0: "batch", 1: "src_len" }, tgt_key_padding_mask: { 0: "batch", 1: "tgt_len" },
        memory_key_padding_mask: { 0: "batch", 1: "src_len" },
      },
    });
    // nodes carry the module path that produced them
    expect(decodeModel(bytes).graph.node.some((n) => n.doc_string === "module: decoder.layers.1.multihead_attn")).toBe(true);
  });

  it("positional encodings sliced to the input's length follow a dynamic sequence axis", async () => {
    const pos = (B: number, L: number) => [st.randn([B, L, E])];
    const dyn = { dynamicAxes: { input: { 0: "batch", 1: "seq" } } };
    await checkOrt(new st.nn.SinusoidalPositionalEncoding(E, { batchFirst: true }), [pos(2, 3), pos(4, 7)], dyn);
    await checkOrt(new st.nn.LearnedPositionalEmbedding(10, E, { batchFirst: true }), [pos(2, 3), pos(3, 9)], dyn);
    const heads = (B: number, L: number) => [st.randn([B, H, L, 4])];
    await checkOrt(new st.nn.RotaryEmbedding(4), [heads(2, 3), heads(3, 6)], { dynamicAxes: { input: { 0: "batch", 2: "seq" } } });
    // a Keras-style token model: embedding + learned positions + a Transformer encoder block
    const model = st.sequential([
      st.layers.embedding({ inputDim: 20, outputDim: E }), st.layers.positionEmbedding({ sequenceLength: 9 }),
      st.layers.transformerEncoder({ intermediateDim: 16, numHeads: H }),
    ]);
    model.build([5], "int32");
    await checkOrt(model, [[st.randint(0, 20, [2, 5])], [st.randint(0, 20, [4, 8])]], dyn);
  });
});
