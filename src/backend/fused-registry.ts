// Fused kernels of the active backend (one pass over memory for optimizer updates and friends).
// setBackend installs the active backend's (Backend.fused): empty on the js backend and in
// browsers, the addon's kernels on the native backend.
// Callers use a kernel when present and their own op-by-op path otherwise.

import type { FloatArray, FusedKernels } from "./native/fused.js";

export type { FloatArray, FusedKernels };

/** The fused kernels in use (keys absent = not available). */
export const fused: FusedKernels = {};

/** @internal Installs (or, with null, removes) the fused kernels. */
export function setFusedKernels(k: FusedKernels | null): void {
  for (const key of Object.keys(fused)) delete (fused as Record<string, unknown>)[key];
  if (k) Object.assign(fused, k);
}

/** The arrays as one float array type, or null when they are not all Float32 or all Float64. */
export function sameFloat(...arrays: ArrayLike<number>[]): FloatArray[] | null {
  const first = arrays[0];
  const ctor = first instanceof Float32Array ? Float32Array : first instanceof Float64Array ? Float64Array : null;
  if (!ctor) return null;
  for (const a of arrays) if (!(a instanceof ctor)) return null;
  return arrays as FloatArray[];
}
