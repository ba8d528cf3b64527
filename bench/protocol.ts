// The messages between `npm run bench` (the parent) and its library workers: one process per
// library, so no library's heap, garbage collector or thread pool runs inside another's timing.
// Node workers (bench/worker.ts) talk over the IPC channel, the PyTorch worker
// (bench/torch_bench.py) over JSON lines on stdin/stdout; the messages are the same.

import type { Plan, Warm } from "./harness.js";

export type Request =
  /**
   * Prepare one case and warm it up; in `slot` (default 0), beside the cases in the other slots, so
   * cases timed in the same rounds stay prepared together (Node workers only).
   */
  | { op: "prepare"; workload: string; case: string; plan: Plan; slot?: number }
  /** Time `k` runs of the prepared case in `slot` (default 0), after one untimed run when `rewarm`. */
  | { op: "time"; k: number; rewarm: boolean; slot?: number }
  /** Free every prepared case. */
  | { op: "dispose" };

/** What a worker says about its library once it has loaded it (or why it could not). */
export type Hello =
  | { op: "loaded"; id: string; version: string; threads: string; ours: boolean; blas?: string; notes?: string[] }
  | { op: "missing"; id: string; reason: string };

export type Reply =
  | { op: "prepared"; warm: Warm; impl?: string }
  | { op: "skipped"; reason: string }
  | { op: "timed"; runsMs: number[]; check: number | null }
  | { op: "disposed" }
  | { op: "error"; message: string };
