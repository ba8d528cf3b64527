// StepLR: multiply the learning rate by gamma every stepSize epochs (PyTorch's StepLR).

import { checkFinite, checkInteger, mergeOptions } from "../hyperparams.js";
import type { Optimizer } from "../optimizer.js";
import { LRScheduler, type LrValue, mapLr } from "./lr-scheduler.js";

/** Options of `StepLR`. */
export interface StepLROptions {
  /** Period of the decay, in steps (epochs). Required. */
  stepSize: number;
  /** Multiplicative factor. Default 0.1. */
  gamma?: number;
  /** Index of the last epoch when resuming. Default −1 (start). */
  lastEpoch?: number;
}

/**
 * Step decay: η_t = η₀ · γ^⌊t / stepSize⌋ (applied recursively to the group's current lr, as in
 * PyTorch, so it composes with other schedules).
 *
 * @example
 * const opt = new st.optim.SGD([st.zeros([1], { requiresGrad: true })], { lr: 0.05 });
 * const sched = new st.optim.lrScheduler.StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * // lr = 0.05 for epochs 0–29, 0.005 for 30–59, ...
 */
export class StepLR extends LRScheduler {
  /** Period of the decay, in steps. */
  stepSize: number;
  /** Factor applied every `stepSize` steps γ. */
  gamma: number;

  constructor(optimizer: Optimizer, options: StepLROptions) {
    super("StepLR", optimizer);
    const o = mergeOptions<Required<StepLROptions>>("StepLR", { gamma: 0.1, lastEpoch: -1 }, options, ["stepSize"]);
    checkInteger("StepLR", "stepSize", o.stepSize, 1);
    checkFinite("StepLR", "gamma", o.gamma);
    this.stepSize = o.stepSize;
    this.gamma = o.gamma;
    this.init(o.lastEpoch);
  }

  protected override getLr(): LrValue[] {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return this.currentLrs();
    return this.currentLrs().map((lr) => mapLr((x) => x * this.gamma, lr));
  }

  protected override closedFormLr(): LrValue[] {
    const f = this.gamma ** Math.floor(this.lastEpoch / this.stepSize);
    return this.baseLrs.map((b) => mapLr((x) => x * f, b));
  }
}
