// ROC AUC computed exactly from every score seen since reset() (not Keras's 200-threshold
// approximation, which is off by up to ~1/200 and worse on small data): the weighted probability
// that a random positive scores above a random negative, ties counting one half.

import type { Tensor } from "../../core/tensor.js";
import type { Metric } from "../metric.js";
import { checkBinaryLabels, checkSameSize, unitWeights, valuesOf } from "./util.js";

/** Options of `AUC`. */
export interface AUCOptions {
  /** The key in logs (default `auc`). */
  name?: string;
}

/**
 * Area under the ROC curve, exact: AUC = Σ_{pos i, neg j} wᵢwⱼ·([sᵢ > sⱼ] + ½[sᵢ = sⱼ]) / (W₊·W₋)
 * over all values seen since `reset()` (each value of `yPred` is one score against the 0/1 label at
 * the same position in `yTrue`), which equals scikit-learn's `roc_auc_score` (trapezoidal ROC, also
 * with `sample_weight`). Rank-based, so logits and probabilities give the same AUC. Memory grows
 * with the values seen (16 bytes each, plus 8 with weights); `result()` sorts them, O(n log n).
 *
 * With only one class seen (no positives or no negatives), AUC is undefined and `result()` returns
 * NaN — scikit-learn raises there, but an error would stop `fit` whenever one early batch happens to
 * hold one class, while the epoch's AUC over every batch is well defined.
 *
 * @example
 * const m = new st.metrics.AUC();
 * m.update(st.tensor([0.1, 0.4, 0.35, 0.8]), st.tensor([0, 0, 1, 1]));
 * m.result(); // 0.75 (3 of the 4 positive/negative pairs are ordered right)
 */
export class AUC implements Metric {
  readonly name: string;
  private scores: number[] = [];
  private labels: number[] = [];
  private weights: number[] = [];
  constructor(opts: AUCOptions = {}) {
    this.name = opts.name ?? "auc";
  }
  /** Forgets every batch seen. */
  reset(): void {
    this.scores = [];
    this.labels = [];
    this.weights = [];
  }
  /** Adds one batch of scores and 0/1 targets to the threshold histograms. */
  update(yPred: Tensor, yTrue: Tensor, sampleWeight?: Tensor): void {
    const p = valuesOf(this.name, "yPred", yPred);
    const t = valuesOf(this.name, "yTrue", yTrue);
    checkSameSize(this.name, yPred, yTrue, " (one 0/1 label per score)");
    checkBinaryLabels(this.name, t);
    const w = unitWeights(this.name, sampleWeight, yPred.shape.length > 0 ? yPred.shape : [1]);
    for (let i = 0; i < p.length; i++) {
      this.scores.push(p[i]!);
      this.labels.push(t[i]!);
      this.weights.push(w === null ? 1 : w[i]!);
    }
  }
  /** The area under the curve over every batch since the last `reset()`. */
  result(): number {
    const n = this.scores.length;
    const order = Array.from({ length: n }, (_, i) => i);
    const s = this.scores;
    // NaN scores sort first (lowest): a NaN prediction never ranks a positive above a negative
    order.sort((a, b) => (Number.isNaN(s[a]!) ? (Number.isNaN(s[b]!) ? 0 : -1) : Number.isNaN(s[b]!) ? 1 : s[a]! - s[b]!));
    let negBelow = 0; // weight of negatives with a lower score
    let pos = 0;
    let area = 0;
    for (let i = 0; i < n; ) {
      let j = i;
      let gPos = 0;
      let gNeg = 0;
      const v = s[order[i]!]!;
      while (j < n && (s[order[j]!] === v || (Number.isNaN(v) && Number.isNaN(s[order[j]!]!)))) {
        const k = order[j]!;
        if (this.labels[k] === 1) gPos += this.weights[k]!;
        else gNeg += this.weights[k]!;
        j++;
      }
      area += gPos * (negBelow + gNeg / 2);
      negBelow += gNeg;
      pos += gPos;
      i = j;
    }
    const neg = negBelow;
    if (pos === 0 || neg === 0) return NaN;
    return area / (pos * neg);
  }
}
