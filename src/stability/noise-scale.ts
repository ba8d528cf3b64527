// The gradient noise scale of McCandlish et al. 2018 ("An Empirical Model of Large-Batch
// Training"): B_simple = tr(Σ)/|G|², the batch size at which the gradient's noise and signal are
// equal. Estimated from the gradients of K micro-batches of b examples (b = 1: per-example) with
// the paper's unbiased two-batch-size estimators (appendix A.1), the small batch being one
// micro-batch and the big one their union.

import { ValueError } from "../core/errors.js";
import type { Tensor } from "../core/tensor.js";
import { grad } from "../autograd/api.js";

/** Parameters to differentiate: a module (anything with `parameters()`) or a list of tensors. */
export type ParamSource = {
  /** The parameters (a module). */
  parameters(): Tensor[];
} | readonly Tensor[];

/** A dataset given as tensors, split along dim 0 into micro-batches of `microBatch` examples. */
export interface ExampleTensors {
  /** Inputs, split along dim 0. */
  x: Tensor;
  /** Targets, split along dim 0 like `x` (optional). */
  y?: Tensor;
}

/** Options of `noiseScale`. */
export interface NoiseScaleOptions {
  /**
   * Examples per micro-batch. With `{x, y}` data: the split size (default 1, per-example
   * gradients). With an array of batches: how many examples each holds (default: the length of
   * dim 0 of the batch, or of its first tensor field).
   */
  microBatch?: number;
}

/** What `noiseScale` returns. */
export interface NoiseScaleResult {
  /** B_simple = tr(Σ)/|G|² (Infinity when the |G|² estimate is ≤ 0: the noise hides the signal). */
  bSimple: number;
  /** Unbiased estimate of tr(Σ), the per-example gradient covariance's trace. */
  trSigma: number;
  /** Unbiased estimate of |G|², the squared norm of the true gradient. */
  gNorm2: number;
  /**
   * [B_simple/2, 2·B_simple] rounded: in that range the paper's trade-off
   * (S/S_min − 1)(E/E_min − 1) = 1 keeps both the optimizer steps and the examples processed
   * within 3× of their minimum.
   */
  suggestedBatch: [number, number];
  /** Micro-batch size b and count K that were used. */
  microBatch: number;
  /** Number of micro-batches K. */
  batches: number;
}

function paramsOf(src: ParamSource): Tensor[] {
  const ps = Array.isArray(src) ? [...(src as readonly Tensor[])] : typeof (src as { parameters?: unknown }).parameters === "function"
    ? (src as { parameters(): Tensor[] }).parameters() : null;
  if (ps === null) throw new ValueError("gradientNoiseScale: expected a module (with parameters()) or an array of tensors as the first argument");
  const trainable = ps.filter((p) => p.requiresGrad);
  if (trainable.length === 0) throw new ValueError("gradientNoiseScale: no parameter requires grad");
  return trainable;
}

function leadingSize(batch: unknown): number | undefined {
  const t = batch as { shape?: unknown };
  if (t !== null && typeof t === "object" && Array.isArray(t.shape)) return (t.shape as number[])[0];
  if (batch !== null && typeof batch === "object") {
    for (const v of Object.values(batch as object)) {
      const n = leadingSize(v);
      if (n !== undefined) return n;
    }
  }
  return undefined;
}

/** Splits `{x, y}` into micro-batches of b examples (a trailing remainder is dropped so all have b). */
function split(data: ExampleTensors, b: number): ExampleTensors[] {
  const n = data.x.shape[0] ?? 0;
  if (data.y !== undefined && data.y.shape[0] !== n) {
    throw new ValueError(`gradientNoiseScale: x has ${n} examples but y has ${data.y.shape[0]}`);
  }
  const out: ExampleTensors[] = [];
  for (let s = 0; s + b <= n; s += b) {
    out.push(data.y === undefined ? { x: data.x.slice(s, s + b) } : { x: data.x.slice(s, s + b), y: data.y.slice(s, s + b) });
  }
  return out;
}

/**
 * Estimates the gradient noise scale B_simple = tr(Σ)/|G|² (McCandlish et al. 2018) and the batch
 * sizes it suggests. `lossFn(batch)` returns the *mean* loss over a batch. Each of the K
 * micro-batches of b examples gives a gradient g_k; with |G_b|² = mean_k |g_k|² and
 * |G_Kb|² = |mean_k g_k|², the unbiased estimators (paper, appendix A.1) are
 *   |G|² ≈ (Kb·|G_Kb|² − b·|G_b|²) / (Kb − b),   tr(Σ) ≈ (|G_b|² − |G_Kb|²) / (1/b − 1/(Kb)).
 * Parameters are left untouched (gradients are taken with `autograd.grad`, `.grad` is not written).
 *
 * @param data an array of batches (each passed to lossFn as is), or `{x, y}` tensors split along
 *   dim 0 into micro-batches of `opts.microBatch` examples (default 1: per-example gradients)
 * @example
 * const w = st.zeros([3], { requiresGrad: true });
 * const x = st.randn([256, 3]), y = x.matmul(st.tensor([1, 2, 3])).add(st.randn([256]));
 * const r = st.stability.gradientNoiseScale([w], (b) => b.x.matmul(w).sub(b.y!).square().mean().mul(0.5), { x, y });
 * r.bSimple; // ≈ (3·(14 + 1) + 14) / 14 ≈ 4.2
 */
export function gradientNoiseScale<B>(model: ParamSource, lossFn: (batch: B) => Tensor, data: readonly B[], opts?: NoiseScaleOptions): NoiseScaleResult;
export function gradientNoiseScale(model: ParamSource, lossFn: (batch: ExampleTensors) => Tensor, data: ExampleTensors, opts?: NoiseScaleOptions): NoiseScaleResult;
export function gradientNoiseScale(model: ParamSource, lossFn: (batch: never) => Tensor, data: unknown, opts: NoiseScaleOptions = {}): NoiseScaleResult {
  const params = paramsOf(model);
  if (typeof lossFn !== "function") throw new ValueError(`gradientNoiseScale: lossFn must be a function (got ${typeof lossFn})`);
  if (opts.microBatch !== undefined && !(Number.isInteger(opts.microBatch) && opts.microBatch >= 1)) {
    throw new ValueError(`gradientNoiseScale: microBatch must be a positive integer (got ${opts.microBatch})`);
  }
  let batches: unknown[];
  let b: number;
  if (Array.isArray(data)) {
    batches = data;
    b = opts.microBatch ?? leadingSize(data[0]) ?? NaN;
    if (!Number.isFinite(b)) throw new ValueError("gradientNoiseScale: cannot tell the batch size of the batches; pass { microBatch }");
  } else if (data !== null && typeof data === "object" && typeof (data as { x?: { shape?: unknown } }).x?.shape === "object") {
    b = opts.microBatch ?? 1;
    batches = split(data as ExampleTensors, b);
  } else {
    throw new ValueError("gradientNoiseScale: data must be an array of batches or { x, y } tensors");
  }
  const K = batches.length;
  if (K < 2) throw new ValueError(`gradientNoiseScale: needs at least 2 micro-batches to compare two batch sizes (got ${K})`);

  // Σ_k |g_k|² and Σ_k g_k, in float64 whatever the parameters' dtype
  const sizes = params.map((p) => p.size);
  const total = sizes.reduce((a, s) => a + s, 0);
  const sum = new Float64Array(total);
  let sumSq = 0;
  for (const batch of batches) {
    const loss = (lossFn as (b: unknown) => Tensor)(batch);
    if (loss === null || typeof loss !== "object" || typeof (loss as { size?: unknown }).size !== "number" || loss.size !== 1) {
      throw new ValueError("gradientNoiseScale: lossFn must return a scalar loss tensor (the mean over the batch)");
    }
    const gs = grad(loss, params, { allowUnused: true });
    let off = 0;
    for (let i = 0; i < params.length; i++) {
      const g = gs[i];
      if (g) {
        const d = g.dataSync();
        for (let j = 0; j < d.length; j++) {
          const v = Number(d[j]);
          sum[off + j]! += v;
          sumSq += v * v;
        }
      }
      off += sizes[i]!;
    }
  }
  let bigSq = 0;
  for (let j = 0; j < total; j++) bigSq += (sum[j]! / K) ** 2;
  const smallSq = sumSq / K;
  const big = K * b;
  const gNorm2 = (big * bigSq - b * smallSq) / (big - b);
  const trSigma = (smallSq - bigSq) / (1 / b - 1 / big);
  const bSimple = gNorm2 > 0 ? trSigma / gNorm2 : Infinity;
  const suggestedBatch: [number, number] = Number.isFinite(bSimple)
    ? [Math.max(1, Math.round(bSimple / 2)), Math.max(1, Math.round(bSimple * 2))]
    : [big, Infinity];
  return { bSimple, trSigma, gNorm2, suggestedBatch, microBatch: b, batches: K };
}
