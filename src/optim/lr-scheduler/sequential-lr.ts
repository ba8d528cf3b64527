// SequentialLR: run one schedule until a milestone, then the next (restarted), and so on
// (PyTorch's SequentialLR) — e.g. a linear warm-up followed by cosine annealing.

import { ValueError } from "../../core/errors.js";
import { checkInteger, mergeOptions } from "../hyperparams.js";
import type { Optimizer } from "../optimizer.js";
import { CompositeScheduler } from "./composite-scheduler.js";
import { LRScheduler, type LrValue } from "./lr-scheduler.js";

/** Options of `SequentialLR`. */
export interface SequentialLROptions {
  /** The schedules, all built on this optimizer. Required. */
  schedulers: readonly LRScheduler[];
  /** The steps at which each following schedule takes over (one fewer than schedulers). Required. */
  milestones: readonly number[];
  /** Index of the last epoch when resuming. Default −1 (start). */
  lastEpoch?: number;
}

/**
 * Schedules in sequence: `schedulers[i]` drives the lr from `milestones[i − 1]` on; at its
 * milestone a schedule is restarted at its epoch 0 (closed form), so each phase starts from the
 * groups' `initialLr`. Building it undoes the children's initial steps and redoes only the first's.
 *
 * @example
 * const opt = new st.optim.SGD([st.zeros([1], { requiresGrad: true })], { lr: 0.05 });
 * const warm = new st.optim.lrScheduler.LinearLR(opt, { startFactor: 0.1, totalIters: 10 });
 * const cos = new st.optim.lrScheduler.CosineAnnealingLR(opt, { tMax: 90 });
 * const sched = new st.optim.lrScheduler.SequentialLR(opt, { schedulers: [warm, cos], milestones: [10] });
 */
export class SequentialLR extends CompositeScheduler {
  readonly schedulers: LRScheduler[];
  /** Steps at which the next scheduler takes over. */
  milestones: number[];

  constructor(optimizer: Optimizer, options: SequentialLROptions) {
    super("SequentialLR", optimizer);
    const N = "SequentialLR";
    const o = mergeOptions<Required<SequentialLROptions>>(N, { lastEpoch: -1 }, options, ["schedulers", "milestones"]);
    if (!Array.isArray(o.schedulers) || o.schedulers.length === 0) throw new ValueError(`${N}: option schedulers must be a non-empty array of schedulers`);
    o.schedulers.forEach((s, i) => {
      if (!(s instanceof LRScheduler)) throw new ValueError(`${N}: schedulers[${i}] is not an epoch-driven scheduler (ReduceLROnPlateau cannot be sequenced)`);
      if (s.optimizer !== optimizer) throw new ValueError(`${N}: schedulers[${i}] belongs to another optimizer (expected all to use the one passed in)`);
    });
    if (!Array.isArray(o.milestones) || o.milestones.length !== o.schedulers.length - 1) {
      throw new ValueError(`${N}: expected ${o.schedulers.length - 1} milestones for ${o.schedulers.length} schedulers (got ${Array.isArray(o.milestones) ? o.milestones.length : typeof o.milestones})`);
    }
    o.milestones.forEach((m) => checkInteger(N, "milestones[i]", m, 0));
    checkInteger(N, "lastEpoch", o.lastEpoch, -1);
    this.schedulers = [...o.schedulers];
    this.milestones = [...o.milestones];
    this.lastEpoch = o.lastEpoch + 1;
    const groups = optimizer.paramGroups;
    groups.forEach((g, i) => {
      if (g.initialLr === undefined) throw new ValueError(`${N}: param group ${i} has no initialLr (build the child schedulers first)`);
      g.lr = g.initialLr as LrValue;
    });
    this.baseLrs = groups.map((g) => g.initialLr as LrValue);
    for (const s of this.schedulers) s.lastEpoch -= 1;
    this.schedulers[0]!._initialStep();
    this._lastLr = this.schedulers[0]!.getLastLr();
  }

  override step(): void {
    this.lastEpoch++;
    let idx = 0;
    while (idx < this.milestones.length && this.milestones[idx]! <= this.lastEpoch) idx++; // bisect_right
    const s = this.schedulers[idx]!;
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) s._stepTo(0);
    else s.step();
    this._lastLr = s.getLastLr();
  }
}
