// Anomaly mode's helpers: value statistics of a tensor (range and non-finite counts), the user's
// source line from a stack trace, and the one-sentence message of a report.

import type { Tensor } from "../core/tensor.js";
import type { AnomalyReport } from "./anomaly.js";

/** Range over the finite entries and counts of the non-finite ones. */
export interface ValueStats {
  /** Shape of the tensor. */
  shape: number[];
  /** Its dtype. */
  dtype: string;
  /** min/max over finite entries (NaN when there is none). */
  min: number;
  /** Largest finite entry (NaN when there is none). */
  max: number;
  /** Number of NaN entries. */
  nan: number;
  /** Number of +Infinity entries. */
  posInf: number;
  /** Number of −Infinity entries. */
  negInf: number;
}

/** Statistics of `t` (a copy through dataSync: anomaly mode is a debugging tool, not a fast path). */
export function valueStats(t: Tensor): ValueStats {
  const s: ValueStats = { shape: t.shape.slice(), dtype: t.dtype, min: NaN, max: NaN, nan: 0, posInf: 0, negInf: 0 };
  const d = t.dataSync() as ArrayLike<number | boolean>;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < d.length; i++) {
    const v = Number(d[i]);
    if (v !== v) s.nan++;
    else if (v === Infinity) s.posInf++;
    else if (v === -Infinity) s.negInf++;
    else {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (min <= max) {
    s.min = min;
    s.max = max;
  }
  return s;
}

// The library's source root, from this file's own URL (".../src/stability/anomaly-format.ts" or
// ".../dist/stability/anomaly-format.js"): frames under it are ours, the first other one is the user's.
const LIB_ROOT = (() => {
  try {
    const u = decodeURIComponent(new URL("..", import.meta.url).pathname);
    return u.endsWith("/") ? u : `${u}/`;
  } catch {
    return undefined;
  }
})();

/**
 * A stack deep enough to get out of the library: V8 keeps 10 frames by default, fewer than a
 * backward pass or nested modules need (Error.stackTraceLimit is V8's; elsewhere it is ignored).
 */
export function captureStack(): Error {
  const E = Error as { stackTraceLimit?: number };
  const prev = E.stackTraceLimit;
  E.stackTraceLimit = 64;
  try {
    return new Error();
  } finally {
    E.stackTraceLimit = prev;
  }
}

/** The first frame of `stack` outside the library's sources and the runtime, as "path:line:col". */
export function sourceLine(stack: string | undefined): string | undefined {
  if (stack === undefined) return undefined;
  for (const raw of stack.split("\n").slice(1)) {
    const m = /\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?\s*$/.exec(raw.trim());
    if (m === null) continue;
    let file = m[1]!;
    if (file.startsWith("file://")) {
      try {
        file = decodeURIComponent(new URL(file).pathname);
      } catch {
        /* keep it as written */
      }
    }
    if (file.startsWith("node:") || file.includes("/node_modules/")) continue;
    if (LIB_ROOT !== undefined && file.startsWith(LIB_ROOT)) continue;
    return `${file}:${m[2]}:${m[3]}`;
  }
  return undefined;
}

const fmt = (x: number): string =>
  Number.isNaN(x) ? "none" : Number.isInteger(x) && Math.abs(x) < 1e6 ? String(x) : String(Number(x.toPrecision(4)));

function describeInput(s: ValueStats, i: number): string {
  const bad = s.nan + s.posInf + s.negInf > 0 ? ` (+ ${s.nan} NaN, ${s.posInf} +Inf, ${s.negInf} -Inf)` : "";
  return `#${i} ${s.dtype}[${s.shape.join(", ")}] in [${fmt(s.min)}, ${fmt(s.max)}]${bad}`;
}

/** The report as one sentence: where, what, from which inputs, called from where. */
export function describeReport(r: AnomalyReport): string {
  const where = r.modulePath !== undefined ? ` in module "${r.modulePath}"` : "";
  const phase = r.phase === "backward"
    ? `backward (gradient of "${r.forwardOp ?? "?"}")`
    : r.inPlace ? (r.gradEnabled ? "forward, in place" : "in-place update") : r.gradEnabled ? "forward" : "forward under noGrad";
  const what = r.inPlace ? `updated input ${r.tensorIndex}` : `output ${r.tensorIndex}`;
  const parts = [
    `op "${r.op}"${where} (${phase}) produced non-finite values in its ${what} of shape [${r.shape.join(", ")}]: ` +
      `${r.nan} NaN, ${r.posInf} +Inf, ${r.negInf} -Inf`,
    `inputs: ${r.inputs.length ? r.inputs.map(describeInput).join("; ") : "none"}`,
  ];
  if (r.badAttrs.length) parts.push(`non-finite attributes: ${r.badAttrs.join(", ")}`);
  if (r.inputAlreadyNonFinite) parts.push("an input was already non-finite when it reached this op (data, or a tensor made before anomaly checks)");
  if (r.source !== undefined) parts.push(`called at ${r.source}`);
  if (r.forwardSource !== undefined) parts.push(`its forward op "${r.forwardOp ?? "?"}" was called at ${r.forwardSource}`);
  return parts.join(". ");
}
