// LambdaLR: the learning rate is the initial lr times a user function of the epoch (PyTorch's LambdaLR).

import { ValueError } from "../../core/errors.js";
import { mergeOptions } from "../hyperparams.js";
import type { Optimizer } from "../optimizer.js";
import { LRScheduler, type LrValue, mapLr } from "./lr-scheduler.js";

/** A learning-rate factor as a function of the epoch. */
export type LrLambda = (epoch: number) => number;

/** Options of `LambdaLR`. */
export interface LambdaLROptions {
  /** The factor function, or one per parameter group. Required. */
  lrLambda: LrLambda | readonly LrLambda[];
  /** Index of the last epoch when resuming. Default −1 (start). */
  lastEpoch?: number;
}

/**
 * η_t = η₀ · λ(t). The functions are not part of `stateDict()` (as in PyTorch, where plain
 * functions are not saved).
 *
 * @example
 * const opt = new st.optim.SGD([st.zeros([1], { requiresGrad: true })], { lr: 0.05 });
 * const sched = new st.optim.lrScheduler.LambdaLR(opt, { lrLambda: (epoch) => 0.95 ** epoch });
 */
export class LambdaLR extends LRScheduler {
  /** One factor function per parameter group: lr = initialLr · λ(epoch). */
  lrLambdas: LrLambda[];

  constructor(optimizer: Optimizer, options: LambdaLROptions) {
    super("LambdaLR", optimizer);
    const o = mergeOptions<Required<LambdaLROptions>>("LambdaLR", { lastEpoch: -1 }, options, ["lrLambda"]);
    const n = optimizer.paramGroups.length;
    const fns = typeof o.lrLambda === "function" ? new Array<LrLambda>(n).fill(o.lrLambda as LrLambda) : [...(o.lrLambda as LrLambda[])];
    if (fns.length !== n) throw new ValueError(`LambdaLR: expected ${n} lrLambda functions, one per parameter group (got ${fns.length})`);
    if (fns.some((f) => typeof f !== "function")) throw new ValueError("LambdaLR: option lrLambda must be a function or an array of functions");
    this.lrLambdas = fns;
    this.init(o.lastEpoch);
  }

  protected override get stateExclude(): readonly string[] {
    return ["lrLambdas"];
  }

  protected override getLr(): LrValue[] {
    return this.baseLrs.map((b, i) => {
      const f = this.lrLambdas[i]!(this.lastEpoch);
      if (typeof f !== "number") throw new ValueError(`LambdaLR: lrLambda(${this.lastEpoch}) returned ${typeof f} (expected a number)`);
      return mapLr((x) => x * f, b);
    });
  }
}
