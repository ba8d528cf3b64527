// The shared part of schedules made of other schedules (ChainedScheduler, SequentialLR): they
// keep their children's state in their own state dict, and report the optimizer's current lrs.

import { LRScheduler, type LrValue } from "./lr-scheduler.js";

export abstract class CompositeScheduler extends LRScheduler {
  /** The child schedules, in order. */
  abstract readonly schedulers: LRScheduler[];

  protected override getLr(): LrValue[] {
    return this.currentLrs();
  }

  protected override get stateExclude(): readonly string[] {
    return ["schedulers"];
  }

  /** The own fields plus each child's state dict under `_schedulers`. */
  override stateDict(): Record<string, unknown> {
    return { ...super.stateDict(), _schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  override loadStateDict(sd: Record<string, unknown>): void {
    const { _schedulers: children, ...rest } = sd;
    super.loadStateDict(rest);
    if (Array.isArray(children)) children.forEach((c, i) => this.schedulers[i]?.loadStateDict(c as Record<string, unknown>));
  }
}
