// Held-out results the `steady` command reports, computed from predictions in the data's own
// units: accuracy for classification; MAE, RMSE and R² for regression.

import type * as St from "../node.js";
import type { TaskKind } from "./datasets.js";

export function classificationResults(probs: St.Tensor, y: St.Tensor): { accuracy: number; correct: number; n: number } {
  const n = y.shape[0]!;
  const correct = probs.argmax(1).eq(y.to("int32")).int().sum().item() as number;
  return { accuracy: correct / n, correct, n };
}

/** MAE = mean|ŷ − y|, RMSE = √mean(ŷ − y)², R² = 1 − Σ(ŷ − y)² / Σ(y − ȳ)², in float64. */
export function regressionResults(pred: St.Tensor, y: St.Tensor): { mae: number; rmse: number; r2: number; n: number } {
  const p = pred.to("float64").reshape(-1);
  const t = y.to("float64").reshape(-1);
  const err = p.sub(t);
  const sse = err.square().sum().item() as number;
  const sst = t.sub(t.mean()).square().sum().item() as number;
  const n = t.shape[0]!;
  return { mae: err.abs().mean().item() as number, rmse: Math.sqrt(sse / n), r2: sst > 0 ? 1 - sse / sst : NaN, n };
}

/** Token accuracy over every position and whole-sequence accuracy (every token right), from probabilities [n, L, V] and targets [n, L]. */
export function sequenceResults(probs: St.Tensor, y: St.Tensor): { accuracy: number; correct: number; n: number; sequenceAccuracy: number; sequencesCorrect: number; sequences: number } {
  const hit = probs.argmax(-1).eq(y.to("int32")).int(); // [n, L]
  const sequences = y.shape[0]!;
  const n = hit.size;
  const correct = hit.sum().item() as number;
  const sequencesCorrect = hit.amin(1).sum().item() as number;
  return { accuracy: correct / n, correct, n, sequenceAccuracy: sequencesCorrect / sequences, sequencesCorrect, sequences };
}

/** The result lines printed after training and by `steady evaluate`. */
export function resultLine(task: TaskKind, r: Record<string, number>): string {
  if (task === "sequence") {
    return `held-out token accuracy ${(100 * r.accuracy!).toFixed(2)}% (${r.correct}/${r.n}), whole sequences ${(100 * r.sequenceAccuracy!).toFixed(2)}% (${r.sequencesCorrect}/${r.sequences})`;
  }
  if (task === "classification") return `held-out accuracy ${(100 * r.accuracy!).toFixed(2)}% (${r.correct}/${r.n})`;
  return `held-out MAE ${r.mae!.toPrecision(4)}, RMSE ${r.rmse!.toPrecision(4)}, R² ${r.r2!.toFixed(4)} (${r.n} samples)`;
}
