// What the monitor measures: the layers of a module (those that own parameters, under their module
// paths), and the statistics of gradients, weights, updates, activations and inputs at one check.
// Norms, zero counts and activation/input statistics are a few reductions on the backend, combined
// in float64. A check must cost < 5 % of training (npm run bench:monitor).

import { Tensor } from "../core/tensor.js";
import { ReLU, Sigmoid, Tanh } from "../nn/layers/activation.js";
import type { AnyModule } from "../nn/module.js";
import type { Parameter } from "../nn/parameter.js";
import { dot } from "../ops/linalg.js";
import { norm } from "../ops/reduce.js";
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
 * Σx² of a tensor as one dot product on the backend (no temporary; the fastest form measured); when
 * that overflows float32 (‖x‖ > ~1e19), the scaled `st.norm` (max|x|·‖x/max|x|‖), so an exploding
 * gradient is measured, not reported as Inf.
 */
function ss(t: Tensor): number {
  const f = t.reshape([-1]);
  const v = dot(f, f).item();
  return Number.isFinite(v) ? v : norm(t).item() ** 2;
}

/** The count of exact zeros (a compare and a sum on the backend: 3× faster than a loop over a copy). */
function countZeros(g: Tensor): number {
  return g.eq(0).float().sum().item();
}

/**
 * ‖W‖, ‖∇W‖, zero-gradient fraction and ‖ΔW‖/‖W‖ (against `before`, copies of the weights taken
 * before the step); per-parameter sums combine in float64.
 */
export function paramStats(params: readonly Parameter[], before: readonly Tensor[] | null): Pick<LayerStats, "gradNorm" | "weightNorm" | "updateRatio" | "zeroGradFrac"> {
  let wss = 0;
  let gss = 0;
  let zeros = 0;
  let n = 0;
  let dss = 0;
  params.forEach((p, i) => {
    wss += ss(p);
    const g = p.grad;
    if (g === null || g === undefined) zeros += p.size;
    else {
      gss += ss(g);
      zeros += countZeros(g);
    }
    n += p.size;
    const b = before?.[i];
    if (b !== undefined) dss += ss(p.sub(b));
  });
  return {
    gradNorm: Math.sqrt(gss),
    weightNorm: Math.sqrt(wss),
    // against the weights after the step: the same to first order, and one norm fewer
    updateRatio: before === null ? NaN : Math.sqrt(dss) / Math.sqrt(wss),
    zeroGradFrac: n === 0 ? NaN : zeros / n,
  };
}

/** Copies of the parameters (taken before the optimizer step on check steps; call under noGrad). */
export function copyParams(params: readonly Parameter[]): Tensor[] {
  return params.map((p) => p.detach().clone());
}

/**
 * Mean, population standard deviation and largest |x| of a tensor's entries (NaN for a non-tensor),
 * from three reductions on the backend, combined in float64.
 */
export function meanStd(t: unknown, withAbsMax = true): { mean: number; std: number; absMax: number } {
  if (!(t instanceof Tensor) || t.size === 0 || t.dtype === "bool") return { mean: NaN, std: NaN, absMax: NaN };
  const n = t.size;
  const mean = t.sum().item() / n;
  const f = t.reshape([-1]);
  const sq = dot(f, f).item() / n;
  const absMax = withAbsMax ? t.abs().amax().item() : NaN;
  return { mean, std: Math.sqrt(Math.max(0, sq - mean * mean)), absMax };
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
  const dist = kind === "tanh" ? out.abs() : out.sub(0.5).abs();
  return dist.gt(kind === "tanh" ? 0.99 : 0.49).float().sum().item() / out.size;
}
