// ExponentialLR: multiply the learning rate by gamma every epoch (PyTorch's ExponentialLR).

import { checkFinite, mergeOptions } from "../hyperparams.js";
import type { Optimizer } from "../optimizer.js";
import { LRScheduler, type LrValue, mapLr } from "./lr-scheduler.js";

/** Options of `ExponentialLR`. */
export interface ExponentialLROptions {
  /** Multiplicative factor per epoch. Required. */
  gamma: number;
  /** Index of the last epoch when resuming. Default −1 (start). */
  lastEpoch?: number;
}

/**
 * Exponential decay: η_t = η₀ · γ^t.
 *
 * @example
 * const opt = new st.optim.SGD([st.zeros([1], { requiresGrad: true })], { lr: 0.05 });
 * const sched = new st.optim.lrScheduler.ExponentialLR(opt, { gamma: 0.9 });
 */
export class ExponentialLR extends LRScheduler {
  /** Multiplicative decay per step γ. */
  gamma: number;

  constructor(optimizer: Optimizer, options: ExponentialLROptions) {
    super("ExponentialLR", optimizer);
    const o = mergeOptions<Required<ExponentialLROptions>>("ExponentialLR", { lastEpoch: -1 }, options, ["gamma"]);
    checkFinite("ExponentialLR", "gamma", o.gamma);
    this.gamma = o.gamma;
    this.init(o.lastEpoch);
  }

  protected override getLr(): LrValue[] {
    if (this.lastEpoch === 0) return this.currentLrs();
    return this.currentLrs().map((lr) => mapLr((x) => x * this.gamma, lr));
  }

  protected override closedFormLr(): LrValue[] {
    const f = this.gamma ** this.lastEpoch;
    return this.baseLrs.map((b) => mapLr((x) => x * f, b));
  }
}
