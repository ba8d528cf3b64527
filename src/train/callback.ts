// The callback contract of `Model.fit` (Keras's hooks): one interface that every callback
// implements, the logs they receive, and the narrow view of the model they may touch.

import type { Tensor } from "../core/tensor.js";
import type { Optimizer } from "../optim/optimizer.js";

/** Metric values by name: `loss`, `accuracy`, `val_loss`, `val_accuracy`, `lr`, … */
export type Logs = Record<string, number>;

/** What `fit` tells its callbacks before training starts. */
export interface FitParams {
  /** Number of epochs `fit` will run. */
  epochs: number;
  /** Batches per epoch (undefined for an iterable of unknown length). */
  steps: number | undefined;
  /** 0 = silent, 1 = progress bar, 2 = one line per epoch. */
  verbose: 0 | 1 | 2;
  /** Names of the training metrics, `loss` first, as they appear in the logs. */
  metrics: string[];
  /** Whether validation runs (its metrics appear as `val_*` in the epoch logs). */
  doValidation: boolean;
}

/** The part of a model that callbacks use. `Model` implements it. */
export interface CallbackModel {
  /** Set to true by a callback to end `fit` after the current batch. */
  stopTraining: boolean;
  /** The compiled optimizer (null before `compile`). */
  readonly optimizer: Optimizer | null;
  /** A copy of the weights (`module.stateDict()` cloned). */
  getWeights(): Record<string, Tensor>;
  /** Loads weights from `getWeights()`. */
  setWeights(weights: Record<string, Tensor>): void;
  /** Saves architecture, weights and optimizer state into `dir` (Node only). */
  save(dir: string): Promise<void>;
}

/**
 * Base class of `fit` callbacks; override the hooks you need. Hooks may be async: `fit` awaits
 * each. Order within one event is the order of the `callbacks` list, after `History` and the
 * built-in `TerminateOnNaN`, and before the progress bar.
 *
 * @example
 * class PrintLoss extends st.callbacks.Callback {
 *   override onEpochEnd(epoch: number, logs: st.Logs) { console.log(epoch, logs.loss); }
 * }
 */
export class Callback {
  /** The model being trained (set by `fit` before onTrainBegin), or null. */
  model: CallbackModel | null = null;
  /** The run's settings (epochs, steps per epoch, verbosity), set by `fit`, or null. */
  params: FitParams | null = null;
  /** Called by `fit` with the model before training. */
  setModel(model: CallbackModel): void { this.model = model; }
  /** Called by `fit` with the run's settings before training. */
  setParams(params: FitParams): void { this.params = params; }
  /** Called once when `fit` starts. */
  onTrainBegin(_logs: Logs): void | Promise<void> {}
  /** Called once when `fit` ends (also after an early stop); `logs` holds the last epoch's values. */
  onTrainEnd(_logs: Logs): void | Promise<void> {}
  /** Called at the start of each epoch (0-based `epoch`). */
  onEpochBegin(_epoch: number, _logs: Logs): void | Promise<void> {}
  /** `logs` holds the epoch's training metrics and, when validating, the `val_*` ones. */
  onEpochEnd(_epoch: number, _logs: Logs): void | Promise<void> {}
  /** Called before each training batch (0-based within the epoch). */
  onBatchBegin(_batch: number, _logs: Logs): void | Promise<void> {}
  /** `logs` holds the running (epoch-so-far) loss and metrics, and `batch`, `size`. */
  onBatchEnd(_batch: number, _logs: Logs): void | Promise<void> {}
  /** Called when an evaluation (`evaluate`, or `fit`'s validation) starts. */
  onTestBegin(_logs: Logs): void | Promise<void> {}
  /** Called when an evaluation ends; `logs` holds its loss and metrics. */
  onTestEnd(_logs: Logs): void | Promise<void> {}
}

/** Makes the progress callback for a `verbose` level; the Node entry installs a terminal bar. */
export type ProgressFactory = (verbose: 1 | 2) => Callback;

let progressFactory: ProgressFactory | null = null;

/** @internal Installs the progress-callback factory (src/node.ts installs the terminal bar). */
export function setProgressFactory(f: ProgressFactory | null): void { progressFactory = f; }

/** @internal The installed factory, or null (then `fit` logs one console line per epoch). */
export function getProgressFactory(): ProgressFactory | null { return progressFactory; }
