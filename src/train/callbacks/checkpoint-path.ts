// Checkpoint path patterns: `{epoch}`, `{batch}` and any log value (`{val_loss}`, `{accuracy:.4f}`,
// `{epoch:03d}`) filled in for one save, as Keras's ModelCheckpoint formats its filepath.

import { ValueError } from "../../core/errors.js";
import type { Logs } from "../callback.js";

const FIELD = /\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}/g;

/** Whether `pattern` has placeholders (then every save goes to its own path). */
export function hasPlaceholders(pattern: string): boolean {
  return new RegExp(FIELD.source).test(pattern);
}

/** Formats one value by a Python-style spec: `d`, `03d`, `.2f`, `.3e`, `.4g` (none: shortest). */
function formatValue(v: number, spec: string | undefined, key: string): string {
  if (spec === undefined || spec === "") return String(v);
  const m = /^(0?)(\d*)(?:\.(\d+))?([dfeg])$/.exec(spec);
  if (m === null) throw new ValueError(`ModelCheckpoint: unsupported format "{${key}:${spec}}" (use d, 03d, .2f, .3e or .4g)`);
  const [, zero, width, prec, kind] = m;
  const p = prec === undefined ? 6 : Number(prec);
  let s: string;
  if (kind === "d") s = String(Math.trunc(v));
  else if (kind === "f") s = v.toFixed(p);
  else if (kind === "e") s = v.toExponential(p).replace(/e([+-])(\d)$/, "e$10$2"); // Python: e-05
  else s = String(Number(v.toPrecision(Math.max(p, 1))));
  const w = width === "" || width === undefined ? 0 : Number(width);
  if (s.length < w) s = zero === "0" && Number.isFinite(v) ? (v < 0 ? "-" + s.slice(1).padStart(w - 1, "0") : s.padStart(w, "0")) : s.padStart(w, " ");
  return s;
}

/**
 * Fills in `pattern` for a save after `epoch` (0-based; `{epoch}` is 1-based like Keras's file
 * names) and, with batch-frequency saves, `batch` (`{batch}`, 1-based). Other fields name log values;
 * a field missing from the logs is a ValueError listing the keys that are there.
 *
 * @example
 * import { formatCheckpointPath } from "./checkpoint-path.js";
 * formatCheckpointPath("ckpt/e{epoch:02d}-{val_loss:.3f}", 4, { val_loss: 0.12345 }); // "ckpt/e05-0.123"
 */
export function formatCheckpointPath(pattern: string, epoch: number, logs: Logs, batch?: number): string {
  return pattern.replace(FIELD, (_m, key: string, spec: string | undefined) => {
    let v: number | undefined;
    if (key === "epoch") v = epoch + 1;
    else if (key === "batch" && batch !== undefined) v = batch + 1;
    else v = logs[key];
    if (typeof v !== "number") {
      throw new ValueError(`ModelCheckpoint: the path field {${key}} is not in the logs (available: epoch${batch === undefined ? "" : ", batch"}${Object.keys(logs).map((k) => ", " + k).join("")})`);
    }
    return formatValue(v, spec, key);
  });
}
