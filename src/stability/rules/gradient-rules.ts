// Gradient rules: vanishing gradients (a layer's relative gradient tiny next to the others') and
// exploding gradients — by absolute norm, by growth since the first check and by update size, so a
// uniform explosion (every layer ×4, where the first/last ratio looks normal) is caught too.

import type { Diagnosis } from "../types.js";
import { type CheckContext, diag, fmt } from "./diagnosis.js";

/** Vanishing: ‖∇W‖/‖W‖ of a layer below `vanishingRatio` × the largest such ratio; names the smallest. */
export function vanishingRule(c: CheckContext): Diagnosis[] {
  const rel = c.snap.layers.map((l) => ({ l, r: l.weightNorm > 0 ? l.gradNorm / l.weightNorm : NaN }));
  const finite = rel.filter((x) => Number.isFinite(x.r));
  if (finite.length < 2) return [];
  const top = finite.reduce((a, b) => (b.r > a.r ? b : a));
  if (!(top.r > 0)) return [];
  const low = finite.reduce((a, b) => (b.r < a.r ? b : a));
  const ratio = low.r / top.r;
  if (!(ratio < c.t.vanishingRatio)) return [];
  return [diag(
    "vanishing-gradients", low.l.layer, c.snap, "relative gradient ‖∇W‖/‖W‖ against the largest layer's", ratio, c.t.vanishingRatio,
    `Layer ${low.l.layer} gets almost no gradient: its ‖∇W‖/‖W‖ is ${fmt(low.r)}, ${fmt(ratio)} times that of layer ${top.l.layer} ` +
      `(${fmt(top.r)}), below the limit ${fmt(c.t.vanishingRatio)}. It will barely learn.`,
    "Use ReLU-family activations with He initialization (or Xavier/Glorot for tanh), or insert normalization layers between the layers.",
    ["relu-activation", "he-init", "insert-normalization"],
  )];
}

/** Exploding: absolute norm, growth since check 0, or one update larger than the weights. */
export function explodingRule(c: CheckContext): Diagnosis[] {
  const t = c.t;
  const remedy = "Lower the learning rate, clip gradients (clipnorm 1), and initialize with He/Xavier scaling instead of large weights.";
  const cures: Diagnosis["cures"] = ["clip-gradients", "lower-lr", "he-init"];
  // the earliest layer over the limit is named: with a uniform explosion every layer is over it,
  // and the input side is where the compounding ends (and where the user's init choice starts)
  const over = c.snap.layers.filter((l) => Number.isNaN(l.gradNorm) || l.gradNorm > t.explodingNorm);
  if (over.length > 0) {
    const l = over[0]!;
    const v = Number.isNaN(l.gradNorm) ? Infinity : l.gradNorm;
    const others = over.length > 1 ? ` (${over.length} of ${c.snap.layers.length} layers are over it, largest ${fmt(Math.max(...over.map((x) => x.gradNorm)))})` : "";
    return [diag("exploding-gradients", l.layer, c.snap, "gradient norm ‖∇W‖₂", v, t.explodingNorm,
      `The gradient of layer ${l.layer} has norm ${fmt(v)}, above the limit ${fmt(t.explodingNorm)}${others}; steps this large throw the weights far from where they were.`,
      remedy, cures)];
  }
  if (c.snap.check > 0) {
    let grow = null as null | { layer: string; v: number; g0: number; g: number };
    for (const l of c.snap.layers) {
      const l0 = c.first.layers.find((x) => x.layer === l.layer);
      if (l0 === undefined || !(l0.gradNorm > 0)) continue;
      const v = l.gradNorm / l0.gradNorm;
      if (v > t.explodingGrowth && (grow === null || v > grow.v)) grow = { layer: l.layer, v, g0: l0.gradNorm, g: l.gradNorm };
    }
    if (grow !== null) {
      return [diag("exploding-gradients", grow.layer, c.snap, "gradient-norm growth since the first check", grow.v, t.explodingGrowth,
        `The gradient norm of layer ${grow.layer} grew ${fmt(grow.v)}× since the first check (${fmt(grow.g0)} → ${fmt(grow.g)}), above the limit ${fmt(t.explodingGrowth)}×.`,
        remedy, cures)];
    }
  }
  let big = null as null | { layer: string; v: number };
  for (const l of c.snap.layers) {
    if (l.updateRatio > t.updateRatio && (big === null || l.updateRatio > big.v)) big = { layer: l.layer, v: l.updateRatio };
  }
  if (big === null) return [];
  return [diag("exploding-gradients", big.layer, c.snap, "update-to-weight ratio ‖ΔW‖/‖W‖", big.v, t.updateRatio,
    `One optimizer step changed the weights of layer ${big.layer} by ${fmt(big.v)} times their own norm (limit ${fmt(t.updateRatio)}); healthy steps change them by about 1e-3.`,
    remedy, cures)];
}
