// What the monitor measures: the layers of a module (those that own parameters, under their module
// paths), and the statistics of gradients, weights, updates, activations and inputs at one check.
// Norms, zero counts and activation/input statistics come from the fused `tensorStats` kernel (one
// pass per tensor, float64 sums). A check must cost < 5 % of training (npm run bench:monitor).

import { copy_ } from "../autograd/inplace.js";
import { Tensor } from "../core/tensor.js";
import { ReLU, Sigmoid, Tanh } from "../nn/layers/activation.js";
import type { AnyModule } from "../nn/module.js";
import type { Parameter } from "../nn/parameter.js";
import { tensorStats } from "../ops/reduce.js";
import type { LayerStats } from "./types.js";

/** The kind of nonlinearity whose output we inspect for dead or saturated units. */
export type ActKind = "relu" | "sigmoid" | "tanh";

/** A layer the monitor tracks: a module owning parameters directly, named by its module path. */
export interface TrackedLayer {
  path: string;
  module: AnyModule;
  params: Parameter[];
  /** The activation the module applies to its own output (a Keras `dense({activation})`), if any. */
  ownAct: ActKind | null;
}

/** The activation kind of a module: ReLU/Sigmoid/Tanh modules, or a Keras layer's `activation` name. */
export function activationKind(m: AnyModule): ActKind | null {
  if (m instanceof ReLU) return "relu";
  if (m instanceof Sigmoid) return "sigmoid";
  if (m instanceof Tanh) return "tanh";
  return null;
}

function ownActivation(m: AnyModule): ActKind | null {
  const a = (m as unknown as { activation?: unknown }).activation;
  return a === "relu" || a === "sigmoid" || a === "tanh" ? a : null;
}

/** Modules with trainable parameters of their own, in `namedModules()` order ("" → "model"). */
export function trackedLayers(root: AnyModule): TrackedLayer[] {
  const out: TrackedLayer[] = [];
  for (const [path, m] of root.namedModules()) {
    const params = m.parameters(false).filter((p) => p.requiresGrad);
    if (params.length === 0) continue;
    out.push({ path: path === "" ? "model" : path, module: m, params, ownAct: ownActivation(m) });
  }
  return out;
}

/**
 * ‖W‖, ‖∇W‖, zero-gradient fraction and ‖ΔW‖/‖W‖ (against `before`, copies of the weights taken
 * before the step). Per parameter two fused passes (`tensorStats`, float64 accumulation, so a huge
 * float32 gradient is measured, not reported as Inf): Σw² with Σ(w − w₀)², and Σg² with the zero
 * count; the sums combine in float64.
 */
export function paramStats(
  params: readonly Parameter[], before: readonly Tensor[] | null, prev?: ReadonlyMap<Parameter, PrevGrad>, pair?: GradPairSums,
): Pick<LayerStats, "gradNorm" | "weightNorm" | "updateRatio" | "zeroGradFrac"> {
  let wss = 0;
  let gss = 0;
  let zeros = 0;
  let n = 0;
  let dss = 0;
  params.forEach((p, i) => {
    // an empty parameter adds nothing (and its ±Infinity min/max must not trip anomaly mode)
    if (p.size === 0) return;
    const b = before?.[i];
    const w = tensorStats(p, { ref: b ?? null });
    wss += w.sumSq;
    dss += w.diffSq;
    const g = p.grad;
    // the previous step's gradient (noise scale): Σ(g − g_prev)² comes from the same pass
    const pg = pair !== undefined ? prev?.get(p) : undefined;
    if (g === null || g === undefined) {
      zeros += p.size;
      if (pair !== undefined && pg !== undefined) {
        pair.prevSq += pg.sumSq;
        pair.diffSq += pg.sumSq;
      }
    } else {
      const gs = tensorStats(g, pg !== undefined && pg.copy.size === g.size ? { ref: pg.copy } : {});
      gss += gs.sumSq;
      zeros += gs.zeros;
      if (pair !== undefined) {
        pair.curSq += gs.sumSq;
        if (pg !== undefined && pg.copy.size === g.size) {
          pair.prevSq += pg.sumSq;
          pair.diffSq += gs.diffSq;
        } else pair.diffSq += gs.sumSq; // no previous gradient: it was zero
      }
    }
    n += p.size;
  });
  return {
    gradNorm: Math.sqrt(gss),
    weightNorm: Math.sqrt(wss),
    // against the weights after the step: the same to first order, and one norm fewer
    updateRatio: before === null ? NaN : Math.sqrt(dss) / Math.sqrt(wss),
    zeroGradFrac: n === 0 ? NaN : zeros / n,
  };
}

/** A copy of a parameter's gradient at the step before a check, with its Σg². */
export interface PrevGrad {
  copy: Tensor;
  sumSq: number;
}

/** Σg² of the previous and the current step's gradients and Σ(g − g_prev)², over all parameters. */
export interface GradPairSums {
  prevSq: number;
  curSq: number;
  diffSq: number;
}

/**
 * Copies the current gradients (call under noGrad) into `into` (reusing each parameter's earlier
 * copy when its size and dtype still match) with their Σg² (one `tensorStats` pass each). A
 * parameter without a gradient is left out (counted as a zero gradient).
 */
export function copyGrads(params: readonly Parameter[], into: Map<Parameter, PrevGrad>): void {
  const keep = new Set<Parameter>();
  for (const p of params) {
    const g = p.grad;
    if (g === null || g === undefined || p.size === 0) continue;
    keep.add(p);
    const old = into.get(p);
    const copy = old !== undefined && old.copy.dtype === g.dtype && old.copy.size === g.size ? copy_(old.copy, g) : g.detach().clone();
    into.set(p, { copy, sumSq: tensorStats(g).sumSq });
  }
  for (const p of [...into.keys()]) if (!keep.has(p)) into.delete(p);
}

/**
 * The paper's unbiased two-batch-size estimators (McCandlish et al. 2018, appendix A.1) from two
 * gradients g₁, g₂ of independent batches of B examples: |G_small|² = (|g₁|² + |g₂|²)/2 with
 * B_small = B, |G_big|² = |(g₁ + g₂)/2|² with B_big = 2B,
 *   |G|² ≈ (B_big|G_big|² − B_small|G_small|²)/(B_big − B_small) (= g₁·g₂),
 *   tr(Σ) ≈ (|G_small|² − |G_big|²)/(1/B_small − 1/B_big) (= B|g₁ − g₂|²/2).
 * With batches of different sizes b₁ ≠ b₂ the same unbiased forms are g₁·g₂ and
 * |g₁ − g₂|²/(1/b₁ + 1/b₂) (E|g₁ − g₂|² = tr(Σ)(1/b₁ + 1/b₂)).
 */
export function twoBatchNoise(s: GradPairSums, b1: number, b2: number): { gNorm2: number; trSigma: number } {
  // |g₁ + g₂|² = 2|g₁|² + 2|g₂|² − |g₁ − g₂|² (parallelogram law)
  if (b1 === b2) {
    const small = (s.prevSq + s.curSq) / 2;
    const big = (2 * s.prevSq + 2 * s.curSq - s.diffSq) / 4;
    const bs = b1;
    const bb = 2 * b1;
    return { gNorm2: (bb * big - bs * small) / (bb - bs), trSigma: (small - big) / (1 / bs - 1 / bb) };
  }
  return { gNorm2: (s.prevSq + s.curSq - s.diffSq) / 2, trSigma: s.diffSq / (1 / b1 + 1 / b2) };
}

/**
 * Copies of the parameters taken before the optimizer step on check steps (call under noGrad);
 * `into` (the previous check's copies, when the shapes still match) is overwritten in place
 * rather than allocated anew.
 */
export function copyParams(params: readonly Parameter[], into?: readonly Tensor[]): Tensor[] {
  return params.map((p, i) => {
    const b = into?.[i];
    if (b !== undefined && b.dtype === p.dtype && b.size === p.size) return copy_(b, p);
    return p.detach().clone();
  });
}

/** Where an activation's output counts as saturated: |y − center| > threshold. */
const TAILS: Record<"sigmoid" | "tanh", { center: number; threshold: number }> = {
  sigmoid: { center: 0.5, threshold: 0.49 }, // σ < 0.01 or σ > 0.99
  tanh: { center: 0, threshold: 0.99 }, // |tanh| > 0.99
};

/**
 * Mean, population standard deviation and largest |x| of a tensor's entries (NaN for a non-tensor)
 * and, for a sigmoid/tanh output (`sat`), the saturated fraction — one fused pass on the backend.
 */
export function meanStd(t: unknown, sat: ActKind | null = null): { mean: number; std: number; absMax: number; satFrac: number } {
  if (!(t instanceof Tensor) || t.size === 0 || t.dtype === "bool") return { mean: NaN, std: NaN, absMax: NaN, satFrac: NaN };
  const n = t.size;
  const tail = sat === "sigmoid" || sat === "tanh" ? TAILS[sat] : {};
  const s = tensorStats(t, tail);
  const mean = s.sum / n;
  const sq = s.sumSq / n;
  return {
    mean, std: Math.sqrt(Math.max(0, sq - mean * mean)), absMax: Math.max(Math.abs(s.min), Math.abs(s.max)),
    satFrac: sat === "sigmoid" || sat === "tanh" ? s.tail / n : NaN,
  };
}

/**
 * Dead or saturated fraction of an activation output. ReLU: units (last dim) that are ≤ 0 for every
 * sample of the batch. Sigmoid: entries < 0.01 or > 0.99; tanh: entries with |y| > 0.99.
 */
export function unitFraction(out: unknown, kind: ActKind): number {
  if (!(out instanceof Tensor) || out.size === 0 || out.shape.length === 0) return NaN;
  if (kind === "relu") {
    const units = out.shape[out.shape.length - 1]!;
    const top = out.reshape([-1, units]).amax(0).dataSync();
    let dead = 0;
    for (let u = 0; u < units; u++) if (!((top[u] as number) > 0)) dead++;
    return dead / units;
  }
  return meanStd(out, kind).satFrac;
}
