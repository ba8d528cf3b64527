// The thresholds of the monitor's diagnosis rules, with their defaults and why each value was chosen.
// Every rule reads its limit from here, so a user can loosen or tighten one rule without touching code:
// `st.stability.monitor({ thresholds: { deadFrac: 0.8 } })`.

import { ValueError } from "../core/errors.js";

/**
 * Limits of the diagnosis rules (all configurable through `monitor({ thresholds })`).
 * The defaults were chosen on the broken-setup suite (`npm run stability:table`): each broken setup
 * crosses its limit by at least a factor of a few, and no healthy control comes within a factor of two.
 */
export interface Thresholds {
  /** Vanishing: a layer's ‖∇W‖/‖W‖ below `vanishingRatio` × the largest layer's ratio (default 1e-3). */
  vanishingRatio: number;
  /** Exploding: any layer's ‖∇W‖₂ above this absolute value (default 100). */
  explodingNorm: number;
  /** Exploding: a layer's ‖∇W‖₂ grown by more than this factor since the first check (default 100). */
  explodingGrowth: number;
  /** Exploding: a layer's update ratio ‖ΔW‖/‖W‖ above this in one step (default 1). */
  updateRatio: number;
  /** Dying ReLU: fraction of ReLU units ≤ 0 for every sample of the batch above this (default 0.5). */
  deadFrac: number;
  /** Saturation: fraction of sigmoid/tanh outputs in their flat tails above this (default 0.3). */
  saturatedFrac: number;
  /** Unnormalized input: the batch's largest |x| above this (default 100; data scaled to ~[−1, 1] or z-scores is far below). */
  inputAbsMax: number;
  /** Unnormalized input: the batch's feature mean |μ| or std σ above this (default 10). */
  inputScale: number;
  /** Divergence: loss above `divergenceFactor` × the first loss, or non-finite (default 3). */
  divergenceFactor: number;
  /** Oscillation: a rise of the loss by more than this fraction of the first loss between two steps… (default 0.25) */
  spikeFrac: number;
  /** …seen at least this many times since the previous check (default 2). */
  spikes: number;
  /** Slow convergence: after `plateauChecks` checks the loss is still above (1 − plateauDrop) × first loss (default 0.02). */
  plateauDrop: number;
  /** Checks before the plateau rule may fire (default 3, so check index 2). */
  plateauChecks: number;
  /** Edge of stability: lr · λ_max above this (2 for gradient descent on a quadratic; default 2). */
  edgeOfStability: number;
  /** Overfitting: val_loss risen above its minimum by more than this fraction… (default 0.2) */
  overfitRise: number;
  /** …while val_loss exceeds `overfitGap` × the training loss (default 2). */
  overfitGap: number;
  /** Underfitting: after `underfitEpochs` epochs the training loss is still above this fraction of the first loss (default 0.9). */
  underfitFrac: number;
  /** Epochs before the underfitting rule may fire (default 3). */
  underfitEpochs: number;
}

/** The default thresholds (see each field of `Thresholds` for the reasoning). */
export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze({
  vanishingRatio: 1e-3,
  explodingNorm: 100,
  explodingGrowth: 100,
  updateRatio: 1,
  deadFrac: 0.5,
  saturatedFrac: 0.3,
  inputAbsMax: 100,
  inputScale: 10,
  divergenceFactor: 3,
  spikeFrac: 0.25,
  spikes: 2,
  plateauDrop: 0.02,
  plateauChecks: 3,
  edgeOfStability: 2,
  overfitRise: 0.2,
  overfitGap: 2,
  underfitFrac: 0.9,
  underfitEpochs: 3,
});

/** Defaults overridden by `partial`; a ValueError names an unknown key or a non-positive/non-finite value. */
export function resolveThresholds(who: string, partial: Partial<Thresholds> | undefined): Thresholds {
  const out: Thresholds = { ...DEFAULT_THRESHOLDS };
  if (partial === undefined) return out;
  if (typeof partial !== "object" || partial === null) {
    throw new ValueError(`${who}: thresholds must be an object of numbers (got ${partial === null ? "null" : typeof partial})`);
  }
  for (const [k, v] of Object.entries(partial)) {
    if (!(k in DEFAULT_THRESHOLDS)) {
      throw new ValueError(`${who}: unknown threshold "${k}" (expected one of ${Object.keys(DEFAULT_THRESHOLDS).join(", ")})`);
    }
    if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) {
      throw new ValueError(`${who}: threshold ${k} must be a positive finite number (got ${String(v)})`);
    }
    (out as unknown as Record<string, number>)[k] = v;
  }
  return out;
}
