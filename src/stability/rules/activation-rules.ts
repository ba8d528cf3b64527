// Activation and input rules: dying ReLU, saturated sigmoid/tanh units, and inputs that were never
// standardized. Each names the first layer (in forward order) that crosses its limit, since the
// layers after it inherit the problem.

import type { Diagnosis } from "../types.js";
import { type CheckContext, diag, fmt } from "./diagnosis.js";

/** Dying ReLU: the first layer whose ReLU units are ≤ 0 for the whole batch beyond `deadFrac`. */
export function dyingReluRule(c: CheckContext): Diagnosis[] {
  const l = c.snap.layers.find((x) => x.deadFrac > c.t.deadFrac);
  if (l === undefined) return [];
  return [diag("dying-relu", l.layer, c.snap, "fraction of ReLU units dead for the whole batch", l.deadFrac, c.t.deadFrac,
    `${fmt(100 * l.deadFrac)}% of the ReLU units after layer ${l.layer} output 0 for every sample of the batch (limit ${fmt(100 * c.t.deadFrac)}%); ` +
      `dead units pass no gradient and never recover. Its outputs have mean ${fmt(l.actMean)} and std ${fmt(l.actStd)}.`,
    "Use LeakyReLU/ELU, He initialization with zero biases, or a lower learning rate so that biases are not driven negative.",
    ["relu-activation", "he-init", "lower-lr"],
  )];
}

/** Saturation: the first layer whose sigmoid/tanh outputs sit in their flat tails beyond `saturatedFrac`. */
export function saturationRule(c: CheckContext): Diagnosis[] {
  const l = c.snap.layers.find((x) => x.saturatedFrac > c.t.saturatedFrac);
  if (l === undefined) return [];
  return [diag("saturation", l.layer, c.snap, "fraction of sigmoid/tanh outputs in the flat tails", l.saturatedFrac, c.t.saturatedFrac,
    `${fmt(100 * l.saturatedFrac)}% of the sigmoid/tanh outputs after layer ${l.layer} are in the flat tails (limit ${fmt(100 * c.t.saturatedFrac)}%), ` +
      `where the derivative is nearly 0 and the gradient dies.`,
    "Standardize the inputs, initialize with Xavier/Glorot (gain 1), insert normalization, or switch to a ReLU-family activation.",
    ["xavier-init", "standardize-input", "insert-normalization", "relu-activation"],
  )];
}

/** Unnormalized input: the batch's largest |x|, feature mean or std far from unit scale. */
export function inputRule(c: CheckContext): Diagnosis[] {
  const i = c.snap.input;
  if (i === undefined) return [];
  const scale = Math.max(Math.abs(i.mean), i.std);
  const byMax = i.absMax > c.t.inputAbsMax;
  if (!byMax && !(scale > c.t.inputScale)) return [];
  const [measure, value, threshold] = byMax
    ? ["largest |input|", i.absMax, c.t.inputAbsMax] as const
    : ["input scale max(|mean|, std)", scale, c.t.inputScale] as const;
  return [diag("unnormalized-input", null, c.snap, measure, value, threshold,
    `The inputs are not standardized: mean ${fmt(i.mean)}, std ${fmt(i.std)}, largest |x| ${fmt(i.absMax)} ` +
      `(limits: |x| ≤ ${fmt(c.t.inputAbsMax)}, mean and std ≤ ${fmt(c.t.inputScale)}). Large inputs saturate or blow up the first layer.`,
    "Standardize the inputs to mean 0 and std 1 per feature (st.data.StandardScaler) or divide by their range.",
    ["standardize-input"],
  )];
}
