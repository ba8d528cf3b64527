// What the monitor measures: the layers of a module (those that own parameters, under their module
// paths), and the statistics of gradients, weights, updates, activations and inputs at one check.
// Sums run in float64 over `dataSync()` copies, so a float32 gradient of norm 1e30 does not overflow
// to Inf while being measured (an exploding gradient must be reported with its size, not as Inf).

import { Tensor } from "../core/tensor.js";
import { ReLU, Sigmoid, Tanh } from "../nn/layers/activation.js";
import type { AnyModule } from "../nn/module.js";
import type { Parameter } from "../nn/parameter.js";
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

/** Σx² (float64) and the count of exact zeros of a tensor. */
function sumSq(t: Tensor): { ss: number; zeros: number; n: number } {
  const d = t.dataSync();
  let ss = 0;
  let zeros = 0;
  for (let i = 0; i < d.length; i++) {
    const v = Number(d[i]);
    ss += v * v;
    if (v === 0) zeros++;
  }
  return { ss, zeros, n: d.length };
}

/** ‖W‖, ‖∇W‖, zero-gradient fraction and ‖ΔW‖/‖W‖ (against `before`, the weights before the step). */
export function paramStats(params: readonly Parameter[], before: readonly Float64Array[] | null): Pick<LayerStats, "gradNorm" | "weightNorm" | "updateRatio" | "zeroGradFrac"> {
  let wss = 0;
  let gss = 0;
  let zeros = 0;
  let n = 0;
  let dss = 0;
  let bss = 0;
  params.forEach((p, i) => {
    wss += sumSq(p).ss;
    if (p.grad !== null && p.grad !== undefined) {
      const g = sumSq(p.grad);
      gss += g.ss;
      zeros += g.zeros;
      n += g.n;
    } else {
      zeros += p.size;
      n += p.size;
    }
    const b = before?.[i];
    if (b !== undefined) {
      const w = p.dataSync();
      for (let j = 0; j < w.length; j++) {
        const dv = Number(w[j]) - b[j]!;
        dss += dv * dv;
        bss += b[j]! * b[j]!;
      }
    }
  });
  return {
    gradNorm: Math.sqrt(gss),
    weightNorm: Math.sqrt(wss),
    updateRatio: before === null ? NaN : Math.sqrt(dss) / Math.sqrt(bss),
    zeroGradFrac: n === 0 ? NaN : zeros / n,
  };
}

/** Float64 copies of the parameters (taken before the optimizer step on check steps). */
export function copyParams(params: readonly Parameter[]): Float64Array[] {
  return params.map((p) => Float64Array.from(p.dataSync(), Number));
}

/** Mean and population standard deviation of a tensor's entries (NaN for a non-tensor). */
export function meanStd(t: unknown): { mean: number; std: number; absMax: number } {
  if (!(t instanceof Tensor) || t.size === 0) return { mean: NaN, std: NaN, absMax: NaN };
  const d = t.dataSync();
  let s = 0;
  let ss = 0;
  let am = 0;
  for (let i = 0; i < d.length; i++) {
    const v = Number(d[i]);
    s += v;
    ss += v * v;
    const a = Math.abs(v);
    if (a > am || Number.isNaN(a)) am = a;
  }
  const mean = s / d.length;
  return { mean, std: Math.sqrt(Math.max(0, ss / d.length - mean * mean)), absMax: am };
}

/**
 * Dead or saturated fraction of an activation output. ReLU: units (last dim) that are ≤ 0 for every
 * sample of the batch. Sigmoid: entries < 0.01 or > 0.99; tanh: entries with |y| > 0.99.
 */
export function unitFraction(out: unknown, kind: ActKind): number {
  if (!(out instanceof Tensor) || out.size === 0 || out.shape.length === 0) return NaN;
  const d = out.dataSync();
  if (kind === "relu") {
    const units = out.shape[out.shape.length - 1]!;
    const alive = new Uint8Array(units);
    for (let i = 0; i < d.length; i++) if (Number(d[i]) > 0) alive[i % units] = 1;
    let dead = 0;
    for (let u = 0; u < units; u++) if (alive[u] === 0) dead++;
    return dead / units;
  }
  let sat = 0;
  for (let i = 0; i < d.length; i++) {
    const v = Number(d[i]);
    if (kind === "tanh" ? Math.abs(v) > 0.99 : v < 0.01 || v > 0.99) sat++;
  }
  return sat / d.length;
}
