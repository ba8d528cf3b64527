// The arguments of `fit` and `evaluate` turned into batch sources: tensors or a DataLoader /
// iterable for training, validationSplit (the last fraction, before shuffling) or validationData.

import { ValueError } from "../core/errors.js";
import { Tensor } from "../core/tensor.js";
import type { Callback } from "./callback.js";
import {
  type BatchIterable, type BatchSource, type ClassWeight, checkRows, isBatchIterable, iterableSource, splitValidation, tensorSource,
} from "./fit-data.js";

export interface SourceOptions {
  /** Samples per batch for tensor inputs (default 32). */
  batchSize?: number;
  /** Shuffle tensor inputs each epoch with the global generator (`st.manualSeed`) — fit's default true. */
  shuffle?: boolean;
  /** Weight of each sample in the loss, shape [N]. */
  sampleWeight?: Tensor;
  /** Weight of each class index in the loss (Keras's class_weight). */
  classWeight?: ClassWeight;
  /** Batches per epoch (default: all of them). */
  stepsPerEpoch?: number;
}

/** A positive batch size, or a ValueError naming the caller. */
export function checkBatchSize(who: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new ValueError(`${who}: batchSize must be an integer >= 1 (got ${String(v)})`);
  return v;
}

/** The batches of `x`, `y` (tensors), or of `x` alone when it is a DataLoader or iterable of batches. */
export function sourceOf(who: string, x: Tensor | BatchIterable, y: Tensor | undefined, o: SourceOptions): BatchSource {
  if (isBatchIterable(x)) {
    if (y !== undefined) throw new ValueError(`${who}: with a DataLoader or an iterable of batches, pass y as undefined (the batches hold the targets)`);
    if (o.sampleWeight !== undefined) throw new ValueError(`${who}: sampleWeight needs tensor inputs (put the weights in the batches: [x, y, w])`);
    return iterableSource(who, x, { classWeight: o.classWeight, stepsPerEpoch: o.stepsPerEpoch });
  }
  checkRows(who, x, y, o.sampleWeight ?? null);
  return tensorSource(x, y!, o.sampleWeight ?? null, {
    batchSize: checkBatchSize(who, o.batchSize ?? 32), shuffle: o.shuffle ?? false, classWeight: o.classWeight, stepsPerEpoch: o.stepsPerEpoch,
  });
}

export interface FitSourceOptions extends SourceOptions {
  /** Hold out the last fraction of x/y (before shuffling) for validation, as Keras. */
  validationSplit?: number;
  /** `[xVal, yVal]` (optionally `[xVal, yVal, sampleWeight]`), or a DataLoader / iterable of batches. */
  validationData?: [Tensor, Tensor] | [Tensor, Tensor, Tensor] | BatchIterable;
}

/** The options of `model.fit`. */
export interface FitOptions extends FitSourceOptions {
  /** Train until this epoch index (default 1). */
  epochs?: number;
  /** The epoch to start at (to resume a run; `epochs` is the index to stop at). Default 0. */
  initialEpoch?: number;
  /** Callbacks, called after History and TerminateOnNaN (pass your own TerminateOnNaN to configure it). */
  callbacks?: Callback[];
  /** 0 silent, 1 progress bar (one line per epoch without the Node entry), 2 one line per epoch. Default 1. */
  verbose?: 0 | 1 | 2;
}

/** The options of `model.evaluate`. */
export interface EvaluateOptions {
  /** Samples per batch (default 32). */
  batchSize?: number;
  /** Weight of each sample in the loss and metrics, shape [n]. */
  sampleWeight?: Tensor;
  /** Their onTestBegin/onTestEnd run. */
  callbacks?: Callback[];
}

/** The training and validation batch sources of a `fit` call. */
export function fitSources(who: string, x: Tensor | BatchIterable, y: Tensor | undefined, o: FitSourceOptions): { train: BatchSource; validation: BatchSource | null } {
  if (o.validationSplit !== undefined && o.validationData !== undefined) throw new ValueError(`${who}: give validationSplit or validationData, not both`);
  let sw = o.sampleWeight ?? null;
  let validation: BatchSource | null = null;
  const evalBatch = checkBatchSize(who, o.batchSize ?? 32);
  if (o.validationSplit !== undefined) {
    if (isBatchIterable(x)) throw new ValueError(`${who}: validationSplit needs tensor inputs (pass validationData with a DataLoader)`);
    checkRows(who, x, y, sw);
    const { train, val } = splitValidation(x, y!, sw, o.validationSplit);
    [x, y, sw] = train;
    validation = tensorSource(val[0], val[1], val[2], { batchSize: evalBatch, shuffle: false });
  } else if (o.validationData !== undefined) {
    const vd = o.validationData;
    if (Array.isArray(vd) && vd.length >= 2 && vd[0] instanceof Tensor) {
      const [vx, vy, vw] = vd as [Tensor, Tensor, Tensor | undefined];
      checkRows(`${who} (validationData)`, vx, vy, vw ?? null);
      validation = tensorSource(vx, vy, vw ?? null, { batchSize: evalBatch, shuffle: false });
    } else if (isBatchIterable(vd)) validation = iterableSource(`${who} (validationData)`, vd, {});
    else throw new ValueError(`${who}: validationData must be [x, y], [x, y, sampleWeight] or a DataLoader (got ${typeof vd})`);
  }
  const train = sourceOf(who, x, y, { ...o, sampleWeight: sw ?? undefined, shuffle: o.shuffle ?? true });
  return { train, validation };
}

/** `src` with `onBatch(x)` called before each batch is handed on (the lazy build hooks in here). */
export function tapped(src: BatchSource, onBatch: (x: Tensor) => void): BatchSource {
  return {
    steps: src.steps,
    async *epoch() {
      for await (const b of src.epoch()) {
        onBatch(b.x);
        yield b;
      }
    },
  };
}
