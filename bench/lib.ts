// What a library contributes to the bench: a name, a version, how many threads it uses, and a
// factory per workload that prepares a timed Case (or says why it has none).

import type { Case } from "./harness.js";

/** Workload factories; a missing one, or one returning a string (the reason), shows as "—". */
export interface Workloads {
  /** float32 C = A·B, both n×n. */
  matmul(n: number): Case | string;
  /** One training step of the 784-256-256-10 MLP (forward, cross-entropy, backward, Adam). */
  mlp(): Case | string;
  /** The same step with steadytensor's training monitor attached, checking every `every` steps (ours only). */
  mlpMonitored?(every: number): Case | string;
  /** Forward + backward of one post-norm Transformer encoder layer with an MSE loss. */
  transformer(): Case | string;
  /** ADD_OPS additions of two ADD_LEN-element tensors; `recordGrad` = with autograd recording. */
  add(recordGrad: boolean): Case | string;
  /** One training step of the LeNet-style CNN on 28×28 inputs, batch 64 (forward, cross-entropy, backward, SGD). */
  lenet?(): Case | string;
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
  /** Called once in its worker, after loading (picks steadytensor's backend or tfjs's). */
  activate(): Promise<void>;
  /** Lines for the report's notes (e.g. how the library was set up). */
  notes?: string[];
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

/** The MLP case with the training monitor attached (issue 13: its cost, beside the plain step). */
export const MLP_MONITOR_EVERY = 10;
export const MLP_MONITOR_CASE = `step + monitor (every ${MLP_MONITOR_EVERY})`;

/** Cases that only our libraries run (the peers have no such feature); the peers show "—". */
export function oursOnly(label: string): boolean {
  return label === MLP_MONITOR_CASE;
}

/** The case labels of a workload, in table order. */
export function caseLabels(w: "matmul" | "mlp" | "transformer" | "add" | "lenet", matmulSizes: readonly number[]): string[] {
  switch (w) {
    case "matmul":
      return matmulSizes.map((n) => `n=${n}`);
    case "mlp":
      return ["step", MLP_MONITOR_CASE];
    case "transformer":
      return ["fwd+bwd"];
    case "add":
      return ["grad", "nograd"];
    case "lenet":
      return ["step"];
  }
}

/**
 * The case labels of a workload in groups timed together: one `interleave` over every library's
 * case of the group, so the MLP step with the monitor runs in the same rounds as the plain step and
 * their ratio (the monitor's cost) sees the same machine load. Every other case is its own group.
 */
export function caseGroups(w: "matmul" | "mlp" | "transformer" | "add" | "lenet", matmulSizes: readonly number[]): string[][] {
  const labels = caseLabels(w, matmulSizes);
  return w === "mlp" ? [labels] : labels.map((l) => [l]);
}

/** Prepares a library's case from its workload and label ("n=256", "step", "fwd+bwd", "grad", "nograd"). */
export function makeCase(ws: Workloads, w: string, label: string): Case | string {
  switch (w) {
    case "matmul":
      return ws.matmul(Number(label.slice(2)));
    case "mlp":
      if (label === MLP_MONITOR_CASE) return ws.mlpMonitored?.(MLP_MONITOR_EVERY) ?? "no training monitor (steadytensor only)";
      return ws.mlp();
    case "transformer":
      return ws.transformer();
    case "add":
      return ws.add(label === "grad");
    case "lenet":
      return ws.lenet?.() ?? "no LeNet workload in this library's bench adapter";
    default:
      throw new Error(`unknown workload ${w}`);
  }
}
