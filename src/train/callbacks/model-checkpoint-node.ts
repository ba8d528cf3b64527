// ModelCheckpoint (Keras's), Node only: saves the model (`model.save(dir)`: architecture, weights,
// optimizer state) at each epoch end or every N batches, all of it or only improvements, and
// publishes each checkpoint atomically so a killed process never leaves a half-written one.

import { pathExists, publishDirAtomic } from "../../io/dir-atomic-node.js";
import { ValueError } from "../../core/errors.js";
import { Callback, type CallbackModel, type Logs } from "../callback.js";
import { formatCheckpointPath, hasPlaceholders } from "./checkpoint-path.js";
import { type MonitorMode, isImprovement, monitorValue, requireModel, resolveMode, worst } from "./monitor.js";

/** Options of `ModelCheckpoint` (Keras's names and defaults). */
export interface ModelCheckpointOptions {
  /** The log value compared with `saveBestOnly` (default `val_loss`). */
  monitor?: string;
  /** Save only when `monitor` improves on the best so far (default false: every time). */
  saveBestOnly?: boolean;
  /** "min", "max" or "auto" (from the name). Default "auto". */
  mode?: MonitorMode;
  /** "epoch" (default): at each epoch end; a number N: every N batches (running logs). */
  saveFreq?: "epoch" | number;
  /** With `saveBestOnly`: only values better than this are saved (default none). */
  initialValueThreshold?: number;
  /** 1: print a line per save or skip (default 0). */
  verbose?: 0 | 1;
  /** Where the lines go (default console.log). */
  log?: (line: string) => void;
}

/**
 * Saves `model` to `path` atomically (`publishDirAtomic`): `path` holds either the previous
 * complete checkpoint or the new one, never a mix.
 * @example
 * const model = st.sequential([st.layers.dense({ units: 1, inputShape: [2] })]);
 * model.compile({ optimizer: "sgd", loss: "mse" });
 * await st.callbacks.saveModelAtomic(model, "best", true);
 */
export function saveModelAtomic(model: CallbackModel, path: string, overwrite: boolean): Promise<void> {
  return publishDirAtomic(path, (tmp) => model.save(tmp), overwrite);
}

/**
 * Saves the model during `fit` with `model.save(dir)` into `filepath`, a directory path that may
 * hold placeholders: `{epoch}` (1-based), `{batch}` (with a numeric `saveFreq`), or any log value
 * with an optional format, e.g. `"runs/ckpt-{epoch:02d}-{val_loss:.4f}"` (each save its own
 * directory). Without placeholders the same directory is replaced each time. Saves happen at each
 * epoch end (`saveFreq: "epoch"`) or every `saveFreq` batches; with `saveBestOnly` only when
 * `monitor` improves on the best so far (the best persists across `fit` calls, as in Keras; NaN is
 * never an improvement). Each checkpoint is published atomically (see `saveModelAtomic`): a
 * process killed mid-save leaves the last complete checkpoint loadable with `st.loadModel`.
 *
 * @example
 * const model = st.sequential([st.layers.dense({ units: 3, activation: "softmax", inputShape: [4] })]);
 * model.compile({ optimizer: "adam", loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
 * const x = st.randn([40, 4]), y = st.randint(0, 3, [40]);
 * const ckpt = new st.callbacks.ModelCheckpoint("best", { monitor: "val_accuracy", saveBestOnly: true });
 * await model.fit(x, y, { epochs: 20, validationSplit: 0.2, callbacks: [ckpt] });
 * const best = await st.loadModel("best");
 */
export class ModelCheckpoint extends Callback {
  /** Where the model is saved; may hold `{epoch}` and `{val_loss:.3f}`-style fields. */
  readonly filepath: string;
  /** The logged quantity compared with `saveBestOnly` (default "val_loss"). */
  readonly monitor: string;
  /** Save only when `monitor` improved (default false). */
  readonly saveBestOnly: boolean;
  /** Whether lower ("min") or higher ("max") is better; "auto" picks from the name. */
  readonly mode: "min" | "max";
  /** "epoch" (default) or a number of batches between saves. */
  readonly saveFreq: "epoch" | number;
  /** The best monitored value saved so far. */
  best: number;
  /** Paths written, in order (the last is the latest checkpoint). */
  readonly saved: string[] = [];
  private batchesSinceSave = 0;
  private epoch = 0;
  private readonly verbose: 0 | 1;
  private readonly log: (line: string) => void;

  constructor(filepath: string, opts: ModelCheckpointOptions = {}) {
    super();
    const N = "ModelCheckpoint";
    if (typeof filepath !== "string" || filepath === "") throw new ValueError(`${N}: filepath must be a non-empty directory path (got ${JSON.stringify(filepath)})`);
    this.filepath = filepath;
    this.monitor = opts.monitor ?? "val_loss";
    this.saveBestOnly = opts.saveBestOnly ?? false;
    this.mode = resolveMode(N, this.monitor, opts.mode ?? "auto");
    this.saveFreq = opts.saveFreq ?? "epoch";
    if (this.saveFreq !== "epoch" && !(Number.isInteger(this.saveFreq) && this.saveFreq > 0)) {
      throw new ValueError(`${N}: saveFreq must be "epoch" or a positive integer number of batches (got ${JSON.stringify(this.saveFreq)})`);
    }
    if (this.saveBestOnly && this.saveFreq !== "epoch" && this.monitor.startsWith("val_")) {
      throw new ValueError(`${N}: saves every ${this.saveFreq} batches see the running training logs, which have no "${this.monitor}": monitor "loss" or a training metric, or use saveFreq "epoch"`);
    }
    const t = opts.initialValueThreshold;
    if (t !== undefined && !Number.isFinite(t)) throw new ValueError(`${N}: initialValueThreshold must be finite (got ${t})`);
    this.best = t ?? worst(this.mode);
    this.verbose = opts.verbose ?? 0;
    this.log = opts.log ?? ((line) => console.log(line));
  }

  override onTrainBegin(_logs: Logs): void {
    this.batchesSinceSave = 0;
  }

  override onEpochBegin(epoch: number, _logs: Logs): void {
    this.epoch = epoch;
  }

  override async onBatchEnd(batch: number, logs: Logs): Promise<void> {
    if (this.saveFreq === "epoch") return;
    if (++this.batchesSinceSave >= this.saveFreq) {
      this.batchesSinceSave = 0;
      await this.save(this.epoch, logs, batch);
    }
  }

  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    if (this.saveFreq === "epoch") await this.save(epoch, logs, undefined);
  }

  private async save(epoch: number, logs: Logs, batch: number | undefined): Promise<void> {
    const model = requireModel("ModelCheckpoint", this.model);
    const path = formatCheckpointPath(this.filepath, epoch, logs, batch);
    if (this.saveBestOnly) {
      const current = monitorValue("ModelCheckpoint", logs, this.monitor);
      if (!isImprovement(this.mode, current, this.best, 0)) {
        if (this.verbose > 0) this.log(`Epoch ${epoch + 1}: ${this.monitor} did not improve from ${this.best}`);
        return;
      }
      if (this.verbose > 0) this.log(`Epoch ${epoch + 1}: ${this.monitor} improved from ${this.best} to ${current}, saving model to ${path}`);
      this.best = current;
    } else if (this.verbose > 0) this.log(`Epoch ${epoch + 1}: saving model to ${path}`);
    await saveModelAtomic(model, path, !hasPlaceholders(this.filepath) || pathExists(path));
    this.saved.push(path);
  }
}
