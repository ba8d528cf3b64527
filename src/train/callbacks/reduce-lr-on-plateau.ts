// ReduceLROnPlateau as a fit callback, with Keras's semantics (which differ from the PyTorch-style
// scheduler st.optim.lrScheduler.ReduceLROnPlateau: see the class doc).

import { mapLr } from "../../optim/lr-scheduler/lr-scheduler.js";
import { ValueError } from "../../core/errors.js";
import { Callback, type Logs } from "../callback.js";
import { logLr, optimizerOf } from "./lr-access.js";
import { type MonitorMode, checkCount, checkNonNegative, isImprovement, monitorValue, resolveMode, worst } from "./monitor.js";

/** Options of the `ReduceLROnPlateau` callback (Keras's names and defaults). */
export interface ReduceLROnPlateauCallbackOptions {
  /** The log value watched (default `val_loss`). */
  monitor?: string;
  /** new lr = max(lr · factor, minLr), 0 < factor < 1 (default 0.1). */
  factor?: number;
  /** Epochs without improvement before a cut (default 10). */
  patience?: number;
  /** "min", "max" or "auto" (from the name). Default "auto". */
  mode?: MonitorMode;
  /** An improvement must beat the best by more than this, absolute (default 1e-4). */
  minDelta?: number;
  /** Epochs after a cut during which bad epochs are not counted (default 0). */
  cooldown?: number;
  /** The lower bound of the learning rate (default 0). */
  minLr?: number;
  /** 1: print a line at each cut (default 0). */
  verbose?: 0 | 1;
  /** Where the lines go (default console.log). */
  log?: (line: string) => void;
}

/**
 * Cuts every parameter group's learning rate to `max(lr · factor, minLr)` when `monitor` has not
 * improved by more than `minDelta` for `patience` epochs, then waits `cooldown` epochs before
 * counting again — Keras's rule, exactly: a cut after `patience` bad epochs (PyTorch's scheduler
 * cuts after `patience + 1`), an absolute `minDelta` (PyTorch: relative `threshold`), and no cut
 * once lr ≤ minLr. The epoch logs report the learning rate as `lr`.
 * For PyTorch's semantics run the scheduler through `SchedulerCallback` with `monitor`.
 *
 * @example
 * const model = st.sequential([st.layers.dense({ units: 1, inputShape: [2] })]);
 * model.compile({ optimizer: "sgd", loss: "mse" });
 * const x = st.randn([32, 2]), y = x.sum(1, true);
 * const plateau = new st.callbacks.ReduceLROnPlateau({ monitor: "val_loss", factor: 0.2, patience: 5, minLr: 1e-3 });
 * await model.fit(x, y, { epochs: 50, validationSplit: 0.2, callbacks: [plateau] });
 */
export class ReduceLROnPlateau extends Callback {
  /** The logged quantity watched (default "val_loss"). */
  readonly monitor: string;
  /** Factor the learning rate is multiplied by (default 0.1). */
  readonly factor: number;
  /** Epochs without improvement before lowering (default 10). */
  readonly patience: number;
  /** Whether lower ("min") or higher ("max") is better; "auto" picks from the name. */
  readonly mode: "min" | "max";
  /** Smallest change that counts as an improvement (default 1e-4). */
  readonly minDelta: number;
  /** Epochs to wait after a reduction before counting again (default 0). */
  readonly cooldown: number;
  /** Lower bound of the learning rate (default 0). */
  readonly minLr: number;
  /** The best monitored value so far. */
  best: number;
  /** Bad epochs counted toward the next cut. */
  wait = 0;
  /** Epochs of cooldown left. */
  cooldownCounter = 0;
  private readonly verbose: 0 | 1;
  private readonly log: (line: string) => void;

  constructor(opts: ReduceLROnPlateauCallbackOptions = {}) {
    super();
    const N = "ReduceLROnPlateau";
    this.monitor = opts.monitor ?? "val_loss";
    this.factor = opts.factor ?? 0.1;
    if (!(this.factor > 0 && this.factor < 1)) {
      throw new ValueError(`${N}: factor must be in (0, 1): the new lr is lr · factor (got ${this.factor})`);
    }
    this.patience = opts.patience ?? 10;
    checkCount(N, "patience", this.patience);
    this.mode = resolveMode(N, this.monitor, opts.mode ?? "auto");
    this.minDelta = opts.minDelta ?? 1e-4;
    checkNonNegative(N, "minDelta", this.minDelta);
    this.cooldown = opts.cooldown ?? 0;
    checkCount(N, "cooldown", this.cooldown);
    this.minLr = opts.minLr ?? 0;
    checkNonNegative(N, "minLr", this.minLr);
    this.verbose = opts.verbose ?? 0;
    this.log = opts.log ?? ((line) => console.log(line));
    this.best = worst(this.mode);
  }

  override onTrainBegin(_logs: Logs): void {
    this.best = worst(this.mode);
    this.wait = 0;
    this.cooldownCounter = 0;
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const opt = optimizerOf("ReduceLROnPlateau", this.model);
    const current = monitorValue("ReduceLROnPlateau", logs, this.monitor);
    logLr(opt, logs); // the rate this epoch ran with
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.wait = 0;
    }
    if (isImprovement(this.mode, current, this.best, this.minDelta)) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter === 0) {
      this.wait++;
      if (this.wait >= this.patience) {
        let cut = false;
        for (const g of opt.paramGroups) {
          g.lr = mapLr((lr) => {
            if (!(lr > this.minLr)) return lr;
            cut = true;
            return Math.max(lr * this.factor, this.minLr);
          }, g.lr);
        }
        if (cut) {
          const lr = opt.paramGroups[0]?.lr;
          if (this.verbose > 0) this.log(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${typeof lr === "number" ? lr : "(per-element tensor)"}.`);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }
}
