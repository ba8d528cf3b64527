// The batches `fit`, `evaluate` and `predict` iterate: slices of in-memory tensors (shuffled each
// epoch with the global seeded generator), or the batches of a DataLoader / (async) iterable.
// Sample weights (given, times the class weights) travel with each batch.

import { ShapeError, ValueError, fmtShape } from "../core/errors.js";
import { randperm } from "../core/random-creation.js";
import { Tensor } from "../core/tensor.js";
import { tensor } from "../core/creation.js";

/** One batch: inputs, targets and per-sample weights (null = all 1). */
export interface Batch {
  x: Tensor;
  y: Tensor;
  w: Tensor | null;
}

/** A DataLoader or any (async) iterable yielding `[x, y]` or `[x, y, sampleWeight]` batches. */
export type BatchIterable = Iterable<unknown> | AsyncIterable<unknown>;

/** Where an epoch's batches come from. */
export interface BatchSource {
  /** Batches per epoch, when known. */
  steps: number | undefined;
  /** The batches of one epoch. */
  epoch(): AsyncIterable<Batch> | Iterable<Batch>;
}

/** Keras's class_weight: the weight of each class index. */
export type ClassWeight = Record<number, number>;

export function isBatchIterable(v: unknown): v is BatchIterable {
  return !(v instanceof Tensor) && typeof v === "object" && v !== null &&
    (typeof (v as Iterable<unknown>)[Symbol.iterator] === "function" || typeof (v as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function");
}

/** Checks that x, y (and weights) have one row per sample. */
export function checkRows(who: string, x: unknown, y: unknown, w?: Tensor | null): number {
  if (!(x instanceof Tensor)) throw new ValueError(`${who}: x must be a Tensor, a DataLoader or an iterable of [x, y] batches (got ${x === null ? "null" : typeof x})`);
  if (!(y instanceof Tensor)) throw new ValueError(`${who}: y must be a Tensor when x is a Tensor (got ${y === null ? "null" : typeof y})`);
  if (x.ndim === 0) throw new ShapeError(`${who}: x must have a batch dim (got a 0-d tensor)`);
  const n = x.shape[0]!;
  if (y.ndim === 0 || y.shape[0] !== n) throw new ShapeError(`${who}: x has ${n} samples but y has shape ${fmtShape(y.shape)} (expected ${n} rows)`);
  if (w !== undefined && w !== null && (w.ndim !== 1 || w.shape[0] !== n)) throw new ShapeError(`${who}: sampleWeight must have shape [${n}] (got ${fmtShape(w.shape)})`);
  return n;
}

/** Class indices of targets: integer [N] / [N, 1] labels, or the argmax of one-hot rows. */
function labelsOf(y: Tensor): number[] {
  const lab = y.ndim >= 2 && y.shape[y.ndim - 1]! > 1 ? y.argmax(-1) : y.reshape([-1]).round();
  return lab.toArray() as number[];
}

/** Per-sample weights: `classWeight[label]` times the given sample weights (null when neither is set). */
export function batchWeights(who: string, y: Tensor, w: Tensor | null, classWeight: ClassWeight | undefined): Tensor | null {
  if (classWeight === undefined) return w;
  const labels = labelsOf(y);
  const out = new Float32Array(labels.length);
  labels.forEach((c, i) => {
    const cw = classWeight[c];
    if (cw === undefined) throw new ValueError(`${who}: classWeight has no entry for class ${c} (give every class a weight)`);
    out[i] = cw;
  });
  const cw = tensor(out, { shape: [labels.length], dtype: "float32" });
  return w === null ? cw : cw.mul(w);
}

/** The batches of in-memory tensors: `batchSize` rows at a time, in a fresh random order per epoch when `shuffle`. */
export function tensorSource(x: Tensor, y: Tensor, w: Tensor | null, opts: { batchSize: number; shuffle: boolean; classWeight?: ClassWeight; stepsPerEpoch?: number }): BatchSource {
  const n = x.shape[0]!;
  const bs = opts.batchSize;
  const full = Math.ceil(n / bs);
  const steps = opts.stepsPerEpoch === undefined ? full : Math.min(full, opts.stepsPerEpoch);
  return {
    steps,
    *epoch() {
      const order = opts.shuffle ? randperm(n).int() : null;
      for (let s = 0, b = 0; s < n && b < steps; s += bs, b++) {
        const len = Math.min(bs, n - s);
        // unshuffled batches are views (no copy); shuffled ones gather their rows
        const pick = (t: Tensor): Tensor => (order === null ? t.narrow(0, s, len) : t.indexSelect(0, order.narrow(0, s, len)));
        const yb = pick(y);
        yield { x: pick(x), y: yb, w: batchWeights("Model.fit", yb, w === null ? null : pick(w), opts.classWeight) };
      }
    },
  };
}

/** A batch element of an iterable as a Batch, or a ValueError saying what was expected. */
function toBatch(who: string, item: unknown, classWeight: ClassWeight | undefined): Batch {
  const arr = Array.isArray(item) ? item : null;
  if (arr === null || arr.length < 2 || arr.length > 3 || !arr.every((t) => t instanceof Tensor)) {
    throw new ValueError(`${who}: each batch must be [x, y] or [x, y, sampleWeight] tensors (got ${Array.isArray(item) ? `an array of ${item.length}` : item === null ? "null" : typeof item})`);
  }
  const [x, y, w] = arr as [Tensor, Tensor, Tensor | undefined];
  checkRows(who, x, y, w ?? null);
  return { x, y, w: batchWeights(who, y, w ?? null, classWeight) };
}

/**
 * The batches of a DataLoader or (async) iterable. Each epoch starts a new pass; with
 * `stepsPerEpoch`, each epoch takes that many batches from one continuing iterator, starting a
 * new pass when it runs out (Keras's behaviour for generators).
 */
export function iterableSource(who: string, data: BatchIterable, opts: { classWeight?: ClassWeight; stepsPerEpoch?: number }): BatchSource {
  const len = (data as { length?: unknown }).length;
  const known = typeof len === "number" ? len : undefined;
  const open = (): AsyncIterator<unknown> | Iterator<unknown> =>
    typeof (data as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function"
      ? (data as AsyncIterable<unknown>)[Symbol.asyncIterator]()
      : (data as Iterable<unknown>)[Symbol.iterator]();
  let it: AsyncIterator<unknown> | Iterator<unknown> | null = null;
  const limit = opts.stepsPerEpoch;
  return {
    steps: limit ?? known,
    async *epoch() {
      if (limit === undefined || it === null) it = open();
      let taken = 0;
      let restarted = false;
      while (limit === undefined || taken < limit) {
        const r = await it.next();
        if (r.done === true) {
          if (limit === undefined || restarted) break;
          // a finite iterable under stepsPerEpoch: start the next pass
          it = open();
          restarted = true;
          continue;
        }
        restarted = false;
        taken++;
        yield toBatch(who, r.value, opts.classWeight);
      }
    },
  };
}

/** Splits off the last `fraction` of the samples for validation (before any shuffling, as Keras). */
export function splitValidation(x: Tensor, y: Tensor, w: Tensor | null, fraction: number): { train: [Tensor, Tensor, Tensor | null]; val: [Tensor, Tensor, Tensor | null] } {
  if (typeof fraction !== "number" || !(fraction > 0 && fraction < 1)) throw new ValueError(`Model.fit: validationSplit must lie in (0, 1) (got ${String(fraction)})`);
  const n = x.shape[0]!;
  const at = Math.floor(n * (1 - fraction));
  if (at < 1 || at >= n) throw new ValueError(`Model.fit: validationSplit ${fraction} of ${n} samples leaves an empty training or validation set`);
  const part = (t: Tensor | null, s: number, e: number): Tensor | null => (t === null ? null : t.narrow(0, s, e - s));
  return {
    train: [part(x, 0, at)!, part(y, 0, at)!, part(w, 0, at)],
    val: [part(x, at, n)!, part(y, at, n)!, part(w, at, n)],
  };
}
