// LambdaCallback (Keras's): a callback made of plain functions, for one-off hooks.

import { ValueError } from "../../core/errors.js";
import { Callback, type Logs } from "../callback.js";

/** The hooks a `LambdaCallback` may run; each is optional and may be async. */
export interface LambdaCallbackHooks {
  /** Runs when `fit` starts. */
  onTrainBegin?: (logs: Logs) => void | Promise<void>;
  /** Runs when `fit` ends. */
  onTrainEnd?: (logs: Logs) => void | Promise<void>;
  /** Runs at the start of each epoch. */
  onEpochBegin?: (epoch: number, logs: Logs) => void | Promise<void>;
  /** Runs at the end of each epoch with its logs. */
  onEpochEnd?: (epoch: number, logs: Logs) => void | Promise<void>;
  /** Runs before each batch. */
  onBatchBegin?: (batch: number, logs: Logs) => void | Promise<void>;
  /** Runs after each batch with the running logs. */
  onBatchEnd?: (batch: number, logs: Logs) => void | Promise<void>;
  /** Runs when an evaluation starts. */
  onTestBegin?: (logs: Logs) => void | Promise<void>;
  /** Runs when an evaluation ends. */
  onTestEnd?: (logs: Logs) => void | Promise<void>;
}

const HOOKS = ["onTrainBegin", "onTrainEnd", "onEpochBegin", "onEpochEnd", "onBatchBegin", "onBatchEnd", "onTestBegin", "onTestEnd"] as const;

/**
 * A callback whose hooks are the functions given (the others do nothing). An unknown hook name or
 * a hook that is not a function is a ValueError, so a typo (`onEpochEnds`) does not go unnoticed.
 *
 * @example
 * const model = st.sequential([st.layers.dense({ units: 1, inputShape: [2] })]);
 * model.compile({ optimizer: "sgd", loss: "mse" });
 * const x = st.randn([32, 2]), y = x.sum(1, true);
 * const printLoss = new st.callbacks.LambdaCallback({
 *   onEpochEnd: (epoch, logs) => console.log(`epoch ${epoch}: loss ${logs.loss}`),
 * });
 * await model.fit(x, y, { epochs: 3, callbacks: [printLoss] });
 */
export class LambdaCallback extends Callback {
  private readonly hooks: LambdaCallbackHooks;
  constructor(hooks: LambdaCallbackHooks = {}) {
    super();
    for (const [k, f] of Object.entries(hooks)) {
      if (!(HOOKS as readonly string[]).includes(k)) throw new ValueError(`LambdaCallback: unknown hook "${k}" (valid: ${HOOKS.join(", ")})`);
      if (typeof f !== "function" && f !== undefined) throw new ValueError(`LambdaCallback: ${k} must be a function (got ${typeof f})`);
    }
    this.hooks = { ...hooks };
  }
  override onTrainBegin(logs: Logs) { return this.hooks.onTrainBegin?.(logs); }
  override onTrainEnd(logs: Logs) { return this.hooks.onTrainEnd?.(logs); }
  override onEpochBegin(epoch: number, logs: Logs) { return this.hooks.onEpochBegin?.(epoch, logs); }
  override onEpochEnd(epoch: number, logs: Logs) { return this.hooks.onEpochEnd?.(epoch, logs); }
  override onBatchBegin(batch: number, logs: Logs) { return this.hooks.onBatchBegin?.(batch, logs); }
  override onBatchEnd(batch: number, logs: Logs) { return this.hooks.onBatchEnd?.(batch, logs); }
  override onTestBegin(logs: Logs) { return this.hooks.onTestBegin?.(logs); }
  override onTestEnd(logs: Logs) { return this.hooks.onTestEnd?.(logs); }
}
