// st.layers.multiHeadAttention and st.layers.transformerEncoder: Keras-style attention layers in a
// sequential model fit, keep PyTorch's weight names, and round-trip through model.save/loadModel.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as st from "../src/node.js";

const root = mkdtempSync(join(tmpdir(), "st-keras-attention-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Token sequences [n, 6] over 8 ids; the class is the id that occurs at position 0 (8 classes). */
function data(n: number, seed: number): { x: st.Tensor; y: st.Tensor } {
  const { x } = st.data.sequenceCopy({ nSamples: n, length: 6, vocabSize: 8, seed });
  return { x, y: x.slice(null, [0, 1]).reshape([n]) };
}

function attentionModel(): st.Model {
  st.manualSeed(4);
  const m = st.sequential([
    st.layers.embedding({ inputDim: 8, outputDim: 16, inputShape: [6] }),
    st.layers.transformerEncoder({ intermediateDim: 32, numHeads: 2 }),
    st.layers.multiHeadAttention({ numHeads: 4, useCausalMask: true }),
    st.layers.flatten(),
    st.layers.dense({ units: 8, activation: "softmax" }),
  ]);
  m.compile({ optimizer: "adam", loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
  return m;
}

describe("Keras attention layers", () => {
  it("fit: the loss falls and the model learns the task", async () => {
    const { x, y } = data(256, 1);
    const m = attentionModel();
    const h = await m.fit(x, y, { epochs: 8, batchSize: 32, verbose: 0 });
    const loss = h.history.loss!;
    expect(loss[0]).toBeGreaterThan(1.5); // ≈ ln 8 = 2.08 at the start
    expect(loss.at(-1)!).toBeLessThan(0.5 * loss[0]!);
    const test = data(128, 2);
    expect((await m.evaluate(test.x, test.y)).accuracy).toBeGreaterThan(0.9);
  }, 60_000);

  it("PyTorch's weight names, and save/load predicts exactly the same", async () => {
    const { x, y } = data(64, 3);
    const m = attentionModel();
    await m.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0 });
    const keys = Object.keys(m.module.stateDict());
    expect(keys).toContain("1.self_attn.in_proj_weight");
    expect(keys).toContain("1.linear1.weight");
    expect(keys).toContain("1.norm2.bias");
    expect(keys).toContain("2.in_proj_weight");
    expect(keys).toContain("2.out_proj.weight");
    const dir = join(root, "attn");
    await m.save(dir);
    const cfg = JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as st.SavedModelConfig;
    expect(cfg.layers!.map((l) => l.className)).toEqual(["embedding", "transformerEncoder", "multiHeadAttention", "flatten", "dense"]);
    expect(cfg.layers![2]!.config).toMatchObject({ numHeads: 4, useCausalMask: true, dropout: 0, useBias: true });
    expect(cfg.layers![1]!.config).toMatchObject({ intermediateDim: 32, numHeads: 2, activation: "relu", normalizeFirst: false });
    const back = await st.loadModel(dir);
    expect(back.predict(x).toArray()).toEqual(m.predict(x).toArray());
  }, 60_000);

  it("the causal mask: a later step does not change earlier outputs", () => {
    st.manualSeed(0);
    const layer = st.layers.multiHeadAttention({ numHeads: 2, useCausalMask: true });
    layer.eval();
    const a = st.randn([1, 5, 8]);
    const b = a.clone().sliceAssign_([null, [4, 5]], st.randn([1, 1, 8]));
    const ya = layer.call(a), yb = layer.call(b);
    expect(ya.slice(null, [0, 4]).toArray()).toEqual(yb.slice(null, [0, 4]).toArray());
    expect(ya.slice(null, [4, 5]).toArray()).not.toEqual(yb.slice(null, [4, 5]).toArray());
  });

  it("bad settings and inputs are ValueErrors naming the layer", () => {
    expect(() => st.layers.multiHeadAttention({ numHeads: 0 })).toThrow(/layers.multiHeadAttention: numHeads must be a positive integer/);
    expect(() => st.layers.transformerEncoder({ intermediateDim: 16, numHeads: 2, activation: "tanh" as "relu" })).toThrow(st.ValueError);
    expect(() => st.layers.transformerEncoder({ intermediateDim: 0, numHeads: 2 })).toThrow(/intermediateDim must be a positive integer/);
    expect(() => st.layers.multiHeadAttention({ numHeads: 3 }).call(st.randn([2, 4, 8]))).toThrow(/numHeads · keyDim must equal the input's features \(8\)/);
    expect(() => st.layers.multiHeadAttention({ numHeads: 2, keyDim: 3 }).call(st.randn([2, 4, 8]))).toThrow(st.ValueError);
    expect(() => st.layers.transformerEncoder({ intermediateDim: 16, numHeads: 3 }).call(st.randn([2, 4, 8]))).toThrow(/numHeads \(3\) must divide/);
    expect(() => st.layers.transformerEncoder({ intermediateDim: 16, numHeads: 2 }).call(st.randn([4, 8]))).toThrow(/expected inputs \[batch, steps, features\]/);
  });
});
