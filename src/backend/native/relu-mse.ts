// The native backend's reluBackward, mseLoss and mseLossBackward (native/relu_mse.cpp): float32/
// float64 arrays of one dtype go to the addon, the rest (and an addon built before these kernels
// existed, and tiny inputs where the N-API call costs more than the work) to the fallback's kernels.

import type { Backend, FloatArray, Kernels, MseReduction } from "../backend.js";

/** The exports of steady_native.node for these kernels (absent from older builds). */
export interface ReluMseAddon {
  reluBackward?(g: FloatArray, y: FloatArray, out: FloatArray): boolean;
  /** reduction: 0 none, 1 sum, 2 mean. */
  mseLoss?(x: FloatArray, t: FloatArray, out: FloatArray, reduction: number): boolean;
  mseLossBackward?(g: FloatArray, x: FloatArray, t: FloatArray, dx: FloatArray | null, dt: FloatArray | null, reduction: number): boolean;
}

const REDUCTION_CODE: Record<MseReduction, number> = { none: 0, sum: 1, mean: 2 };
// Below this many elements the js kernels win (an N-API call costs ~0.5 µs).
const SMALL = 256;

const isFloat = (a: FloatArray | null) => a === null || a instanceof Float32Array || a instanceof Float64Array;
/** All present arrays one float type. */
const sameFloat = (a: FloatArray, ...rest: (FloatArray | null)[]) => isFloat(a) && rest.every((r) => r === null || r.constructor === a.constructor);

/**
 * The native entries for reluBackward / mseLoss / mseLossBackward, given the addon, the fallback
 * backend's kernels and whether tiny inputs go to js (setNativeSmallSizeFallback).
 */
export function reluMseNativeKernels(addon: ReluMseAddon, fk: Backend["kernels"], smallToJs: () => boolean): Partial<Kernels> {
  const out: Partial<Kernels> = {};
  const big = (n: number) => !smallToJs() || n >= SMALL;
  const relu = addon.reluBackward?.bind(addon), fbRelu = fk.reluBackward;
  if (relu && fbRelu) {
    out.reluBackward = (g, y, o) => {
      if (big(o.length) && sameFloat(g, y, o) && relu(g, y, o)) return;
      fbRelu(g, y, o);
    };
  }
  const mse = addon.mseLoss?.bind(addon), fbMse = fk.mseLoss;
  if (mse && fbMse) {
    out.mseLoss = (x, t, reduction, o) => {
      if (big(x.length) && sameFloat(x, t, o) && mse(x, t, o, REDUCTION_CODE[reduction])) return;
      fbMse(x, t, reduction, o);
    };
  }
  const mseB = addon.mseLossBackward?.bind(addon), fbMseB = fk.mseLossBackward;
  if (mseB && fbMseB) {
    out.mseLossBackward = (g, x, t, reduction, dx, dt) => {
      if (big(x.length) && sameFloat(x, g, t, dx, dt) && mseB(g, x, t, dx, dt, REDUCTION_CODE[reduction])) return;
      fbMseB(g, x, t, reduction, dx, dt);
    };
  }
  return out;
}
