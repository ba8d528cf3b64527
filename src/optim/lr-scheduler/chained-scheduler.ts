// ChainedScheduler: step several schedules together, each rescaling the lr the previous one left
// (PyTorch's ChainedScheduler) — e.g. exponential decay times a step decay.

import { ValueError } from "../../core/errors.js";
import { CompositeScheduler } from "./composite-scheduler.js";
import { LRScheduler, type LrValue } from "./lr-scheduler.js";

/**
 * Chains schedules: `step()` steps each one in order, so their (chainable, multiplicative) effects
 * compound. All must share one optimizer.
 *
 * @example
 * const opt = new st.optim.SGD([st.zeros([1], { requiresGrad: true })], { lr: 0.05 });
 * const a = new st.optim.lrScheduler.ExponentialLR(opt, { gamma: 0.95 });
 * const b = new st.optim.lrScheduler.StepLR(opt, { stepSize: 10, gamma: 0.5 });
 * const sched = new st.optim.lrScheduler.ChainedScheduler([a, b]);
 */
export class ChainedScheduler extends CompositeScheduler {
  readonly schedulers: LRScheduler[];

  constructor(schedulers: readonly LRScheduler[]) {
    if (!Array.isArray(schedulers) || schedulers.length === 0 || !(schedulers[0] instanceof LRScheduler)) {
      throw new ValueError("ChainedScheduler: expected a non-empty array of epoch-driven schedulers");
    }
    super("ChainedScheduler", schedulers[0].optimizer);
    schedulers.forEach((s, i) => {
      if (!(s instanceof LRScheduler)) throw new ValueError(`ChainedScheduler: schedulers[${i}] is not an epoch-driven scheduler (ReduceLROnPlateau cannot be chained)`);
      if (s.optimizer !== this.optimizer) throw new ValueError(`ChainedScheduler: schedulers[${i}] belongs to another optimizer than schedulers[0]`);
    });
    this.schedulers = [...schedulers];
    this.baseLrs = this.optimizer.paramGroups.map((g) => (g.initialLr as LrValue | undefined) ?? g.lr);
    this.lastEpoch = 0;
    this._lastLr = this.currentLrs();
  }

  override step(): void {
    for (const s of this.schedulers) s.step();
    this.lastEpoch++;
    this._lastLr = this.currentLrs();
  }
}
