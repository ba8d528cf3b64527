// History and TerminateOnNaN (on by default in fit), and the order fit calls the hooks in.
import { describe, expect, it } from "vitest";
import * as st from "../src/node.js";

function regression(lr: number): { model: st.Model; x: st.Tensor; y: st.Tensor } {
  st.manualSeed(5);
  const x = st.randn([64, 3]);
  const y = x.matmul(st.tensor([[1], [-2], [0.5]])).add(0.3);
  const model = st.sequential([st.layers.dense({ units: 4, activation: "tanh", inputShape: [3] }), st.layers.dense({ units: 1 })]);
  model.compile({ optimizer: { name: "sgd", learningRate: lr }, loss: "mse" });
  return { model, x, y };
}

/** The first (epoch, batch) whose loss is not finite, replaying fit's batches with a plain loop; and the weights before it. */
function firstNonFinite(model: st.Model, x: st.Tensor, y: st.Tensor, lr: number, batchSize: number, epochs: number) {
  const net = model.module;
  const opt = new st.optim.SGD(net.parameters(), { lr });
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let b = 0; b * batchSize < x.shape[0]!; b++) {
      const xb = x.narrow(0, b * batchSize, batchSize), yb = y.narrow(0, b * batchSize, batchSize);
      const loss = net.call(xb).sub(yb).square().mean();
      if (!Number.isFinite(loss.item())) return { epoch, batch: b, weights: model.getWeights() };
      opt.zeroGrad();
      loss.backward();
      opt.step();
    }
  }
  return null;
}

describe("History", () => {
  it("records every epoch's logs under their names, with initialEpoch's numbering", async () => {
    const { model, x, y } = regression(0.05);
    const h = await model.fit(x, y, { epochs: 5, initialEpoch: 2, batchSize: 16, validationData: [x, y], verbose: 0 });
    expect(h).toBeInstanceOf(st.History);
    expect(model.history).toBe(h);
    expect(h.epoch).toEqual([2, 3, 4]);
    for (const k of ["loss", "val_loss"]) expect(h.history[k]).toHaveLength(3);
    expect(h.history.val_loss![2]).toBeCloseTo((await model.evaluate(x, y)).loss!, 6);
    expect(h.terminatedOnNaN).toBeNull();
  });
});

describe("TerminateOnNaN", () => {
  it("stops a diverging run (SGD lr 1e6) at the first non-finite batch, without applying its update", async () => {
    const lr = 1e6;
    const ref = regression(lr);
    const twin = regression(lr);
    const expected = firstNonFinite(ref.model, ref.x, ref.y, lr, 16, 5);
    expect(expected).not.toBeNull();
    const lines: string[] = [];
    let batchesSeen = 0;
    const counter = new st.callbacks.LambdaCallback({ onBatchEnd: () => { batchesSeen++; } });
    const h = await twin.model.fit(twin.x, twin.y, {
      epochs: 5, batchSize: 16, shuffle: false, verbose: 0, callbacks: [new st.TerminateOnNaN({ log: (l) => lines.push(l) }), counter],
    });
    expect(h.terminatedOnNaN).toMatchObject({ epoch: expected!.epoch, batch: expected!.batch });
    expect(Number.isFinite(h.terminatedOnNaN!.loss)).toBe(false);
    expect(twin.model.stopTraining).toBe(true);
    expect(batchesSeen).toBe(expected!.epoch * 4 + expected!.batch + 1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`epoch ${expected!.epoch}, batch ${expected!.batch}`);
    // the weights are the last finite ones, exactly those before the failing batch
    const w = twin.model.getWeights();
    for (const [k, v] of Object.entries(expected!.weights)) expect(w[k]!.toArray()).toEqual(v.toArray());
  });

  it("is on by default (a printed warning), and raise: true throws a NonFiniteError instead", async () => {
    const a = regression(1e6);
    const warn = console.warn;
    const seen: string[] = [];
    console.warn = (m: string) => { seen.push(m); };
    try {
      const h = await a.model.fit(a.x, a.y, { epochs: 5, batchSize: 16, shuffle: false, verbose: 0 });
      expect(h.terminatedOnNaN).not.toBeNull();
    } finally {
      console.warn = warn;
    }
    expect(seen.some((m) => /TerminateOnNaN: the loss is (NaN|Infinity) at epoch \d+, batch \d+/.test(m))).toBe(true);
    const b = regression(1e6);
    await expect(b.model.fit(b.x, b.y, { epochs: 5, batchSize: 16, verbose: 0, callbacks: [new st.TerminateOnNaN({ raise: true })] }))
      .rejects.toBeInstanceOf(st.NonFiniteError);
  });
});

describe("callback order", () => {
  it("train/epoch/batch/test hooks in Keras's order; History first, then TerminateOnNaN, then the user's", async () => {
    const { model, x, y } = regression(0.01);
    const events: string[] = [];
    const rec = new st.callbacks.LambdaCallback({
      onTrainBegin: () => { events.push("trainBegin"); },
      onEpochBegin: (e) => { events.push(`epochBegin ${e}`); },
      onBatchBegin: (b) => { events.push(`batchBegin ${b}`); },
      onBatchEnd: (b) => { events.push(`batchEnd ${b}`); },
      onTestBegin: () => { events.push("testBegin"); },
      onTestEnd: () => { events.push("testEnd"); },
      onEpochEnd: (e, logs) => { events.push(`epochEnd ${e} ${Object.keys(logs).filter((k) => k !== "lr").join(",")}`); },
      onTrainEnd: () => { events.push("trainEnd"); },
    });
    let historyAtEpochEnd = -1;
    const peek = new st.callbacks.LambdaCallback({ onEpochEnd: () => { historyAtEpochEnd = model.history!.epoch.length; } });
    await model.fit(x.narrow(0, 0, 32), y.narrow(0, 0, 32), { epochs: 2, batchSize: 16, validationData: [x, y], callbacks: [rec, peek], verbose: 0 });
    const epoch = (e: number) => [`epochBegin ${e}`, "batchBegin 0", "batchEnd 0", "batchBegin 1", "batchEnd 1", "testBegin", "testEnd", `epochEnd ${e} loss,val_loss`];
    expect(events).toEqual(["trainBegin", ...epoch(0), ...epoch(1), "trainEnd"]);
    // History ran before the user's callbacks at each epoch end
    expect(historyAtEpochEnd).toBe(2);
  });
});
