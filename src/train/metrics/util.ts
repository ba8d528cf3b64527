// What every metric shares: reading tensors into float64 values (a copy, never the raw storage),
// checking shapes, expanding per-sample weights over the units a metric counts, and the weighted
// running mean that accuracy, MSE and MAE are.

import { ShapeError, ValueError, fmtShape } from "../../core/errors.js";
import { Tensor } from "../../core/tensor.js";
import type { Metric } from "../metric.js";

/** The values of `t` as float64 (a copy through `dataSync`); throws unless `t` is a Tensor. */
export function valuesOf(metric: string, what: string, t: unknown): Float64Array {
  if (!(t instanceof Tensor)) {
    throw new ValueError(`${metric}: ${what} must be a Tensor (got ${t === null ? "null" : typeof t})`);
  }
  return Float64Array.from(t.dataSync() as ArrayLike<number>);
}

/** Throws unless `yPred` and `yTrue` hold the same number of values (shapes [N] and [N, 1] pair up). */
export function checkSameSize(metric: string, yPred: Tensor, yTrue: Tensor, hint = ""): void {
  if (yPred.size !== yTrue.size) {
    throw new ShapeError(
      `${metric}: yPred ${fmtShape(yPred.shape)} and yTrue ${fmtShape(yTrue.shape)} must hold the same number of values${hint}`,
    );
  }
}

/** Throws unless every label is 0 or 1 (binary metrics would otherwise be silently wrong). */
export function checkBinaryLabels(metric: string, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (v !== 0 && v !== 1) {
      throw new ValueError(`${metric}: yTrue must hold 0/1 labels (got ${v} at index ${i}); for class indices use a categorical metric`);
    }
  }
}

/**
 * The weight of each of `nUnits` units laid out row-major in `unitShape` (a sample, or a position of a
 * sample, or one output value), or null without weights. Keras's rule: a weight per sample (shape
 * [N], [N, 1]) or per unit applies to every value under it; a scalar weight applies to all.
 */
export function unitWeights(metric: string, sampleWeight: Tensor | undefined, unitShape: readonly number[]): Float64Array | null {
  if (sampleWeight === undefined || sampleWeight === null) return null;
  const w = valuesOf(metric, "sampleWeight", sampleWeight);
  const nUnits = unitShape.reduce((a, b) => a * b, 1);
  // the weight's dims (ignoring size-1 dims) must be a leading part of the unit shape
  const wDims = sampleWeight.shape.filter((d) => d !== 1);
  let prefix = 1;
  let ok = w.length === 1;
  for (let k = 0; k <= unitShape.length && !ok; k++) {
    if (k > 0) prefix *= unitShape[k - 1]!;
    const lead = unitShape.slice(0, k).filter((d) => d !== 1);
    if (prefix === w.length && lead.length === wDims.length && lead.every((d, i) => d === wDims[i])) ok = true;
  }
  if (!ok) {
    throw new ShapeError(
      `${metric}: sampleWeight ${fmtShape(sampleWeight.shape)} does not fit the values ${fmtShape([...unitShape])}: expected one weight per sample (shape [${unitShape[0] ?? 1}]) or per value`,
    );
  }
  for (let i = 0; i < w.length; i++) {
    if (!Number.isFinite(w[i]!)) throw new ValueError(`${metric}: sampleWeight must be finite (got ${w[i]} at index ${i})`);
  }
  const out = new Float64Array(nUnits);
  const span = nUnits / w.length; // consecutive units under one weight
  for (let u = 0; u < nUnits; u++) out[u] = w[Math.floor(u / span)]!;
  return out;
}

/**
 * A weighted running mean of per-unit values, Σ wᵢ·vᵢ / Σ wᵢ over every batch seen since `reset()`
 * (Keras's `MeanMetricWrapper`); 0 before any update, as in Keras.
 */
export abstract class MeanMetric implements Metric {
  readonly name: string;
  protected total = 0;
  protected count = 0;
  constructor(name: string) {
    this.name = name;
  }
  /** Forgets every batch seen. */
  reset(): void {
    this.total = 0;
    this.count = 0;
  }
  /** Adds one batch: predictions, targets and optional per-sample weights. */
  abstract update(yPred: Tensor, yTrue: Tensor, sampleWeight?: Tensor): void;
  /** The weighted mean Σ wᵢ·vᵢ / Σ wᵢ over every batch since the last `reset()` (0 before any). */
  result(): number {
    return this.count === 0 ? 0 : this.total / this.count;
  }
  /** Adds one batch of per-unit values laid out in `unitShape`. */
  protected accumulate(values: Float64Array, unitShape: readonly number[], sampleWeight?: Tensor): void {
    const w = unitWeights(this.name, sampleWeight, unitShape);
    if (w === null) {
      for (let i = 0; i < values.length; i++) this.total += values[i]!;
      this.count += values.length;
    } else {
      for (let i = 0; i < values.length; i++) {
        this.total += w[i]! * values[i]!;
        this.count += w[i]!;
      }
    }
  }
}

/** Index of the largest of `x[off .. off+n)` (the first on ties, like argmax). */
export function argmaxAt(x: Float64Array, off: number, n: number): number {
  let best = 0;
  let bv = x[off]!;
  for (let j = 1; j < n; j++) {
    const v = x[off + j]!;
    if (v > bv || (Number.isNaN(v) && !Number.isNaN(bv))) {
      best = j;
      bv = v;
    }
  }
  return best;
}

/** `1 / (1 + e^-x)`, turning logits into probabilities. */
export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/**
 * Binary predictions as probabilities: logits pass through the sigmoid; probabilities are checked to
 * lie in [0, 1], since logits thresholded at 0.5 would be silently wrong.
 */
export function probabilities(metric: string, p: Float64Array, fromLogits: boolean): Float64Array {
  if (fromLogits) return p.map(sigmoid);
  for (let i = 0; i < p.length; i++) {
    const v = p[i]!;
    if (!(v >= 0 && v <= 1)) {
      throw new ValueError(
        `${metric}: yPred must be probabilities in [0, 1] (got ${v} at index ${i}); for logits pass fromLogits: true, or end the model in a sigmoid`,
      );
    }
  }
  return p;
}
