// Regression metrics: mean squared error, mean absolute error (weighted running means) and R²,
// streamed from per-output weighted sums merged batch by batch (Chan et al.'s update, so a large
// mean never cancels the variance away as Σy² − (Σy)²/n would).

import { ShapeError, fmtShape } from "../../core/errors.js";
import type { Tensor } from "../../core/tensor.js";
import type { Metric } from "../metric.js";
import { MeanMetric, checkSameSize, unitWeights, valuesOf } from "./util.js";

/** Options of the regression metrics. */
export interface RegressionMetricOptions {
  /** The key in logs (default `mse`, `mae`, `r2`). */
  name?: string;
}

/**
 * Mean squared error, Σ wᵢ(ŷᵢ − yᵢ)² / Σ wᵢ over every value since `reset()` (a sample's weight
 * applies to each of its outputs; [N] and [N, 1] pair up).
 *
 * @example
 * const m = new st.metrics.MeanSquaredError();
 * m.update(st.tensor([1, 2, 3]), st.tensor([1, 0, 4]));
 * m.result(); // (0 + 4 + 1) / 3
 */
export class MeanSquaredError extends MeanMetric {
  constructor(opts: RegressionMetricOptions = {}) {
    super(opts.name ?? "mse");
  }
  /** Adds one batch: predictions, targets and optional per-sample weights. */
  update(yPred: Tensor, yTrue: Tensor, sampleWeight?: Tensor): void {
    const p = valuesOf(this.name, "yPred", yPred);
    const t = valuesOf(this.name, "yTrue", yTrue);
    checkSameSize(this.name, yPred, yTrue);
    for (let i = 0; i < p.length; i++) p[i] = (p[i]! - t[i]!) ** 2;
    this.accumulate(p, yPred.shape.length > 0 ? yPred.shape : [1], sampleWeight);
  }
}

/**
 * Mean absolute error, Σ wᵢ|ŷᵢ − yᵢ| / Σ wᵢ over every value since `reset()`.
 *
 * @example
 * const m = new st.metrics.MeanAbsoluteError();
 * m.update(st.tensor([1, 2, 3]), st.tensor([1, 0, 4]));
 * m.result(); // (0 + 2 + 1) / 3
 */
export class MeanAbsoluteError extends MeanMetric {
  constructor(opts: RegressionMetricOptions = {}) {
    super(opts.name ?? "mae");
  }
  /** Adds one batch. */
  update(yPred: Tensor, yTrue: Tensor, sampleWeight?: Tensor): void {
    const p = valuesOf(this.name, "yPred", yPred);
    const t = valuesOf(this.name, "yTrue", yTrue);
    checkSameSize(this.name, yPred, yTrue);
    for (let i = 0; i < p.length; i++) p[i] = Math.abs(p[i]! - t[i]!);
    this.accumulate(p, yPred.shape.length > 0 ? yPred.shape : [1], sampleWeight);
  }
}

/**
 * Coefficient of determination, R² = 1 − SS_res / SS_tot per output (the last dim of a 2-D or
 * higher `yPred`; one output for [N]), averaged uniformly over outputs (Keras's and scikit-learn's
 * default `multioutput="uniform_average"`), with SS_res = Σ wᵢ(yᵢ − ŷᵢ)² and
 * SS_tot = Σ wᵢ(yᵢ − ȳ_w)², both over every sample since `reset()`.
 * A constant target (SS_tot = 0) gives 1 for a perfect fit and 0 otherwise (scikit-learn's
 * `force_finite`), and no data gives 0, never NaN. R² can be negative (worse than the mean).
 *
 * @example
 * const m = new st.metrics.R2Score();
 * m.update(st.tensor([2.5, 0.0, 2, 8]), st.tensor([3, -0.5, 2, 7]));
 * m.result(); // 1 − 1.5 / 29.1875 ≈ 0.9486
 */
export class R2Score implements Metric {
  readonly name: string;
  private outputs = 0;
  private w = new Float64Array(0); // Σ weights per output
  private mean = new Float64Array(0); // weighted mean of yTrue per output
  private m2 = new Float64Array(0); // Σ w (y − mean)² per output
  private ssRes = new Float64Array(0);
  constructor(opts: RegressionMetricOptions = {}) {
    this.name = opts.name ?? "r2";
  }
  /** Forgets every batch seen. */
  reset(): void {
    this.outputs = 0; // the next update sizes fresh sums
  }
  /** Adds one batch: predictions, targets and optional per-sample weights. */
  update(yPred: Tensor, yTrue: Tensor, sampleWeight?: Tensor): void {
    const p = valuesOf(this.name, "yPred", yPred);
    const t = valuesOf(this.name, "yTrue", yTrue);
    checkSameSize(this.name, yPred, yTrue);
    const outs = yPred.ndim >= 2 ? yPred.shape[yPred.ndim - 1]! : 1;
    const rows = outs === 0 ? 0 : p.length / outs;
    const w = unitWeights(this.name, sampleWeight, [rows, outs]);
    if (this.outputs !== outs) {
      if (this.outputs !== 0) {
        throw new ShapeError(`${this.name}: yPred ${fmtShape(yPred.shape)} has ${outs} outputs, earlier batches had ${this.outputs}`);
      }
      this.outputs = outs;
      this.w = new Float64Array(outs);
      this.mean = new Float64Array(outs);
      this.m2 = new Float64Array(outs);
      this.ssRes = new Float64Array(outs);
    }
    for (let c = 0; c < outs; c++) {
      // this batch's weighted mean and M2 for output c, then merged into the running ones
      let bw = 0;
      let bs = 0;
      for (let r = 0; r < rows; r++) {
        const wi = w === null ? 1 : w[r * outs + c]!;
        bw += wi;
        bs += wi * t[r * outs + c]!;
        const e = t[r * outs + c]! - p[r * outs + c]!;
        this.ssRes[c] += wi * e * e;
      }
      if (bw === 0) continue;
      const bmean = bs / bw;
      let bm2 = 0;
      for (let r = 0; r < rows; r++) {
        const wi = w === null ? 1 : w[r * outs + c]!;
        const d = t[r * outs + c]! - bmean;
        bm2 += wi * d * d;
      }
      const W = this.w[c]! + bw;
      const delta = bmean - this.mean[c]!;
      this.mean[c] += (delta * bw) / W;
      this.m2[c] += bm2 + (delta * delta * this.w[c]! * bw) / W;
      this.w[c] = W;
    }
  }
  /** The metric over every batch since the last `reset()`. */
  result(): number {
    if (this.outputs === 0) return 0;
    let s = 0;
    for (let c = 0; c < this.outputs; c++) {
      const tot = this.m2[c]!;
      const res = this.ssRes[c]!;
      s += tot === 0 ? (res === 0 ? 1 : 0) : 1 - res / tot;
    }
    return s / this.outputs;
  }
}
