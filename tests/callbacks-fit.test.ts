// Each callback through the real Model.fit (one integration test per callback), on a tiny linear
// regression: EarlyStopping, ModelCheckpoint (+ loadModel), LearningRateScheduler,
// ReduceLROnPlateau, SchedulerCallback, CSVLogger, LambdaCallback (order after History), and the
// progress output of verbose 1/2 installed by the Node entry.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import * as st from "../src/node.js";
import type { Logs } from "../src/train/callback.js";

const work = mkdtempSync(join(tmpdir(), "steady-callbacks-fit-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** y = 2·x₀ − x₁ + 1 on 32 fixed points, and a one-layer model compiled with SGD (lr 0.05). */
function setup(lr = 0.05) {
  st.manualSeed(3);
  const x = st.randn([32, 2], { dtype: "float32" });
  const y = x.matmul(st.tensor([[2], [-1]])).add(1);
  const model = st.sequential([st.layers.dense({ units: 1, inputShape: [2] })]);
  model.compile({ optimizer: new st.optim.SGD(model.module.parameters(), { lr }), loss: "mse" });
  return { x, y, model };
}
const opts = { batchSize: 8, verbose: 0 as const, shuffle: false };

describe("callbacks through fit", () => {
  it("EarlyStopping stops when loss does not improve by minDelta, and restores the best weights", async () => {
    const { x, y, model } = setup();
    const weights: Record<string, st.Tensor>[] = [];
    const spy = new st.callbacks.LambdaCallback({ onEpochEnd: () => { weights.push(model.getWeights()); } });
    const es = new st.callbacks.EarlyStopping({ monitor: "loss", minDelta: 1e9, patience: 2, restoreBestWeights: true });
    const h = await model.fit(x, y, { ...opts, epochs: 10, callbacks: [spy, es] });
    // epoch 0 is the best (nothing improves by 1e9); stops once 2 epochs have passed without improvement
    expect(h.epoch).toEqual([0, 1, 2]);
    expect(es.stoppedEpoch).toBe(2);
    const now = model.getWeights();
    for (const k of Object.keys(now)) expect(now[k]!.toArray()).toEqual(weights[0]![k]!.toArray());
    expect(now["0.weight"]!.toArray()).not.toEqual(weights[2]!["0.weight"]!.toArray());
  });

  it("ModelCheckpoint saves the best epoch with model.save, and st.loadModel reads it back", async () => {
    const { x, y, model } = setup();
    const path = join(work, "best");
    const ckpt = new st.callbacks.ModelCheckpoint(path, { monitor: "loss", saveBestOnly: true });
    const h = await model.fit(x, y, { ...opts, epochs: 3, callbacks: [ckpt] });
    expect(h.history.loss![2]).toBeLessThan(h.history.loss![0]!); // converging: each epoch is best
    expect(ckpt.saved.length).toBe(3);
    const again = await st.loadModel(path);
    expect(again.predict(x).toArray()).toEqual(model.predict(x).toArray());
  });

  it("resuming from a ModelCheckpoint (weights + optimizer state) continues the uninterrupted loss trajectory", async () => {
    const adam = () => {
      const s = setup();
      s.model.compile({ optimizer: "adam", loss: "mse" });
      return s;
    };
    const a = adam();
    const full = await a.model.fit(a.x, a.y, { ...opts, epochs: 4 });
    const b = adam();
    const path = join(work, "resume");
    await b.model.fit(b.x, b.y, { ...opts, epochs: 2, callbacks: [new st.callbacks.ModelCheckpoint(path)] });
    const resumed = await st.loadModel(path);
    const rest = await resumed.fit(b.x, b.y, { ...opts, epochs: 4, initialEpoch: 2 });
    expect(rest.epoch).toEqual([2, 3]);
    expect(rest.history.loss).toEqual(full.history.loss!.slice(2));
  });

  it("LearningRateScheduler sets the rate per epoch; History records it as lr", async () => {
    const { x, y, model } = setup(0.04);
    const h = await model.fit(x, y, { ...opts, epochs: 4, callbacks: [new st.callbacks.LearningRateScheduler((e, lr) => (e === 0 ? lr : lr / 2))] });
    expect(h.history.lr).toEqual([0.04, 0.02, 0.01, 0.005]);
  });

  it("ReduceLROnPlateau cuts the rate after `patience` epochs without improvement", async () => {
    const { x, y, model } = setup(0.04);
    const cb = new st.callbacks.ReduceLROnPlateau({ monitor: "loss", minDelta: 1e9, patience: 2, factor: 0.5 });
    await model.fit(x, y, { ...opts, epochs: 5, callbacks: [cb] });
    // e0 best; e1, e2 bad → cut to 0.02; e3, e4 bad → 0.01
    expect(model.optimizer!.paramGroups[0]!.lr).toBe(0.01);
  });

  it("SchedulerCallback steps a StepLR per batch on the compiled optimizer", async () => {
    const { x, y, model } = setup(0.04);
    const sched = new st.optim.lrScheduler.StepLR(model.optimizer!, { stepSize: 4, gamma: 0.5 });
    const h = await model.fit(x, y, { ...opts, epochs: 2, callbacks: [new st.callbacks.SchedulerCallback(sched, { per: "batch" })] });
    // 4 batches per epoch: one halving per epoch
    expect(h.history.lr).toEqual([0.02, 0.01]);
  });

  it("CSVLogger writes the History's values, one row per epoch", async () => {
    const { x, y, model } = setup();
    const path = join(work, "log.csv");
    const h = await model.fit(x, y, { ...opts, epochs: 3, validationData: [x, y], callbacks: [new st.callbacks.CSVLogger(path)] });
    const rows = readFileSync(path, "utf8").trim().split("\n").map((l) => l.split(","));
    const header = rows[0]!;
    expect(header).toEqual(["epoch", ...Object.keys(h.history).sort()]);
    for (let e = 0; e < 3; e++) {
      expect(rows[e + 1]![0]).toBe(String(e));
      header.slice(1).forEach((k, i) => expect(Number(rows[e + 1]![i + 1])).toBe(h.history[k]![e]));
    }
  });

  it("LambdaCallback sees every batch and epoch, after History has recorded the epoch", async () => {
    const { x, y, model } = setup();
    let batches = 0;
    const seen: number[] = [];
    const h0: { h: st.History | null } = { h: null };
    const cb = new st.callbacks.LambdaCallback({
      onBatchEnd: (_b, logs: Logs) => { batches++; expect(typeof logs.loss).toBe("number"); },
      onEpochEnd: (e) => { seen.push(e); expect(model.history!.epoch.at(-1)).toBe(e); },
      onTrainEnd: () => { h0.h = model.history; },
    });
    await model.fit(x, y, { ...opts, epochs: 2, callbacks: [cb] });
    expect([batches, seen]).toEqual([8, [0, 1]]);
    expect(h0.h?.epoch).toEqual([0, 1]);
  });

  it("verbose 2 prints one Keras line per epoch through the installed progress bar", async () => {
    const { x, y, model } = setup();
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => { lines.push(String(s)); return true; });
    try {
      await model.fit(x, y, { ...opts, verbose: 2, epochs: 2, validationData: [x, y] });
    } finally {
      write.mockRestore();
    }
    expect(lines.length).toBe(2);
    expect(lines[0]).toMatch(/^Epoch 1\/2 - 4\/4 - \d+s \d+(us|ms|s)\/step - loss: \d+\.\d{4} - val_loss: \d+\.\d{4} - lr: 0\.0500\n$/);
    expect(lines[1]).toMatch(/^Epoch 2\/2 - 4\/4 - /);
  });
});
