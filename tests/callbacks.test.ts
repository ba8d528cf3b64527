// Callbacks driven by a fake model and synthetic logs (no fit needed): EarlyStopping,
// LearningRateScheduler, ReduceLROnPlateau, SchedulerCallback, LambdaCallback and the hook order,
// each effect checked against a trace worked out by hand from Keras's (or PyTorch's) rule.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { ValueError } from "../src/index.js";
import type { Callback, CallbackModel, Logs } from "../src/train/callback.js";
import {
  EarlyStopping, LambdaCallback, LearningRateScheduler, ReduceLROnPlateau, SchedulerCallback,
} from "../src/train/callbacks/index.js";
import type { Optimizer } from "../src/optim/optimizer.js";

/** A stand-in for Model: one weight that `fakeFit` sets to epoch + 1 during each epoch. */
class FakeModel implements CallbackModel {
  stopTraining = false;
  w = 0;
  readonly optimizer: Optimizer | null;
  constructor(lr = 0.1) {
    this.optimizer = new st.optim.SGD([st.zeros([1], { requiresGrad: true })], { lr });
  }
  getWeights() { return { w: st.tensor([this.w], { dtype: "float64" }) }; }
  setWeights(ws: Record<string, st.Tensor>) { this.w = ws.w!.item(); }
  async save(_dir: string) {}
  get lr(): number { return this.optimizer!.paramGroups[0]!.lr as number; }
}

/**
 * The hook sequence of fit: train begin, per epoch (begin, batches, end with `epochLogs[e]`, stop if
 * asked), train end. Returns the epochs that ran.
 */
async function fakeFit(model: FakeModel, callbacks: Callback[], epochLogs: Logs[], batches = 2): Promise<number[]> {
  const ran: number[] = [];
  for (const c of callbacks) {
    c.setModel(model);
    c.setParams({ epochs: epochLogs.length, steps: batches, verbose: 0, metrics: ["loss"], doValidation: true });
  }
  for (const c of callbacks) await c.onTrainBegin({});
  for (let e = 0; e < epochLogs.length; e++) {
    for (const c of callbacks) await c.onEpochBegin(e, {});
    model.w = e + 1;
    for (let b = 0; b < batches; b++) {
      for (const c of callbacks) await c.onBatchBegin(b, { batch: b, size: 4 });
      for (const c of callbacks) await c.onBatchEnd(b, { batch: b, size: 4, loss: epochLogs[e]!.loss ?? 0 });
    }
    const logs = { ...epochLogs[e]! };
    for (const c of callbacks) await c.onEpochEnd(e, logs);
    ran.push(e);
    if (model.stopTraining) break;
  }
  for (const c of callbacks) await c.onTrainEnd({});
  return ran;
}

const vl = (...v: number[]): Logs[] => v.map((x) => ({ loss: 1, val_loss: x }));

describe("EarlyStopping", () => {
  it("stops after `patience` epochs without improvement (Keras: 1.0, 0.8 ✓, 0.9, 0.85 ⇒ stop at epoch 3)", async () => {
    const m = new FakeModel();
    const es = new EarlyStopping({ patience: 2 });
    expect(await fakeFit(m, [es], vl(1.0, 0.8, 0.9, 0.85, 0.7, 0.6))).toEqual([0, 1, 2, 3]);
    expect([es.stoppedEpoch, es.best, es.bestEpoch]).toEqual([3, 0.8, 1]);
    expect(m.w).toBe(4); // no restore by default: the last epoch's weights
  });

  it("patience 0 stops at the first epoch without improvement, never at epoch 0", async () => {
    expect(await fakeFit(new FakeModel(), [new EarlyStopping()], vl(1, 0.9, 0.95, 0.5))).toEqual([0, 1, 2]);
  });

  it("minDelta: an improvement must exceed it (1.0 → 0.9 is none with minDelta 0.15)", async () => {
    expect(await fakeFit(new FakeModel(), [new EarlyStopping({ minDelta: 0.15, patience: 1 })], vl(1.0, 0.9, 0.5))).toEqual([0, 1]);
    expect(await fakeFit(new FakeModel(), [new EarlyStopping({ minDelta: 0.05, patience: 1 })], vl(1.0, 0.9, 0.5))).toEqual([0, 1, 2]);
  });

  it("mode auto watches accuracies upward; an explicit mode overrides", async () => {
    const acc = (...v: number[]) => v.map((x) => ({ loss: 1, val_accuracy: x }));
    const es = new EarlyStopping({ monitor: "val_accuracy" });
    expect(es.mode).toBe("max");
    expect(await fakeFit(new FakeModel(), [es], acc(0.5, 0.6, 0.55, 0.9))).toEqual([0, 1, 2]);
    expect(await fakeFit(new FakeModel(), [new EarlyStopping({ monitor: "val_accuracy", mode: "min" })], acc(0.5, 0.6, 0.4))).toEqual([0, 1]);
    expect(new EarlyStopping({ monitor: "auc" }).mode).toBe("max");
    expect(new EarlyStopping({ monitor: "val_mae" }).mode).toBe("min");
  });

  it("baseline: improvements that do not beat it do not reset the wait (stops at 1 instead of 2)", async () => {
    expect(await fakeFit(new FakeModel(), [new EarlyStopping({ patience: 2, baseline: 0.5 })], vl(0.9, 0.95, 0.97, 0.99))).toEqual([0, 1]);
    expect(await fakeFit(new FakeModel(), [new EarlyStopping({ patience: 2 })], vl(0.9, 0.95, 0.97, 0.99))).toEqual([0, 1, 2]);
  });

  it("restoreBestWeights loads the best epoch's weights at the end, stopped early or not", async () => {
    const m = new FakeModel();
    const es = new EarlyStopping({ patience: 2, restoreBestWeights: true });
    expect(await fakeFit(m, [es], vl(1.0, 0.5, 0.7, 0.8, 0.1))).toEqual([0, 1, 2, 3]);
    expect(m.w).toBe(2); // epoch 1's weights
    const m2 = new FakeModel();
    await fakeFit(m2, [new EarlyStopping({ patience: 5, restoreBestWeights: true })], vl(1.0, 0.5, 0.7));
    expect(m2.w).toBe(2);
  });

  it("startFromEpoch ignores the warm-up epochs", async () => {
    const losses = (...v: number[]) => v.map((x) => ({ loss: x }));
    // epochs 0, 1 ignored; epoch 2 sets best 3; epoch 3 is worse ⇒ stop
    expect(await fakeFit(new FakeModel(), [new EarlyStopping({ monitor: "loss", startFromEpoch: 2 })], losses(1, 2, 3, 4, 5))).toEqual([0, 1, 2, 3]);
  });

  it("a NaN value is never an improvement", async () => {
    expect(await fakeFit(new FakeModel(), [new EarlyStopping({ patience: 1 })], vl(1.0, NaN, NaN))).toEqual([0, 1]);
  });

  it("a monitored value missing from the logs is a ValueError listing the keys there", async () => {
    const p = fakeFit(new FakeModel(), [new EarlyStopping()], [{ loss: 1, accuracy: 0.5 }]);
    await expect(p).rejects.toThrow(ValueError);
    await expect(fakeFit(new FakeModel(), [new EarlyStopping()], [{ loss: 1, accuracy: 0.5 }])).rejects.toThrow(
      /EarlyStopping: monitored value "val_loss" is not in the logs \(available: loss, accuracy\) \(no validation ran/,
    );
    expect(() => new EarlyStopping({ patience: -1 })).toThrow(/patience must be an integer ≥ 0/);
    expect(() => new EarlyStopping({ mode: "up" as "max" })).toThrow(/mode must be/);
  });
});

describe("learning-rate callbacks", () => {
  it("LearningRateScheduler sets lr = fn(epoch, lr) at each epoch start and logs it", async () => {
    const m = new FakeModel(0.1);
    const seen: number[] = [];
    const logged: number[] = [];
    const sched = new LearningRateScheduler((e, lr) => (e < 2 ? lr : lr * 0.5));
    const spy = new LambdaCallback({ onEpochBegin: () => { seen.push(m.lr); }, onEpochEnd: (_e, logs) => { logged.push(logs.lr!); } });
    await fakeFit(m, [sched, spy], vl(1, 1, 1, 1));
    expect(seen).toEqual([0.1, 0.1, 0.05, 0.025]);
    expect(logged).toEqual([0.1, 0.1, 0.05, 0.025]);
  });

  it("LearningRateScheduler rejects a schedule returning NaN or a negative rate", async () => {
    await expect(fakeFit(new FakeModel(), [new LearningRateScheduler(() => NaN)], vl(1))).rejects.toThrow(/schedule\(0, 0.1\) must return a finite learning rate/);
    expect(() => new LearningRateScheduler(0.1 as unknown as () => number)).toThrow(ValueError);
  });

  it("ReduceLROnPlateau follows Keras: cut after `patience` bad epochs, cooldown, floor at minLr", async () => {
    const m = new FakeModel(0.1);
    const lrs: number[] = [];
    const logged: number[] = [];
    const cb = new ReduceLROnPlateau({ patience: 2, factor: 0.5, cooldown: 1, minLr: 0.02 });
    const spy = new LambdaCallback({ onEpochEnd: (_e, logs) => { lrs.push(m.lr); logged.push(logs.lr!); } });
    await fakeFit(m, [cb, spy], vl(1, 1, 1, 1, 1, 1, 1, 1, 1));
    // e0 best; e1 wait 1; e2 wait 2 → 0.05, cooldown; e3 cooldown ends, wait 1; e4 → 0.025; e5 wait 1;
    // e6 → max(0.0125, 0.02) = 0.02; e7 wait 1; e8 wait 2 but lr is at minLr: no cut
    expect(lrs).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.02, 0.02, 0.02]);
    expect(logged).toEqual([0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.02, 0.02]); // the rate each epoch ran with
  });

  it("ReduceLROnPlateau: minDelta is absolute (1 → 0.99995 is no improvement at 1e-4); mode max", async () => {
    const m = new FakeModel(0.1);
    await fakeFit(m, [new ReduceLROnPlateau({ patience: 1, factor: 0.5 })], vl(1, 0.99995));
    expect(m.lr).toBe(0.05);
    const m2 = new FakeModel(0.1);
    await fakeFit(m2, [new ReduceLROnPlateau({ patience: 1, factor: 0.5, minDelta: 0 })], vl(1, 0.99995));
    expect(m2.lr).toBe(0.1);
    const m3 = new FakeModel(0.1);
    const acc = [0.5, 0.6, 0.7].map((x) => ({ loss: 1, val_accuracy: x }));
    await fakeFit(m3, [new ReduceLROnPlateau({ monitor: "val_accuracy", patience: 1 })], acc);
    expect(m3.lr).toBe(0.1); // rising accuracy is improvement under mode auto
    expect(() => new ReduceLROnPlateau({ factor: 1 })).toThrow(/factor must be in \(0, 1\)/);
  });

  it("SchedulerCallback steps a schedule per epoch or per batch, and passes a plateau scheduler its metric", async () => {
    const m = new FakeModel(0.1);
    const step = new st.optim.lrScheduler.StepLR(m.optimizer!, { stepSize: 1, gamma: 0.5 });
    await fakeFit(m, [new SchedulerCallback(step)], vl(1, 1, 1));
    expect(m.lr).toBeCloseTo(0.0125, 15);
    const m2 = new FakeModel(0.1);
    const perBatch = new st.optim.lrScheduler.StepLR(m2.optimizer!, { stepSize: 1, gamma: 0.5 });
    await fakeFit(m2, [new SchedulerCallback(perBatch, { per: "batch" })], vl(1, 1), 3); // 6 steps
    expect(m2.lr).toBeCloseTo(0.1 / 64, 15);
    // PyTorch's plateau rule: a cut after patience + 1 = 2 bad epochs
    const m3 = new FakeModel(0.1);
    const plateau = new st.optim.lrScheduler.ReduceLROnPlateau(m3.optimizer!, { patience: 1, factor: 0.5 });
    const lrs: number[] = [];
    await fakeFit(m3, [new SchedulerCallback(plateau), new LambdaCallback({ onEpochEnd: () => { lrs.push(m3.lr); } })], vl(1, 1, 1, 1));
    expect(lrs).toEqual([0.1, 0.1, 0.05, 0.05]);
  });

  it("SchedulerCallback rejects a schedule on another optimizer, a plateau per batch, a non-schedule", async () => {
    const other = new FakeModel(0.1);
    const sched = new st.optim.lrScheduler.StepLR(other.optimizer!, { stepSize: 1 });
    await expect(fakeFit(new FakeModel(), [new SchedulerCallback(sched)], vl(1))).rejects.toThrow(/drives another optimizer than the model's/);
    const plateau = new st.optim.lrScheduler.ReduceLROnPlateau(other.optimizer!);
    expect(() => new SchedulerCallback(plateau, { per: "batch" })).toThrow(/use per: "epoch"/);
    expect(() => new SchedulerCallback({} as never)).toThrow(/expected a schedule from st.optim.lrScheduler/);
  });
});

describe("LambdaCallback and the hook order", () => {
  it("runs the hooks given, in fit's order, callbacks in list order within each event", async () => {
    const trace: string[] = [];
    const rec = (tag: string) => new LambdaCallback({
      onTrainBegin: () => { trace.push(`${tag}:trainBegin`); },
      onEpochBegin: (e) => { trace.push(`${tag}:epochBegin ${e}`); },
      onBatchBegin: (b) => { trace.push(`${tag}:batchBegin ${b}`); },
      onBatchEnd: async (b) => { await Promise.resolve(); trace.push(`${tag}:batchEnd ${b}`); },
      onEpochEnd: (e, logs) => { trace.push(`${tag}:epochEnd ${e} loss=${logs.loss}`); },
      onTrainEnd: () => { trace.push(`${tag}:trainEnd`); },
    });
    await fakeFit(new FakeModel(), [rec("a"), rec("b")], [{ loss: 0.5 }], 1);
    expect(trace).toEqual([
      "a:trainBegin", "b:trainBegin", "a:epochBegin 0", "b:epochBegin 0", "a:batchBegin 0", "b:batchBegin 0",
      "a:batchEnd 0", "b:batchEnd 0", "a:epochEnd 0 loss=0.5", "b:epochEnd 0 loss=0.5", "a:trainEnd", "b:trainEnd",
    ]);
  });

  it("a callback that stops training ends fit after the current epoch; later callbacks still see it", async () => {
    const seen: number[] = [];
    const stopper = new LambdaCallback({ onEpochEnd: function (this: void, e) { if (e === 1) model.stopTraining = true; } });
    const model = new FakeModel();
    const after = new LambdaCallback({ onEpochEnd: (e) => { seen.push(e); } });
    expect(await fakeFit(model, [stopper, after], vl(1, 1, 1, 1))).toEqual([0, 1]);
    expect(seen).toEqual([0, 1]);
  });

  it("rejects unknown hook names and non-functions", () => {
    expect(() => new LambdaCallback({ onEpochEnds: () => {} } as never)).toThrow(/unknown hook "onEpochEnds"/);
    expect(() => new LambdaCallback({ onEpochEnd: 3 } as never)).toThrow(/onEpochEnd must be a function/);
  });
});
