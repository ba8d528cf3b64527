// The rule context and the one helper every rule uses to build a Diagnosis, so all findings share
// one shape and number formatting.

import type { Thresholds } from "../thresholds.js";
import type { CureId, Diagnosis, DiagnosisLabel, MonitorSnapshot } from "../types.js";

/** What a check-time rule sees. */
export interface CheckContext {
  snap: MonitorSnapshot;
  /** The first snapshot (check 0), for growth over time. */
  first: MonitorSnapshot;
  /** The loss of the very first step (the scale against which loss rules compare). */
  firstLoss: number;
  /** Per-step losses since the previous check (this check's step included). */
  window: readonly number[];
  t: Thresholds;
}

/** A short number for messages: 3 significant digits, exponent form when very large or small. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2);
  return String(Number(v.toPrecision(3)));
}

/** Builds a Diagnosis from its parts (step and check come from the snapshot). */
export function diag(
  label: DiagnosisLabel, layer: string | null, at: { step: number; check: number }, measure: string,
  value: number, threshold: number, message: string, remedy: string, cures: CureId[],
): Diagnosis {
  return { label, layer, step: at.step, check: at.check, measure, value, threshold, message, remedy, cures };
}
