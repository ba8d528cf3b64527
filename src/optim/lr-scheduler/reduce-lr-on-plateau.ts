// ReduceLROnPlateau: cut the learning rate by a factor when a watched metric stops improving for
// `patience` steps (PyTorch's ReduceLROnPlateau). Driven by step(metric), not by a clock.

import { ValueError } from "../../core/errors.js";
import { Tensor } from "../../core/tensor.js";
import { checkChoice, checkInteger, checkNonNegative, checkRange, mergeOptions } from "../hyperparams.js";
import { Optimizer } from "../optimizer.js";
import { type LrValue, mapLr, restoreState, snapshotState } from "./lr-scheduler.js";

/** Options of `ReduceLROnPlateau` (PyTorch's defaults). */
export interface ReduceLROnPlateauOptions {
  /** "min": the metric should decrease (a loss); "max": increase (an accuracy). Default "min". */
  mode?: "min" | "max";
  /** new lr = lr · factor, 0 ≤ factor < 1. Default 0.1. */
  factor?: number;
  /** Steps without improvement tolerated before a cut. Default 10. */
  patience?: number;
  /** How much better counts as an improvement. Default 1e-4. */
  threshold?: number;
  /** "rel": better than best·(1 ∓ threshold); "abs": better than best ∓ threshold. Default "rel". */
  thresholdMode?: "rel" | "abs";
  /** Steps to wait after a cut before counting bad steps again. Default 0. */
  cooldown?: number;
  /** Lower bound of the lr, or one per parameter group. Default 0. */
  minLr?: number | readonly number[];
  /** A cut smaller than eps is skipped. Default 1e-8. */
  eps?: number;
}

/**
 * Reduce-on-plateau: after each `step(metric)`, if the metric has not improved on the best seen
 * (by `threshold`, relative or absolute) for more than `patience` steps, every group's lr becomes
 * max(lr·factor, minLr) — unless that changes it by less than eps — and a cooldown starts. A NaN
 * metric never counts as an improvement (as in PyTorch).
 *
 * @example
 * const w = st.zeros([2], { requiresGrad: true });
 * const opt = new st.optim.SGD([w], { lr: 0.1 });
 * const sched = new st.optim.lrScheduler.ReduceLROnPlateau(opt, { patience: 5, factor: 0.5 });
 * for (let epoch = 0; epoch < 100; epoch++) {
 *   opt.zeroGrad();
 *   const loss = w.sub(1).square().sum();
 *   loss.backward();
 *   opt.step();
 *   sched.step(loss.item()); // in practice: the validation loss
 * }
 */
export class ReduceLROnPlateau {
  /** The scheduler's name, for logs. */
  readonly name = "ReduceLROnPlateau";
  /** The optimizer whose learning rates it lowers. */
  readonly optimizer: Optimizer;
  /** "min": lower the lr when the metric stops decreasing (default); "max": when it stops increasing. */
  mode: "min" | "max";
  /** Factor the lr is multiplied by (default 0.1). */
  factor: number;
  /** Steps without improvement before lowering (default 10). */
  patience: number;
  /** Smallest change that counts as an improvement (default 1e-4). */
  threshold: number;
  /** Whether `threshold` is relative ("rel", default) or absolute ("abs"). */
  thresholdMode: "rel" | "abs";
  /** Steps to wait after a reduction before counting again (default 0). */
  cooldown: number;
  /** Lower bound of each group's lr (default 0). */
  minLrs: number[];
  /** Reductions smaller than this are skipped (default 1e-8). */
  eps: number;
  /** The best metric so far (±Infinity before the first step). */
  best: number;
  /** Consecutive steps without improvement. */
  numBadEpochs = 0;
  /** Steps of cooldown left. */
  cooldownCounter = 0;
  /** Number of `step` calls so far. */
  lastEpoch = 0;
  /** @internal the learning rates after the last step. */
  _lastLr: LrValue[];

  constructor(optimizer: Optimizer, options: ReduceLROnPlateauOptions = {}) {
    const N = "ReduceLROnPlateau";
    if (!(optimizer instanceof Optimizer)) throw new ValueError(`${N}: expected an optimizer from st.optim (got ${optimizer === null ? "null" : typeof optimizer})`);
    const o = mergeOptions<Required<ReduceLROnPlateauOptions>>(
      N,
      { mode: "min", factor: 0.1, patience: 10, threshold: 1e-4, thresholdMode: "rel", cooldown: 0, minLr: 0, eps: 1e-8 },
      options,
    );
    checkChoice(N, "mode", o.mode, ["min", "max"]);
    checkChoice(N, "thresholdMode", o.thresholdMode, ["rel", "abs"]);
    checkRange(N, "factor", o.factor, 0, 1, false);
    checkInteger(N, "patience", o.patience, 0);
    checkInteger(N, "cooldown", o.cooldown, 0);
    checkNonNegative(N, "threshold", o.threshold);
    checkNonNegative(N, "eps", o.eps);
    const n = optimizer.paramGroups.length;
    if (Array.isArray(o.minLr) && o.minLr.length !== n) {
      throw new ValueError(`${N}: option minLr has ${o.minLr.length} values (expected one per parameter group: ${n})`);
    }
    this.minLrs = Array.isArray(o.minLr) ? [...(o.minLr as number[])] : new Array<number>(n).fill(o.minLr as number);
    this.minLrs.forEach((m) => checkNonNegative(N, "minLr", m));
    this.optimizer = optimizer;
    this.mode = o.mode;
    this.factor = o.factor;
    this.patience = o.patience;
    this.threshold = o.threshold;
    this.thresholdMode = o.thresholdMode;
    this.cooldown = o.cooldown;
    this.eps = o.eps;
    this.best = this.modeWorse();
    this._lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  private modeWorse(): number {
    return this.mode === "min" ? Infinity : -Infinity;
  }

  /** Whether `a` improves on `best` by more than the threshold. */
  isBetter(a: number, best: number): boolean {
    const { mode, thresholdMode: tm, threshold: th } = this;
    if (mode === "min" && tm === "rel") return a < best * (1 - th);
    if (mode === "min") return a < best - th;
    if (tm === "rel") return a > best * (th + 1);
    return a > best + th;
  }

  /** Records this step's metric (a number or a one-element tensor) and cuts the lr on a plateau. */
  step(metric: number | Tensor): void {
    const current = metric instanceof Tensor ? metric.item() : metric;
    if (typeof current !== "number") throw new ValueError(`ReduceLROnPlateau.step: expected a number or a one-element tensor (got ${typeof metric})`);
    this.lastEpoch++;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else this.numBadEpochs++;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0; // bad steps during the cooldown do not count
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this._lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private reduceLr(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      const minLr = this.minLrs[i]!;
      g.lr = mapLr((old) => {
        const next = Math.max(old * this.factor, minLr);
        return old - next > this.eps ? next : old;
      }, g.lr);
    });
  }

  /** Whether a cooldown is running. */
  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /** The learning rate of each group after the last step. */
  getLastLr(): LrValue[] {
    return this._lastLr.slice();
  }

  /** The scheduler's state (PyTorch's layout: every field but the optimizer, snake_case). */
  stateDict(): Record<string, unknown> {
    return snapshotState(this);
  }

  /** Restores a `stateDict()`. */
  loadStateDict(sd: Record<string, unknown>): void {
    // PyTorch's state dict also holds mode_worse, which is derived from mode here
    const { mode_worse: _ignored, ...rest } = sd;
    restoreState(this.name, this, rest);
  }

  /** The scheduler's name and settings, for logs. */
  toString(): string {
    return `ReduceLROnPlateau(mode=${this.mode}, best=${this.best}, numBadEpochs=${this.numBadEpochs}, lr=[${this._lastLr.map(String).join(", ")}])`;
  }
}
