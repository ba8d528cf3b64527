// The training monitor: exact per-layer statistics on a tiny model, checks only every N steps (hooks
// armed for the check's forward pass alone), the fit-callback path, each rule firing on a broken
// input and staying silent on a healthy one, configurable thresholds, and its argument errors.
import { describe, expect, it } from "vitest";
import * as st from "../src/node.js";
import { DEFAULT_THRESHOLDS, resolveThresholds } from "../src/stability/thresholds.js";

/** Linear(2 → 2) with weights [[1, 2], [3, −4]], bias [0.5, −0.5], then ReLU. */
function tiny(): st.nn.Sequential {
  const lin = new st.nn.Linear(2, 2);
  st.noGrad(() => {
    lin.weight.copy_(st.tensor([[1, 2], [3, -4]]));
    lin.bias!.copy_(st.tensor([0.5, -0.5]));
  });
  return new st.nn.Sequential(lin, new st.nn.ReLU());
}

const hooksOf = (m: st.nn.AnyModule): number => ((m as unknown as { _postHooks?: unknown[] })._postHooks ?? []).length;

describe("monitor: what a check records", () => {
  it("records exact gradient, weight, update, zero-gradient, activation, dead-unit and input statistics", () => {
    const net = tiny();
    const opt = new st.optim.SGD(net.parameters(), { lr: 0.1 });
    const mon = st.stability.monitor({ every: 1 }).attach(net, opt);
    const x = st.tensor([[1, 1], [2, 0]]);
    opt.zeroGrad();
    const out = net.call(x); // pre-activation z = [[3.5, −1.5], [2.5, 5.5]] → relu [[3.5, 0], [2.5, 5.5]]
    const loss = out.sum();
    loss.backward();
    const lin = net.at(0) as st.nn.Linear;
    const g = [...lin.weight.grad!.dataSync(), ...lin.bias!.grad!.dataSync()];
    opt.step();
    mon.step(loss);
    const snap = mon.snapshots[0]!;
    expect(snap.step).toBe(0);
    expect(snap.check).toBe(0);
    expect(snap.loss).toBe(11.5);
    expect(snap.lr).toBe(0.1);
    expect(snap.input).toEqual({ mean: 1, std: Math.sqrt(0.5), absMax: 2 });
    const l = snap.layers[0]!;
    expect(l.layer).toBe("0");
    const gNorm = Math.hypot(...g);
    expect(l.gradNorm).toBeCloseTo(gNorm, 5);
    const w = [...lin.weight.dataSync(), ...lin.bias!.dataSync()];
    expect(l.weightNorm).toBeCloseTo(Math.hypot(...w), 5);
    // plain SGD: ΔW = −lr·g, measured against the weights after the step
    expect(l.updateRatio).toBeCloseTo((0.1 * gNorm) / Math.hypot(...w), 5);
    expect(l.zeroGradFrac).toBe(g.filter((v) => v === 0).length / 6);
    // Linear output z: mean (3.5 − 1.5 + 2.5 + 5.5)/4 = 2.5
    expect(l.actMean).toBeCloseTo(2.5, 6);
    expect(l.actStd).toBeCloseTo(Math.sqrt((1 + 16 + 0 + 9) / 4), 6);
    // unit 0 is positive for both samples, unit 1 for one: none dead; no sigmoid/tanh here
    expect(l.deadFrac).toBe(0);
    expect(l.saturatedFrac).toBeNaN();
    expect(mon.diagnoses).toEqual([]);
  });

  it("checks every N steps from step 0, hooking only the forward pass of a check step", () => {
    const net = tiny();
    const opt = new st.optim.SGD(net.parameters(), { lr: 0.01 });
    const mon = st.stability.monitor({ every: 10 }).attach(net, opt);
    const x = st.tensor([[1, 1], [2, 0]]);
    for (let s = 0; s < 25; s++) {
      // armed exactly when this step is a check step
      expect(hooksOf(net.at(0)) > 0, `step ${s}`).toBe(s % 10 === 0);
      opt.zeroGrad();
      const loss = net.call(x).sum();
      loss.backward();
      opt.step();
      mon.step(loss);
    }
    expect(mon.snapshots.map((s) => s.step)).toEqual([0, 10, 20]);
    expect(mon.snapshots.map((s) => s.check)).toEqual([0, 1, 2]);
    expect(mon.losses).toHaveLength(25);
    mon.detach();
    expect(hooksOf(net.at(0))).toBe(0);
  });

  it("works as a fit callback: Keras layer paths, batch losses, epoch logs with val_loss", async () => {
    st.manualSeed(3);
    const x = st.randn([32, 4]);
    const y = st.randint(0, 3, [32]);
    const model = st.sequential([
      st.layers.dense({ units: 8, activation: "relu", inputShape: [4] }),
      st.layers.dense({ units: 3, activation: "softmax" }),
    ]);
    model.compile({ optimizer: { name: "sgd", learningRate: 0.05 }, loss: "sparseCategoricalCrossentropy" });
    const mon = st.stability.monitor({ every: 2 });
    const h = await model.fit(x, y, { epochs: 3, batchSize: 32, validationData: [x, y], verbose: 0, callbacks: [mon] });
    // one batch per epoch: the reconstructed batch loss is the epoch's loss
    expect(mon.losses).toHaveLength(3);
    mon.losses.forEach((l, i) => expect(l).toBeCloseTo(h.history.loss![i]!, 5));
    expect(mon.snapshots.map((s) => s.step)).toEqual([0, 2]);
    expect(mon.snapshots[0]!.layers.map((l) => l.layer)).toEqual(["0", "1"]);
    expect(mon.snapshots[0]!.layers[0]!.deadFrac).toBeGreaterThanOrEqual(0);
    expect(mon.epochs.map((e) => e.valLoss)).toEqual(h.history.val_loss);
    expect(mon.snapshots[0]!.input!.absMax).toBeGreaterThan(0);
  });
});

describe("monitor: rules and thresholds", () => {
  const attached = (every = 1): st.stability.Monitor => st.stability.monitor({ every }).attach(tiny());

  it("edge of stability: lr·λ_max = 2.02 fires, 1.98 does not", () => {
    const mon = attached();
    expect(mon.recordSharpness(0, 10, 0.198)).toEqual([]);
    const [d] = mon.recordSharpness(5, 10, 0.202);
    expect(d!.label).toBe("edge-of-stability");
    expect(d!.value).toBeCloseTo(2.02, 12);
    expect(d!.threshold).toBe(2);
    expect(d!.message).toContain("0.2"); // the stable limit 2/λ
    // Adam's preconditioned sharpness has its own limit, 38: 0.202·100 = 20.2 is below it
    expect(attached().recordSharpness(0, 100, 0.202, 38)).toEqual([]);
    expect(attached().recordSharpness(0, 100, 0.39, 38)[0]!.threshold).toBe(38);
    // the report draws λ_max against 2/lr
    expect(mon.toReportData().sharpness).toEqual({ steps: [0, 5], lambdaMax: [10, 10], threshold: [2 / 0.198, 2 / 0.202] });
  });

  it("divergence on a non-finite loss and oscillation on repeated rises; a steady decrease gets nothing", () => {
    const healthy = attached(5);
    for (let s = 0; s < 20; s++) healthy.step(2.3 * Math.exp(-0.05 * s) + 0.01 * (s % 2));
    expect(healthy.diagnoses).toEqual([]);
    const osc = attached(5);
    for (const v of [2, 1.8, 2.9, 1.5, 2.8, 1.4]) osc.step(v);
    expect(osc.diagnoses.map((d) => d.label)).toEqual(["oscillating-loss"]);
    expect(osc.diagnoses[0]!.value).toBe(2);
    const div = attached(5);
    for (const v of [2, 1.9, 50, NaN, NaN, NaN]) div.step(v);
    expect(div.diagnoses.map((d) => d.label)).toContain("divergence");
    expect(div.diagnoses.find((d) => d.label === "divergence")!.value).toBe(Infinity);
  });

  it("a first non-finite loss is checked at once, between check steps (fit's TerminateOnNaN may stop next)", async () => {
    const mon = attached(10);
    for (const v of [2, 1.9, NaN]) mon.step(v);
    expect(mon.diagnoses.map((d) => [d.label, d.step, d.check])).toEqual([["divergence", 2, 1]]);
    st.manualSeed(0);
    const model = st.sequential([st.layers.dense({ units: 4, activation: "relu", inputShape: [3] }), st.layers.dense({ units: 1 })]);
    model.compile({ optimizer: { name: "sgd", learningRate: 1e6 }, loss: "meanSquaredError" });
    const fitMon = st.stability.monitor({ every: 50 });
    await model.fit(st.randn([64, 3]).mul(10), st.randn([64, 1]), { epochs: 1, batchSize: 8, verbose: 0, callbacks: [fitMon] });
    expect(fitMon.diagnoses.map((d) => d.label)).toContain("divergence");
  });

  it("slow convergence fires from check plateauChecks − 1 on a flat loss", () => {
    const mon = attached(2);
    for (let s = 0; s < 5; s++) mon.step(2.3026);
    expect(mon.diagnoses.map((d) => [d.label, d.check])).toEqual([["slow-convergence", 2]]);
  });

  it("overfitting from a rising validation loss, underfitting from a stuck training loss; healthy epochs get nothing", () => {
    const ok = attached();
    ok.step(2.3);
    [[1, 1.1], [0.5, 0.6], [0.3, 0.45], [0.25, 0.44]].forEach(([l, v], e) => ok.recordEpoch(e, { loss: l!, valLoss: v! }));
    expect(ok.diagnoses).toEqual([]);
    const over = attached();
    over.step(2.3);
    [[1, 1.1], [0.3, 0.6], [0.1, 0.7], [0.05, 0.8]].forEach(([l, v], e) => over.recordEpoch(e, { loss: l!, val_loss: v! }));
    const d = over.diagnoses[0]!;
    expect([d.label, d.value]).toEqual(["overfitting", (0.8 - 0.6) / 0.6]);
    const under = attached();
    under.step(2.3);
    [2.29, 2.28, 2.27].forEach((l, e) => under.recordEpoch(e, { loss: l, valLoss: l }));
    expect(under.diagnoses.map((x) => x.label)).toEqual(["underfitting"]);
  });

  it("thresholds are configurable: a looser limit silences a rule, and each label is reported once", () => {
    const run = (thresholds?: Partial<st.stability.Thresholds>): st.stability.Monitor => {
      const mon = st.stability.monitor({ every: 1, thresholds }).attach(tiny());
      for (let s = 0; s < 4; s++) mon.step(2.3026);
      return mon;
    };
    expect(run().diagnoses.map((d) => d.label)).toEqual(["slow-convergence"]);
    expect(run({ plateauChecks: 10 }).diagnoses).toEqual([]);
    expect(st.stability.monitor({ thresholds: { deadFrac: 0.9 } }).thresholds).toEqual({ ...DEFAULT_THRESHOLDS, deadFrac: 0.9 });
  });

  it("raises ValueErrors naming the function for bad options and misuse", () => {
    expect(() => st.stability.monitor({ every: 0 })).toThrow(st.ValueError);
    expect(() => st.stability.monitor({ every: 2.5 })).toThrow(/every must be a positive integer \(got 2.5\)/);
    expect(() => resolveThresholds("stability.monitor", { deadFrac: -1 })).toThrow(/threshold deadFrac must be a positive finite number \(got -1\)/);
    expect(() => resolveThresholds("stability.monitor", { nope: 1 } as never)).toThrow(/unknown threshold "nope"/);
    expect(() => st.stability.monitor().step(1)).toThrow(/Monitor.step: call mon.attach/);
    expect(() => st.stability.monitor().attach({} as never)).toThrow(/Monitor.attach: expected an nn.Module or a Model/);
    expect(() => attached().recordSharpness(0, NaN, 0.1)).toThrow(st.ValueError);
  });
});
