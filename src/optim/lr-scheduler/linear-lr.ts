// LinearLR: scale the learning rate by a factor moving linearly from startFactor to endFactor over
// totalIters steps (PyTorch's LinearLR) — the usual linear warm-up — and linearWarmup().

import { ValueError } from "../../core/errors.js";
import { checkInteger, checkRange, mergeOptions } from "../hyperparams.js";
import type { Optimizer } from "../optimizer.js";
import { LRScheduler, type LrValue, mapLr } from "./lr-scheduler.js";

/** Options of `LinearLR`. */
export interface LinearLROptions {
  /** Factor at epoch 0, in (0, 1]. Default 1/3. */
  startFactor?: number;
  /** Factor from epoch totalIters on, in [0, 1]. Default 1. */
  endFactor?: number;
  /** Steps the factor takes to go from start to end. Default 5. */
  totalIters?: number;
  /** Index of the last epoch when resuming. Default −1 (start). */
  lastEpoch?: number;
}

/**
 * Linear ramp of the learning-rate factor:
 *
 *     η_t = η₀ · (s + (e − s) · min(t, T) / T)
 *
 * with s = startFactor, e = endFactor, T = totalIters; computed recursively from the group's
 * current lr as PyTorch does, η_t = η_{t−1} · (1 + (e − s) / (T·s + (t − 1)(e − s))) for 0 < t ≤ T.
 *
 * @example
 * const opt = new st.optim.SGD([st.zeros([1], { requiresGrad: true })], { lr: 0.05 });
 * // warm up from 10% to the full lr over 10 steps
 * const sched = new st.optim.lrScheduler.LinearLR(opt, { startFactor: 0.1, totalIters: 10 });
 */
export class LinearLR extends LRScheduler {
  /** Factor of the initial lr at step 0. */
  startFactor: number;
  /** Factor of the initial lr from `totalIters` on. */
  endFactor: number;
  /** Steps over which the factor moves linearly from start to end. */
  totalIters: number;

  constructor(optimizer: Optimizer, options: LinearLROptions = {}) {
    super("LinearLR", optimizer);
    const o = mergeOptions<Required<LinearLROptions>>("LinearLR", { startFactor: 1 / 3, endFactor: 1, totalIters: 5, lastEpoch: -1 }, options);
    checkRange("LinearLR", "startFactor", o.startFactor, 0, 1, true);
    // a zero start factor would divide by zero in the recursive form (PyTorch ≥ 2.0 rejects it too)
    if (o.startFactor === 0) throw new ValueError("LinearLR: option startFactor must be > 0 (got 0; expected 0 < startFactor <= 1)");
    checkRange("LinearLR", "endFactor", o.endFactor, 0, 1, true);
    checkInteger("LinearLR", "totalIters", o.totalIters, 1);
    this.startFactor = o.startFactor;
    this.endFactor = o.endFactor;
    this.totalIters = o.totalIters;
    this.init(o.lastEpoch);
  }

  protected override getLr(): LrValue[] {
    const { lastEpoch: t, startFactor: s, endFactor: e, totalIters: T } = this;
    if (t === 0) return this.currentLrs().map((lr) => mapLr((x) => x * s, lr));
    if (t > T) return this.currentLrs();
    const f = 1 + (e - s) / (T * s + (t - 1) * (e - s));
    return this.currentLrs().map((lr) => mapLr((x) => x * f, lr));
  }

  protected override closedFormLr(): LrValue[] {
    const { lastEpoch: t, startFactor: s, endFactor: e, totalIters: T } = this;
    const f = s + ((e - s) * Math.min(T, t)) / T;
    return this.baseLrs.map((b) => mapLr((x) => x * f, b));
  }
}

/**
 * Linear warm-up over the first `warmupSteps` optimizer steps: step k (0-based) uses
 * η·(k + 1)/warmupSteps, so the first step already moves (at η/warmupSteps) and step
 * warmupSteps − 1 onwards uses the full η. A LinearLR with startFactor 1/warmupSteps, endFactor 1
 * and totalIters warmupSteps − 1; call `step()` after each `optimizer.step()`.
 *
 * @example
 * const opt = new st.optim.AdamW([st.zeros([4], { requiresGrad: true })], { lr: 3e-4 });
 * const warmup = st.optim.lrScheduler.linearWarmup(opt, 100); // lr 3e-6 now, 3e-4 from step 99 on
 */
export function linearWarmup(optimizer: Optimizer, warmupSteps: number): LinearLR {
  checkInteger("linearWarmup", "warmupSteps", warmupSteps, 1);
  return new LinearLR(optimizer, { startFactor: 1 / warmupSteps, endFactor: 1, totalIters: Math.max(warmupSteps - 1, 1) });
}
