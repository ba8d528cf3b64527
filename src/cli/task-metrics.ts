// Held-out results the `steady` command reports, computed from predictions in the data's own
// units: accuracy for classification; MAE, RMSE and R² for regression.

import type * as St from "../node.js";

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

/** The result lines printed after training and by `steady evaluate`. */
export function resultLine(task: "classification" | "regression", r: Record<string, number>): string {
  if (task === "classification") return `held-out accuracy ${(100 * r.accuracy!).toFixed(2)}% (${r.correct}/${r.n})`;
  return `held-out MAE ${r.mae!.toPrecision(4)}, RMSE ${r.rmse!.toPrecision(4)}, R² ${r.r2!.toFixed(4)} (${r.n} samples)`;
}
