// st.profile: per-kernel calls, time and bytes of a function's run, grouped by op and module
// path and printed like PyTorch's `prof.key_averages().table()`. Built on the kernel observers of
// ops/dispatch.ts, so it sees every kernel — forward, backward, optimizer steps, under noGrad —
// and costs nothing when not profiling (no observer is registered).

import type { DType } from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import { type KernelCall, addKernelObserver } from "../ops/dispatch.js";
import { sameStorage } from "../core/tensor-internals.js";

/** One row: all calls of one kernel in one module. */
export interface ProfileRow {
  /** Kernel name ("linear", "relu", "adamStep", "layerNormBackward", …). */
  op: string;
  /** Dotted path of the module the kernel ran in ("0", "layers.1.linear1"); "" outside modules. */
  modulePath: string;
  /** Number of kernel calls. */
  calls: number;
  /** Wall time inside the kernels, milliseconds. */
  totalMs: number;
  /** Mean wall time per call, milliseconds (`totalMs / calls`). */
  meanMs: number;
  /** Bytes of the outputs the kernels allocated (0 for views and in-place kernels such as optimizer steps). */
  bytesOut: number;
}

/** A column of the profile table to sort by. */
export type ProfileSortKey = "totalMs" | "meanMs" | "calls" | "bytesOut" | "op" | "modulePath";

/** Options of `ProfileResult.table`. */
export interface ProfileTableOptions {
  /** Column to sort by, descending for numbers, ascending for names. Default "totalMs". */
  sortBy?: ProfileSortKey;
  /** At most this many rows (default: all). */
  rowLimit?: number;
}

/** What st.profile returns: fn's result, the rows, and a printable table. */
export interface ProfileResult<T> {
  /** What `fn` returned. */
  result: T;
  /** One row per (kernel, module) pair. */
  rows: ProfileRow[];
  /** Σ of the kernels' time, milliseconds. */
  totalMs: number;
  /** The rows as a fixed-width text table, like PyTorch's key_averages().table(). */
  table(opts?: ProfileTableOptions): string;
}

const BYTES: Record<DType, number> = { bool: 1, int32: 4, float32: 4, float64: 8 };

/**
 * Runs `fn` with a profiling kernel observer and returns its result with per-kernel statistics,
 * one row per (op, module path): calls, total and mean time, bytes of output. A function that
 * returns a promise is profiled until the promise settles (and a promise is returned).
 *
 * @example
 * const model = new st.nn.Sequential(new st.nn.Linear(4, 8), new st.nn.ReLU(), new st.nn.Linear(8, 2));
 * const opt = new st.optim.Adam(model.parameters());
 * const prof = st.profile(() => {
 *   opt.zeroGrad();
 *   model.call(st.randn([16, 4])).square().mean().backward();
 *   opt.step();
 * });
 * prof.rows.find((r) => r.op === "linear" && r.modulePath === "0")?.calls; // 1
 * console.log(prof.table({ sortBy: "totalMs", rowLimit: 10 }));
 */
export function profile<T>(fn: () => Promise<T>): Promise<ProfileResult<T>>;
export function profile<T>(fn: () => T): ProfileResult<T>;
export function profile<T>(fn: () => T | Promise<T>): ProfileResult<T> | Promise<ProfileResult<T>> {
  if (typeof fn !== "function") throw new ValueError(`profile: expected a function to run (got ${fn === null ? "null" : typeof fn})`);
  const rows = new Map<string, ProfileRow>();
  // keyed by the call object, which dispatch hands to before and after (a kernel that throws
  // never reaches after, and leaves nothing behind)
  const starts = new WeakMap<KernelCall, number>();
  const remove = addKernelObserver({
    before(c: KernelCall) {
      starts.set(c, performance.now());
    },
    after(c: KernelCall) {
      const ms = performance.now() - (starts.get(c) ?? performance.now());
      const path = c.modulePath ?? "";
      const key = `${c.op}\u0000${path}`;
      let r = rows.get(key);
      if (r === undefined) rows.set(key, (r = { op: c.op, modulePath: path, calls: 0, totalMs: 0, meanMs: 0, bytesOut: 0 }));
      r.calls++;
      r.totalMs += ms;
      // a view (reshape) shares its input's storage: it allocates nothing
      const i0 = c.inputs[0];
      for (const o of c.outputs) if (i0 === undefined || !sameStorage(o, i0)) r.bytesOut += o.size * BYTES[o.dtype];
    },
  });
  const finish = (result: T): ProfileResult<T> => {
    const list = [...rows.values()];
    for (const r of list) r.meanMs = r.totalMs / r.calls;
    list.sort((a, b) => b.totalMs - a.totalMs);
    const totalMs = list.reduce((s, r) => s + r.totalMs, 0);
    return { result, rows: list, totalMs, table: (opts) => formatTable(list, totalMs, opts) };
  };
  let out: T | Promise<T>;
  try {
    out = fn();
  } catch (e) {
    remove();
    throw e;
  }
  if (out instanceof Promise) {
    return out.then(
      (v) => { remove(); return finish(v); },
      (e: unknown) => { remove(); throw e; },
    );
  }
  remove();
  return finish(out);
}

function fmtBytes(b: number): string {
  if (b >= 1 << 30) return `${(b / (1 << 30)).toFixed(2)} GiB`;
  if (b >= 1 << 20) return `${(b / (1 << 20)).toFixed(2)} MiB`;
  if (b >= 1 << 10) return `${(b / (1 << 10)).toFixed(2)} KiB`;
  return `${b} B`;
}

function formatTable(rows: readonly ProfileRow[], totalMs: number, opts: ProfileTableOptions = {}): string {
  const by = opts.sortBy ?? "totalMs";
  const keys: ProfileSortKey[] = ["totalMs", "meanMs", "calls", "bytesOut", "op", "modulePath"];
  if (!keys.includes(by)) throw new ValueError(`profile.table: sortBy must be one of ${keys.join(", ")} (got ${String(by)})`);
  const sorted = rows.slice().sort((a, b) =>
    by === "op" || by === "modulePath" ? a[by].localeCompare(b[by]) : b[by] - a[by]);
  const limit = opts.rowLimit ?? sorted.length;
  if (!Number.isInteger(limit) || limit < 0) throw new ValueError(`profile.table: rowLimit must be a non-negative integer (got ${limit})`);
  const head = ["Name", "Module", "Calls", "Total ms", "Mean ms", "% total", "Bytes out"];
  const body = sorted.slice(0, limit).map((r) => [
    r.op, r.modulePath || "-", String(r.calls), r.totalMs.toFixed(3), r.meanMs.toFixed(4),
    totalMs > 0 ? `${((100 * r.totalMs) / totalMs).toFixed(1)}%` : "-", fmtBytes(r.bytesOut),
  ]);
  const width = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = width.map((w) => "-".repeat(w)).join("  ");
  const fmt = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(width[i]!) : c.padStart(width[i]!))).join("  ");
  return [line, fmt(head), line, ...body.map(fmt), line, `Self kernel time total: ${totalMs.toFixed(3)} ms`].join("\n");
}
