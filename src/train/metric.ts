// The streaming-metric contract: a metric accumulates over batches and reports one number.

import type { Tensor } from "../core/tensor.js";

/**
 * A metric computed in streaming form over batches (Keras's `Metric`): `reset()` at the start of
 * an epoch, `update()` once per batch, `result()` whenever the running value is wanted.
 * `yPred` is what the model outputs (logits or probabilities, see each metric's doc); `yTrue`
 * the targets as given to `fit`.
 */
export interface Metric {
  /** The key in logs and `History` (`accuracy`, `auc`, …; validation adds `val_`). */
  readonly name: string;
  /** Forgets every batch seen (called at the start of each epoch and evaluation). */
  reset(): void;
  /** Adds one batch: predictions, targets and optional per-sample weights. */
  update(yPred: Tensor, yTrue: Tensor, sampleWeight?: Tensor): void;
  /** The metric over every batch since the last `reset()`. */
  result(): number;
}
