// What a library contributes to the bench: a name, a version, how many threads it uses, and a
// factory per workload that prepares a timed Case (or says why it has none).

import type { Case } from "./harness.js";

/** Workload factories; a missing one, or one returning a string (the reason), shows as "—". */
export interface Workloads {
  /** float32 C = A·B, both n×n. */
  matmul(n: number): Case | string;
  /** One training step of the 784-256-256-10 MLP (forward, cross-entropy, backward, Adam). */
  mlp(): Case | string;
  /** Forward + backward of one post-norm Transformer encoder layer with an MSE loss. */
  transformer(): Case | string;
  /** ADD_OPS additions of two ADD_LEN-element tensors; `recordGrad` = with autograd recording. */
  add(recordGrad: boolean): Case | string;
}

export interface Lib {
  /** Short column name: "steady-js", "steady-native", "tfjs-cpu", "tfjs-wasm", "jax-js", "torch". */
  id: string;
  /** Package and version, e.g. "@tensorflow/tfjs-core 4.22.0 (cpu backend)". */
  version: string;
  /** How many threads its kernels use, in words. */
  threads: string;
  /** Whether this library is ours (the ratio denominator is our fastest backend). */
  ours: boolean;
  /** Called before each of its cases (switches the global backend of steadytensor or tfjs). */
  activate(): Promise<void>;
  workloads: Workloads;
}

/** A library that failed to load: shown in the notes with the reason. */
export interface Missing {
  id: string;
  reason: string;
}

export type LoadResult = Lib | Missing;

export function isLib(r: LoadResult): r is Lib {
  return "workloads" in r;
}

/** Limits a pure-JavaScript matmul to the sizes it finishes in reasonable time. */
export function capMatmul(n: number, maxN: number, what: string): string | null {
  return n > maxN ? `${what} skips n > ${maxN} (pure JavaScript; would take minutes)` : null;
}
