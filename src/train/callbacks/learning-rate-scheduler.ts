// LearningRateScheduler (Keras's): sets the learning rate at each epoch's start from a function of
// the epoch and the current rate.

import { ValueError } from "../../core/errors.js";
import { mapLr } from "../../optim/lr-scheduler/lr-scheduler.js";
import { Callback, type Logs } from "../callback.js";
import { checkLrValue, logLr, optimizerOf } from "./lr-access.js";

/** The schedule: the learning rate for `epoch` (0-based) given the current one. */
export type LrScheduleFn = (epoch: number, lr: number) => number;

/**
 * At the start of every epoch, each parameter group's `lr` becomes `schedule(epoch, lr)` (a
 * per-element learning-rate tensor is mapped element by element); the epoch logs report it as
 * `lr`. A schedule returning anything but a finite number ≥ 0 is a ValueError.
 *
 * @example
 * const model = st.sequential([st.layers.dense({ units: 1, inputShape: [2] })]);
 * model.compile({ optimizer: "sgd", loss: "mse" });
 * const x = st.randn([32, 2]), y = x.sum(1, true);
 * // keep lr for 10 epochs, then decay it by e^-0.1 per epoch (Keras's doc example)
 * const sched = new st.callbacks.LearningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * Math.exp(-0.1)));
 * await model.fit(x, y, { epochs: 15, callbacks: [sched] });
 */
export class LearningRateScheduler extends Callback {
  /** `(epoch, lr) => newLr`, called at the start of each epoch. */
  readonly schedule: LrScheduleFn;
  private readonly verbose: 0 | 1;
  private readonly log: (line: string) => void;

  constructor(schedule: LrScheduleFn, opts: { verbose?: 0 | 1; log?: (line: string) => void } = {}) {
    super();
    if (typeof schedule !== "function") {
      throw new ValueError(`LearningRateScheduler: schedule must be a function (epoch, lr) => lr (got ${typeof schedule})`);
    }
    this.schedule = schedule;
    this.verbose = opts.verbose ?? 0;
    this.log = opts.log ?? ((line) => console.log(line));
  }

  override onEpochBegin(epoch: number, _logs: Logs): void {
    const opt = optimizerOf("LearningRateScheduler", this.model);
    for (const g of opt.paramGroups) {
      g.lr = mapLr((lr) => {
        const next = this.schedule(epoch, lr);
        checkLrValue("LearningRateScheduler", next, `schedule(${epoch}, ${lr})`);
        return next;
      }, g.lr);
    }
    const lr = opt.paramGroups[0]?.lr;
    if (this.verbose > 0 && typeof lr === "number") this.log(`Epoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.`);
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    logLr(optimizerOf("LearningRateScheduler", this.model), logs);
  }
}
