// Accuracy metrics (Keras's): binary (thresholded), categorical (argmax vs one-hot), sparse
// categorical (argmax vs class index), top-k, and `Accuracy`, which picks one of the first three
// from the loss and the shapes as Keras does for the string "accuracy".

import { ShapeError, ValueError, fmtShape } from "../../core/errors.js";
import type { Tensor } from "../../core/tensor.js";
import type { Metric } from "../metric.js";
import { MeanMetric, argmaxAt, checkBinaryLabels, checkSameSize, probabilities, valuesOf } from "./util.js";

/** Options of the accuracy metrics. */
export interface AccuracyOptions {
  /** The key in logs (default: the class's name, e.g. `binaryAccuracy`). */
  name?: string;
}

/** Options of `BinaryAccuracy`. */
export interface BinaryAccuracyOptions extends AccuracyOptions {
  /** A prediction is positive when its probability is > `threshold` (default 0.5). */
  threshold?: number;
  /** `yPred` holds logits (then sigmoid(yPred) is thresholded); default false: probabilities. */
  fromLogits?: boolean;
}

/**
 * Binary accuracy: the weighted fraction of values where `(p > threshold) == yTrue`, p being
 * `yPred` (or `sigmoid(yPred)` with `fromLogits`); every value counts (multi-label works).
 * `yTrue` holds 0/1 labels of the same size ([N] and [N, 1] pair up). Sample weights: one per sample.
 *
 * @example
 * const m = new st.metrics.BinaryAccuracy();
 * m.update(st.tensor([[0.9], [0.2], [0.6]]), st.tensor([[1], [0], [0]]));
 * m.result(); // 2/3
 */
export class BinaryAccuracy extends MeanMetric {
  /** Predictions above this count as the positive class (default 0.5). */
  readonly threshold: number;
  /** Predictions are logits (compared after a sigmoid) (default false). */
  readonly fromLogits: boolean;
  constructor(opts: BinaryAccuracyOptions = {}) {
    super(opts.name ?? "binaryAccuracy");
    this.threshold = opts.threshold ?? 0.5;
    this.fromLogits = opts.fromLogits ?? false;
    if (!(this.threshold >= 0 && this.threshold <= 1)) {
      throw new ValueError(`${this.name}: threshold must be in [0, 1] (got ${this.threshold})`);
    }
  }
  /** Adds one batch: predictions, targets and optional per-sample weights. */
  update(yPred: Tensor, yTrue: Tensor, sampleWeight?: Tensor): void {
    const p = probabilities(this.name, valuesOf(this.name, "yPred", yPred), this.fromLogits);
    const t = valuesOf(this.name, "yTrue", yTrue);
    checkSameSize(this.name, yPred, yTrue);
    checkBinaryLabels(this.name, t);
    const hit = new Float64Array(p.length);
    for (let i = 0; i < p.length; i++) hit[i] = (p[i]! > this.threshold ? 1 : 0) === t[i] ? 1 : 0;
    this.accumulate(hit, yPred.shape.length > 0 ? yPred.shape : [1], sampleWeight);
  }
}

/** Last dim (classes) and the shape of the samples/positions before it; throws for a scalar. */
function classLayout(metric: string, yPred: Tensor): { classes: number; units: number[] } {
  if (yPred.ndim < 1) throw new ShapeError(`${metric}: yPred must have a class dim (got shape ${fmtShape(yPred.shape)})`);
  return { classes: yPred.shape[yPred.ndim - 1]!, units: yPred.shape.slice(0, -1) };
}

/**
 * Categorical accuracy: the weighted fraction of samples where `argmax(yPred) == argmax(yTrue)`,
 * `yTrue` one-hot (or any scores) of `yPred`'s shape [..., C]. Logits or probabilities alike.
 *
 * @example
 * const m = new st.metrics.CategoricalAccuracy();
 * m.update(st.tensor([[0.1, 0.9], [0.8, 0.2]]), st.tensor([[0, 1], [0, 1]]));
 * m.result(); // 0.5
 */
export class CategoricalAccuracy extends MeanMetric {
  constructor(opts: AccuracyOptions = {}) {
    super(opts.name ?? "categoricalAccuracy");
  }
  /** Adds one batch: predictions, targets and optional per-sample weights. */
  update(yPred: Tensor, yTrue: Tensor, sampleWeight?: Tensor): void {
    const { classes, units } = classLayout(this.name, yPred);
    checkOneHotTargets(this.name, yPred, yTrue, "sparseCategoricalAccuracy");
    const p = valuesOf(this.name, "yPred", yPred);
    const t = valuesOf(this.name, "yTrue", yTrue);
    const n = p.length / Math.max(classes, 1);
    const hit = new Float64Array(n);
    for (let u = 0; u < n; u++) hit[u] = argmaxAt(p, u * classes, classes) === argmaxAt(t, u * classes, classes) ? 1 : 0;
    this.accumulate(hit, units, sampleWeight);
  }
}

/** Checks that `yTrue` is one-hot (any scores) of `yPred`'s shape; `sparseName` is the metric for class indices. */
function checkOneHotTargets(metric: string, yPred: Tensor, yTrue: Tensor, sparseName: string): void {
  if (yTrue.ndim !== yPred.ndim || yTrue.shape.some((d, i) => d !== yPred.shape[i])) {
    throw new ShapeError(
      `${metric}: yTrue ${fmtShape(yTrue.shape)} must be one-hot of yPred's shape ${fmtShape(yPred.shape)} (for class indices use ${sparseName})`,
    );
  }
}

/** Checks that `yTrue` holds one class index per sample of `yPred` ([...] or [..., 1]). */
function checkSparseTargets(metric: string, yPred: Tensor, yTrue: Tensor, units: number[]): void {
  const t = yTrue.shape[yTrue.ndim - 1] === 1 && yTrue.ndim === yPred.ndim ? yTrue.shape.slice(0, -1) : yTrue.shape;
  if (t.length !== units.length || t.some((d, i) => d !== units[i])) {
    throw new ShapeError(
      `${metric}: yTrue ${fmtShape(yTrue.shape)} must hold one class index per sample of yPred ${fmtShape(yPred.shape)} (expected shape ${fmtShape(units)}; for one-hot targets use categoricalAccuracy)`,
    );
  }
}

/**
 * Sparse categorical accuracy: the weighted fraction of samples where `argmax(yPred) == yTrue`,
 * `yTrue` holding class indices of shape [...] or [..., 1] for `yPred` [..., C].
 *
 * @example
 * const m = new st.metrics.SparseCategoricalAccuracy();
 * m.update(st.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]]), st.tensor([1, 1, 1]));
 * m.result(); // 2/3
 */
export class SparseCategoricalAccuracy extends MeanMetric {
  constructor(opts: AccuracyOptions = {}) {
    super(opts.name ?? "sparseCategoricalAccuracy");
  }
  /** Adds one batch: predictions, targets and optional per-sample weights. */
  update(yPred: Tensor, yTrue: Tensor, sampleWeight?: Tensor): void {
    const { classes, units } = classLayout(this.name, yPred);
    checkSparseTargets(this.name, yPred, yTrue, units);
    const p = valuesOf(this.name, "yPred", yPred);
    const t = valuesOf(this.name, "yTrue", yTrue);
    const hit = new Float64Array(t.length);
    for (let u = 0; u < t.length; u++) hit[u] = argmaxAt(p, u * classes, classes) === t[u] ? 1 : 0;
    this.accumulate(hit, units, sampleWeight);
  }
}

/** Options of the top-k accuracies. */
export interface TopKOptions extends AccuracyOptions {
  /** How many of the highest scores count (default 5). */
  k?: number;
}

/** Whether class `c` is among the `k` highest of `x[off .. off+n)`; ties at the boundary count as in (TF's `in_top_k`). */
function inTopK(x: Float64Array, off: number, n: number, c: number, k: number): boolean {
  const v = x[off + c]!;
  if (Number.isNaN(v)) return false;
  let above = 0;
  for (let j = 0; j < n; j++) if (x[off + j]! > v) above++;
  return above < k;
}

abstract class TopKBase extends MeanMetric {
  /** How many top predictions count as a hit. */
  readonly k: number;
  constructor(name: string, k: number) {
    super(name);
    if (!Number.isInteger(k) || k < 1) throw new ValueError(`${name}: k must be a positive integer (got ${k})`);
    this.k = k;
  }
}

/**
 * Top-k categorical accuracy: the weighted fraction of samples whose true class (argmax of one-hot
 * `yTrue`) is among the `k` highest scores of `yPred` [..., C]; ties at the k-th score count as hits.
 *
 * @example
 * const m = new st.metrics.TopKCategoricalAccuracy({ k: 2 });
 * m.update(st.tensor([[0.5, 0.3, 0.2], [0.5, 0.3, 0.2]]), st.tensor([[0, 1, 0], [0, 0, 1]]));
 * m.result(); // 0.5
 */
export class TopKCategoricalAccuracy extends TopKBase {
  constructor(opts: TopKOptions = {}) {
    super(opts.name ?? "topKCategoricalAccuracy", opts.k ?? 5);
  }
  /** Adds one batch: predictions, targets and optional per-sample weights. */
  update(yPred: Tensor, yTrue: Tensor, sampleWeight?: Tensor): void {
    const { classes, units } = classLayout(this.name, yPred);
    checkOneHotTargets(this.name, yPred, yTrue, "sparseTopKCategoricalAccuracy");
    const p = valuesOf(this.name, "yPred", yPred);
    const t = valuesOf(this.name, "yTrue", yTrue);
    const n = p.length / Math.max(classes, 1);
    const hit = new Float64Array(n);
    for (let u = 0; u < n; u++) hit[u] = inTopK(p, u * classes, classes, argmaxAt(t, u * classes, classes), this.k) ? 1 : 0;
    this.accumulate(hit, units, sampleWeight);
  }
}

/**
 * Sparse top-k categorical accuracy: like `TopKCategoricalAccuracy` with class indices in `yTrue`.
 *
 * @example
 * const m = new st.metrics.SparseTopKCategoricalAccuracy({ k: 2 });
 * m.update(st.tensor([[0.5, 0.3, 0.2]]), st.tensor([1]));
 * m.result(); // 1
 */
export class SparseTopKCategoricalAccuracy extends TopKBase {
  constructor(opts: TopKOptions = {}) {
    super(opts.name ?? "sparseTopKCategoricalAccuracy", opts.k ?? 5);
  }
  /** Adds one batch: predictions, targets and optional per-sample weights. */
  update(yPred: Tensor, yTrue: Tensor, sampleWeight?: Tensor): void {
    const { classes, units } = classLayout(this.name, yPred);
    checkSparseTargets(this.name, yPred, yTrue, units);
    const p = valuesOf(this.name, "yPred", yPred);
    const t = valuesOf(this.name, "yTrue", yTrue);
    const hit = new Float64Array(t.length);
    for (let u = 0; u < t.length; u++) {
      const c = t[u]!;
      hit[u] = Number.isInteger(c) && c >= 0 && c < classes && inTopK(p, u * classes, classes, c, this.k) ? 1 : 0;
    }
    this.accumulate(hit, units, sampleWeight);
  }
}

/** Which accuracy a model's outputs and targets call for. */
export type AccuracyKind = "binary" | "categorical" | "sparse";

/**
 * Keras's choice for the string "accuracy": binary when the model has one output per sample
 * (`yPred` [N] or [..., 1]); sparse when `yTrue` has fewer dims than `yPred` or a last dim of 1;
 * categorical otherwise.
 */
export function inferAccuracyKind(predShape: readonly number[], trueShape: readonly number[]): AccuracyKind {
  const pLast = predShape[predShape.length - 1];
  if (predShape.length <= 1 || pLast === 1) return "binary";
  if (trueShape.length < predShape.length || trueShape[trueShape.length - 1] === 1) return "sparse";
  return "categorical";
}

/** Options of `Accuracy`. */
export interface AutoAccuracyOptions extends BinaryAccuracyOptions {
  /** Fixes the kind; default: from the loss, else from the shapes of the first batch. */
  kind?: AccuracyKind;
}

/**
 * Accuracy as Keras's string "accuracy": binary, categorical or sparse categorical, fixed by `kind`
 * (which `resolveMetric` derives from the loss), else chosen from the first batch's shapes by
 * `inferAccuracyKind`. Binary accuracy thresholds probabilities at 0.5 (logits at 0 with
 * `fromLogits`).
 *
 * @example
 * const m = new st.metrics.Accuracy();
 * m.update(st.tensor([[2.0, -1.0], [0.5, 1.5]]), st.tensor([0, 0])); // class indices: sparse
 * m.result(); // 0.5
 */
export class Accuracy implements Metric {
  readonly name: string;
  private readonly opts: AutoAccuracyOptions;
  private inner: MeanMetric | null = null;
  constructor(opts: AutoAccuracyOptions = {}) {
    this.name = opts.name ?? "accuracy";
    this.opts = opts;
    if (opts.kind !== undefined) this.inner = this.make(opts.kind);
  }
  /** The kind in use (null until fixed by the options or the first batch). */
  get kind(): AccuracyKind | null {
    if (this.inner instanceof BinaryAccuracy) return "binary";
    if (this.inner instanceof SparseCategoricalAccuracy) return "sparse";
    return this.inner === null ? null : "categorical";
  }
  private make(kind: AccuracyKind): MeanMetric {
    if (kind === "binary") return new BinaryAccuracy({ name: this.name, threshold: this.opts.threshold, fromLogits: this.opts.fromLogits });
    if (kind === "sparse") return new SparseCategoricalAccuracy({ name: this.name });
    if (kind === "categorical") return new CategoricalAccuracy({ name: this.name });
    throw new ValueError(`${this.name}: kind must be "binary", "categorical" or "sparse" (got ${JSON.stringify(kind)})`);
  }
  /** Forgets every batch seen. */
  reset(): void {
    this.inner?.reset();
  }
  /** Adds one batch (the accuracy kind is inferred from the first batch's shapes). */
  update(yPred: Tensor, yTrue: Tensor, sampleWeight?: Tensor): void {
    this.inner ??= this.make(inferAccuracyKind(yPred.shape, yTrue.shape));
    this.inner.update(yPred, yTrue, sampleWeight);
  }
  /** The accuracy over every batch since the last `reset()` (0 before any). */
  result(): number {
    return this.inner === null ? 0 : this.inner.result();
  }
}
