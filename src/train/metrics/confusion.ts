// Binary precision, recall and F1 from weighted confusion counts (true/false positives, false
// negatives) accumulated over batches, as Keras's `Precision`, `Recall` and `F1Score`.

import { ValueError } from "../../core/errors.js";
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
}

/**
 * Shared counting: every value of `yPred` is one binary decision against the 0/1 label of `yTrue`
 * at the same position (multi-label outputs count each label), weighted by its sample's weight.
 */
abstract class ConfusionMetric implements Metric {
  readonly name: string;
  readonly threshold: number;
  readonly fromLogits: boolean;
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
  }
  reset(): void {
    this.tp = 0;
    this.fp = 0;
    this.fn = 0;
  }
  update(yPred: Tensor, yTrue: Tensor, sampleWeight?: Tensor): void {
    const p = probabilities(this.name, valuesOf(this.name, "yPred", yPred), this.fromLogits);
    const t = valuesOf(this.name, "yTrue", yTrue);
    checkSameSize(this.name, yPred, yTrue, " (a binary metric: one 0/1 label per predicted value)");
    checkBinaryLabels(this.name, t);
    const w = unitWeights(this.name, sampleWeight, yPred.shape.length > 0 ? yPred.shape : [1]);
    for (let i = 0; i < p.length; i++) {
      const wi = w === null ? 1 : w[i]!;
      const pos = p[i]! > this.threshold;
      if (pos && t[i] === 1) this.tp += wi;
      else if (pos) this.fp += wi;
      else if (t[i] === 1) this.fn += wi;
    }
  }
  abstract result(): number;
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
  result(): number {
    const d = 2 * this.tp + this.fp + this.fn;
    return d === 0 ? 0 : (2 * this.tp) / d;
  }
}
