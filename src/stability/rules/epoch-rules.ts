// Rules over epoch logs and recorded sharpness: overfitting and underfitting from the gap between
// training and validation loss, and the edge of stability (lr · λ_max beyond 2 for gradient descent).

import type { Thresholds } from "../thresholds.js";
import type { Diagnosis } from "../types.js";
import { diag, fmt } from "./diagnosis.js";

/** One epoch's losses (`fit`'s epoch logs or `mon.recordEpoch`). */
export interface EpochRecord {
  epoch: number;
  loss: number;
  valLoss?: number;
}

/** Overfitting: validation loss risen `overfitRise` above its minimum and `overfitGap` × the training loss. */
export function overfittingRule(epochs: readonly EpochRecord[], at: { step: number; check: number }, t: Thresholds): Diagnosis[] {
  const e = epochs[epochs.length - 1];
  if (e === undefined || e.valLoss === undefined) return [];
  const vals = epochs.map((x) => x.valLoss).filter((v): v is number => v !== undefined && Number.isFinite(v));
  const best = Math.min(...vals);
  const rise = (e.valLoss - best) / best;
  const gap = e.valLoss / e.loss;
  if (!(rise > t.overfitRise && gap > t.overfitGap)) return [];
  return [diag("overfitting", null, at, "validation loss rise above its minimum", rise, t.overfitRise,
    `At epoch ${e.epoch} the validation loss is ${fmt(e.valLoss)}, ${fmt(100 * rise)}% above its best ${fmt(best)} (limit ${fmt(100 * t.overfitRise)}%), ` +
      `and ${fmt(gap)}× the training loss ${fmt(e.loss)} (limit ${fmt(t.overfitGap)}×): the model memorizes the training set.`,
    "Stop earlier (EarlyStopping with restoreBestWeights), add weight decay or dropout, use more training data or a smaller model.",
    ["early-stopping", "regularize"],
  )];
}

/** Underfitting: after `underfitEpochs` epochs, the training loss still above `underfitFrac` × the first loss. */
export function underfittingRule(epochs: readonly EpochRecord[], firstLoss: number, at: { step: number; check: number }, t: Thresholds): Diagnosis[] {
  const e = epochs[epochs.length - 1];
  if (e === undefined || epochs.length < t.underfitEpochs || !(firstLoss > 0) || !Number.isFinite(e.loss)) return [];
  const frac = e.loss / firstLoss;
  if (!(frac > t.underfitFrac) || frac > 1 + t.underfitFrac) return [];
  const val = e.valLoss === undefined ? "" : ` and the validation loss ${fmt(e.valLoss)}`;
  return [diag("underfitting", null, at, "training loss / first loss after underfitEpochs epochs", frac, t.underfitFrac,
    `After ${epochs.length} epochs the training loss ${fmt(e.loss)}${val} is still ${fmt(100 * frac)}% of the first loss ${fmt(firstLoss)} ` +
      `(limit ${fmt(100 * t.underfitFrac)}%): the model does not fit even the training data.`,
    "Use a bigger model, train longer or with a higher learning rate, and remove excessive regularization.",
    ["bigger-model", "adaptive-optimizer"],
  )];
}

/** Edge of stability: lr · λ_max above `edgeOfStability` (2/λ is gradient descent's stable limit). */
export function edgeOfStabilityRule(lambdaMax: number, lr: number, at: { step: number; check: number }, t: Thresholds): Diagnosis[] {
  const v = lr * lambdaMax;
  if (!(v > t.edgeOfStability)) return [];
  return [diag("edge-of-stability", null, at, "lr · λ_max (sharpness)", v, t.edgeOfStability,
    `The learning rate ${fmt(lr)} times the sharpness λ_max = ${fmt(lambdaMax)} is ${fmt(v)}, above ${fmt(t.edgeOfStability)}: ` +
      `gradient descent overshoots along the sharpest direction and the loss oscillates. The stable limit is lr < ${fmt(t.edgeOfStability / lambdaMax)}.`,
    `Lower the learning rate below ${fmt(t.edgeOfStability / lambdaMax)} (or use a warm-up / an adaptive optimizer).`,
    ["lower-lr", "adaptive-optimizer"],
  )];
}
