// The monitor's gradient noise scale (McCandlish et al. 2018) from the check step's and the previous
// step's gradients: on linear regression with Gaussian inputs and noise it matches the closed form
// (per-example loss ½(w·x − y)², y = w*·x + ε, x ~ N(0, I_d), ε ~ N(0, σ²), δ = w − w*:
// |G|² = |δ|², tr(Σ) = d(|δ|² + σ²) + |δ|²); on a healthy digits fit it is present and NaN-free.
import { describe, expect, it } from "vitest";
import * as st from "../src/node.js";

describe("monitor: gradient noise scale", () => {
  it("matches the closed form B_simple on linear regression within 20 %", () => {
    st.manualSeed(11);
    const d = 32;
    const sigma = 1;
    const batch = 128;
    const wStar = st.randn([d]);
    const lin = new st.nn.Linear(d, 1, { bias: false });
    st.noGrad(() => lin.weight.fill_(0));
    // lr so small that the parameters barely move: the closed form at w = 0 holds throughout
    const opt = new st.optim.SGD(lin.parameters(), { lr: 1e-6 });
    const mon = st.stability.monitor({ every: 2, noiseScaleDecay: 0.995 }).attach(lin, opt);
    for (let s = 0; s < 600; s++) {
      const x = st.randn([batch, d]);
      const y = x.matmul(wStar).add(st.randn([batch]).mul(sigma));
      opt.zeroGrad();
      const loss = lin.call(x).reshape([-1]).sub(y).square().mean().mul(0.5);
      loss.backward();
      opt.step();
      mon.step(loss, { batchSize: batch });
    }
    const w = lin.weight.reshape([-1]);
    const delta2 = w.sub(wStar).square().sum().item();
    const trueTr = d * (delta2 + sigma * sigma) + delta2;
    const trueB = trueTr / delta2;
    const ns = mon.noiseScale()!;
    expect(ns).toBeDefined();
    expect(ns.pairs).toBe(299); // one pair per check but the first (step 0 has no previous step)
    expect(ns.batchSize).toBe(batch);
    expect(Math.abs(ns.bSimple / trueB - 1)).toBeLessThan(0.2);
    expect(Math.abs(ns.trSigma / trueTr - 1)).toBeLessThan(0.2);
    expect(Math.abs(ns.gNorm2 / delta2 - 1)).toBeLessThan(0.2);
    expect(ns.suggestedBatch).toEqual([Math.round(ns.bSimple / 2), Math.round(ns.bSimple * 2)]);
    expect(mon.snapshots[0]!.noiseScale).toBeUndefined();
    expect(mon.snapshots[1]!.noiseScale!.pairs).toBe(1);
    expect(mon.toReportData().noiseScale).toEqual({ bSimple: ns.bSimple, suggestedBatch: ns.suggestedBatch });
    expect(st.stability.summarize(mon.toReportData())).toMatch(/gradient noise scale/);
  });

  it("makes no estimate without a batch size, and rejects a bad one and a bad decay", () => {
    const lin = new st.nn.Linear(3, 1);
    const opt = new st.optim.SGD(lin.parameters(), { lr: 0.01 });
    const mon = st.stability.monitor({ every: 2 }).attach(lin, opt);
    for (let s = 0; s < 6; s++) {
      opt.zeroGrad();
      const loss = lin.call(st.randn([8, 3])).square().mean();
      loss.backward();
      opt.step();
      mon.step(loss);
    }
    expect(mon.snapshots.every((s) => s.noiseScale === undefined)).toBe(true);
    expect(mon.toReportData().noiseScale).toBeUndefined();
    expect(() => mon.step(1, { batchSize: 0 })).toThrow(/batchSize/);
    expect(() => st.stability.monitor({ noiseScaleDecay: 1 })).toThrow(/noiseScaleDecay/);
  });

  it("is present and NaN-free on a healthy digits fit (batch size from fit's logs)", async () => {
    st.manualSeed(5);
    const { x, y } = st.datasets.loadDigits();
    const model = st.sequential([
      st.layers.dense({ units: 32, activation: "relu", inputShape: [64] }),
      st.layers.dense({ units: 10, activation: "softmax" }),
    ]);
    model.compile({ optimizer: { name: "sgd", learningRate: 0.05 }, loss: "sparseCategoricalCrossentropy" });
    const mon = st.stability.monitor({ every: 5 });
    await model.fit(x.slice(0, 640), y.slice(0, 640), { epochs: 2, batchSize: 32, verbose: 0, callbacks: [mon] });
    expect(mon.diagnoses).toEqual([]);
    const est = mon.snapshots.slice(1).map((s) => s.noiseScale);
    expect(est.length).toBeGreaterThan(3);
    for (const e of est) {
      expect(e).toBeDefined();
      expect(e!.batchSize).toBe(32);
      for (const v of [e!.bSimple, e!.trSigma, e!.gNorm2, ...e!.suggestedBatch]) expect(Number.isNaN(v)).toBe(false);
    }
    const r = mon.toReportData().noiseScale;
    expect(r === undefined || Number.isFinite(r.bSimple)).toBe(true);
  });
});
