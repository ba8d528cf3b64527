// EarlyStopping (Keras's): stop fit when a monitored value has stopped improving, optionally
// restoring the weights of the best epoch.

import { ValueError } from "../../core/errors.js";
import type { Tensor } from "../../core/tensor.js";
import { Callback, type Logs } from "../callback.js";
import { type MonitorMode, checkCount, checkNonNegative, isImprovement, monitorValue, requireModel, resolveMode, worst } from "./monitor.js";

/** Options of `EarlyStopping` (Keras's names and defaults). */
export interface EarlyStoppingOptions {
  /** The log value watched (default `val_loss`). */
  monitor?: string;
  /** A change smaller than or equal to this (absolute) is no improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0: stop at the first). */
  patience?: number;
  /** "min", "max" or "auto" (from the name: accuracies/AUC/… max, losses min). Default "auto". */
  mode?: MonitorMode;
  /** Training stops unless the value improves on this within `patience` epochs (default none). */
  baseline?: number;
  /** At the end of training, load the weights of the best epoch (default false). */
  restoreBestWeights?: boolean;
  /** Epochs to wait before watching at all (a warm-up; default 0). */
  startFromEpoch?: number;
  /** 1: print a line when stopping / restoring (default 0). */
  verbose?: 0 | 1;
  /** Where the lines go (default console.log). */
  log?: (line: string) => void;
}

/**
 * Stops training when `monitor` has not improved (by more than `minDelta`) for `patience` epochs
 * — Keras 3's rule: at each epoch end from `startFromEpoch` on, a counter of epochs without
 * improvement grows; an improvement resets it (unless `baseline` is set and not yet beaten);
 * when it reaches `patience` (and after the first epoch) `model.stopTraining` is set.
 * With `restoreBestWeights`, the weights of the best epoch are loaded when training ends, stopped
 * early or not. A monitored value missing from the logs is a ValueError listing the keys there.
 *
 * @example
 * const model = st.sequential([st.layers.dense({ units: 1, inputShape: [2] })]);
 * model.compile({ optimizer: "sgd", loss: "mse" });
 * const x = st.randn([32, 2]), y = x.sum(1, true);
 * const stop = new st.callbacks.EarlyStopping({ monitor: "val_loss", patience: 3, restoreBestWeights: true });
 * await model.fit(x, y, { epochs: 20, validationSplit: 0.2, verbose: 0, callbacks: [stop] });
 * stop.stoppedEpoch; // the epoch it stopped at (0 when it ran to the end)
 */
export class EarlyStopping extends Callback {
  /** The logged quantity watched (default "val_loss"). */
  readonly monitor: string;
  /** Smallest change that counts as an improvement (default 0). */
  readonly minDelta: number;
  /** Epochs without improvement before stopping (default 0). */
  readonly patience: number;
  /** Whether lower ("min") or higher ("max") is better; "auto" picks from the name. */
  readonly mode: "min" | "max";
  /** A value the monitored quantity must beat, or null. */
  readonly baseline: number | undefined;
  /** Restore the weights of the best epoch when stopping (default false). */
  readonly restoreBestWeights: boolean;
  /** Epochs to wait before watching starts (default 0). */
  readonly startFromEpoch: number;
  /** Epochs since the last improvement. */
  wait = 0;
  /** The epoch at which training was stopped (0 if it was not). */
  stoppedEpoch = 0;
  /** The best monitored value so far. */
  best: number;
  /** The epoch of `best`. */
  bestEpoch = 0;
  private bestWeights: Record<string, Tensor> | null = null;
  private readonly verbose: 0 | 1;
  private readonly log: (line: string) => void;

  constructor(opts: EarlyStoppingOptions = {}) {
    super();
    const N = "EarlyStopping";
    this.monitor = opts.monitor ?? "val_loss";
    this.minDelta = Math.abs(opts.minDelta ?? 0);
    checkNonNegative(N, "minDelta", this.minDelta);
    this.patience = opts.patience ?? 0;
    checkCount(N, "patience", this.patience);
    this.mode = resolveMode(N, this.monitor, opts.mode ?? "auto");
    if (opts.baseline !== undefined && !Number.isFinite(opts.baseline)) throw new ValueError(`${N}: baseline must be a finite number (got ${opts.baseline})`);
    this.baseline = opts.baseline;
    this.restoreBestWeights = opts.restoreBestWeights ?? false;
    this.startFromEpoch = opts.startFromEpoch ?? 0;
    checkCount(N, "startFromEpoch", this.startFromEpoch);
    this.verbose = opts.verbose ?? 0;
    this.log = opts.log ?? ((line) => console.log(line));
    this.best = worst(this.mode);
  }

  override onTrainBegin(_logs: Logs): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = worst(this.mode);
    this.bestWeights = null;
    this.bestEpoch = 0;
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    if (epoch < this.startFromEpoch) return;
    const current = monitorValue("EarlyStopping", logs, this.monitor);
    const model = requireModel("EarlyStopping", this.model);
    if (this.restoreBestWeights && this.bestWeights === null) {
      // the first watched epoch is the best so far even if its value is NaN
      this.bestWeights = model.getWeights();
      this.bestEpoch = epoch;
    }
    this.wait++;
    if (isImprovement(this.mode, current, this.best, this.minDelta)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = model.getWeights();
      if (this.baseline === undefined || isImprovement(this.mode, current, this.baseline, this.minDelta)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      model.stopTraining = true;
    }
  }

  override onTrainEnd(_logs: Logs): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) this.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights !== null) {
      if (this.verbose > 0) this.log(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      requireModel("EarlyStopping", this.model).setWeights(this.bestWeights);
    }
  }
}
