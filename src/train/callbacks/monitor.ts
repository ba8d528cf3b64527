// What EarlyStopping, ModelCheckpoint and ReduceLROnPlateau share: which direction of a monitored
// log value is better ("auto" from its name, as Keras), improvement with a minimum delta, and
// reading the value from the logs with an error that lists the keys that are there.

import { ValueError } from "../../core/errors.js";
import type { Logs } from "../callback.js";

/** Whether the monitored value should go down ("min"), up ("max"), or is decided from its name. */
export type MonitorMode = "auto" | "min" | "max";

// metrics where higher is better; everything else (losses, mse, mae) is "min"
const MAX_METRICS = /(^|_)(acc|accuracy|binaryaccuracy|categoricalaccuracy|sparsecategoricalaccuracy|topkcategoricalaccuracy|sparsetopkcategoricalaccuracy|auc|precision|recall|f1|f1score|r2|r2score)$/i;

/**
 * "min" or "max" for `monitor` under `mode`: "auto" picks "max" for accuracies, AUC, precision,
 * recall, F1 and R² (with or without `val_`), "min" for everything else (losses, mse, mae).
 */
export function resolveMode(owner: string, monitor: string, mode: MonitorMode): "min" | "max" {
  if (mode === "min" || mode === "max") return mode;
  if (mode !== "auto") throw new ValueError(`${owner}: mode must be "auto", "min" or "max" (got ${JSON.stringify(mode)})`);
  return MAX_METRICS.test(monitor.replace(/^val_/, "")) ? "max" : "min";
}

/** Whether `current` improves on `reference` by more than `minDelta` (≥ 0) in direction `mode`. */
export function isImprovement(mode: "min" | "max", current: number, reference: number, minDelta: number): boolean {
  return mode === "min" ? current < reference - minDelta : current > reference + minDelta;
}

/** The worst possible value in direction `mode` (where "best so far" starts). */
export function worst(mode: "min" | "max"): number {
  return mode === "min" ? Infinity : -Infinity;
}

/** `logs[monitor]`, or a ValueError naming the callback and the keys the logs do have. */
export function monitorValue(owner: string, logs: Logs, monitor: string): number {
  const v = logs[monitor];
  if (typeof v !== "number") {
    const have = Object.keys(logs).join(", ") || "none";
    const hint = monitor.startsWith("val_") && !Object.keys(logs).some((k) => k.startsWith("val_"))
      ? " (no validation ran: pass validationData or validationSplit to fit)"
      : "";
    throw new ValueError(`${owner}: monitored value "${monitor}" is not in the logs (available: ${have})${hint}`);
  }
  return v;
}

/** Throws unless `x` is a finite number ≥ 0 (`name` is the option). */
export function checkNonNegative(owner: string, name: string, x: unknown): void {
  if (typeof x !== "number" || !(x >= 0) || !Number.isFinite(x)) {
    throw new ValueError(`${owner}: ${name} must be a finite number ≥ 0 (got ${String(x)})`);
  }
}

/** Throws unless `x` is an integer ≥ 0. */
export function checkCount(owner: string, name: string, x: unknown): void {
  if (typeof x !== "number" || !Number.isInteger(x) || x < 0) {
    throw new ValueError(`${owner}: ${name} must be an integer ≥ 0 (got ${String(x)})`);
  }
}

/** The callback's model, or a ValueError when the callback is used outside `fit`. */
export function requireModel<T>(owner: string, model: T | null): T {
  if (model === null) throw new ValueError(`${owner}: no model attached (callbacks run inside fit, which calls setModel)`);
  return model;
}
