// CosineAnnealingLR: cosine decay from the initial lr to etaMin over tMax epochs, continuing as a
// cosine beyond (PyTorch's CosineAnnealingLR, recursive form).

import { checkFinite, mergeOptions } from "../hyperparams.js";
import { ValueError } from "../../core/errors.js";
import type { Optimizer } from "../optimizer.js";
import { LRScheduler, type LrValue, mapLr } from "./lr-scheduler.js";

/** Options of `CosineAnnealingLR`. */
export interface CosineAnnealingLROptions {
  /** Half-period of the cosine, in epochs. Required. */
  tMax: number;
  /** The minimum learning rate. Default 0. */
  etaMin?: number;
  /** Index of the last epoch when resuming. Default −1 (start). */
  lastEpoch?: number;
}

/**
 * Cosine annealing (SGDR without restarts):
 *
 *     η_t = η_min + ½(η₀ − η_min)(1 + cos(π·t / T_max))
 *
 * computed recursively from the group's current lr, exactly as PyTorch does:
 *
 *     η_t = η_min + (η_{t−1} − η_min) · (1 + cos(πt/T_max)) / (1 + cos(π(t−1)/T_max))
 *
 * except at t − 1 − T_max ≡ 0 (mod 2T_max), where the denominator vanishes and
 * η_t = η_{t−1} + ½(η₀ − η_min)(1 − cos(π/T_max)). Past T_max the lr rises again along the cosine.
 *
 * @example
 * const opt = new st.optim.SGD([st.zeros([1], { requiresGrad: true })], { lr: 0.05 });
 * const sched = new st.optim.lrScheduler.CosineAnnealingLR(opt, { tMax: 100, etaMin: 1e-5 });
 */
export class CosineAnnealingLR extends LRScheduler {
  /** Half period T_max, in steps. */
  tMax: number;
  /** Minimum learning rate η_min. */
  etaMin: number;

  constructor(optimizer: Optimizer, options: CosineAnnealingLROptions) {
    super("CosineAnnealingLR", optimizer);
    const o = mergeOptions<Required<CosineAnnealingLROptions>>("CosineAnnealingLR", { etaMin: 0, lastEpoch: -1 }, options, ["tMax"]);
    checkFinite("CosineAnnealingLR", "tMax", o.tMax);
    if (o.tMax <= 0) throw new ValueError(`CosineAnnealingLR: option tMax must be > 0 (got ${o.tMax})`);
    checkFinite("CosineAnnealingLR", "etaMin", o.etaMin);
    this.tMax = o.tMax;
    this.etaMin = o.etaMin;
    this.init(o.lastEpoch);
  }

  protected override getLr(): LrValue[] {
    const { lastEpoch: t, tMax, etaMin } = this;
    const groups = this.currentLrs();
    if (t === 0) return groups;
    if (this._stepCount === 1 && t > 0) {
      // resuming at lastEpoch > 0: the first step uses the closed form
      return this.baseLrs.map((b) => mapLr((base) => etaMin + ((base - etaMin) * (1 + Math.cos((t * Math.PI) / tMax))) / 2, b));
    }
    if ((t - 1 - tMax) % (2 * tMax) === 0) {
      return groups.map((lr, i) =>
        mapLr((cur, base) => cur + ((base - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2, lr, this.baseLrs[i]!),
      );
    }
    const ratio = (1 + Math.cos((Math.PI * t) / tMax)) / (1 + Math.cos((Math.PI * (t - 1)) / tMax));
    return groups.map((lr) => mapLr((cur) => ratio * (cur - etaMin) + etaMin, lr));
  }

  protected override closedFormLr(): LrValue[] {
    const { lastEpoch: t, tMax, etaMin } = this;
    return this.baseLrs.map((b) => mapLr((base) => etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * t) / tMax))) / 2, b));
  }
}
