// TerminateOnNaN: stops `fit` at the first non-finite batch loss, naming the epoch and batch. On
// by default in `fit`; pass your own instance ({ raise: true }) to get a NonFiniteError instead.

import { NonFiniteError } from "../../core/errors.js";
import { Callback, type Logs } from "../callback.js";
import type { NonFiniteStop } from "./history.js";

/** Options of `TerminateOnNaN`. */
export interface TerminateOnNaNOptions {
  /** Throw a NonFiniteError instead of stopping with a printed line (default false). */
  raise?: boolean;
  /** Where the line goes (default console.warn). */
  log?: (line: string) => void;
}

/**
 * Ends training when a batch's loss is NaN or ±∞. `fit` never applies the update of such a batch
 * (the weights keep their last finite values); this callback then sets `model.stopTraining`,
 * prints one line naming epoch and batch (both 0-based, as in the logs) and records them in
 * `stopped` (and `fit` copies them to `history.terminatedOnNaN`) — or throws, with `raise`.
 *
 * @example
 * const model = st.sequential([st.layers.dense({ units: 1, inputShape: [2] })]);
 * model.compile({ optimizer: "sgd", loss: "mse" });
 * const x = st.randn([32, 2]), y = x.sum(1, true);
 * await model.fit(x, y, { callbacks: [new st.callbacks.TerminateOnNaN({ raise: true })] });
 */
export class TerminateOnNaN extends Callback {
  /** Throw a NonFiniteError instead of stopping quietly. */
  readonly raise: boolean;
  /** The batch that stopped training, or null. */
  stopped: NonFiniteStop | null = null;
  private epoch = 0;
  private readonly log: (line: string) => void;

  constructor(opts: TerminateOnNaNOptions = {}) {
    super();
    this.raise = opts.raise ?? false;
    this.log = opts.log ?? ((line) => console.warn(line));
  }

  override onTrainBegin(): void {
    this.stopped = null;
  }

  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  override onBatchEnd(batch: number, logs: Logs): void {
    // the running mean turns non-finite exactly at the first non-finite batch
    const loss = logs.loss;
    if (loss === undefined || Number.isFinite(loss)) return;
    this.stopped = { epoch: this.epoch, batch, loss };
    const msg = `TerminateOnNaN: the loss is ${loss} at epoch ${this.epoch}, batch ${batch}; training stopped (this batch's update was not applied). Lower the learning rate, clip gradients (compile({ clipnorm })) or check the data.`;
    if (this.raise) throw new NonFiniteError(msg);
    this.log(msg);
    if (this.model !== null) this.model.stopTraining = true;
  }
}
