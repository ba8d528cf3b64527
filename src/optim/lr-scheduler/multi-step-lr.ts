// MultiStepLR: multiply the learning rate by gamma at each milestone epoch (PyTorch's MultiStepLR).

import { ValueError } from "../../core/errors.js";
import { checkFinite, mergeOptions } from "../hyperparams.js";
import type { Optimizer } from "../optimizer.js";
import { LRScheduler, type LrValue, mapLr } from "./lr-scheduler.js";

/** Options of `MultiStepLR`. */
export interface MultiStepLROptions {
  /** Epochs at which the lr is multiplied by gamma (a repeated milestone multiplies twice). Required. */
  milestones: readonly number[];
  /** Multiplicative factor. Default 0.1. */
  gamma?: number;
  /** Index of the last epoch when resuming. Default −1 (start). */
  lastEpoch?: number;
}

/**
 * Piecewise-constant decay: η_t = η₀ · γ^(number of milestones ≤ t).
 *
 * @example
 * const opt = new st.optim.SGD([st.zeros([1], { requiresGrad: true })], { lr: 0.05 });
 * const sched = new st.optim.lrScheduler.MultiStepLR(opt, { milestones: [30, 80], gamma: 0.1 });
 * // lr = 0.05 for epochs 0–29, 0.005 for 30–79, 0.0005 from 80
 */
export class MultiStepLR extends LRScheduler {
  /** The milestones, sorted (repeats kept). */
  milestones: number[];
  /** Factor applied at each milestone γ. */
  gamma: number;

  constructor(optimizer: Optimizer, options: MultiStepLROptions) {
    super("MultiStepLR", optimizer);
    const o = mergeOptions<Required<MultiStepLROptions>>("MultiStepLR", { gamma: 0.1, lastEpoch: -1 }, options, ["milestones"]);
    if (!Array.isArray(o.milestones) || o.milestones.some((m) => !Number.isInteger(m) || m < 0)) {
      throw new ValueError(`MultiStepLR: option milestones must be an array of integers >= 0 (got ${String(o.milestones)})`);
    }
    checkFinite("MultiStepLR", "gamma", o.gamma);
    this.milestones = [...o.milestones].sort((a, b) => a - b);
    this.gamma = o.gamma;
    this.init(o.lastEpoch);
  }

  protected override getLr(): LrValue[] {
    const hits = this.milestones.filter((m) => m === this.lastEpoch).length;
    if (hits === 0) return this.currentLrs();
    const f = this.gamma ** hits;
    return this.currentLrs().map((lr) => mapLr((x) => x * f, lr));
  }

  protected override closedFormLr(): LrValue[] {
    const f = this.gamma ** this.milestones.filter((m) => m <= this.lastEpoch).length;
    return this.baseLrs.map((b) => mapLr((x) => x * f, b));
  }
}
