// How the progress output of fit writes numbers and times, as Keras's Progbar does, so that a
// line reads the same here and in a Keras tutorial: "loss: 0.6931", "lr: 1.0000e-04", "5ms/step".

import type { Logs } from "../callback.js";

/** Python's `%.4e`: 4 digits after the point and an exponent of at least 2 digits (1.2346e-04). */
function exp4(v: number): string {
  return v.toExponential(4).replace(/e([+-])(\d)$/, "e$10$2");
}

/**
 * One log value as Keras prints it: `%.4f` when |v| > 1e-3, else `%.4e` (so 0 is `0.0000e+00` and
 * small learning rates keep their digits); NaN and infinities as Python writes them.
 */
export function formatLogValue(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  return Math.abs(v) > 1e-3 ? v.toFixed(4) : exp4(v);
}

/** Keys of batch logs that are bookkeeping, not metrics. */
const NOT_SHOWN = new Set(["batch", "size"]);

/** `" - loss: 0.6931 - accuracy: 0.5000"` for every metric in `logs`, in their order. */
export function formatLogEntries(logs: Logs): string {
  let s = "";
  for (const [k, v] of Object.entries(logs)) if (!NOT_SHOWN.has(k) && typeof v === "number") s += ` - ${k}: ${formatLogValue(v)}`;
  return s;
}

/** Seconds per step as Keras prints it: `2s/step`, `15ms/step` or `830us/step`. */
export function formatPerStep(seconds: number): string {
  if (seconds >= 1 || seconds === 0) return `${seconds.toFixed(0)}s/step`;
  if (seconds >= 1e-3) return `${(seconds * 1e3).toFixed(0)}ms/step`;
  return `${(seconds * 1e6).toFixed(0)}us/step`;
}

/** An ETA as Keras prints it: `42s`, `3:07` (m:ss) or `1:02:03` (h:mm:ss). */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n: number) => String(n).padStart(2, "0");
  if (s > 3600) return `${Math.floor(s / 3600)}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
  if (s > 60) return `${Math.floor(s / 60)}:${two(s % 60)}`;
  return `${s}s`;
}

/** Keras's 30-column bar for `current` of `total` steps: `[=========>....................]`. */
export function formatBar(current: number, total: number, width = 30): string {
  const filled = total > 0 ? Math.min(width, Math.floor((width * current) / total)) : 0;
  let bar = filled > 0 ? "=".repeat(filled - 1) + (current < total ? ">" : "=") : "";
  bar += ".".repeat(width - filled);
  return `[${bar}]`;
}
