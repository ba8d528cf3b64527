// st.layers: Keras names and defaults over our nn modules, PyTorch state-dict keys, lazy build
// from the first batch, regularizers in the loss and constraints after each step.
import { describe, expect, it } from "vitest";
import * as st from "../src/node.js";
import { expectError } from "./helpers/expect-error.js";

describe("st.layers factories", () => {
  it("dense: glorotUniform weights [units, in], zero bias, PyTorch keys 0.weight / 0.bias", () => {
    st.manualSeed(3);
    const m = st.sequential([st.layers.dense({ units: 10, inputShape: [64] }), st.layers.dense({ units: 3, useBias: false })]);
    const sd = m.getWeights();
    expect(Object.keys(sd)).toEqual(["0.weight", "0.bias", "1.weight"]);
    expect(sd["0.weight"]!.shape).toEqual([10, 64]);
    const bound = Math.sqrt(6 / (64 + 10));
    expect(sd["0.weight"]!.abs().max().item()).toBeLessThanOrEqual(bound);
    // a Kaiming-uniform (PyTorch) init would stay within 1/√64 = 0.125; glorot's bound is 0.285
    expect(sd["0.weight"]!.abs().max().item()).toBeGreaterThan(0.2);
    expect(sd["0.bias"]!.abs().max().item()).toBe(0);
  });

  it("builds lazily: no weights until the first batch, then the optimizer is created before the first step", () => {
    const m = st.sequential([st.layers.dense({ units: 4, activation: "relu" }), st.layers.dense({ units: 2 })]);
    m.compile({ optimizer: "sgd", loss: "mse" });
    expect(m.built).toBe(false);
    expect(m.parameters()).toHaveLength(0);
    expect(m.optimizer).toBeNull();
    const x = st.randn([8, 5]);
    const before = st.noGrad(() => m.predict(x));
    expect(m.built).toBe(true);
    const w0 = m.getWeights()["0.weight"]!;
    expect(w0.shape).toEqual([4, 5]);
    m.trainOnBatch(x, st.zeros([8, 2]));
    expect(m.optimizer!.paramGroups[0]!.params).toHaveLength(4);
    expect(m.getWeights()["0.weight"]!.sub(w0).abs().max().item()).toBeGreaterThan(0);
    expect(m.predict(x).sub(before).abs().max().item()).toBeGreaterThan(0);
  });

  it("batchNormalization: Keras momentum 0.99 is PyTorch's 0.01, epsilon 1e-3, last axis of 3-D inputs", () => {
    const bn = st.layers.batchNormalization({ inputShape: [3] });
    const m = st.sequential([bn]);
    const x = st.tensor([[1, 2, 3], [3, 6, 9]]);
    m.module.train();
    const y = m.module.call(x);
    const sd = m.getWeights();
    expect(sd["0.running_mean"]!.toArray()).toEqual([0.02, 0.04, 0.06].map(Math.fround));
    // biased batch variance 1 (first column) → (1 − 2)/√(1 + 1e-3)
    expect((y.toArray() as number[][])[0]![0]!).toBeCloseTo(-1 / Math.sqrt(1 + 1e-3), 6);
    const seq = st.sequential([st.layers.batchNormalization()]);
    seq.module.train();
    const out = seq.module.call(st.randn([4, 5, 2]));
    expect(out.shape).toEqual([4, 5, 2]);
    expect(seq.getWeights()["0.running_mean"]!.shape).toEqual([2]);
    expect(out.mean([0, 1]).abs().max().item()).toBeLessThan(1e-5);
  });

  it("layerNormalization uses epsilon 1e-3; embedding draws U(−0.05, 0.05); dropout is identity in eval", () => {
    const ln = st.sequential([st.layers.layerNormalization({ inputShape: [2] })]);
    const y = ln.predict(st.tensor([[0, 2]]));
    expect((y.toArray() as number[][])[0]![1]!).toBeCloseTo(1 / Math.sqrt(1 + 1e-3), 6);
    const emb = st.sequential([st.layers.embedding({ inputDim: 50, outputDim: 4, inputShape: [3] })]);
    const w = emb.getWeights()["0.weight"]!;
    expect(w.shape).toEqual([50, 4]);
    expect(w.abs().max().item()).toBeLessThanOrEqual(0.05);
    expect(emb.predict(st.tensor([[1, 2, 3]], { dtype: "int32" })).shape).toEqual([1, 3, 4]);
    const drop = st.sequential([st.layers.dropout({ rate: 0.5 })]);
    const x = st.ones([4, 100]);
    expect(drop.predict(x).sum().item()).toBe(400);
    drop.module.train();
    const dropped = drop.module.call(x);
    const zeros = dropped.eq(0).float().sum().item();
    expect(zeros).toBeGreaterThan(100);
    expect(zeros).toBeLessThan(300);
  });

  it("flatten and activation", () => {
    const m = st.sequential([st.layers.flatten({ inputShape: [2, 3] }), st.layers.activation("softmax")]);
    const y = m.predict(st.randn([4, 2, 3]));
    expect(y.shape).toEqual([4, 6]);
    expect(y.sum(1).sub(1).abs().max().item()).toBeLessThan(1e-6);
  });

  it("bad settings raise ValueErrors naming the layer and the setting", () => {
    expectError(() => st.layers.dense({ units: 0 }), st.ValueError, "layers.dense", "units");
    expectError(() => st.layers.dense({ units: 2, activation: "swoosh" as never }), st.ValueError, "unknown activation", "swoosh");
    expectError(() => st.layers.dense({ units: 2, kernelInitializer: "magic" }), st.ValueError, "unknown initializer", "magic");
    expectError(() => st.layers.dropout({ rate: 1 }), st.ValueError, "rate");
    expectError(() => st.layers.dense({ units: 2, inputShape: [0] }), st.ValueError, "inputShape");
  });

  it("kernelRegularizer: the L2 penalty joins the training loss (Keras: l2·Σw², no ½)", () => {
    const m = st.sequential([st.layers.dense({ units: 2, inputShape: [3], kernelRegularizer: "l2" })]);
    m.compile({ optimizer: "sgd", loss: "mse" });
    const x = st.randn([5, 3]);
    const y = st.randn([5, 2]);
    const w = m.getWeights()["0.weight"]!;
    const data = m.predict(x).sub(y).square().mean().item();
    const { loss } = m.trainOnBatch(x, y);
    expect(loss).toBeCloseTo(data + 0.01 * w.square().sum().item(), 5);
  });

  it("kernelConstraint: nonNeg holds after every step", () => {
    const m = st.sequential([st.layers.dense({ units: 3, inputShape: [4], kernelConstraint: "nonNeg" })]);
    m.compile({ optimizer: { name: "sgd", learningRate: 1 }, loss: "mse" });
    for (let i = 0; i < 3; i++) m.trainOnBatch(st.randn([6, 4]), st.randn([6, 3]).mul(10));
    expect(m.getWeights()["0.weight"]!.min().item()).toBeGreaterThanOrEqual(0);
  });
});
