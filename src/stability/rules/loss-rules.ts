// Loss-trend rules over the per-step losses: divergence (non-finite or far above the start),
// oscillation (repeated large rises between steps) and slow convergence (a loss still where it
// started after several checks). They compare against the first loss, so they are scale-free.

import type { Diagnosis } from "../types.js";
import { type CheckContext, diag, fmt } from "./diagnosis.js";

/** Divergence: a non-finite loss, or a loss above `divergenceFactor` × the first loss. */
export function divergenceRule(c: CheckContext): Diagnosis[] {
  const bad = c.window.find((v) => !Number.isFinite(v));
  const last = c.window[c.window.length - 1] ?? c.snap.loss;
  const ratio = bad !== undefined ? Infinity : last / c.firstLoss;
  if (!(ratio > c.t.divergenceFactor) || !(c.firstLoss > 0)) return [];
  const what = bad !== undefined ? `The loss became ${bad}` : `The loss rose to ${fmt(last)}, ${fmt(ratio)} times its first value ${fmt(c.firstLoss)}`;
  return [diag("divergence", null, c.snap, "loss / first loss", ratio, c.t.divergenceFactor,
    `${what} (limit ${fmt(c.t.divergenceFactor)}×): training is diverging.`,
    "Lower the learning rate (by 10×, or use st.stability.lrFind), clip gradients, or use an adaptive optimizer such as Adam.",
    ["lower-lr", "clip-gradients", "adaptive-optimizer"],
  )];
}

/** Oscillation: at least `spikes` step-to-step rises larger than `spikeFrac` × the first loss. */
export function oscillationRule(c: CheckContext): Diagnosis[] {
  let n = 0;
  let biggest = 0;
  for (let i = 1; i < c.window.length; i++) {
    const rise = c.window[i]! - c.window[i - 1]!;
    if (rise > c.t.spikeFrac * c.firstLoss) n++;
    if (rise > biggest) biggest = rise;
  }
  if (n < c.t.spikes) return [];
  return [diag("oscillating-loss", null, c.snap, "loss rises larger than spikeFrac × first loss since the last check", n, c.t.spikes,
    `The loss jumped up ${n} times since the last check (largest rise ${fmt(biggest)}, against a first loss of ${fmt(c.firstLoss)}; ` +
      `limit ${c.t.spikes} rises of more than ${fmt(100 * c.t.spikeFrac)}%): the steps overshoot the minimum.`,
    "Lower the learning rate (2–10×), add momentum-free warm-up, or use an adaptive optimizer; clip gradients if the spikes come from rare batches.",
    ["lower-lr", "adaptive-optimizer", "clip-gradients"],
  )];
}

/** Slow convergence: from check `plateauChecks − 1` on, the window's mean loss within `plateauDrop` of the first. */
export function plateauRule(c: CheckContext): Diagnosis[] {
  if (c.snap.check < c.t.plateauChecks - 1 || !(c.firstLoss > 0)) return [];
  const finite = c.window.filter(Number.isFinite);
  if (finite.length === 0) return [];
  const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
  const change = Math.abs(mean - c.firstLoss) / c.firstLoss;
  if (!(change < c.t.plateauDrop)) return [];
  return [diag("slow-convergence", null, c.snap, "relative loss change since the first step", change, c.t.plateauDrop,
    `After ${c.snap.step} steps the loss is still ${fmt(mean)}, within ${fmt(100 * change)}% of its first value ${fmt(c.firstLoss)} ` +
      `(limit ${fmt(100 * c.t.plateauDrop)}%): training is not making progress.`,
    "Raise the learning rate (st.stability.lrFind), use He/Xavier initialization instead of tiny weights, fewer layers or normalization.",
    ["he-init", "adaptive-optimizer", "insert-normalization"],
  )];
}
