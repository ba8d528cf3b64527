// SchedulerCallback: runs any st.optim.lrScheduler schedule inside fit, stepping it after every
// batch or every epoch (PyTorch's placement: after optimizer.step()).

import { ValueError } from "../../core/errors.js";
import type { LRScheduler } from "../../optim/lr-scheduler/lr-scheduler.js";
import { ReduceLROnPlateau as PlateauScheduler } from "../../optim/lr-scheduler/reduce-lr-on-plateau.js";
import { Callback, type Logs } from "../callback.js";
import { logLr } from "./lr-access.js";
import { monitorValue } from "./monitor.js";

/** Options of `SchedulerCallback`. */
export interface SchedulerCallbackOptions {
  /** Step after every batch ("batch", e.g. OneCycleLR, warm-ups) or every epoch (default "epoch"). */
  per?: "batch" | "epoch";
  /**
   * The log value given to a plateau scheduler's `step(metric)` at each epoch end (default
   * `val_loss`, or `loss` when fit does not validate); ignored by the other schedules.
   */
  monitor?: string;
}

/**
 * Steps a learning-rate schedule of `st.optim.lrScheduler` during `fit`: `scheduler.step()` after
 * each batch (`per: "batch"`) or each epoch (`per: "epoch"`, default), as a PyTorch loop would
 * after `optimizer.step()`; `st.optim.lrScheduler.ReduceLROnPlateau` gets `step(logs[monitor])` at
 * each epoch end (PyTorch's plateau semantics, `per` must be "epoch"). The schedule must drive the
 * model's compiled optimizer (`model.optimizer`), else a ValueError at the start of training. The
 * epoch logs report the learning rate as `lr`.
 *
 * @example
 * const model = st.sequential([st.layers.dense({ units: 1, inputShape: [2] })]);
 * const x = st.randn([32, 2]), y = x.sum(1, true);
 * const stepsPerEpoch = 1; // 32 rows, batchSize 32
 * model.compile({ optimizer: "adam", loss: "mse" });
 * const sched = new st.optim.lrScheduler.OneCycleLR(model.optimizer!, { maxLr: 0.01, totalSteps: 10 * stepsPerEpoch });
 * await model.fit(x, y, { epochs: 10, callbacks: [new st.callbacks.SchedulerCallback(sched, { per: "batch" })] });
 */
export class SchedulerCallback extends Callback {
  /** The scheduler it steps. */
  readonly scheduler: LRScheduler | PlateauScheduler;
  /** Step after every batch or every epoch. */
  readonly per: "batch" | "epoch";
  /** For a plateau scheduler: the logged quantity passed to its `step` (default "val_loss"). */
  readonly monitor: string | undefined;

  constructor(scheduler: LRScheduler | PlateauScheduler, opts: SchedulerCallbackOptions = {}) {
    super();
    const N = "SchedulerCallback";
    const s = scheduler as { step?: unknown; optimizer?: unknown } | null;
    if (typeof s !== "object" || s === null || typeof s.step !== "function" || typeof s.optimizer !== "object") {
      throw new ValueError(`${N}: expected a schedule from st.optim.lrScheduler (got ${scheduler === null ? "null" : typeof scheduler})`);
    }
    this.per = opts.per ?? "epoch";
    if (this.per !== "batch" && this.per !== "epoch") throw new ValueError(`${N}: per must be "batch" or "epoch" (got ${JSON.stringify(this.per)})`);
    if (scheduler instanceof PlateauScheduler && this.per !== "epoch") {
      throw new ValueError(`${N}: ReduceLROnPlateau steps on an epoch's metric: use per: "epoch" (got "batch")`);
    }
    this.scheduler = scheduler;
    this.monitor = opts.monitor;
  }

  override onTrainBegin(_logs: Logs): void {
    const opt = this.model?.optimizer ?? null;
    if (opt !== null && opt !== this.scheduler.optimizer) {
      throw new ValueError("SchedulerCallback: the schedule drives another optimizer than the model's: build it on model.optimizer after compile");
    }
  }

  override onBatchEnd(_batch: number, _logs: Logs): void {
    if (this.per === "batch") (this.scheduler as LRScheduler).step();
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    logLr(this.scheduler.optimizer, logs); // the rate this epoch ended with
    if (this.per !== "epoch") return;
    if (this.scheduler instanceof PlateauScheduler) {
      const monitor = this.monitor ?? (this.params?.doValidation === false ? "loss" : "val_loss");
      this.scheduler.step(monitorValue("SchedulerCallback", logs, monitor));
    } else this.scheduler.step();
  }
}
