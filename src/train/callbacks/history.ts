// History: the callback every `fit` records into and returns (Keras's History): the epochs run
// and each logged value per epoch.

import { Callback, type Logs } from "../callback.js";

/** Where and why `fit` stopped on a non-finite loss (see TerminateOnNaN). */
export interface NonFiniteStop {
  /** Epoch (0-based) of the non-finite loss. */
  epoch: number;
  /** Batch (0-based, within the epoch) of the non-finite loss. */
  batch: number;
  /** The loss value (NaN or ±Infinity). */
  loss: number;
}

/**
 * Per-epoch logs of one `fit` call: `history.epoch` = [0, 1, …] (with `initialEpoch` offset) and
 * `history.history.loss[i]`, `history.history.val_accuracy[i]`, … for each epoch.
 *
 * @example
 * const model = st.sequential([st.layers.dense({ units: 1, inputShape: [2] })]);
 * model.compile({ optimizer: "sgd", loss: "mse" });
 * const x = st.randn([32, 2]), y = x.sum(1, true);
 * const history = await model.fit(x, y, { epochs: 5 });
 * history.history.loss; // 5 numbers
 */
export class History extends Callback {
  /** The epoch indices that ran (0-based). */
  epoch: number[] = [];
  /** Each logged name → one value per epoch. */
  history: Record<string, number[]> = {};
  /** Set when a non-finite loss ended training (TerminateOnNaN), else null. */
  terminatedOnNaN: NonFiniteStop | null = null;

  override onTrainBegin(): void {
    this.epoch = [];
    this.history = {};
    this.terminatedOnNaN = null;
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}
