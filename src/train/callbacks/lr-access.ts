// Reading and writing the compiled optimizer's learning rates from a callback, and reporting the
// current one in the epoch logs as `lr` (as Keras's learning-rate callbacks do).

import { ValueError } from "../../core/errors.js";
import type { Optimizer } from "../../optim/optimizer.js";
import type { CallbackModel, Logs } from "../callback.js";
import { requireModel } from "./monitor.js";

/** The compiled optimizer of the callback's model, or a ValueError. */
export function optimizerOf(owner: string, model: CallbackModel | null): Optimizer {
  const opt = requireModel(owner, model).optimizer;
  if (opt === null) throw new ValueError(`${owner}: the model has no optimizer (call compile before fit)`);
  return opt;
}

/** Puts the first parameter group's learning rate into the logs as `lr` (when it is one number). */
export function logLr(opt: Optimizer, logs: Logs): void {
  const lr = opt.paramGroups[0]?.lr;
  if (typeof lr === "number") logs.lr = lr;
}

/** Throws unless `lr` is a finite number ≥ 0 (`what` says where it came from). */
export function checkLrValue(owner: string, lr: unknown, what: string): asserts lr is number {
  if (typeof lr !== "number" || !Number.isFinite(lr) || lr < 0) {
    throw new ValueError(`${owner}: ${what} must return a finite learning rate ≥ 0 (got ${String(lr)})`);
  }
}
