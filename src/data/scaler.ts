// StandardScaler: per-feature standardization fitted on training data and applied to any data
// (scikit-learn's StandardScaler), so test statistics never leak into training.

import { ShapeError, ValueError, fmtShape } from "../core/errors.js";
import { tensor } from "../core/creation.js";
import { Tensor } from "../core/tensor.js";

/** The fitted statistics, as plain numbers (what toJSON writes and fromJSON reads). */
export interface StandardScalerState {
  /** Per-column mean. */
  mean: number[];
  /** Per-column standard deviation (positive). */
  scale: number[];
}

/**
 * Standardizes each column of a 2-D [samples, features] tensor: z = (x − mean) / scale, where mean
 * and scale are the column mean and **population** standard deviation (divisor n, as scikit-learn)
 * of the data given to `fit`, computed in float64. **Zero-variance columns** (constant features, or
 * a single sample) get scale = 1 instead of 0, so they transform to x − mean = 0 rather than NaN
 * (scikit-learn's rule); `inverseTransform` maps them back exactly. Output keeps the input's float
 * dtype (integer input gives float32).
 * @example
 * const xTrain = st.tensor([[1, 10], [3, 30]], { dtype: "float32" });
 * const xTest = st.tensor([[2, 20]], { dtype: "float32" });
 * const scaler = new st.data.StandardScaler();
 * const xTrainZ = scaler.fitTransform(xTrain); // mean 0, std 1 per column
 * const xTestZ = scaler.transform(xTest);      // with the training statistics
 */
export class StandardScaler {
  /** Per-column mean of the data `fit` saw (null before fit). */
  mean: Tensor | null = null;
  /** Per-column standard deviation of the data `fit` saw (null before fit; 1 for constant columns). */
  scale: Tensor | null = null;

  constructor(
    /** What the scaler does (both default true). */
    readonly opts: {
      /** Subtract the mean. */
      withMean?: boolean;
      /** Divide by the standard deviation. */
      withStd?: boolean;
    } = {},
  ) {}

  private check2d(where: string, x: Tensor): void {
    if (!(x instanceof Tensor)) throw new ValueError(`StandardScaler.${where}: expected a Tensor, got ${typeof x}`);
    if (x.ndim !== 2) throw new ShapeError(`StandardScaler.${where}: expected a 2-D [samples, features] tensor, got shape ${fmtShape(x.shape)}`);
  }

  /** Computes the column means and standard deviations of x (at least one row). */
  fit(x: Tensor): this {
    this.check2d("fit", x);
    if (x.shape[0] === 0) throw new ShapeError(`StandardScaler.fit: x has no rows (shape ${fmtShape(x.shape)})`);
    const x64 = x.to("float64");
    const f = x.shape[1]!;
    const mean = this.opts.withMean === false ? tensor(new Float64Array(f)) : x64.mean(0);
    let scale: Tensor;
    if (this.opts.withStd === false) scale = tensor(new Float64Array(f).fill(1));
    else {
      const sd = x64.std(0, { correction: 0 });
      const sdv = sd.dataSync();
      const bad = Array.from(sdv).findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) throw new ValueError(`StandardScaler.fit: column ${bad} has a non-finite standard deviation (NaN or infinite values in x)`);
      scale = sd.where(sd.gt(0), 1);
    }
    const mv = mean.dataSync();
    const badMean = Array.from(mv).findIndex((v) => !Number.isFinite(v));
    if (badMean >= 0) throw new ValueError(`StandardScaler.fit: column ${badMean} has a non-finite mean (NaN or infinite values in x)`);
    this.mean = mean;
    this.scale = scale;
    return this;
  }

  private fitted(where: string, x: Tensor): { mean: Tensor; scale: Tensor } {
    this.check2d(where, x);
    if (!this.mean || !this.scale) throw new ValueError(`StandardScaler.${where}: call fit (or fitTransform) first`);
    if (x.shape[1] !== this.mean.shape[0]) {
      throw new ShapeError(`StandardScaler.${where}: x has ${x.shape[1]} features but the scaler was fitted on ${this.mean.shape[0]}`);
    }
    return { mean: this.mean, scale: this.scale };
  }

  private outDtype(x: Tensor): "float32" | "float64" {
    return x.dtype === "float64" ? "float64" : "float32";
  }

  /** (x − mean) / scale with the fitted statistics. */
  transform(x: Tensor): Tensor {
    const { mean, scale } = this.fitted("transform", x);
    return x.to("float64").sub(mean).div(scale).to(this.outDtype(x));
  }

  /** fit(x) then transform(x). */
  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  /** z · scale + mean: undoes transform. */
  inverseTransform(z: Tensor): Tensor {
    const { mean, scale } = this.fitted("inverseTransform", z);
    return z.to("float64").mul(scale).add(mean).to(this.outDtype(z));
  }

  /** The fitted statistics as numbers (for saving next to a model). */
  toJSON(): StandardScalerState {
    if (!this.mean || !this.scale) throw new ValueError("StandardScaler.toJSON: the scaler is not fitted");
    return { mean: Array.from(this.mean.dataSync()), scale: Array.from(this.scale.dataSync()) };
  }

  /** A fitted scaler from toJSON's output. */
  static fromJSON(state: StandardScalerState): StandardScaler {
    const ok = (a: unknown): a is number[] => Array.isArray(a) && a.every((v) => typeof v === "number" && Number.isFinite(v));
    if (!state || !ok(state.mean) || !ok(state.scale) || state.mean.length !== state.scale.length || state.scale.some((v) => v <= 0)) {
      throw new ValueError("StandardScaler.fromJSON: expected {mean: number[], scale: number[]} of equal length with positive scales");
    }
    const s = new StandardScaler();
    s.mean = tensor(Float64Array.from(state.mean));
    s.scale = tensor(Float64Array.from(state.scale));
    return s;
  }
}
