// Binary precision, recall and F1 from weighted confusion counts (true/false positives, false
// negatives) accumulated over batches, as Keras's `Precision`, `Recall` and `F1Score`.

import { ShapeError, ValueError, fmtShape } from "../../core/errors.js";
import type { Tensor } from "../../core/tensor.js";
import type { Metric } from "../metric.js";
import { checkBinaryLabels, checkSameSize, probabilities, unitWeights, valuesOf } from "./util.js";

/** Options of `Precision`, `Recall` and `F1Score`. */
export interface ConfusionOptions {
  /** The key in logs (default `precision`, `recall`, `f1`). */
  name?: string;
  /** A value is predicted positive when its probability is > `threshold` (default 0.5). */
  threshold?: number;
  /** `yPred` holds logits (then sigmoid(yPred) is thresholded); default false: probabilities. */
  fromLogits?: boolean;
  /**
   * Count only class `classId` of a multi-class output `yPred` [..., C] (Keras's `class_id`):
   * its column against `yTrue`'s one-hot column, or against `yTrue == classId` for class indices.
   */
  classId?: number;
}

/**
 * Shared counting: every value of `yPred` is one binary decision against the 0/1 label of `yTrue`
 * at the same position (multi-label outputs count each label), weighted by its sample's weight.
 */
abstract class ConfusionMetric implements Metric {
  readonly name: string;
  /** Predictions above this count as the positive class (default 0.5). */
  readonly threshold: number;
  /** Predictions are logits (compared after a sigmoid) (default false). */
  readonly fromLogits: boolean;
  /** The class scored one-vs-rest in a multi-class output, or undefined for binary outputs. */
  readonly classId: number | undefined;
  protected tp = 0;
  protected fp = 0;
  protected fn = 0;
  constructor(name: string, opts: ConfusionOptions) {
    this.name = opts.name ?? name;
    this.threshold = opts.threshold ?? 0.5;
    this.fromLogits = opts.fromLogits ?? false;
    if (!(this.threshold >= 0 && this.threshold <= 1)) {
      throw new ValueError(`${this.name}: threshold must be in [0, 1] (got ${this.threshold})`);
    }
    this.classId = opts.classId;
    if (opts.classId !== undefined && !(Number.isInteger(opts.classId) && opts.classId >= 0)) {
      throw new ValueError(`${this.name}: classId must be an integer ≥ 0 (got ${opts.classId})`);
    }
  }
  /** Forgets every batch seen. */
  reset(): void {
    this.tp = 0;
    this.fp = 0;
    this.fn = 0;
  }
  /** Adds one batch: predictions, targets and optional per-sample weights. */
  update(yPred: Tensor, yTrue: Tensor, sampleWeight?: Tensor): void {
    const raw = valuesOf(this.name, "yPred", yPred);
    let t = valuesOf(this.name, "yTrue", yTrue);
    let p: Float64Array;
    let unitShape: readonly number[];
    if (this.classId === undefined) {
      checkSameSize(this.name, yPred, yTrue, " (a binary metric: one 0/1 label per predicted value; for one class of a multi-class output pass classId)");
      p = probabilities(this.name, raw, this.fromLogits);
      unitShape = yPred.shape.length > 0 ? yPred.shape : [1];
    } else {
      ({ p, t, unitShape } = this.selectClass(yPred, yTrue, raw, t));
    }
    checkBinaryLabels(this.name, t);
    const w = unitWeights(this.name, sampleWeight, unitShape);
    for (let i = 0; i < p.length; i++) {
      const wi = w === null ? 1 : w[i]!;
      const pos = p[i]! > this.threshold;
      if (pos && t[i] === 1) this.tp += wi;
      else if (pos) this.fp += wi;
      else if (t[i] === 1) this.fn += wi;
    }
  }
  /** The metric over every batch since the last `reset()`. */
  abstract result(): number;

  /** Column `classId` of `yPred` [..., C] and the matching 0/1 labels from one-hot or index targets. */
  private selectClass(yPred: Tensor, yTrue: Tensor, raw: Float64Array, t: Float64Array) {
    const c = this.classId!;
    const classes = yPred.shape[yPred.ndim - 1];
    if (yPred.ndim < 2 || classes === undefined || c >= classes) {
      throw new ShapeError(`${this.name}: classId ${c} needs yPred of shape [..., C] with C > ${c} (got ${fmtShape(yPred.shape)})`);
    }
    const n = raw.length / classes;
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = raw[i * classes + c]!;
    let labels: Float64Array;
    if (yTrue.size === yPred.size) {
      labels = new Float64Array(n);
      for (let i = 0; i < n; i++) labels[i] = t[i * classes + c]!;
    } else if (yTrue.size === n) {
      labels = t.map((v) => (v === c ? 1 : 0));
    } else {
      throw new ShapeError(`${this.name}: yTrue ${fmtShape(yTrue.shape)} must be one-hot of yPred's shape ${fmtShape(yPred.shape)} or hold one class index per sample`);
    }
    return { p: probabilities(this.name, col, this.fromLogits), t: labels, unitShape: yPred.shape.slice(0, -1) };
  }
}

/**
 * Precision = TP / (TP + FP), weighted counts over all batches since `reset()`. With no predicted
 * positives it is 0, as in Keras and scikit-learn (`zero_division=0`), never NaN.
 *
 * @example
 * const m = new st.metrics.Precision();
 * m.update(st.tensor([0.9, 0.8, 0.3, 0.1]), st.tensor([1, 0, 1, 0]));
 * m.result(); // 1 / (1 + 1) = 0.5
 */
export class Precision extends ConfusionMetric {
  constructor(opts: ConfusionOptions = {}) {
    super("precision", opts);
  }
  /** The metric over every batch since the last `reset()`. */
  result(): number {
    const d = this.tp + this.fp;
    return d === 0 ? 0 : this.tp / d;
  }
}

/**
 * Recall = TP / (TP + FN), weighted counts over all batches since `reset()`. With no actual
 * positives it is 0 (Keras, scikit-learn `zero_division=0`), never NaN.
 *
 * @example
 * const m = new st.metrics.Recall();
 * m.update(st.tensor([0.9, 0.8, 0.3, 0.1]), st.tensor([1, 0, 1, 0]));
 * m.result(); // 1 / (1 + 1) = 0.5
 */
export class Recall extends ConfusionMetric {
  constructor(opts: ConfusionOptions = {}) {
    super("recall", opts);
  }
  /** The metric over every batch since the last `reset()`. */
  result(): number {
    const d = this.tp + this.fn;
    return d === 0 ? 0 : this.tp / d;
  }
}

/**
 * Binary F1 = 2·TP / (2·TP + FP + FN) (the harmonic mean of precision and recall), weighted counts
 * over all batches; 0 when there are neither predicted nor actual positives (scikit-learn's
 * `zero_division=0`), never NaN.
 *
 * @example
 * const m = new st.metrics.F1Score();
 * m.update(st.tensor([0.9, 0.8, 0.3, 0.1]), st.tensor([1, 0, 1, 0]));
 * m.result(); // 2 / (2 + 1 + 1) = 0.5
 */
export class F1Score extends ConfusionMetric {
  constructor(opts: ConfusionOptions = {}) {
    super("f1", opts);
  }
  /** 2·precision·recall / (precision + recall) over every batch since the last `reset()` (0 when undefined). */
  result(): number {
    const d = 2 * this.tp + this.fp + this.fn;
    return d === 0 ? 0 : (2 * this.tp) / d;
  }
}
