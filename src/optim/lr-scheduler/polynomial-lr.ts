// PolynomialLR: polynomial decay of the lr to 0 over totalIters steps (PyTorch's PolynomialLR).

import { checkFinite, checkInteger, mergeOptions } from "../hyperparams.js";
import type { Optimizer } from "../optimizer.js";
import { LRScheduler, type LrValue, mapLr } from "./lr-scheduler.js";

/** Options of {@link PolynomialLR}; every one is optional. */
export interface PolynomialLROptions {
  /** Steps until the lr reaches 0. Default 5. */
  totalIters?: number;
  /** The polynomial's power. Default 1 (linear decay). */
  power?: number;
  /** Index of the last epoch when resuming. Default −1 (start). */
  lastEpoch?: number;
}

/**
 * η_t = η₀·(1 − min(t, T)/T)^p, computed recursively from the group's current lr as PyTorch does:
 * η_t = η_{t−1}·((1 − t/T)/(1 − (t−1)/T))^p for 0 < t ≤ T, unchanged otherwise.
 *
 * @example
 * const opt = new st.optim.SGD([st.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new st.optim.lrScheduler.PolynomialLR(opt, { totalIters: 4, power: 2 });
 * opt.step();
 * sched.step();
 * sched.getLastLr(); // [0.05625] = 0.1·(1 − 1/4)²
 */
export class PolynomialLR extends LRScheduler {
  /** Steps until the lr reaches 0 (default 5); it stays 0 after. */
  totalIters: number;
  /** The polynomial's power p (default 1, linear decay). */
  power: number;

  constructor(optimizer: Optimizer, options: PolynomialLROptions = {}) {
    super("PolynomialLR", optimizer);
    const o = mergeOptions<Required<PolynomialLROptions>>("PolynomialLR", { totalIters: 5, power: 1, lastEpoch: -1 }, options);
    checkInteger("PolynomialLR", "totalIters", o.totalIters, 1);
    checkFinite("PolynomialLR", "power", o.power);
    this.totalIters = o.totalIters;
    this.power = o.power;
    this.init(o.lastEpoch);
  }

  protected override getLr(): LrValue[] {
    const t = this.lastEpoch, T = this.totalIters;
    const groups = this.currentLrs();
    if (t === 0 || t > T) return groups;
    const factor = ((1 - t / T) / (1 - (t - 1) / T)) ** this.power;
    return groups.map((lr) => mapLr((cur) => cur * factor, lr));
  }

  protected override closedFormLr(): LrValue[] {
    const t = this.lastEpoch, T = this.totalIters;
    return this.baseLrs.map((b) => mapLr((base) => base * (1 - Math.min(T, t) / T) ** this.power, b));
  }
}
