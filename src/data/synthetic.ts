// Synthetic datasets for examples and tests: linear regression with noise, interleaved spirals and
// Gaussian blobs. All are seeded (same seed ⇒ same data on every platform) and return float32
// features with int32 class labels or float32 regression targets.

import { ValueError } from "../core/errors.js";
import { tensor } from "../core/creation.js";
import { Generator, defaultGenerator } from "../core/random.js";
import type { Tensor } from "../core/tensor.js";

/** Where the randomness comes from: `seed` (a generator of its own) or `generator`; default the global one. */
export interface SeedOptions {
  /** Seed of a private generator (ignored when `generator` is given). */
  seed?: number;
  /** Random source (default: a generator seeded with `seed`, or the global one). */
  generator?: Generator;
}

/** @internal the generator an options object asks for. */
export function generatorOf(where: string, o: SeedOptions): Generator {
  if (o.seed !== undefined && o.generator !== undefined) throw new ValueError(`${where}: pass either seed or generator, not both`);
  if (o.seed !== undefined && !Number.isSafeInteger(o.seed)) throw new ValueError(`${where}: seed must be an integer, got ${o.seed}`);
  return o.generator ?? (o.seed !== undefined ? new Generator(o.seed) : defaultGenerator);
}

/** @internal a positive integer option, with a message naming it. */
export function positiveInt(where: string, name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new ValueError(`${where}: ${name} must be a positive integer, got ${v}`);
  return v;
}

function nonNegative(where: string, name: string, v: number): number {
  if (!Number.isFinite(v) || v < 0) throw new ValueError(`${where}: ${name} must be a finite number ≥ 0, got ${v}`);
  return v;
}

/**
 * One-feature linear data y = weight·x + bias + noise·ε with x ~ U[low, high) and ε ~ N(0, 1)
 * (the "fit a line" example). Shapes: x float32 [n, 1], y float32 [n, 1].
 * Defaults: n 100, weight 2, bias 1, noise 0.1, low −1, high 1.
 * @example const { x, y } = st.data.linearData({ n: 200, seed: 0 }); // y ≈ 2x + 1
 */
export function linearData(opts: { n?: number; weight?: number; bias?: number; noise?: number; low?: number; high?: number } & SeedOptions = {}): {
  /** Inputs. */
  x: Tensor;
  /** Targets. */
  y: Tensor;
} {
  const n = positiveInt("linearData", "n", opts.n ?? 100);
  const w = opts.weight ?? 2;
  const b = opts.bias ?? 1;
  const noise = nonNegative("linearData", "noise", opts.noise ?? 0.1);
  const g = generatorOf("linearData", opts);
  const x = g.uniform(new Float64Array(n), opts.low ?? -1, opts.high ?? 1);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = w * x[i]! + b + noise * g.nextNormal();
  return { x: tensor(Float32Array.from(x), { shape: [n, 1] }), y: tensor(Float32Array.from(y), { shape: [n, 1] }) };
}

/**
 * Multi-feature linear regression: x ~ N(0, 1) [nSamples, nFeatures], y = x·w + bias + noise·ε.
 * `weights` defaults to draws from U[−2, 2) (one per feature, drawn after x). Shapes: x float32
 * [nSamples, nFeatures], y float32 [nSamples, 1]; the true `weights` and `bias` come back too.
 * Defaults: nSamples 100, nFeatures 1, bias 0, noise 0.1.
 * @example const { x, y, weights } = st.data.makeRegression({ nSamples: 500, nFeatures: 3, seed: 1 });
 */
export function makeRegression(
  opts: { nSamples?: number; nFeatures?: number; weights?: number[]; bias?: number; noise?: number } & SeedOptions = {},
): {
  /** Inputs. */
  x: Tensor;
  /** Targets. */
  y: Tensor;
  /** The true weights. */
  weights: number[];
  /** The true bias. */
  bias: number;
} {
  const n = positiveInt("makeRegression", "nSamples", opts.nSamples ?? 100);
  const f = positiveInt("makeRegression", "nFeatures", opts.nFeatures ?? 1);
  const noise = nonNegative("makeRegression", "noise", opts.noise ?? 0.1);
  const bias = opts.bias ?? 0;
  if (opts.weights && opts.weights.length !== f) {
    throw new ValueError(`makeRegression: weights has ${opts.weights.length} entries but nFeatures is ${f}`);
  }
  const g = generatorOf("makeRegression", opts);
  const x = g.normal(new Float64Array(n * f));
  const weights = opts.weights ? [...opts.weights] : Array.from(g.uniform(new Float64Array(f), -2, 2));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = bias;
    for (let j = 0; j < f; j++) s += x[i * f + j]! * weights[j]!;
    y[i] = s + noise * g.nextNormal();
  }
  return { x: tensor(Float32Array.from(x), { shape: [n, f] }), y: tensor(Float32Array.from(y), { shape: [n, 1] }), weights, bias };
}

/**
 * Interleaved 2-D spirals (the CS231n toy problem), one arm per class: for class k and
 * i = 0..nPerClass−1, r = i/(nPerClass−1), θ = 4k + 4r + noise·ε (ε ~ N(0, 1)),
 * point (r·sin θ, r·cos θ). Not linearly separable. Shapes: x float32 [nClasses·nPerClass, 2],
 * y int32 [nClasses·nPerClass], class-major order (shuffle with a DataLoader).
 * Defaults: nPerClass 100, nClasses 3, noise 0.2.
 * @example const { x, y } = st.data.makeSpirals({ nPerClass: 100, nClasses: 3, seed: 0 }); // x: [300, 2]
 */
export function makeSpirals(opts: { nPerClass?: number; nClasses?: number; noise?: number } & SeedOptions = {}): {
  /** Inputs. */
  x: Tensor;
  /** Targets. */
  y: Tensor;
} {
  const m = positiveInt("makeSpirals", "nPerClass", opts.nPerClass ?? 100);
  const k = positiveInt("makeSpirals", "nClasses", opts.nClasses ?? 3);
  const noise = nonNegative("makeSpirals", "noise", opts.noise ?? 0.2);
  const g = generatorOf("makeSpirals", opts);
  const x = new Float32Array(m * k * 2);
  const y = new Int32Array(m * k);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < m; i++) {
      const r = m === 1 ? 0 : i / (m - 1);
      const theta = 4 * c + 4 * r + noise * g.nextNormal();
      const row = c * m + i;
      x[2 * row] = r * Math.sin(theta);
      x[2 * row + 1] = r * Math.cos(theta);
      y[row] = c;
    }
  }
  return { x: tensor(x, { shape: [m * k, 2] }), y: tensor(y) };
}

/**
 * Isotropic Gaussian blobs (scikit-learn's make_blobs): `centers` is a count (centres drawn from
 * U[centerBox[0], centerBox[1]) per coordinate) or explicit points; sample i belongs to blob i mod k
 * before the optional shuffle, so blob sizes differ by at most one. x = centre + clusterStd·ε.
 * Shapes: x float32 [nSamples, nFeatures], y int32 [nSamples], centers float32 [k, nFeatures].
 * Defaults: nSamples 100, centers 3, nFeatures 2, clusterStd 1, centerBox [−10, 10], shuffle true.
 * @example const { x, y } = st.data.makeBlobs({ nSamples: 300, centers: 4, seed: 0 });
 */
export function makeBlobs(
  opts: { nSamples?: number; centers?: number | number[][]; nFeatures?: number; clusterStd?: number; centerBox?: [number, number]; shuffle?: boolean } & SeedOptions = {},
): {
  /** Inputs. */
  x: Tensor;
  /** Cluster labels. */
  y: Tensor;
  /** The cluster centers, [k, nFeatures]. */
  centers: Tensor;
} {
  const n = positiveInt("makeBlobs", "nSamples", opts.nSamples ?? 100);
  const std = nonNegative("makeBlobs", "clusterStd", opts.clusterStd ?? 1);
  const g = generatorOf("makeBlobs", opts);
  let centers: number[][];
  let f: number;
  if (Array.isArray(opts.centers)) {
    if (opts.centers.length === 0) throw new ValueError("makeBlobs: centers is an empty list");
    f = opts.centers[0]!.length;
    if (f === 0 || opts.centers.some((c) => c.length !== f)) throw new ValueError("makeBlobs: every centre must have the same, non-zero number of coordinates");
    if (opts.nFeatures !== undefined && opts.nFeatures !== f) throw new ValueError(`makeBlobs: nFeatures ${opts.nFeatures} does not match centres with ${f} coordinates`);
    centers = opts.centers.map((c) => [...c]);
  } else {
    const k = positiveInt("makeBlobs", "centers", opts.centers ?? 3);
    f = positiveInt("makeBlobs", "nFeatures", opts.nFeatures ?? 2);
    const [lo, hi] = opts.centerBox ?? [-10, 10];
    centers = Array.from({ length: k }, () => Array.from(g.uniform(new Float64Array(f), lo, hi)));
  }
  const k = centers.length;
  const order = opts.shuffle === false ? Int32Array.from({ length: n }, (_, i) => i) : g.randperm(n);
  const x = new Float32Array(n * f);
  const y = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const i = order[j]!; // sample i (blob i mod k) lands at row j
    const c = i % k;
    y[j] = c;
    for (let d = 0; d < f; d++) x[j * f + d] = centers[c]![d]! + std * g.nextNormal();
  }
  return { x: tensor(x, { shape: [n, f] }), y: tensor(y), centers: tensor(Float32Array.from(centers.flat()), { shape: [k, f] }) };
}
