// The fit loop (design habit 8: one readable loop with a handful of callback hooks), and the test
// loop `evaluate` and validation share. Everything else — batching, the step, the logs — lives in
// fit-data.ts and fit-step.ts.

import type { Tensor } from "../core/tensor.js";
import type { LRScheduler } from "../optim/lr-scheduler/lr-scheduler.js";
import { type Callback, type CallbackModel, type FitParams, type Logs } from "./callback.js";
import type { History } from "./callbacks/history.js";
import { TerminateOnNaN } from "./callbacks/terminate-on-nan.js";
import type { BatchSource } from "./fit-data.js";
import { RunningLogs, type StepContext, testStep, trainStep } from "./fit-step.js";
import { yieldIfDue } from "./yield.js";

/** Calls one hook on every callback in order, awaiting each (hooks may be async). */
async function each(callbacks: readonly Callback[], call: (c: Callback) => void | Promise<void>): Promise<void> {
  for (const c of callbacks) await call(c);
}

export interface LoopOptions {
  epochs: number;
  initialEpoch: number;
  verbose: 0 | 1 | 2;
  train: BatchSource;
  validation: BatchSource | null;
  /** History first, then TerminateOnNaN, the user's callbacks and the progress output. */
  callbacks: Callback[];
  history: History;
  schedule: { scheduler: LRScheduler; interval: "epoch" | "batch" } | null;
}

/**
 * Trains `ctx` for epochs initialEpoch … epochs−1:
 *
 *     for each epoch:   train mode; for each batch: step, running logs, hooks
 *                       validation (eval mode), epoch logs, hooks, schedule
 *
 * A callback (EarlyStopping, TerminateOnNaN) ends training by setting `model.stopTraining`.
 */
export async function fitLoop(model: CallbackModel, ctx: StepContext, o: LoopOptions): Promise<History> {
  const running = new RunningLogs(ctx.compiled.metrics);
  const params: FitParams = {
    epochs: o.epochs, steps: o.train.steps, verbose: o.verbose, metrics: Object.keys(running.logs()), doValidation: o.validation !== null,
  };
  for (const c of o.callbacks) { c.setModel(model); c.setParams(params); }
  model.stopTraining = false;
  let epochLogs: Logs = {};
  await each(o.callbacks, (c) => c.onTrainBegin({}));
  for (let epoch = o.initialEpoch; epoch < o.epochs && !model.stopTraining; epoch++) {
    await each(o.callbacks, (c) => c.onEpochBegin(epoch, {}));
    ctx.module.train();
    running.reset();
    let batch = 0;
    for await (const b of o.train.epoch()) {
      await each(o.callbacks, (c) => c.onBatchBegin(batch, { batch, size: b.x.shape[0]! }));
      const { loss, outputs } = trainStep(ctx, b);
      running.update(loss, b, outputs);
      if (o.schedule?.interval === "batch" && Number.isFinite(loss)) o.schedule.scheduler.step();
      await each(o.callbacks, (c) => c.onBatchEnd(batch, { ...running.logs(), batch, size: b.x.shape[0]! }));
      batch++;
      if (model.stopTraining) break;
      await yieldIfDue(); // a browser page stays live during fit (no-op under Node)
    }
    epochLogs = running.logs();
    // validation calls onTestBegin/onTestEnd, as Keras's fit does through evaluate
    if (o.validation !== null) Object.assign(epochLogs, await testLoop(ctx, o.validation, o.callbacks, "val_"));
    const lr = ctx.optimizer.paramGroups[0]?.lr;
    if (typeof lr === "number") epochLogs.lr = lr;
    await each(o.callbacks, (c) => c.onEpochEnd(epoch, epochLogs));
    if (o.schedule?.interval === "epoch") o.schedule.scheduler.step();
  }
  const stop = o.callbacks.find((c): c is TerminateOnNaN => c instanceof TerminateOnNaN);
  o.history.terminatedOnNaN = stop?.stopped ?? null;
  await each(o.callbacks, (c) => c.onTrainEnd(epochLogs));
  return o.history;
}

/** Runs `source` through the model in eval mode without gradients; returns `{loss, metrics}` with `prefix`. */
export async function testLoop(ctx: Omit<StepContext, "optimizer">, source: BatchSource, callbacks: readonly Callback[], prefix = ""): Promise<Logs> {
  const running = new RunningLogs(ctx.compiled.metrics);
  running.reset(); // the metrics are shared with training: start from zero
  const wasTraining = ctx.module.training;
  ctx.module.eval();
  try {
    await each(callbacks, (c) => c.onTestBegin({}));
    for await (const b of source.epoch()) {
      const { loss, outputs } = testStep(ctx, b);
      running.update(loss, b, outputs as Tensor);
      await yieldIfDue();
    }
    const logs = running.logs(prefix);
    await each(callbacks, (c) => c.onTestEnd(logs));
    return logs;
  } finally {
    ctx.module.train(wasTraining);
  }
}
