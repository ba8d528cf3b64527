// Verified cures: for each diagnosis, rerun a short trial with each prescribed remedy applied and
// report, with numbers, whether the symptom disappeared and how the loss compares. The advice of
// the monitor becomes evidence: "lower the learning rate" is shown to remove the divergence, or not.

import { ValueError } from "../core/errors.js";
import type { Recipe, RecipeConfig, TrialResult } from "./recipe.js";
import type { CureId, Diagnosis, DiagnosisLabel } from "./types.js";

/** Options of `tryCures`. */
export interface TryCuresOptions {
  /** Steps of each trial (default 30). */
  steps?: number;
  /** The learning rate "lower-lr" moves to when below the current one (e.g. lrFind's suggestion); else lr / 10. */
  suggestedLr?: number;
  /** Try at most this many cures (default: all the diagnoses prescribe). */
  maxCures?: number;
  /** A baseline trial already run with the same steps (reused instead of running it again). */
  baseline?: TrialResult;
}

/** The outcome of one cure's trial. */
export interface CureTrial {
  /** The cure tried. */
  cure: CureId;
  /** The labels of the diagnoses that prescribe this cure. */
  targets: DiagnosisLabel[];
  /** What changed, in plain words ("lr 100 → 0.05"). */
  change: string;
  /** The configuration with the cure applied. */
  config: RecipeConfig;
  /** Whether every targeted symptom is gone (no diagnosis with the label in the trial, and no divergence for "divergence"). */
  symptomGone: boolean;
  /** Target labels still diagnosed in the trial. */
  remaining: DiagnosisLabel[];
  /** Labels the trial diagnosed that the baseline did not (a cure that causes a new problem). */
  introduced: DiagnosisLabel[];
  /** The measured value of each target's rule before → after (after NaN when the rule no longer fired). */
  evidence: {
    /** The diagnosis label. */
    label: DiagnosisLabel;
    /** What its rule measures. */
    measure: string;
    /** The value in the baseline trial. */
    before: number;
    /** The value in the cure's trial (NaN when the rule no longer fired). */
    after: number;
    /** The rule's limit. */
    threshold: number;
  }[];
  /** Final loss of the baseline trial. */
  lossBefore: number;
  /** Final loss of this cure's trial. */
  lossAfter: number;
  /** Plain-words verdict with the numbers. */
  message: string;
  /** The full trial (losses, diagnoses, snapshots). */
  trial: TrialResult;
}

/** What `tryCures` returns. */
export interface TryCuresResult {
  /** The trial of the configuration as given. */
  baseline: TrialResult;
  /** One trial per cure tried. */
  trials: CureTrial[];
  /** The cures that removed every symptom they targeted and whose trial did not diverge: those adding no new symptom first, then by final loss. */
  verified: CureId[];
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2) : Number(x.toPrecision(3)).toString();
}

/**
 * The configuration with `cure` applied, and what changed. Cures: `he-init` / `xavier-init` (that
 * initializer at scale 1 with zero biases), `relu-activation` (ReLU with He init, or LeakyReLU when the
 * net is already ReLU — the dying-ReLU cure), `insert-normalization` (LayerNorm after each hidden layer),
 * `clip-gradients` (global norm 1), `lower-lr` (min(lr/10, suggestedLr)), `adaptive-optimizer`
 * (Adam at lr 1e-3), `standardize-input` (z-scored features), `regularize` (weight decay 1e-4),
 * `bigger-model` (twice the widths), `early-stopping` (not applicable to a short trial: null).
 * @example
 * const cured = st.stability.applyCure({ ...st.stability.DEFAULT_RECIPE, lr: 100 }, "lower-lr");
 * cured?.change; // "lr 100 → 10"
 */
export function applyCure(cfg: RecipeConfig, cure: CureId, opts: { suggestedLr?: number } = {}): {
  /** The cured configuration. */
  config: RecipeConfig;
  /** What changed, in plain words. */
  change: string;
} | null {
  const c: RecipeConfig = { ...cfg, layers: [...cfg.layers] };
  switch (cure) {
    case "he-init":
    case "xavier-init": {
      c.init = cure === "he-init" ? "he" : "xavier";
      c.initScale = 1;
      c.biasInit = null;
      const was = `${cfg.init} init${cfg.initScale !== 1 ? ` ×${cfg.initScale}` : ""}${cfg.biasInit !== null ? `, bias ${cfg.biasInit}` : ""}`;
      return { config: c, change: `${was} → ${c.init === "he" ? "He (Kaiming normal)" : "Xavier (Glorot normal)"} init, zero bias` };
    }
    case "relu-activation": {
      c.activation = cfg.activation === "relu" ? "leaky-relu" : "relu";
      // a ReLU net keeps its signal only with the init matched to it (He); PyTorch's default Linear
      // init has a third of He's variance, which still vanishes over ten layers
      const reinit = cfg.init !== "he";
      if (reinit) { c.init = "he"; c.initScale = 1; }
      return { config: c, change: `activation ${cfg.activation} → ${c.activation}${reinit ? " with He init (the init matched to ReLU)" : ""}` };
    }
    case "insert-normalization":
      if (cfg.normalize) return null;
      c.normalize = true;
      return { config: c, change: "LayerNorm inserted after each hidden layer" };
    case "clip-gradients":
      c.clipnorm = cfg.clipnorm === null ? 1 : cfg.clipnorm / 10;
      return { config: c, change: `gradient clipping ${cfg.clipnorm === null ? "none" : `at ${cfg.clipnorm}`} → global norm ${c.clipnorm}` };
    case "lower-lr": {
      const s = opts.suggestedLr;
      c.lr = s !== undefined && s > 0 && s < cfg.lr / 10 ? s : cfg.lr / 10;
      return { config: c, change: `lr ${fmt(cfg.lr)} → ${fmt(c.lr)}${c.lr === s ? " (lrFind's suggestion)" : ""}` };
    }
    case "adaptive-optimizer":
      if (cfg.optimizer === "adam") return null;
      c.optimizer = "adam";
      c.lr = 1e-3;
      return { config: c, change: `${cfg.optimizer} lr ${fmt(cfg.lr)} → adam lr 0.001` };
    case "standardize-input":
      if (cfg.standardize) return null;
      c.standardize = true;
      return { config: c, change: `inputs${cfg.inputScale !== 1 ? ` (×${cfg.inputScale})` : ""} standardized to zero mean, unit variance per feature` };
    case "regularize":
      c.weightDecay = cfg.weightDecay > 0 ? cfg.weightDecay * 10 : 1e-4;
      return { config: c, change: `weight decay ${cfg.weightDecay} → ${c.weightDecay}` };
    case "bigger-model":
      c.layers = cfg.layers.map((w) => w * 2);
      return { config: c, change: `hidden widths ${cfg.layers.join(",")} → ${c.layers.join(",")}` };
    case "early-stopping":
      return null; // needs validation epochs; a short trial cannot show it
  }
}

/**
 * Verified cures. Runs the recipe's base configuration for `steps` steps (the baseline), then, for
 * each cure the `diagnoses` prescribe (in their order, each once), the same trial with that cure
 * applied (`applyCure`), and compares: the symptom is gone when no diagnosis with a targeted label
 * appears in the trial (for "divergence" also: the trial did not diverge); the final losses (mean of
 * the last 5 steps) are reported side by side. Cures that cannot apply (the net is already
 * normalized, already uses Adam, early stopping in a short trial) are skipped.
 *
 * @example
 * const x = st.randn([256, 8]);
 * const y = x.sum(1).gt(0).int();
 * const recipe = st.stability.mlpRecipe({ x, y, task: "classification", numClasses: 2 }, { optimizer: "sgd", lr: 100 });
 * const base = await recipe.run(recipe.config, { steps: 30 });
 * const r = await st.stability.tryCures(recipe, base.diagnoses, { steps: 30, baseline: base });
 * for (const t of r.trials) console.log(t.message); // the cure, what changed, symptom gone or not, loss before → after
 */
export async function tryCures(recipe: Recipe, diagnoses: readonly Diagnosis[], opts: TryCuresOptions = {}): Promise<TryCuresResult> {
  const steps = opts.steps ?? 30;
  if (!Number.isInteger(steps) || steps < 1) throw new ValueError(`tryCures: steps must be a positive integer, got ${steps}`);
  if (!recipe || typeof recipe.run !== "function" || typeof recipe.config !== "object") {
    throw new ValueError("tryCures: recipe must be {config, run(cfg, {steps})}, e.g. st.stability.mlpRecipe(data, config)");
  }
  if (!Array.isArray(diagnoses)) throw new ValueError(`tryCures: diagnoses must be an array (a monitor's mon.diagnoses), got ${typeof diagnoses}`);
  const baseline = opts.baseline ?? (await recipe.run(recipe.config, { steps }));
  const baseLabels = new Set(baseline.diagnoses.map((d) => d.label));
  if (baseline.diverged) baseLabels.add("divergence");
  // cure → the labels that prescribe it, in first-prescribed order
  const plan = new Map<CureId, DiagnosisLabel[]>();
  for (const d of diagnoses) for (const c of d.cures) { const t = plan.get(c) ?? []; if (!t.includes(d.label)) t.push(d.label); plan.set(c, t); }
  const trials: CureTrial[] = [];
  for (const [cure, targets] of plan) {
    if (opts.maxCures !== undefined && trials.length >= opts.maxCures) break;
    const applied = applyCure(recipe.config, cure, { suggestedLr: opts.suggestedLr });
    if (applied === null) continue;
    const trial = await recipe.run(applied.config, { steps });
    const after = new Set(trial.diagnoses.map((d) => d.label));
    if (trial.diverged) after.add("divergence");
    const remaining = targets.filter((l) => after.has(l));
    const introduced = [...after].filter((l) => !baseLabels.has(l));
    const evidence = targets.map((label) => {
      const b = diagnoses.find((d) => d.label === label)!;
      const a = trial.diagnoses.find((d) => d.label === label);
      return { label, measure: b.measure, before: b.value, after: a ? a.value : NaN, threshold: b.threshold };
    });
    const symptomGone = remaining.length === 0;
    const ev = evidence.map((e) => `${e.label}: ${e.measure} ${fmt(e.before)} → ${Number.isNaN(e.after) ? "within its limit" : fmt(e.after)} (limit ${fmt(e.threshold)})`).join("; ");
    const lossWord = trial.finalLoss < baseline.finalLoss ? "better" : trial.finalLoss > baseline.finalLoss ? "worse" : "the same";
    const message =
      `${cure} (${applied.change}): ${symptomGone ? "symptom gone" : `still ${remaining.join(", ")}`} — ${ev}; ` +
      `final loss ${fmt(baseline.finalLoss)} → ${fmt(trial.finalLoss)} (${lossWord}) after ${steps} steps` +
      (introduced.length > 0 ? `; but it introduced ${introduced.join(", ")}` : "") +
      (trial.diverged && !targets.includes("divergence") ? "; the trial still diverged" : "");
    trials.push({
      cure, targets, change: applied.change, config: applied.config, symptomGone, remaining, introduced, evidence,
      lossBefore: baseline.finalLoss, lossAfter: trial.finalLoss, message, trial,
    });
  }
  const verified = trials
    .filter((t) => t.symptomGone && !t.trial.diverged)
    .sort((a, b) => a.introduced.length - b.introduced.length || a.lossAfter - b.lossAfter)
    .map((t) => t.cure);
  return { baseline, trials, verified };
}
