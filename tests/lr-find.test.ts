// The learning-rate range test: on a quadratic with known curvature its suggestions lie below the
// divergence rate 2/λ_max, it stops on divergence, and it leaves a model's weights and optimizer
// state bit-identical.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { ValueError } from "../src/index.js";
import { lrFind } from "../src/stability/lr-find.js";

function quadraticStep(eig: number[]) {
  const h = st.tensor(eig, { dtype: "float64" });
  const x = st.tensor(eig.map(() => 1), { dtype: "float64", requiresGrad: true });
  const opt = new st.optim.SGD([x], { lr: 0.01, momentum: 0.5 });
  const step = (_b: null, lr: number): number => {
    opt.paramGroups[0]!.lr = lr;
    opt.zeroGrad();
    const loss = x.square().mul(h).sum().mul(0.5);
    loss.backward();
    opt.step();
    return loss.item();
  };
  return { x, opt, step };
}

describe("lrFind", () => {
  it("on a quadratic with λ_max = 10 suggests rates below 2/λ = 0.2 and stops on divergence", async () => {
    const { x, opt, step } = quadraticStep([10, 3, 1]);
    const r = await lrFind(step, [null], { startLr: 1e-4, endLr: 10, steps: 100, params: [x], optimizer: opt });
    expect(r.diverged).toBe(true);
    expect(r.lrs.at(-1)!).toBeLessThan(10);
    expect(r.suggestion).toBeLessThan(0.2);
    expect(r.suggestions.steepest).toBeLessThan(0.2);
    expect(r.suggestions.valley).toBeLessThan(0.2);
    expect(r.suggestion).toBeGreaterThan(1e-3);
    expect(r.lrs.length).toBe(r.losses.length);
    // the exponential schedule: constant ratio between consecutive rates
    expect(r.lrs[1]! / r.lrs[0]!).toBeCloseTo(Math.pow(1e5, 1 / 99), 10);
    // restored: x is back at its start, the optimizer at lr 0.01 without momentum buffers
    expect(Array.from(x.dataSync())).toEqual([1, 1, 1]);
    expect(opt.paramGroups[0]!.lr).toBe(0.01);
    expect(opt.state.size).toBe(0);
  });

  it("leaves a compiled model's weights and Adam state bit-identical", async () => {
    st.manualSeed(3);
    const x = st.randn([64, 5]);
    const y = st.randint(0, 3, [64]);
    const model = st.sequential([st.layers.dense({ units: 8, activation: "relu", inputShape: [5] }), st.layers.dense({ units: 3, activation: "softmax" })]);
    model.compile({ optimizer: { name: "adam", learningRate: 0.01 }, loss: "sparseCategoricalCrossentropy" });
    model.trainOnBatch(x, y); // some optimizer state to restore
    const before = Object.fromEntries(Object.entries(model.getWeights()).map(([k, v]) => [k, Array.from(v.dataSync())]));
    const optBefore = model.optimizer!.stateDict();
    const r = await lrFind(model, { x, y }, { startLr: 1e-5, endLr: 10, steps: 40, batchSize: 16 });
    expect(r.lrs.length).toBeGreaterThan(5);
    const after = Object.fromEntries(Object.entries(model.getWeights()).map(([k, v]) => [k, Array.from(v.dataSync())]));
    expect(after).toEqual(before);
    const optAfter = model.optimizer!.stateDict();
    expect(optAfter.param_groups[0]!.lr).toBe(0.01);
    for (const [id, s] of Object.entries(optBefore.state)) {
      const a = optAfter.state[Number(id)]!;
      expect(a.step).toBe(s.step);
      expect(Array.from((a.exp_avg_sq as st.Tensor).dataSync())).toEqual(Array.from((s.exp_avg_sq as st.Tensor).dataSync()));
    }
  });

  it("builds an unbuilt model first, so that its initial weights are the ones restored", async () => {
    st.manualSeed(4);
    const x = st.randn([48, 3]);
    const y = st.randint(0, 2, [48]);
    const model = st.sequential([st.layers.dense({ units: 2, activation: "softmax" })]);
    model.compile({ optimizer: { name: "sgd", learningRate: 0.1 }, loss: "sparseCategoricalCrossentropy" });
    expect(model.built).toBe(false);
    const r = await lrFind(model, { x, y }, { startLr: 1e-4, endLr: 1, steps: 20, batchSize: 16 });
    expect(r.lrs).toHaveLength(20);
    expect(model.built).toBe(true);
    const w = model.getWeights();
    // the restored weights are the initial ones: a second lrFind starts from the same loss
    const again = await lrFind(model, { x, y }, { startLr: 1e-4, endLr: 1, steps: 20, batchSize: 16 });
    expect(again.rawLosses[0]).toBe(r.rawLosses[0]);
    expect(Object.keys(w)).toEqual(["0.weight", "0.bias"]);
    expect(model.optimizer!.paramGroups[0]!.lr).toBe(0.1);
  });

  it("rejects bad ranges and data", async () => {
    const { step } = quadraticStep([1]);
    await expect(lrFind(step, [null], { startLr: 1, endLr: 0.1 })).rejects.toThrow(/expected 0 < startLr < endLr/);
    await expect(lrFind(step, [], {})).rejects.toThrow(ValueError);
    await expect(lrFind(step, [null], { steps: 1 })).rejects.toThrow(/steps must be an integer ≥ 2, got 1/);
  });
});
