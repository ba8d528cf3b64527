// The backend registry: resolves each kernel to the active backend's implementation, falling
// back to js per kernel (fused kernels included: st.setBackend("js") runs LayerNorm and Adam in
// TypeScript). Only the tensor-level kernel table (kernel-table.ts) calls `K`.

import type { Backend, Kernels } from "./backend.js";
import { ValueError } from "../core/errors.js";
import { jsBackend, jsKernels } from "./js/index.js";

const backends = new Map<string, Backend>([["js", jsBackend]]);
let activeName = "js";

/** The resolved kernel table; replaced in place when the backend changes so callers may cache it. */
export const K: Kernels = {
  ...jsKernels,
  unary: { ...jsKernels.unary },
  binary: { ...jsKernels.binary },
  reduce: { ...jsKernels.reduce },
};

function resolve(b: Backend): void {
  Object.assign(K, jsKernels, { unary: { ...jsKernels.unary }, binary: { ...jsKernels.binary }, reduce: { ...jsKernels.reduce } });
  const { unary, binary, reduce, ...rest } = b.kernels;
  Object.assign(K, rest);
  if (unary) Object.assign(K.unary, unary);
  if (binary) Object.assign(K.binary, binary);
  if (reduce) Object.assign(K.reduce, reduce);
}

/**
 * Registers a backend under its `name` (replacing one of that name), so that `st.setBackend(name)` can select it.
 * @example
 * st.registerBackend({ name: "my-js", kernels: {} }); // no kernels of its own: every kernel falls back to js
 * st.listBackends().includes("my-js"); // true
 */
export function registerBackend(b: Backend): void {
  backends.set(b.name, b);
}

/**
 * Makes `name` the active backend (kernels it lacks run on js).
 * @example
 * const before = st.getBackend();
 * st.setBackend("js"); // the pure-TypeScript kernels
 * st.setBackend(before);
 */
export function setBackend(name: string): void {
  const b = backends.get(name);
  if (!b) {
    const hint = name === "native" ? "; the native addon is not built or failed to load (see st.backendInfo())" : "";
    throw new ValueError(`setBackend: unknown backend ${JSON.stringify(name)} (expected one of ${[...backends.keys()].map((k) => `"${k}"`).join(", ")})${hint}`);
  }
  activeName = name;
  resolve(b);
}

/**
 * The name of the active backend: `"native"` on Node when the addon loaded, else `"js"`.
 * @example st.getBackend(); // "native" or "js"
 */
export function getBackend(): string {
  return activeName;
}

/**
 * Names of the registered backends.
 * @example st.listBackends(); // ["js", "native"] on Node with the addon
 */
export function listBackends(): string[] {
  return [...backends.keys()];
}
