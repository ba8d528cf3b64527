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
export function paramStats(params: readonly Parameter[], before: readonly Tensor[] | null): Pick<LayerStats, "gradNorm" | "weightNorm" | "updateRatio" | "zeroGradFrac"> {
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
    if (g === null || g === undefined) zeros += p.size;
    else {
      const gs = tensorStats(g);
      gss += gs.sumSq;
      zeros += gs.zeros;
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
