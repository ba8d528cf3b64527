// st.layers.positionEmbedding (KerasNLP's PositionEmbedding, adding the vectors) and the
// per-position sparse cross-entropy / accuracy of a sequence model [batch, steps, vocab] against
// tokens [batch, steps], as Keras computes them: the mean over every position of every sample.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as st from "../src/node.js";
import { resolveLoss } from "../src/train/compile-losses.js";

const root = mkdtempSync(join(tmpdir(), "st-position-embedding-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("layers.positionEmbedding", () => {
  it("adds one learned vector per step (glorotUniform), shorter sequences take the first ones", () => {
    st.manualSeed(1);
    const layer = st.layers.positionEmbedding({ sequenceLength: 5 });
    const x = st.randn([2, 3, 4]);
    const y = layer.call(x);
    const w = layer.stateDict().weight!;
    expect(w.shape).toEqual([5, 4]);
    const limit = Math.sqrt(6 / (5 + 4));
    expect(w.abs().max().item()).toBeLessThanOrEqual(limit);
    expect(st.allclose(y, x.add(w.slice([0, 3]).unsqueeze(0)))).toBe(true);
    expect(() => layer.call(st.randn([1, 6, 4]))).toThrow(/6 steps|maxLen|longer|exceeds/);
    expect(() => st.layers.positionEmbedding({ sequenceLength: 0 })).toThrow(/sequenceLength must be a positive integer/);
    expect(() => st.layers.positionEmbedding({ sequenceLength: 4 }).call(st.randn([2, 4]))).toThrow(/\[batch, steps, features\]/);
  });

  it("a sequence model saves and loads (positionEmbedding registered) and predicts the same", async () => {
    st.manualSeed(2);
    const m = st.sequential([
      st.layers.embedding({ inputDim: 6, outputDim: 8, inputShape: [4] }),
      st.layers.positionEmbedding({ sequenceLength: 4 }),
      st.layers.transformerEncoder({ intermediateDim: 16, numHeads: 2 }),
      st.layers.dense({ units: 6, activation: "softmax" }),
    ]);
    m.compile({ optimizer: "adam", loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
    const { x, y } = st.data.sequenceReversal({ nSamples: 64, length: 4, vocabSize: 6, seed: 3 });
    await m.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
    const dir = join(root, "seq");
    await m.save(dir);
    const cfg = JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as st.SavedModelConfig;
    expect(cfg.layers![1]).toEqual({ className: "positionEmbedding", config: { sequenceLength: 4, initializer: "glorotUniform" } });
    expect(Object.keys(m.module.stateDict())).toContain("1.weight");
    const back = await st.loadModel(dir);
    expect(back.predict(x).toArray()).toEqual(m.predict(x).toArray());
  });
});

describe("per-position loss and accuracy over [batch, steps, vocab]", () => {
  it("sparseCategoricalCrossentropy: the mean over all positions (Keras), logits and probabilities, sample weights per sequence", () => {
    const logits = st.randn([3, 4, 5], { dtype: "float64" });
    const y = st.tensor(Int32Array.from([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1]), { shape: [3, 4] });
    const loss = resolveLoss("sparseCategoricalCrossentropy");
    const flat = st.nn.functional.crossEntropy(logits.reshape([-1, 5]), y.reshape([-1]), { reduction: "none" }); // [12]
    const per = loss.perSample(logits, y, true);
    expect(per.shape).toEqual([3]);
    expect(st.allclose(per.mean(), flat.mean(), { atol: 1e-12, rtol: 0 })).toBe(true);
    expect(st.allclose(loss.perSample(logits.softmax(-1), y, false), per, { atol: 1e-9, rtol: 0 })).toBe(true);
    // Keras broadcasts a per-sample weight over the positions: Σ w·ℓ / (N·L)
    const w = st.tensor([2, 0, 1], { dtype: "float64" });
    const keras = flat.reshape([3, 4]).mul(w.unsqueeze(1)).sum().div(12);
    expect(st.allclose(per.mul(w).sum().div(3), keras, { atol: 1e-12, rtol: 0 })).toBe(true);
  });

  it("fit/evaluate report token accuracy over every position", async () => {
    // a fixed "model": the probabilities are the input; accuracy = fraction of positions whose argmax is the target
    const probs = st.tensor([[[0.9, 0.1], [0.2, 0.8]], [[0.3, 0.7], [0.6, 0.4]]]);
    const m = st.sequential([st.layers.activation("linear")]);
    m.compile({ optimizer: "sgd", loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
    const r = await m.evaluate(probs, st.tensor(Int32Array.from([0, 1, 0, 0]), { shape: [2, 2] }));
    expect(r.accuracy).toBe(0.75);
    const logp = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.3) + Math.log(0.6)) / 4;
    expect(r.loss).toBeCloseTo(logp, 5);
  });
});
